/**
 * Runs async work one piece at a time, in the order asked: what keeps state in memory between awaits (the story
 * indexer's caches, the ingestor's document) is then never changed by two callers at once.
 */
export class OneAtATime {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `work` once every piece asked for before it has settled; resolves or rejects as it does. */
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
