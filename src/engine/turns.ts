/**
 * Starts queued work one piece at a time, with room for I/O between pieces. Handling a command is mostly
 * synchronous (SQLite reads, ranking, rendering), so a burst of commands run as they arrive would hold the
 * thread for the whole burst, and the acknowledgements, defers and heartbeats the platforms wait for (Slack
 * and Discord allow 3 s) would queue behind it. Here, while work is waiting, each piece is followed by a pause
 * as long as its synchronous part took (at most MAX_PAUSE_MS): the platforms' I/O gets at least half the
 * thread during a burst. A lone command starts at the next turn of the event loop, without a pause. Only the
 * starts are spaced: work waiting on the network (a language model, a fetch) overlaps as before.
 */
const MAX_PAUSE_MS = 100;

export class Turns {
  private readonly queue: (() => void)[] = [];
  private draining = false;

  /** Runs `work` once its turn comes (in order of calls); resolves or rejects as it does. */
  take<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push(() => {
        try {
          work().then(resolve, reject);
        } catch (error) {
          reject(error);
        }
      });
      if (!this.draining) {
        this.draining = true;
        setImmediate(() => this.next());
      }
    });
  }

  /** Pieces of work waiting for their turn. */
  get waiting(): number {
    return this.queue.length;
  }

  private next(): void {
    const piece = this.queue.shift();
    if (!piece) {
      this.draining = false;
      return;
    }
    const started = performance.now();
    piece();
    const pause = Math.min(MAX_PAUSE_MS, performance.now() - started);
    if (this.queue.length === 0) {
      this.draining = false;
      return;
    }
    setTimeout(() => this.next(), pause);
  }
}
