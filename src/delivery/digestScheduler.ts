import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import type { AsyncStore, AsyncTransaction } from '../../storage/asyncStore.ts';
import type { LedgerEntry, LedgerPart, Mention, StoredDestination } from '../../storage/repositories.ts';
import type { Reply, ReplyOf } from '../commands/reply.ts';
import { postedDigest, threadNameOf, threadPartsOf } from '../digest/threadParts.ts';
import type { Engine, EngineLog } from '../engine/engine.ts';
import type { PostOptions, PostResult, PostTarget, ThreadResult } from '../engine/port.ts';
import {
  DEFAULT_LOOKBACK_MS,
  instantOfLocal,
  localParts,
  minuteOfDay,
  type PlanDestination,
  planTick,
} from '../schedule/index.ts';
import { decideAfterFailure } from './failurePolicy.ts';
import { attemptKey, partKey } from './postKey.ts';

/** Sends a reply to a destination through its platform's adapter; null when no adapter for it runs here. */
export type Poster = (target: PostTarget, reply: Reply, options?: PostOptions) => Promise<PostResult> | null;
/** Opens the thread under a posted parent message (see `PlatformAdapter.openThread`); null: no adapter here. */
export type ThreadOpener = (target: PostTarget, parentMessageId: string, name: string) => Promise<ThreadResult> | null;

/** One post attempted: what the runtime logs and counts. */
export interface PostEvent {
  destination: string;
  platform: string;
  slot: string;
  outcome: 'ok' | PostFailureKind | 'skipped' | 'no-adapter' | 'interrupted';
  ms: number;
  detail?: string;
}

/** Reports an outcome of one post, with its failure's detail. */
type PostEventReporter = (outcome: PostEvent['outcome'], detail?: string) => void;
type PostFailureKind = Extract<PostResult, { ok: false }>['failure']['kind'];

export interface SchedulerOptions {
  /** Where the ledger, leases and destinations live (`App.storage`). */
  store: AsyncStore;
  engine: Engine;
  post: Poster;
  /** For threaded digests; absent: no adapter can open threads, so those digests fail as `no-adapter`. */
  openThread?: ThreadOpener | null;
  /**
   * How long a platform's posts stay idempotent under their key (its adapter's `idempotentPostsMs`); 0 or absent:
   * they are not. Digests to such a platform go with keys, and a single post a stop left `sending` for less than
   * this is posted again with its key (the platform answers with what had arrived) instead of given up.
   */
  idempotentPostsMs?: ((platform: string) => number) | null;
  /** The configured defaults, for destinations without their own zone. */
  defaultTimeZone: string;
  now?: () => Date;
  /** How late a missed digest may still be posted (config `digest.graceMinutes`); default 2 h. */
  graceMs?: number;
  /** This process, for the lease (`host:pid`). */
  holder: string;
  /**
   * Whether the process holding the lease is known to have stopped (killed, crashed) without handing it back:
   * its lease is then taken at once instead of after it lapses. Absent: a lease is only taken once it lapses.
   */
  holderStopped?: ((holder: string) => boolean) | null;
  log?: EngineLog | null;
  onPost?: ((event: PostEvent) => void) | null;
  /** Posts under way at once: one slow platform never holds up the rest. */
  concurrency?: number;
  /** A feed failing this long is told to the channels that use it (config `fetch.noticeAfterHours`); 0: never. */
  sourceNoticeAfterMs?: number;
  /** Keys of the configured feeds: with those added in chat, the sources that are polled (and can fail). */
  configuredFeeds?: ReadonlySet<string>;
  /** The config's `alerts`: no alerts in the quiet hours (local, `HH:MM-HH:MM`), at most `dailyCap` a local day. */
  alerts?: { quietHours: string | null; dailyCap: number };
  /**
   * Queue mode: each digest a tick would post is handed to `dispatch` instead (the runtime queues a job whose
   * worker calls `deliverEntry`); handing one over twice must be harmless. Alerts and notices are still posted
   * here. Absent: the tick builds and posts digests itself.
   */
  dispatch?: ((entry: LedgerEntry) => Promise<void>) | null;
  /**
   * In queue mode, how long an entry may stay `sending` before it counts as left by a stopped process (a live one
   * may still be posting it until then): the deliver job's expiry. Default 10 minutes.
   */
  staleSendingMs?: number;
  /**
   * Alerts are made of the articles the store holds beyond the last tick's newest, instead of those given to
   * `noteNewArticles` (when fetches run in other processes). The first tick starts from the newest stored.
   */
  newArticlesFromStore?: boolean;
}

/** What `deliverEntry` did with a ledger entry. */
export interface EntryDelivery {
  /**
   * `attempted`: built and posted here, or claimed first by another process (the counts say which). Otherwise why
   * it was left alone: no such entry or destination, not a digest, sent or skipped or given up already, a retry
   * not yet due, its destination disabled or paused, or `sending` in a live process.
   */
  outcome: 'attempted' | 'missing' | 'not-a-digest' | 'finished' | 'not-due' | 'destination-off' | 'in-flight';
  /** Whether it had been left `sending` by a stopped process, and was reconciled first. */
  reconciled: boolean;
  sent: number;
  failed: number;
  skipped: number;
}

export interface TickReport {
  /** False when another process holds the scheduler's lease (nothing was planned or sent here). */
  leader: boolean;
  planned: number;
  skipped: number;
  sent: number;
  failed: number;
  /** Digests handed to `dispatch` (queue mode). */
  dispatched: number;
}

