/**
 * Wall-clock time in an IANA zone, from `Intl.DateTimeFormat` alone (no host zone, no dependency).
 *
 * The rule for local times that do not happen exactly once, chosen so a daily digest posts exactly once:
 * - a local time inside a gap (clocks jump forward over it) resolves to the first instant after the gap:
 *   New York 2026-03-08 02:30 → 03:00 EDT (07:00Z); Lord Howe 2026-10-04 02:15 → 02:30 (+11:00);
 * - a local time that happens twice (clocks fall back) resolves to its first occurrence, the earlier offset:
 *   New York 2026-11-01 01:30 → 01:30 EDT (05:30Z), not 01:30 EST.
 *
 * Converting a local time asks Intl for a handful of offsets once per zone and local day and caches them, so
 * planning thousands of destinations costs arithmetic and map look-ups, not formatting.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** A local calendar date and wall-clock time in a zone. `weekday` is ISO: Monday 1 … Sunday 7. */
export interface LocalParts {
  date: string;
  hour: number;
  minute: number;
  weekday: number;
}

/**
 * The offsets in force around one local day: `offsets[i]` (ms, local − UTC) holds from `starts[i]` (an instant;
 * `starts[0]` is −Infinity) to the next start. One entry on most days, two on a day with a transition.
 */
interface DayOffsets {
  starts: number[];
  offsets: number[];
}

interface ZoneCache {
  formatter: Intl.DateTimeFormat;
  /** Keyed by the local day's number (days since 1970-01-01). */
  days: Map<number, DayOffsets>;
}

/** Days cached per zone before the zone's cache starts over (a long-running process moves on day by day). */
const MAX_CACHED_DAYS = 2048;
const zones = new Map<string, ZoneCache>();

function newFormatter(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
}

function zoneCache(timeZone: string): ZoneCache {
  let cache = zones.get(timeZone);
  if (!cache) {
    let formatter: Intl.DateTimeFormat;
    try {
      formatter = newFormatter(timeZone);
    } catch {
      throw new RangeError(`unknown time zone ${JSON.stringify(timeZone)}`);
    }
    cache = { formatter, days: new Map() };
    zones.set(timeZone, cache);
  }
  return cache;
}

