/**
 * `newsbrief discord-proxy` as a real process between newsbrief's post-only Discord adapters (the real discord.js
 * REST clients) and the stand-in, which keeps one rate-limit bucket per channel as Discord does. Two workers that
 * post into one channel share the bucket only through the proxy; straight at the stand-in they overrun it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../adapters/discord/discordBot.ts';
import { loggableRoute } from '../../adapters/discord/restProxy.ts';
import { hostRefusal } from '../../cli/discordProxyCommand.ts';
import { main } from '../../cli/main.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { memoryIo as sharedMemoryIo } from '../helpers/cliInProcess.ts';
import { keepChildOutput } from '../helpers/secrets.ts';
import { freePort } from '../helpers/serviceProcess.ts';
import { syntheticDigest } from './replies.ts';
import { channelTarget, DiscordStandin, memoryLog, type StandinChannel, TOKEN, until } from './standin.ts';

const BIN = join(import.meta.dirname, '../../bin/newsbrief.js');
/** Discord's message bucket is 5 per 5 s per channel; a shorter window keeps the test quick. */
const LIMIT = 5;
const WINDOW_MS = 1_000;
const POSTS_PER_WORKER = 6;

const untouchedEngine = new Proxy({} as Engine, {
  get(_target, prop) {
    throw new Error(`a post-only adapter used engine.${String(prop)}`);
  },
});

interface ProxyProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  logs: () => Record<string, unknown>[];
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill();
});

