/**
 * `npm run bench:workers`: deliver and fetch throughput of the roles apart on PostgreSQL (issue 17), with 1, 2 and
 * 4 worker processes. Each W gets fresh databases in one throwaway cluster, the real `newsbrief start --role
 * worker` W times and one `--role scheduler`, the Slack stand-in (each chat.postMessage answered `--latency` ms
 * late, as Slack's API is) and a loopback feed server.
 *
 *   node bin/run-ts.js bench/scale/workers.ts [--workers 1,2,4] [--destinations 200] [--feeds 100] [--items 8]
 *     [--latency 100] [--seed 42] [--json]
 *
 * - deliver: D Slack channels, scheduled the day before at a time a few minutes ago (a digest missed while no
 *   scheduler ran, within the grace period), so the scheduler's first tick, at its start, plans all D and queues
 *   one deliver job each; posts/s from the first post's arrival at the stand-in to the last one's answer.
 *   Checked: every channel got exactly one post, and every ledger entry is sent.
 * - fetch: F configured feeds of `--items` synthetic articles each, never fetched, so the scheduler's first tick
 *   queues F fetch jobs; feeds/s and articles/s from the first request at the feed server to the last `fetched`
 *   log line of a worker. Checked: every feed was requested exactly once and fetched successfully.
 *
 * Workers start first and the scheduler last, so the figures are about the work, not process start-up.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openAppOn } from '../../src/app.ts';
import { newDestination } from '../../src/engine/destinations.ts';
import { BOT_TOKEN, SlackStandIn, TEAM } from '../../standins/slack.ts';
import { openPostgresStore } from '../../storage/postgres/index.ts';
import { type Cluster, serverBinaries, startCluster } from '../../storage/postgres/throwawayCluster.ts';
import { parseArgs, positiveInt, runBenchmark } from '../lib/args.ts';
import { describeMachine, machineInfo } from '../lib/machine.ts';
import { progress } from '../lib/progress.ts';
import { formatNumber } from '../lib/table.ts';
import { type LogLine, type ServiceChild, sleep, startService } from '../reliability/killParts.ts';
import { ingestCorpus } from '../speed/ingestCorpus.ts';
import { rssFeed } from '../synthetic/feedXml.ts';
import { SyntheticCorpus } from '../synthetic/generate.ts';

const START_TIMEOUT_MS = 90_000;
const SETTLE_TIMEOUT_MS = 300_000;
const SEED_ARTICLES = 240;
const TOPICS = ['nvidia', 'samsung-electronics', 'sk-hynix', 'openai', 'hbm', 'ai-chips', 'google', 'meta'];
/** Jobs of each kind one worker process runs at once (runtime/service.ts, WORKER_CONCURRENCY). */
const JOBS_PER_WORKER = 4;

interface Options {
  workers: number[];
  destinations: number;
  feeds: number;
  items: number;
  latencyMs: number;
  seed: number;
  json: boolean;
}

function readOptions(argv: string[]): Options {
  const args = parseArgs(argv, ['workers', 'destinations', 'feeds', 'items', 'latency', 'seed'], ['json']);
  return {
    workers: (args.values.get('workers') ?? '1,2,4').split(',').map((w) => positiveInt(w.trim(), 'workers')),
    destinations: positiveInt(args.values.get('destinations') ?? '200', 'destinations'),
    feeds: positiveInt(args.values.get('feeds') ?? '100', 'feeds'),
    items: positiveInt(args.values.get('items') ?? '8', 'items'),
    latencyMs: positiveInt(args.values.get('latency') ?? '100', 'latency'),
    seed: positiveInt(args.values.get('seed') ?? '42', 'seed'),
    json: args.flags.has('json'),
  };
}

