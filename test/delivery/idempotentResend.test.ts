/**
 * A Discord digest interrupted by a stop is sent again safely: the scheduler posts every digest with the idempotency
 * key of its attempt (enforced nonces), keeps the reply with the claim, and on restart posts a `sending` entry
 * begun within the adapter's window again with the same key, so the channel ends with exactly one digest whether
 * or not the cut-off post had reached Discord. Older ones stay interrupted. Real SQLite file, the real post-only
 * Discord adapter (discord.js REST) against the stand-in, whose nonce clock is the test's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordAdapter } from '../../adapters/discord/discordBot.ts';
import type { Reply } from '../../src/commands/reply.ts';
import type { SchedulerOptions } from '../../src/delivery/digestScheduler.ts';
import { newDestination } from '../../src/engine/destinations.ts';
import type { Engine } from '../../src/engine/engine.ts';
import type { PostOptions, PostResult, PostTarget } from '../../src/engine/port.ts';
import { BOT_THREADS, DiscordStandin, memoryLog, type StandinChannel, TOKEN, until } from '../discord/standin.ts';
import { type Clock, MINUTE, type SchedulerApp, sampleWorld, testScheduler } from '../helpers/scheduler.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();
/** 09:00 in Seoul on 2026-11-27. */
const DUE = Date.parse('2026-11-27T00:00:30Z');
const clock: Clock = { ms: DUE };
let standin: DiscordStandin;
let adapter: DiscordAdapter;

beforeAll(async () => {
  standin = await new DiscordStandin({ now: () => clock.ms }).start();
  adapter = new DiscordAdapter({ token: TOKEN, apiBase: standin.apiBase, log: memoryLog(), receive: false });
  await adapter.start({} as Engine);
});
afterAll(async () => {
  await adapter?.stop();
  await standin?.close();
});

/** A channel of the stand-in's server with its 09:00 Seoul digest, set an hour before; the clock at 09:00. */
async function dueChannel(dir: string): Promise<{ app: SchedulerApp; key: string; channel: StandinChannel }> {
  clock.ms = DUE - 60 * MINUTE;
  const { app } = await sampleWorld(dir, clock);
  const channel = standin.addChannel(`digest-${Math.random().toString(36).slice(2, 8)}`);
  const record = newDestination({ platform: 'discord', workspace: standin.guildId, channel: channel.id, user: null });
  app.store.destinations.ensure({ ...record, digestTime: '09:00', timeZone: 'Asia/Seoul' });
  clock.ms = DUE;
  return { app, key: record.key, channel };
}

const discord = (more: Partial<SchedulerOptions> = {}): Partial<SchedulerOptions> => ({
  idempotentPostsMs: () => adapter.idempotentPostsMs,
  ...more,
});

/**
 * The process posting the digest is killed: `reached` says whether its post got to Discord before the kill. Its
 * tick never finishes (the process is gone), and the entry is left `sending`. Resolves to the reply it posted.
 */
async function killedWhilePosting(app: SchedulerApp, reached: boolean): Promise<Reply> {
  const killed = killedPoster(reached);
  void testScheduler(app, clock, killed.platform, discord()).tick();
  return await until(killed.done, 10_000);
}

/**
 * A poster whose process is killed while it waits for the answer: with `reached`, once Discord answered every
 * message of the post (never told to the scheduler), else before anything left. `done` gives the reply then, and
 * `keys` the idempotency keys it was asked to post with.
 */
function killedPoster(reached: boolean, killedAt = 1) {
  let done: Reply | null = null;
  const keys: (string | undefined)[] = [];
  const never = new Promise<PostResult>(() => {});
  const post = async (target: PostTarget, reply: Reply, options?: PostOptions): Promise<PostResult> => {
    keys.push(options?.idempotencyKey);
    // the posts before the one the kill cuts off went out and were answered
    if (keys.length < killedAt) return adapter.post(target, reply, options);
    if (reached) await adapter.post(target, reply, options);
    done = reply;
    return never;
  };
  return { platform: { post, openThread: adapter.openThread.bind(adapter) }, done: () => done, keys };
}

/** The restarted process's scheduler, with the real adapter. */
function restarted(app: SchedulerApp, more: Partial<SchedulerOptions> = {}) {
  const post = adapter.post.bind(adapter);
  return testScheduler(
    app,
    clock,
    { post, openThread: adapter.openThread.bind(adapter) },
    {
      holder: 'host:2',
      holderStopped: () => true,
      ...discord(more),
    },
  );
}

const storiesOf = (reply: Reply) => (reply.kind === 'digest' ? reply.digest.stories.map((s) => s.key) : []);
const articlesOf = (reply: Reply) =>
  reply.kind === 'digest' ? reply.digest.stories.flatMap((s) => s.articles.map((a) => a.id)) : [];

