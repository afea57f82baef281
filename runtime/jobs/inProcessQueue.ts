/**
 * The job queue of the single-process SQLite mode: in memory, with the semantics of the PostgreSQL one (one
 * pending job per kind and key, retries with the same backoff, expiry, bad payloads failed for good, graceful
 * stop), so the runtime codes against one `JobQueue`.
 *
 * Home-made because pg-boss needs PostgreSQL, and this mode has none; and a durable queue in the SQLite file is
 * not needed: one process does everything, and what must survive a restart is already in the store (the ledger's
 * pending and interrupted entries, the sources' next fetch times), from which the runtime sends its jobs again on
 * start. What dies with the process here is only work that would be planned again.
 */
import { randomUUID } from 'node:crypto';
import {
  backoffDelaySeconds,
  checkPolicy,
  DEFAULT_POLICIES,
  defaultJobKey,
  JOB_KINDS,
  type JobCounts,
  type JobHandler,
  type JobKind,
  type JobLog,
  type JobOutput,
  type JobPayload,
  type JobQueue,
  type JobRecord,
  type JobState,
  parsePayload,
  type RetryPolicy,
  type SendOptions,
  type SendResult,
  SILENT_LOG,
  type StopOptions,
  type WorkOptions,
  zeroJobCounts,
} from './queue.ts';
import { type ClaimedJob, type FailureReport, type JobBackend, WorkerPool } from './workerPool.ts';

export interface InProcessQueueOptions {
  policies?: Partial<Record<JobKind, RetryPolicy>>;
  /** Finished jobs kept for `job()`, oldest dropped first; default 1000. */
  keepFinished?: number;
  log?: JobLog;
  /** The clock (ms since the epoch); default Date.now. */
  now?: () => number;
}

interface MemoryJob {
  id: string;
  kind: JobKind;
  key: string;
  /** As stored: a JSON copy, as PostgreSQL's jsonb would give it back. */
  data: unknown;
  state: JobState;
  /** Tries before the current (or next) one. */
  retries: number;
  started: boolean;
  startAfter: number;
  seq: number;
  error: string | null;
  /** As stored: a JSON copy. */
  output: JobOutput | null;
}

/** The states `counts` reads, as the fields they are counted in. */
const COUNTED_STATE: Partial<Record<JobState, keyof JobCounts>> = {
  queued: 'queued',
  retry: 'retrying',
  running: 'active',
  failed: 'failed',
};

/** Idle workers look again this often even without a wake-up (a safety net: sends and retries wake them). */
const POLL_MS = 1000;

export class InProcessJobQueue implements JobQueue, JobBackend {
  private readonly policies: Record<JobKind, RetryPolicy>;
  private readonly log: JobLog;
  private readonly now: () => number;
  private readonly keepFinished: number;
  private readonly jobs = new Map<string, MemoryJob>();
  private readonly pending = new Map<string, string>();
  private readonly finished: string[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly workers: WorkerPool;
  private seq = 0;
  private state: 'new' | 'started' | 'stopped' = 'new';
  private stopping: Promise<void> | null = null;

  constructor(options: InProcessQueueOptions = {}) {
    this.policies = { ...DEFAULT_POLICIES, ...options.policies };
    for (const kind of JOB_KINDS) checkPolicy(kind, this.policies[kind]);
    this.log = options.log ?? SILENT_LOG;
    this.now = options.now ?? Date.now;
    this.keepFinished = options.keepFinished ?? 1000;
    this.workers = new WorkerPool(this, this.log, POLL_MS);
  }

  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error(`the job queue cannot start: it is ${this.state}`);
    this.state = 'started';
  }

  stop(options: StopOptions = {}): Promise<void> {
    if (!this.stopping) this.stopping = this.shutDown(options);
    return this.stopping;
  }

