/**
 * Worker for one corpus size (run by bench.ts in its own process, so its peak RSS is this size's alone):
 * generates and ingests the synthetic corpus (and once more, into a scratch database, without story indexing),
 * measures the database size, search latency and FTS against LIKE, and prints a `SizeResult` as one JSON line
 * on stdout. Progress goes to stderr.
 *
 *   node bin/run-ts.js bench/speed/sizeWorker.ts --size 10000 --seed 42 --db /tmp/x/bench.db [--passes 5]
 *     [--ingest-limit SECONDS]
 *
 * With an ingest limit, ingestion stops after the slice that passes it and everything else is measured on the
 * articles ingested so far, with the clock at the newest of them.
 */
import { rmSync } from 'node:fs';
import { openApp } from '../../src/app.ts';
import { Ingestor } from '../../src/ingest/ingest.ts';
import { TOPIC_CATALOG_PATH } from '../../src/paths.ts';
import { loadTopicServices } from '../../src/topics/services.ts';
import { openSqliteStore } from '../../storage/sqlite/index.ts';
import { compareFtsWithLike } from '../baselines/likeScan.ts';
import { parseArgs, positiveInt } from '../lib/args.ts';
import { progress } from '../lib/progress.ts';
import { peakRssMb } from '../lib/timing.ts';
import { SyntheticCorpus } from '../synthetic/generate.ts';
import { ingestCorpus, ingestFigure } from './ingestCorpus.ts';
import { QUERY_MIX, SCAN_TERMS } from './queries.ts';
import { measureSearch } from './searchLatency.ts';
import { checkpoint, databaseFiles, windowStartHolding } from './storage.ts';
import type { IngestFigure, SizeResult } from './types.ts';

const args = parseArgs(process.argv.slice(2), ['size', 'seed', 'db', 'passes', 'ingest-limit'], []);
const size = positiveInt(args.values.get('size') ?? '10000', 'size');
const seed = positiveInt(args.values.get('seed') ?? '42', 'seed');
const passes = positiveInt(args.values.get('passes') ?? '5', 'passes');
const dbPath = args.values.get('db');
const limitText = args.values.get('ingest-limit');
const ingestLimit = limitText ? positiveInt(limitText, 'ingest-limit') : null;
if (!dbPath) throw new Error('--db is required');

const corpus = new SyntheticCorpus({ seed, size });
const sliceSize = Math.min(1000, Math.ceil(size / 10));

/**
 * The same corpus through an Ingestor that leaves story indexing out (tagging and search indexing, as the
 * issue's figure means), into a database of its own that is deleted afterwards.
 */
async function ingestWithoutStories(): Promise<IngestFigure> {
  const path = `${dbPath}-without-stories.db`;
  progress(`${size.toLocaleString('en-US')} articles: ingesting without story indexing into ${path}`);
  const topics = loadTopicServices(TOPIC_CATALOG_PATH);
  const store = openSqliteStore(path);
  try {
    store.topics.sync(topics.records);
    const ingestor = new Ingestor(store.async, topics.tagger, { indexStories: false });
    return ingestFigure(await ingestCorpus(corpus, ingestor, sliceSize, ingestLimit ?? undefined), size, ingestLimit);
  } finally {
    store.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  }
}

/** The whole pipeline into the database measured below; the app is closed and let go before what follows. */
async function ingestWithStories() {
  progress(`${size.toLocaleString('en-US')} articles: ingesting into ${dbPath}`);
  const app = openApp({ dbPath, configPath: null });
  try {
    const timings = await ingestCorpus(corpus, app.ingestor, sliceSize, ingestLimit ?? undefined);
    const newest = app.store.articles.latestPublishedAt();
    return {
      ingest: timings,
      rssAfterIngestMb: process.memoryUsage().rss / 1024 / 1024,
      nowDate: newest ? new Date(newest) : corpus.to,
    };
  } finally {
    app.close();
  }
}

const { ingest, rssAfterIngestMb, nowDate } = await ingestWithStories();
const now = () => nowDate;
if (ingest.articles < size) {
  progress(`  stopped at ${ingest.articles.toLocaleString('en-US')} articles: the ${ingestLimit} s ingest limit`);
}
const withoutStories = await ingestWithoutStories();

const walBytesBeforeCheckpoint = databaseFiles(dbPath).walBytes;
checkpoint(dbPath);
const files = databaseFiles(dbPath);

const app = openApp({ dbPath, configPath: null, now });
progress(`${size.toLocaleString('en-US')} articles: search latency, ${QUERY_MIX.length} queries × ${passes} passes`);
const search = await measureSearch(app.commands, QUERY_MIX, passes);
progress(`${size.toLocaleString('en-US')} articles: FTS against LIKE`);
const scan = compareFtsWithLike(app.store.articles, dbPath, SCAN_TERMS, { fts: 5, like: 3 });
app.close();

const tenThousandFrom = windowStartHolding(dbPath, 10_000);
const held = ingest.articles;
const result: SizeResult = {
  size,
  seed,
  corpus: {
    from: corpus.from.toISOString(),
    to: corpus.to.toISOString(),
    korean: ingest.korean,
    english: ingest.english,
    wireCopies: ingest.wireCopies,
  },
  ingest: ingestFigure(ingest, size, ingestLimit),
  ingestWithoutStories: withoutStories,
  storage: { ...files, walBytesBeforeCheckpoint, bytesPerArticle: files.totalBytes / held },
  search,
  scan,
  now: nowDate.toISOString(),
  windows: {
    day: { from: new Date(nowDate.getTime() - 86_400_000).toISOString(), to: nowDate.toISOString() },
    tenThousand: tenThousandFrom ? { from: tenThousandFrom, to: nowDate.toISOString() } : null,
  },
  rssAfterIngestMb,
  peakRssMb: peakRssMb(),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