interface DeliverResult {
  destinations: number;
  posts: number;
  postsPerSecond: number;
  /** First post's arrival at the stand-in to the last one's answer. */
  postingSeconds: number;
  /** The scheduler's spawn to the last post's answer (its start-up, first tick and planning included). */
  fromSchedulerStartSeconds: number;
  /** Posts logged by each worker process. */
  perWorker: number[];
  ledger: Record<string, number>;
}

interface FetchResult {
  feeds: number;
  /** Fetches that succeeded; `failed` the others (each feed is fetched once). */
  fetched: number;
  failed: number;
  articlesAdded: number;
  feedsPerSecond: number;
  articlesPerSecond: number;
  seconds: number;
  fromSchedulerStartSeconds: number;
  perWorker: number[];
}

interface WorkerCountResult {
  workers: number;
  deliver: DeliverResult | null;
  fetch: FetchResult | null;
  loadAverage: number[];
}

interface Report {
  benchmark: 'workers';
  machine: ReturnType<typeof machineInfo>;
  loadAverageAtStart: number[];
  loadAverageAtEnd: number[];
  postgres: string;
  options: Omit<Options, 'json'>;
  results: WorkerCountResult[];
  errors: string[];
  durationSeconds: number;
}

const cleanups: (() => void | Promise<void>)[] = [];
const children: ServiceChild[] = [];
let cleanedUp = false;
async function cleanUp(): Promise<void> {
  if (cleanedUp) return;
  cleanedUp = true;
  for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
  for (const f of cleanups.reverse()) {
    try {
      await f();
    } catch (error) {
      process.stderr.write(`cleanup: ${(error as Error).message}\n`);
    }
  }
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping the processes and PostgreSQL`);
    void cleanUp().finally(() => process.exit(130));
  });
}

const loads = () => loadavg().map((l) => Math.round(l * 100) / 100);
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

async function sql<T>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

function databaseUrl(cluster: Cluster, name: string): string {
  return cluster.url.replace(/\/postgres$/, `/${name}`);
}

/** The template every deliver database is cloned from: the schema, a day of news, D scheduled channels. */
async function seedDeliverTemplate(cluster: Cluster, options: Options, dir: string): Promise<string[]> {
  await sql(cluster.url, 'CREATE DATABASE deliver_template');
  const url = databaseUrl(cluster, 'deliver_template');
  const app = await openAppOn({ databaseUrl: url, configPath: null, dbPath: join(dir, 'unused.db') });
  try {
    const corpus = new SyntheticCorpus({
      seed: options.seed,
      size: SEED_ARTICLES,
      start: new Date(Date.now() - 20 * 3_600_000),
      days: 0.8,
    });
    await ingestCorpus(corpus, app.ingestor, SEED_ARTICLES);
  } finally {
    await app.close();
  }
  // scheduled the day before, so today's digest is theirs; due a few minutes ago, so the first tick posts it
  const dayBefore = new Date(Date.now() - 86_400_000).toISOString();
  const store = await openPostgresStore(url, { now: () => dayBefore });
  const channels: string[] = [];
  try {
    const time = hhmm(Date.now() - 3 * 60_000);
    for (let j = 0; j < options.destinations; j++) {
      const channel = `CBENCH${String(j).padStart(4, '0')}`;
      const destination = newDestination({ platform: 'slack', workspace: TEAM, channel, user: null });
      await store.destinations.ensure(destination);
      await store.destinations.update(destination.key, { digestTime: time, timeZone: 'UTC', lang: 'en' });
      await store.subscriptions.add(destination.key, TOPICS[j % TOPICS.length] as string);
      channels.push(channel);
    }
  } finally {
    await store.close();
  }
  return channels;
}

interface FeedServer {
  server: Server;
  url(feed: number): string;
  requests: Map<number, number[]>;
}

async function startFeedServer(options: Options): Promise<FeedServer> {
  const corpus = new SyntheticCorpus({
    seed: options.seed + 1,
    size: options.feeds * options.items,
    start: new Date(Date.now() - 20 * 3_600_000),
    days: 0.8,
    copyRate: 0,
  });
  const bodies = Array.from({ length: options.feeds }, (_, f) => {
    const items = [...corpus.articles(f * options.items, (f + 1) * options.items)];
    return rssFeed(`Loopback wire ${f}`, `http://127.0.0.1/wire-${f}/`, items[0]?.article.lang ?? 'en', items);
  });
  const requests = new Map<number, number[]>();
  const server = createServer((req, res) => {
    const f = Number(/^\/feed-(\d+)\.xml$/.exec(req.url ?? '')?.[1]);
    const body = Number.isInteger(f) ? bodies[f] : undefined;
    if (body === undefined) return void res.writeHead(404).end();
    requests.set(f, [...(requests.get(f) ?? []), Date.now()]);
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: (f) => `http://127.0.0.1:${port}/feed-${f}.xml`, requests };
}

