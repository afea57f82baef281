/**
 * Engine-level figures on either backend (issue 17): the synthetic corpus through the real `Ingestor` of an app
 * opened by `openAppOn` (tags, copies, stories), then `CommandHandler.search` over the query mix and
 * `CommandHandler.digest` for the last 24 hours, end to end. bench/storageBackends.ts runs it on SQLite and on
 * PostgreSQL beside its storage-level figures.
 */
import type { App } from '../../src/app.ts';
import type { CommandContext } from '../../src/commands/handle.ts';
import { progress } from '../lib/progress.ts';
import { type Spread, spread } from '../lib/stats.ts';
import { ingestCorpus, ingestFigure } from '../speed/ingestCorpus.ts';
import { QUERY_MIX } from '../speed/queries.ts';
import { measureSearch, type SearchLatency } from '../speed/searchLatency.ts';
import type { IngestFigure } from '../speed/types.ts';
import type { SyntheticCorpus } from '../synthetic/generate.ts';

const DIGEST_CONTEXT: CommandContext = { channel: 'bench:engine-digest', lang: 'ko', timeZone: 'Asia/Seoul' };
const DAY_MS = 86_400_000;

export interface EngineResult {
  ingest: IngestFigure;
  /** The clock searches and digests ran at: the newest article ingested. */
  now: string;
  search: SearchLatency;
  digest: { ms: Spread; articles: number; stories: number; from: string; to: string };
}

/** A clock that runs until it is pinned (at the newest article, for the searches and digests). */
export class PinnableClock {
  private pinned: Date | null = null;
  readonly now = (): Date => this.pinned ?? new Date();
  pin(at: Date): void {
    this.pinned = at;
  }
}

/** Feeds the corpus through the app's Ingestor, slice by slice, stopping after `limitSeconds` of ingest time. */
export async function ingestThroughEngine(
  app: App,
  corpus: SyntheticCorpus,
  sliceSize: number,
  limitSeconds: number | null,
): Promise<IngestFigure> {
  const timings = await ingestCorpus(corpus, app.ingestor, sliceSize, limitSeconds ?? Number.POSITIVE_INFINITY);
  return ingestFigure(timings, corpus.size, limitSeconds);
}

/** Search and digest through the app's CommandHandler, at the newest article (the clock is pinned there). */
export async function commandsThroughEngine(
  app: App,
  clock: PinnableClock,
  ingest: IngestFigure,
  passes: number,
  label: string,
): Promise<EngineResult> {
  const newest = await app.storage.articles.latestPublishedAt();
  if (!newest) throw new Error(`${label}: no articles were ingested`);
  const to = new Date(newest);
  clock.pin(to);
  progress(`${label}: CommandHandler.search, ${QUERY_MIX.length} queries × ${passes} passes (after a warm-up)`);
  const search = await measureSearch(app.commands, QUERY_MIX, passes);
  const from = new Date(to.getTime() - DAY_MS);
  progress(`${label}: CommandHandler.digest, last 24h × ${passes} (after a warm-up)`);
  const first = await app.commands.digest(DIGEST_CONTEXT, { from, to });
  const runs: number[] = [];
  for (let run = 0; run < passes; run++) {
    const start = performance.now();
    await app.commands.digest(DIGEST_CONTEXT, { from, to });
    runs.push(performance.now() - start);
  }
  return {
    ingest,
    now: to.toISOString(),
    search,
    digest: {
      ms: spread(runs),
      articles: first.kind === 'digest' ? first.digest.articleCount : 0,
      stories: first.kind === 'digest' ? first.digest.storyCount : 0,
      from: from.toISOString(),
      to: to.toISOString(),
    },
  };
}
