import type { FeedSource, SourceFetchOutcome } from './remote.ts';

/** What the poller needs to fetch a source: `RemoteIngestor` fits. */
export interface SourceFetcher {
  refreshFeed(feed: FeedSource, now?: Date): Promise<SourceFetchOutcome>;
}

export interface PollerOptions {
  fetcher: SourceFetcher;
  feeds: readonly FeedSource[];
  /** When the source is due (its stored `nextFetchAt`); null: never fetched, or due now. */
  dueAt: (feed: FeedSource) => string | null;
  now?: () => Date;
  random?: () => number;
  /** After every fetch, whatever its outcome. */
  onFetched?: (feed: FeedSource, outcome: SourceFetchOutcome, ms: number) => void;
  /**
   * When a fetch threw: the store failed (`refreshFeed` reports the feed's failures as outcomes), or a bug. The source
   * is retried later, without counting against its health.
   */
  onError?: (feed: FeedSource, error: unknown) => void;
}

/** Sources never fetched start within this spread, so a config of many feeds does not fetch them all at once. */
const START_SPREAD_MS = 2_000;
/** Each later fetch is delayed by up to this share of its wait (at most `MAX_JITTER_MS`), so polls drift apart. */
const JITTER_SHARE = 0.1;
const MAX_JITTER_MS = 60_000;
/** A source whose fetch threw is tried again after this. */
const RETRY_AFTER_ERROR_MS = 5 * 60_000;
/** setTimeout's limit; longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Slot {
  feed: FeedSource;
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
  /** Callers waiting for the next fetch that starts after they asked. */
  waiters: (() => void)[];
}

/**
 * Keeps configured sources fresh: each on its own timer (its stored due time plus jitter), never two fetches of
 * one source at once, and a slow or failing source never delays another (fetches run independently). A source
 * never fetched is fetched at start.
 */
export class SourcePoller {
  private readonly slots = new Map<string, Slot>();
  private readonly now: () => Date;
  private readonly random: () => number;
  private stopped = true;
  private firstRound: Promise<void> = Promise.resolve();

  constructor(private readonly options: PollerOptions) {
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
    for (const feed of options.feeds) {
      if (!this.slots.has(feed.url)) this.slots.set(feed.url, { feed, timer: null, running: null, waiters: [] });
    }
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const firsts: Promise<void>[] = [];
    for (const slot of this.slots.values()) {
      const due = this.options.dueAt(slot.feed);
      const wait = due === null ? this.random() * START_SPREAD_MS : Date.parse(due) - this.now().getTime();
      if (due === null || wait <= 0) firsts.push(this.fetchSoon(slot, Math.max(0, wait)));
      else this.arm(slot, wait + this.jitter(wait));
    }
    this.firstRound = Promise.all(firsts).then(() => undefined);
  }

  /** Resolves when every source that was due at start has been fetched once. */
  initialRound(): Promise<void> {
    return this.firstRound;
  }

  /** Fetches the source now (or right after its running fetch); resolves when that fetch is done. */
  refresh(url: string): Promise<void> {
    const slot = this.slots.get(url);
    if (!slot || this.stopped) return Promise.resolve();
    return this.fetchSoon(slot, 0);
  }

  /** Starts polling a source added while running (from chat), fetching it within `delayMs`. */
  add(feed: FeedSource, delayMs = 0): void {
    if (this.slots.has(feed.url)) return;
    const slot: Slot = { feed, timer: null, running: null, waiters: [] };
    this.slots.set(feed.url, slot);
    if (!this.stopped) this.arm(slot, delayMs);
  }

  /** Stops polling a source (a fetch under way finishes). */
  remove(url: string): void {
    const slot = this.slots.get(url);
    if (!slot) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    this.slots.delete(url);
    for (const waiter of slot.waiters.splice(0)) waiter();
  }

  /** Stops scheduling; resolves when the fetches under way have finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const slot of this.slots.values()) {
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = null;
    }
    await Promise.all([...this.slots.values()].map((s) => s.running));
    for (const slot of this.slots.values()) for (const waiter of slot.waiters.splice(0)) waiter();
  }

  /** A fetch of the source within `delayMs` (after the one running, if any); resolves when it is done. */
  private fetchSoon(slot: Slot, delayMs: number): Promise<void> {
    return new Promise((resolve) => {
      slot.waiters.push(resolve);
      // A running fetch re-arms the source when it ends, and sees the waiter then.
      if (!slot.running) this.arm(slot, delayMs);
    });
  }

  private arm(slot: Slot, delayMs: number): void {
    if (slot.timer) clearTimeout(slot.timer);
    const wait = Math.min(Math.max(0, delayMs), MAX_TIMER_MS);
    slot.timer = setTimeout(() => {
      slot.timer = null;
      if (this.stopped) return;
      if (wait < delayMs) this.arm(slot, delayMs - wait);
      else this.run(slot);
    }, wait);
    slot.timer.unref?.();
  }

  private run(slot: Slot): void {
    const waiting = slot.waiters.splice(0);
    const started = performance.now();
    slot.running = this.options.fetcher
      .refreshFeed(slot.feed, this.now())
      .then(
        (outcome) => {
          this.options.onFetched?.(slot.feed, outcome, performance.now() - started);
          return outcome.nextFetchAt;
        },
        (error: unknown) => {
          this.options.onError?.(slot.feed, error);
          return new Date(this.now().getTime() + RETRY_AFTER_ERROR_MS).toISOString();
        },
      )
      .then((nextFetchAt) => {
        slot.running = null;
        for (const waiter of waiting) waiter();
        if (this.stopped || this.slots.get(slot.feed.url) !== slot) return;
        if (slot.waiters.length > 0) {
          this.arm(slot, 0);
          return;
        }
        const next = nextFetchAt ?? this.options.dueAt(slot.feed);
        const wait = next ? Date.parse(next) - this.now().getTime() : RETRY_AFTER_ERROR_MS;
        this.arm(slot, Math.max(0, wait) + this.jitter(wait));
      });
  }

  private jitter(waitMs: number): number {
    return Math.min(Math.max(0, waitMs) * JITTER_SHARE, MAX_JITTER_MS) * this.random();
  }
}
