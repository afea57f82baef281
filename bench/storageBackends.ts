/**
 * `npm run bench:storage`: the storage backends side by side, SQLite (storage/sqlite) and PostgreSQL
 * (storage/postgres, in a throwaway cluster this script starts and stops): storage-level figures (the repository
 * calls the engine makes, timed on each backend) and engine-level ones (bench/scale/engineBackends.ts: the
 * Ingestor, `/news` search and the digest end to end on an app opened on each backend).
 *
 *   node bin/run-ts.js bench/storageBackends.ts [--articles 20000] [--seed 42] [--passes 3]
 *     [--engine-ingest-limit 1800|none] [--json] [--keep]
 *
 * 1. The synthetic corpus goes through the real pipeline (`openApp`'s Ingestor: tags, copies, stories) into a
 *    source SQLite database, the archive (timed: the engine's ingest figure on SQLite).
 * 2. Ingest (timed): its articles, in id order, are saved into a fresh SQLite database and into PostgreSQL with
 *    `articles.save` and `articles.setTopics`, in slices of 1,000: on SQLite as the Ingestor batches a feed (one
 *    transaction, `deferSearchIndex`, `flushSearchIndex`), on PostgreSQL one awaited call after another (its
 *    repositories take no transaction). Both then hold the same articles under the same ids.
 * 3. Sources, stories, members and copy links are copied the same way (not timed), so both hold the same archive.
 * 4. On the new SQLite database, `CommandHandler.search` runs the bench's query mix and `CommandHandler.digest`
 *    the last 24 hours, with every repository read recorded; those same reads are then replayed and timed on
 *    each backend: a search's reads (articles.search, stories.storyIds, articles.getMany, duplicates.linksAmong…)
 *    and a digest's (stories.windowMembers, stories.headers, duplicates.linksAmong, articles.getMany, topics…).
 * 5. Engine level: `CommandHandler.search` and `.digest` on the archive (SQLite); then the same corpus through
 *    the Ingestor of `openAppOn({ databaseUrl })` into a database of its own on the cluster (timed, stopped after
 *    `--engine-ingest-limit` seconds: the label then says how many it held), and the same search and digest there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, openAppOn } from '../src/app.ts';
import { openPostgresStore, type PostgresStore } from '../storage/postgres/index.ts';
import { type Cluster, serverBinaries, startCluster } from '../storage/postgres/throwawayCluster.ts';
import type { ArticleRecord, Store, StoryMember, TopicTag } from '../storage/repositories.ts';
import { openSqliteStore } from '../storage/sqlite/index.ts';
import { parseArgs, positiveInt, runBenchmark } from './lib/args.ts';
import { describeMachine, machineInfo } from './lib/machine.ts';
import { progress } from './lib/progress.ts';
import { latencySpreads, median, type Spread, spread } from './lib/stats.ts';
import { formatNumber } from './lib/table.ts';
import {
  commandsThroughEngine,
  type EngineResult,
  ingestThroughEngine,
  PinnableClock,
} from './scale/engineBackends.ts';
import { ingestCorpus, ingestFigure } from './speed/ingestCorpus.ts';
import { QUERY_MIX } from './speed/queries.ts';
import { describeCalls, recordReads, replay, type StoreCall } from './speed/storeCalls.ts';
import { SyntheticCorpus } from './synthetic/generate.ts';

const DEFAULT_ARTICLES = 20_000;
/**
 * PostgreSQL's engine ingest runs at about 115 articles/s on 2 cores: 100k takes about 15 minutes, and a loaded
 * machine may double that, so it stops after half an hour (the output then says so).
 */
const DEFAULT_ENGINE_INGEST_LIMIT_SECONDS = 1800;
const SLICE = 1_000;
const SEARCH_CONTEXT = { channel: 'bench:storage', lang: 'ko' as const, timeZone: 'Asia/Seoul' };
const DIGEST_CONTEXT = { channel: 'bench:storage-digest', lang: 'ko' as const, timeZone: 'Asia/Seoul' };

type Backend = 'sqlite' | 'postgres';
const BACKENDS: Backend[] = ['sqlite', 'postgres'];

interface IngestResult {
  articles: number;
  perSecond: Spread;
  overallPerSecond: number;
  seconds: number;
}

