import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** How a post to a channel ended, as the delivery code classifies platform errors. */
export type PostOutcome = 'ok' | 'gone' | 'forbidden' | 'rateLimited' | 'tooLarge' | 'transient' | 'interrupted';
/** How one feed poll ended: new content, a 304, or an error. */
export type FetchOutcome = 'fetched' | 'not-modified' | 'failed';

/**
 * `command` is the command's name (search, digest, subscribe …), never the user's text: every distinct
 * label value is a time series kept forever.
 */
export interface CommandLabels {
  platform: string;
  command: string;
  outcome: string;
}

export interface Metrics {
  /** Its own registry, not prom-client's global one, so several instances (and tests) never collide. */
  readonly registry: Registry;
  readonly commands: { inc(labels: CommandLabels, value?: number): void };
  readonly commandSeconds: {
    observe(labels: Omit<CommandLabels, 'outcome'>, seconds: number): void;
    /** Starts a timer; calling the returned function records the elapsed seconds and returns them. */
    startTimer(labels: Omit<CommandLabels, 'outcome'>): () => number;
  };
  readonly posts: { inc(labels: { platform: string; outcome: PostOutcome }, value?: number): void };
  readonly fetches: { inc(labels: { outcome: FetchOutcome }, value?: number): void };
  readonly articlesIngested: { inc(value?: number): void };
  /** Set by the caller: age of the newest stored article, or seconds since the last successful poll. */
  readonly ingestLagSeconds: { set(seconds: number): void };
  /** Unix time in seconds of the last successful poll. */
  readonly lastPollTimestamp: { set(unixSeconds: number): void; setToCurrentTime(): void };
  /** The Prometheus text exposition of every metric in the registry. */
  render(): Promise<{ contentType: string; body: string }>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });

  const commands = new Counter({
    name: 'newsbrief_commands_total',
    help: 'Commands handled, by platform, command and outcome',
    labelNames: ['platform', 'command', 'outcome'] as const,
    registers,
  });
  const commandSeconds = new Histogram({
    name: 'newsbrief_command_duration_seconds',
    help: 'Time to answer a command, by platform and command',
    labelNames: ['platform', 'command'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const posts = new Counter({
    name: 'newsbrief_posts_total',
    help: 'Messages posted to channels, by platform and outcome',
    labelNames: ['platform', 'outcome'] as const,
    registers,
  });
  const fetches = new Counter({
    name: 'newsbrief_feed_fetches_total',
    help: 'Feed polls, by outcome',
    labelNames: ['outcome'] as const,
    registers,
  });
  const articlesIngested = new Counter({
    name: 'newsbrief_articles_ingested_total',
    help: 'Articles added or updated by ingestion',
    registers,
  });
  const ingestLagSeconds = new Gauge({
    name: 'newsbrief_ingest_lag_seconds',
    help: 'Age of the newest stored article or seconds since the last successful poll, as last set',
    registers,
  });
  const lastPollTimestamp = new Gauge({
    name: 'newsbrief_last_poll_timestamp_seconds',
    help: 'Unix time of the last successful feed poll',
    registers,
  });

  return {
    registry,
    commands,
    commandSeconds,
    posts,
    fetches,
    articlesIngested,
    ingestLagSeconds,
    lastPollTimestamp,
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

/**
 * `newsbrief_jobs{kind,state}`: the shared job queue's jobs, read by `read` at each scrape (a process run apart,
 * registered once it has the queue). A read that fails leaves the values of the last one.
 */
export function addJobGauge<State extends string>(
  registry: Registry,
  read: () => Promise<Record<string, Record<State, number>>>,
): void {
  new Gauge({
    name: 'newsbrief_jobs',
    help: 'Jobs in the shared queue, by kind and state (queued, retrying, active, failed for good and not archived)',
    labelNames: ['kind', 'state'] as const,
    registers: [registry],
    async collect() {
      const counts = await read().catch(() => null);
      for (const [kind, states] of Object.entries(counts ?? {})) {
        for (const [state, value] of Object.entries<number>(states)) this.set({ kind, state }, value);
      }
    },
  });
}

/** `newsbrief_scheduler_leader`: 1 while this scheduler holds the lease, 0 while another does (at its last tick). */
export function addLeaderGauge(registry: Registry, read: () => boolean | null): void {
  new Gauge({
    name: 'newsbrief_scheduler_leader',
    help: 'Whether this scheduler process led (held the lease) at its last tick',
    registers: [registry],
    collect() {
      const leader = read();
      if (leader !== null) this.set(leader ? 1 : 0);
    },
  });
}
