import type { Async } from '../../storage/asyncStore.ts';
import type { StoryRecord, StoryRepository } from '../../storage/repositories.ts';
import { profileFromRecord, profileToRecord, type StoryProfile } from './profile.ts';
import { UndoJournal } from './undoJournal.ts';

/** A story as the indexer computes on it: the stored record with its profile as vectors. */
export interface Story extends Omit<StoryRecord, 'profile'> {
  profile: StoryProfile;
}

/** Stories kept between articles. */
const MAX_CACHED_STORIES = 5_000;

interface Entry {
  /** Never changed in place: a change puts a new object, so a rolled-back article can put the old one back. */
  story: Story;
  /** Changed since it was last written. */
  dirty: boolean;
}

/**
 * The stories the indexer reads and changes, kept between articles (the indexer drops them when another
 * indexer wrote). A growing story changes with nearly every article that joins it; its row (profile, span,
 * tags) is written once per batch by `flush` rather than each time. Changes made while indexing one article
 * are journaled, so a failed article leaves the cache as it found it.
 */
export class StoryCache {
  private readonly entries = new Map<number, Entry>();
  /** Entries as they were before the article being indexed changed them (undefined: absent). */
  private readonly journal = new UndoJournal<number, Entry | undefined>();

  constructor(private readonly repository: Async<StoryRepository>) {}

  /** The stories with these ids that exist, in the given order. */
  async get(ids: readonly number[]): Promise<Story[]> {
    const missing = ids.filter((id) => !this.entries.has(id));
    for (const record of missing.length > 0 ? await this.repository.getMany(missing) : []) {
      this.set({ story: { ...record, profile: profileFromRecord(record.profile) }, dirty: false });
    }
    const out: Story[] = [];
    for (const id of ids) {
      const entry = this.entries.get(id);
      if (entry) out.push(entry.story);
    }
    return out;
  }

  async getOne(id: number): Promise<Story | null> {
    return (await this.get([id]))[0] ?? null;
  }

  /** The changed (or just created) story, a new object, to be written by `flush`. */
  put(story: Story): void {
    this.set({ story, dirty: true });
  }

  /** Forgets a deleted story. */
  forget(id: number): void {
    if (!this.entries.has(id)) return;
    this.record(id);
    this.entries.delete(id);
  }

  /** Writes every changed story, together (inside the caller's transaction); true when there was one. */
  async flush(): Promise<boolean> {
    const changed = [...this.entries.values()].filter((entry) => entry.dirty).map((entry) => entry.story);
    if (changed.length === 0) return false;
    const versions = await this.repository.updateMany(
      changed.map((story) => ({ ...story, profile: profileToRecord(story.profile) })),
    );
    changed.forEach((story, i) => {
      this.entries.set(story.id, { story: { ...story, version: versions[i] ?? story.version }, dirty: false });
    });
    return true;
  }

  /** Starts journaling the changes of one article. */
  begin(): void {
    this.journal.begin();
  }

  /** Keeps the changes of the article begun. */
  commit(): void {
    this.journal.commit();
  }

  /** Puts back what the article begun changed. */
  rollback(): void {
    this.journal.rollback((id, entry) => {
      if (entry) this.entries.set(id, entry);
      else this.entries.delete(id);
    });
  }

  /** Forgets everything, unwritten changes too (after a rolled-back batch, or when someone else wrote). */
  clear(): void {
    this.entries.clear();
    this.journal.clear();
  }

  private record(id: number): void {
    this.journal.record(id, () => this.entries.get(id));
  }

  private set(entry: Entry): void {
    const id = entry.story.id;
    this.record(id);
    this.entries.delete(id);
    if (this.entries.size >= MAX_CACHED_STORIES) this.evictOne();
    this.entries.set(id, entry);
  }

  /** Drops the least recently stored entry that holds no unwritten change. */
  private evictOne(): void {
    for (const [id, entry] of this.entries) {
      if (entry.dirty) continue;
      this.record(id);
      this.entries.delete(id);
      return;
    }
  }
}