interface BackendResult {
  ingest: IngestResult;
  search: { p50: Spread; p95: Spread; p99: Spread };
  perQuery: { query: string; medianMs: number }[];
  /** Per repository method: its time over the whole mix in one pass (median over passes), in ms. */
  searchByMethod: { call: string; calls: number; msPerPass: number }[];
  digest: { ms: Spread; perCall: { call: string; medianMs: number }[] };
}

interface Report {
  note: string;
  machine: ReturnType<typeof machineInfo>;
  loadAverage: number[];
  articles: number;
  seed: number;
  postgres: string;
  stories: number;
  copyLinks: number;
  searchQueries: number;
  searchPasses: number;
  digestWindow: { from: string; to: string; articles: number; stories: number; calls: string };
  backends: Record<Backend, BackendResult>;
  /** End to end: the Ingestor, CommandHandler.search and CommandHandler.digest on an app over each backend. */
  engine: Record<Backend, EngineResult>;
}

const NOTE =
  'Storage level: the repository calls the engine makes (recorded on SQLite) replayed and timed on each backend. ' +
  'Engine level: the Ingestor, /news search and the digest end to end through an app opened on each backend.';

function readOptions(argv: string[]) {
  const args = parseArgs(argv, ['articles', 'seed', 'passes', 'engine-ingest-limit'], ['json', 'keep']);
  const articles = positiveInt(args.values.get('articles') ?? String(DEFAULT_ARTICLES), 'articles');
  const limitText = args.values.get('engine-ingest-limit') ?? String(DEFAULT_ENGINE_INGEST_LIMIT_SECONDS);
  return {
    engineIngestLimitSeconds: limitText === 'none' ? null : positiveInt(limitText, 'engine-ingest-limit'),
    articles,
    seed: positiveInt(args.values.get('seed') ?? '42', 'seed'),
    // As `npm run bench`: 5 passes up to 10k articles, 3 above.
    passes: positiveInt(args.values.get('passes') ?? (articles <= 10_000 ? '5' : '3'), 'passes'),
    json: args.flags.has('json'),
    keep: args.flags.has('keep'),
  };
}

/** Everything started here, stopped at exit, on an error and on Ctrl-C. */
const cleanups: (() => void)[] = [];
let cleanedUp = false;
function cleanUp(): void {
  if (cleanedUp) return;
  cleanedUp = true;
  for (const f of cleanups.reverse()) {
    try {
      f();
    } catch (error) {
      process.stderr.write(`cleanup: ${(error as Error).message}\n`);
    }
  }
}
process.once('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping PostgreSQL and removing the temp folder`);
    cleanUp();
    process.exit(130);
  });
}

interface ArchiveArticle {
  record: ArticleRecord;
  topics: TopicTag[];
}

/** The archive's articles in id order, a slice at a time (ids may have gaps where the Ingestor replaced one). */
function* archiveSlices(store: Store, total: number): Generator<{ ids: number[]; items: ArchiveArticle[] }> {
  let seen = 0;
  for (let first = 1; seen < total; first += SLICE) {
    const ids = Array.from({ length: SLICE }, (_, i) => first + i);
    const found = store.articles.getMany(ids);
    seen += found.length;
    if (found.length === 0 && first > total * 4) throw new Error('the archive has fewer articles than it counts');
    yield {
      ids: found.map((a) => a.id),
      items: found.map((a) => ({
        record: {
          key: a.key,
          url: a.url,
          sourceId: a.sourceId,
          sourceName: a.sourceName,
          title: a.title,
          deck: a.deck,
          paragraphs: a.paragraphs,
          byline: a.byline,
          lang: a.lang,
          publishedAt: a.publishedAt,
          updatedAt: a.updatedAt,
          contentHash: a.contentHash,
        },
        topics: a.topics,
      })),
    };
  }
}

