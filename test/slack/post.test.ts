import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Block, LIMITS } from '../../adapters/slack/blocks.ts';
import type { Reply, ReplyOf } from '../../src/commands/reply.ts';
import type { PostTarget } from '../../src/engine/port.ts';
import { channelTarget, type Harness, startHarness } from './harness.ts';
import { TEAM } from './standIn.ts';

const INTERVAL = 150;
let h: Harness;

beforeAll(async () => {
  h = await startHarness('http', { postIntervalMs: INTERVAL, maxRetryWaitMs: 3000 });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.slack.calls.length = 0;
});

const channel = channelTarget;

/** The sample's digest, its stories repeated (with new keys) until it cannot fit one message. */
async function bigDigest(copies: number): Promise<ReplyOf<'digest'>> {
  await h.app.engine.handle({
    platform: 'slack',
    workspace: TEAM,
    channel: 'C0DIGEST',
    user: 'U0ADMIN',
    isManager: true,
    command: { kind: 'topics' },
  });
  const reply = (await h.app.engine.digestFor('slack:C0DIGEST')) as Reply;
  if (reply.kind !== 'digest') throw new Error('no digest');
  const { digest } = reply;
  expect(digest.stories.length).toBeGreaterThan(3);
  const stories = Array.from({ length: copies }, (_, i) =>
    digest.stories.map((s) => ({ ...s, key: `${s.key}-${i}`, title: i === 0 ? s.title : `${s.title} (${i})` })),
  ).flat();
  return {
    ...reply,
    digest: {
      ...digest,
      stories,
      sections: [{ ...digest.sections[0], topic: null, stories: stories.map((s) => s.key) }],
    },
  } as ReplyOf<'digest'>;
}

const posts = () => h.slack.callsOf('chat.postMessage');

/** A short reply to post where the test is about the platform's answer, not the content. */
const NOTICE = {
  kind: 'notice',
  tone: 'ok',
  notice: { code: 'subscribed', params: { topic: 'x' } },
  lang: 'en',
  timeZone: 'UTC',
} as Reply;

