import type { Async } from '../../storage/asyncStore.ts';
import type { TermStatisticsRepository } from '../../storage/repositories.ts';

/** Cached entries beyond this are dropped (a long-running bot meets an open-ended vocabulary). */
const MAX_CACHED = 200_000;
/**
 * A row counting the batches any indexer wrote (no real term starts with `@`): when it moved since we last
 * wrote, another indexer (another process, or the digest's backfill) changed what our caches hold.
 */
export const WRITES_TERM = '@writes';

/**
 * Document frequencies for IDF, read through an in-memory cache. Counts are kept in memory as they change and
 * written once per batch (`flush`): a document changes about 130 frequencies, and one upsert per term per batch
 * instead of per document is most of the saving. The stored counts plus the pending changes are the truth; when
 * the stored counts change behind our back (another process ingested), the cache is dropped.
 */
export class TermStatistics {
  /** Frequencies as stored (without `pending`). */
  private readonly cache = new Map<string, number>();
  /** Changes not written yet: term → change. */
  private readonly pending = new Map<string, number>();
  private pendingDocuments = 0;
  /** The stored document count as we last saw or wrote it; -1 before the first look. */
  private storedDocuments = -1;
  /** The changes of the document being counted, undone if its indexing fails. */
  private current: { terms: string[]; deltas: number[]; documents: number } | null = null;

  constructor(private readonly repository: Async<TermStatisticsRepository>) {}

  /** The stored count of written batches as we last saw or wrote it; -1 before the first look. */
  private storedWrites = -1;

  /**
   * Re-reads the document and batch counts; true (and the cache dropped) when someone else wrote since we last
   * looked, so every cache of stored stories is stale.
   */
  async refresh(): Promise<boolean> {
    const documents = await this.repository.documentCount();
    const writes = (await this.repository.frequencies([WRITES_TERM])).get(WRITES_TERM) ?? 0;
    const changed = documents !== this.storedDocuments || writes !== this.storedWrites;
    if (changed) this.cache.clear();
    this.storedDocuments = documents;
    this.storedWrites = writes;
    return changed;
  }

  /** Loads the stored frequencies of terms not cached yet. */
  async prefetch(terms: Iterable<string>): Promise<void> {
    const missing: string[] = [];
    const seen = new Set<string>();
    for (const term of terms) {
      if (this.cache.has(term) || seen.has(term)) continue;
      seen.add(term);
      missing.push(term);
    }
    if (missing.length === 0) return;
    if (this.cache.size + missing.length > MAX_CACHED) this.cache.clear();
    const found = await this.repository.frequencies(missing);
    for (const term of missing) this.cache.set(term, found.get(term) ?? 0);
  }

  /** ln((N + 1) / (df + 0.5)): rare terms weigh most; call `prefetch` for the terms first. */
  idf(term: string): number {
    const df = Math.max(0, (this.cache.get(term) ?? 0) + (this.pending.get(term) ?? 0));
    const documents = Math.max(this.storedDocuments, 0) + this.pendingDocuments;
    return Math.log((Math.max(documents, 0) + 1) / (df + 0.5));
  }

  /** Counts a document's terms in and a replaced version's out (written by `flush`). */
  count(add: readonly string[], remove: readonly string[], documents: number): void {
    const added = new Set(add);
    const removed = new Set(remove);
    for (const term of added) if (!removed.has(term)) this.change(term, 1);
    for (const term of removed) if (!added.has(term)) this.change(term, -1);
    this.pendingDocuments += documents;
    if (this.current) this.current.documents += documents;
  }

  private change(term: string, delta: number): void {
    this.pending.set(term, (this.pending.get(term) ?? 0) + delta);
    if (this.current) {
      this.current.terms.push(term);
      this.current.deltas.push(delta);
    }
  }

  /** Starts a document whose counts `rollback` can undo. */
  begin(): void {
    this.current = { terms: [], deltas: [], documents: 0 };
  }

  /** Keeps the counts of the document begun. */
  commit(): void {
    this.current = null;
  }

  /** Undoes the counts of the document begun (its indexing failed and was rolled back). */
  rollback(): void {
    const current = this.current;
    this.current = null;
    if (!current) return;
    current.terms.forEach((term, i) => {
      this.pending.set(term, (this.pending.get(term) ?? 0) - (current.deltas[i] as number));
    });
    this.pendingDocuments -= current.documents;
  }

  /**
   * Writes the pending changes (inside the caller's transaction), counting one more written batch when
   * anything was written, here or (`othersWrote`) by the caller.
   */
  async flush(othersWrote = false): Promise<void> {
    const deltas = new Map<string, number>();
    for (const [term, delta] of this.pending) if (delta !== 0) deltas.set(term, delta);
    if (deltas.size > 0 || this.pendingDocuments !== 0 || othersWrote) {
      await this.repository.apply(new Map([...deltas, [WRITES_TERM, 1]]), this.pendingDocuments);
      this.storedWrites = Math.max(0, this.storedWrites) + 1;
    }
    for (const [term, delta] of deltas) {
      const cached = this.cache.get(term);
      if (cached !== undefined) this.cache.set(term, Math.max(0, cached + delta));
    }
    this.storedDocuments = Math.max(0, this.storedDocuments) + this.pendingDocuments;
    this.pending.clear();
    this.pendingDocuments = 0;
  }

  /** Forgets everything, pending changes too (after a rolled-back batch). */
  reset(): void {
    this.cache.clear();
    this.pending.clear();
    this.pendingDocuments = 0;
    this.storedDocuments = -1;
    this.storedWrites = -1;
    this.current = null;
  }
}
