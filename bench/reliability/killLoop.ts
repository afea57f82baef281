/**
 * kill -9 at random points, two loops of the real `newsbrief start` in a child process (issue 16, "Process"):
 *
 * - during ingest: the service polls feeds served by an HTTP server on 127.0.0.1 (synthetic Korean and English
 *   news, new items every run) while console commands subscribe and reschedule; it is SIGKILLed at a random
 *   point after start-up. Just before the kill, the committed rows (articles, subscriptions and saved searches,
 *   destinations with a schedule, ledger entries) are read from a connection of our own; after the restart,
 *   `PRAGMA integrity_check` must say ok and every one of those rows must still be there.
 * - during digest posting: before each run, a batch of Slack channels is scheduled (set the day before, due
 *   minutes ago: digests missed while the bot was down, within the grace period), so the restarted service posts
 *   them at once through its real Slack adapter to the Slack stand-in, which records every message; it is
 *   SIGKILLed at a random point after the first of them arrives. After the last restart has posted everything
 *   left: no channel got one day's digest twice (counted from the stand-in's messages and from the ledger), every
 *   ledger entry agrees with what the stand-in got (sent: exactly that message; interrupted: at most one; other
 *   failures and skips: none), and nothing committed was lost. With `--layout thread` the channels take their
 *   digests in threads: a parent and a reply per story, so kills land between the replies of a thread; then no
 *   thread got a reply twice or a second parent, every reply is in its parent's thread, and every thread the
 *   ledger calls sent holds exactly its sent replies (a reply in flight at a kill: at most once).
 *
 * Not part of `npm test` or `npm run bench` (a few minutes of wall time):
 *
 *   node bin/run-ts.js bench/reliability/killLoop.ts [--runs 20] [--only ingest|digest] [--layout single|thread]
 *     [--channels 40] [--seed 16] [--json]
 */

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp } from '../../src/app.ts';
import { newDestination } from '../../src/engine/destinations.ts';
import { APP_TOKEN, BOT_TOKEN, SlackStandIn, TEAM } from '../../standins/slack.ts';
import type { DigestLayout } from '../../storage/repositories.ts';
import { openSqliteStore } from '../../storage/sqlite/index.ts';
import { ArgsError, parseArgs, positiveInt } from '../lib/args.ts';
import { describeMachine, machineInfo } from '../lib/machine.ts';
import { progress } from '../lib/progress.ts';
import { spread } from '../lib/stats.ts';
import { formatNumber, renderTables, type Section, VALUE_HEADER, valueRow } from '../lib/table.ts';
import { rssFeed } from '../synthetic/feedXml.ts';
import { SyntheticCorpus } from '../synthetic/generate.ts';
import { Rng } from '../synthetic/random.ts';
import {
  type Committed,
  committedRows,
  integrityCheck,
  KINDS,
  ledgerRows,
  lostRows,
  type RowKind,
  type ServiceChild,
  sleep,
  startService,
} from './killParts.ts';

const START_TIMEOUT_MS = 90_000;
const FEEDS = 8;
const ITEMS_PER_FEED = 40;
/** Kills land within this long after the service says it runs. */
const INGEST_KILL_WINDOW_MS = 5_000;
const TOPICS = ['nvidia', 'samsung-electronics', 'sk-hynix', 'openai', 'hbm', 'ai-chips', 'google', 'meta'];

export interface LoopFigures {
  loop: 'ingest' | 'digest';
  /** The digest loop's layout: one message a digest, or threads. */
  layout?: DigestLayout;
  runs: number;
  kills: number;
  /** ms from spawn to SIGKILL, one per kill. */
  killPointsMs: number[];
  /** Restarts after a kill that came up and ran (the last one also stopped cleanly on SIGTERM). */
  restarts: number;
  restartFailures: number;
  integrityFailures: number;
  lost: Record<RowKind, number>;
  /** Rows committed before the kills, summed over the kills (what could have been lost). */
  checked: Record<RowKind, number>;
  /** Kills that landed while the thing under test was under way (fetches, or posts still to come). */
  killsMidway: number;
  /** The loop's own figures. */
  extra: Record<string, number>;
  seconds: number;
}

function emptyCounts(): Record<RowKind, number> {
  return { articles: 0, subscriptions: 0, schedules: 0, ledger: 0 };
}

