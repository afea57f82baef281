import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import type { LedgerEntry, Store, StoredDestination } from '../../storage/repositories.ts';
import type { Reply } from '../commands/reply.ts';
import type { Engine, EngineLog } from '../engine/engine.ts';
import type { PostResult, PostTarget } from '../engine/port.ts';
import { DEFAULT_LOOKBACK_MS, type PlanDestination, planTick } from '../schedule/index.ts';
import { decideAfterFailure } from './failurePolicy.ts';

/** Sends a reply to a destination through its platform's adapter; null when no adapter for it runs here. */
export type Poster = (target: PostTarget, reply: Reply) => Promise<PostResult> | null;

/** One post attempted: what the runtime logs and counts. */
export interface PostEvent {
  destination: string;
  platform: string;
  slot: string;
  outcome: 'ok' | PostFailureKind | 'skipped' | 'no-adapter';
  ms: number;
  detail?: string;
}
type PostFailureKind = Extract<PostResult, { ok: false }>['failure']['kind'];

export interface SchedulerOptions {
  store: Store;
  engine: Engine;
  post: Poster;
  /** The configured defaults, for destinations without their own zone. */
  defaultTimeZone: string;
  now?: () => Date;
  /** How late a missed digest may still be posted (config `digest.graceMinutes`); default 2 h. */
  graceMs?: number;
  /** This process, for the lease (`host:pid`). */
  holder: string;
  log?: EngineLog | null;
  onPost?: ((event: PostEvent) => void) | null;
  /** Posts under way at once: one slow platform never holds up the rest. */
  concurrency?: number;
}

export interface TickReport {
  /** False when another process holds the scheduler's lease (nothing was planned or sent here). */
  leader: boolean;
  planned: number;
  skipped: number;
  sent: number;
  failed: number;
}

export const SCHEDULER_LEASE = 'digest-scheduler';
const LEASE_MS = 3 * 60_000;
/** A rate limit shorter than this is waited out in the same tick; a longer one is picked up by a later tick. */
const INLINE_RETRY_MS = 10_000;
const RETRIES_PER_TICK = 200;

function slotName(localDate: string): string {
  return `digest:${localDate}`;
}

function targetOf(d: StoredDestination): PostTarget {
  return { key: d.key, kind: d.kind, platform: d.platform, workspace: d.workspace, channel: d.channel, user: d.user };
}

/** What a digest post holds, for the ledger: the same stories and articles give the same hash. */
function digestContent(reply: Reply): { hash: string; storyKeys: string[] } {
  if (reply.kind !== 'digest') return { hash: '', storyKeys: [] };
  const stories = reply.digest.stories.map((s) => `${s.key}:${s.articles.map((a) => a.id).join(',')}`);
  return {
    hash: createHash('sha256').update(stories.join('\n')).digest('hex').slice(0, 32),
    storyKeys: reply.digest.stories.map((s) => s.key),
  };
}

/**
 * Posts every scheduled digest exactly once, on time, in each destination's zone. A tick (one a minute, from the
 * runtime's node-cron task) takes the scheduler lease, plans due slots with `planTick`, writes each to the ledger
 * before sending (the ledger's unique key lets only one insert win, in any process), sends, and records the
 * outcome: sent with the platform's message id (only then do its stories count as delivered), or failed with the
 * typed failure and what happens next (retry later, or the destination paused).
 */
export class DigestScheduler {
  private readonly now: () => Date;
  private readonly graceMs: number;
  private readonly limit: ReturnType<typeof pLimit>;

  constructor(private readonly options: SchedulerOptions) {
    this.now = options.now ?? (() => new Date());
    this.graceMs = options.graceMs ?? 2 * 3_600_000;
    this.limit = pLimit(options.concurrency ?? 4);
  }

  /**
   * Run once at start: a post left `sending` means the process stopped between sending and recording. It is
   * not sent again (a second post is the worse mistake): it is marked failed as `interrupted`, so its stories
   * are not counted delivered and come back in the next digest.
   */
  reconcile(): number {
    const left = this.options.store.ledger.interrupted();
    for (const entry of left) {
      this.options.store.ledger.markFailed(entry.id, 'interrupted', 'the process stopped while posting', null);
      this.options.log?.error(
        { destination: entry.destination, slot: entry.slot },
        'a post was interrupted by a stop; not sent again (it may or may not have reached the platform)',
      );
    }
    return left.length;
  }

  /** Whether this process holds the lease now (taking or renewing it). */
  private lead(nowMs: number): boolean {
    return this.options.store.leases.acquire(
      SCHEDULER_LEASE,
      this.options.holder,
      new Date(nowMs).toISOString(),
      new Date(nowMs + LEASE_MS).toISOString(),
    );
  }

  release(): void {
    this.options.store.leases.release(SCHEDULER_LEASE, this.options.holder);
  }

