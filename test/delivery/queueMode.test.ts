/**
 * The scheduler in queue mode, on a real SQLite file: a tick hands due digests to the queue (`dispatch`) and posts
 * none itself; a worker's `deliverEntry` posts each once, whatever runs it twice or at once, leaves an entry a live
 * worker is posting alone, and reconciles one a killed worker left `sending`. Alerts read new articles from the
 * store when fetches run elsewhere.
 */
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../src/commands/reply.ts';
import type { SchedulerOptions } from '../../src/delivery/digestScheduler.ts';
import type { FeedItem } from '../../src/model.ts';
import type { LedgerEntry } from '../../storage/repositories.ts';
import {
  type Clock,
  kinds,
  MINUTE,
  recordingPlatform,
  type SchedulerApp,
  type Sent,
  sampleWorld,
  scheduleChannel,
  storyKeys,
  testScheduler,
} from '../helpers/scheduler.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();
/** 09:00 in Seoul on 2026-11-27. */
const DUE = Date.parse('2026-11-27T00:00:30Z');
const STALE_MS = 10 * MINUTE;

/** Channels set up an hour before their 09:00 Seoul digest; the clock then moves to when it is due. */
async function dueWorld(dir: string, channels: [string, 'single' | 'thread'][]) {
  const { app, clock } = await sampleWorld(dir, { ms: DUE - 60 * MINUTE });
  const keys = channels.map(([channel, layout]) => scheduleChannel(app, channel, '09:00', 'Asia/Seoul', layout));
  clock.ms = DUE;
  return { app, clock, keys };
}

/** A queue that keeps one job per ledger entry (pg-boss's singleton key), and every hand-over. */
function queue() {
  const jobs = new Set<number>();
  const handed: number[] = [];
  return {
    jobs,
    handed,
    dispatch: async (entry: LedgerEntry) => {
      handed.push(entry.id);
      jobs.add(entry.id);
    },
  };
}

/** The scheduler process: queue mode, and a platform that must stay untouched by digests. */
function leader(app: SchedulerApp, clock: Clock, q: ReturnType<typeof queue>, more: Partial<SchedulerOptions> = {}) {
  const platform = recordingPlatform();
  return {
    platform,
    scheduler: testScheduler(app, clock, platform, {
      holder: 'scheduler:1',
      dispatch: q.dispatch,
      staleSendingMs: STALE_MS,
      ...more,
    }),
  };
}

function worker(app: SchedulerApp, clock: Clock, platform: ReturnType<typeof recordingPlatform>, holder = 'worker:1') {
  return testScheduler(app, clock, platform, { holder, staleSendingMs: STALE_MS });
}

/** The 2026-11-27 digest of `key` planned, as a tick plans it. */
function planDigest(app: SchedulerApp, key: string): LedgerEntry {
  return app.store.ledger.plan({
    destination: key,
    slot: 'digest:2026-11-27',
    kind: 'digest',
    localDate: '2026-11-27',
    dueAt: '2026-11-27T00:00:00.000Z',
    state: 'pending',
  }).entry;
}

/** Posts that wait until `open()`; `received` counts those that reached the platform's door. */
function gatedPlatform() {
  const inner = recordingPlatform();
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  let received = 0;
  return {
    ...inner,
    received: () => received,
    open: () => open(),
    post: async (target: Parameters<typeof inner.post>[0], reply: Reply) => {
      received++;
      await gate;
      return inner.post(target, reply);
    },
  };
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error('timed out');
};
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));
const digestsOf = (sent: readonly Sent[]) =>
  sent.filter((s) => s.reply.kind === 'digest' || s.reply.kind === 'digestParent');

