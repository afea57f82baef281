/** Kills every process still running and waits for them all (a test file's afterAll). */
export async function killAll(processes: readonly Running[]): Promise<void> {
  for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await Promise.all(processes.map((p) => p.exited));
}

/** Each process's command line and the end of its stderr, for the output of a failed test. */
export function printStderr(processes: readonly Running[], chars = 3000): void {
  for (const p of processes) console.error(`--- ${p.child.spawnargs.slice(2).join(' ')}\n${p.stderr().slice(-chars)}`);
}

/**
 * `newsbrief start` as a child process, as a user runs it: the bin script, a config file, logs read back as JSON
 * lines from stderr; and a loopback RSS feed to poll.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { TestServer } from '../fetch/testServer.ts';

const BIN = join(import.meta.dirname, '../../bin/newsbrief.js');

export function rss(items: { id: string; title: string; body: string }[]): string {
  const entries = items
    .map(
      (item) => `<item><title>${item.title}</title><link>https://news.example/${item.id}</link>
        <guid>https://news.example/${item.id}</guid><pubDate>${new Date().toUTCString()}</pubDate>
        <description><![CDATA[<p>${item.body}</p>]]></description></item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Loopback Tech</title>
    <link>https://news.example/</link><language>en</language>${entries}</channel></rss>`;
}

export const FIRST = {
  id: 'quasar',
  title: 'Quasarlabs ships a photonic interconnect for data centres',
  body: 'Quasarlabs said on Tuesday that its photonic interconnect is shipping to three data centre operators. The company expects volume orders next year, and analysts said the design could cut power use sharply.',
};
export const SECOND = {
  id: 'zephyrine',
  title: 'Zephyrine raises funding for on-device speech models',
  body: 'Zephyrine, a speech start-up, raised new funding to build on-device speech models for phones. Its chief executive said the models run without a network connection and support Korean and English.',
};

export interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  logs: () => Record<string, unknown>[];
  exited: Promise<{ code: number | null; at: number }>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

export function startService(args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [BIN, 'start', ...args], {
    env: {
      ...process.env,
      DISCORD_TOKEN: '',
      SLACK_BOT_TOKEN: '',
      SLACK_APP_TOKEN: '',
      LANG: 'en_US.UTF-8',
      LC_ALL: '',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
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
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => {
    child.on('exit', (code) => resolve({ code, at: Date.now() }));
  });
  const logs = () =>
    err
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { child, stdout: () => out, stderr: () => err, logs, exited };
}

export async function until<T>(
  what: string,
  probe: () => T | null | undefined | false,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A port free on 127.0.0.1 just now, for a child process to listen on. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A loopback feed (FIRST at first; `setItems` changes it, polled again within a second) and a config in `dir` that
 * polls it into `dbPath`.
 */
export async function loopbackFeedSetup(
  dir: string,
  dbPath: string,
): Promise<{ server: TestServer; configPath: string; setItems: (items: (typeof FIRST)[]) => void }> {
  const server = await TestServer.start();
  let feed = rss([FIRST]);
  server.route('/feed.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml', 'cache-control': 'max-age=1' }).end(feed);
  });
  const configPath = join(dir, 'newsbrief.yaml');
  writeFileSync(
    configPath,
    [
      `database: ${JSON.stringify(dbPath)}`,
      'lang: en',
      'fetch:',
      '  allowAddresses: [127.0.0.1]',
      '  minIntervalSeconds: 1',
      'feeds:',
      `  - url: ${server.url('/feed.xml')}`,
      '    name: Loopback Tech',
    ].join('\n'),
  );
  return {
    server,
    configPath,
    setItems: (items) => {
      feed = rss(items);
    },
  };
}
