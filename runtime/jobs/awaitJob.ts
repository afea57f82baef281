/**
 * Waiting for a job another process runs: the sender looks it up until it has completed or failed for good, or
 * until its own deadline. The job goes on either way; only the wait ends.
 */
import type { JobKind, JobQueue, JobRecord } from './queue.ts';

export interface AwaitJobOptions {
  /** How long to wait in all, in ms. */
  timeoutMs: number;
  /** How often to look, in ms; default 250. */
  pollMs?: number;
}

/** The job once it has completed or failed for good (or was cancelled); null when the wait ran out first. */
export async function awaitJob(
  queue: JobQueue,
  kind: JobKind,
  id: string,
  { timeoutMs, pollMs = 250 }: AwaitJobOptions,
): Promise<JobRecord | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await queue.job(kind, id);
    if (job && (job.state === 'completed' || job.state === 'failed' || job.state === 'cancelled')) return job;
    const left = deadline - Date.now();
    if (left <= 0) return null;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, left)));
  }
}