describe('the digest scheduler in queue mode', () => {
  it('hands every due digest to the queue and posts none itself; workers post each once', async () => {
    const { app, clock, keys } = await dueWorld(tempDir(), [
      ['C1', 'single'],
      ['C2', 'single'],
      ['C3', 'thread'],
    ]);
    const q = queue();
    const { scheduler, platform } = leader(app, clock, q);
    const report = await scheduler.tick();
    expect(report).toMatchObject({ leader: true, planned: 3, dispatched: 3, sent: 0, failed: 0 });
    expect(platform.attempts()).toBe(0);
    const entries = keys.map((key) => app.store.ledger.recent(key, 1)[0] as LedgerEntry);
    expect(entries.map((e) => e.state)).toEqual(['pending', 'pending', 'pending']);
    expect([...q.handed].sort()).toEqual(entries.map((e) => e.id).sort());
    // nothing of the thread was planned here: the worker builds it
    expect(app.store.ledger.parts((entries[2] as LedgerEntry).id)).toEqual([]);

    // not delivered yet by the next tick: handed again (the queue keeps one job each), still not posted here
    clock.ms += MINUTE;
    expect(await scheduler.tick()).toMatchObject({ planned: 0, dispatched: 3, sent: 0 });
    expect(q.jobs.size).toBe(3);
    expect(platform.attempts()).toBe(0);

    const posted = recordingPlatform();
    const w = worker(app, clock, posted);
    for (const id of q.jobs) expect(await w.deliverEntry(id)).toMatchObject({ outcome: 'attempted', sent: 1 });
    expect(digestsOf(posted.sent).map((s) => s.target.key)).toEqual(expect.arrayContaining(keys));
    expect(digestsOf(posted.sent)).toHaveLength(3);
    expect(keys.map((key) => app.store.ledger.recent(key, 1)[0]?.state)).toEqual(['sent', 'sent', 'sent']);

    q.handed.length = 0;
    clock.ms += MINUTE;
    expect(await scheduler.tick()).toMatchObject({ planned: 0, dispatched: 0 });
    expect(q.handed).toEqual([]);
    expect(platform.attempts()).toBe(0);
    app.close();
  });

  it('posts an entry once from the worker, records it sent, and does nothing when the job runs again', async () => {
    const { app, clock, keys } = await dueWorld(tempDir(), [['C1', 'single']]);
    const key = keys[0] as string;
    const q = queue();
    await leader(app, clock, q).scheduler.tick();
    const id = q.handed[0] as number;
    const p = recordingPlatform();
    const w = worker(app, clock, p);
    expect(await w.deliverEntry(id)).toEqual({
      outcome: 'attempted',
      reconciled: false,
      sent: 1,
      failed: 0,
      skipped: 0,
    });
    expect(kinds(p.sent)).toEqual(['digest']);
    expect(p.sent[0]?.target.key).toBe(key);
    const entry = app.store.ledger.get(id);
    expect(entry).toMatchObject({ state: 'sent', messageId: 'm1', attempts: 1 });
    const reply = p.sent[0]?.reply;
    if (reply?.kind !== 'digest') throw new Error(`expected a digest, got ${reply?.kind}`);
    expect(reply.digest.stories.length).toBeGreaterThan(0);
    expect(entry?.storyKeys).toEqual(reply.digest.stories.map((s) => s.key));
    for (const story of reply.digest.stories) {
      for (const article of story.articles) expect(app.store.deliveries.wasDelivered(key, article.id)).toBe(true);
    }
    // at least once: the job run again, by this worker or another
    expect(await w.deliverEntry(id)).toMatchObject({ outcome: 'finished', sent: 0 });
    expect(await worker(app, clock, p, 'worker:2').deliverEntry(id)).toMatchObject({ outcome: 'finished' });
    expect(p.attempts()).toBe(1);
    expect(await w.deliverEntry(id + 1000)).toMatchObject({ outcome: 'missing' });
    app.close();
  });

  it('posts once when two processes run the same job at once', async () => {
    const dir = tempDir();
    const { app, clock } = await dueWorld(dir, [['C1', 'single']]);
    const q = queue();
    await leader(app, clock, q).scheduler.tick();
    const id = q.handed[0] as number;
    // a second connection to the file: another process
    const other = await sampleWorld(dir, clock);
    const pa = gatedPlatform();
    const pb = gatedPlatform();
    const a = worker(app, clock, pa, 'worker:a');
    const b = worker(other.app, clock, pb, 'worker:b');
    const runs = [a.deliverEntry(id), b.deliverEntry(id)];
    await until(() => pa.received() + pb.received() > 0);
    // the other one is done before the post is answered: it lost the claim
    await settle();
    expect(pa.received() + pb.received()).toBe(1);
    pa.open();
    pb.open();
    const outcomes = await Promise.all(runs);
    expect(outcomes.map((o) => o.sent).sort()).toEqual([0, 1]);
    expect([...pa.sent, ...pb.sent]).toHaveLength(1);
    expect(app.store.ledger.get(id)).toMatchObject({ state: 'sent', attempts: 1 });
    // a job run while the post is in flight leaves it to the worker posting it
    const entry = planDigest(app, scheduleChannel(app, 'C2', '09:00', 'Asia/Seoul'));
    const pc = gatedPlatform();
    const running = worker(app, clock, pc, 'worker:c').deliverEntry(entry.id);
    await until(() => pc.received() > 0);
    expect(await b.deliverEntry(entry.id)).toMatchObject({ outcome: 'in-flight', sent: 0 });
    pc.open();
    expect(await running).toMatchObject({ outcome: 'attempted', sent: 1 });
    other.app.close();
    app.close();
  });

  it('posts a threaded digest once when its job runs twice at once: one parent, each story once', async () => {
    const { app, clock, keys } = await dueWorld(tempDir(), [['C1', 'thread']]);
    const key = keys[0] as string;
    const q = queue();
    await leader(app, clock, q).scheduler.tick();
    const id = q.handed[0] as number;
    const p = recordingPlatform(() => null, 5);
    const [one, two] = await Promise.all([
      worker(app, clock, p).deliverEntry(id),
      worker(app, clock, p).deliverEntry(id),
    ]);
    expect((one?.sent ?? 0) + (two?.sent ?? 0)).toBe(1);
    expect(kinds(p.sent)).toEqual(['digestParent', 'digestStory', 'digestStory', 'digestStory', 'digestStory']);
    expect(new Set(storyKeys(p.sent)).size).toBe(4);
    expect(p.threads).toHaveLength(1);
    expect(app.store.ledger.recent(key, 1)[0]).toMatchObject({ state: 'sent', messageId: 'm1' });
    app.close();
  });

  it('leaves an entry claimed recently to the worker posting it', async () => {
    const { app, clock, keys } = await dueWorld(tempDir(), [['C1', 'single']]);
    const entry = planDigest(app, keys[0] as string);
    expect(app.store.ledger.claim(entry.id, ['pending'])).toBe(true);
    clock.ms += STALE_MS - MINUTE;
    const p = recordingPlatform();
    expect(await worker(app, clock, p).deliverEntry(entry.id)).toEqual({
      outcome: 'in-flight',
      reconciled: false,
      sent: 0,
      failed: 0,
      skipped: 0,
    });
    expect(p.attempts()).toBe(0);
    expect(app.store.ledger.get(entry.id)).toMatchObject({ state: 'sending', attempts: 0, failure: null });
    app.close();
  });

  it('gives up a single post a killed worker left sending long ago: interrupted, never sent again', async () => {
    const { app, clock, keys } = await dueWorld(tempDir(), [['C1', 'single']]);
    const entry = planDigest(app, keys[0] as string);
    expect(app.store.ledger.claim(entry.id, ['pending'])).toBe(true);
    clock.ms += STALE_MS + MINUTE;
    const p = recordingPlatform();
    const w = worker(app, clock, p);
    expect(await w.deliverEntry(entry.id)).toMatchObject({ outcome: 'finished', reconciled: true, sent: 0 });
    expect(app.store.ledger.get(entry.id)).toMatchObject({
      state: 'failed',
      failure: 'interrupted',
      nextAttemptAt: null,
    });
    // neither the job again nor the scheduler's ticks send it
    expect(await w.deliverEntry(entry.id)).toMatchObject({ outcome: 'finished', reconciled: false });
    const q = queue();
    const { scheduler } = leader(app, clock, q);
    await scheduler.tick();
    clock.ms += MINUTE;
    await scheduler.tick();
    expect(q.handed).toEqual([]);
    expect(p.attempts()).toBe(0);
    app.close();
  });

  it('finishes in the same thread a threaded digest a killed worker left half-posted', async () => {
    const dir = tempDir();
    const killed = await dueWorld(dir, [['C1', 'thread']]);
    const key = killed.keys[0] as string;
    const q = queue();
    await leader(killed.app, killed.clock, q).scheduler.tick();
    const id = q.handed[0] as number;
    // the worker is killed while the platform has the third post (the second story)
    const first = recordingPlatform((n) => (n === 3 ? 'hang' : null));
    void worker(killed.app, killed.clock, first).deliverEntry(id);
    await until(() => killed.app.store.ledger.parts(id)[2]?.state === 'sending');
    expect(kinds(first.sent)).toEqual(['digestParent', 'digestStory']);
    const inFlight = killed.app.store.ledger.parts(id)[2]?.storyKey;
    killed.app.close();

    // the job comes back to another worker: before the job's expiry, the thread is left alone
    const { app, clock } = await sampleWorld(dir, killed.clock);
    const second = recordingPlatform();
    const w = worker(app, clock, second, 'worker:2');
    clock.ms += 2 * MINUTE;
    expect(await w.deliverEntry(id)).toMatchObject({ outcome: 'in-flight' });
    expect(second.attempts()).toBe(0);
    clock.ms += STALE_MS;
    expect(await w.deliverEntry(id)).toMatchObject({ outcome: 'attempted', reconciled: true, sent: 1 });
    // the reply in flight is not sent again, the two after it go into the same thread; no second parent
    expect(kinds(second.sent)).toEqual(['digestStory', 'digestStory']);
    expect(storyKeys(second.sent)).not.toContain(inFlight);
    expect(second.threads).toHaveLength(0);
    const thread = `thread-of-${(first.sent[0] as Sent).messageId}`;
    for (const reply of second.sent) expect(reply.target.thread).toBe(thread);
    expect(app.store.ledger.parts(id).map((part) => part.state)).toEqual([
      'sent',
      'sent',
      'interrupted',
      'sent',
      'sent',
    ]);
    const entry = app.store.ledger.get(id);
    expect(entry).toMatchObject({ state: 'sent', messageId: (first.sent[0] as Sent).messageId });
    expect(entry?.storyKeys).toEqual([...storyKeys(first.sent), ...storyKeys(second.sent)]);
    expect(app.store.ledger.recent(key, 5)).toHaveLength(1);
    app.close();
  });

  it('posts a thread a killed worker claimed but had not begun', async () => {
    const { app, clock, keys } = await dueWorld(tempDir(), [['C1', 'thread']]);
    const entry = planDigest(app, keys[0] as string);
    expect(app.store.ledger.claim(entry.id, ['pending'])).toBe(true);
    app.store.ledger.planParts(entry.id, [{ part: 0, storyKey: null, body: '{}' }]);
    clock.ms += STALE_MS + MINUTE;
    const p = recordingPlatform();
    expect(await worker(app, clock, p).deliverEntry(entry.id)).toMatchObject({
      outcome: 'attempted',
      reconciled: true,
      sent: 1,
    });
    expect(kinds(p.sent)).toEqual(['digestParent', 'digestStory', 'digestStory', 'digestStory', 'digestStory']);
    expect(app.store.ledger.get(entry.id)).toMatchObject({ state: 'sent' });
    app.close();
  });

  it('does not deliver a failed entry before its retry is due, nor to a paused channel', async () => {
    const { app, clock, keys } = await dueWorld(tempDir(), [
      ['C1', 'single'],
      ['C2', 'single'],
    ]);
    const [key, pausedKey] = keys as [string, string];
    const p = recordingPlatform((n) =>
      n === 1 ? { ok: false, failure: { kind: 'transient', detail: 'HTTP 502' } } : null,
    );
    const w = worker(app, clock, p);
    const entry = planDigest(app, key);
    expect(await w.deliverEntry(entry.id)).toMatchObject({ outcome: 'attempted', failed: 1 });
    const failed = app.store.ledger.get(entry.id);
    expect(failed).toMatchObject({ state: 'failed', failure: 'transient', attempts: 1 });
    const retryAt = Date.parse(failed?.nextAttemptAt ?? '');
    expect(retryAt).toBeGreaterThan(clock.ms);
    clock.ms = retryAt - 1_000;
    expect(await w.deliverEntry(entry.id)).toMatchObject({ outcome: 'not-due', sent: 0 });
    expect(p.attempts()).toBe(1);
    clock.ms = retryAt;
    expect(await w.deliverEntry(entry.id)).toMatchObject({ outcome: 'attempted', sent: 1 });
    expect(app.store.ledger.get(entry.id)).toMatchObject({ state: 'sent', attempts: 2 });

    const paused = planDigest(app, pausedKey);
    app.store.destinations.update(pausedKey, { pausedReason: 'gone: channel_not_found' });
    expect(await w.deliverEntry(paused.id)).toMatchObject({ outcome: 'destination-off' });
    app.store.destinations.update(pausedKey, { pausedReason: null, enabled: false });
    expect(await w.deliverEntry(paused.id)).toMatchObject({ outcome: 'destination-off' });
    expect(app.store.ledger.get(paused.id)).toMatchObject({ state: 'pending' });
    expect(p.attempts()).toBe(2);
    app.close();
  });

  it('reconciles at first lead only the sending entries no live worker can still be posting', async () => {
    const { app, clock, keys } = await dueWorld(tempDir(), [
      ['C1', 'single'],
      ['C2', 'single'],
    ]);
    const [staleKey, freshKey] = keys as [string, string];
    const stale = planDigest(app, staleKey);
    const fresh = planDigest(app, freshKey);
    expect(app.store.ledger.claim(stale.id, ['pending'])).toBe(true);
    clock.ms += STALE_MS + MINUTE;
    expect(app.store.ledger.claim(fresh.id, ['pending'])).toBe(true);
    clock.ms += MINUTE;
    const q = queue();
    const { scheduler, platform } = leader(app, clock, q);
    await scheduler.tick();
    expect(app.store.ledger.get(stale.id)).toMatchObject({ state: 'failed', failure: 'interrupted' });
    expect(app.store.ledger.get(fresh.id)).toMatchObject({ state: 'sending', failure: null });
    expect(q.handed).toEqual([]);
    expect(platform.attempts()).toBe(0);
    app.close();
  });
});

