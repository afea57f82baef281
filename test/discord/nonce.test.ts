/**
 * Idempotent Discord posts: with an idempotency key every message of a post carries its enforced nonce, and the
 * stand-in answers a repeated nonce as Discord does (the message it made, nothing new, within its window). The
 * real discord.js clients of both adapter modes (gateway, post-only REST) against the stand-in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordAdapter, nonceOf } from '../../adapters/discord/discordBot.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { IDEMPOTENCY_KEY_MAX, type PostResult } from '../../src/engine/port.ts';
import { syntheticDigest } from './replies.ts';
import { channelTarget, DiscordStandin, memoryLog, TOKEN } from './standin.ts';

/** Posting never asks the engine anything. */
const untouchedEngine = new Proxy({} as Engine, {
  get(_target, prop) {
    throw new Error(`posting used engine.${String(prop)}`);
  },
});

/** A digest long enough to go out as several messages. */
const LONG = syntheticDigest(4, { long: true });

const clock = { ms: Date.parse('2026-12-02T09:00:00Z') };
let standin: DiscordStandin;
const adapters: DiscordAdapter[] = [];

beforeAll(async () => {
  standin = await new DiscordStandin({ now: () => clock.ms }).start();
});
afterAll(async () => {
  for (const adapter of adapters) await adapter.stop();
  await standin?.close();
});

async function started(receive: boolean): Promise<DiscordAdapter> {
  const adapter = new DiscordAdapter({ token: TOKEN, apiBase: standin.apiBase, log: memoryLog(), receive });
  adapters.push(adapter);
  await adapter.start(untouchedEngine);
  return adapter;
}

const idOf = (result: PostResult) => (result.ok ? result.messageId : `failed: ${result.failure.detail}`);

// Discord keeps an enforced nonce per author, in every channel: each mode has its own keys
describe.each([
  { mode: 'gateway', receive: true, KEY: 'AbCdEfGhIjKlMnOpQr_-' },
  { mode: 'post-only', receive: false, KEY: 'ZyXwVuTsRqPoNmLkJi-_' },
])('Discord posts with an idempotency key ($mode)', ({ receive, KEY }) => {
  let adapter: DiscordAdapter;
  beforeAll(async () => {
    adapter = await started(receive);
  });

  it('sends each message with its own enforced nonce, and a repeat with the key makes no second message', async () => {
    const channel = standin.addChannel(`nonce-${receive}`);
    const target = channelTarget(standin, channel);
    const first = await adapter.post(target, LONG, { idempotencyKey: KEY });
    const posted = standin.messagesIn(channel.id);
    expect(posted.length).toBeGreaterThan(1);
    expect(idOf(first)).toBe(posted[0]?.id);
    expect(posted.map((m) => [m.body.nonce, m.body.enforce_nonce])).toEqual(
      posted.map((_, part) => [`${KEY}.${part}`, true]),
    );
    for (const m of posted) expect(String(m.body.nonce).length).toBeLessThanOrEqual(25);

    const again = await adapter.post(target, LONG, { idempotencyKey: KEY });
    expect(idOf(again)).toBe(idOf(first));
    expect(standin.messagesIn(channel.id)).toEqual(posted);

    // another key is another post
    await adapter.post(target, LONG, { idempotencyKey: `${KEY.slice(1)}x` });
    expect(standin.messagesIn(channel.id)).toHaveLength(2 * posted.length);
  });

  it('posts again without a key, and sends no nonce', async () => {
    const channel = standin.addChannel(`plain-${receive}`);
    const target = channelTarget(standin, channel);
    await adapter.post(target, LONG);
    const once = standin.messagesIn(channel.id).length;
    await adapter.post(target, LONG);
    const posted = standin.messagesIn(channel.id);
    expect(posted).toHaveLength(2 * once);
    expect(posted.every((m) => m.body.nonce === undefined && m.body.enforce_nonce === undefined)).toBe(true);
  });

  it('declares its posts idempotent for two minutes', () => {
    expect(adapter.idempotentPostsMs).toBe(120_000);
  });
});

describe('the stand-in’s enforced nonces', () => {
  it('forgets a nonce after its window, and makes a new message for it then', async () => {
    const adapter = await started(false);
    const channel = standin.addChannel('window');
    const target = channelTarget(standin, channel);
    const first = await adapter.post(target, syntheticDigest(1), { idempotencyKey: 'window-key' });
    clock.ms += 179_000;
    expect(idOf(await adapter.post(target, syntheticDigest(1), { idempotencyKey: 'window-key' }))).toBe(idOf(first));
    clock.ms += 2_000;
    const late = await adapter.post(target, syntheticDigest(1), { idempotencyKey: 'window-key' });
    expect(idOf(late)).not.toBe(idOf(first));
    expect(standin.messagesIn(channel.id)).toHaveLength(2);
  });

  it('refuses a nonce over 25 characters, as Discord does; the longest key with a message number fits', async () => {
    const adapter = await started(false);
    const channel = standin.addChannel('long-nonce');
    const target = channelTarget(standin, channel);
    const refused = await adapter.post(target, syntheticDigest(1), { idempotencyKey: 'k'.repeat(24) });
    expect(refused.ok).toBe(false);
    expect(standin.messagesIn(channel.id)).toHaveLength(0);
    expect(String(nonceOf('k'.repeat(IDEMPOTENCY_KEY_MAX), 999).nonce)).toHaveLength(24);
  });
});
