import type { TermStatisticsRepository } from '../../storage/repositories.ts';

/** Cached entries beyond this are dropped (a long-running bot meets an open-ended vocabulary). */
const MAX_CACHED = 200_000;

/**
 * Document frequencies for IDF, read through an in-memory cache and written as each document is counted. The
 * stored counts are the truth; when they change behind our back (another process ingested), the cache is
 * dropped.
 */
export class TermStatistics {
  private readonly cache = new Map<string, number>();
  /** The stored document count as we last saw or wrote it; -1 before the first look. */
  private documents = -1;

  constructor(private readonly repository: TermStatisticsRepository) {}

  /** Re-reads the document count and drops the cache if someone else changed the statistics. */
  refresh(): void {
    const stored = this.repository.documentCount();
    if (stored !== this.documents) this.cache.clear();
    this.documents = stored;
  }

  /** Loads the frequencies of terms not cached yet. */
  prefetch(terms: Iterable<string>): void {
    const missing = [...new Set(terms)].filter((term) => !this.cache.has(term));
    if (missing.length === 0) return;
    if (this.cache.size + missing.length > MAX_CACHED) this.cache.clear();
    const found = this.repository.frequencies(missing);
    for (const term of missing) this.cache.set(term, found.get(term) ?? 0);
  }

  /** ln((N + 1) / (df + 0.5)): rare terms weigh most; call `prefetch` for the terms first. */
  idf(term: string): number {
    const df = this.cache.get(term) ?? 0;
    return Math.log((Math.max(this.documents, 0) + 1) / (df + 0.5));
  }

  /** Counts a document's terms in and a replaced version's out. */
  count(add: readonly string[], remove: readonly string[], documents: number): void {
    const deltas = new Map<string, number>();
    const added = new Set(add);
    const removed = new Set(remove);
    for (const term of added) if (!removed.has(term)) deltas.set(term, 1);
    for (const term of removed) if (!added.has(term)) deltas.set(term, -1);
    this.repository.apply(deltas, documents);
    for (const [term, delta] of deltas) {
      const cached = this.cache.get(term);
      if (cached !== undefined) this.cache.set(term, Math.max(0, cached + delta));
    }
    this.documents = Math.max(0, this.documents) + documents;
  }

  /** Forgets everything (after a rolled-back write). */
  reset(): void {
    this.cache.clear();
    this.documents = -1;
  }
}