describe('a Discord digest interrupted by a stop', () => {
  it('is sent again with the same nonces on restart: the one that had reached Discord stays the only one', async () => {
    const dir = tempDir();
    const { app, key, channel } = await dueChannel(dir);
    const reply = await killedWhilePosting(app, true);
    const posted = standin.messagesIn(channel.id);
    expect(posted.length).toBeGreaterThan(0);
    expect(posted.every((m) => m.body.enforce_nonce === true && typeof m.body.nonce === 'string')).toBe(true);
    expect(app.store.ledger.recent(key, 1)[0]).toMatchObject({ state: 'sending' });
    app.close();

    clock.ms += MINUTE;
    const again = (await sampleWorld(dir, clock)).app;
    const s = restarted(again);
    expect(await s.reconcile()).toBe(1);
    await s.tick();
    // Discord answered the repeated nonces with the messages it had: nothing new in the channel
    expect(standin.messagesIn(channel.id)).toEqual(posted);
    const entry = again.store.ledger.recent(key, 1)[0];
    expect(entry).toMatchObject({ state: 'sent', messageId: posted[0]?.id, attempts: 1 });
    // what was recorded is what was posted (the reply kept with the claim, not one built again)
    expect(entry?.storyKeys).toEqual(storiesOf(reply));
    expect(articlesOf(reply).length).toBeGreaterThan(0);
    expect(articlesOf(reply).every((id) => again.store.deliveries.wasDelivered(key, id))).toBe(true);
    again.close();
  });

  it('is sent on restart when the cut-off post never reached Discord: the channel gets its one digest', async () => {
    const dir = tempDir();
    const { app, key, channel } = await dueChannel(dir);
    const reply = await killedWhilePosting(app, false);
    expect(standin.messagesIn(channel.id)).toHaveLength(0);
    app.close();

    clock.ms += 90_000;
    const again = (await sampleWorld(dir, clock)).app;
    // meanwhile its first story went out elsewhere: a digest built again now would leave it out
    const first = reply.kind === 'digest' ? reply.digest.stories[0] : undefined;
    if (!first) throw new Error('the digest has no stories');
    for (const article of first.articles) {
      again.store.deliveries.record(key, first.key, article.id, new Date(clock.ms).toISOString());
    }
    expect(storiesOf((await again.engine.digestFor(key)) as Reply)).not.toContain(first.key);
    const s = restarted(again);
    expect(await s.reconcile()).toBe(1);
    await s.tick();
    const posted = standin.messagesIn(channel.id);
    expect(posted.length).toBeGreaterThan(0);
    expect(again.store.ledger.recent(key, 1)[0]).toMatchObject({
      state: 'sent',
      messageId: posted[0]?.id,
      storyKeys: storiesOf(reply),
    });
    // a further start finds nothing to do, and the next day's tick posts nothing again today
    expect(await restarted(again).reconcile()).toBe(0);
    await restarted(again).tick();
    expect(standin.messagesIn(channel.id)).toEqual(posted);
    again.close();
  });

  it('stays interrupted when the post began longer ago than the adapter’s window, and is not sent again', async () => {
    const dir = tempDir();
    const { app, key, channel } = await dueChannel(dir);
    await killedWhilePosting(app, true);
    const posted = standin.messagesIn(channel.id);
    app.close();

    // past the adapter's two minutes; also past the stand-in's three, so a repeat would be a second digest
    clock.ms += 4 * MINUTE;
    const again = (await sampleWorld(dir, clock)).app;
    const posts = () => standin.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages')).length;
    const before = posts();
    const s = restarted(again);
    expect(await s.reconcile()).toBe(1);
    await s.tick();
    expect(posts()).toBe(before);
    expect(standin.messagesIn(channel.id)).toEqual(posted);
    expect(again.store.ledger.recent(key, 1)[0]).toMatchObject({
      state: 'failed',
      failure: 'interrupted',
      nextAttemptAt: null,
    });
    // nothing counted delivered: the next digest still has the day's stories
    const next = await again.engine.digestFor(key);
    expect(next?.kind === 'digest' && next.digest.stories.length).toBeGreaterThan(0);
    again.close();
  });

  it('is interrupted, and not tried further, when sending it again fails', async () => {
    const dir = tempDir();
    const { app, key, channel } = await dueChannel(dir);
    await killedWhilePosting(app, false);
    app.close();
    // the channel was deleted meanwhile: Discord answers 10003
    standin.removeChannel(channel.id);

    clock.ms += MINUTE;
    const again = (await sampleWorld(dir, clock)).app;
    const s = restarted(again);
    expect(await s.reconcile()).toBe(1);
    await s.tick();
    const entry = again.store.ledger.recent(key, 1)[0];
    expect(entry).toMatchObject({ state: 'failed', failure: 'interrupted', nextAttemptAt: null });
    expect(entry?.detail).toMatch(/^the process stopped while posting; sending it again with its key failed: /);
    expect(standin.messagesIn(channel.id)).toHaveLength(0);
    again.close();
  });

  it('stays interrupted on a platform whose posts are not idempotent (Slack), as before', async () => {
    const dir = tempDir();
    const { app, key, channel } = await dueChannel(dir);
    // the same Discord channel, but the process declares no idempotent posts: no key, no reply kept
    const killed = killedPoster(true);
    void testScheduler(app, clock, killed.platform).tick();
    await until(killed.done, 10_000);
    app.close();
    expect(killed.keys).toEqual([undefined]);
    expect(standin.messagesIn(channel.id).every((m) => m.body.nonce === undefined)).toBe(true);

    clock.ms += MINUTE;
    const again = (await sampleWorld(dir, clock)).app;
    const s = restarted(again, { idempotentPostsMs: () => 0 });
    expect(await s.reconcile()).toBe(1);
    expect(again.store.ledger.recent(key, 1)[0]).toMatchObject({ state: 'failed', failure: 'interrupted' });
    again.close();
  });
});

