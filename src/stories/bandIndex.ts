import type { Async } from '../../storage/asyncStore.ts';
import type { DuplicateRepository } from '../../storage/repositories.ts';
import { BANDS, bandKeys, signatureFromBytes } from './minhash.ts';
import { UndoJournal } from './undoJournal.ts';

/** An article in the band index: its place in time, shingle count, MinHash signature and LSH band keys. */
export interface IndexedSignature {
  articleId: number;
  timeMs: number;
  shingleCount: number;
  signature: Uint32Array;
  bands: readonly number[];
}

const DAY_MS = 86_400_000;
/** A window this close to the one held is added to it (the usual case: articles arrive in time order). */
const ADJACENT_MS = DAY_MS;
/**
 * When the time held grows beyond this, what lies outside the newest window asked for (and a margin) is dropped:
 * articles held outside the window are visited for nothing.
 */
const MAX_SPAN_MS = 8 * DAY_MS;
const KEEP_AROUND_MS = DAY_MS / 4;

/**
 * The LSH band index of the near-duplicate detector, held in memory for a span of time: the articles sharing a
 * band with a new one are found with a few map lookups. Articles of the window asked for are read from their
 * stored signatures (band keys are computed from them) the first time it is asked for; articles arriving in time
 * order extend the span held, and what falls far behind is dropped. A window far before the span held is
 * answered from the stored signatures without keeping them. Changes made while indexing one article are
 * journaled, so a failed article leaves the index as it found it.
 */
export class BandIndex {
  private readonly articles = new Map<number, IndexedSignature>();
  /**
   * Band key → the articles holding it, as [id, time, id, time, …]: walking plain numbers side by side is much
   * faster than visiting article objects spread over the heap.
   */
  private readonly byBand = new Map<number, number[]>();
  private counts = new Int32Array(1024);
  /** Every stored signature placed in [coveredFrom, coveredTo] is held (an empty span when from > to). */
  private coveredFrom = Number.POSITIVE_INFINITY;
  private coveredTo = Number.NEGATIVE_INFINITY;
  private readonly journal = new UndoJournal<number, IndexedSignature | undefined>();

  constructor(private readonly repository: Async<DuplicateRepository>) {}

  /** Adds (or replaces) an article whose signature was just stored. */
  put(article: IndexedSignature): void {
    this.record(article.articleId);
    this.remove(article.articleId);
    if (article.timeMs >= this.coveredFrom && article.timeMs <= this.coveredTo) this.add(article);
  }

  /**
   * Articles placed in [fromMs, toMs], other than `excludeId`, that share a band with `bands`: the `limit`
   * sharing the most, then the oldest ids first.
   */
  async candidates(
    bands: readonly number[],
    fromMs: number,
    toMs: number,
    excludeId: number,
    limit: number,
  ): Promise<{ article: IndexedSignature; sharedBands: number }[]> {
    // Counted by id (a small integer hashes fastest): an article collides with hundreds of others when many
    // articles share boilerplate or a template.
    const shared = new Map<number, number>();
    const wanted = new Set(bands);
    let found = this.articles;
    if (await this.cover(fromMs, toMs)) {
      // Counted in a scratch array indexed by article id (ids are small dense integers), reset afterwards.
      const hits: number[] = [];
      for (const band of wanted) {
        const holders = this.byBand.get(band);
        if (!holders) continue;
        for (let i = 0; i < holders.length; i += 2) {
          const id = holders[i] as number;
          const timeMs = holders[i + 1] as number;
          if (id === excludeId || timeMs < fromMs || timeMs > toMs) continue;
          if (id >= this.counts.length) this.counts = grown(this.counts, id);
          if (this.counts[id] === 0) hits.push(id);
          this.counts[id] = (this.counts[id] as number) + 1;
        }
      }
      for (const id of hits) {
        shared.set(id, this.counts[id] as number);
        this.counts[id] = 0;
      }
    } else {
      // A window far before the one held: its stored signatures are read and compared one by one.
      found = new Map((await this.read(fromMs, toMs)).map((article) => [article.articleId, article]));
      for (const article of found.values()) {
        if (article.articleId === excludeId) continue;
        let count = 0;
        for (const band of new Set(article.bands)) if (wanted.has(band)) count++;
        if (count > 0) shared.set(article.articleId, count);
      }
    }
    return mostShared(shared, limit).map(([id, sharedBands]) => ({
      article: found.get(id) as IndexedSignature,
      sharedBands,
    }));
  }

  begin(): void {
    this.journal.begin();
  }

  commit(): void {
    this.journal.commit();
  }

  /** Puts back what the article begun changed. */
  rollback(): void {
    this.journal.rollback((articleId, before) => {
      this.remove(articleId);
      if (before) this.add(before);
    });
  }

  /** Forgets everything (after a rolled-back batch, or when someone else wrote). */
  clear(): void {
    this.articles.clear();
    this.byBand.clear();
    this.coveredFrom = Number.POSITIVE_INFINITY;
    this.coveredTo = Number.NEGATIVE_INFINITY;
    this.journal.clear();
  }

