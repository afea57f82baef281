import type { Async } from '../../storage/asyncStore.ts';
import type { StoryRepository } from '../../storage/repositories.ts';
import { UndoJournal } from './undoJournal.ts';

interface Entry {
  storyId: number;
  keys: readonly string[];
  lastMs: number;
}

/** Stories and keys beyond this age (behind the newest window asked for) are dropped from memory. */
const KEEP_BEHIND_MS = 2 * 86_400_000;

/**
 * The keys recent stories are found by (subjects, topics, strongest words), held in memory: finding the
 * candidate stories of an article is then a few map lookups instead of a grouped SQL query, and a story's keys
 * are written once per batch (`flush`) instead of each time it grows. Holds every stored story whose newest
 * article is at or after `coveredSince`, reading older ones from the store when an older article asks. Changes
 * made while indexing one article are journaled, so a failed article leaves it as it found it.
 */
export class StoryKeyIndex {
  private readonly byStory = new Map<number, Entry>();
  /** Key → ids of the stories holding it. */
  private readonly byKey = new Map<string, number[]>();
  /**
   * Story id → its newest time (NaN: not held), and a scratch count per story: story ids are small dense
   * integers, and reading plain arrays beats visiting entry objects or hashing.
   */
  private lastMs = new Float64Array(1024).fill(Number.NaN);
  private counts = new Int32Array(1024);
  /** Stories whose keys or newest time are not written yet. */
  private readonly unwritten = new Set<number>();
  private coveredSince = Number.POSITIVE_INFINITY;
  private readonly journal = new UndoJournal<number, { entry: Entry | undefined; unwritten: boolean }>();

  constructor(private readonly repository: Async<StoryRepository>) {}

  /**
   * Stories holding one of `keys` whose newest article is at or after `sinceMs`, most shared keys first (then
   * the newest story): the same choice as `StoryRepository.candidates`.
   */
  async candidates(keys: readonly string[], sinceMs: number, limit: number): Promise<number[]> {
    await this.cover(sinceMs);
    const { lastMs, counts } = this;
    const found: number[] = [];
    for (const key of new Set(keys)) {
      for (const id of this.byKey.get(key) ?? []) {
        if (!((lastMs[id] as number) >= sinceMs)) continue;
        if (counts[id] === 0) found.push(id);
        counts[id] = (counts[id] as number) + 1;
      }
    }
    const ranked = found.map((id): [number, number] => [id, counts[id] as number]);
    for (const id of found) counts[id] = 0;
    ranked.sort((a, b) => b[1] - a[1] || b[0] - a[0]);
    if (ranked.length > limit) ranked.length = limit;
    return ranked.map(([id]) => id);
  }

  /** Whether the story's keys and time are these already. */
  has(storyId: number, keys: readonly string[], lastMs: number): boolean {
    const entry = this.byStory.get(storyId);
    if (!entry || entry.lastMs !== lastMs || entry.keys.length !== keys.length) return false;
    const known = new Set(entry.keys);
    return keys.every((key) => known.has(key));
  }

  /** Sets a story's keys and newest time (written by `flush`). */
  set(storyId: number, keys: readonly string[], lastMs: number): void {
    this.record(storyId);
    this.replace(storyId, { storyId, keys: [...new Set(keys)], lastMs });
    this.unwritten.add(storyId);
  }

  /** Forgets a deleted story (its stored keys go with it). */
  delete(storyId: number): void {
    this.record(storyId);
    this.replace(storyId, undefined);
    this.unwritten.delete(storyId);
  }

  /** Writes the keys that changed, together (inside the caller's transaction). */
  async flush(): Promise<boolean> {
    const changed: Entry[] = [];
    for (const storyId of this.unwritten) {
      const entry = this.byStory.get(storyId);
      if (entry) changed.push(entry);
    }
    if (changed.length > 0) await this.repository.setKeysMany(changed);
    const wrote = this.unwritten.size > 0;
    this.unwritten.clear();
    return wrote;
  }

  begin(): void {
    this.journal.begin();
  }

  commit(): void {
    this.journal.commit();
  }

  /** Puts back what the article begun changed. */
  rollback(): void {
    this.journal.rollback((storyId, before) => {
      this.replace(storyId, before.entry);
      if (before.unwritten) this.unwritten.add(storyId);
      else this.unwritten.delete(storyId);
    });
  }

  /** Forgets everything, unwritten keys too (after a rolled-back batch, or when someone else wrote). */
  clear(): void {
    this.byStory.clear();
    this.byKey.clear();
    this.lastMs.fill(Number.NaN);
    this.unwritten.clear();
    this.coveredSince = Number.POSITIVE_INFINITY;
    this.journal.clear();
  }

  /** Makes sure every stored story newer than `sinceMs` is held; drops those far behind it. */
  private async cover(sinceMs: number): Promise<void> {
    if (sinceMs < this.coveredSince) {
      const before = Number.isFinite(this.coveredSince) ? this.coveredSince : Number.MAX_SAFE_INTEGER;
      for (const stored of await this.repository.keysBetween(sinceMs, before)) {
        // A story held here is newer than its stored row.
        if (!this.byStory.has(stored.storyId)) this.replace(stored.storyId, stored);
      }
      this.coveredSince = sinceMs;
    } else if (sinceMs - this.coveredSince > 2 * KEEP_BEHIND_MS) {
      const keepSince = sinceMs - KEEP_BEHIND_MS;
      for (const entry of [...this.byStory.values()]) {
        if (entry.lastMs >= keepSince || this.unwritten.has(entry.storyId)) continue;
        this.record(entry.storyId);
        this.replace(entry.storyId, undefined);
      }
      this.coveredSince = keepSince;
    }
  }

  private record(storyId: number): void {
    this.journal.record(storyId, () => ({ entry: this.byStory.get(storyId), unwritten: this.unwritten.has(storyId) }));
  }

  private replace(storyId: number, entry: Entry | undefined): void {
    const old = this.byStory.get(storyId);
    const kept = new Set(entry?.keys);
    for (const key of old?.keys ?? []) {
      if (kept.has(key)) continue;
      const holders = this.byKey.get(key) as number[];
      holders.splice(holders.indexOf(storyId), 1);
      if (holders.length === 0) this.byKey.delete(key);
    }
    if (!entry) {
      this.byStory.delete(storyId);
      if (storyId < this.lastMs.length) this.lastMs[storyId] = Number.NaN;
      return;
    }
    const had = new Set(old?.keys);
    for (const key of entry.keys) {
      if (had.has(key)) continue;
      const holders = this.byKey.get(key);
      if (holders) holders.push(storyId);
      else this.byKey.set(key, [storyId]);
    }
    this.byStory.set(storyId, entry);
    this.grow(storyId);
    this.lastMs[storyId] = entry.lastMs;
  }

  /** Makes the per-story arrays reach this id. */
  private grow(storyId: number): void {
    if (storyId < this.lastMs.length) return;
    let size = this.lastMs.length;
    while (size <= storyId) size *= 2;
    const lastMs = new Float64Array(size).fill(Number.NaN);
    lastMs.set(this.lastMs);
    this.lastMs = lastMs;
    this.counts = new Int32Array(size);
  }
}
