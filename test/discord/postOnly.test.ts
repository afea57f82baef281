/**
 * The Discord adapter post-only, as a worker process starts it: the real discord.js client against the stand-in,
 * with only DISCORD_TOKEN. It checks the token over REST, posts, opens threads and maps failures as always, and
 * never touches the gateway or opens a port.
 */
import { Server } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDiscordAdapter, DiscordAdapter } from '../../adapters/discord/discordBot.ts';
import type { Engine } from '../../src/engine/engine.ts';
import type { PostTarget } from '../../src/engine/port.ts';
import { CANARY } from '../helpers/secrets.ts';
import { syntheticDigest } from './replies.ts';
import { BOT_THREADS, channelTarget, DiscordStandin, memoryLog, snowflake, TOKEN } from './standin.ts';

/** Post-only never asks the engine anything: any use of it fails the test. */
const untouchedEngine = new Proxy({} as Engine, {
  get(_target, prop) {
    throw new Error(`a post-only adapter used engine.${String(prop)}`);
  },
});

const PUBLIC_KEY = 'a'.repeat(64);
let standin: DiscordStandin;
let adapter: DiscordAdapter;
let listens: number;
const log = memoryLog();

/** Requests that only a gateway login makes (`GET /gateway/bot`), or the stand-in's gateway saw. */
const gatewayTraffic = () => ({
  connections: standin.gatewayConnections,
  identifies: standin.identifies.length,
  discovery: standin.requests.filter((r) => r.path.startsWith('/gateway')).length,
});

beforeAll(async () => {
  standin = await new DiscordStandin().start();
  const listen = vi.spyOn(Server.prototype, 'listen');
  // a public key in the environment would turn on HTTP interactions: post-only does not read it
  adapter = createDiscordAdapter(
    { DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: standin.apiBase, DISCORD_PUBLIC_KEY: PUBLIC_KEY },
    log,
    { receive: false },
  );
  await adapter.start(untouchedEngine);
  listens = listen.mock.calls.length;
  listen.mockRestore();
});
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(async () => {
  await adapter?.stop();
  await standin?.close();
});