describe('a threaded Discord digest interrupted by a stop', () => {
  it.each([
    { late: false, outcome: 'sent again with its nonce: in the thread once' },
    { late: true, outcome: 'past the window: interrupted, not sent again' },
  ])('finishes the thread, the reply in flight $outcome', async ({ late }) => {
    const dir = tempDir();
    clock.ms = DUE - 60 * MINUTE;
    const { app } = await sampleWorld(dir, clock);
    const channel = standin.addChannel(`thread-${late}`, BOT_THREADS);
    const record = newDestination({ platform: 'discord', workspace: standin.guildId, channel: channel.id, user: null });
    app.store.destinations.ensure({ ...record, digestTime: '09:00', timeZone: 'Asia/Seoul' });
    app.store.destinations.update(record.key, { digestLayout: 'thread', storyLimit: 4 });
    clock.ms = DUE;
    // killed once the second story's reply (the third post) had reached the thread
    const killed = killedPoster(true, 3);
    void testScheduler(app, clock, killed.platform, discord()).tick();
    await until(killed.done, 10_000);
    const entryId = app.store.ledger.recent(record.key, 1)[0]?.id ?? -1;
    const parts = app.store.ledger.parts(entryId);
    expect(parts.map((p) => p.state).slice(0, 3)).toEqual(['sent', 'sent', 'sending']);
    const thread = parts[0]?.threadId ?? '';
    const inThread = standin.messagesIn(thread);
    expect(inThread).toHaveLength(2);
    app.close();

    clock.ms += late ? 3 * MINUTE : MINUTE;
    const again = (await sampleWorld(dir, clock)).app;
    const s = restarted(again);
    expect(await s.reconcile()).toBe(1);
    await s.tick();
    const after = again.store.ledger.parts(entryId);
    const replies = after.length - 1;
    expect(after.map((p) => p.state)).toEqual(after.map((p) => (late && p.part === 2 ? 'interrupted' : 'sent')));
    // every story of the thread once: the reply in flight is the message its first try made, or not counted
    const posted = standin.messagesIn(thread);
    expect(posted.slice(0, 2)).toEqual(inThread);
    // late, the stand-in's window (3 min) is past too: a repeat would have been a second message
    expect(posted).toHaveLength(replies);
    expect(new Set(posted.map((m) => m.body.nonce)).size).toBe(posted.length);
    const entry = again.store.ledger.get(entryId);
    expect(entry).toMatchObject({ state: 'sent' });
    expect(entry?.storyKeys.includes(after[2]?.storyKey ?? '')).toBe(!late);
    if (!late) expect(after[2]?.messageId).toBe(inThread[1]?.id);
    again.close();
  });
});

describe('in queue mode', () => {
  it('a worker finding a Discord post a killed worker left sending sends it again, once, within the window', async () => {
    const dir = tempDir();
    const { app, key, channel } = await dueChannel(dir);
    // the killed worker claimed and posted it (queue mode: the worker's deliverEntry, not a tick)
    const killed = killedPoster(true);
    const planned = app.store.ledger.plan({
      destination: key,
      slot: 'digest:2026-11-27',
      kind: 'digest',
      localDate: '2026-11-27',
      dueAt: '2026-11-27T00:00:00.000Z',
      state: 'pending',
    });
    void testScheduler(app, clock, killed.platform, discord()).deliverEntry(planned.entry.id);
    await until(killed.done, 10_000);
    expect(killed.keys).toHaveLength(1);
    const posted = standin.messagesIn(channel.id);

    // the deliver job expires after 30 s here, and another worker takes it
    clock.ms += 31_000;
    const other = restarted(app, { staleSendingMs: 30_000, holder: 'worker:2' });
    const [first, second] = await Promise.all([
      other.deliverEntry(planned.entry.id),
      restarted(app, { staleSendingMs: 30_000, holder: 'worker:3' }).deliverEntry(planned.entry.id),
    ]);
    expect([first?.sent, second?.sent].sort()).toEqual([0, 1]);
    expect(standin.messagesIn(channel.id)).toEqual(posted);
    expect(app.store.ledger.get(planned.entry.id)).toMatchObject({ state: 'sent', messageId: posted[0]?.id });
    app.close();
  });
});