export const SCHEDULER_LEASE = 'digest-scheduler';
const MAX_PENDING_ALERT_ARTICLES = 5_000;
const NEW_ARTICLES_PAGE = 1_000;
const DEFAULT_STALE_SENDING_MS = 10 * 60_000;
const ALERT_FRESH_MS = 24 * 3_600_000;

/** Whether a local minute of the day falls in `HH:MM-HH:MM` (which may run past midnight). */
export function inQuietHours(minute: number, quietHours: string | null): boolean {
  if (!quietHours) return false;
  const [from, to] = quietHours.split('-').map(minuteOfDay) as [number, number];
  return from <= to ? minute >= from && minute < to : minute >= from || minute < to;
}
const LEASE_MS = 3 * 60_000;
/** A rate limit shorter than this is waited out in the same tick; a longer one is picked up by a later tick. */
const INLINE_RETRY_MS = 10_000;
const RETRIES_PER_TICK = 200;
/** Digests built ahead of sending, at most this many at a time (they are held in memory until posted). */
const BUILD_BATCH = 25;

/** A digest built ahead of its post, or what went wrong building it. */
type Built = { reply: Reply | null } | { error: unknown };

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

/** Who the topics' notifying subscriptions name, each once. */
function mentionsOf(topics: readonly string[], notify: Map<string, Mention> | null): Mention[] {
  const found = new Map<string, Mention>();
  for (const topic of topics) {
    const mention = notify?.get(topic);
    if (mention) found.set(JSON.stringify(mention), mention);
  }
  return [...found.values()];
}

/**
 * Posts every scheduled digest exactly once, on time, in each destination's zone. A tick (one a minute, from the
 * runtime's node-cron task) takes the scheduler lease, plans due slots with `planTick`, writes each to the ledger
 * before sending (the ledger's unique key lets only one insert win, in any process), sends, and records the
 * outcome: sent with the platform's message id (only then do its stories count as delivered), or failed with the
 * typed failure and what happens next (retry later, or the destination paused). In queue mode (`dispatch`) the
 * tick plans the same way but hands each digest to the queue, and a worker's `deliverEntry` posts it.
 */
export class DigestScheduler {
  private readonly now: () => Date;
  private readonly graceMs: number;
  private readonly limit: ReturnType<typeof pLimit>;
  /** Articles stored since the last tick (the ingest thread reports them): what alerts are made of. */
  private readonly newArticles = new Set<number>();
  /** The reconcile under way or done: it runs once, and a second call waits for the first. */
  private reconciling: Promise<number> | null = null;
  /** With `newArticlesFromStore`: the newest article id read so far (null before the first tick). */
  private articleCursor: number | null = null;
  /** With `newArticlesFromStore`: the sources that had fetched successfully when the store was last read. */
  private sourcesWorking = new Set<number>();

  constructor(private readonly options: SchedulerOptions) {
    this.now = options.now ?? (() => new Date());
    this.graceMs = options.graceMs ?? 2 * 3_600_000;
    this.limit = pLimit(options.concurrency ?? 4);
  }

  /**
   * Run once, when this process first leads (before it sends anything itself): a post left `sending` means the
   * process that held the lease stopped between sending and recording. It is not sent again (a second post is
   * the worse mistake): it is marked failed as `interrupted`, so its stories are not counted delivered and come
   * back in the next digest. Unless its platform's posts are idempotent and it began within their window: then
   * the same reply goes again with the same key, and the platform's answer (the messages that had arrived, or new
   * ones for those that had not) is recorded sent. A threaded digest whose parent was posted is finished instead:
   * the reply that was being sent is not sent again (unless, as above, its platform's posts are idempotent and it
   * began within their window), the replies after it are, into the same thread; one not begun is posted. In queue
   * mode an entry claimed within `staleSendingMs` is left alone: a live worker is posting it.
   * Resolves to how many entries it reconciled; a second call (once done, or while under way) to 0, after the first.
   */
  async reconcile(): Promise<number> {
    if (this.reconciling) {
      await this.reconciling;
      return 0;
    }
    this.reconciling = this.reconcileOnce();
    return this.reconciling;
  }

  private async reconcileOnce(): Promise<number> {
    const left = await this.options.store.ledger.interrupted();
    // in queue mode, an entry claimed recently is being posted by a live worker
    const abandoned = this.options.dispatch ? left.filter((entry) => this.abandoned(entry)) : left;
    for (const entry of abandoned) await this.reconcileEntry(entry);
    return abandoned.length;
  }

  /** Whether an entry left `sending` was claimed longer ago than a live process takes to post it. */
  private abandoned(entry: LedgerEntry): boolean {
    const staleMs = this.options.staleSendingMs ?? DEFAULT_STALE_SENDING_MS;
    return this.now().getTime() - Date.parse(entry.updatedAt) > staleMs;
  }