function writeConfig(path: string, dir: string, feeds: string[]): void {
  writeFileSync(
    path,
    [
      `database: ${JSON.stringify(join(dir, 'unused.db'))}`,
      'lang: en',
      'timeZone: UTC',
      'digest:',
      '  maxStories: 5',
      'fetch:',
      '  allowAddresses: [127.0.0.1]',
      '  minIntervalSeconds: 3600',
      ...(feeds.length > 0
        ? ['feeds:', ...feeds.map((url, i) => `  - { url: "${url}", name: "Loopback wire ${i}" }`)]
        : []),
      'jobs:',
      '  pollSeconds: 0.5',
    ].join('\n'),
  );
}

/** W workers, then the scheduler; resolves once all of them say they run. */
async function startRoles(
  workers: number,
  configPath: string,
  env: Record<string, string>,
): Promise<{ workers: ServiceChild[]; scheduler: ServiceChild; schedulerSpawnedAt: number }> {
  const started: ServiceChild[] = [];
  for (let i = 0; i < workers; i++) {
    const worker = startService(['--role', 'worker', '--config', configPath], env);
    children.push(worker);
    started.push(worker);
  }
  for (const w of started) await w.waitForLog((l) => l.msg === 'running', START_TIMEOUT_MS, 'a worker to run');
  const schedulerSpawnedAt = Date.now();
  const scheduler = startService(['--role', 'scheduler', '--config', configPath], env);
  children.push(scheduler);
  await scheduler.waitForLog((l) => l.msg === 'running', START_TIMEOUT_MS, 'the scheduler to run');
  return { workers: started, scheduler, schedulerSpawnedAt };
}

async function stopAll(processes: ServiceChild[]): Promise<void> {
  for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGTERM');
  await Promise.all(
    processes.map(async (p) => {
      const timer = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
      await p.exited;
      clearTimeout(timer);
    }),
  );
}

const logTime = (line: LogLine) => Number(line.time);

