/**
 * HTTP interactions and Discord's 3 s: slow work is deferred in the HTTP body and finished over the webhook
 * routes, through the real adapter and the stand-in (which enforces the deadline and one answer per interaction).
 */
import { createConnection } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscordAdapter, type DiscordAdapterOptions } from '../../adapters/discord/discordBot.ts';
import type { Reply } from '../../src/commands/reply.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { messages } from '../../src/messages/catalog.ts';
import { syntheticDigest } from './replies.ts';
import { DiscordStandin, type InteractionRecord, memoryLog, P, snowflake, TOKEN, until } from './standin.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An engine whose every command takes `ms` (a language model writing the digest, say). */
function slowEngine(ms: number, reply: Reply, counter = { handle: 0 }): Engine {
  return {
    handle: async () => {
      counter.handle++;
      await sleep(ms);
      return reply;
    },
    suggestTopics: () => [],
  } as unknown as Engine;
}

async function setUp(engine: Engine, options: Partial<DiscordAdapterOptions> = {}) {
  const standin = await new DiscordStandin().start();
  cleanups.push(() => standin.close());
  const adapter = new DiscordAdapter({
    token: TOKEN,
    apiBase: standin.apiBase,
    log: memoryLog(),
    interactions: { publicKey: standin.publicKeyHex, port: 0, host: '127.0.0.1' },
    ...options,
  });
  cleanups.push(() => adapter.stop());
  await adapter.start(engine);
  standin.useHttpInteractions(`http://127.0.0.1:${adapter.interactionsPort}/discord/interactions`);
  return { standin, adapter, channel: standin.addChannel('news') };
}

const digestCommand = (standin: DiscordStandin) =>
  standin.command('newsbrief', [{ name: 'digest', type: 1, options: [] }]);

const answerOf = (record: InteractionRecord) => record.http?.json as { type: number; data?: Record<string, unknown> };
const restCallbacks = (standin: DiscordStandin, record: InteractionRecord) =>
  standin.requests.filter((r) => r.path.startsWith(`/interactions/${record.id}/`));

describe('HTTP interactions: slow work', () => {
  it('defers a 4 s command in the HTTP body within 3 s, then edits the answer in and follows up', async () => {
    const { standin, channel } = await setUp(slowEngine(4000, syntheticDigest(25)));
    const record = standin.interact({ type: 2, channel, permissions: P.ManageGuild, data: digestCommand(standin) });
    await until(() => record.http, 5000, 'the HTTP answer');
    console.info(`[http interactions] 4 s command: HTTP ${record.http?.status} (deferred) in ${record.http?.ms} ms`);
    expect(record.http?.status).toBe(200);
    // a digest asked for in chat is for the caller: deferred for them only
    expect(answerOf(record)).toEqual({ type: 5, data: { flags: 64 } });
    expect(record.http?.ms).toBeGreaterThanOrEqual(1400);
    expect(record.http?.ms).toBeLessThan(3000);
    expect(record.edits).toEqual([]);
    await until(() => record.edits.length > 0 && record.followUps.length === 2, 8000, 'the edited answer');
    const finished = Date.now() - record.dispatchedAt;
    console.info(`[http interactions] 4 s command: answer edited in after ${finished} ms`);
    expect(finished).toBeGreaterThanOrEqual(4000);
    expect(record.errors).toEqual([]);
    expect(record.callbacks).toHaveLength(1);
    expect([record.edits[0], ...record.followUps].map((m) => m?.embeds?.length)).toEqual([10, 10, 6]);
    expect(record.followUps.map((f) => f.flags)).toEqual([64, 64]);
    for (const m of [record.edits[0], ...record.followUps]) expect(m?.allowed_mentions).toEqual({ parse: [] });
    expect(restCallbacks(standin, record)).toEqual([]);
  });

  it('defers a slow page button as an update (type 6), then edits the message it is on', async () => {
    const { standin, channel } = await setUp(slowEngine(4000, syntheticDigest(1)));
    const record = standin.interact({
      type: 3,
      channel,
      data: { custom_id: 'nb:p:2:samsung', component_type: 2 },
      message: { id: snowflake(), channel_id: channel.id, content: '', flags: 64, type: 20, author: {}, embeds: [] },
    });
    await until(() => record.http, 5000, 'the HTTP answer');
    console.info(
      `[http interactions] 4 s button: HTTP ${record.http?.status} (deferred update) in ${record.http?.ms} ms`,
    );
    expect(answerOf(record)).toEqual({ type: 6 });
    expect(record.http?.ms).toBeLessThan(3000);
    await until(() => record.edits.length > 0, 8000, 'the edited message');
    expect(record.edits).toHaveLength(1);
    expect(record.edits[0]?.embeds?.map((e) => e.title)).toEqual(['NVIDIA', '1. Story 0']);
    expect(record.followUps).toEqual([]);
    expect(record.errors).toEqual([]);
  });

  it('defers for a handler that would wait too long itself, at 2.5 s, and turns its late reply into the edit', async () => {
    // the adapter would answer or defer only after 10 s, past Discord's deadline: the router defers for it
    const { standin, channel } = await setUp(slowEngine(4000, syntheticDigest(1)), { deferAfterMs: 10_000 });
    const record = standin.interact({ type: 2, channel, permissions: P.ManageGuild, data: digestCommand(standin) });
    await until(() => record.http, 5000, 'the HTTP answer');
    console.info(`[http interactions] fallback deferral: HTTP ${record.http?.status} in ${record.http?.ms} ms`);
    expect(answerOf(record)).toEqual({ type: 5, data: { flags: 64 } });
    expect(record.http?.ms).toBeGreaterThanOrEqual(2400);
    expect(record.http?.ms).toBeLessThan(3000);
    await until(() => record.edits.length > 0, 8000, 'the edited answer');
    expect(record.edits).toHaveLength(1);
    // the reply discord.js sent, as an edit: same message, the ephemeral flag left to the deferral
    expect(record.edits[0]?.embeds?.map((e) => e.title)).toEqual(['NVIDIA', '1. Story 0']);
    expect(record.edits[0]?.flags).toBeUndefined();
    expect(record.edits[0]?.allowed_mentions).toEqual({ parse: [] });
    expect(record.callbacks).toHaveLength(1);
    expect(record.errors).toEqual([]);
    expect(restCallbacks(standin, record)).toEqual([]);
  });

  it('answers a command whose engine fails with the failed notice in the HTTP body', async () => {
    const engine = {
      handle: async () => {
        throw new Error('the database is gone');
      },
      suggestTopics: () => [],
    } as unknown as Engine;
    const { standin, channel } = await setUp(engine);
    const record = standin.interact({
      type: 2,
      channel,
      locale: 'ko',
      data: standin.command('news', [{ name: 'query', type: 3, value: 'samsung' }]),
    });
    await until(() => record.http, 5000, 'the HTTP answer');
    expect(answerOf(record).type).toBe(4);
    expect(answerOf(record).data?.content).toBe(messages('ko').notice.failed({}));
    expect(answerOf(record).data?.flags).toBe(64);
    expect(record.errors).toEqual([]);
  });
});