  /**
   * Makes the span held include [fromMs, toMs] when it is the first window, near the span held or newer than
   * it; false for a window far before it (not held: read it once instead).
   */
  private async cover(fromMs: number, toMs: number): Promise<boolean> {
    if (fromMs >= this.coveredFrom && toMs <= this.coveredTo) return true;
    const empty = this.coveredFrom > this.coveredTo;
    const near = fromMs <= this.coveredTo + ADJACENT_MS && toMs >= this.coveredFrom - ADJACENT_MS;
    if (!empty && !near && toMs < this.coveredFrom) return false;
    // Held ahead of the window too: the next articles' windows reach a little further each time.
    const aheadTo = toMs + KEEP_AROUND_MS;
    if (empty || !near) {
      this.dropAll();
      await this.load(fromMs, aheadTo);
      this.coveredFrom = fromMs;
      this.coveredTo = aheadTo;
      return true;
    }
    if (fromMs < this.coveredFrom) await this.load(fromMs, this.coveredFrom - 1);
    if (toMs > this.coveredTo) await this.load(this.coveredTo + 1, aheadTo);
    this.coveredFrom = Math.min(this.coveredFrom, fromMs);
    this.coveredTo = Math.max(this.coveredTo, toMs > this.coveredTo ? aheadTo : toMs);
    if (this.coveredTo - this.coveredFrom > MAX_SPAN_MS) this.keep(fromMs - KEEP_AROUND_MS, aheadTo);
    return true;
  }

  /** Stored signatures in [fromMs, toMs] with their band keys. */
  private async read(fromMs: number, toMs: number): Promise<IndexedSignature[]> {
    return (await this.repository.signaturesBetween(fromMs, toMs)).map((stored) => {
      const signature = signatureFromBytes(stored.minhash);
      return {
        articleId: stored.articleId,
        timeMs: stored.timeMs,
        shingleCount: stored.shingleCount,
        signature,
        bands: bandKeys(signature),
      };
    });
  }

  private async load(fromMs: number, toMs: number): Promise<void> {
    // An article held already is what is stored (or newer, within this batch).
    for (const article of await this.read(fromMs, toMs)) if (!this.articles.has(article.articleId)) this.add(article);
  }

  /** Drops the articles outside [fromMs, toMs] and holds that span only. */
  private keep(fromMs: number, toMs: number): void {
    for (const article of this.articles.values()) {
      if (article.timeMs >= fromMs && article.timeMs <= toMs) continue;
      this.record(article.articleId);
      this.articles.delete(article.articleId);
    }
    // Every list is compacted in place (an article's time is stored beside its id).
    for (const [band, holders] of this.byBand) {
      let kept = 0;
      for (let i = 0; i < holders.length; i += 2) {
        const timeMs = holders[i + 1] as number;
        if (timeMs < fromMs || timeMs > toMs) continue;
        holders[kept++] = holders[i] as number;
        holders[kept++] = timeMs;
      }
      if (kept === 0) this.byBand.delete(band);
      else holders.length = kept;
    }
    this.coveredFrom = Math.max(this.coveredFrom, fromMs);
    this.coveredTo = Math.min(this.coveredTo, toMs);
  }

  private dropAll(): void {
    for (const articleId of this.articles.keys()) this.record(articleId);
    this.articles.clear();
    this.byBand.clear();
  }

  private record(articleId: number): void {
    this.journal.record(articleId, () => this.articles.get(articleId));
  }

  private add(article: IndexedSignature): void {
    this.articles.set(article.articleId, article);
    for (const band of new Set(article.bands)) {
      const holders = this.byBand.get(band);
      if (holders) holders.push(article.articleId, article.timeMs);
      else this.byBand.set(band, [article.articleId, article.timeMs]);
    }
  }

  private remove(articleId: number): void {
    const article = this.articles.get(articleId);
    if (!article) return;
    this.articles.delete(articleId);
    for (const band of new Set(article.bands)) {
      const holders = this.byBand.get(band);
      if (!holders) continue;
      for (let i = 0; i < holders.length; i += 2) {
        if (holders[i] === articleId) {
          holders.splice(i, 2);
          break;
        }
      }
      if (holders.length === 0) this.byBand.delete(band);
    }
  }
}

/** A zeroed array long enough to hold index `id`. */
function grown(counts: Int32Array<ArrayBuffer>, id: number): Int32Array<ArrayBuffer> {
  let size = counts.length;
  while (size <= id) size *= 2;
  const out = new Int32Array(size);
  out.set(counts);
  return out;
}

function byRank(a: [number, number], b: [number, number]): number {
  return b[1] - a[1] || a[0] - b[0];
}

/**
 * The `limit` articles (id → bands shared) sharing the most bands, then the oldest ids: most of the hundreds an
 * article collides with share one band, so only the few above the cut are sorted, and of those at the cut only
 * the oldest are kept.
 */
function mostShared(shared: Map<number, number>, limit: number): [number, number][] {
  if (shared.size <= limit) return [...shared].sort(byRank);
  // The cut: the highest count that `limit` articles reach (counts are at most the number of bands).
  const withCount = new Int32Array(BANDS + 1);
  for (const count of shared.values()) withCount[count] = (withCount[count] as number) + 1;
  let cut = BANDS;
  let reaching = withCount[BANDS] as number;
  while (reaching < limit && cut > 1) reaching += withCount[--cut] as number;
  const above: [number, number][] = [];
  const atCut: number[] = [];
  for (const [id, count] of shared) {
    if (count > cut) above.push([id, count]);
    else if (count === cut) atCut.push(id);
  }
  const oldestAtCut = Float64Array.from(atCut)
    .sort()
    .subarray(0, limit - above.length);
  return [...above.sort(byRank), ...Array.from(oldestAtCut, (id): [number, number] => [id, cut])];
}
