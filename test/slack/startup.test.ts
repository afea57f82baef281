import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY } from '../helpers/secrets.ts';
import { useTempDir } from '../helpers/tempDir.ts';
import { APP_TOKEN, BOT_TOKEN, SlackStandIn } from './standIn.ts';

const BIN = join(import.meta.dirname, '../../bin/newsbrief.js');
const tempDir = useTempDir();
let slack: SlackStandIn;

beforeAll(async () => {
  slack = await new SlackStandIn().start();
});
afterAll(async () => {
  await slack.close();
});

/** `newsbrief start` in a child process (async: the stand-in answers from this process). */
function start(env: Record<string, string>): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'start', '--db', join(tempDir(), 'nb.db')], {
      env: {
        ...process.env,
        NEWSBRIEF_CONFIG: '',
        DISCORD_TOKEN: '',
        SLACK_BOT_TOKEN: '',
        SLACK_APP_TOKEN: '',
        SLACK_SIGNING_SECRET: '',
        HEALTH_PORT: '',
        LANG: 'en_US.UTF-8',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stderr });
    });
  });
}

/** The lines a person reads: not the JSON log lines. */
const plainLines = (stderr: string) => stderr.split('\n').filter((l) => l.trim() && !l.startsWith('{'));

describe.concurrent('newsbrief start with Slack settings', () => {
  it('refuses a bot token without an app token or signing secret with one line and exit 1', async () => {
    const { status, stderr } = await start({ SLACK_BOT_TOKEN: BOT_TOKEN });
    expect(status).toBe(1);
    expect(plainLines(stderr)).toHaveLength(1);
    expect(plainLines(stderr)[0]).toMatch(
      /^newsbrief: Slack needs SLACK_APP_TOKEN \(Socket Mode.*SLACK_SIGNING_SECRET/,
    );
  });

  it('says in one line that Slack rejected the bot token, exit 1, the token nowhere in the output', async () => {
    const bad = CANARY.slackRevokedBotToken;
    const { status, stderr } = await start({
      SLACK_BOT_TOKEN: bad,
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_API_URL: slack.apiUrl,
    });
    expect(status).toBe(1);
    expect(plainLines(stderr)).toEqual([
      "newsbrief: Slack rejected SLACK_BOT_TOKEN (invalid_auth): copy the token from the app's settings page again.",
    ]);
    expect(stderr).not.toContain(bad);
    expect(slack.callsOf('auth.test').some((c) => c.token === bad)).toBe(true);
  });
});
