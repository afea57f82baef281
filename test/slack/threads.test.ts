/**
 * A threaded digest posted by the scheduler through the real Bolt client to the Slack stand-in: the channel asks
 * for threads in chat, the parent goes to the channel and every story into its thread (`thread_ts`), within
 * Slack's limits (the stand-in refuses what is over them), with article text inert; a reply that fails is posted
 * on the retry into the same thread, and nothing twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Block } from '../../adapters/slack/blocks.ts';
import { DigestScheduler, type SchedulerOptions } from '../../src/delivery/digestScheduler.ts';
import { type Harness, HOSTILE_TITLE, startHarness } from './harness.ts';
import { postSigned, slashCommand, TEAM, waitFor } from './standIn.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('http', { postIntervalMs: 20 });
});
afterAll(async () => {
  await h.close();
});

/** 09:00 in Seoul the day after the sample's last day. */
const DUE = Date.parse('2026-11-27T00:00:30Z');

async function setUp(channel: string, stories: number): Promise<void> {
  for (const text of ['time 09:00 Asia/Seoul', 'layout thread', `limit stories ${stories}`, 'language en']) {
    const reply = await h.app.engine.handle({
      platform: 'slack',
      workspace: TEAM,
      channel,
      user: 'U0ADMIN',
      isManager: true,
      text,
    });
    expect(reply.kind, text).toBe('notice');
  }
}

function scheduler(clock: { ms: number }, more: Partial<SchedulerOptions> = {}) {
  return new DigestScheduler({
    store: h.app.storage,
    engine: h.app.engine,
    post: (target, reply) => h.adapter.post(target, reply),
    openThread: (target, parent, name) => h.adapter.openThread(target, parent, name),
    defaultTimeZone: 'Asia/Seoul',
    now: () => new Date(clock.ms),
    holder: 'test:slack',
    ...more,
  });
}

const postsTo = (channel: string) => h.slack.callsOf('chat.postMessage').filter((c) => c.args.channel === channel);
const tsOf = (call: { result?: unknown }) => (call.result as { ts?: string } | undefined)?.ts;
const allText = (call: { args: Record<string, unknown> }) => JSON.stringify([call.args.text, call.args.blocks]);

