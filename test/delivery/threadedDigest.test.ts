/**
 * Threaded digests through the scheduler, on a real SQLite file: a parent message, its thread opened once, one
 * reply per story; a failure or a stop in the middle goes on where it stopped, into the same thread, and never
 * posts the parent or a reply twice.
 */
import { describe, expect, it } from 'vitest';
import { newDestination } from '../../src/engine/destinations.ts';
import {
  type Clock,
  kinds,
  MINUTE,
  recordingPlatform,
  type SchedulerApp,
  type Sent,
  sampleWorld,
  storyKeys,
  testScheduler,
} from '../helpers/scheduler.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();
/** 09:00 in Seoul on 2026-11-27. */
const DUE = Date.parse('2026-11-27T00:00:30Z');

/** The destinations are set up an hour before the digest is due. */
const world = (dir: string, clock: Clock = { ms: DUE - 60 * MINUTE }) => sampleWorld(dir, clock);

/** A channel with a 09:00 digest in threads, set up now; the clock then moves to when the digest is due. */
function threadedChannel(app: SchedulerApp, clock: Clock, channel: string, storyLimit = 4): string {
  const record = newDestination({ platform: 'slack', workspace: 'W', channel, user: null });
  app.store.destinations.ensure({ ...record, digestTime: '09:00', timeZone: 'Asia/Seoul' });
  app.store.destinations.update(record.key, { digestLayout: 'thread', storyLimit });
  clock.ms = DUE;
  return record.key;
}

