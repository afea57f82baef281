/**
 * The job queue the runtime hands fetch, deliver and source-add work to (issue 17, scale-out). Two
 * implementations, one contract:
 *
 * - `PgBossJobQueue` (pgBossQueue.ts): pg-boss 10 over PostgreSQL, its tables in a schema of their own. Several
 *   processes share it; a job whose worker was killed is retried by another one once its expiry has passed.
 * - `InProcessJobQueue` (inProcessQueue.ts): the single-process SQLite mode, in memory, same semantics within
 *   the process.
 *
 * The contract, on both:
 * - `send(kind, payload, { key })`: at most one *pending* job per kind and key (queued, running, or waiting to
 *   be retried): sending the same key again while one is pending returns that job (`queued: false`). After it
 *   completed or failed for good, the key may be queued again. The key defaults to one derived from the payload
 *   (`defaultJobKey`), so a source's fetch or a ledger entry's delivery is one job however often it is sent.
 * - Delivery is at least once: a job runs again after a throw, after its expiry, after its worker died. Handlers
 *   must be idempotent; the ledger's unique key and its claim (storage) are what make a post happen once.
 * - A handler that throws is retried with exponential backoff until `attempts` tries have failed; then the job
 *   is `failed`, with the last error.
 * - A handler still running at the job's expiry is given up on: its `signal` aborts and the job is failed (and so
 *   retried, if attempts remain). Whatever it does after that is not recorded.
 * - Payloads are checked against the kind's zod schema when a worker takes the job (they come from a shared
 *   database, written by any process or version): a bad one fails the job at once, for good, with an error that
 *   says what was wrong; the worker goes on with the next job.
 * - What a handler resolves to (a JSON object) is kept as the completed job's `output`, for the process that sent
 *   it and waits for the answer (`awaitJob`).
 * - `stop({ graceful: true })` takes no new jobs and waits for the running ones (up to `timeoutMs`); jobs still
 *   running then, and every running job on `graceful: false`, are failed (retried elsewhere) and their signals
 *   aborted.
 */
import { z } from 'zod';

/** Fetch a source's feed or page: the source's id in the store. */
const fetchPayload = z.strictObject({ sourceId: z.number().int().positive() });

/** Deliver a planned post: the ledger entry's id, or its destination and slot (the ledger's unique key). */
const deliverPayload = z.union([
  z.strictObject({ ledgerEntryId: z.number().int().positive() }),
  z.strictObject({ destination: z.string().min(1).max(512), slot: z.string().min(1).max(256) }),
]);

/** Add a feed named in chat (`/news sources add`): the URL as given, the destination adding it, its backlog. */
const addSourcePayload = z.strictObject({
  url: z.string().min(1).max(4096),
  addedBy: z.string().min(1).max(512),
  backlog: z.number().int().min(0).max(1000),
});

/** Each kind's payload, checked on send and again when a worker takes the job. */
export const JOB_PAYLOADS = {
  fetch: fetchPayload,
  deliver: deliverPayload,
  addSource: addSourcePayload,
} as const;

export type JobKind = keyof typeof JOB_PAYLOADS;
export const JOB_KINDS = Object.keys(JOB_PAYLOADS) as JobKind[];
export type JobPayload<K extends JobKind> = z.infer<(typeof JOB_PAYLOADS)[K]>;

/**
 * The idempotency key a payload gets when `send` is given none: one job per source, per ledger entry or slot, per
 * destination adding a URL.
 */
export function defaultJobKey<K extends JobKind>(kind: K, payload: JobPayload<K>): string {
  const p = payload as Record<string, unknown>;
  if (kind === 'fetch') return `source:${p.sourceId}`;
  if (kind === 'addSource') return `add:${p.addedBy}:${p.url}`;
  if ('ledgerEntryId' in p) return `ledger:${p.ledgerEntryId}`;
  return `slot:${p.destination}:${p.slot}`;
}

/** A payload that does not fit its kind: thrown by `send`, and the error a worker fails such a job with. */
export class JobPayloadError extends Error {
  override readonly name = 'JobPayloadError';
}

/** Checks a payload against its kind's schema; throws JobPayloadError saying what is wrong. */
export function parsePayload<K extends JobKind>(kind: K, data: unknown): JobPayload<K> {
  const schema: z.ZodType | undefined = Object.hasOwn(JOB_PAYLOADS, kind) ? JOB_PAYLOADS[kind] : undefined;
  if (!schema) throw new JobPayloadError(`unknown job kind ${JSON.stringify(kind)}`);
  const result = schema.safeParse(data);
  if (result.success) return result.data as JobPayload<K>;
  throw new JobPayloadError(`bad ${kind} payload: ${z.prettifyError(result.error).replaceAll('\n', '; ')}`);
}

/** How a kind's jobs are retried and when a running one is given up on. */
export interface RetryPolicy {
  /** Tries in all (the first and its retries), at least 1. */
  attempts: number;
  /**
   * Seconds before the first retry, a whole number ≥ 1 (pg-boss's minimum with backoff); each later retry waits
   * about twice as long as the one before, with jitter: retry n (1-based) waits between base·2^(n-1) and base·2^n.
   */
  backoffSeconds: number;
  /**
   * Seconds a try may run, a whole number ≥ 1 (pg-boss's minimum), under 24 h: then the try is given up on and
   * failed. Also how long a killed worker's job waits before another worker may take it (plus up to one
   * maintenance interval on PostgreSQL).
   */
  expireSeconds: number;
}

