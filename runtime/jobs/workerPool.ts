/**
 * The worker side both queues share: slots that take jobs of a kind one at a time, check the payload, run the
 * handler under the job's expiry, and report the outcome; idle slots wait for a poll or a wake-up; `stop` waits
 * for (or gives up on) what runs. A backend (pg-boss, or the in-process one) only claims and settles jobs.
 */
import {
  type JobContext,
  type JobHandler,
  type JobKind,
  type JobLog,
  type JobOutput,
  JobPayloadError,
  parsePayload,
  type StopOptions,
} from './queue.ts';

/** A job a worker has taken: it is `running` in the backend until settled. */
export interface ClaimedJob {
  id: string;
  kind: JobKind;
  key: string;
  data: unknown;
  /** This try, from 1. */
  attempt: number;
  expireSeconds: number;
  /**
   * What proves the job is still this try's when it is settled: a try that ran past its expiry may have been
   * failed and taken by another worker meanwhile, and must then not complete (or fail) that worker's try.
   */
  token: number;
}

export interface FailureReport {
  name: string;
  message: string;
}

export interface JobBackend {
  /** Takes the next due job of the kind, or null. */
  claim(kind: JobKind): Promise<ClaimedJob | null>;
  /** Marks the try completed, keeping the handler's output; false when the job is no longer this try's. */
  complete(job: ClaimedJob, output: JobOutput | null): Promise<boolean>;
  /**
   * Marks the try failed: retried after a backoff while attempts remain, unless `final` (then failed for good);
   * false when the job is no longer this try's.
   */
  fail(job: ClaimedJob, failure: FailureReport, final: boolean): Promise<boolean>;
}

type Outcome =
  | { kind: 'done'; output: JobOutput | null }
  | { kind: 'threw'; error: unknown }
  | { kind: 'expired' }
  | { kind: 'halted' };

export function describeError(error: unknown): FailureReport {
  if (error instanceof Error) return { name: error.name, message: error.message || error.name };
  return { name: 'Error', message: typeof error === 'string' ? error : `non-error thrown: ${String(error)}` };
}

/**
 * Only a plain object with something in it is kept: what pg-boss stores as a job's output (it wraps anything
 * else), and what it cannot tell apart from the `{}` it stores for a handler that left nothing.
 */
function isJobOutput(value: unknown): value is JobOutput {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length > 0;
}

export class WorkerPool {
  private readonly loops: Promise<void>[] = [];
  private readonly kinds = new Set<JobKind>();
  private readonly waiters = new Map<JobKind, Set<() => void>>();
  /** Aborted when running tries are to be given up on: a stop that does not (or no longer) wait. */
  private readonly halt = new AbortController();
  private stopping = false;
  private stopped: Promise<void> | null = null;

  constructor(
    private readonly backend: JobBackend,
    private readonly log: JobLog,
    private readonly pollMs: number,
  ) {}

  get isStopping(): boolean {
    return this.stopping;
  }

