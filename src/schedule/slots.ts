/**
 * A destination's digest schedule and the slots it produces: one slot per selected local day, due at the
 * schedule's time in its zone (by the gap and first-occurrence rule of `localTime.ts`). A slot is identified by
 * (destination, localDate), the delivery ledger's unique key: a day has one digest however its clock runs.
 */
import { DAY_MS, dateOfDay, dayNumber, instantOfLocalDay, isTimeZone, minuteOfDay, weekdayOfDay } from './localTime.ts';

export interface DigestSchedule {
  /** 'HH:MM', 24-hour, in `timeZone`. */
  time: string;
  /** An IANA zone name such as Asia/Seoul. */
  timeZone: string;
  /** ISO weekdays (Monday 1 … Sunday 7) to post on; empty means every day. */
  weekdays: readonly number[];
}

/** One scheduled digest: the local date it belongs to and the instant it is due. */
export interface Slot {
  localDate: string;
  dueAtMs: number;
}

/** The longest window `slotsBetween` walks, so a wrong bound cannot make it walk years of days. */
export const MAX_WINDOW_MS = 62 * DAY_MS;

/** Every instant of local day d lies within [d − 14 h, d + 38 h) of d's midnight written as UTC. */
const EARLIEST_OFFSET_MS = 14 * 3_600_000;

/** A schedule checked once and reduced to numbers: minute of day, zone, and a bit per selected weekday. */
export interface CompiledSchedule {
  minuteOfDay: number;
  timeZone: string;
  /** Bit w (1..7) is set when ISO weekday w is selected. */
  weekdayMask: number;
}

const EVERY_DAY = 0b1111_1110;

interface CacheEntry {
  time: string;
  timeZone: string;
  /** A copy, so a weekdays array changed in place is noticed. */
  weekdays: readonly number[];
  compiled: CompiledSchedule;
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Schedules compiled before, by object: a tick sees the same objects every minute. Fields are re-checked. */
const compiledCache = new WeakMap<DigestSchedule, CacheEntry>();

/** Checks a schedule (throws a RangeError naming the bad field) and reduces it for repeated use. */
export function compileSchedule(schedule: DigestSchedule): CompiledSchedule {
  const cached = compiledCache.get(schedule);
  if (
    cached &&
    cached.time === schedule.time &&
    cached.timeZone === schedule.timeZone &&
    sameNumbers(cached.weekdays, schedule.weekdays)
  ) {
    return cached.compiled;
  }
  const compiled = compileUncached(schedule);
  compiledCache.set(schedule, {
    time: schedule.time,
    timeZone: schedule.timeZone,
    weekdays: [...schedule.weekdays],
    compiled,
  });
  return compiled;
}

function compileUncached(schedule: DigestSchedule): CompiledSchedule {
  const minute = minuteOfDay(schedule.time);
  if (!isTimeZone(schedule.timeZone)) throw new RangeError(`unknown time zone ${JSON.stringify(schedule.timeZone)}`);
  let mask = 0;
  for (const w of schedule.weekdays) {
    if (!Number.isInteger(w) || w < 1 || w > 7)
      throw new RangeError(`weekdays must be 1 (Monday) … 7 (Sunday), got ${w}`);
    mask |= 1 << w;
  }
  return { minuteOfDay: minute, timeZone: schedule.timeZone, weekdayMask: mask === 0 ? EVERY_DAY : mask };
}

function dueOn(s: CompiledSchedule, day: number): number | null {
  if ((s.weekdayMask & (1 << weekdayOfDay(day))) === 0) return null;
  return instantOfLocalDay(day, s.minuteOfDay, s.timeZone);
}

/**
 * The slot of local date `localDate` ('YYYY-MM-DD'), or null when its weekday is not selected. The weekday is the
 * local date's own: a 02:30 pushed to 03:00 by a gap is still that date's slot.
 */
export function slotOn(schedule: DigestSchedule, localDate: string): Slot | null {
  const due = dueOn(compileSchedule(schedule), dayNumber(localDate));
  return due === null ? null : { localDate, dueAtMs: due };
}

/**
 * Appends (day, dueAtMs) pairs to `out` for each slot with afterMs < dueAt ≤ upToMs, in order of local date (which
 * is the order of dueAt). Day numbers count days since 1970-01-01. Allocates nothing when no slot falls inside.
 */
export function collectSlotsBetween(s: CompiledSchedule, afterMs: number, upToMs: number, out: number[]): void {
  if (!Number.isFinite(afterMs) || !Number.isFinite(upToMs)) throw new RangeError('slot window bounds must be finite');
  if (upToMs <= afterMs) return;
  if (upToMs - afterMs > MAX_WINDOW_MS) {
    throw new RangeError(`slot window of ${Math.round((upToMs - afterMs) / DAY_MS)} days exceeds the 62-day limit`);
  }
  // Local dates are found by instants alone (no formatting): the local date of an instant t lies between the UTC
  // dates of t − 12 h and t + 14 h; one day more on the early side covers a gap that pushes a slot past midnight.
  const first = Math.floor((afterMs - EARLIEST_OFFSET_MS) / DAY_MS) - 1;
  const last = Math.floor((upToMs + EARLIEST_OFFSET_MS) / DAY_MS);
  for (let day = first; day <= last; day++) {
    const due = dueOn(s, day);
    if (due !== null && due > afterMs && due <= upToMs) out.push(day, due);
  }
}

/**
 * Every slot with afterMs < dueAt ≤ upToMs, oldest first. The window may span at most 62 days (MAX_WINDOW_MS);
 * a longer one throws a RangeError, as does a bad schedule.
 */
export function slotsBetween(schedule: DigestSchedule, afterMs: number, upToMs: number): Slot[] {
  const pairs: number[] = [];
  collectSlotsBetween(compileSchedule(schedule), afterMs, upToMs, pairs);
  const slots: Slot[] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    slots.push({ localDate: dateOfDay(pairs[i] as number), dueAtMs: pairs[i + 1] as number });
  }
  return slots;
}

/** The first slot due strictly after `afterMs` (for `status`: "next digest at …"). */
export function nextSlot(schedule: DigestSchedule, afterMs: number): Slot {
  const s = compileSchedule(schedule);
  if (!Number.isFinite(afterMs)) throw new RangeError('afterMs must be finite');
  // Within 9 days whatever the weekdays: a selected weekday comes back within 7 local days.
  for (let day = Math.floor((afterMs - EARLIEST_OFFSET_MS) / DAY_MS) - 1, n = 0; n < 10; day++, n++) {
    const due = dueOn(s, day);
    if (due !== null && due > afterMs) return { localDate: dateOfDay(day), dueAtMs: due };
  }
  throw new Error(`no slot within 9 days of ${new Date(afterMs).toISOString()}`); // unreachable: a weekday is selected
}