/** After a restart: the file is intact and nothing committed before the kill is gone. */
function checkAfterRestart(dbPath: string, before: Committed, figures: LoopFigures): void {
  const check = integrityCheck(dbPath);
  if (check !== 'ok') {
    figures.integrityFailures++;
    progress(`  integrity_check: ${check}`);
  }
  const lost = lostRows(before, committedRows(dbPath));
  for (const kind of KINDS) {
    figures.lost[kind] += lost[kind];
    figures.checked[kind] += before[kind].size;
    if (lost[kind] > 0) progress(`  LOST ${lost[kind]} ${kind}`);
  }
}

async function stopCleanly(service: ServiceChild, figures: LoopFigures): Promise<void> {
  service.child.kill('SIGTERM');
  const { code } = await service.exited;
  if (code !== 0) {
    figures.restartFailures++;
    progress(`  the last restart did not stop cleanly: exit ${code}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// kill -9 during ingest

/** Feeds on 127.0.0.1 whose items move on every run (`generation`), so each start has new articles to store. */
async function feedServer(
  corpus: SyntheticCorpus,
): Promise<{ server: Server; url: (f: number) => string; next(): void }> {
  let generation = 0;
  const server = createServer((req, res) => {
    const f = Number(/^\/feed-(\d+)\.xml$/.exec(req.url ?? '')?.[1]);
    if (!Number.isInteger(f) || f >= FEEDS) return void res.writeHead(404).end();
    const first = ((generation * FEEDS + f) * ITEMS_PER_FEED) % corpus.size;
    const items = [...corpus.articles(first, first + ITEMS_PER_FEED)];
    const lang = items[0]?.article.lang ?? 'en';
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', 'cache-control': 'max-age=1' });
    res.end(rssFeed(`Loopback wire ${f}`, `http://127.0.0.1/${f}`, lang, items));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: (f) => `http://127.0.0.1:${port}/feed-${f}.xml`,
    next: () => {
      generation++;
    },
  };
}

function newFigures(loop: LoopFigures['loop'], runs: number, extra: LoopFigures['extra']): LoopFigures {
  return {
    loop,
    runs,
    kills: 0,
    killPointsMs: [],
    restarts: 0,
    restartFailures: 0,
    integrityFailures: 0,
    lost: emptyCounts(),
    checked: emptyCounts(),
    killsMidway: 0,
    extra,
    seconds: 0,
  };
}

async function ingestLoop(dir: string, runs: number, rng: Rng): Promise<LoopFigures> {
  const started = performance.now();
  const figures = newFigures('ingest', runs, { articlesAtLastKill: 0, fetchesCompletedBeforeKills: 0 });
  const corpus = new SyntheticCorpus({ seed: 16, size: (runs + 2) * FEEDS * ITEMS_PER_FEED });
  const feeds = await feedServer(corpus);
  const dbPath = join(dir, 'ingest.db');
  const configPath = join(dir, 'ingest.yaml');
  writeFileSync(
    configPath,
    [
      `database: ${JSON.stringify(dbPath)}`,
      'lang: en',
      'timeZone: Asia/Seoul',
      'fetch:',
      '  allowAddresses: [127.0.0.1]',
      '  minIntervalSeconds: 1',
      '  noticeAfterHours: 0',
      'feeds:',
      ...Array.from({ length: FEEDS }, (_, f) => `  - url: ${feeds.url(f)}\n    name: Loopback wire ${f}`),
    ].join('\n'),
  );
  // A database in use: channels with schedules, subscriptions and ledger entries from before.
  const app = openApp({ dbPath, configPath });
  for (let i = 0; i < 20; i++) {
    const key = newDestination({ platform: 'slack', workspace: TEAM, channel: `CSEED${i}`, user: null }).key;
    app.store.destinations.ensure(
      newDestination({ platform: 'slack', workspace: TEAM, channel: `CSEED${i}`, user: null }),
    );
    app.store.destinations.update(key, { digestTime: '03:17', timeZone: 'Pacific/Kiritimati', enabled: false });
    app.store.subscriptions.add(key, TOPICS[i % TOPICS.length] as string);
    const { entry } = app.store.ledger.plan({
      destination: key,
      slot: 'digest:2026-11-30',
      kind: 'digest',
      localDate: '2026-11-30',
      dueAt: '2026-11-29T13:17:00.000Z',
      state: 'pending',
    });
    app.store.ledger.claim(entry.id, ['pending']);
    app.store.ledger.markSent(entry.id, { messageId: `seed-${i}`, contentHash: '', storyKeys: [] });
  }
  app.close();

  let before: Committed | null = null;
  try {
    for (let run = 0; run <= runs; run++) {
      const last = run === runs;
      const service = startService(['--commands', '--db', dbPath, '--config', configPath], {});
      try {
        await service.waitForLog((l) => l.msg === 'running', START_TIMEOUT_MS, 'the service to run');
      } catch (error) {
        figures.restartFailures++;
        progress(`  start ${run + 1} failed: ${error instanceof Error ? error.message : String(error)}`);
        service.child.kill('SIGKILL');
        await service.exited;
        continue;
      }
      if (before) {
        figures.restarts++;
        checkAfterRestart(dbPath, before, figures);
      }
      // chat writes beside the ingest: a subscription, a saved search and the console's schedule
      const topic = TOPICS[run % TOPICS.length] as string;
      const minute = String(run % 60).padStart(2, '0');
      service.child.stdin?.write(
        `/news subscribe ${topic}\n/news subscribe loopback run${run} -rumour\n/news time 06:${minute} Asia/Seoul\n`,
      );
      if (last) {
        await service.waitForLog(
          (l) => l.msg === 'fetched' && typeof l.added === 'number',
          START_TIMEOUT_MS,
          'a fetch after the last restart',
        );
        await stopCleanly(service, figures);
        break;
      }
      const delay = rng.int(0, INGEST_KILL_WINDOW_MS);
      await sleep(delay);
      const fetched = service.logs.filter((l) => l.msg === 'fetched' || l.msg === 'fetch failed').length;
      before = committedRows(dbPath);
      service.child.kill('SIGKILL');
      figures.killPointsMs.push(performance.now() - service.spawnedAt);
      figures.kills++;
      await service.exited;
      if (fetched < FEEDS) figures.killsMidway++;
      figures.extra.fetchesCompletedBeforeKills = (figures.extra.fetchesCompletedBeforeKills ?? 0) + fetched;
      figures.extra.articlesAtLastKill = before.articles.size;
      progress(
        `ingest run ${run + 1}/${runs}: killed ${Math.round(figures.killPointsMs.at(-1) ?? 0)} ms after start, ` +
          `${fetched}/${FEEDS} fetches done, ${before.articles.size} articles committed`,
      );
      feeds.next();
    }
  } finally {
    await new Promise<void>((resolve) => feeds.server.close(() => resolve()));
  }
  const final = integrityCheck(dbPath);
  if (final !== 'ok') figures.integrityFailures++;
  figures.seconds = (performance.now() - started) / 1000;
  return figures;
}

// ---------------------------------------------------------------------------------------------------------------
// kill -9 during digest posting

const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/** A batch of channels scheduled the day before (so today's digest is theirs), due a few minutes ago in UTC. */
function scheduleBatch(dbPath: string, run: number, channels: number, layout: DigestLayout): string[] {
  const dayBefore = new Date(Date.now() - 86_400_000).toISOString();
  const store = openSqliteStore(dbPath, { now: () => dayBefore });
  const keys: string[] = [];
  try {
    const time = hhmm(Date.now() - 3 * 60_000);
    store.transaction(() => {
      for (let j = 0; j < channels; j++) {
        const destination = newDestination({ platform: 'slack', workspace: TEAM, channel: `C${run}X${j}`, user: null });
        store.destinations.ensure(destination);
        store.destinations.update(destination.key, {
          digestTime: time,
          timeZone: 'UTC',
          lang: 'en',
          digestLayout: layout,
        });
        store.subscriptions.add(destination.key, TOPICS[j % TOPICS.length] as string);
        keys.push(destination.key);
      }
    });
  } finally {
    store.close();
  }
  return keys;
}

interface StandInPost {
  channel: string;
  ts: string;
  text: string;
  /** A reply in a thread: its parent's ts. */
  threadTs: string | null;
}

/** The digest messages the stand-in received: a digest's first message carries its heading. */
function digestPosts(slack: SlackStandIn): StandInPost[] {
  return slack
    .callsOf('chat.postMessage')
    .filter((c) => (c.result as { ok?: boolean } | undefined)?.ok === true)
    .map((c) => ({
      channel: String(c.args.channel),
      ts: String((c.result as { ts?: string }).ts),
      text: String(c.args.text ?? ''),
      threadTs: c.args.thread_ts === undefined ? null : String(c.args.thread_ts),
    }));
}

/** A digest's first message: its heading names the day (`Tech news digest · 2026-12-02 · …`). */
const DIGEST_HEADING = /^Tech news digest · (\d{4}-\d{2}-\d{2})/;
const isHeading = (post: StandInPost) => post.threadTs === null && DIGEST_HEADING.test(post.text);
const dayOf = (post: StandInPost) => DIGEST_HEADING.exec(post.text)?.[1] ?? '';

async function digestLoop(
  dir: string,
  runs: number,
  channelsPerRun: number,
  rng: Rng,
  layout: DigestLayout,
): Promise<LoopFigures> {
  const started = performance.now();
  const figures = newFigures('digest', runs, {});
  figures.layout = layout;
  const slack = await new SlackStandIn().start();
  const dbPath = join(dir, 'digest.db');
  const configPath = join(dir, 'digest.yaml');
  writeFileSync(
    configPath,
    [`database: ${JSON.stringify(dbPath)}`, 'lang: en', 'timeZone: UTC', 'digest:', '  maxStories: 5'].join('\n'),
  );
  // News of the last day, so every digest has stories to post.
  const corpus = new SyntheticCorpus({ seed: 17, size: 240, start: new Date(Date.now() - 20 * 3_600_000), days: 0.8 });
  const feedDir = join(dir, 'digest-feeds');
  mkdirSync(feedDir);
  const items = [...corpus.articles()];
  for (let f = 0; f < 6; f++) {
    const part = items.filter((_, i) => i % 6 === f);
    writeFileSync(join(feedDir, `feed-${f}.xml`), rssFeed(`Wire ${f}`, `https://wire${f}.example/`, 'en', part));
  }
  const app = openApp({ dbPath, configPath });
  await app.ingestor.ingestPaths([feedDir]);
  app.close();

  const env = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: slack.apiUrl };
  const runChannels: string[][] = [];
  const leaseWaits = { count: 0 };
  // How long one digest post takes here, learnt as the loop goes: kills land within a run's posting time.
  let msPerPost = 50;
  let before: Committed | null = null;
  try {
    for (let run = 0; run <= runs; run++) {
      const last = run === runs;
      if (!last) runChannels.push(scheduleBatch(dbPath, run, channelsPerRun, layout));
      const postsBefore = digestPosts(slack).length;
      const service = startService(['--db', dbPath, '--config', configPath], env);
      try {
        await service.waitForLog((l) => l.msg === 'running', START_TIMEOUT_MS, 'the service to run');
      } catch (error) {
        figures.restartFailures++;
        progress(`  start ${run + 1} failed: ${error instanceof Error ? error.message : String(error)}`);
        service.child.kill('SIGKILL');
        await service.exited;
        continue;
      }
      if (before) {
        figures.restarts++;
        checkAfterRestart(dbPath, before, figures);
      }
      if (last) {
        // everything left is posted (or recorded as not), then a clean stop; a thread is a message per story, and
        // Slack takes about one message a second in a channel
        const deadline = Date.now() + START_TIMEOUT_MS * (layout === 'thread' ? 6 : 1);
        while (Date.now() < deadline) {
          const open = ledgerRows(dbPath).filter((r) => r.state === 'pending' || r.state === 'sending').length;
          if (open === 0) break;
          await sleep(200);
        }
        await sleep(500);
        if (service.logs.some((l) => /another newsbrief process/.test(String(l.msg)))) leaseWaits.count++;
        await stopCleanly(service, figures);
        break;
      }
      const mine = new Set((runChannels.at(-1) ?? []).map((key) => key.slice('slack:'.length)));
      const waitUntil = Date.now() + START_TIMEOUT_MS;
      while (
        !digestPosts(slack)
          .slice(postsBefore)
          .some((p) => mine.has(p.channel)) &&
        Date.now() < waitUntil
      ) {
        await sleep(5);
      }
      const firstPostAt = Date.now();
      await sleep(rng.int(0, Math.round(msPerPost * channelsPerRun)));
      before = committedRows(dbPath);
      service.child.kill('SIGKILL');
      figures.killPointsMs.push(performance.now() - service.spawnedAt);
      figures.kills++;
      await service.exited;
      if (service.logs.some((l) => /another newsbrief process/.test(String(l.msg)))) leaseWaits.count++;
      const got = new Set(
        digestPosts(slack)
          .filter((p) => mine.has(p.channel) && isHeading(p))
          .map((p) => p.channel),
      );
      if (got.size < mine.size) figures.killsMidway++;
      const calls = slack.callsOf('chat.postMessage').filter((c) => mine.has(String(c.args.channel)));
      if (calls.length >= 2 && got.size === mine.size) {
        msPerPost = ((calls.at(-1)?.at ?? 0) - firstPostAt) / calls.length;
      } else if (calls.length >= 2) msPerPost = Math.max(msPerPost, (Date.now() - firstPostAt) / calls.length);
      progress(
        `digest run ${run + 1}/${runs}: killed ${Math.round(figures.killPointsMs.at(-1) ?? 0)} ms after start, ` +
          `${got.size}/${mine.size} of this run's channels posted`,
      );
    }
  } finally {
    await slack.close();
  }
  if (integrityCheck(dbPath) !== 'ok') figures.integrityFailures++;

  // What the stand-in got against what the ledger says.
  const posts = digestPosts(slack);
  // by channel; a channel gets one day's digest (the day it was scheduled), so a second heading is a double post
  const headings = new Map<string, StandInPost[]>();
  for (const post of posts.filter(isHeading)) headings.set(post.channel, [...(headings.get(post.channel) ?? []), post]);
  const doubleDays = [...headings.values()].reduce(
    (n, list) => n + list.length - new Set(list.map(dayOf)).size + (new Set(list.map(dayOf)).size - 1),
    0,
  );
  const ledger = ledgerRows(dbPath).filter((r) => r.kind === 'digest');
  const byDay = new Map<string, number>();
  for (const row of ledger) {
    if (row.state === 'sent' || row.failure === 'interrupted') {
      const key = `${row.destination}|${row.localDate}`;
      byDay.set(key, (byDay.get(key) ?? 0) + 1);
    }
  }
  const scheduled = new Set(runChannels.flat());
  const rowsOf = new Map(ledger.map((r) => [r.destination, r]));
  let disagreements = 0;
  let interrupted = 0;
  let interruptedReached = 0;
  let sent = 0;
  let unposted = 0;
  for (const key of scheduled) {
    const row = rowsOf.get(key);
    const got = headings.get(key.slice('slack:'.length)) ?? [];
    if (!row) {
      // never planned: a channel whose digest the loop never let it post
      unposted++;
      if (got.length > 0) disagreements++;
      continue;
    }
    if (row.state === 'sent') {
      sent++;
      // the ledger keeps the platform's id of the message: the Slack adapter's is `channel:ts`
      if (got.length !== 1 || `${got[0]?.channel}:${got[0]?.ts}` !== row.messageId) disagreements++;
    } else if (row.failure === 'interrupted') {
      interrupted++;
      if (got.length > 0) interruptedReached++;
      if (got.length > 1) disagreements++;
    } else {
      if (row.state === 'pending' || row.state === 'sending') unposted++;
      if (got.length > 0) disagreements++;
    }
  }
  const strays = [...headings.keys()].filter((channel) => !scheduled.has(`slack:${channel}`)).length;
  figures.extra = {
    channels: scheduled.size,
    digestsReceived: [...headings.values()].reduce((n, list) => n + list.length, 0),
    doublePostsStandIn: doubleDays,
    doublePostsLedger: [...byDay.values()].reduce((n, count) => n + Math.max(0, count - 1), 0),
    sent,
    interrupted,
    interruptedReached,
    disagreements: disagreements + strays,
    unposted,
    leaseWaits: leaseWaits.count,
    ...(layout === 'thread' ? threadChecks(dbPath, posts, scheduled) : {}),
  };
  figures.seconds = (performance.now() - started) / 1000;
  return figures;
}

