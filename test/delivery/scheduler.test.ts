import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CONSOLE_TARGET, ConsoleAdapter } from '../../adapters/console/consoleBot.ts';
import { openApp, type SqliteApp } from '../../src/app.ts';
import type { Reply } from '../../src/commands/reply.ts';
import { DigestScheduler, type SchedulerOptions } from '../../src/delivery/digestScheduler.ts';
import { newDestination } from '../../src/engine/destinations.ts';
import type { PostResult, PostTarget } from '../../src/engine/port.ts';
import { SAMPLE_NEWS_PATH } from '../../src/paths.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();
const MINUTE = 60_000;

/** A database with the sample news, and a clock the test moves. */
async function world(dir: string, clock = { ms: Date.parse('2026-03-01T00:00:00Z') }) {
  const open = () => openApp({ dbPath: join(dir, 'nb.db'), configPath: null, now: () => new Date(clock.ms) });
  const app = open();
  if (app.store.articles.count() === 0) await app.ingestor.ingestPaths([SAMPLE_NEWS_PATH]);
  return { app, clock, open };
}

interface Post {
  target: PostTarget;
  reply: Reply;
  atMs: number;
}

/** A platform that records posts, answering each with what `answer` says (ok by default). */
function platform(
  clock: { ms: number },
  answer: (n: number) => PostResult = (n) => ({ ok: true, messageId: `m${n}` }),
) {
  const posts: Post[] = [];
  let n = 0;
  return {
    posts,
    post: async (target: PostTarget, reply: Reply): Promise<PostResult> => {
      const result = answer(++n);
      if (result.ok) posts.push({ target, reply, atMs: clock.ms });
      return result;
    },
  };
}

function scheduleChannel(app: SqliteApp, key: string, time: string, timeZone: string, weekdays: number[] = []): void {
  const channel = key.split(':')[1] as string;
  app.store.destinations.ensure({
    ...newDestination({ platform: key.split(':')[0] as string, workspace: 'W', channel, user: null }),
    digestTime: time,
    timeZone,
    weekdays,
  });
}

function scheduler(
  app: SqliteApp,
  clock: { ms: number },
  post: SchedulerOptions['post'],
  holder = 'test:1',
  more: Partial<SchedulerOptions> = {},
) {
  return new DigestScheduler({
    store: app.storage,
    engine: app.engine,
    post,
    defaultTimeZone: 'Asia/Seoul',
    now: () => new Date(clock.ms),
    holder,
    ...more,
  });
}

async function tickEveryMinute(s: DigestScheduler, clock: { ms: number }, fromIso: string, toIso: string) {
  for (clock.ms = Date.parse(fromIso); clock.ms <= Date.parse(toIso); clock.ms += MINUTE) await s.tick();
}