describe('HTTP interactions: start and stop', () => {
  it('refuses a bad token at start in one sentence, after one request, and listens on nothing', async () => {
    const standin = await new DiscordStandin().start();
    cleanups.push(() => standin.close());
    const adapter = new DiscordAdapter({
      token: 'not-the-token',
      apiBase: standin.apiBase,
      log: memoryLog(),
      interactions: { publicKey: standin.publicKeyHex, port: 0, host: '127.0.0.1' },
    });
    await expect(adapter.start(slowEngine(0, syntheticDigest(1)))).rejects.toThrow(
      'Discord rejected DISCORD_TOKEN (401 Unauthorized): copy the bot token again from the Developer Portal (Bot → Reset Token)',
    );
    expect(standin.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['GET /applications/@me 401']);
    expect(adapter.interactionsPort).toBeNull();
    expect(adapter.isConnected()).toBe(false);
    expect(standin.identifies).toEqual([]);
  });

  it('names the port when it is taken', async () => {
    const first = await setUp(slowEngine(0, syntheticDigest(1)));
    const second = new DiscordAdapter({
      token: TOKEN,
      apiBase: first.standin.apiBase,
      log: memoryLog(),
      interactions: { publicKey: first.standin.publicKeyHex, port: first.adapter.interactionsPort as number },
    });
    await expect(second.start(slowEngine(0, syntheticDigest(1)))).rejects.toThrow(
      `port ${first.adapter.interactionsPort} is already in use: set DISCORD_INTERACTIONS_PORT to a free port for Discord's HTTP interactions`,
    );
  });

  it('is connected while it listens and REST takes the token; stop closes the port', async () => {
    const { adapter } = await setUp(slowEngine(0, syntheticDigest(1)));
    const port = adapter.interactionsPort as number;
    expect(adapter.isConnected()).toBe(true);
    await adapter.stop();
    expect(adapter.isConnected()).toBe(false);
    const refused = await new Promise<string>((resolve) => {
      const socket = createConnection(port, '127.0.0.1');
      socket.on('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });

  it('finishes an interaction under way when stopped, within the grace', async () => {
    const { standin, adapter, channel } = await setUp(slowEngine(600, syntheticDigest(1)));
    const record = standin.interact({ type: 2, channel, permissions: P.ManageGuild, data: digestCommand(standin) });
    await sleep(100);
    await adapter.stop();
    await until(() => record.http, 3000, 'the HTTP answer');
    expect(record.http?.status).toBe(200);
    expect(answerOf(record).type).toBe(4);
  });
});
