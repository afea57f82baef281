/**
 * Quick timing of near-duplicate + story indexing per article and of a digest over 10,000 articles in one
 * window (the official figures are `npm run bench`'s). Uses the benchmark's synthetic corpus.
 *
 *   node bin/run-ts.js test/digest/timing.ts [--size 10000] [--days 1]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SyntheticCorpus } from '../../bench/synthetic/generate.ts';
import { openApp } from '../../src/app.ts';
import { StoryIndexer } from '../../src/stories/indexer.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const size = arg('size', 10_000);
const days = arg('days', 1);
const slice = Math.max(1, Math.floor(size / 10));

let indexMs = 0;
const index = StoryIndexer.prototype.index;
StoryIndexer.prototype.index = function timed(this: StoryIndexer, id: number) {
  const start = performance.now();
  try {
    return index.call(this, id);
  } finally {
    indexMs += performance.now() - start;
  }
};

const dir = mkdtempSync(join(tmpdir(), 'newsbrief-timing-'));
const corpus = new SyntheticCorpus({ seed: 7, size, days });
const app = openApp({ dbPath: join(dir, 'nb.db'), configPath: null, now: () => corpus.to });
try {
  let ingestMs = 0;
  for (let first = 0; first < size; first += slice) {
    const items = [...corpus.articles(first, first + slice)];
    const before = { index: indexMs, start: performance.now() };
    for (const item of items) {
      const host = item.outlet.host;
      app.ingestor.ingestArticle(
        item.article,
        { key: `site:${host}`, name: item.outlet.name, kind: 'page', url: `https://${host}/` },
        item.article.url ?? `synthetic:${item.index}`,
      );
    }
    const spent = performance.now() - before.start;
    ingestMs += spent;
    console.log(
      `articles ${first + 1}-${first + items.length}: ingest ${(spent / items.length).toFixed(2)} ms/article, ` +
        `of which dedup + story ${((indexMs - before.index) / items.length).toFixed(2)} ms`,
    );
  }
  console.log(
    `all ${size}: ingest ${(ingestMs / size).toFixed(2)} ms/article, dedup + story ${(indexMs / size).toFixed(2)} ms/article`,
  );
  const context = { channel: 'timing', lang: 'ko' as const, timeZone: 'Asia/Seoul' };
  const runs: number[] = [];
  let articles = 0;
  let stories = 0;
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    const reply = await app.commands.digest(context, { from: corpus.from, to: corpus.to });
    runs.push(performance.now() - start);
    if (reply.kind === 'digest') {
      articles = reply.digest.articleCount;
      stories = reply.digest.storyCount;
    }
  }
  runs.sort((a, b) => a - b);
  console.log(
    `digest over ${articles} articles (${stories} stories): median ${runs[2]?.toFixed(0)} ms, ` +
      `runs ${runs.map((r) => r.toFixed(0)).join(' ')}`,
  );
} finally {
  app.close();
  rmSync(dir, { recursive: true, force: true });
}