describe('the digest scheduler', () => {
  it('posts once per local day across daylight-saving changes, at the rule’s minute', async () => {
    // the schedules are set before every day simulated
    const { app, clock } = await world(tempDir(), { ms: Date.parse('2026-01-01T00:00:00Z') });
    const target = platform(clock);
    // New York jumps from 02:00 to 03:00 on 2026-03-08: 02:30 does not exist and posts at 03:00 EDT (07:00Z)
    scheduleChannel(app, 'slack:NY', '02:30', 'America/New_York');
    // Berlin falls back on 2026-10-25: 02:30 happens twice and posts at the first (00:30Z)
    scheduleChannel(app, 'slack:BER', '02:30', 'Europe/Berlin');
    scheduleChannel(app, 'slack:SEL', '09:00', 'Asia/Seoul');
    scheduleChannel(app, 'slack:LHI', '02:15', 'Australia/Lord_Howe');
    const s = scheduler(app, clock, target.post);
    await tickEveryMinute(s, clock, '2026-03-08T04:00:00Z', '2026-03-09T04:00:00Z');
    const ny = target.posts.filter((p) => p.target.key === 'slack:NY');
    expect(ny.map((p) => new Date(p.atMs).toISOString())).toEqual(['2026-03-08T07:00:00.000Z']);
    expect(target.posts.filter((p) => p.target.key === 'slack:SEL').map((p) => new Date(p.atMs).toISOString())).toEqual(
      ['2026-03-09T00:00:00.000Z'],
    );

    target.posts.length = 0;
    // Lord Howe moves half an hour forward on 2026-10-04 at 02:00: 02:15 posts at 02:30 (+11), 15:30Z on the 3rd
    await tickEveryMinute(s, clock, '2026-10-03T14:00:00Z', '2026-10-03T17:00:00Z');
    expect(target.posts.filter((p) => p.target.key === 'slack:LHI').map((p) => new Date(p.atMs).toISOString())).toEqual(
      ['2026-10-03T15:30:00.000Z'],
    );
    target.posts.length = 0;
    await tickEveryMinute(s, clock, '2026-10-24T22:00:00Z', '2026-10-25T03:00:00Z');
    expect(target.posts.filter((p) => p.target.key === 'slack:BER').map((p) => new Date(p.atMs).toISOString())).toEqual(
      ['2026-10-25T00:30:00.000Z'],
    );
    app.close();
  }, 60_000);

  it('posts a digest missed while down once when back within the grace period, and skips older ones', async () => {
    const dir = tempDir();
    const first = await world(dir);
    scheduleChannel(first.app, 'slack:C1', '09:00', 'Asia/Seoul');
    const target = platform(first.clock);
    // up until 08:59 Seoul on the 10th, then stopped
    const before = scheduler(first.app, first.clock, target.post, 'a');
    await tickEveryMinute(before, first.clock, '2026-03-09T23:50:00Z', '2026-03-09T23:59:00Z');
    // a clean stop hands the lease back (a killed process's lease lapses within 3 minutes)
    await before.release();
    first.app.close();
    expect(target.posts).toHaveLength(0);

    // back at 09:01: the 09:00 digest goes out once
    const second = await world(dir, first.clock);
    const s = scheduler(second.app, second.clock, target.post, 'b');
    await tickEveryMinute(s, second.clock, '2026-03-10T00:01:00Z', '2026-03-10T00:10:00Z');
    expect(target.posts.map((p) => new Date(p.atMs).toISOString())).toEqual(['2026-03-10T00:01:00.000Z']);

    // down from the 10th until 12:30 on the 12th: the 11th is recorded as skipped, the 12th (3.5 h late) too
    second.clock.ms = Date.parse('2026-03-12T03:30:00Z');
    await s.tick();
    expect(target.posts).toHaveLength(1);
    const recent = second.app.store.ledger.recent('slack:C1', 3);
    expect(recent.map((e) => [e.localDate, e.state, e.failure])).toEqual([
      ['2026-03-12', 'skipped', 'missed-grace'],
      ['2026-03-11', 'skipped', 'missed-grace'],
      ['2026-03-10', 'sent', null],
    ]);
    second.app.close();
  });

  it('never posts twice from two processes on one database, and the second says it waits', async () => {
    const dir = tempDir();
    const one = await world(dir);
    const two = { app: one.open(), clock: one.clock };
    scheduleChannel(one.app, 'discord:C2', '09:00', 'Asia/Seoul');
    const target = platform(one.clock);
    const a = scheduler(one.app, one.clock, target.post, 'host:1');
    const b = scheduler(two.app, two.clock, target.post, 'host:2');
    one.clock.ms = Date.parse('2026-03-10T00:00:30Z');
    const [ra, rb] = await Promise.all([a.tick(), b.tick()]);
    expect([ra.leader, rb.leader].sort()).toEqual([false, true]);
    expect(target.posts).toHaveLength(1);
    // the lease lapses (the first process hung): the other takes over, and the ledger still refuses a second post
    one.clock.ms += 4 * MINUTE;
    await b.tick();
    expect((await b.tick()).leader).toBe(true);
    expect(target.posts).toHaveLength(1);
    one.app.close();
    two.app.close();
  });

  it('takes the lease of a holder that stopped without handing it back at once, and only then', async () => {
    const dir = tempDir();
    const one = await world(dir);
    scheduleChannel(one.app, 'slack:C9', '09:00', 'Asia/Seoul');
    const target = platform(one.clock);
    one.clock.ms = Date.parse('2026-03-09T23:58:00Z');
    // killed: it never releases the lease, which runs 3 more minutes
    expect((await scheduler(one.app, one.clock, target.post, 'host:1').tick()).leader).toBe(true);
    const stopped = new Set<string>();
    const restarted = scheduler(one.app, one.clock, target.post, 'host:2', { holderStopped: (h) => stopped.has(h) });
    one.clock.ms = Date.parse('2026-03-10T00:00:02Z');
    // a holder still running (or on another host) keeps its lease: the restart waits, nothing is posted
    expect((await restarted.tick()).leader).toBe(false);
    expect(target.posts).toHaveLength(0);
    // once known to have stopped, the lease is taken at this tick and the 09:00 digest goes out once
    stopped.add('host:1');
    const report = await restarted.tick();
    expect(report).toMatchObject({ leader: true, sent: 1 });
    expect(one.app.store.leases.current('digest-scheduler')?.holder).toBe('host:2');
    expect(target.posts).toHaveLength(1);
    // and a third process on the database cannot take it from the running one, stopped or not
    const third = scheduler(one.app, one.clock, target.post, 'host:3', { holderStopped: (h) => stopped.has(h) });
    expect((await third.tick()).leader).toBe(false);
    one.app.close();
  });

  it('posts a digest after a restart when the process stopped while still putting it together', async () => {
    const dir = tempDir();
    const stopped = await world(dir);
    scheduleChannel(stopped.app, 'slack:C4', '09:00', 'Asia/Seoul');
    stopped.clock.ms = Date.parse('2026-11-27T00:00:30Z');
    const target = platform(stopped.clock);
    // the digest is being built when the process is killed: building never finishes, nothing is sent
    const building = Object.create(stopped.app.engine, { digestFor: { value: () => new Promise(() => {}) } });
    void scheduler(stopped.app, stopped.clock, target.post, 'host:1', { engine: building }).tick();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // planned, not claimed: nothing can have reached the platform
    expect(stopped.app.store.ledger.recent('slack:C4', 1)[0]).toMatchObject({ state: 'pending' });
    stopped.app.close();

    const restarted = await world(dir, stopped.clock);
    restarted.clock.ms += MINUTE;
    const s = scheduler(restarted.app, restarted.clock, target.post, 'host:2', { holderStopped: () => true });
    expect(await s.reconcile()).toBe(0);
    await s.tick();
    await s.tick();
    expect(target.posts.map((p) => p.target.key)).toEqual(['slack:C4']);
    expect(restarted.app.store.ledger.recent('slack:C4', 1)[0]).toMatchObject({ state: 'sent', attempts: 1 });
    restarted.app.close();
  });

  it('does not post again after a crash between sending and recording, and counts nothing delivered', async () => {
    const dir = tempDir();
    const crashed = await world(dir);
    scheduleChannel(crashed.app, 'slack:C3', '09:00', 'Asia/Seoul');
    crashed.clock.ms = Date.parse('2026-11-27T00:00:30Z');
    // The 09:00 digest was planned and claimed, the platform took the post, and the process was killed before it
    // recorded that: the entry is left `sending`, as a kill leaves it.
    const target = platform(crashed.clock);
    const { store } = crashed.app;
    const planned = store.ledger.plan({
      destination: 'slack:C3',
      slot: 'digest:2026-11-27',
      kind: 'digest',
      localDate: '2026-11-27',
      dueAt: '2026-11-27T00:00:00.000Z',
      state: 'pending',
    });
    expect(store.ledger.claim(planned.entry.id, ['pending'])).toBe(true);
    crashed.app.close();

    const restarted = await world(dir, crashed.clock);
    restarted.clock.ms += MINUTE;
    const s = scheduler(restarted.app, restarted.clock, target.post);
    expect(await s.reconcile()).toBe(1);
    await s.tick();
    await s.tick();
    expect(target.posts).toHaveLength(0);
    expect(restarted.app.store.ledger.recent('slack:C3', 1)[0]).toMatchObject({
      state: 'failed',
      failure: 'interrupted',
      nextAttemptAt: null,
    });
    // nothing was counted delivered: the next digest still has the day's stories
    const next = await restarted.app.engine.digestFor('slack:C3');
    expect(next?.kind === 'digest' && next.digest.stories.length).toBeGreaterThan(0);
    restarted.app.close();
  });

  it('counts stories delivered only once posted: a failed post leaves them for the next digest', async () => {
    const { app, clock } = await world(tempDir());
    scheduleChannel(app, 'slack:C4', '09:00', 'Asia/Seoul');
    clock.ms = Date.parse('2026-11-26T15:00:30Z');
    let fail = true;
    const target = platform(clock, (n) =>
      fail ? { ok: false, failure: { kind: 'transient', detail: 'HTTP 502' } } : { ok: true, messageId: `m${n}` },
    );
    // 09:00 Seoul on the 27th is 00:00Z
    clock.ms = Date.parse('2026-11-27T00:00:30Z');
    const s = scheduler(app, clock, target.post);
    await s.tick();
    expect(app.store.ledger.recent('slack:C4', 1)[0]).toMatchObject({
      state: 'failed',
      failure: 'transient',
      attempts: 1,
    });
    expect(app.store.destinations.get('slack:C4')?.lastDigestAt).toBeNull();
    // retried after its backoff (1 minute), this time it goes through, with the stories of the failed attempt
    fail = false;
    clock.ms += 30_000;
    await s.tick();
    expect(target.posts).toHaveLength(0);
    clock.ms += 60_000;
    await s.tick();
    expect(target.posts).toHaveLength(1);
    const posted = target.posts[0]?.reply;
    expect(posted?.kind === 'digest' && posted.digest.stories.length).toBeGreaterThan(0);
    expect(app.store.ledger.recent('slack:C4', 1)[0]).toMatchObject({ state: 'sent', messageId: 'm2', attempts: 2 });
    expect(app.store.destinations.get('slack:C4')?.lastDigestAt).toBe(new Date(clock.ms).toISOString());
    app.close();
  });

  it('waits out a short rate limit, and pauses a channel that is gone without retrying it', async () => {
    const { app, clock } = await world(tempDir());
    scheduleChannel(app, 'slack:C5', '09:00', 'Asia/Seoul');
    scheduleChannel(app, 'slack:GONE', '09:00', 'Asia/Seoul');
    const attempts: string[] = [];
    let limited = true;
    const target = platform(clock);
    const post = async (t: PostTarget, r: Reply): Promise<PostResult> => {
      attempts.push(t.key);
      if (t.key === 'slack:GONE') return { ok: false, failure: { kind: 'gone', detail: 'channel_not_found' } };
      if (limited) {
        limited = false;
        return { ok: false, failure: { kind: 'rateLimited', retryAfterMs: 1000, detail: '429' } };
      }
      return target.post(t, r);
    };
    const s = scheduler(app, clock, post);
    clock.ms = Date.parse('2026-11-27T00:00:30Z');
    const started = Date.now();
    await s.tick();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(target.posts.map((p) => p.target.key)).toEqual(['slack:C5']);
    expect(app.store.destinations.get('slack:GONE')?.pausedReason).toBe('gone: channel_not_found');
    for (let i = 0; i < 5; i++) {
      clock.ms += 24 * 60 * MINUTE;
      await s.tick();
    }
    expect(attempts.filter((k) => k === 'slack:GONE')).toHaveLength(1);
    app.close();
  });

  it('builds every due digest of a batch before it sends any', async () => {
    const { app, clock } = await world(tempDir());
    // more channels than posts may be under way at once (4)
    const channels = ['slack:B1', 'slack:B2', 'slack:B3', 'slack:B4', 'slack:B5', 'slack:B6'];
    for (const c of channels) scheduleChannel(app, c, '09:00', 'Asia/Seoul');
    clock.ms = Date.parse('2026-11-27T00:00:30Z');
    let builds = 0;
    const counting = Object.create(app.engine, {
      digestFor: {
        value: (key: string) => {
          builds++;
          return app.engine.digestFor(key);
        },
      },
    });
    const buildsAtPost: number[] = [];
    const target = platform(clock);
    const post: SchedulerOptions['post'] = (t, reply) => {
      buildsAtPost.push(builds);
      return target.post(t, reply);
    };
    const s = scheduler(app, clock, post, 'test:1', { engine: counting });
    await s.tick();
    expect(target.posts).toHaveLength(6);
    expect(buildsAtPost).toEqual([6, 6, 6, 6, 6, 6]);
    app.close();
  });

  it('delivers a digest scheduled for the next minute to the console once', async () => {
    const { app, clock } = await world(tempDir(), { ms: Date.parse('2026-11-27T00:29:10Z') });
    // set at 09:29 for 09:31 Seoul
    app.store.destinations.ensure({ ...newDestination(CONSOLE_TARGET), digestTime: '09:31', timeZone: 'Asia/Seoul' });
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => {
      printed += chunk.toString('utf8');
    });
    const consoleAdapter = new ConsoleAdapter({
      input: new PassThrough(),
      output,
      interactive: false,
      readCommands: false,
      locale: 'en_US',
    });
    await consoleAdapter.start(app.engine);
    const s = scheduler(app, clock, (target, reply) =>
      target.platform === 'console' ? consoleAdapter.post(target, reply) : null,
    );
    await tickEveryMinute(s, clock, '2026-11-27T00:29:00Z', '2026-11-27T00:35:00Z');
    expect(printed.match(/오늘의 테크 뉴스/g)).toHaveLength(1);
    expect(app.store.ledger.recent('console:local', 5).map((e) => e.state)).toEqual(['sent']);
    app.close();
  });

  it('alerts a person once per new story about their topics, holds alerts in quiet hours, and keeps the daily cap', async () => {
    const { app, clock } = await world(tempDir(), { ms: Date.parse('2026-11-26T12:00:00+09:00') });
    const person = { platform: 'slack', workspace: 'T1', channel: null, user: 'U1', isManager: true } as const;
    await app.engine.handle({ ...person, text: 'subscribe nvidia' });
    const on = await app.engine.handle({ ...person, text: 'alerts on' });
    expect(on).toMatchObject({ notice: { code: 'alertsOn', params: { quietHours: '22:00-07:00', cap: 10 } } });
    const key = 'slack:user:U1';
    // the person's own digest is set for 09:00: nothing is due now but the alerts
    const dayAgo = clock.ms - 20 * 3_600_000;
    const nvidia = app.store.articles
      .listPublishedBetween(new Date(dayAgo).toISOString(), new Date(clock.ms).toISOString())
      .filter((a) => a.topics.some((t) => t.id === 'nvidia'));
    const other = app.store.articles
      .listPublishedBetween(new Date(dayAgo).toISOString(), new Date(clock.ms).toISOString())
      .filter((a) => !a.topics.some((t) => t.id === 'nvidia'));
    expect(nvidia.length).toBeGreaterThan(0);
    const target = platform(clock);
    const s = scheduler(app, clock, target.post, 'a', { alerts: { quietHours: '22:00-07:00', dailyCap: 10 } });
    s.noteNewArticles([...nvidia, ...other].map((a) => a.id));
    await s.tick();
    expect(target.posts).toHaveLength(1);
    const alert = target.posts[0]?.reply;
    if (alert?.kind !== 'alert') throw new Error(`expected an alert, got ${alert?.kind}`);
    expect(target.posts[0]?.target).toMatchObject({ kind: 'person', user: 'U1' });
    expect(alert.topics.map((t) => t.id)).toEqual(['nvidia']);
    const alerted = new Set(alert.stories.map((st) => st.articleId));
    for (const a of other) expect(alerted.has(a.id)).toBe(false);
    // the same articles again (an update, a re-fetch): no second alert for those stories
    s.noteNewArticles(nvidia.map((a) => a.id));
    clock.ms += 60_000;
    await s.tick();
    expect(target.posts).toHaveLength(1);
    expect(app.store.ledger.countSent(key, 'alert', '2026-11-26T00:00:00Z')).toBe(alert.stories.length);

    // quiet hours: held, then sent after 07:00 Seoul
    expect(app.store.destinations.get(key)?.alerts).toBe(true);
    await app.engine.handle({ ...person, text: 'subscribe samsung' });
    const samsung = app.store.articles
      .listPublishedBetween(new Date(dayAgo).toISOString(), new Date(clock.ms).toISOString())
      .filter((a) => a.topics.some((t) => t.id === 'samsung-electronics') && !alerted.has(a.id));
    expect(samsung.length).toBeGreaterThan(0);
    clock.ms = Date.parse('2026-11-26T23:30:00+09:00');
    s.noteNewArticles(samsung.map((a) => a.id));
    await s.tick();
    expect(target.posts).toHaveLength(1);
    clock.ms = Date.parse('2026-11-27T07:01:00+09:00');
    await s.tick();
    expect(target.posts.length).toBeGreaterThanOrEqual(2);
    const held = target.posts[1]?.reply;
    expect(held?.kind === 'alert' && held.topics.map((t) => t.id)).toContain('samsung-electronics');
    app.close();
  });

  it('sends no more alerts in a local day than the cap, and none to a destination that turned them off', async () => {
    const { app, clock } = await world(tempDir(), { ms: Date.parse('2026-11-26T12:00:00+09:00') });
    const person = { platform: 'discord', workspace: null, channel: null, user: 'U2', isManager: true } as const;
    await app.engine.handle({ ...person, text: 'subscribe samsung' });
    await app.engine.handle({ ...person, text: 'alerts on' });
    const recent = app.store.articles.listPublishedBetween(
      new Date(clock.ms - 20 * 3_600_000).toISOString(),
      new Date(clock.ms).toISOString(),
    );
    const target = platform(clock);
    const s = scheduler(app, clock, target.post, 'a', { alerts: { quietHours: null, dailyCap: 1 } });
    s.noteNewArticles(recent.map((a) => a.id));
    await s.tick();
    const first = target.posts[0]?.reply;
    expect(first?.kind === 'alert' && first.stories).toHaveLength(1);
    s.noteNewArticles(recent.map((a) => a.id));
    clock.ms += 60_000;
    await s.tick();
    expect(target.posts).toHaveLength(1);
    await app.engine.handle({ ...person, text: 'alerts off' });
    clock.ms = Date.parse('2026-11-27T12:00:00+09:00');
    s.noteNewArticles(recent.map((a) => a.id));
    await s.tick();
    expect(target.posts.filter((p) => p.reply.kind === 'alert')).toHaveLength(1);
    app.close();
  });

  it('keeps a destination’s own alert cap over the configured one', async () => {
    const { app, clock } = await world(tempDir(), { ms: Date.parse('2026-11-26T12:00:00+09:00') });
    const person = (user: string) =>
      ({ platform: 'discord', workspace: null, channel: null, user, isManager: true }) as const;
    for (const [user, cap] of [
      ['U3', '0'],
      ['U4', '5'],
      ['U5', 'default'],
    ] as const) {
      await app.engine.handle({ ...person(user), text: 'subscribe samsung' });
      await app.engine.handle({ ...person(user), text: 'alerts on' });
      await app.engine.handle({ ...person(user), text: `limit alerts ${cap}` });
    }
    const recent = app.store.articles.listPublishedBetween(
      new Date(clock.ms - 20 * 3_600_000).toISOString(),
      new Date(clock.ms).toISOString(),
    );
    const target = platform(clock);
    const s = scheduler(app, clock, target.post, 'a', { alerts: { quietHours: null, dailyCap: 1 } });
    s.noteNewArticles(recent.map((a) => a.id));
    await s.tick();
    const alerted = (user: string) =>
      target.posts
        .filter((p) => p.target.key === `discord:user:${user}`)
        .flatMap((p) => (p.reply.kind === 'alert' ? p.reply.stories : []));
    expect(alerted('U3')).toHaveLength(0);
    expect(alerted('U4').length).toBeGreaterThan(1);
    expect(alerted('U4').length).toBeLessThanOrEqual(5);
    expect(alerted('U5')).toHaveLength(1);
    app.close();
  });

  it('tells the channels once when a feed has been failing for hours, and once when it is back', async () => {
    const { app, clock } = await world(tempDir(), { ms: Date.parse('2026-11-26T00:00:00Z') });
    scheduleChannel(app, 'slack:C7', '09:00', 'Asia/Seoul');
    const { store } = app;
    const id = store.sources.upsert({
      key: 'https://feeds.example/down.xml',
      name: 'Down Daily',
      kind: 'feed',
      url: 'https://feeds.example/down.xml',
    });
    store.sources.upsert({
      key: 'https://feeds.example/ingested.xml',
      name: 'Not polled',
      kind: 'feed',
      url: 'https://feeds.example/ingested.xml',
    });
    const target = platform(clock);
    const s = scheduler(app, clock, target.post, 'a', {
      sourceNoticeAfterMs: 6 * 3_600_000,
      configuredFeeds: new Set(['https://feeds.example/down.xml']),
    });
    const notices = () => target.posts.filter((p) => p.reply.kind === 'notice');
    const fail = () => {
      store.sources.recordFailure(id, new Date(clock.ms).toISOString(), 'HTTP 503 from feeds.example');
      const other = store.sources.findByKey('https://feeds.example/ingested.xml');
      if (other) store.sources.recordFailure(other.id, new Date(clock.ms).toISOString(), 'HTTP 500');
    };
    // failing every half hour from 01:00Z (10:00 Seoul, after the day's digest)
    for (
      clock.ms = Date.parse('2026-11-26T01:00:00Z');
      clock.ms <= Date.parse('2026-11-26T10:00:00Z');
      clock.ms += 30 * MINUTE
    ) {
      fail();
      await s.tick();
    }
    expect(notices()).toHaveLength(1);
    const down = notices()[0];
    expect(down?.reply).toMatchObject({
      kind: 'notice',
      tone: 'error',
      notice: { code: 'sourceDown', params: { name: 'Down Daily', since: '2026-11-26 10:00 GMT+9' } },
    });
    expect(new Date(down?.atMs ?? 0).toISOString()).toBe('2026-11-26T07:00:00.000Z');
    // back: one notice that it works again, then nothing more
    store.sources.recordSuccess(id, new Date(clock.ms).toISOString());
    for (let i = 0; i < 3; i++) {
      clock.ms += 30 * MINUTE;
      await s.tick();
    }
    expect(notices().map((p) => p.reply.kind === 'notice' && p.reply.notice.code)).toEqual(['sourceDown', 'sourceUp']);
    // a new outage is a new incident
    for (let i = 0; i < 14; i++) {
      clock.ms += 30 * MINUTE;
      fail();
      await s.tick();
    }
    expect(notices().map((p) => p.reply.kind === 'notice' && p.reply.notice.code)).toEqual([
      'sourceDown',
      'sourceUp',
      'sourceDown',
    ]);
    app.close();
  });
});