  private async shutDown(options: StopOptions): Promise<void> {
    this.state = 'stopped';
    await this.workers.stop(options);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  async send<K extends JobKind>(kind: K, payload: JobPayload<K>, options: SendOptions = {}): Promise<SendResult> {
    this.assertStarted();
    const data = parsePayload(kind, payload);
    const key = options.key ?? defaultJobKey(kind, data);
    const existing = this.pending.get(pendingKey(kind, key));
    if (existing) return { id: existing, queued: false };
    const job: MemoryJob = {
      id: randomUUID(),
      kind,
      key,
      data: JSON.parse(JSON.stringify(data)),
      state: 'queued',
      retries: 0,
      started: false,
      startAfter: options.startAfter ? options.startAfter.getTime() : this.now(),
      seq: this.seq++,
      error: null,
      output: null,
    };
    this.jobs.set(job.id, job);
    this.pending.set(pendingKey(kind, key), job.id);
    this.wakeAt(kind, job.startAfter);
    return { id: job.id, queued: true };
  }

  async work<K extends JobKind>(kind: K, handler: JobHandler<K>, options: WorkOptions = {}): Promise<void> {
    this.assertStarted();
    this.workers.work(kind, handler, options.concurrency ?? 1);
  }

  async job(kind: JobKind, id: string): Promise<JobRecord | null> {
    const job = this.jobs.get(id);
    if (!job || job.kind !== kind) return null;
    return {
      id: job.id,
      kind,
      key: job.key,
      state: job.state,
      attempts: job.retries + (job.started ? 1 : 0),
      error: job.error,
      output: job.output,
    };
  }

  async counts(): Promise<Record<JobKind, JobCounts>> {
    const counts = zeroJobCounts();
    for (const job of this.jobs.values()) {
      const field = COUNTED_STATE[job.state];
      if (field) counts[job.kind][field]++;
    }
    return counts;
  }

  /** Puts a job with any data in the queue, bypassing `send`'s check: for tests of what a worker does with it. */
  injectUnchecked(kind: JobKind, data: unknown, key = `unchecked:${this.seq}`): string {
    const id = randomUUID();
    this.jobs.set(id, {
      id,
      kind,
      key,
      data,
      state: 'queued',
      retries: 0,
      started: false,
      startAfter: this.now(),
      seq: this.seq++,
      error: null,
      output: null,
    });
    this.pending.set(pendingKey(kind, key), id);
    this.workers.wake(kind);
    return id;
  }

  // JobBackend: what the worker pool calls.

  async claim(kind: JobKind): Promise<ClaimedJob | null> {
    if (this.workers.isStopping) return null;
    const now = this.now();
    let next: MemoryJob | undefined;
    for (const job of this.jobs.values()) {
      if (job.kind !== kind || (job.state !== 'queued' && job.state !== 'retry') || job.startAfter > now) continue;
      if (!next || job.seq < next.seq) next = job;
    }
    if (!next) return null;
    if (next.started) next.retries++;
    next.started = true;
    next.state = 'running';
    return {
      id: next.id,
      kind,
      key: next.key,
      data: next.data,
      attempt: next.retries + 1,
      expireSeconds: this.policies[kind].expireSeconds,
      token: next.retries,
    };
  }

  async complete(claimed: ClaimedJob, output: JobOutput | null): Promise<boolean> {
    const job = this.current(claimed);
    if (!job) return false;
    job.state = 'completed';
    job.error = null;
    job.output = output === null ? null : (JSON.parse(JSON.stringify(output)) as JobOutput);
    this.finish(job);
    return true;
  }

  async fail(claimed: ClaimedJob, failure: FailureReport, final: boolean): Promise<boolean> {
    const job = this.current(claimed);
    if (!job) return false;
    job.error = failure.message;
    const policy = this.policies[job.kind];
    if (!final && job.retries < policy.attempts - 1) {
      job.state = 'retry';
      job.startAfter = this.now() + backoffDelaySeconds(policy, job.retries + 1) * 1000;
      this.wakeAt(job.kind, job.startAfter);
    } else {
      job.state = 'failed';
      this.finish(job);
    }
    return true;
  }

  private current(claimed: ClaimedJob): MemoryJob | null {
    const job = this.jobs.get(claimed.id);
    return job && job.state === 'running' && job.retries === claimed.token ? job : null;
  }

  private finish(job: MemoryJob): void {
    if (this.pending.get(pendingKey(job.kind, job.key)) === job.id) this.pending.delete(pendingKey(job.kind, job.key));
    this.finished.push(job.id);
    while (this.finished.length > this.keepFinished) {
      const old = this.finished.shift();
      if (old) this.jobs.delete(old);
    }
  }

  /** Wakes the kind's idle workers when a job falls due (now, or at a retry's time). */
  private wakeAt(kind: JobKind, at: number): void {
    const delay = at - this.now();
    if (delay <= 0) {
      this.workers.wake(kind);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.workers.wake(kind);
    }, delay + 5);
    this.timers.add(timer);
  }

  private assertStarted(): void {
    if (this.state !== 'started') throw new Error(`the job queue is ${this.state}, not started`);
  }
}

function pendingKey(kind: JobKind, key: string): string {
  return `${kind}\u0000${key}`;
}
