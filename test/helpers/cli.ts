import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { keepChildOutput } from './secrets.ts';

const BIN = join(import.meta.dirname, '../../bin/newsbrief.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI (`bin/newsbrief.js`) in a child process, as a user would. */
export function runCli(
  args: string[],
  options: { input?: string; env?: Record<string, string>; cwd?: string } = {},
): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    input: options.input ?? '',
    encoding: 'utf8',
    cwd: options.cwd,
    env: {
      ...process.env,
      NEWSBRIEF_CONFIG: '',
      DISCORD_TOKEN: '',
      SLACK_BOT_TOKEN: '',
      SLACK_APP_TOKEN: '',
      SLACK_SIGNING_SECRET: '',
      HEALTH_PORT: '',
      // The terminal's language decides the language of what the CLI prints: fixed, whatever this machine's.
      LC_ALL: '',
      LC_MESSAGES: '',
      LANG: 'en_US.UTF-8',
      ...options.env,
    },
    timeout: 60_000,
  });
  keepChildOutput(result.stderr ?? '');
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