function ingestResult(slices: { articles: number; seconds: number }[]): IngestResult {
  const full = slices.filter((s, i) => s.articles === SLICE || i === 0);
  const articles = slices.reduce((n, s) => n + s.articles, 0);
  const seconds = slices.reduce((n, s) => n + s.seconds, 0);
  return {
    articles,
    perSecond: spread(full.map((s) => s.articles / s.seconds)),
    overallPerSecond: articles / seconds,
    seconds,
  };
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'newsbrief-bench-storage-'));
  if (!options.keep) cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const bin = serverBinaries();
  if (!bin) throw new Error('no PostgreSQL server in /usr/lib/postgresql/*/bin (apt-get install postgresql)');

  const started = Date.now();
  const cluster: Cluster = await startCluster(bin);
  cleanups.push(() => cluster.stop());
  progress(`PostgreSQL from ${bin} on 127.0.0.1:${cluster.port} (started in ${Date.now() - started} ms)`);
  const pgStore: PostgresStore = await openPostgresStore(cluster.url);
  try {
    await measure(options, dir, pgStore, cluster);
  } finally {
    await pgStore.close();
  }
}

async function measure(
  options: ReturnType<typeof readOptions>,
  dir: string,
  pgStore: PostgresStore,
  cluster: Cluster,
): Promise<void> {
  const { rows: versionRows } = await pgStore.pool.query<{ server_version: string }>('SHOW server_version');
  const postgresVersion = versionRows[0]?.server_version ?? 'unknown';

  // 1. The archive, through the whole pipeline.
  const size = options.articles;
  const corpus = new SyntheticCorpus({ seed: options.seed, size });
  const archivePath = join(dir, 'archive.db');
  progress(`${size.toLocaleString('en-US')} articles: building the archive through the Ingestor (${archivePath})`);
  const archiveApp = openApp({ dbPath: archivePath, configPath: null });
  let sqliteEngineIngest: ReturnType<typeof ingestFigure>;
  try {
    sqliteEngineIngest = ingestFigure(await ingestCorpus(corpus, archiveApp.ingestor, SLICE), size, null);
  } finally {
    archiveApp.close();
  }
  const archive = openSqliteStore(archivePath);
  cleanups.push(() => archive.close());
  const total = archive.articles.count();

  // 2. The same articles into a fresh SQLite database and into PostgreSQL, timed.
  const sqlitePath = join(dir, 'sqlite.db');
  const sqlite = openSqliteStore(sqlitePath);
  let sqliteOpen = true;
  cleanups.push(() => {
    if (sqliteOpen) sqlite.close();
  });
  const topicRecords = archive.topics.list();
  sqlite.topics.sync(topicRecords);
  await pgStore.topics.sync(topicRecords);
  const sourceIds = new Map<number, number>();
  for (const source of archive.sources.list()) {
    const record = { key: source.key, name: source.name, kind: source.kind, url: source.url };
    const a = sqlite.sources.upsert(record);
    const b = await pgStore.sources.upsert(record);
    if (a !== b) throw new Error(`source ${source.key}: id ${a} on SQLite, ${b} on PostgreSQL`);
    sourceIds.set(source.id, a);
  }
  const articleIds = new Map<number, number>();
  const slices: Record<Backend, { articles: number; seconds: number }[]> = { sqlite: [], postgres: [] };
  let lastReport = 0;
  for (const { ids, items } of archiveSlices(archive, total)) {
    if (items.length === 0) continue;
    for (const item of items) {
      if (item.record.sourceId !== null) item.record.sourceId = sourceIds.get(item.record.sourceId) ?? null;
    }
    let start = performance.now();
    const sqliteIds = sqlite.transaction(() => {
      const saved = items.map((item) => {
        const id = sqlite.articles.save(item.record, { deferSearchIndex: true });
        sqlite.articles.setTopics(id, item.topics);
        return id;
      });
      sqlite.articles.flushSearchIndex();
      return saved;
    });
    slices.sqlite.push({ articles: items.length, seconds: (performance.now() - start) / 1000 });
    start = performance.now();
    const pgIds: number[] = [];
    for (const item of items) {
      const id = await pgStore.articles.save(item.record);
      await pgStore.articles.setTopics(id, item.topics);
      pgIds.push(id);
    }
    slices.postgres.push({ articles: items.length, seconds: (performance.now() - start) / 1000 });
    for (const [i, archiveId] of ids.entries()) {
      if (sqliteIds[i] !== pgIds[i]) throw new Error(`article ${archiveId}: id ${sqliteIds[i]} ≠ ${pgIds[i]}`);
      articleIds.set(archiveId, sqliteIds[i] as number);
    }
    if (performance.now() - lastReport > 5000 || articleIds.size === total) {
      lastReport = performance.now();
      const rate = (b: Backend) => Math.round(items.length / (slices[b].at(-1)?.seconds ?? 1));
      progress(
        `  saved ${articleIds.size.toLocaleString('en-US')}/${total.toLocaleString('en-US')}: SQLite ${rate('sqlite')}/s, PostgreSQL ${rate('postgres')}/s`,
      );
    }
  }

  // 3. Stories, members and copy links, the same on both (not timed).
  progress('copying stories, members and copy links to both backends');
  const storyOf = archive.stories.storyIds([...articleIds.keys()]);
  const archiveStoryIds = [...new Set(storyOf.values())].sort((a, b) => a - b);
  const mapArticle = (id: number) => {
    const mapped = articleIds.get(id);
    if (mapped === undefined) throw new Error(`article ${id} is not in the archive`);
    return mapped;
  };
  let copyLinks = 0;
  for (let i = 0; i < archiveStoryIds.length; i += 500) {
    const stories = archive.stories.getMany(archiveStoryIds.slice(i, i + 500));
    const plans = stories.map((story) => ({ story, members: archive.stories.members(story.id) }));
    const sqliteStories = sqlite.transaction(() =>
      plans.map(({ story }) => {
        const created = sqlite.stories.create(story);
        sqlite.stories.update({ ...created, articleCount: story.articleCount });
        return created.id;
      }),
    );
    const member = (m: StoryMember, storyId: number): StoryMember => ({
      ...m,
      articleId: mapArticle(m.articleId),
      storyId,
      copyOf: m.copyOf === null ? null : mapArticle(m.copyOf),
    });
    sqlite.transaction(() => {
      for (const [j, { members }] of plans.entries()) {
        for (const m of members) sqlite.stories.addMember(member(m, sqliteStories[j] as number));
      }
    });
    for (const [j, { story, members }] of plans.entries()) {
      const created = await pgStore.stories.create(story);
      if (created.id !== sqliteStories[j])
        throw new Error(`story ${story.key}: id ${sqliteStories[j]} ≠ ${created.id}`);
      await pgStore.stories.update({ ...created, articleCount: story.articleCount });
      for (const m of members) await pgStore.stories.addMember(member(m, created.id));
    }
  }
  for (const [archiveId, id] of articleIds) {
    const links = archive.duplicates.links(archiveId).map((l) => ({ ...l, otherId: mapArticle(l.otherId) }));
    if (links.length === 0) continue;
    copyLinks += links.length;
    sqlite.duplicates.setLinks(id, links);
    await pgStore.duplicates.setLinks(id, links);
  }
  progress(`  ${archiveStoryIds.length.toLocaleString('en-US')} stories, ${copyLinks} copy links`);
  sqlite.close();
  sqliteOpen = false;
  await pgStore.pool.query('ANALYZE');

  // 4. The reads a search and a digest make, recorded on SQLite through the engine.
  const probe = openSqliteStore(sqlitePath);
  const newest = probe.articles.latestPublishedAt();
  probe.close();
  const nowDate = newest ? new Date(newest) : corpus.to;
  const app = openApp({ dbPath: sqlitePath, configPath: null, now: () => nowDate });
  cleanups.push(() => app.close());
  const store = app.store as unknown as Record<string, unknown>;
  // The engine reads through the async store (app.storage), whose methods call the synchronous ones they were
  // made from: recorded there, replayed on the synchronous store.
  const recorder = recordReads(app.storage as unknown as Record<string, unknown>);
  const searchCalls: StoreCall[][] = [];
  for (const query of QUERY_MIX) {
    await app.commands.search(query, SEARCH_CONTEXT);
    searchCalls.push(recorder.take());
  }
  const from = new Date(nowDate.getTime() - 86_400_000);
  const reply = await app.commands.digest(DIGEST_CONTEXT, { from, to: nowDate });
  // What buildDigest (src/digest/digest.ts) reads; the command's own reads of the destination are left out.
  const digestCalls = recorder.take().filter((c) => ['stories', 'duplicates', 'articles', 'topics'].includes(c.repo));
  recorder.restore();
  const digestArticles = reply.kind === 'digest' ? reply.digest.articleCount : 0;
  const digestStories = reply.kind === 'digest' ? reply.digest.storyCount : 0;
  progress(`digest window ${from.toISOString()} – ${nowDate.toISOString()}: ${describeCalls(digestCalls)}`);

  const stores: Record<Backend, Record<string, unknown>> = {
    sqlite: store,
    postgres: pgStore as unknown as Record<string, unknown>,
  };
  const results = {} as Record<Backend, BackendResult>;
  for (const backend of BACKENDS) {
    const target = stores[backend];
    progress(`${backend}: search reads, ${QUERY_MIX.length} queries × ${options.passes} passes (after a warm-up)`);
    for (const calls of searchCalls) for (const call of calls) await replay(target, call);
    const perQuery = QUERY_MIX.map(() => [] as number[]);
    const passes: number[][] = [];
    const byMethod = new Map<string, { calls: number; perPass: number[] }>();
    for (let pass = 0; pass < options.passes; pass++) {
      const sample: number[] = [];
      const methodMs = new Map<string, number>();
      for (const [i, calls] of searchCalls.entries()) {
        const start = performance.now();
        for (const call of calls) {
          const callStart = performance.now();
          await replay(target, call);
          const name = `${call.repo}.${call.method}`;
          methodMs.set(name, (methodMs.get(name) ?? 0) + performance.now() - callStart);
          if (pass === 0) {
            const entry = byMethod.get(name) ?? { calls: 0, perPass: [] };
            entry.calls++;
            byMethod.set(name, entry);
          }
        }
        const ms = performance.now() - start;
        sample.push(ms);
        perQuery[i]?.push(ms);
      }
      passes.push(sample);
      for (const [name, ms] of methodMs) byMethod.get(name)?.perPass.push(ms);
      progress(`  pass ${pass + 1}: p50 ${median(sample).toFixed(1)} ms`);
    }
    progress(`${backend}: digest reads × ${options.passes}`);
    const perCall = digestCalls.map(() => [] as number[]);
    const digestRuns: number[] = [];
    for (const call of digestCalls) await replay(target, call);
    for (let run = 0; run < options.passes; run++) {
      let totalMs = 0;
      for (const [i, call] of digestCalls.entries()) {
        const start = performance.now();
        await replay(target, call);
        const ms = performance.now() - start;
        totalMs += ms;
        perCall[i]?.push(ms);
      }
      digestRuns.push(totalMs);
    }
    const { p50, p95, p99 } = latencySpreads(passes);
    results[backend] = {
      ingest: ingestResult(slices[backend]),
      search: { p50, p95, p99 },
      perQuery: QUERY_MIX.map((query, i) => ({ query, medianMs: median(perQuery[i] as number[]) })),
      searchByMethod: [...byMethod].map(([call, { calls, perPass }]) => ({
        call,
        calls,
        msPerPass: median(perPass),
      })),
      digest: {
        ms: spread(digestRuns),
        perCall: digestCalls.map((c, i) => ({
          call: `${c.repo}.${c.method}`,
          medianMs: median(perCall[i] as number[]),
        })),
      },
    };
  }

  const engine = await measureEngine(options, dir, corpus, archivePath, sqliteEngineIngest, pgStore, cluster);

  const report: Report = {
    note: NOTE,
    machine: machineInfo(),
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    articles: total,
    seed: options.seed,
    postgres: postgresVersion,
    stories: archiveStoryIds.length,
    copyLinks,
    searchQueries: QUERY_MIX.length,
    searchPasses: options.passes,
    digestWindow: {
      from: from.toISOString(),
      to: nowDate.toISOString(),
      articles: digestArticles,
      stories: digestStories,
      calls: describeCalls(digestCalls),
    },
    backends: results,
    engine,
  };
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${render(report)}\n`);
}

async function measureEngine(
  options: ReturnType<typeof readOptions>,
  dir: string,
  corpus: SyntheticCorpus,
  archivePath: string,
  sqliteIngest: EngineResult['ingest'],
  pgStore: PostgresStore,
  cluster: Cluster,
): Promise<Record<Backend, EngineResult>> {
  const sqliteClock = new PinnableClock();
  const sqliteApp = openApp({ dbPath: archivePath, configPath: null, now: sqliteClock.now });
  let sqlite: EngineResult;
  try {
    sqlite = await commandsThroughEngine(sqliteApp, sqliteClock, sqliteIngest, options.passes, 'sqlite engine');
  } finally {
    sqliteApp.close();
  }

  await pgStore.pool.query('CREATE DATABASE newsbrief_engine');
  const databaseUrl = cluster.url.replace(/\/postgres$/, '/newsbrief_engine');
  const limit = options.engineIngestLimitSeconds;
  progress(
    `postgres engine: ${corpus.size.toLocaleString('en-US')} articles through openAppOn's Ingestor${limit === null ? '' : ` (stops after ${limit} s)`}`,
  );
  const pgClock = new PinnableClock();
  const pgApp = await openAppOn({
    databaseUrl,
    configPath: null,
    dbPath: join(dir, 'unused.db'),
    now: pgClock.now,
  });
  let postgres: EngineResult;
  try {
    const ingest = await ingestThroughEngine(pgApp, corpus, SLICE, limit);
    const analyze = pgApp.storage as Partial<PostgresStore>;
    await analyze.pool?.query('ANALYZE');
    postgres = await commandsThroughEngine(pgApp, pgClock, ingest, options.passes, 'postgres engine');
  } finally {
    await pgApp.close();
  }
  return { sqlite, postgres };
}