describe('Discord post-only adapter', () => {
  it('checks the token over REST once and never touches the gateway nor opens a port', () => {
    expect(standin.requests.filter((r) => r.path === '/applications/@me')).toMatchObject([{ status: 200 }]);
    expect(gatewayTraffic()).toEqual({ connections: 0, identifies: 0, discovery: 0 });
    expect(listens).toBe(0);
    expect(adapter.interactionsPort).toBeNull();
    expect(adapter.isConnected()).toBe(true);
    expect(log.lines.some((l) => l.message === 'connected to Discord' && l.fields.mode === 'post-only')).toBe(true);
  });

  it('posts a digest and returns its message id; opens its thread and posts in it', async () => {
    const channel = standin.addChannel('worker-news', BOT_THREADS);
    const target = channelTarget(standin, channel);
    const result = await adapter.post(target, syntheticDigest(3));
    const [posted] = standin.messagesIn(channel.id);
    expect(result).toEqual({ ok: true, messageId: posted?.id });
    const titles = posted?.body.embeds?.map((e) => e.title) ?? [];
    for (const story of ['Story 0', 'Story 1', 'Story 2']) expect(titles.some((t) => t?.endsWith(story))).toBe(true);
    expect(posted?.body.allowed_mentions).toEqual({ parse: [] });

    if (!result.ok) throw new Error('the digest was not posted');
    const thread = await adapter.openThread(target, result.messageId, 'Tech news 2026-11-26');
    expect(thread).toEqual({ ok: true, threadId: result.messageId });
    expect(standin.threads).toMatchObject([{ id: result.messageId, parentId: channel.id, kind: 'fromMessage' }]);
    const inThread = await adapter.post({ ...target, thread: result.messageId }, syntheticDigest(1));
    expect(inThread.ok).toBe(true);
    expect(standin.messagesIn(result.messageId)).toHaveLength(1);
    expect(gatewayTraffic()).toEqual({ connections: 0, identifies: 0, discovery: 0 });
  });

  it("posts a person's digest in their DMs", async () => {
    const reader = snowflake();
    const person: PostTarget = {
      key: `discord:user:${reader}`,
      kind: 'person',
      platform: 'discord',
      workspace: null,
      channel: null,
      user: reader,
    };
    const result = await adapter.post(person, syntheticDigest(1));
    const dm = [...standin.channels.values()].find((c) => c.recipient === reader);
    expect(result).toEqual({ ok: true, messageId: dm ? standin.messagesIn(dm.id)[0]?.id : 'no DM' });
  });

  it('waits out a short 429 and reports a long one as rateLimited, per process as before', async () => {
    const busy = standin.addChannel('busy');
    standin.rateLimit(`/channels/${busy.id}/messages`, 0.3);
    const waited = await adapter.post(channelTarget(standin, busy), syntheticDigest(1));
    expect(waited.ok).toBe(true);
    const statuses = (id: string) =>
      standin.requests.filter((r) => r.path === `/channels/${id}/messages`).map((r) => r.status);
    expect(statuses(busy.id)).toEqual([429, 200]);

    const slow = standin.addChannel('slow');
    standin.rateLimit(`/channels/${slow.id}/messages`, 90);
    const started = Date.now();
    const limited = await adapter.post(channelTarget(standin, slow), syntheticDigest(1));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(limited).toMatchObject({ ok: false, failure: { kind: 'rateLimited' } });
    expect(
      !limited.ok && limited.failure.kind === 'rateLimited' && limited.failure.retryAfterMs,
    ).toBeGreaterThanOrEqual(90_000);
    expect(statuses(slow.id)).toEqual([429]);
  });

  it('maps a deleted channel to gone and a missing permission to forbidden', async () => {
    const deleted = standin.addChannel('deleted');
    standin.removeChannel(deleted.id);
    expect(await adapter.post(channelTarget(standin, deleted), syntheticDigest(1))).toMatchObject({
      ok: false,
      failure: { kind: 'gone' },
    });
    const readOnly = standin.addChannel('read-only', 1n << 10n);
    expect(await adapter.post(channelTarget(standin, readOnly), syntheticDigest(1))).toMatchObject({
      ok: false,
      failure: { kind: 'forbidden' },
    });
    expect(adapter.isConnected()).toBe(true);
  });

  it('stops start at once with the usual sentence when Discord rejects the token', async () => {
    const wrong = new DiscordAdapter({
      token: CANARY.discordWrongToken,
      apiBase: standin.apiBase,
      log: memoryLog(),
      receive: false,
      loginBackoffMs: 60_000,
    });
    await expect(wrong.start(untouchedEngine)).rejects.toThrow(
      new Error(
        'Discord rejected DISCORD_TOKEN (401 Unauthorized): copy the bot token again from the Developer Portal (Bot → Reset Token)',
      ),
    );
    expect(wrong.isConnected()).toBe(false);
    expect(gatewayTraffic()).toEqual({ connections: 0, identifies: 0, discovery: 0 });
  });

  it('is connected no more once stopped', async () => {
    const other = createDiscordAdapter({ DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: standin.apiBase }, memoryLog(), {
      receive: false,
    });
    await other.start(untouchedEngine);
    expect(other.isConnected()).toBe(true);
    await other.stop();
    expect(other.isConnected()).toBe(false);
  });
});

describe('DMs without a gateway login', () => {
  it('work in HTTP interactions mode too (no client user there either)', async () => {
    const http = new DiscordAdapter({
      token: TOKEN,
      apiBase: standin.apiBase,
      log: memoryLog(),
      interactions: { publicKey: standin.publicKeyHex, port: 0, host: '127.0.0.1' },
    });
    try {
      await http.start(untouchedEngine);
      const reader = snowflake();
      const result = await http.post(
        {
          key: `discord:user:${reader}`,
          kind: 'person',
          platform: 'discord',
          workspace: null,
          channel: null,
          user: reader,
        },
        syntheticDigest(1),
      );
      expect(result.ok).toBe(true);
    } finally {
      await http.stop();
    }
  });
});

describe('Discord post-only settings', () => {
  it('refuse HTTP interactions beside post-only, and leave the environment-driven modes as they were', () => {
    expect(
      () =>
        new DiscordAdapter({
          token: TOKEN,
          log: memoryLog(),
          receive: false,
          interactions: { publicKey: PUBLIC_KEY, port: 0 },
        }),
    ).toThrow('a post-only Discord adapter receives no interactions: leave `interactions` out');
    // without the option a bad public key is refused as before
    expect(() => createDiscordAdapter({ DISCORD_TOKEN: TOKEN, DISCORD_PUBLIC_KEY: 'xyz' }, memoryLog())).toThrow(
      /^DISCORD_PUBLIC_KEY must be/,
    );
    expect(() =>
      createDiscordAdapter({ DISCORD_TOKEN: TOKEN, DISCORD_PUBLIC_KEY: 'xyz' }, memoryLog(), { receive: false }),
    ).not.toThrow();
    expect(() => createDiscordAdapter({ DISCORD_TOKEN: ' ' }, memoryLog(), { receive: false })).toThrow(
      'DISCORD_TOKEN is empty: set it to the bot token from the Discord Developer Portal',
    );
  });
});