/** A story's reply in a thread: its fallback text starts with its number (`3. Title`). */
const replyNumber = (post: StandInPost) => Number(/^(\d+)\. /.exec(post.text)?.[1] ?? Number.NaN);

/**
 * The threads the stand-in got against the ledger's parts: replies posted twice, replies outside their parent's
 * thread, and threads whose replies disagree with what the ledger says was sent.
 */
function threadChecks(dbPath: string, posts: StandInPost[], scheduled: Set<string>): Record<string, number> {
  const store = openSqliteStore(dbPath);
  try {
    const replies = posts.filter((p) => p.threadTs !== null);
    const parents = new Map(posts.filter(isHeading).map((p) => [`${p.channel}:${p.ts}`, p]));
    let doubleReplies = 0;
    let disagreements = 0;
    let repliesInFlight = 0;
    let repliesInFlightReached = 0;
    let threadsResumed = 0;
    const threads = new Map<string, StandInPost[]>();
    for (const reply of replies) {
      const parent = `${reply.channel}:${reply.threadTs}`;
      threads.set(parent, [...(threads.get(parent) ?? []), reply]);
    }
    const strays = [...threads.keys()].filter((parent) => !parents.has(parent)).length;
    for (const list of threads.values()) doubleReplies += list.length - new Set(list.map(replyNumber)).size;
    for (const key of scheduled) {
      const entry = store.ledger.recent(key, 1)[0];
      if (entry?.kind !== 'digest') continue;
      const parts = store.ledger.parts(entry.id);
      if (parts.length === 0) continue;
      const got = entry.messageId ? (threads.get(entry.messageId) ?? []) : [];
      const numbers = new Map<number, number>();
      for (const reply of got) numbers.set(replyNumber(reply), (numbers.get(replyNumber(reply)) ?? 0) + 1);
      if (parts.slice(1).some((p) => p.state === 'interrupted')) threadsResumed++;
      for (const part of parts.slice(1)) {
        const count = numbers.get(part.part) ?? 0;
        if (part.state === 'interrupted') {
          repliesInFlight++;
          if (count > 0) repliesInFlightReached++;
          if (count > 1) disagreements++;
        } else if (entry.state === 'sent' && (part.state !== 'sent' || count !== 1)) disagreements++;
      }
    }
    return {
      threads: threads.size,
      replies: replies.length,
      doubleReplies,
      strayReplies: strays,
      repliesInFlight,
      repliesInFlightReached,
      threadsResumed,
      threadDisagreements: disagreements + strays,
    };
  } finally {
    store.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------

function lostNote(f: LoopFigures): string {
  return KINDS.map((k) => `${formatNumber(f.checked[k], 0)} ${k}`).join(', ');
}

export function killLoopSection(f: LoopFigures): Section {
  const points = f.killPointsMs.length > 0 ? spread(f.killPointsMs) : null;
  const lost = KINDS.reduce((n, k) => n + f.lost[k], 0);
  const rows = [
    valueRow('runs', String(f.runs), `${formatNumber(f.seconds, 0)} s in all`),
    valueRow(
      'kills (SIGKILL)',
      String(f.kills),
      f.loop === 'ingest'
        ? `${f.killsMidway} with fetches still under way (${f.extra.fetchesCompletedBeforeKills} fetches stored before the kills)`
        : `${f.killsMidway} with this run's digests still being posted`,
    ),
    valueRow(
      'kill points (ms after start)',
      points ? `${formatNumber(points.median, 0)} median` : '-',
      points ? `min ${formatNumber(points.min, 0)}, max ${formatNumber(points.max, 0)}` : '',
    ),
    valueRow(
      'restarts',
      String(f.restarts),
      `${f.restartFailures} failed${f.loop === 'digest' ? `, ${f.extra.leaseWaits} waited for a dead process's lease` : ''}; the last stopped on SIGTERM`,
    ),
    valueRow(
      'integrity failures',
      String(f.integrityFailures),
      'PRAGMA integrity_check after every restart and at the end',
    ),
    valueRow(
      'rows lost',
      String(lost),
      `${KINDS.map((k) => `${k} ${f.lost[k]}`).join(', ')}; checked after each restart: ${lostNote(f)} committed before the kills (summed)`,
    ),
  ];
  if (f.loop === 'digest') {
    const e = f.extra;
    rows.push(
      valueRow(
        'double posts',
        String((e.doublePostsStandIn ?? 0) + (e.doublePostsLedger ?? 0)),
        `stand-in ${e.doublePostsStandIn}, ledger ${e.doublePostsLedger}: ${e.digestsReceived} digests received for ${e.channels} channels`,
      ),
      valueRow(
        'interrupted posts',
        String(e.interrupted),
        `${e.interruptedReached} of them reached the stand-in, never sent again; ${e.sent} sent and recorded`,
      ),
      valueRow(
        'ledger against the stand-in',
        `${e.disagreements} disagree`,
        `${e.unposted} channels left unposted or still pending at the end`,
      ),
    );
    if (f.layout === 'thread') {
      rows.push(
        valueRow(
          'replies posted twice',
          String(e.doubleReplies),
          `${e.replies} replies in ${e.threads} threads; ${e.strayReplies} outside their parent's thread`,
        ),
        valueRow(
          'threads finished after a kill',
          String(e.threadsResumed),
          `${e.repliesInFlight} replies in flight at a kill, ${e.repliesInFlightReached} of them reached the stand-in, none sent again`,
        ),
        valueRow(
          'thread ledger against the stand-in',
          `${e.threadDisagreements} disagree`,
          'every sent part: exactly one reply',
        ),
      );
    }
  }
  const title =
    f.loop === 'ingest'
      ? 'kill -9 during ingest'
      : `kill -9 during digest posting${f.layout === 'thread' ? ' (threaded digests)' : ''}`;
  return { title, rows };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['runs', 'only', 'channels', 'seed', 'layout'], ['json']);
  const layout = args.values.get('layout') ?? 'single';
  if (layout !== 'single' && layout !== 'thread') throw new ArgsError('--layout takes single or thread');
  const runs = positiveInt(args.values.get('runs') ?? '20', 'runs');
  const channels = positiveInt(args.values.get('channels') ?? '40', 'channels');
  const seed = positiveInt(args.values.get('seed') ?? '16', 'seed');
  const only = args.values.get('only') ?? null;
  if (only !== null && only !== 'ingest' && only !== 'digest') throw new ArgsError('--only takes ingest or digest');
  const rng = new Rng(seed);
  // other work on the machine stretches start-up and every kill point: say how busy it was
  const loadAtStart = loadavg()[0] ?? 0;
  const dir = mkdtempSync(join(tmpdir(), 'newsbrief-kill-'));
  const results: LoopFigures[] = [];
  try {
    if (only !== 'digest') {
      progress(`kill -9 during ingest: ${runs} runs`);
      results.push(await ingestLoop(dir, runs, rng));
    }
    if (only !== 'ingest') {
      progress(`kill -9 during digest posting: ${runs} runs, ${channels} channels due each, layout ${layout}`);
      results.push(await digestLoop(dir, runs, channels, rng, layout));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (args.flags.has('json')) {
    const loadAverage = [loadAtStart, loadavg()[0]];
    process.stdout.write(`${JSON.stringify({ machine: machineInfo(), loadAverage, results }, null, 2)}\n`);
  } else {
    const load = `load average ${formatNumber(loadAtStart, 1)} at start, ${formatNumber(loadavg()[0] ?? 0, 1)} at end`;
    process.stdout.write(`kill -9 loops on ${describeMachine(machineInfo())}; ${load}\n\n`);
    process.stdout.write(`${renderTables(results.map(killLoopSection), VALUE_HEADER)}\n`);
  }
  const failed = results.some(
    (f) =>
      f.integrityFailures > 0 ||
      f.restartFailures > 0 ||
      KINDS.some((k) => f.lost[k] > 0) ||
      (f.extra.doublePostsStandIn ?? 0) > 0 ||
      (f.extra.doublePostsLedger ?? 0) > 0 ||
      (f.extra.disagreements ?? 0) > 0 ||
      (f.extra.doubleReplies ?? 0) > 0 ||
      (f.extra.threadDisagreements ?? 0) > 0,
  );
  process.exitCode = failed ? 1 : 0;
}

await main();