/** A proxy process, killed after the test unless `forSuite` (the suite's afterAll ends it then). */
function spawnProxy(args: string[], env: Record<string, string> = {}, forSuite = false): ProxyProcess {
  const child = spawn(process.execPath, [BIN, 'discord-proxy', ...args], {
    env: { ...process.env, DISCORD_PROXY_PORT: '', DISCORD_API_BASE: '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (!forSuite) children.push(child);
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
  const logs = () =>
    err
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { child, stdout: () => out, stderr: () => err, logs, exited };
}

const LISTENING = /^Discord REST proxy listening on (\S+) port (\d+): set DISCORD_API_BASE=(\S+) on every process/m;

async function listeningOf(proxy: ProxyProcess): Promise<{ host: string; port: number; apiBase: string }> {
  const match = await until(() => LISTENING.exec(proxy.stdout()), 15_000, 'the proxy to listen');
  return { host: match[1] as string, port: Number(match[2]), apiBase: match[3] as string };
}

/** Two workers, each with its own post-only adapter (its own REST client), posting into one channel at once. */
async function twoWorkersPost(apiBase: string, channel: StandinChannel) {
  const workers: DiscordAdapter[] = [0, 1].map(() =>
    createDiscordAdapter({ DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: apiBase }, memoryLog(), { receive: false }),
  );
  try {
    for (const worker of workers) await worker.start(untouchedEngine);
    const target = channelTarget(standin, channel);
    const results = await Promise.all(
      workers.map(async (worker) => {
        const posted = [];
        for (let i = 0; i < POSTS_PER_WORKER; i++) posted.push(await worker.post(target, syntheticDigest(1)));
        return posted;
      }),
    );
    return results.flat();
  } finally {
    for (const worker of workers) await worker.stop();
  }
}

const statusesAt = (path: string) => standin.requests.filter((r) => r.path === path).map((r) => r.status);

let standin: DiscordStandin;
beforeAll(async () => {
  standin = await new DiscordStandin().start();
});
afterAll(async () => {
  await standin?.close();
});

describe('discord-proxy between the workers and Discord', () => {
  let proxy: ProxyProcess;
  let apiBase: string;
  beforeAll(async () => {
    // a shared environment file gives the proxy the token too: it must not use it
    proxy = spawnProxy(
      ['--port', '0'],
      { DISCORD_API_BASE: standin.apiBase, DISCORD_TOKEN: TOKEN, LOG_LEVEL: 'debug' },
      true,
    );
    const listening = await listeningOf(proxy);
    expect(listening.host).toBe('127.0.0.1');
    expect(listening.port).toBeGreaterThan(0);
    expect(listening.apiBase).toBe(`http://127.0.0.1:${listening.port}/api`);
    apiBase = listening.apiBase;
  });
  afterAll(() => {
    proxy?.child.kill('SIGKILL');
  });

  it('keeps two workers within one channel bucket; straight at Discord the same two overrun it', async () => {
    const shared = standin.addChannel('through-proxy');
    const sharedPath = `/channels/${shared.id}/messages`;
    standin.bucket(sharedPath, LIMIT, WINDOW_MS);
    const viaProxy = await twoWorkersPost(apiBase, shared);
    expect(viaProxy.every((result) => result.ok)).toBe(true);
    expect(standin.messagesIn(shared.id)).toHaveLength(2 * POSTS_PER_WORKER);
    // every request the stand-in saw fitted in the bucket: not one 429 from "Discord"
    expect(statusesAt(sharedPath)).toEqual(Array(2 * POSTS_PER_WORKER).fill(200));
    // the proxy held the workers back itself, with 429 and Retry-After, and they waited and retried (its log line
    // for a request comes once the answer is out, so the last may still be on its way)
    const proxied = () => proxy.logs().filter((l) => l.msg === 'proxied' && l.route === `/api/v10${sharedPath}`);
    await until(() => proxied().filter((l) => l.status === 200).length === 2 * POSTS_PER_WORKER, 5000, 'proxy logs');
    expect(proxied().filter((l) => l.status === 429).length).toBeGreaterThan(0);

    const separate = standin.addChannel('straight-at-discord');
    const separatePath = `/channels/${separate.id}/messages`;
    standin.bucket(separatePath, LIMIT, WINDOW_MS);
    const direct = await twoWorkersPost(standin.apiBase, separate);
    expect(direct.every((result) => result.ok)).toBe(true);
    // each REST client knows only its own requests, so one of them sends into a bucket the other emptied
    expect(statusesAt(separatePath).filter((status) => status === 429).length).toBeGreaterThan(0);
  });

  it('passes the nonces through: two workers posting one digest with one key make one set of messages', async () => {
    const channel = standin.addChannel('nonce-through-proxy');
    const workers: DiscordAdapter[] = [0, 1].map(() =>
      createDiscordAdapter({ DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: apiBase }, memoryLog(), { receive: false }),
    );
    try {
      for (const worker of workers) await worker.start(untouchedEngine);
      const target = channelTarget(standin, channel);
      const digest = syntheticDigest(4, { long: true });
      const [first, second] = [workers[0] as DiscordAdapter, workers[1] as DiscordAdapter];
      const one = await first.post(target, digest, { idempotencyKey: 'through-the-proxy' });
      const posted = standin.messagesIn(channel.id);
      expect(posted.length).toBeGreaterThan(1);
      expect(posted.every((m) => m.body.enforce_nonce === true)).toBe(true);
      expect(await second.post(target, digest, { idempotencyKey: 'through-the-proxy' })).toEqual(one);
      expect(standin.messagesIn(channel.id)).toEqual(posted);
    } finally {
      for (const worker of workers) await worker.stop();
    }
  });

  it("forwards each caller's Authorization and holds no token: a request without one gets Discord's 401", async () => {
    const route = `${apiBase}/v10/applications/@me`;
    const signedIn = await fetch(route, { headers: { authorization: `Bot ${TOKEN}` } });
    expect(signedIn.status).toBe(200);
    expect(((await signedIn.json()) as { id: string }).id).toBe(standin.appId);
    const anonymous = await fetch(route);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ code: 0, message: '401: Unauthorized' });
    // both reached the stand-in: the 401 is its answer, not the proxy's
    expect(statusesAt('/applications/@me').slice(-2)).toEqual([200, 401]);
  });

  it('stops on SIGTERM with exit status 0', async () => {
    proxy.child.kill('SIGTERM');
    expect(await proxy.exited).toBe(0);
    expect(proxy.logs().map((l) => l.msg)).toEqual(expect.arrayContaining(['stop requested', 'stopped']));
  });
});

describe('discord-proxy listens only on a private address', () => {
  it('refuses 0.0.0.0 with one sentence unless --allow-public-host is given', async () => {
    const refused = spawnProxy(['--host', '0.0.0.0', '--port', '0']);
    expect(await refused.exited).toBe(1);
    expect(refused.stderr().trim()).toBe(
      "newsbrief: discord-proxy will not listen on 0.0.0.0: it passes every caller's bot token on to Discord, so " +
        'anyone who can reach it can post as the bot; give --host a loopback or private address, or add --allow-public-host',
    );
    expect(refused.stdout()).toBe('');

    const allowed = spawnProxy(['--host', '0.0.0.0', '--port', '0', '--allow-public-host']);
    expect((await listeningOf(allowed)).host).toBe('0.0.0.0');
    expect(allowed.logs().some((l) => l.level === 40 && l.host === '0.0.0.0')).toBe(true);
    allowed.child.kill('SIGTERM');
    expect(await allowed.exited).toBe(0);
  });

  it('takes loopback, private and unique-local addresses, and only IP addresses', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', 'localhost', '10.1.2.3', '172.16.0.9', '192.168.1.20']) {
      expect(hostRefusal(host), host).toBeNull();
    }
    expect(hostRefusal('fd12:3456::1')).toBeNull();
    for (const host of ['0.0.0.0', '::', '8.8.8.8', '2001:4860::8888', '169.254.169.254', '100.64.0.1']) {
      expect(hostRefusal(host), host).toMatch(/^discord-proxy will not listen on /);
    }
    expect(hostRefusal('::ffff:0.0.0.0')).not.toBeNull();
    expect(() => hostRefusal('proxy.internal')).toThrow('--host takes an IP address');
  });
});