async function measureDeliver(
  w: number,
  cluster: Cluster,
  slack: SlackStandIn,
  channels: string[],
  options: Options,
  dir: string,
  errors: string[],
): Promise<DeliverResult> {
  const name = `deliver_w${w}`;
  await sql(cluster.url, `CREATE DATABASE ${name} TEMPLATE deliver_template`);
  const url = databaseUrl(cluster, name);
  const configPath = join(dir, `${name}.yaml`);
  writeConfig(configPath, dir, []);
  const callsBefore = slack.calls.length;
  const mine = new Set(channels);
  const posts = () =>
    slack.calls
      .slice(callsBefore)
      .filter((c) => c.method === 'chat.postMessage' && mine.has(String(c.args.channel)))
      .filter((c) => (c.result as { ok?: boolean } | undefined)?.ok === true);
  const env = { NEWSBRIEF_DATABASE_URL: url, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: slack.apiUrl };
  const roles = await startRoles(w, configPath, env);
  try {
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    for (;;) {
      const [open] = await sql<{ planned: string; open: string }>(
        url,
        "SELECT count(*) AS planned, count(*) FILTER (WHERE state IN ('pending', 'sending')) AS open FROM ledger WHERE kind = 'digest'",
      );
      if (Number(open?.planned) >= channels.length && Number(open?.open) === 0) break;
      if (Date.now() > deadline) {
        errors.push(`deliver, ${w} workers: not settled after ${SETTLE_TIMEOUT_MS / 1000} s (${open?.open} open)`);
        break;
      }
      await sleep(100);
    }
    await sleep(500);
  } finally {
    await stopAll([...roles.workers, roles.scheduler]);
  }
  const got = posts();
  const perChannel = new Map<string, number>();
  for (const c of got) perChannel.set(String(c.args.channel), (perChannel.get(String(c.args.channel)) ?? 0) + 1);
  const missing = channels.filter((c) => !perChannel.has(c));
  const twice = [...perChannel].filter(([, n]) => n > 1);
  if (missing.length > 0) errors.push(`deliver, ${w} workers: ${missing.length} channels got no post`);
  if (twice.length > 0) errors.push(`deliver, ${w} workers: ${twice.length} channels got more than one post`);
  const ledgerRows = await sql<{ state: string; n: string }>(
    url,
    "SELECT state, count(*) AS n FROM ledger WHERE kind = 'digest' GROUP BY state",
  );
  const ledger = Object.fromEntries(ledgerRows.map((r) => [r.state, Number(r.n)]));
  if ((ledger.sent ?? 0) !== channels.length) {
    errors.push(`deliver, ${w} workers: ledger ${JSON.stringify(ledger)}, expected ${channels.length} sent`);
  }
  const first = Math.min(...got.map((c) => c.at));
  const lastAnswered = Math.max(...got.map((c) => c.at)) + options.latencyMs;
  const postingSeconds = (lastAnswered - first) / 1000;
  return {
    destinations: channels.length,
    posts: got.length,
    postsPerSecond: got.length / postingSeconds,
    postingSeconds,
    fromSchedulerStartSeconds: (lastAnswered - roles.schedulerSpawnedAt) / 1000,
    perWorker: roles.workers.map((p) => p.logs.filter((l) => l.msg === 'post').length),
    ledger,
  };
}

async function measureFetch(
  w: number,
  cluster: Cluster,
  feeds: FeedServer,
  options: Options,
  dir: string,
  errors: string[],
): Promise<FetchResult> {
  const name = `fetch_w${w}`;
  await sql(cluster.url, `CREATE DATABASE ${name}`);
  const url = databaseUrl(cluster, name);
  // migrated here, so the processes starting together do not each race to make the schema
  await (await openPostgresStore(url)).close();
  const configPath = join(dir, `${name}.yaml`);
  writeConfig(
    configPath,
    dir,
    Array.from({ length: options.feeds }, (_, f) => feeds.url(f)),
  );
  feeds.requests.clear();
  const env = { NEWSBRIEF_DATABASE_URL: url };
  const roles = await startRoles(w, configPath, env);
  // a failed fetch is logged as `fetch failed`, a successful one as `fetched`
  const fetchedLines = () =>
    roles.workers.flatMap((p) => p.logs.filter((l) => l.msg === 'fetched' || l.msg === 'fetch failed'));
  try {
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    while (fetchedLines().length < options.feeds) {
      if (Date.now() > deadline) {
        errors.push(`fetch, ${w} workers: ${fetchedLines().length}/${options.feeds} feeds fetched in time`);
        break;
      }
      await sleep(100);
    }
    await sleep(500);
  } finally {
    await stopAll([...roles.workers, roles.scheduler]);
  }
  const lines = fetchedLines();
  const requestedTwice = [...feeds.requests].filter(([, at]) => at.length > 1).length;
  const neverRequested = options.feeds - feeds.requests.size;
  if (requestedTwice > 0) errors.push(`fetch, ${w} workers: ${requestedTwice} feeds were requested more than once`);
  if (neverRequested > 0) errors.push(`fetch, ${w} workers: ${neverRequested} feeds were never requested`);
  const failures = lines.filter((l) => l.status === 'failed');
  if (failures.length > 0) {
    const reasons = new Map<string, number>();
    for (const l of failures) reasons.set(String(l.error), (reasons.get(String(l.error)) ?? 0) + 1);
    const why = [...reasons].map(([reason, n]) => `${n}× ${reason}`).join(', ');
    errors.push(`fetch, ${w} workers: ${failures.length} of ${options.feeds} fetches failed (${why})`);
  }
  const succeeded = lines.length - failures.length;
  const [fetchedSources] = await sql<{ n: string }>(
    url,
    'SELECT count(*) AS n FROM sources WHERE last_success_at IS NOT NULL',
  );
  if (Number(fetchedSources?.n) !== options.feeds) {
    errors.push(`fetch, ${w} workers: ${fetchedSources?.n} of ${options.feeds} sources fetched successfully`);
  }
  const first = Math.min(...[...feeds.requests.values()].flat());
  const last = Math.max(...lines.map(logTime));
  const seconds = (last - first) / 1000;
  const articlesAdded = lines.reduce((n, l) => n + Number(l.added ?? 0), 0);
  return {
    feeds: options.feeds,
    fetched: succeeded,
    failed: failures.length,
    articlesAdded,
    feedsPerSecond: succeeded / seconds,
    articlesPerSecond: articlesAdded / seconds,
    seconds,
    fromSchedulerStartSeconds: (last - roles.schedulerSpawnedAt) / 1000,
    perWorker: roles.workers.map((p) => p.logs.filter((l) => l.msg === 'fetched' || l.msg === 'fetch failed').length),
  };
}