/** True when Intl knows the zone (IANA names such as Asia/Seoul, also UTC and Etc/GMT+5). */
export function isTimeZone(timeZone: string): boolean {
  if (zones.has(timeZone)) return true;
  try {
    zoneCache(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Forgets every cached formatter and offset (for benchmarks that measure a cold start). */
export function clearZoneCache(): void {
  zones.clear();
}

/** The wall clock at `instantMs`, written as if it were UTC: local 2026-03-08 03:00 → Date.UTC(2026, 2, 8, 3). */
function wallMs(formatter: Intl.DateTimeFormat, instantMs: number): number {
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (const part of formatter.formatToParts(instantMs)) {
    switch (part.type) {
      case 'year':
        year = Number(part.value);
        break;
      case 'month':
        month = Number(part.value);
        break;
      case 'day':
        day = Number(part.value);
        break;
      case 'hour':
        hour = Number(part.value) % 24; // some ICU versions print midnight as 24 even with h23
        break;
      case 'minute':
        minute = Number(part.value);
        break;
      case 'second':
        second = Number(part.value);
        break;
    }
  }
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** The zone's offset (local − UTC, ms) at an instant. */
function offsetAt(formatter: Intl.DateTimeFormat, instantMs: number): number {
  const whole = Math.floor(instantMs / 1000) * 1000;
  return wallMs(formatter, whole) - whole;
}

/** The first whole second in (lo, hi] whose offset differs from `offset` at lo (the offset changes once there). */
function transitionBetween(formatter: Intl.DateTimeFormat, lo: number, hi: number, offset: number): number {
  let a = lo;
  let b = hi;
  while (b - a > 1000) {
    const mid = a + Math.floor((b - a) / 2000) * 1000;
    if (offsetAt(formatter, mid) === offset) a = mid;
    else b = mid;
  }
  return b;
}

/**
 * Every instant whose local date is `day` lies in [day − 14 h, day + 38 h) (offsets run from −12 h to +14 h);
 * the offset is sampled every 13 h across that span, and each change is located to the second. Two transitions
 * within 13 hours of each other would go unseen; no zone has had such a pair since standard time began.
 */
function dayOffsets(cache: ZoneCache, day: number): DayOffsets {
  let info = cache.days.get(day);
  if (info) return info;
  const start = day * DAY_MS - 14 * HOUR_MS;
  const starts = [Number.NEGATIVE_INFINITY];
  const offsets = [offsetAt(cache.formatter, start)];
  for (let t = start, i = 1; i <= 4; i++) {
    const next = start + i * 13 * HOUR_MS;
    const offset = offsetAt(cache.formatter, next);
    const last = offsets[offsets.length - 1] as number;
    if (offset !== last) {
      starts.push(transitionBetween(cache.formatter, t, next, last));
      offsets.push(offset);
    }
    t = next;
  }
  info = { starts, offsets };
  if (cache.days.size >= MAX_CACHED_DAYS) cache.days.clear();
  cache.days.set(day, info);
  return info;
}

/**
 * The instant at which the wall clock of `timeZone` on local day `day` (days since 1970-01-01) reads `minuteOfDay`,
 * by the gap and first-occurrence rule above. The fast path of every schedule computation.
 */
export function instantOfLocalDay(day: number, minuteOfDay: number, timeZone: string): number {
  const { starts, offsets } = dayOffsets(zoneCache(timeZone), day);
  const wall = day * DAY_MS + minuteOfDay * MINUTE_MS;
  if (offsets.length === 1) return wall - (offsets[0] as number);
  // Segments are in time order, so the first one that contains its candidate is the first occurrence.
  for (let i = 0; i < offsets.length; i++) {
    const t = wall - (offsets[i] as number);
    const from = starts[i] as number;
    const to = i + 1 < starts.length ? (starts[i + 1] as number) : Number.POSITIVE_INFINITY;
    if (t >= from && t < to) return t;
  }
  // In a gap: the first transition at which the wall clock has jumped past the requested time.
  for (let i = 1; i < starts.length; i++) {
    const at = starts[i] as number;
    if (at + (offsets[i] as number) > wall) return at;
  }
  // Unreachable with offsets between −12 h and +14 h; fail loudly rather than post at a wrong time.
  throw new Error(`no instant for local minute ${minuteOfDay} of day ${day} in ${timeZone}`);
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** 'YYYY-MM-DD' → days since 1970-01-01; throws a RangeError on anything else, including 2026-02-30. */
export function dayNumber(date: string): number {
  const m = DATE_RE.exec(date);
  if (m) {
    const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    if (new Date(ms).toISOString().slice(0, 10) === date) return ms / DAY_MS;
  }
  throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
}

/** Days since 1970-01-01 → 'YYYY-MM-DD'. */
export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday (Monday 1 … Sunday 7) of a day number; 1970-01-01 was a Thursday. */
export function weekdayOfDay(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** 'HH:MM' (24-hour, two digits each) → minutes after midnight; throws a RangeError on anything else. */
export function minuteOfDay(time: string): number {
  const m = TIME_RE.exec(time);
  if (!m) throw new RangeError(`not a time of day (HH:MM, 24-hour): ${JSON.stringify(time)}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** The local date, hour, minute and ISO weekday of an instant in a zone. */
export function localParts(instantMs: number, timeZone: string): LocalParts {
  if (!Number.isFinite(instantMs)) throw new RangeError(`not an instant: ${instantMs}`);
  const wall = wallMs(zoneCache(timeZone).formatter, instantMs);
  const day = Math.floor(wall / DAY_MS);
  const minutes = Math.floor((wall - day * DAY_MS) / MINUTE_MS);
  return { date: dateOfDay(day), hour: Math.floor(minutes / 60), minute: minutes % 60, weekday: weekdayOfDay(day) };
}

/**
 * The instant of local `date` ('YYYY-MM-DD') at `time` ('HH:MM') in `timeZone`: a time inside a gap resolves to
 * the first instant after the gap, a time that happens twice to its first occurrence.
 */
export function instantOfLocal(date: string, time: string, timeZone: string): number {
  return instantOfLocalDay(dayNumber(date), minuteOfDay(time), timeZone);
}
