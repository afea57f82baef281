/**
 * The job queue for the store in use: pg-boss on a `postgres://` (or `postgresql://`) URL, shared by every
 * process on that database; otherwise (the SQLite file) the in-process queue. See queue.ts for the contract.
 */
import { InProcessJobQueue } from './inProcessQueue.ts';
import { PgBossJobQueue } from './pgBossQueue.ts';
import type { JobKind, JobLog, JobQueue, RetryPolicy } from './queue.ts';

export { type AwaitJobOptions, awaitJob } from './awaitJob.ts';
export { InProcessJobQueue } from './inProcessQueue.ts';
export { PgBossJobQueue } from './pgBossQueue.ts';
export * from './queue.ts';

export interface OpenJobQueueOptions {
  policies?: Partial<Record<JobKind, RetryPolicy>>;
  log?: JobLog;
  /** PostgreSQL only: pg-boss's schema, default `newsbrief_jobs`. */
  schema?: string;
  /** PostgreSQL only: see PgBossQueueOptions. */
  pollIntervalSeconds?: number;
  maintenanceIntervalSeconds?: number;
}

export function isPostgresUrl(url: string | null | undefined): url is string {
  return typeof url === 'string' && /^postgres(ql)?:\/\//i.test(url);
}

/** A queue (not started) for the database at `url`: PostgreSQL's shared one, or the in-process one. */
export function openJobQueue(url: string | null | undefined, options: OpenJobQueueOptions = {}): JobQueue {
  return isPostgresUrl(url) ? new PgBossJobQueue(url, options) : new InProcessJobQueue(options);
}
