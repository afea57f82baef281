/**
 * Which Slack deliveries were taken, shared by every receiver on the database: Slack may send a retry of a command
 * or an event to another receiver behind the load balancer, and only the first to take a delivery answers it. The
 * adapter asks through this; the runtime gives it `sharedDeliveriesOver(store)`.
 */
import type { AsyncRepositories } from '../../storage/asyncStore.ts';

export interface SharedDeliveries {
  /** True for the first call with `key`, in any process; false for every later one (a redelivery). */
  takeFirst(key: string): Promise<boolean>;
}

export interface SharedDeliveriesOptions {
  /** How long a taken delivery is remembered: longer than Slack's retry window (about five minutes). */
  keepMs?: number;
  /** The least time between two prunes of forgotten deliveries by this process. */
  pruneEveryMs?: number;
  now?: () => number;
}

const KEEP_MS = 30 * 60_000;
const PRUNE_EVERY_MS = 5 * 60_000;

export function sharedDeliveriesOver(
  store: Pick<AsyncRepositories, 'slackDeliveries'>,
  options: SharedDeliveriesOptions = {},
): SharedDeliveries {
  const keepMs = options.keepMs ?? KEEP_MS;
  const pruneEveryMs = options.pruneEveryMs ?? PRUNE_EVERY_MS;
  const now = options.now ?? Date.now;
  let nextPruneAt = 0;
  return {
    takeFirst: async (key) => {
      const at = now();
      if (at >= nextPruneAt) {
        nextPruneAt = at + pruneEveryMs;
        // not awaited: a delivery never waits for the prune, and a failed one is tried at the next delivery
        void store.slackDeliveries.prune(new Date(at - keepMs).toISOString()).catch(() => {
          nextPruneAt = 0;
        });
      }
      return store.slackDeliveries.take(key, new Date(at).toISOString());
    },
  };
}