  async tick(): Promise<TickReport> {
    const nowMs = this.now().getTime();
    const report: TickReport = { leader: false, planned: 0, skipped: 0, sent: 0, failed: 0 };
    if (!this.lead(nowMs)) return report;
    report.leader = true;
    const { store } = this.options;
    const scheduled = store.destinations.scheduled();
    // Older entries than the look-back do not matter: planTick looks no further back.
    const latest = store.ledger.latestPlanned('digest', new Date(nowMs - DEFAULT_LOOKBACK_MS).toISOString());
    const plan = planTick(
      scheduled.map((d): PlanDestination<string> => {
        const last = latest.get(d.key);
        return {
          id: d.key,
          schedule: { time: d.digestTime, timeZone: d.timeZone ?? this.options.defaultTimeZone, weekdays: d.weekdays },
          lastPlanned: last?.localDate ? { localDate: last.localDate, dueAtMs: Date.parse(last.dueAt) } : null,
          createdAtMs: Date.parse(d.scheduleSetAt),
        };
      }),
      nowMs,
      { graceMs: this.graceMs },
    );
    for (const bad of plan.invalid) {
      this.options.log?.error({ destination: bad.destinationId, error: bad.error }, 'schedule cannot be used');
    }
    for (const { destinationId, slot, reason } of plan.skipped) {
      const { inserted } = store.ledger.plan({
        destination: destinationId,
        slot: slotName(slot.localDate),
        kind: 'digest',
        localDate: slot.localDate,
        dueAt: new Date(slot.dueAtMs).toISOString(),
        state: 'skipped',
        failure: reason,
        detail: 'the bot was not running within the grace period after this digest was due',
      });
      if (inserted) report.skipped++;
    }
    const work: Promise<void>[] = [];
    for (const { destinationId, slot } of plan.due) {
      const { entry, inserted } = store.ledger.plan({
        destination: destinationId,
        slot: slotName(slot.localDate),
        kind: 'digest',
        localDate: slot.localDate,
        dueAt: new Date(slot.dueAtMs).toISOString(),
        state: 'pending',
      });
      // Only the insert that won sends: another process (or an earlier tick) planned it otherwise.
      if (!inserted) continue;
      report.planned++;
      const destination = store.destinations.get(destinationId);
      if (!destination) continue;
      work.push(this.limit(() => this.deliver(entry, destination, ['pending'], report)));
    }
    const retryAt = new Date(nowMs).toISOString();
    const retries = [
      ...store.ledger.retriesDue(retryAt, RETRIES_PER_TICK).map((entry) => ({ entry, from: ['failed'] as const })),
      // planned by a tick that stopped before claiming it
      ...store.ledger
        .pendingDue(retryAt, RETRIES_PER_TICK)
        .filter(
          (e) => !plan.due.some((d) => slotName(d.slot.localDate) === e.slot && d.destinationId === e.destination),
        )
        .map((entry) => ({ entry, from: ['pending'] as const })),
    ];
    for (const { entry, from } of retries) {
      const destination = store.destinations.get(entry.destination);
      if (!destination?.enabled || destination.pausedReason !== null) continue;
      work.push(this.limit(() => this.deliver(entry, destination, from, report)));
    }
    await Promise.all(work);
    return report;
  }

  /** Claims the entry (only one process sends it), builds the digest, posts it and records what happened. */
  private async deliver(
    entry: LedgerEntry,
    destination: StoredDestination,
    from: readonly ('pending' | 'failed')[],
    report: TickReport,
  ): Promise<void> {
    const { store, engine } = this.options;
    if (!store.ledger.claim(entry.id, from)) return;
    const started = performance.now();
    const event = (outcome: PostEvent['outcome'], detail?: string) =>
      this.options.onPost?.({
        destination: destination.key,
        platform: destination.platform,
        slot: entry.slot,
        outcome,
        ms: performance.now() - started,
        ...(detail ? { detail } : {}),
      });
    try {
      const reply = await engine.digestFor(destination.key);
      if (!reply) {
        store.ledger.markSkipped(entry.id, 'no-destination');
        return;
      }
      if (reply.kind === 'digest' && reply.digest.stories.length === 0 && destination.skipEmpty) {
        store.ledger.markSkipped(entry.id, 'empty', 'nothing new, and the channel asked to skip such digests');
        report.skipped++;
        event('skipped', 'empty');
        return;
      }
      let result = await this.send(destination, reply);
      if (result === null) {
        store.ledger.markFailed(entry.id, 'no-adapter', `no ${destination.platform} adapter runs here`, null);
        report.failed++;
        event('no-adapter');
        return;
      }
      if (!result.ok && result.failure.kind === 'rateLimited' && result.failure.retryAfterMs <= INLINE_RETRY_MS) {
        const waitMs = result.failure.retryAfterMs;
        await new Promise((resolve) => setTimeout(resolve, waitMs));
        result = (await this.send(destination, reply)) ?? result;
      }
      if (result.ok) {
        const content = digestContent(reply);
        store.transaction(() => {
          store.ledger.markSent(entry.id, {
            messageId: result.messageId,
            contentHash: content.hash,
            storyKeys: content.storyKeys,
          });
          engine.recordPosted(destination.key, reply, this.now());
        });
        report.sent++;
        event('ok');
        return;
      }
      const failure = result.failure;
      const decision = decideAfterFailure(failure, entry.attempts + 1, this.now().getTime());
      const next = decision.action === 'retry' ? new Date(decision.atMs).toISOString() : null;
      store.ledger.markFailed(entry.id, failure.kind, failure.detail, next);
      if (decision.action === 'pause') store.destinations.update(destination.key, { pausedReason: decision.reason });
      report.failed++;
      event(failure.kind, failure.detail);
      this.options.log?.error(
        {
          destination: destination.key,
          slot: entry.slot,
          failure: failure.kind,
          detail: failure.detail,
          next,
          action: decision.action,
        },
        'digest post failed',
      );
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      const decision = decideAfterFailure({ kind: 'transient', detail }, entry.attempts + 1, this.now().getTime());
      store.ledger.markFailed(
        entry.id,
        'transient',
        detail,
        decision.action === 'retry' ? new Date(decision.atMs).toISOString() : null,
      );
      report.failed++;
      event('transient', detail);
      this.options.log?.error({ err: error, destination: destination.key, slot: entry.slot }, 'digest post failed');
    }
  }

  private async send(destination: StoredDestination, reply: Reply): Promise<PostResult | null> {
    const pending = this.options.post(targetOf(destination), reply);
    return pending === null ? null : await pending;
  }
}
