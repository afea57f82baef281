/**
 * The roles of processes that run apart on PostgreSQL, sharing their work through its job queue: `web` receives
 * and answers commands; `worker` runs fetch and deliver jobs; `scheduler` (one leads, by lease) queues them. One
 * process without roles does all of it itself, on either backend (runtime/service.ts).
 */

import type { NewsbriefConfig } from '../src/config/config.ts';
import type { DigestScheduler, SchedulerOptions, TickReport } from '../src/delivery/digestScheduler.ts';
import type { Logger } from '../src/ops/logger.ts';
import type { AsyncStore } from '../storage/asyncStore.ts';
import { dispatchDueFetches } from './fetchDispatch.ts';
import type { IngestThread } from './ingestThread.ts';
import { DEFAULT_POLICIES, type JobKind, type JobQueue, openJobQueue, type RetryPolicy } from './jobs/index.ts';
import { workOnSourceAdds } from './sourceAddJob.ts';

export type Role = 'web' | 'worker' | 'scheduler';
export const ROLES: readonly Role[] = ['web', 'worker', 'scheduler'];

/** Jobs of each kind a worker process runs at once. */
const WORKER_CONCURRENCY = { fetch: 4, deliver: 4, addSource: 2 } as const;

/** Each kind's retries and expiry: the config's `jobs:` over the defaults. */
export function jobPolicies(config: NewsbriefConfig): Record<JobKind, RetryPolicy> {
  return {
    fetch: { ...DEFAULT_POLICIES.fetch, ...definedOnly(config.jobs.fetch) },
    deliver: { ...DEFAULT_POLICIES.deliver, ...definedOnly(config.jobs.deliver) },
    addSource: { ...DEFAULT_POLICIES.addSource, ...definedOnly(config.jobs.addSource) },
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The shared queue (not started) of a process run apart: web sends to it, workers take from it, the scheduler both. */
export function openRoleQueue(databaseUrl: string, config: NewsbriefConfig, log: Logger): JobQueue {
  return openJobQueue(databaseUrl, {
    log,
    policies: jobPolicies(config),
    pollIntervalSeconds: config.jobs.pollSeconds,
    maintenanceIntervalSeconds: config.jobs.maintenanceSeconds,
  });
}

/**
 * The scheduler's options when digests go to the workers: each one a deliver job, alerts made from what any worker
 * stored (they and source notices are still posted by the scheduler itself).
 */
export function queuedDelivery(
  queue: JobQueue,
  config: NewsbriefConfig,
): Pick<SchedulerOptions, 'dispatch' | 'newArticlesFromStore' | 'staleSendingMs'> {
  return {
    dispatch: async (entry) => {
      await queue.send('deliver', { ledgerEntryId: entry.id });
    },
    newArticlesFromStore: true,
    staleSendingMs: jobPolicies(config).deliver.expireSeconds * 1000,
  };
}

/**
 * A worker: fetch and source-add jobs in the ingest thread, deliver jobs through the scheduler's `deliverEntry`.
 */
export async function workOnJobs(
  queue: JobQueue,
  ingest: IngestThread,
  digests: DigestScheduler,
  log: Logger,
): Promise<void> {
  await queue.work('fetch', async ({ sourceId }) => void (await ingest.fetchSource(sourceId)), {
    concurrency: WORKER_CONCURRENCY.fetch,
  });
  await queue.work(
    'deliver',
    async (payload) => {
      if (!('ledgerEntryId' in payload)) throw new Error('deliver jobs name their ledger entry');
      const { outcome } = await digests.deliverEntry(payload.ledgerEntryId);
      // a post under way elsewhere, or left by a killed worker and not yet known to be: asked again later
      if (outcome === 'in-flight') throw new Error(`ledger entry ${payload.ledgerEntryId} is being posted`);
    },
    { concurrency: WORKER_CONCURRENCY.deliver },
  );
  await workOnSourceAdds(queue, ingest, log, WORKER_CONCURRENCY.addSource);
}

/** What the leading scheduler does after each tick: queue a fetch of every polled source that is due. */
export function queueDueFetches(
  storage: AsyncStore,
  queue: JobQueue,
  configuredFeeds: ReadonlySet<string>,
  log: Logger,
): (report: TickReport) => Promise<void> {
  return async (report) => {
    if (!report.leader) return;
    const fetches = await dispatchDueFetches(storage, queue, configuredFeeds, new Date());
    if (fetches.queued > 0) log.info({ ...fetches }, 'fetches queued');
  };
}