describe('a threaded digest', () => {
  it('posts a parent, opens its thread once and posts one reply per story in it', async () => {
    const { app, clock } = await world(tempDir());
    const key = threadedChannel(app, clock, 'C1');
    const p = recordingPlatform();
    const report = await testScheduler(app, clock, p).tick();
    expect(report).toMatchObject({ planned: 1, sent: 1, failed: 0 });
    expect(kinds(p.sent)).toEqual(['digestParent', 'digestStory', 'digestStory', 'digestStory', 'digestStory']);
    const parent = p.sent[0] as Sent;
    expect(parent.target.thread ?? null).toBeNull();
    expect(p.threads).toEqual([{ parent: parent.messageId, name: '테크 뉴스 2026-11-27' }]);
    for (const reply of p.sent.slice(1)) expect(reply.target.thread).toBe(`thread-of-${parent.messageId}`);
    // the replies are the parent's stories, in its order, numbered of the total
    const digest = parent.reply.kind === 'digestParent' ? parent.reply.digest : null;
    expect(storyKeys(p.sent)).toEqual(digest?.stories.map((s) => s.key));
    expect(
      p.sent.slice(1).map((s) => (s.reply.kind === 'digestStory' ? `${s.reply.number}/${s.reply.total}` : '')),
    ).toEqual(['1/4', '2/4', '3/4', '4/4']);
    const entry = app.store.ledger.recent(key, 1)[0];
    expect(entry).toMatchObject({ state: 'sent', messageId: parent.messageId, attempts: 1 });
    expect(entry?.storyKeys).toEqual(storyKeys(p.sent));
    const parts = app.store.ledger.parts(entry?.id ?? -1);
    expect(parts.map((x) => x.state)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
    expect(parts[0]?.threadId).toBe(`thread-of-${parent.messageId}`);
    // delivered: tomorrow's digest brings none of them back as new
    for (const s of digest?.stories ?? []) {
      for (const a of s.articles) expect(app.store.deliveries.wasDelivered(key, a.id)).toBe(true);
    }
    // the next ticks post nothing more
    clock.ms += MINUTE;
    await testScheduler(app, clock, p).tick();
    expect(p.sent).toHaveLength(5);
    app.close();
  });

  it('keeps one message a digest for a channel that did not ask for threads', async () => {
    const { app, clock } = await world(tempDir());
    const key = threadedChannel(app, clock, 'C2');
    app.store.destinations.update(key, { digestLayout: 'single' });
    const p = recordingPlatform();
    await testScheduler(app, clock, p).tick();
    expect(kinds(p.sent)).toEqual(['digest']);
    expect(p.threads).toHaveLength(0);
    app.close();
  });

  it('goes on into the same thread after a failed reply, without posting the parent or a reply twice', async () => {
    const { app, clock } = await world(tempDir());
    const key = threadedChannel(app, clock, 'C3');
    // the third post (the second story) fails once
    const p = recordingPlatform((n) =>
      n === 3 ? { ok: false, failure: { kind: 'transient', detail: 'HTTP 502' } } : null,
    );
    const s = testScheduler(app, clock, p);
    await s.tick();
    const entry = app.store.ledger.recent(key, 1)[0];
    expect(entry).toMatchObject({ state: 'failed', failure: 'transient', attempts: 1 });
    expect(entry?.detail).toContain('1 of 4 stories posted in the thread');
    expect(app.store.ledger.parts(entry?.id ?? -1).map((x) => x.state)).toEqual([
      'sent',
      'sent',
      'planned',
      'planned',
      'planned',
    ]);
    // nothing counts delivered until the thread is complete
    expect(app.store.destinations.get(key)?.lastDigestAt).toBeNull();
    clock.ms += 2 * MINUTE;
    await s.tick();
    expect(kinds(p.sent)).toEqual(['digestParent', 'digestStory', 'digestStory', 'digestStory', 'digestStory']);
    expect(new Set(storyKeys(p.sent)).size).toBe(4);
    expect(p.threads).toHaveLength(1);
    const parentId = (p.sent[0] as Sent).messageId;
    for (const reply of p.sent.slice(1)) expect(reply.target.thread).toBe(`thread-of-${parentId}`);
    expect(app.store.ledger.recent(key, 1)[0]).toMatchObject({ state: 'sent', messageId: parentId, attempts: 2 });
    expect(app.store.destinations.get(key)?.lastDigestAt).not.toBeNull();
    app.close();
  });

  it('counts the stories in the thread delivered when it is given up half-way, and only those', async () => {
    const { app, clock } = await world(tempDir());
    const key = threadedChannel(app, clock, 'C8');
    // the channel is deleted after the parent and two stories
    const p = recordingPlatform((n) =>
      n >= 4 ? { ok: false, failure: { kind: 'gone', detail: 'channel_not_found' } } : null,
    );
    await testScheduler(app, clock, p).tick();
    const entry = app.store.ledger.recent(key, 1)[0];
    expect(entry).toMatchObject({ state: 'failed', failure: 'gone', nextAttemptAt: null });
    expect(app.store.destinations.get(key)?.pausedReason).not.toBeNull();
    const parent = (p.sent[0] as Sent).reply;
    const stories = parent.kind === 'digestParent' ? parent.digest.stories : [];
    const delivered = stories.map((s) => s.articles.every((a) => app.store.deliveries.wasDelivered(key, a.id)));
    expect(delivered).toEqual([true, true, false, false]);
    app.close();
  });

  it('finishes a thread half-posted when the process was killed, once, and posts no second parent', async () => {
    const dir = tempDir();
    const killed = await world(dir);
    const key = threadedChannel(killed.app, killed.clock, 'C4');
    // the process is killed while the platform has the third post (the second story): it never answers
    const first = recordingPlatform((n) => (n === 3 ? 'hang' : null));
    void testScheduler(killed.app, killed.clock, first).tick();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(kinds(first.sent)).toEqual(['digestParent', 'digestStory']);
    const entryId = killed.app.store.ledger.recent(key, 1)[0]?.id ?? -1;
    expect(killed.app.store.ledger.parts(entryId).map((x) => x.state)).toEqual([
      'sent',
      'sent',
      'sending',
      'planned',
      'planned',
    ]);
    const inFlight = killed.app.store.ledger.parts(entryId)[2]?.storyKey;
    killed.app.close();

    // a new process on the same file takes over from the stopped one
    const restarted = await world(dir, killed.clock);
    restarted.clock.ms += MINUTE;
    const second = recordingPlatform();
    const report = await testScheduler(restarted.app, restarted.clock, second, {
      holder: 'host:2',
      holderStopped: () => true,
    }).tick();
    expect(report.sent).toBe(1);
    // the story in flight at the kill may have reached the channel: it is not sent again; the two after it are
    expect(kinds(second.sent)).toEqual(['digestStory', 'digestStory']);
    expect(storyKeys(second.sent)).not.toContain(inFlight);
    expect(second.threads).toHaveLength(0);
    const thread = `thread-of-${(first.sent[0] as Sent).messageId}`;
    for (const reply of second.sent) expect(reply.target.thread).toBe(thread);
    const all = [...storyKeys(first.sent), ...storyKeys(second.sent)];
    expect(new Set(all).size).toBe(all.length);
    expect(restarted.app.store.ledger.parts(entryId).map((x) => x.state)).toEqual([
      'sent',
      'sent',
      'interrupted',
      'sent',
      'sent',
    ]);
    const entry = restarted.app.store.ledger.get(entryId);
    expect(entry).toMatchObject({ state: 'sent', messageId: (first.sent[0] as Sent).messageId });
    // what may not have been posted does not count as delivered
    expect(entry?.storyKeys).toEqual(all);
    expect(entry?.storyKeys).not.toContain(inFlight);
    // and a later tick posts nothing more
    restarted.clock.ms += MINUTE;
    await testScheduler(restarted.app, restarted.clock, second, { holder: 'host:2' }).tick();
    expect(second.sent).toHaveLength(2);
    restarted.app.close();
  });

  it('posts a thread that was planned but not begun when the process stopped, once', async () => {
    const dir = tempDir();
    const killed = await world(dir);
    const key = threadedChannel(killed.app, killed.clock, 'C7');
    // claimed and its parts planned, then killed before the parent went out
    const { store } = killed.app;
    const { entry } = store.ledger.plan({
      destination: key,
      slot: 'digest:2026-11-27',
      kind: 'digest',
      localDate: '2026-11-27',
      dueAt: '2026-11-27T00:00:00.000Z',
      state: 'pending',
    });
    expect(store.ledger.claim(entry.id, ['pending'])).toBe(true);
    store.ledger.planParts(entry.id, [{ part: 0, storyKey: null, body: '{}' }]);
    killed.app.close();

    const restarted = await world(dir, killed.clock);
    restarted.clock.ms += MINUTE;
    const after = recordingPlatform();
    await testScheduler(restarted.app, restarted.clock, after, { holder: 'host:2', holderStopped: () => true }).tick();
    expect(kinds(after.sent)).toEqual(['digestParent', 'digestStory', 'digestStory', 'digestStory', 'digestStory']);
    expect(restarted.app.store.ledger.get(entry.id)).toMatchObject({ state: 'sent' });
    restarted.app.close();
  });

  it('posts nothing more when killed while the parent itself was being posted', async () => {
    const dir = tempDir();
    const killed = await world(dir);
    const key = threadedChannel(killed.app, killed.clock, 'C5');
    void testScheduler(
      killed.app,
      killed.clock,
      recordingPlatform(() => 'hang'),
    ).tick();
    await new Promise((resolve) => setTimeout(resolve, 100));
    killed.app.close();

    const restarted = await world(dir, killed.clock);
    const after = recordingPlatform();
    for (let i = 0; i < 3; i++) {
      restarted.clock.ms += MINUTE;
      await testScheduler(restarted.app, restarted.clock, after, {
        holder: 'host:2',
        holderStopped: () => true,
      }).tick();
    }
    // a second parent would be the worse mistake: the digest is recorded as interrupted instead
    expect(after.sent).toHaveLength(0);
    expect(restarted.app.store.ledger.recent(key, 1)[0]).toMatchObject({ state: 'failed', failure: 'interrupted' });
    restarted.app.close();
  });

  it('pauses the channel when the thread cannot be opened for a missing permission, and says why', async () => {
    const { app, clock } = await world(tempDir());
    const key = threadedChannel(app, clock, 'C6');
    const p = recordingPlatform();
    const s = testScheduler(app, clock, p, {
      openThread: async () => ({ ok: false, failure: { kind: 'forbidden', detail: 'Missing Permissions' } }),
    });
    await s.tick();
    expect(kinds(p.sent)).toEqual(['digestParent']);
    const entry = app.store.ledger.recent(key, 1)[0];
    expect(entry).toMatchObject({ state: 'failed', failure: 'forbidden' });
    expect(entry?.detail).toContain('its thread not opened');
    expect(app.store.destinations.get(key)?.pausedReason).not.toBeNull();
    app.close();
  });
});