describe('a threaded digest on Slack', () => {
  it('posts the parent in the channel and each story in its thread, within limits, text inert', async () => {
    await setUp('C0THREAD', 25);
    const clock = { ms: DUE };
    const report = await scheduler(clock).tick();
    expect(report).toMatchObject({ sent: 1, failed: 0 });
    const [parent, ...replies] = postsTo('C0THREAD');
    expect(parent?.args.thread_ts).toBeUndefined();
    const blocks = parent?.args.blocks as Block[];
    expect(blocks[0]).toMatchObject({ type: 'header' });
    expect(allText(parent as never)).toContain('Each story is in the thread below.');
    const entry = h.app.store.ledger.recent('slack:C0THREAD', 1)[0];
    expect(replies.length).toBe(entry?.storyKeys.length);
    expect(replies.length).toBeGreaterThan(3);
    for (const [i, reply] of replies.entries()) {
      expect(reply.result).toMatchObject({ ok: true });
      expect(reply.args.thread_ts).toBe(tsOf(parent as never));
      expect(allText(reply)).toContain(`${i + 1}/${replies.length}`);
    }
    expect(entry).toMatchObject({ state: 'sent', messageId: `C0THREAD:${tsOf(parent as never)}` });
    // the hostile headline is in the thread, and pings nobody
    const hostile = replies.filter((r) => allText(r).includes('zqxjv') || allText(r).includes('&lt;!channel&gt;'));
    expect(hostile.length).toBeGreaterThan(0);
    for (const call of [parent, ...replies]) {
      expect(allText(call as never)).not.toContain('<!channel>');
      expect(allText(call as never)).not.toContain('<@U123>');
    }
    expect(HOSTILE_TITLE).toContain('<!channel>');
  });

  it('posts a reply that failed on the retry, into the same thread, and nothing twice', async () => {
    await setUp('C0RETRY', 5);
    const clock = { ms: DUE };
    const s = scheduler(clock);
    // the parent and the first story go through, then Slack fails once
    h.slack.script(
      'chat.postMessage',
      () => undefined,
      () => undefined,
      { status: 503 },
    );
    await s.tick();
    const entry = h.app.store.ledger.recent('slack:C0RETRY', 1)[0];
    expect(entry).toMatchObject({ state: 'failed', failure: 'transient' });
    const ok = () => postsTo('C0RETRY').filter((c) => (c.result as { ok?: boolean } | undefined)?.ok === true);
    expect(ok()).toHaveLength(2);
    clock.ms += 2 * 60_000;
    await s.tick();
    const [parent, ...replies] = ok();
    expect(replies).toHaveLength(5);
    for (const reply of replies) expect(reply.args.thread_ts).toBe(tsOf(parent as never));
    expect(ok().filter((c) => c.args.thread_ts === undefined)).toHaveLength(1);
    const numbers = replies.map((r) => /(\d)\/5/.exec(allText(r))?.[1]);
    expect(numbers).toEqual(['1', '2', '3', '4', '5']);
    expect(h.app.store.ledger.recent('slack:C0RETRY', 1)[0]).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('finishes a thread whose process stopped in the middle, in the same thread, once', async () => {
    await setUp('C0KILL', 5);
    const clock = { ms: DUE };
    // the process stops while Slack has its fourth message (the third story): that post never comes back
    let n = 0;
    const stopping = scheduler(clock, {
      holder: 'test:stopped',
      holderStopped: () => true,
      post: (target, reply) => (++n === 4 ? new Promise(() => {}) : h.adapter.post(target, reply)),
    });
    void stopping.tick();
    await waitFor(() => postsTo('C0KILL').length === 3, 5000, 'three messages');
    await new Promise((resolve) => setTimeout(resolve, 50));
    // the next process on the same database takes over
    clock.ms += 60_000;
    const report = await scheduler(clock, { holder: 'test:next', holderStopped: () => true }).tick();
    expect(report).toMatchObject({ sent: 1 });
    const [parent, ...replies] = postsTo('C0KILL');
    expect(parent?.args.thread_ts).toBeUndefined();
    for (const reply of replies) expect(reply.args.thread_ts).toBe(tsOf(parent as never));
    // stories 1 and 2 before the stop, 4 and 5 after; 3 was in flight and is not sent again
    expect(replies.map((r) => /(\d)\/5/.exec(allText(r))?.[1])).toEqual(['1', '2', '4', '5']);
    const entry = h.app.store.ledger.recent('slack:C0KILL', 1)[0];
    expect(entry).toMatchObject({ state: 'sent', messageId: `C0KILL:${tsOf(parent as never)}` });
    expect(entry?.storyKeys).toHaveLength(4);
  });

  it('previews a threaded digest only to the caller as the parent and its replies, posting nothing', async () => {
    await setUp('C0PEEK', 3);
    const before = h.slack.callsOf('chat.postMessage').length;
    const responseUrl = h.slack.responseUrl();
    const endpoint = `http://127.0.0.1:${h.adapter.port}/slack/events`;
    const text = 'digest preview';
    expect(await postSigned(endpoint, slashCommand({ text, user: 'U0ADMIN', channel: 'C0PEEK', responseUrl }))).toBe(
      200,
    );
    await waitFor(() => h.slack.responsesTo(responseUrl).length >= 4, 5000, 'the preview');
    const answers = h.slack.responsesTo(responseUrl).map((r) => r.body as { response_type: string; blocks: Block[] });
    expect(answers).toHaveLength(4);
    for (const answer of answers) expect(answer.response_type).toBe('ephemeral');
    const [parent, ...stories] = answers.map((a) => JSON.stringify(a.blocks));
    expect(parent).toContain('Preview, only you see this');
    expect(parent).toContain('Each story is in the thread below.');
    expect(stories.map((s) => /(\d)\/3/.exec(s)?.[1])).toEqual(['1', '2', '3']);
    expect(h.slack.callsOf('chat.postMessage').length).toBe(before);
  });
});