  /** One entry left `sending` by a stopped process: see `reconcile`. A resend is counted in `report`. */
  private async reconcileEntry(entry: LedgerEntry, report?: TickReport): Promise<void> {
    const { store } = this.options;
    const parts = await store.ledger.parts(entry.id);
    if (parts.length > 0 && parts.every((p) => p.state === 'planned')) {
      // a thread planned but not begun: nothing of it can have reached the platform
      await store.ledger.markFailed(
        entry.id,
        'interrupted',
        'the process stopped before the thread was begun',
        this.now().toISOString(),
      );
      return;
    }
    if (parts[0]?.state === 'sent') {
      const next = this.now().toISOString();
      const destination = await store.destinations.get(entry.destination);
      const windowMs = destination ? this.idempotentMs(destination.platform) : 0;
      // a reply goes in the thread with the key of its part: one in flight within the window goes again with it
      const again = (part: LedgerPart) => part.part > 0 && this.now().getTime() - Date.parse(part.updatedAt) < windowMs;
      // the parts in flight and the entry's retry together: a retry never finds a part still `sending`
      await store.transaction(async (tx) => {
        for (const part of parts) {
          await tx.ledger.markPart(entry.id, part.part, ['sending'], again(part) ? 'planned' : 'interrupted');
        }
        await tx.ledger.markFailed(
          entry.id,
          'interrupted',
          'the process stopped in the middle of a thread; finishing it',
          next,
        );
      });
      this.options.log?.error(
        { destination: entry.destination, slot: entry.slot },
        'a threaded digest was interrupted by a stop; the rest of it goes into the same thread',
      );
      return;
    }
    if (await this.resendUnderWay(entry, report)) return;
    await store.ledger.markFailed(entry.id, 'interrupted', 'the process stopped while posting', null);
    this.options.log?.error(
      { destination: entry.destination, slot: entry.slot },
      'a post was interrupted by a stop; not sent again (it may or may not have reached the platform)',
    );
  }

  /**
   * A single post left `sending` with its post under way (its platform's posts are idempotent), begun within the
   * platform's window: posted again with the same key and recorded as the platform answers. False when it is not
   * such a post, or is too old to be sent again safely (the caller marks it interrupted).
   */
  private async resendUnderWay(entry: LedgerEntry, report?: TickReport): Promise<boolean> {
    const { store } = this.options;
    const destination = await store.destinations.get(entry.destination);
    if (!destination?.enabled || destination.pausedReason !== null) return false;
    const windowMs = this.idempotentMs(destination.platform);
    if (windowMs <= 0) return false;
    const underWay = await store.ledger.takeUnderWay(entry.id);
    if (!underWay) return false;
    const fields = { destination: entry.destination, slot: entry.slot, began: underWay.startedAt };
    if (this.now().getTime() - Date.parse(underWay.startedAt) >= windowMs) {
      this.options.log?.info(fields, 'a post interrupted by a stop began too long ago to be sent again safely');
      return false;
    }
    const event = this.postEvents(destination, entry.slot);
    const reply = JSON.parse(underWay.body) as Reply;
    const result = await this.sendOrFailure(destination, reply, { idempotencyKey: underWay.key });
    if (result?.ok) {
      await this.recordSent(entry, destination, reply, result.messageId);
      if (report) report.sent++;
      event('ok');
      this.options.log?.info(
        fields,
        'a post interrupted by a stop was sent again with its key; the platform confirmed it',
      );
      return true;
    }
    // whatever reached the platform of it, a post with a new key could repeat it
    const detail = result === null ? `no ${destination.platform} adapter runs here` : result.failure.detail;
    await store.ledger.markFailed(
      entry.id,
      'interrupted',
      `the process stopped while posting; sending it again with its key failed: ${detail}`,
      null,
    );
    if (report) report.failed++;
    event('interrupted', detail);
    this.options.log?.error(fields, 'a post interrupted by a stop could not be sent again; not tried further');
    return true;
  }

  /** A single post the platform confirmed: the entry sent with its message, and its stories delivered, at once. */
  private async recordSent(
    entry: LedgerEntry,
    destination: StoredDestination,
    reply: Reply,
    messageId: string,
  ): Promise<void> {
    const content = digestContent(reply);
    const at = this.now();
    await this.options.store.transaction(async (tx) => {
      await tx.ledger.markSent(entry.id, { messageId, contentHash: content.hash, storyKeys: content.storyKeys });
      await this.options.engine.recordPosted(destination.key, reply, at, tx);
    });
  }

  /** Reports each outcome of one post (`onPost`), timed from this call. */
  private postEvents(destination: StoredDestination, slot: string): PostEventReporter {
    const started = performance.now();
    return (outcome, detail) =>
      this.options.onPost?.({
        destination: destination.key,
        platform: destination.platform,
        slot,
        outcome,
        ms: performance.now() - started,
        ...(detail ? { detail } : {}),
      });
  }

  /** How long the platform's posts stay idempotent under their key; 0: not at all. */
  private idempotentMs(platform: string): number {
    return this.options.idempotentPostsMs?.(platform) ?? 0;
  }

  /** Whether this process holds the lease now (taking or renewing it, or taking it from a stopped holder). */
  private async lead(nowMs: number): Promise<boolean> {
    const { leases } = this.options.store;
    const expiresAt = new Date(nowMs + LEASE_MS).toISOString();
    if (await leases.acquire(SCHEDULER_LEASE, this.options.holder, new Date(nowMs).toISOString(), expiresAt)) {
      return true;
    }
    const current = await leases.current(SCHEDULER_LEASE);
    if (!current || current.holder === this.options.holder || !this.options.holderStopped?.(current.holder)) {
      return false;
    }
    // takeOver changes the lease only while `current.holder` still has it: another process taking it in between wins
    if (!(await leases.takeOver(SCHEDULER_LEASE, current.holder, this.options.holder, expiresAt))) return false;
    this.options.log?.info(
      { previous: current.holder },
      'took over the scheduled digests from a newsbrief process that stopped without handing them back',
    );
    return true;
  }

  /** Articles the ingest thread just stored; the next tick alerts destinations whose topics they are about. */
  noteNewArticles(ids: readonly number[]): void {
    for (const id of ids) this.newArticles.add(id);
    // Bounded: a huge backlog (a first fetch of many feeds) is the digest's job, not a burst of alerts.
    for (const id of this.newArticles) {
      if (this.newArticles.size <= MAX_PENDING_ALERT_ARTICLES) break;
      this.newArticles.delete(id);
    }
  }

