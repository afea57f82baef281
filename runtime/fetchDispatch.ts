/**
 * The scheduler role's half of polling when the roles run apart: each tick, every polled source that is due (its
 * stored `nextFetchAt` passed, or never fetched) becomes a `fetch` job, which a worker runs. The queue keeps one
 * pending job per source, so a source still queued or being fetched is not sent twice; what the fetch stores as
 * the next due time decides when it comes round again.
 */

import { isPolledSource } from '../src/ingest/remote.ts';
import type { AsyncStore } from '../storage/asyncStore.ts';
import type { JobQueue } from './jobs/queue.ts';

export interface FetchDispatchReport {
  /** Due sources whose job was queued now. */
  queued: number;
  /** Due sources whose job was already pending (queued, running or waiting to retry). */
  pending: number;
}

export async function dispatchDueFetches(
  storage: AsyncStore,
  queue: JobQueue,
  configuredFeeds: ReadonlySet<string>,
  now: Date,
): Promise<FetchDispatchReport> {
  const report: FetchDispatchReport = { queued: 0, pending: 0 };
  const at = now.toISOString();
  for (const source of await storage.sources.list()) {
    if (!isPolledSource(source, configuredFeeds)) continue;
    if (source.nextFetchAt !== null && source.nextFetchAt > at) continue;
    const { queued } = await queue.send('fetch', { sourceId: source.id });
    if (queued) report.queued++;
    else report.pending++;
  }
  return report;
}