export const DEFAULT_POLICIES: Record<JobKind, RetryPolicy> = {
  fetch: { attempts: 3, backoffSeconds: 30, expireSeconds: 300 },
  deliver: { attempts: 5, backoffSeconds: 10, expireSeconds: 600 },
  addSource: { attempts: 3, backoffSeconds: 10, expireSeconds: 180 },
};

/** Checks a policy's numbers against the limits both implementations share; throws on a bad one. */
export function checkPolicy(kind: string, policy: RetryPolicy): RetryPolicy {
  const whole = (name: keyof RetryPolicy, min: number, max: number) => {
    const value = policy[name];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new RangeError(`${kind}: ${name} must be a whole number from ${min} to ${max}, not ${value}`);
    }
  };
  whole('attempts', 1, 1000);
  whole('backoffSeconds', 1, 86_400);
  whole('expireSeconds', 1, 86_399);
  return policy;
}

/** The wait before retry `retryNumber` (1-based), in seconds: pg-boss 10's backoff formula, used by both. */
export function backoffDelaySeconds(policy: RetryPolicy, retryNumber: number, random = Math.random()): number {
  const span = (policy.backoffSeconds * 2 ** Math.min(16, retryNumber)) / 2;
  return span + span * random;
}

export interface JobContext {
  /** The job's id (a UUID on PostgreSQL). */
  id: string;
  kind: JobKind;
  key: string;
  /** This try, from 1. */
  attempt: number;
  /** Aborted when the try is given up on: its expiry passed, or the queue stopped before it finished. */
  signal: AbortSignal;
}

/** What a completed job keeps for its sender: what the handler resolved to, when that was a non-empty object. */
export type JobOutput = Record<string, unknown>;

/** Resolves to the job's output (see `JobOutput`); anything else is not kept. */
export type JobHandler<K extends JobKind> = (payload: JobPayload<K>, context: JobContext) => Promise<unknown>;

export interface SendOptions {
  /** The idempotency key; default `defaultJobKey(kind, payload)`. */
  key?: string;
  /** Not before this time (a due digest, a delayed retry of a whole fetch). */
  startAfter?: Date;
}

export interface SendResult {
  /** The job's id: the new one, or the pending one with the same key. */
  id: string;
  /** False when a job with the same kind and key was already pending (nothing was added). */
  queued: boolean;
}

export interface WorkOptions {
  /** Jobs of this kind this process runs at once; default 1. */
  concurrency?: number;
}

export interface StopOptions {
  /** Wait for running jobs (default true); false: fail them at once, to be retried elsewhere. */
  graceful?: boolean;
  /** How long a graceful stop waits, in ms; default 30 000. */
  timeoutMs?: number;
}

export type JobState = 'queued' | 'running' | 'retry' | 'completed' | 'failed' | 'cancelled';

/** A job as the queue records it (for status output and tests). */
export interface JobRecord {
  id: string;
  kind: JobKind;
  key: string | null;
  state: JobState;
  /** Tries started so far. */
  attempts: number;
  /** The last failure's message, when it failed. */
  error: string | null;
  /** What the handler resolved to, once completed; null before, or when it left nothing. */
  output: JobOutput | null;
}

export interface JobQueue {
  /** Connects (on PostgreSQL: installs or migrates pg-boss's schema and creates the kinds' queues). */
  start(): Promise<void>;
  /** Stops taking jobs, then waits for (or gives up on) the running ones, and disconnects. Safe to call twice. */
  stop(options?: StopOptions): Promise<void>;
  /** Queues a job, or finds the pending one with the same kind and key. Throws JobPayloadError on a bad payload. */
  send<K extends JobKind>(kind: K, payload: JobPayload<K>, options?: SendOptions): Promise<SendResult>;
  /** Runs this kind's jobs with `handler`, `concurrency` at a time, until `stop`. Once per kind. */
  work<K extends JobKind>(kind: K, handler: JobHandler<K>, options?: WorkOptions): Promise<void>;
  /** A job by id, or null when it is unknown (or archived). */
  job(kind: JobKind, id: string): Promise<JobRecord | null>;
  /** How many jobs of each kind wait, run and failed (`/healthz`, `/metrics`): one statement on PostgreSQL. */
  counts(): Promise<Record<JobKind, JobCounts>>;
}

/** The jobs of one kind an operator watches, by state. */
export interface JobCounts {
  /** Waiting for a worker (due now, or at their `startAfter`). */
  queued: number;
  /** Failed a try and waiting out the backoff before the next. */
  retrying: number;
  /** Taken by a worker. */
  active: number;
  /** Failed for good and still kept: for an hour on PostgreSQL (then archived), the newest finished in process. */
  failed: number;
}

/** Every kind at zero, to count into. */
export function zeroJobCounts(): Record<JobKind, JobCounts> {
  return Object.fromEntries(
    JOB_KINDS.map((kind) => [kind, { queued: 0, retrying: 0, active: 0, failed: 0 }]),
  ) as Record<JobKind, JobCounts>;
}

/** Where the queue reports what it cannot throw to a caller (a failed job, a lost connection). pino fits. */
export interface JobLog {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export const SILENT_LOG: JobLog = { warn() {}, error() {} };