  async release(): Promise<void> {
    await this.options.store.leases.release(SCHEDULER_LEASE, this.options.holder);
  }

  async tick(): Promise<TickReport> {
    const nowMs = this.now().getTime();
    const report: TickReport = { leader: false, planned: 0, skipped: 0, sent: 0, failed: 0, dispatched: 0 };
    if (this.options.newArticlesFromStore) await this.readNewArticles();
    if (!(await this.lead(nowMs))) return report;
    report.leader = true;
    await this.reconcile();
    const { store } = this.options;
    const scheduled = await store.destinations.scheduled();
    // Older entries than the look-back do not matter: planTick looks no further back.
    const latest = await store.ledger.latestPlanned('digest', new Date(nowMs - DEFAULT_LOOKBACK_MS).toISOString());
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
      const { inserted } = await store.ledger.plan({
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
    const digests: { entry: LedgerEntry; destination: StoredDestination; from: readonly ('pending' | 'failed')[] }[] =
      [];
    for (const { destinationId, slot } of plan.due) {
      const { entry, inserted } = await store.ledger.plan({
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
      const destination = await store.destinations.get(destinationId);
      if (!destination) continue;
      digests.push({ entry, destination, from: ['pending'] });
    }
    const retryAt = new Date(nowMs).toISOString();
    const retries = [
      ...(await store.ledger.retriesDue(retryAt, RETRIES_PER_TICK)).map((entry) => ({
        entry,
        from: ['failed'] as const,
      })),
      // planned by a tick that stopped before claiming it
      ...(await store.ledger.pendingDue(retryAt, RETRIES_PER_TICK))
        .filter(
          (e) => !plan.due.some((d) => slotName(d.slot.localDate) === e.slot && d.destinationId === e.destination),
        )
        .map((entry) => ({ entry, from: ['pending'] as const })),
    ];
    for (const { entry, from } of retries) {
      const destination = await store.destinations.get(entry.destination);
      if (!destination?.enabled || destination.pausedReason !== null) continue;
      digests.push({ entry, destination, from });
    }
    await this.planAlerts(nowMs, work, report);
    await this.planSourceNotices(nowMs, work, report);
    if (this.options.dispatch) {
      await this.dispatchAll(this.options.dispatch, digests, report);
      await Promise.all(work);
      return report;
    }
    // A batch's digests are all built before any of them is sent: building is synchronous work that would
    // otherwise hold up the answers to posts under way (a stop then finds them sent but not recorded).
    for (let i = 0; i < digests.length; i += BUILD_BATCH) {
      const batch = digests.slice(i, i + BUILD_BATCH);
      const built: (Built | null)[] = [];
      for (const { entry } of batch) built.push(await this.build(entry));
      await Promise.all(
        batch.map(({ entry, destination, from }, j) =>
          this.limit(() => this.deliver(entry, destination, from, report, built[j] ?? null)),
        ),
      );
    }
    await Promise.all(work);
    return report;
  }

  /** Hands each digest to `dispatch`; one that cannot be handed over now is found again by the next tick. */
  private async dispatchAll(
    dispatch: (entry: LedgerEntry) => Promise<void>,
    digests: readonly { entry: LedgerEntry }[],
    report: TickReport,
  ): Promise<void> {
    for (const { entry } of digests) {
      try {
        await dispatch(entry);
        report.dispatched++;
      } catch (error) {
        this.options.log?.error(
          { err: error, destination: entry.destination, slot: entry.slot },
          'a digest could not be handed to the queue; the next tick tries again',
        );
      }
    }
  }

  /**
   * What a worker's deliver job runs: builds and posts one digest of the ledger, once, as a tick would (a retry
   * from `failed`, a thread begun going on from its parts). An entry left `sending` longer than `staleSendingMs`
   * was left by a stopped process and is reconciled first, as `reconcile` does; one claimed more recently is left
   * to the process posting it. Called twice, or at once in two processes, the ledger's claim lets one post.
   */
  async deliverEntry(entryId: number): Promise<EntryDelivery> {
    const { store } = this.options;
    const report: TickReport = { leader: false, planned: 0, skipped: 0, sent: 0, failed: 0, dispatched: 0 };
    const result = (outcome: EntryDelivery['outcome'], reconciled = false): EntryDelivery => ({
      outcome,
      reconciled,
      sent: report.sent,
      failed: report.failed,
      skipped: report.skipped,
    });
    let entry = await store.ledger.get(entryId);
    if (!entry) return result('missing');
    if (entry.kind !== 'digest') return result('not-a-digest');
    let reconciled = false;
    if (entry.state === 'sending') {
      if (!this.abandoned(entry)) return result('in-flight');
      await this.reconcileEntry(entry, report);
      reconciled = true;
      entry = await store.ledger.get(entryId);
      if (!entry) return result('missing', reconciled);
    }
    if (entry.state !== 'pending' && entry.state !== 'failed') return result('finished', reconciled);
    if (entry.state === 'failed') {
      if (entry.nextAttemptAt === null) return result('finished', reconciled);
      if (Date.parse(entry.nextAttemptAt) > this.now().getTime()) return result('not-due', reconciled);
    }
    const destination = await store.destinations.get(entry.destination);
    if (!destination) return result('missing', reconciled);
    if (!destination.enabled || destination.pausedReason !== null) return result('destination-off', reconciled);
    await this.deliver(entry, destination, [entry.state], report, await this.build(entry));
    return result('attempted', reconciled);
  }

  /**
   * With `newArticlesFromStore`: the articles stored since the last look, as `noteNewArticles` takes them. A
   * source's first successful fetch is a backlog, not news (the ingest thread leaves those out too): an article
   * counts only when its source had fetched successfully before the previous look, which was before it was stored.
   */
  private async readNewArticles(): Promise<void> {
    const { store } = this.options;
    const working = this.sourcesWorking;
    this.sourcesWorking = new Set(
      (await store.sources.list()).filter((s) => s.lastSuccessAt !== null).map((s) => s.id),
    );
    if (this.articleCursor === null) {
      this.articleCursor = (await store.articles.newestId()) ?? 0;
      return;
    }
    const added: number[] = [];
    for (;;) {
      const page = await store.articles.storedAfter(this.articleCursor, NEW_ARTICLES_PAGE);
      for (const { id, sourceId } of page) if (sourceId !== null && working.has(sourceId)) added.push(id);
      this.articleCursor = page.at(-1)?.id ?? this.articleCursor;
      if (page.length < NEW_ARTICLES_PAGE) break;
    }
    this.noteNewArticles(added);
  }

  /** A due digest, built ahead of its post; null for a thread already begun (it posts what it planned). */
  private async build(entry: LedgerEntry): Promise<Built | null> {
    if ((await this.options.store.ledger.parts(entry.id)).some((p) => p.state !== 'planned')) return null;
    try {
      return { reply: await this.options.engine.digestFor(entry.destination) };
    } catch (error) {
      return { error };
    }
  }

  /**
   * Alerts: each new story about a destination's topics, for destinations that turned alerts on, once per story
   * (the ledger's `alert:<story>` slot), outside their quiet hours (held until after), at most the daily cap a
   * local day (the rest wait for the digest). New stories of one tick go out together in one message.
   */
  private async planAlerts(nowMs: number, work: Promise<void>[], report: TickReport): Promise<void> {
    if (this.newArticles.size === 0) return;
    const { store } = this.options;
    const ids = [...this.newArticles];
    this.newArticles.clear();
    // Destinations with alerts on, and channels whose subscriptions notify someone (alerts for those topics only).
    const notifying = await store.subscriptions.allNotifications();
    const destinations = (await store.destinations.list())
      .filter((d) => d.enabled && d.pausedReason === null)
      .map((d) => ({ destination: d, notify: d.kind === 'channel' ? (notifying.get(d.key) ?? null) : null }))
      .filter(({ destination, notify }) => destination.alerts || notify !== null);
    if (destinations.length === 0) return;
    const stories = new Map<string, { articleId: number; topics: Set<string> }>();
    // News, not old items seen for the first time: published (else first seen) within the last day.
    const fresh = (a: { publishedAt: string | null; firstSeenAt: string }) =>
      nowMs - Date.parse(a.publishedAt ?? a.firstSeenAt) < ALERT_FRESH_MS;
    for (const article of (await store.articles.getMany(ids)).filter(fresh)) {
      const member = await store.stories.membership(article.id);
      const key = member ? (await store.stories.headers([member.storyId]))[0]?.key : undefined;
      if (!key) continue;
      const story = stories.get(key) ?? { articleId: article.id, topics: new Set<string>() };
      for (const tag of article.topics) story.topics.add(tag.id);
      stories.set(key, story);
    }
    const settings = this.options.alerts ?? { quietHours: null, dailyCap: 10 };
    for (const { destination, notify } of destinations) {
      const subscribed = new Set(
        destination.alerts ? await store.subscriptions.list(destination.key) : [...(notify?.keys() ?? [])],
      );
      const matches = [...stories].filter(([, s]) => [...s.topics].some((t) => subscribed.has(t)));
      if (matches.length === 0) continue;
      const zone = destination.timeZone ?? this.options.defaultTimeZone;
      const local = localParts(nowMs, zone);
      if (inQuietHours(local.hour * 60 + local.minute, settings.quietHours)) {
        for (const [, s] of matches) this.newArticles.add(s.articleId);
        continue;
      }
      const dayStart = new Date(instantOfLocal(local.date, '00:00', zone)).toISOString();
      let room =
        (destination.alertCap ?? settings.dailyCap) -
        (await store.ledger.countSent(destination.key, 'alert', dayStart));
      const planned: { entry: LedgerEntry; key: string; articleId: number; topics: string[] }[] = [];
      for (const [key, s] of matches) {
        if (room <= 0) break;
        const { entry, inserted } = await store.ledger.plan({
          destination: destination.key,
          slot: `alert:${key}`,
          kind: 'alert',
          localDate: local.date,
          dueAt: new Date(nowMs).toISOString(),
          state: 'pending',
        });
        if (!inserted) continue;
        room--;
        planned.push({ entry, key, articleId: s.articleId, topics: [...s.topics].filter((t) => subscribed.has(t)) });
      }
      if (planned.length === 0) continue;
      report.planned += planned.length;
      const mentions = mentionsOf(
        planned.flatMap((p) => p.topics),
        notify,
      );
      work.push(this.limit(() => this.deliverAlert(destination, planned, mentions, report)));
    }
  }

  /**
   * A polled feed failing for `sourceNoticeAfterMs` is told, once per outage, to the channels that use it (the one
   * that added it in chat, else every channel with a digest), and once more when it works again. Never a stream.
   */
  private async planSourceNotices(nowMs: number, work: Promise<void>[], report: TickReport): Promise<void> {
    const after = this.options.sourceNoticeAfterMs ?? 6 * 3_600_000;
    if (after <= 0) return;
    const { store } = this.options;
    const configured = this.options.configuredFeeds ?? new Set<string>();
    const polled = (await store.sources.list()).filter(
      (s) => s.kind === 'feed' && (configured.has(s.key) || (s.addedBy !== null && s.removedAt === null)),
    );
    let channels: StoredDestination[] | null = null;
    const usersOf = async (addedBy: string | null) => {
      channels ??= (await store.destinations.list()).filter(
        (d) => d.kind === 'channel' && d.digestTime !== null && d.enabled && d.pausedReason === null,
      );
      return addedBy ? channels.filter((c) => c.key === addedBy) : channels;
    };
    const notify = async (destination: StoredDestination, slot: string, reply: Reply | null) => {
      if (!reply) return;
      const { entry, inserted } = await store.ledger.plan({
        destination: destination.key,
        slot,
        kind: 'notice',
        localDate: null,
        dueAt: new Date(nowMs).toISOString(),
        state: 'pending',
      });
      if (!inserted) return;
      report.planned++;
      work.push(this.limit(() => this.deliverNotice(entry, destination, reply, report)));
    };
    for (const source of polled) {
      const since = source.failingSince;
      if (!since || source.consecutiveFailures === 0 || nowMs - Date.parse(since) < after) continue;
      for (const destination of await usersOf(source.addedBy)) {
        await notify(
          destination,
          `source-down:${source.id}:${since}`,
          await this.options.engine.sourceNoticeFor(
            destination.key,
            { name: source.name, since, error: source.lastError },
            true,
          ),
        );
      }
    }
    for (const outage of await store.ledger.openOutages()) {
      const [, id, ...rest] = outage.slot.split(':');
      const since = rest.join(':');
      const source = await store.sources.get(Number(id));
      const destination = await store.destinations.get(outage.destination);
      if (!destination) continue;
      const slot = `source-up:${id}:${since}`;
      if (!source || source.removedAt !== null) {
        await store.ledger.plan({
          destination: destination.key,
          slot,
          kind: 'notice',
          localDate: null,
          dueAt: new Date(nowMs).toISOString(),
          state: 'skipped',
          failure: 'source-removed',
        });
        continue;
      }
      if (source.consecutiveFailures > 0 || source.failingSince === since) continue;
      await notify(
        destination,
        slot,
        await this.options.engine.sourceNoticeFor(destination.key, { name: source.name, since, error: null }, false),
      );
    }
  }

  private async deliverNotice(
    entry: LedgerEntry,
    destination: StoredDestination,
    reply: Reply,
    report: TickReport,
  ): Promise<void> {
    const { store } = this.options;
    if (!(await store.ledger.claim(entry.id, ['pending']))) return;
    const event = this.postEvents(destination, entry.slot);
    const result = await this.sendOrFailure(destination, reply);
    const outcome = result === null ? 'no-adapter' : result.ok ? 'ok' : result.failure.kind;
    if (result?.ok) {
      await store.ledger.markSent(entry.id, { messageId: result.messageId, contentHash: '', storyKeys: [] });
      report.sent++;
    } else {
      await store.ledger.markFailed(
        entry.id,
        result ? (result.ok ? 'transient' : result.failure.kind) : 'no-adapter',
        result && !result.ok ? result.failure.detail : '',
        null,
      );
      report.failed++;
    }
    event(outcome);
  }

  private async deliverAlert(
    destination: StoredDestination,
    planned: { entry: LedgerEntry; key: string; articleId: number; topics: string[] }[],
    mentions: Mention[],
    report: TickReport,
  ): Promise<void> {
    const { store, engine } = this.options;
    const mine: typeof planned = [];
    for (const p of planned) if (await store.ledger.claim(p.entry.id, ['pending'])) mine.push(p);
    if (mine.length === 0) return;
    const event = this.postEvents(destination, `alert:${mine.length}`);
    const topics = [...new Set(mine.flatMap((p) => p.topics))];
    const reply = await engine.alertFor(
      destination.key,
      mine.map((p) => p.articleId),
      topics,
      mentions,
    );
    const result = reply ? await this.sendOrFailure(destination, reply) : null;
    const at = this.now().toISOString();
    if (result?.ok) {
      const messageId = result.messageId;
      await store.transaction(async (tx) => {
        for (const p of mine) {
          await tx.ledger.markSent(p.entry.id, { messageId, contentHash: '', storyKeys: [p.key] });
          // shown: the person's own digest brings the story back only with new articles
          await tx.deliveries.record(destination.key, p.key, p.articleId, at);
        }
      });
      report.sent++;
      event('ok');
      return;
    }
    const failure = result ? (result.ok ? null : result.failure) : { kind: 'transient' as const, detail: 'no adapter' };
    const decision =
      failure && (failure.kind === 'gone' || failure.kind === 'forbidden')
        ? decideAfterFailure(failure, 1, this.now().getTime())
        : null;
    // the failures and the pause together: nothing reads the destination unpaused with its alerts given up
    await store.transaction(async (tx) => {
      for (const p of mine) {
        await tx.ledger.markFailed(p.entry.id, failure?.kind ?? 'transient', failure?.detail ?? '', null);
      }
      if (decision?.action === 'pause') {
        await tx.destinations.update(destination.key, { pausedReason: decision.reason });
      }
    });
    report.failed++;
    event(failure?.kind ?? 'transient', failure?.detail);
  }

  /**
   * Claims the entry of a digest `build` made (only one process sends it), posts it and records what happened. The
   * claim comes once the digest is built, just before posting: a process stopped while building leaves the entry
   * planned, and the next start posts it; only one stopped while posting leaves it `sending` (interrupted). A
   * threaded digest already begun (`built` null) is not built again: it goes on from its ledger parts.
   */
  private async deliver(
    entry: LedgerEntry,
    destination: StoredDestination,
    from: readonly ('pending' | 'failed')[],
    report: TickReport,
    built: Built | null,
  ): Promise<void> {
    const { store } = this.options;
    let claimed = false;
    const event = this.postEvents(destination, entry.slot);
    try {
      if (built === null) {
        // a thread already begun: it goes on with what it planned
        if (!(await store.ledger.claim(entry.id, from))) return;
        claimed = true;
        await this.postThread(entry, destination, report, event);
        return;
      }
      if ('error' in built) throw built.error;
      const { reply } = built;
      const threaded =
        destination.digestLayout === 'thread' && reply?.kind === 'digest' && reply.digest.stories.length > 0;
      // a single post to a platform with idempotent posts: kept with its key, so that a stop can be resent safely
      const underWay =
        reply && !threaded && this.idempotentMs(destination.platform) > 0
          ? { key: attemptKey(entry), body: JSON.stringify(reply) }
          : undefined;
      if (!(await store.ledger.claim(entry.id, from, underWay))) return;
      claimed = true;
      if (!reply) {
        await store.ledger.markSkipped(entry.id, 'no-destination');
        return;
      }
      if (reply.kind === 'digest' && reply.digest.stories.length === 0 && destination.skipEmpty) {
        await store.ledger.markSkipped(entry.id, 'empty', 'nothing new, and the channel asked to skip such digests');
        report.skipped++;
        event('skipped', 'empty');
        return;
      }
      if (threaded && reply.kind === 'digest') {
        const { parent, stories } = threadPartsOf(reply);
        await store.ledger.planParts(entry.id, [
          { part: 0, storyKey: null, body: JSON.stringify(parent) },
          ...stories.map((s) => ({ part: s.number, storyKey: s.story.key, body: JSON.stringify(s) })),
        ]);
        await this.postThread(entry, destination, report, event);
        return;
      }
      const keyed = underWay ? { idempotencyKey: underWay.key } : {};
      const result = await this.sendWaitingShortLimits(targetOf(destination), reply, keyed);
      if (result === null) {
        await store.ledger.markFailed(entry.id, 'no-adapter', `no ${destination.platform} adapter runs here`, null);
        report.failed++;
        event('no-adapter');
        return;
      }
      if (result.ok) {
        await this.recordSent(entry, destination, reply, result.messageId);
        report.sent++;
        event('ok');
        return;
      }
      await this.recordFailure(entry, destination, result.failure, result.partial === true, report, event);
    } catch (error) {
      if (!claimed && !(await store.ledger.claim(entry.id, from))) return;
      const detail = error instanceof Error ? error.message : String(error);
      const decision = decideAfterFailure({ kind: 'transient', detail }, entry.attempts + 1, this.now().getTime());
      await store.ledger.markFailed(
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

  /**
   * Posts a threaded digest from its ledger parts (the entry claimed): the parent unless it was posted, the
   * thread unless it was opened, then every story reply still only planned, each marked `sending` before it goes
   * and `sent` with its message id after. A failure leaves the rest planned for the retry, which goes on where
   * this one stopped; a part left `sending` or posted in part is never sent again.
   */
  private async postThread(
    entry: LedgerEntry,
    destination: StoredDestination,
    report: TickReport,
    event: PostEventReporter,
  ): Promise<void> {
    const { store, engine } = this.options;
    const parts = await store.ledger.parts(entry.id);
    const [head, ...replies] = parts;
    if (!head) throw new Error('a threaded digest without its parts');
    const parent = JSON.parse(head.body) as ReplyOf<'digestParent'>;
    const target = targetOf(destination);
    const failed = async (result: PostResult | ThreadResult | null, posted: string): Promise<void> => {
      if (result === null) {
        await store.ledger.markFailed(entry.id, 'no-adapter', `no ${destination.platform} adapter runs here`, null);
        report.failed++;
        event('no-adapter');
        return;
      }
      if (result.ok) return;
      const failure = { ...result.failure, detail: `${result.failure.detail} (${posted})` };
      const at = this.now();
      // given up half-way: the stories that are in the thread were delivered all the same (recorded with the
      // failure, so the entry is never seen given up with its posted stories not yet counted)
      await this.recordFailure(entry, destination, failure, false, report, event, async (tx) => {
        const inThread = await this.postedStories(tx, entry.id);
        if (inThread.size > 0) await engine.recordPosted(destination.key, postedDigest(parent, inThread), at, tx);
      });
    };
    let parentId = head.messageId;
    if (head.state === 'planned') {
      const result = await this.sendPart(entry, head, target, parent);
      if (!result?.ok) return await failed(result, 'the thread was not begun');
      parentId = result.messageId;
    } else if (head.state !== 'sent' || parentId === null) {
      // the parent may or may not be in the channel: a second one is the worse mistake
      await store.ledger.markFailed(
        entry.id,
        'interrupted',
        'the process stopped while posting the parent message',
        null,
      );
      report.failed++;
      event('interrupted');
      return;
    }
    let threadId = head.threadId;
    if (threadId === null) {
      const opened = await this.openThread(target, parentId, threadNameOf(parent));
      if (!opened?.ok) return await failed(opened, 'the parent message was posted, its thread not opened');
      threadId = opened.threadId;
      await store.ledger.setThread(entry.id, threadId);
    }
    const inThread = { ...target, thread: threadId };
    for (const part of replies) {
      if (part.state !== 'planned') continue;
      const result = await this.sendPart(entry, part, inThread, JSON.parse(part.body) as Reply);
      if (!result?.ok) {
        const done = (await store.ledger.parts(entry.id)).filter((p) => p.part > 0 && p.state === 'sent').length;
        return await failed(result, `${done} of ${replies.length} stories posted in the thread`);
      }
    }
    const at = this.now();
    await store.transaction(async (tx) => {
      // the parts read in the transaction that records them: what is marked sent is what the ledger holds
      const digest = postedDigest(parent, await this.postedStories(tx, entry.id));
      const content = digestContent(digest);
      await tx.ledger.markSent(entry.id, {
        messageId: parentId as string,
        contentHash: content.hash,
        storyKeys: content.storyKeys,
      });
      await engine.recordPosted(destination.key, digest, at, tx);
    });
    report.sent++;
    event('ok');
  }

  /** The stories of a threaded digest the platform confirmed it posted. */
  private async postedStories(tx: AsyncTransaction, entryId: number): Promise<Set<string>> {
    const parts = await tx.ledger.parts(entryId);
    return new Set(parts.flatMap((p) => (p.part > 0 && p.state === 'sent' && p.storyKey !== null ? [p.storyKey] : [])));
  }

  /** One message of a thread: `sending` while it goes, then `sent`, or back to `planned` unless posted in part. */
  private async sendPart(
    entry: LedgerEntry,
    part: LedgerPart,
    target: PostTarget,
    reply: Reply,
  ): Promise<PostResult | null> {
    const { ledger } = this.options.store;
    if (!(await ledger.markPart(entry.id, part.part, ['planned'], 'sending'))) {
      return { ok: false, failure: { kind: 'transient', detail: 'the part was taken by another attempt' } };
    }
    const keyed = this.idempotentMs(target.platform) > 0 ? { idempotencyKey: partKey(entry, part.part) } : {};
    let result: PostResult | null;
    try {
      result = await this.sendWaitingShortLimits(target, reply, keyed);
    } catch (error) {
      result = {
        ok: false,
        failure: { kind: 'transient', detail: error instanceof Error ? error.message : String(error) },
      };
    }
    if (result?.ok) await ledger.markPart(entry.id, part.part, ['sending'], 'sent', result.messageId);
    else await ledger.markPart(entry.id, part.part, ['sending'], result?.partial ? 'interrupted' : 'planned');
    return result;
  }

  /**
   * A failed post's ledger record, retry and pause, as the failure policy decides, in one transaction (nothing
   * reads the entry failed and its destination not yet paused); resolves true when it is retried. `givenUp` runs in
   * that transaction too when the post is not retried.
   */
  private async recordFailure(
    entry: LedgerEntry,
    destination: StoredDestination,
    failure: Extract<PostResult, { ok: false }>['failure'],
    partial: boolean,
    report: TickReport,
    event: PostEventReporter,
    givenUp?: (tx: AsyncTransaction) => Promise<void>,
  ): Promise<boolean> {
    const { store } = this.options;
    const decision = decideAfterFailure(failure, entry.attempts + 1, this.now().getTime(), partial);
    const next = decision.action === 'retry' ? new Date(decision.atMs).toISOString() : null;
    const detail = partial ? `posted in part, not sent again: ${failure.detail}` : failure.detail;
    await store.transaction(async (tx) => {
      await tx.ledger.markFailed(entry.id, failure.kind, detail, next);
      if (decision.action === 'pause') await tx.destinations.update(destination.key, { pausedReason: decision.reason });
      if (next === null) await givenUp?.(tx);
    });
    report.failed++;
    event(failure.kind, detail);
    this.options.log?.error(
      { destination: destination.key, slot: entry.slot, failure: failure.kind, detail, next, action: decision.action },
      'digest post failed',
    );
    return next !== null;
  }

  /** Sends, and once more after a rate limit short enough to wait out in this tick (not after a partial post). */
  private async sendWaitingShortLimits(
    target: PostTarget,
    reply: Reply,
    options: PostOptions,
  ): Promise<PostResult | null> {
    const result = await this.send(target, reply, options);
    if (
      result === null ||
      result.ok ||
      result.partial ||
      result.failure.kind !== 'rateLimited' ||
      result.failure.retryAfterMs > INLINE_RETRY_MS
    ) {
      return result;
    }
    const waitMs = result.failure.retryAfterMs;
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    return (await this.send(target, reply, options)) ?? result;
  }

  private async openThread(target: PostTarget, parentMessageId: string, name: string): Promise<ThreadResult | null> {
    const pending = this.options.openThread?.(target, parentMessageId, name) ?? null;
    if (pending === null) return null;
    try {
      return await pending;
    } catch (error) {
      return {
        ok: false,
        failure: { kind: 'transient', detail: error instanceof Error ? error.message : String(error) },
      };
    }
  }

  /** `send`, with an adapter that threw taken as a transient failure. */
  private async sendOrFailure(
    destination: StoredDestination,
    reply: Reply,
    options: PostOptions = {},
  ): Promise<PostResult | null> {
    try {
      return await this.send(targetOf(destination), reply, options);
    } catch (error) {
      return {
        ok: false,
        failure: { kind: 'transient', detail: error instanceof Error ? error.message : String(error) },
      };
    }
  }

  private async send(target: PostTarget, reply: Reply, options: PostOptions = {}): Promise<PostResult | null> {
    const pending = this.options.post(target, reply, options);
    return pending === null ? null : await pending;
  }
}
