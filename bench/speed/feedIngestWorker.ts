/**
 * Worker for the whole ingest path from bytes: the first `--articles` synthetic articles are written as RSS
 * feeds (50 full-text items each) into a temp folder, then `Ingestor.ingestPaths` reads, decodes, parses,
 * cleans, dedups, tags, indexes and stores them, `--runs` times into fresh databases. Prints one JSON line:
 * `{"articles", "feeds", "perSecond": [..]}`.
 *
 *   node bin/run-ts.js bench/speed/feedIngestWorker.ts --dir TMP [--articles 2000] [--runs 3] [--seed 42]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApp } from '../../src/app.ts';
import { parseArgs, positiveInt } from '../lib/args.ts';
import { progress } from '../lib/progress.ts';
import { rssFeed } from '../synthetic/feedXml.ts';
import { SyntheticCorpus } from '../synthetic/generate.ts';

const ITEMS_PER_FEED = 50;

const args = parseArgs(process.argv.slice(2), ['dir', 'articles', 'runs', 'seed'], []);
const dir = args.values.get('dir');
if (!dir) throw new Error('--dir is required');
const count = positiveInt(args.values.get('articles') ?? '2000', 'articles');
const runs = positiveInt(args.values.get('runs') ?? '3', 'runs');
const seed = positiveInt(args.values.get('seed') ?? '42', 'seed');

// The same articles as the first `count` of a 10k corpus (dates spread as in that corpus).
const corpus = new SyntheticCorpus({ seed, size: Math.max(count, 10_000) });
const feedDir = join(dir, 'feeds');
mkdirSync(feedDir, { recursive: true });
const items = [...corpus.articles(0, count)];
let feeds = 0;
for (const lang of ['ko', 'en'] as const) {
  const ofLang = items.filter((item) => item.article.lang === lang);
  for (let first = 0; first < ofLang.length; first += ITEMS_PER_FEED) {
    const slice = ofLang.slice(first, first + ITEMS_PER_FEED);
    const xml = rssFeed(`Synthetic ${lang} feed ${feeds}`, `https://feeds.example/${feeds}`, lang, slice);
    writeFileSync(join(feedDir, `feed-${String(feeds).padStart(4, '0')}.xml`), xml);
    feeds++;
  }
}

const perSecond: number[] = [];
let added = 0;
for (let run = 0; run < runs; run++) {
  const app = openApp({ dbPath: join(dir, `feed-run-${run}.db`), configPath: null });
  try {
    const start = performance.now();
    const report = await app.ingestor.ingestPaths([feedDir]);
    const ms = performance.now() - start;
    added = report.counts.added;
    perSecond.push(count / (ms / 1000));
    progress(`  feed path run ${run + 1}/${runs}: ${Math.round(count / (ms / 1000))} articles/s (${added} added)`);
  } finally {
    app.close();
  }
}
process.stdout.write(`${JSON.stringify({ articles: count, feeds, added, perSecond })}\n`);