function columns(rows: string[][]): string {
  const width = (text: string) => [...text].reduce((w, ch) => w + (/[\p{Script=Hangul}]/u.test(ch) ? 2 : 1), 0);
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => width(r[c] ?? '')))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, c) => {
          const pad = ' '.repeat(Math.max(0, (widths[c] ?? 0) - width(cell)));
          return c === 0 ? cell + pad : pad + cell;
        })
        .join('   ')
        .trimEnd(),
    )
    .join('\n');
}

function render(r: Report): string {
  const s = r.backends.sqlite;
  const p = r.backends.postgres;
  const ms = (v: number) => `${formatNumber(v)} ms`;
  const ratio = (a: number, b: number) => `${formatNumber(b / a)}×`;
  /** A figure on both backends, shown with `show`, and PostgreSQL's over SQLite's. */
  const compared = (label: string, sqlite: number, postgres: number, show: (v: number) => string) => [
    label,
    show(sqlite),
    show(postgres),
    ratio(sqlite, postgres),
  ];
  const rows: string[][] = [
    ['storage level', 'SQLite', 'PostgreSQL', 'PG / SQLite'],
    compared(
      'ingest, articles/s (median of 1k slices)',
      s.ingest.perSecond.median,
      p.ingest.perSecond.median,
      formatNumber,
    ),
    [
      '  overall (s for all)',
      `${formatNumber(s.ingest.overallPerSecond)} (${formatNumber(s.ingest.seconds)} s)`,
      `${formatNumber(p.ingest.overallPerSecond)} (${formatNumber(p.ingest.seconds)} s)`,
      '',
    ],
    ...(['p50', 'p95', 'p99'] as const).map((q) =>
      compared(`search reads ${q}`, s.search[q].median, p.search[q].median, ms),
    ),
    compared('digest reads, last 24h', s.digest.ms.median, p.digest.ms.median, ms),
  ];
  const slowest = r.backends.postgres.perQuery
    .map((q, i) => ({ ...q, sqlite: s.perQuery[i]?.medianMs ?? 0 }))
    .sort((a, b) => b.medianMs - a.medianMs)
    .slice(0, 8);
  const perCall = new Map<string, [number, number]>();
  for (const [i, c] of p.digest.perCall.entries()) {
    const sum = perCall.get(c.call) ?? [0, 0];
    perCall.set(c.call, [sum[0] + (s.digest.perCall[i]?.medianMs ?? 0), sum[1] + c.medianMs]);
  }
  const es = r.engine.sqlite;
  const ep = r.engine.postgres;
  const held = (e: EngineResult) =>
    e.ingest.complete
      ? ''
      : ` (${e.ingest.articles.toLocaleString('en-US')} held, capped at ${e.ingest.limitSeconds} s)`;
  const engineRows: string[][] = [
    ['engine, end to end', 'SQLite', 'PostgreSQL', 'PG / SQLite'],
    compared(
      'ingest via Ingestor, articles/s (median of 1k slices)',
      es.ingest.perSecond.median,
      ep.ingest.perSecond.median,
      formatNumber,
    ),
    [
      '  overall (articles in s)',
      `${formatNumber(es.ingest.overallPerSecond)} (${es.ingest.articles} in ${formatNumber(es.ingest.totalSeconds)} s)`,
      `${formatNumber(ep.ingest.overallPerSecond)} (${ep.ingest.articles} in ${formatNumber(ep.ingest.totalSeconds)} s)`,
      '',
    ],
    ...(['p50', 'p95', 'p99'] as const).map((q) =>
      compared(`search ${q} (CommandHandler.search)`, es.search[q].median, ep.search[q].median, ms),
    ),
    compared('digest, last 24h (CommandHandler.digest)', es.digest.ms.median, ep.digest.ms.median, ms),
  ];
  const engineSlowest = ep.search.perQuery
    .map((q, i) => ({ ...q, sqlite: es.search.perQuery[i]?.medianMs ?? 0 }))
    .sort((a, b) => b.medianMs - a.medianMs)
    .slice(0, 5);
  return [
    `newsbrief storage backends: ${r.articles.toLocaleString('en-US')} synthetic articles (seed ${r.seed}), ${r.stories.toLocaleString('en-US')} stories, ${r.copyLinks} copy links`,
    `machine: ${describeMachine(r.machine)}; load average ${r.loadAverage.join(' ')}; PostgreSQL ${r.postgres} (throwaway cluster, fsync off)`,
    `NOTE: ${r.note}`,
    '',
    columns(engineRows),
    '',
    `engine ingest: Ingestor.ingestArticle (tags, FTS or search tokens, copies, stories), one batch per 1k slice; SQLite${held(es)}, PostgreSQL${held(ep)}.`,
    ...(ep.ingest.complete
      ? []
      : [
          `CAPPED: PostgreSQL's engine ingest stopped after ${ep.ingest.limitSeconds} s at ${ep.ingest.articles.toLocaleString('en-US')} of ${r.articles.toLocaleString('en-US')} articles (${formatNumber(ep.ingest.overallPerSecond)}/s; all would take about ${formatNumber(r.articles / ep.ingest.overallPerSecond / 60)} min); its search and digest ran on what it held (--engine-ingest-limit none for all).`,
        ]),
    `engine digest window (24h before the newest article): SQLite ${es.digest.articles} articles → ${es.digest.stories} stories; PostgreSQL ${ep.digest.articles} → ${ep.digest.stories}.`,
    `slowest engine queries on PostgreSQL (median ms, SQLite / PostgreSQL): ${engineSlowest.map((q) => `${q.query} ${formatNumber(q.sqlite)} / ${formatNumber(q.medianMs)}`).join('; ')}`,
    '',
    columns(rows),
    '',
    `ingest: articles.save + articles.setTopics per article; SQLite one transaction per 1k slice with deferSearchIndex, PostgreSQL sequential awaited calls.`,
    `search: ${r.searchQueries} queries (speed/queries.ts) × ${r.searchPasses} passes; per pass p50/p95/p99 over the mix, median over passes.`,
    `digest window ${r.digestWindow.from} – ${r.digestWindow.to}: ${r.digestWindow.articles} articles, ${r.digestWindow.stories} stories; reads: ${r.digestWindow.calls}.`,
    '',
    'digest reads by call (median ms, SQLite / PostgreSQL):',
    ...[...perCall].map(([call, [a, b]]) => `  ${call}: ${formatNumber(a)} / ${formatNumber(b)}`),
    '',
    `search reads by call, over the ${r.searchQueries} queries of one pass (ms, SQLite / PostgreSQL):`,
    ...p.searchByMethod.map(
      (m) =>
        `  ${m.call} ×${m.calls}: ${formatNumber(s.searchByMethod.find((x) => x.call === m.call)?.msPerPass ?? 0)} / ${formatNumber(m.msPerPass)}`,
    ),
    '',
    'slowest queries on PostgreSQL (median ms, SQLite / PostgreSQL):',
    ...slowest.map((q) => `  ${q.query}: ${formatNumber(q.sqlite)} / ${formatNumber(q.medianMs)}`),
    ...(r.articles < 100_000
      ? ['', 'At 100k articles (longer): node bin/run-ts.js bench/storageBackends.ts --articles 100000']
      : []),
  ].join('\n');
}

await runBenchmark(main, cleanUp);