  work<K extends JobKind>(kind: K, handler: JobHandler<K>, concurrency: number): void {
    if (this.stopping) throw new Error('the job queue is stopping: no new workers');
    if (this.kinds.has(kind)) throw new Error(`${kind} jobs already have a worker in this queue`);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 100) {
      throw new RangeError(`concurrency must be a whole number from 1 to 100, not ${concurrency}`);
    }
    this.kinds.add(kind);
    for (let slot = 0; slot < concurrency; slot++) this.loops.push(this.loop(kind, handler as JobHandler<JobKind>));
  }

  /** Ends the idle wait of the kind's slots (a job was queued, or a retry fell due). */
  wake(kind: JobKind): void {
    for (const resume of [...(this.waiters.get(kind) ?? [])]) resume();
  }

  stop(options: StopOptions = {}): Promise<void> {
    if (!this.stopped) this.stopped = this.drain(options);
    return this.stopped;
  }

  private async drain({ graceful = true, timeoutMs = 30_000 }: StopOptions): Promise<void> {
    this.stopping = true;
    for (const kind of this.waiters.keys()) this.wake(kind);
    let timer: NodeJS.Timeout | undefined;
    if (!graceful) this.halt.abort();
    else timer = setTimeout(() => this.halt.abort(), timeoutMs);
    try {
      await Promise.all(this.loops);
    } finally {
      clearTimeout(timer);
    }
  }

  private async loop(kind: JobKind, handler: JobHandler<JobKind>): Promise<void> {
    while (!this.stopping) {
      let job: ClaimedJob | null = null;
      try {
        job = await this.backend.claim(kind);
      } catch (error) {
        this.log.error({ kind, err: describeError(error) }, 'could not take a job');
      }
      if (job) await this.run(job, handler);
      else await this.idle(kind);
    }
  }

  private idle(kind: JobKind): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const waiters = this.waiters.get(kind) ?? new Set<() => void>();
      this.waiters.set(kind, waiters);
      const resume = () => {
        clearTimeout(timer);
        waiters.delete(resume);
        resolve();
      };
      const timer = setTimeout(resume, this.pollMs);
      waiters.add(resume);
    });
  }

  private async run(job: ClaimedJob, handler: JobHandler<JobKind>): Promise<void> {
    const fields = { kind: job.kind, job: job.id, key: job.key, attempt: job.attempt };
    let payload: unknown;
    try {
      payload = parsePayload(job.kind, job.data);
    } catch (error) {
      // A payload that does not fit now never will: no retries.
      const failure = describeError(error instanceof JobPayloadError ? error : new JobPayloadError(String(error)));
      this.log.warn({ ...fields, error: failure.message }, 'job failed for good: bad payload');
      await this.settle(job, () => this.backend.fail(job, failure, true));
      return;
    }
    const controller = new AbortController();
    const context: JobContext = {
      id: job.id,
      kind: job.kind,
      key: job.key,
      attempt: job.attempt,
      signal: controller.signal,
    };
    const outcome = await this.race(job, () => handler(payload as never, context));
    switch (outcome.kind) {
      case 'done':
        await this.settle(job, () => this.backend.complete(job, outcome.output));
        return;
      case 'threw': {
        const failure = describeError(outcome.error);
        this.log.warn({ ...fields, error: failure.message }, 'job failed');
        await this.settle(job, () => this.backend.fail(job, failure, false));
        return;
      }
      case 'expired': {
        const failure = { name: 'JobExpiredError', message: `job ran past its expiry of ${job.expireSeconds}s` };
        controller.abort(new Error(failure.message));
        this.log.warn(fields, failure.message);
        await this.settle(job, () => this.backend.fail(job, failure, false));
        return;
      }
      case 'halted': {
        const failure = { name: 'JobInterruptedError', message: 'the worker stopped before the job finished' };
        controller.abort(new Error(failure.message));
        this.log.warn(fields, failure.message);
        await this.settle(job, () => this.backend.fail(job, failure, false));
        return;
      }
    }
  }

  /** Runs the handler until it settles, the job's expiry passes, or the pool halts, whichever comes first. */
  private race(job: ClaimedJob, start: () => Promise<unknown>): Promise<Outcome> {
    return new Promise<Outcome>((resolve) => {
      const timer = setTimeout(() => finish({ kind: 'expired' }), job.expireSeconds * 1000);
      const onHalt = () => finish({ kind: 'halted' });
      const finish = (outcome: Outcome) => {
        clearTimeout(timer);
        this.halt.signal.removeEventListener('abort', onHalt);
        resolve(outcome);
      };
      if (this.halt.signal.aborted) return finish({ kind: 'halted' });
      this.halt.signal.addEventListener('abort', onHalt, { once: true });
      let running: Promise<unknown>;
      try {
        running = Promise.resolve(start());
      } catch (error) {
        running = Promise.reject(error);
      }
      running.then(
        (output) => finish({ kind: 'done', output: isJobOutput(output) ? output : null }),
        (error: unknown) => finish({ kind: 'threw', error }),
      );
    });
  }

  /** Reports an outcome; a backend that cannot (the database is away) leaves the job to expire and be retried. */
  private async settle(job: ClaimedJob, report: () => Promise<boolean>): Promise<void> {
    try {
      if (!(await report())) {
        this.log.warn(
          { kind: job.kind, job: job.id, attempt: job.attempt },
          'job was taken over after its expiry: this try is not recorded',
        );
      }
    } catch (error) {
      this.log.error(
        { kind: job.kind, job: job.id, err: describeError(error) },
        'could not record a job outcome: it will be retried after its expiry',
      );
    }
  }
}
