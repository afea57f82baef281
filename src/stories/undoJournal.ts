/**
 * What indexing one article changed in an in-memory index, key by key (the value each key held before the
 * article first changed it), so that an article whose indexing fails can be undone.
 */
export class UndoJournal<K, V> {
  private before: Map<K, V> | null = null;

  /** Starts journaling the changes of one article. */
  begin(): void {
    this.before = new Map();
  }

  /** Keeps the changes of the article begun. */
  commit(): void {
    this.before = null;
  }

  /** Stops journaling without undoing anything (the index was cleared). */
  clear(): void {
    this.before = null;
  }

  /** Remembers what `key` holds now, unless the article already changed it (or nothing is being journaled). */
  record(key: K, current: () => V): void {
    if (this.before && !this.before.has(key)) this.before.set(key, current());
  }

  /** Hands every changed key's earlier value to `restore`, and stops journaling. */
  rollback(restore: (key: K, before: V) => void): void {
    const before = this.before;
    this.before = null;
    if (before) for (const [key, value] of before) restore(key, value);
  }
}
