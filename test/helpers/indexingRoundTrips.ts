/**
 * Round trips and wall time of ingestion with story indexing, on PostgreSQL (a throwaway cluster) beside SQLite:
 * the bundled sample news, synthetic feed batches, and synthetic articles placed later by `indexPendingStories`.
 * Not a test: `node bin/run-ts.js test/helpers/indexingRoundTrips.ts [ARTICLES] [--breakdown]` (400 by default;
 * `--breakdown` lists the statements per article).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { rssFeed } from '../../bench/synthetic/feedXml.ts';
import { SyntheticCorpus } from '../../bench/synthetic/generate.ts';
import { parseFeed } from '../../src/feeds/index.ts';
import { Ingestor } from '../../src/ingest/ingest.ts';
import { SAMPLE_NEWS_PATH, TOPIC_CATALOG_PATH } from '../../src/paths.ts';
import { loadTopicServices } from '../../src/topics/services.ts';
import type { AsyncStore } from '../../storage/asyncStore.ts';
import { openPostgresStore } from '../../storage/postgres/index.ts';
import { serverBinaries, startCluster } from '../../storage/postgres/throwawayCluster.ts';
import { openSqliteStore } from '../../storage/sqlite/index.ts';

const articleCount = Number(process.argv.slice(2).find((arg) => /^\d+$/.test(arg)) ?? 400);
const topics = loadTopicServices(TOPIC_CATALOG_PATH);
let counting = false;
const counts = new Map<string, number>();
let total = 0;
const original = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: unknown, ...args: unknown[]) {
  if (counting) {
    const text = typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string })?.text ?? '?');
    const key = text
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/newsbrief_sp_\d+/, 'sp')
      .slice(0, 70);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    total++;
  }
  return (original as (...a: unknown[]) => unknown).apply(this, args);
} as typeof original;

type Scenario = { name: string; run: (store: AsyncStore) => Promise<number> };

const corpus = new SyntheticCorpus({ seed: 7, size: articleCount, days: 3 });
/** The synthetic articles as two RSS feeds (Korean, English), parsed as a fetched feed is. */
const feeds = (['ko', 'en'] as const).map((lang) => {
  const items = [...corpus.articles()].filter((s) => s.article.lang === lang);
  const xml = rssFeed(`Synthetic ${lang}`, `https://synthetic.example/${lang}/`, lang, items);
  return parseFeed(new TextEncoder().encode(xml), { url: null });
});

/** Ingests the synthetic feeds as the service does (`ingestFeed`: batches of 10 items); returns the articles added. */
async function ingestSynthetic(store: AsyncStore, indexStories: boolean): Promise<number> {
  const ingestor = new Ingestor(store, topics.tagger, { indexStories });
  let added = 0;
  for (const feed of feeds) {
    const outcomes = await ingestor.ingestFeed(feed, 'synthetic', feed.link ?? 'synthetic');
    added += outcomes.filter((o) => o.status === 'added').length;
  }
  return added;
}

const scenarios: Scenario[] = [
  {
    name: 'sample (ingestPaths)',
    run: async (store) => (await new Ingestor(store, topics.tagger).ingestPaths([SAMPLE_NEWS_PATH])).counts.added,
  },
  { name: `synthetic feeds, ${articleCount} items (ingestFeed)`, run: (store) => ingestSynthetic(store, true) },
  {
    name: `the same stored without stories, then indexPendingStories`,
    run: async (store) => {
      const wasCounting = counting;
      counting = false;
      await ingestSynthetic(store, false);
      counting = wasCounting;
      return new Ingestor(store, topics.tagger).indexPendingStories();
    },
  },
];

const bin = serverBinaries();
if (!bin) throw new Error('no PostgreSQL binaries');
const cluster = await startCluster(bin);
const admin = new pg.Client({ connectionString: cluster.url });
await admin.connect();
const dir = mkdtempSync(join(tmpdir(), 'nb-roundtrips-'));
const showBreakdown = process.argv.includes('--breakdown');
try {
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  for (const [n, scenario] of scenarios.entries()) {
    const sqlite = openSqliteStore(join(dir, `s${n}.db`));
    sqlite.topics.sync(topics.records);
    let t = performance.now();
    const sqliteArticles = await scenario.run(sqlite.async);
    const sqliteMs = performance.now() - t;
    sqlite.close();

    await admin.query(`CREATE DATABASE nb_${n}`);
    const url = new URL(cluster.url);
    url.pathname = `/nb_${n}`;
    const store = await openPostgresStore(url.toString(), { max: 2 });
    await store.topics.sync(topics.records);
    counts.clear();
    total = 0;
    counting = true;
    t = performance.now();
    const articles = await scenario.run(store);
    const pgMs = performance.now() - t;
    counting = false;
    await store.close();
    console.log(
      `${scenario.name}: ${articles} articles (SQLite ${sqliteArticles}); PostgreSQL ${total} queries = ${(total / articles).toFixed(1)}/article, ${(pgMs / 1000).toFixed(2)} s (${(pgMs / articles).toFixed(1)} ms/article); SQLite ${(sqliteMs / 1000).toFixed(2)} s (${(sqliteMs / sqliteArticles).toFixed(1)} ms/article)`,
    );
    if (showBreakdown) {
      for (const [key, c] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
        console.log(`   ${(c / articles).toFixed(2).padStart(6)}  ${key}`);
      }
    }
  }
  console.log(
    `load average at end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
} finally {
  await admin.end();
  cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}
