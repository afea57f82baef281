/**
 * What one scheduler tick should do, as a pure function of the destinations' schedules, what the delivery ledger
 * already holds, and the clock. The runtime calls it once a minute, inserts a ledger row for each planned slot
 * (unique on destination and local date), and sends only the digests whose insert won.
 *
 * The rules, per destination:
 * - candidates are the slots with dueAt in (max(lastPlanned.dueAtMs, createdAtMs, now − lookback), now], whose
 *   local date is also after lastPlanned.localDate: a slot already planned never comes back, even when the clock
 *   steps back (NTP) or the schedule's time or zone changed since; a schedule created after a slot's time does
 *   not get that slot;
 * - the newest candidate is due now if it is at most `graceMs` old (a digest missed while the bot was down is
 *   posted when it comes back, once); every other candidate is skipped: 'missed-grace' when older than the grace
 *   period, 'superseded' when a newer slot is posted in its place (only possible with a grace of about a day);
 * - so a clock that jumps forward many hours (a suspended laptop) gives at most one due slot per destination.
 * Slots older than the look-back (7 days by default) are neither due nor recorded as skipped.
 *
 * There is no "previous tick" input: the ledger's last row per destination says everything a previous tick
 * decided, survives restarts, and stays right when the clock steps back; a bound taken from the previous tick
 * would lose a slot whenever that tick died between planning and inserting.
 */

import { dateOfDay } from './localTime.ts';
import { collectSlotsBetween, compileSchedule, type DigestSchedule, MAX_WINDOW_MS, type Slot } from './slots.ts';

export const DEFAULT_GRACE_MS = 2 * 3_600_000;
export const DEFAULT_LOOKBACK_MS = 7 * 86_400_000;

export interface PlanDestination<Id> {
  id: Id;
  schedule: DigestSchedule;
  /**
   * The destination's ledger row with the latest due instant (whatever its state: pending, sent, failed,
   * skipped), or null when it has none.
   */
  lastPlanned: Slot | null;
  /** When the destination's schedule was created: slots due at or before it are not its own. */
  createdAtMs: number;
}

export interface PlanOptions {
  /** How late a missed digest may still be posted; default 2 h. */
  graceMs?: number;
  /** How far back missed slots are looked for (and recorded as skipped); default 7 days, at most 62. */
  lookbackMs?: number;
}

export interface PlannedSlot<Id> {
  destinationId: Id;
  slot: Slot;
}

export interface SkippedSlot<Id> extends PlannedSlot<Id> {
  reason: 'missed-grace' | 'superseded';
}

export interface TickPlan<Id> {
  /** Post now, at most one per destination. */
  due: PlannedSlot<Id>[];
  /** Record as skipped, oldest first per destination. */
  skipped: SkippedSlot<Id>[];
  /** Destinations whose schedule cannot be used (bad time, zone or weekday), with the reason; nothing planned. */
  invalid: { destinationId: Id; error: string }[];
}

function checkDuration(value: number, name: string, max: number): number {
  if (!Number.isFinite(value) || value < 0 || value > max) {
    throw new RangeError(`${name} must be between 0 and ${max} ms, got ${value}`);
  }
  return value;
}

/** Plans the tick at `nowMs` for every destination (in their order). Throws only on bad `nowMs` or options. */
export function planTick<Id>(
  destinations: readonly PlanDestination<Id>[],
  nowMs: number,
  options: PlanOptions = {},
): TickPlan<Id> {
  if (!Number.isFinite(nowMs)) throw new RangeError(`nowMs must be an instant, got ${nowMs}`);
  const graceMs = checkDuration(options.graceMs ?? DEFAULT_GRACE_MS, 'graceMs', Number.MAX_SAFE_INTEGER);
  const lookbackMs = checkDuration(options.lookbackMs ?? DEFAULT_LOOKBACK_MS, 'lookbackMs', MAX_WINDOW_MS);
  const plan: TickPlan<Id> = { due: [], skipped: [], invalid: [] };
  // (day, dueAtMs) pairs of the destination at hand, reused: most destinations have none in most ticks.
  const found: number[] = [];
  for (const destination of destinations) {
    const last = destination.lastPlanned;
    found.length = 0;
    try {
      if (!Number.isFinite(destination.createdAtMs)) throw new RangeError('createdAtMs must be an instant');
      if (last && !Number.isFinite(last.dueAtMs)) throw new RangeError('lastPlanned.dueAtMs must be an instant');
      const after = Math.max(last?.dueAtMs ?? Number.NEGATIVE_INFINITY, destination.createdAtMs, nowMs - lookbackMs);
      collectSlotsBetween(compileSchedule(destination.schedule), after, nowMs, found);
    } catch (error) {
      plan.invalid.push({
        destinationId: destination.id,
        error: error instanceof Error ? error.message : String(error),
      });
      continue;
    }
    if (found.length === 0) continue;
    const slots: Slot[] = [];
    for (let i = 0; i < found.length; i += 2) {
      const localDate = dateOfDay(found[i] as number);
      // The ledger's key is the local date: a date already planned (under an older time or zone) is done.
      if (!last || localDate > last.localDate) slots.push({ localDate, dueAtMs: found[i + 1] as number });
    }
    const newest = slots.at(-1);
    if (!newest) continue;
    const postNewest = nowMs - newest.dueAtMs <= graceMs;
    const end = postNewest ? slots.length - 1 : slots.length;
    for (let i = 0; i < end; i++) {
      const slot = slots[i] as Slot;
      const reason = nowMs - slot.dueAtMs > graceMs ? 'missed-grace' : 'superseded';
      plan.skipped.push({ destinationId: destination.id, slot, reason });
    }
    if (postNewest) plan.due.push({ destinationId: destination.id, slot: newest });
  }
  return plan;
}
