/**
 * The Procfile as a platform runs it: every process gets the same environment, so the one that points the others
 * at the Discord REST proxy (`DISCORD_API_BASE`) reaches the proxy too. Its line clears that for the proxy alone,
 * whose upstream it would otherwise be: the proxy would find itself named and refuse to start.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keepChildOutput } from '../helpers/secrets.ts';
import { freePort, until } from '../helpers/serviceProcess.ts';

const ROOT = join(import.meta.dirname, '../..');
const BUILT = 'node dist/cli/run.js';

/** The Procfile's processes, name → command. */
function procfile(): Map<string, string> {
  const lines = readFileSync(join(ROOT, 'Procfile'), 'utf8').split('\n').filter(Boolean);
  return new Map(lines.map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]));
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
  }
});

/** Runs a command through the shell, as Procfile runners do, from the sources instead of dist/. */
function run(command: string, env: Record<string, string>) {
  const child = spawn('sh', ['-c', command.replace(BUILT, `"${process.execPath}" bin/newsbrief.js`)], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      keepChildOutput(err);
      resolve(code);
    });
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}

describe('the Procfile', () => {
  it('names the three roles and the Discord REST proxy, each the built newsbrief', () => {
    const processes = procfile();
    expect([...processes.keys()]).toEqual(['web', 'worker', 'scheduler', 'discord-proxy']);
    for (const role of ['web', 'worker', 'scheduler']) {
      expect(processes.get(role)).toBe(`${BUILT} start --role ${role}`);
    }
  });

  it('starts the proxy in the environment that points every other process at it', async () => {
    const port = await freePort();
    const shared = { DISCORD_PROXY_PORT: String(port), DISCORD_API_BASE: `http://127.0.0.1:${port}/api` };
    const command = procfile().get('discord-proxy') ?? '';
    expect(command).toContain(`${BUILT} discord-proxy`);

    // the proxy's own command in that environment refuses: it would forward to itself
    const bare = run(`${BUILT} discord-proxy`, shared);
    expect(await bare.exited).toBe(1);
    expect(bare.stderr()).toContain(`DISCORD_API_BASE (http://127.0.0.1:${port}/api) is this proxy itself`);

    const proxy = run(command, shared);
    await until('the proxy to listen', () =>
      proxy.stdout().includes(`Discord REST proxy listening on 127.0.0.1 port ${port}`),
    );
    expect(proxy.stdout()).toContain(`set DISCORD_API_BASE=http://127.0.0.1:${port}/api on every process that posts`);
    // the shell and the proxy under it, as a platform stops a process
    if (proxy.child.pid) process.kill(-proxy.child.pid, 'SIGTERM');
    await until('the proxy to stop', () => proxy.stderr().includes('"msg":"stopped"'));
  }, 60_000);
});