function memoryIo(env: Record<string, string> = {}) {
  return sharedMemoryIo({ LOG_LEVEL: 'warn', ...env });
}

describe('discord-proxy refusals', () => {
  it('refuses a second proxy on a taken port, a proxy pointed at itself, and a bad port', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const takenPort = (taken.address() as { port: number }).port;
    try {
      const second = memoryIo();
      expect(await main(['discord-proxy', '--port', String(takenPort)], second.io)).toBe(1);
      expect(second.stderr()).toContain(
        `newsbrief: cannot listen on 127.0.0.1:${takenPort}: the port is taken (another Discord proxy? there must be only one)`,
      );
    } finally {
      taken.close();
    }

    const port = await freePort();
    const loop = memoryIo({ DISCORD_PROXY_PORT: String(port), DISCORD_API_BASE: `http://localhost:${port}/api` });
    expect(await main(['discord-proxy'], loop.io)).toBe(1);
    expect(loop.stderr()).toContain(`newsbrief: DISCORD_API_BASE (http://localhost:${port}/api) is this proxy itself`);
    expect(loop.stdout()).toBe('');

    const badPort = memoryIo({ DISCORD_PROXY_PORT: '80a' });
    expect(await main(['discord-proxy'], badPort.io)).toBe(2);
    expect(badPort.stderr()).toContain('--port (or DISCORD_PROXY_PORT) takes a port number from 0 to 65535, not "80a"');
  });

  it('never logs an interaction or webhook token', () => {
    expect(loggableRoute('/api/v10/webhooks/123/aW50ZXJhY3Rpb24/messages/@original?wait=true')).toBe(
      '/api/v10/webhooks/123/:token/messages/@original',
    );
    expect(loggableRoute('/api/v10/interactions/456/itoken-1/callback')).toBe(
      '/api/v10/interactions/456/:token/callback',
    );
    expect(loggableRoute('/api/v10/channels/789/messages')).toBe('/api/v10/channels/789/messages');
  });
});
