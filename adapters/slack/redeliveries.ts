/**
 * Slack delivers a command, button or event again when it thinks the first delivery failed: its ack came late or
 * never (a Socket Mode connection cut mid-command, a slow HTTP answer). The redelivery carries `retry_attempt` /
 * `X-Slack-Retry-Num`, but also the ids of the original, so one already taken is acknowledged (Slack stops sending
 * it) and dropped, and a person is answered once.
 *
 * Kept in memory, not in the database: Slack retries within minutes (at most three times, the last about five
 * minutes on), to the one process holding the connection, and what matters is whether *this process* is handling
 * or has handled the request. A restart in between loses the handling too, and then the redelivery is the one that
 * should be answered. A bounded map (oldest forgotten first) and a TTL keep it small on a busy workspace. Several
 * HTTP receivers behind a load balancer share the database instead (`SharedSeenDeliveries`): Slack's retry may land
 * on another receiver than the first delivery, and the first insert of the delivery's key wins.
 */
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { SharedDeliveries } from '../../src/engine/sharedDeliveries.ts';

/** Whether a delivery was taken before: by this process (in memory), or by any receiver (shared). */
export interface Deliveries {
  /** True when the delivery was taken before (a redelivery); otherwise takes it and returns false. */
  seenBefore(key: string): boolean | Promise<boolean>;
}

/** Remembered this long: longer than Slack's retry window. */
const TTL_MS = 30 * 60_000;
const CAPACITY = 5_000;

export class SeenDeliveries implements Deliveries {
  /** Key → when it was first taken (epoch ms), oldest first. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly capacity = CAPACITY,
    private readonly ttlMs = TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when the delivery was taken before (a redelivery); otherwise takes it and returns false. */
  seenBefore(key: string): boolean {
    const now = this.now();
    const at = this.seen.get(key);
    if (at !== undefined && now - at < this.ttlMs) return true;
    this.seen.delete(key);
    // forget what is past its TTL, and the oldest while full
    for (const [old, takenAt] of this.seen) {
      if (now - takenAt < this.ttlMs && this.seen.size < this.capacity) break;
      this.seen.delete(old);
    }
    this.seen.set(key, now);
    return false;
  }

  get size(): number {
    return this.seen.size;
  }
}

/** Deliveries taken by any receiver on the shared database. */
export class SharedSeenDeliveries implements Deliveries {
  constructor(
    private readonly shared: SharedDeliveries,
    private readonly onError: (error: unknown, key: string) => void,
  ) {}

  async seenBefore(key: string): Promise<boolean> {
    try {
      return !(await this.shared.takeFirst(key));
    } catch (error) {
      // answering a retry twice is better than answering nobody
      this.onError(error, key);
      return false;
    }
  }
}

/**
 * What stays the same when Slack delivers a request again: an event's `event_id`; for a slash command, a button or
 * any interactive payload, its `trigger_id` (one per invocation). Null when the body has neither.
 */
export function deliveryKey(body: unknown): string | null {
  const b = body as { event_id?: unknown; trigger_id?: unknown; team_id?: unknown; team?: { id?: unknown } } | null;
  if (!b || typeof b !== 'object') return null;
  const team = typeof b.team_id === 'string' ? b.team_id : typeof b.team?.id === 'string' ? b.team.id : '';
  if (typeof b.event_id === 'string' && b.event_id) return `event:${team}:${b.event_id}`;
  if (typeof b.trigger_id === 'string' && b.trigger_id) return `trigger:${team}:${b.trigger_id}`;
  return null;
}

export interface DroppedDelivery {
  key: string;
  retryNum: number | undefined;
  retryReason: string | undefined;
}

/**
 * A global Bolt middleware that acknowledges and drops a delivery already taken. Events are acked by Bolt before
 * any middleware runs; commands and actions are acked here, so Slack stops redelivering them.
 */
export function dropRedeliveries(
  seen: Deliveries,
  onDropped: (dropped: DroppedDelivery) => void,
): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const key = deliveryKey(args.body);
    if (key === null || !(await seen.seenBefore(key))) {
      await args.next();
      return;
    }
    const ack = (args as { ack?: () => Promise<void> }).ack;
    if (ack) await ack().catch(() => undefined);
    onDropped({ key, retryNum: args.context.retryNum, retryReason: args.context.retryReason });
  };
}