describe('alerts from the store', () => {
  const WIRE = 'https://wire.example/rss';
  const NEW_FEED = 'https://new.example/rss';

  function item(clock: Clock, id: string, title: string, content: string): FeedItem {
    const at = new Date(clock.ms).toISOString();
    return {
      id,
      title,
      link: `https://news.example/${id}`,
      published: at,
      updated: null,
      author: null,
      summary: null,
      content,
    };
  }

  async function fetched(app: SchedulerApp, feedKey: string, items: FeedItem[]): Promise<number[]> {
    const outcomes = await app.ingestor.ingestFeed(
      { format: 'rss', title: 'Wire', link: feedKey, language: 'en', items },
      feedKey,
      feedKey,
    );
    return outcomes.flatMap((o) => (o.status === 'added' && o.articleId !== undefined ? [o.articleId] : []));
  }

  const alerted = (sent: readonly Sent[]) =>
    sent.flatMap((s) => (s.reply.kind === 'alert' ? s.reply.stories.map((story) => story.articleId) : []));

  it('alerts an article stored after the first tick, not the archive, and not a new feed’s first fetch', async () => {
    const { app, clock } = await sampleWorld(tempDir(), { ms: Date.parse('2026-11-26T12:00:00+09:00') });
    const person = { platform: 'slack', workspace: 'T1', channel: null, user: 'U1', isManager: true } as const;
    await app.engine.handle({ ...person, text: 'subscribe nvidia' });
    await app.engine.handle({ ...person, text: 'alerts on' });
    const now = new Date(clock.ms).toISOString();
    // every source has fetched before: only the cursor keeps the archive out
    const wire = app.store.sources.upsert({ key: WIRE, name: 'Wire', kind: 'feed', url: WIRE });
    for (const source of app.store.sources.list()) app.store.sources.recordSuccess(source.id, now);
    const archive = app.store.articles
      .listPublishedBetween(new Date(clock.ms - 20 * 3_600_000).toISOString(), now)
      .filter((a) => a.topics.some((t) => t.id === 'nvidia'));
    expect(archive.length).toBeGreaterThan(0);

    const p = recordingPlatform();
    // the scheduler of a split deployment: digests go to the queue, alerts are posted here
    const s = testScheduler(app, clock, p, {
      newArticlesFromStore: true,
      alerts: { quietHours: null, dailyCap: 10 },
      dispatch: queue().dispatch,
    });
    await s.tick();
    expect(p.attempts()).toBe(0);

    clock.ms += MINUTE;
    const [fresh] = await fetched(app, WIRE, [
      item(clock, 'gpu', 'Nvidia unveils Rubin GPU for data centers', 'Nvidia announced its Rubin GPU today.'),
    ]);
    expect(app.store.articles.get(fresh ?? -1)?.sourceId).toBe(wire);
    clock.ms += MINUTE;
    await s.tick();
    expect(p.sent).toHaveLength(1);
    expect(p.sent[0]?.target.key).toBe('slack:user:U1');
    expect(alerted(p.sent)).toEqual([fresh]);

    // a feed's first fetch is a backlog; what it stores once it has fetched before is news
    const [backlog] = await fetched(app, NEW_FEED, [
      item(clock, 'robots', 'Nvidia shows humanoid robot platform', 'Nvidia presented Isaac robots in Tokyo.'),
    ]);
    const newFeed = app.store.sources.findByKey(NEW_FEED);
    app.store.sources.recordSuccess(newFeed?.id ?? -1, new Date(clock.ms).toISOString());
    clock.ms += MINUTE;
    await s.tick();
    expect(backlog).toBeGreaterThan(0);
    expect(p.sent).toHaveLength(1);
    clock.ms += MINUTE;
    const [later] = await fetched(app, NEW_FEED, [
      item(clock, 'cars', 'Nvidia signs self-driving deal with Hyundai', 'Hyundai will use Nvidia Drive chips.'),
    ]);
    clock.ms += MINUTE;
    await s.tick();
    expect(alerted(p.sent)).toEqual([fresh, later]);
    for (const a of archive) expect(alerted(p.sent)).not.toContain(a.id);
    app.close();
  });
});