describe('posting to Slack', () => {
  it('splits a digest that does not fit into paced messages within every limit, previews off', async () => {
    const reply = await bigDigest(6);
    const result = await h.adapter.post(channel('C0DIGEST'), reply);
    expect(result.ok).toBe(true);
    const sent = posts();
    expect(sent.length).toBeGreaterThan(1);
    // the id of the first message, with its channel
    expect(result).toEqual({ ok: true, messageId: `C0DIGEST:${(sent[0]?.result as { ts: string } | undefined)?.ts}` });
    const numbers: number[] = [];
    for (const call of sent) {
      expect(call.args.channel).toBe('C0DIGEST');
      expect(call.args.unfurl_links).toBe('false');
      expect(call.args.unfurl_media).toBe('false');
      const blocks = call.args.blocks as Block[];
      expect(blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
      expect(JSON.stringify(blocks).length).toBeLessThanOrEqual(LIMITS.blockChars);
      for (const b of blocks) {
        if (b.type === 'section') expect(b.text.text.length).toBeLessThanOrEqual(3000);
        if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(150);
        if (b.type === 'context') expect(b.elements.length).toBeLessThanOrEqual(10);
        if (b.type === 'section') for (const m of b.text.text.matchAll(/^\*(\d+)\.\*/g)) numbers.push(Number(m[1]));
      }
    }
    // every story once, in order, none cut off
    expect(numbers).toEqual(Array.from({ length: reply.digest.stories.length }, (_, i) => i + 1));
    // about one message per interval on the channel
    for (let i = 1; i < sent.length; i++) {
      expect((sent[i]?.at ?? 0) - (sent[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(INTERVAL - 5);
    }
    expect(String(sent[1]?.args.text)).toMatch(/\(2\/\d\)$/);
    const logged = h.logs.filter((l) => l.msg === 'slack post' && l.destination === 'slack:C0DIGEST');
    expect(logged.at(-1)).toMatchObject({ outcome: 'ok', messages: sent.length });
  });

  it('splits again when Slack answers msg_blocks_too_long', async () => {
    const reply = await bigDigest(1);
    h.slack.script('chat.postMessage', { ok: false, error: 'msg_blocks_too_long' });
    const result = await h.adapter.post(channel('C0DIGEST'), reply);
    expect(result.ok).toBe(true);
    const [refused, ...rest] = posts();
    const total = (refused?.args.blocks as Block[] | undefined)?.length;
    expect(rest.length).toBe(2);
    expect(rest.reduce((n, c) => n + (c.args.blocks as Block[]).length, 0)).toBe(total);
  });

  it('waits for Retry-After on a rate-limited channel without holding up another channel', async () => {
    const reply = await bigDigest(1);
    const notice: Reply = {
      ...reply,
      kind: 'notice',
      tone: 'ok',
      notice: { code: 'subscribed', params: { topic: 'x' } },
    };
    h.slack.script('chat.postMessage', (call) =>
      call.args.channel === 'C0BUSY' ? { status: 429, headers: { 'retry-after': '1' } } : undefined,
    );
    const busy = h.adapter.post(channel('C0BUSY'), notice);
    await new Promise((r) => setTimeout(r, 50));
    const other = await h.adapter.post(channel('C0CALM'), notice);
    expect(other.ok).toBe(true);
    expect((await busy).ok).toBe(true);
    const [limited, calm, retried] = posts();
    expect(limited?.args.channel).toBe('C0BUSY');
    expect(calm?.args.channel).toBe('C0CALM');
    expect(retried?.args.channel).toBe('C0BUSY');
    expect((calm?.at ?? 0) - (limited?.at ?? 0)).toBeLessThan(500);
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it('reports a Retry-After longer than it waits as rateLimited', async () => {
    h.slack.script('chat.postMessage', { status: 429, headers: { 'retry-after': '30' } });
    expect(await h.adapter.post(channel('C0SLOW'), NOTICE)).toEqual({
      ok: false,
      failure: { kind: 'rateLimited', retryAfterMs: 30_000, detail: 'ratelimited' },
    });
  });

  it.each([
    ['channel_not_found', 'gone'],
    ['not_in_channel', 'gone'],
    ['is_archived', 'gone'],
    ['missing_scope', 'forbidden'],
    ['invalid_auth', 'forbidden'],
    ['msg_too_long', 'tooLarge'],
    ['internal_error', 'transient'],
  ])('maps %s to %s', async (error, kind) => {
    h.slack.script('chat.postMessage', { ok: false, error });
    const result = await h.adapter.post(channel(`C0${error}`), NOTICE);
    expect(result).toEqual({ ok: false, failure: { kind, detail: error } });
    expect(posts()).toHaveLength(1);
  });

  it('maps a 503 to transient without retrying', async () => {
    h.slack.script('chat.postMessage', { status: 503 });
    const result = await h.adapter.post(channel('C0DOWN'), NOTICE);
    expect(result).toEqual({ ok: false, failure: { kind: 'transient', detail: 'http_503' } });
    expect(posts()).toHaveLength(1);
  });

  it('sends a personal alert to the person’s DM through conversations.open', async () => {
    const target: PostTarget = {
      key: 'slack:user:U0KO',
      kind: 'person',
      platform: 'slack',
      workspace: TEAM,
      channel: null,
      user: 'U0KO',
    };
    const result = await h.adapter.post(target, NOTICE);
    expect(h.slack.callsOf('conversations.open')[0]?.args.users).toBe('U0KO');
    expect(posts()[0]?.args.channel).toBe('DU0KO');
    expect(result).toEqual({ ok: true, messageId: expect.stringMatching(/^DU0KO:1790000000\.\d+$/) });
  });
});
