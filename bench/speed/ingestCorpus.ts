import type { Ingestor } from '../../src/ingest/ingest.ts';
import { progress } from '../lib/progress.ts';
import { spread } from '../lib/stats.ts';
import { elapsedMs } from '../lib/timing.ts';
import type { SyntheticArticle, SyntheticCorpus } from '../synthetic/generate.ts';
import type { IngestFigure } from './types.ts';

type SourceInfo = Parameters<Ingestor['ingestArticle']>[1];

export function sourceOf(item: SyntheticArticle): SourceInfo {
  return { key: `site:${item.outlet.host}`, name: item.outlet.name, kind: 'page', url: `https://${item.outlet.host}/` };
}

export interface IngestTimings {
  /** Articles fed to the ingestor (fewer than the corpus when the time limit stopped it). */
  articles: number;
  statuses: Record<string, number>;
  sliceSize: number;
  /** Per slice: articles ingested and seconds spent in the ingestor (generation is not timed). */
  slices: { articles: number; seconds: number }[];
  korean: number;
  english: number;
  wireCopies: number;
}

/**
 * Feeds the corpus through the real ingest pipeline (`Ingestor.ingestArticle`: canonical key, merge, content
 * hash, store, topic tags, FTS index and, unless the ingestor leaves it out, near-duplicate and story indexing),
 * slice by slice: each slice is generated first, then only the ingestion is timed. With `limitSeconds`,
 * ingestion stops once that much ingest time is spent.
 */
export async function ingestCorpus(
  corpus: SyntheticCorpus,
  ingestor: Ingestor,
  sliceSize: number,
  limitSeconds = Number.POSITIVE_INFINITY,
): Promise<IngestTimings> {
  const result: IngestTimings = {
    articles: 0,
    statuses: {},
    sliceSize,
    slices: [],
    korean: 0,
    english: 0,
    wireCopies: 0,
  };
  let spentMs = 0;
  const limitMs = limitSeconds * 1000;
  let lastReport = 0;
  for (let first = 0; first < corpus.size && spentMs < limitMs; first += sliceSize) {
    const slice = [...corpus.articles(first, first + sliceSize)];
    const start = performance.now();
    let done = 0;
    // A slice is one batch, as a feed is when newsbrief ingests it: one commit per slice.
    ingestor.beginDocument();
    await ingestor.batch(async (batch) => {
      for (const item of slice) {
        if (spentMs + elapsedMs(start) >= limitMs) break;
        const outcome = await batch.ingestArticle(
          item.article,
          sourceOf(item),
          item.article.url ?? `synthetic:${item.index}`,
        );
        result.statuses[outcome.status] = (result.statuses[outcome.status] ?? 0) + 1;
        if (item.article.lang === 'ko') result.korean++;
        else result.english++;
        if (item.copyOf !== null) result.wireCopies++;
        done++;
      }
    });
    const ms = elapsedMs(start);
    spentMs += ms;
    result.articles += done;
    if (done > 0) result.slices.push({ articles: done, seconds: ms / 1000 });
    if (performance.now() - lastReport > 5000 || result.articles === corpus.size) {
      lastReport = performance.now();
      const rate = Math.round(done / (ms / 1000));
      progress(
        `  ingested ${result.articles.toLocaleString('en-US')}/${corpus.size.toLocaleString('en-US')} (${rate}/s)`,
      );
    }
  }
  return result;
}

/** The figures of one ingest run: the median over full slices (a cut-off last slice counts overall only). */
export function ingestFigure(timings: IngestTimings, size: number, limitSeconds: number | null): IngestFigure {
  const fullSlices = timings.slices.filter((s, i) => s.articles === timings.sliceSize || i === 0);
  const perSlice = fullSlices.map((s) => s.articles / s.seconds);
  const totalSeconds = timings.slices.reduce((total, s) => total + s.seconds, 0);
  return {
    articles: timings.articles,
    complete: timings.articles === size,
    limitSeconds,
    statuses: timings.statuses,
    totalSeconds,
    overallPerSecond: timings.articles / totalSeconds,
    sliceSize: timings.sliceSize,
    perSecond: spread(perSlice),
    firstSlicePerSecond: perSlice[0] as number,
    lastSlicePerSecond: perSlice.at(-1) as number,
  };
}