function render(r: Report): string {
  const rows: string[][] = [
    [
      'workers',
      'deliver posts/s',
      'posting s',
      'from start s',
      'posts by worker',
      'fetch feeds/s',
      'articles/s',
      'fetching s',
      'feeds by worker',
    ],
  ];
  for (const x of r.results) {
    rows.push([
      String(x.workers),
      x.deliver ? formatNumber(x.deliver.postsPerSecond) : '-',
      x.deliver ? formatNumber(x.deliver.postingSeconds) : '-',
      x.deliver ? formatNumber(x.deliver.fromSchedulerStartSeconds) : '-',
      x.deliver ? x.deliver.perWorker.join('/') : '-',
      x.fetch ? formatNumber(x.fetch.feedsPerSecond) : '-',
      x.fetch ? formatNumber(x.fetch.articlesPerSecond) : '-',
      x.fetch ? formatNumber(x.fetch.seconds) : '-',
      x.fetch ? x.fetch.perWorker.join('/') : '-',
    ]);
  }
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length))) ?? [];
  const table = rows
    .map((row) =>
      row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('   '),
    )
    .join('\n');
  const o = r.options;
  const cores = r.machine.cores;
  return [
    `newsbrief workers: ${o.destinations} Slack channels due at once (chat.postMessage answered ${o.latencyMs} ms late), ${o.feeds} feeds × ${o.items} articles due at once`,
    `machine: ${describeMachine(r.machine)}; load average ${r.loadAverageAtStart.join(' ')} at start, ${r.loadAverageAtEnd.join(' ')} at end; PostgreSQL ${r.postgres} (throwaway cluster, fsync off)`,
    `NOTE: ${cores} cores for W workers + 1 scheduler + PostgreSQL + the stand-ins: ${cores <= 2 ? 'with 2 cores, 4 workers are not expected to be faster than 2' : 'figures above the core count are CPU-bound'}. Each worker runs ${JOBS_PER_WORKER} jobs of a kind at once.`,
    '',
    table,
    '',
    'deliver: posts/s over the posting window (first post at the stand-in to the last answer); "from start" counts from the scheduler\'s spawn (start-up, first tick, planning). Load average after each W: ' +
      r.results.map((x) => `${x.workers}: ${x.loadAverage[0]}`).join(', '),
    `fetch: feeds fetched successfully/s and articles added/s, from the first feed request to the last fetch's log line; failed fetches: ${r.results.map((x) => `${x.workers}: ${x.fetch?.failed ?? '-'}`).join(', ')}.`,
    `checked: each channel exactly one post and ledger all sent; each feed requested exactly once and fetched. ${r.errors.length === 0 ? 'All passed.' : `${r.errors.length} ERRORS:`}`,
    ...r.errors.map((e) => `ERROR: ${e}`),
    `total ${Math.round(r.durationSeconds)} s`,
  ].join('\n');
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  const startedAt = Date.now();
  const loadAverageAtStart = loads();
  const machine = machineInfo();
  progress(`newsbrief workers benchmark on ${describeMachine(machine)}, load average ${loadAverageAtStart.join(' ')}`);
  const bin = serverBinaries();
  if (!bin) throw new Error('no PostgreSQL server in /usr/lib/postgresql/*/bin (apt-get install postgresql)');
  const dir = mkdtempSync(join(tmpdir(), 'newsbrief-bench-workers-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const cluster = await startCluster(bin);
  cleanups.push(() => cluster.stop());
  const [version] = await sql<{ server_version: string }>(cluster.url, 'SHOW server_version');
  progress(`PostgreSQL on 127.0.0.1:${cluster.port}`);
  const slack = await new SlackStandIn().start();
  cleanups.push(() => slack.close());
  slack.slowDown('chat.postMessage', options.latencyMs);
  const feeds = await startFeedServer(options);
  cleanups.push(() => new Promise<void>((resolve) => feeds.server.close(() => resolve())));

  progress(`seeding: ${SEED_ARTICLES} articles of the last day and ${options.destinations} scheduled channels`);
  const channels = await seedDeliverTemplate(cluster, options, dir);
  const errors: string[] = [];
  const results: WorkerCountResult[] = [];
  for (const w of options.workers) {
    const result: WorkerCountResult = { workers: w, deliver: null, fetch: null, loadAverage: [] };
    try {
      progress(`${w} workers: deliver, ${options.destinations} digests due`);
      result.deliver = await measureDeliver(w, cluster, slack, channels, options, dir, errors);
      progress(
        `  ${formatNumber(result.deliver.postsPerSecond)} posts/s (${result.deliver.posts} posts in ${formatNumber(result.deliver.postingSeconds)} s; by worker ${result.deliver.perWorker.join('/')})`,
      );
    } catch (error) {
      errors.push(`deliver, ${w} workers: ${(error as Error).message}`);
    }
    try {
      progress(`${w} workers: fetch, ${options.feeds} feeds due`);
      result.fetch = await measureFetch(w, cluster, feeds, options, dir, errors);
      progress(
        `  ${formatNumber(result.fetch.feedsPerSecond)} feeds/s, ${formatNumber(result.fetch.articlesPerSecond)} articles/s (${result.fetch.fetched} feeds in ${formatNumber(result.fetch.seconds)} s; by worker ${result.fetch.perWorker.join('/')})`,
      );
    } catch (error) {
      errors.push(`fetch, ${w} workers: ${(error as Error).message}`);
    }
    result.loadAverage = loads();
    results.push(result);
  }
  const report: Report = {
    benchmark: 'workers',
    machine,
    loadAverageAtStart,
    loadAverageAtEnd: loads(),
    postgres: version?.server_version ?? 'unknown',
    options: {
      workers: options.workers,
      destinations: options.destinations,
      feeds: options.feeds,
      items: options.items,
      latencyMs: options.latencyMs,
      seed: options.seed,
    },
    results,
    errors,
    durationSeconds: (Date.now() - startedAt) / 1000,
  };
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${render(report)}\n`);
  if (errors.length > 0) process.exitCode = 1;
}

await runBenchmark(main, cleanUp);
