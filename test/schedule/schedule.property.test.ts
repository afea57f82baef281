/**
 * Property tests over random zones (all of Intl's), times of day, weekday sets, start instants in 2026–2027
 * (half of them within a day or two of one of the zone's own transitions, with times around the transition's
 * local time, so gaps and repeated hours are hit often) and tick sequences with forward and backward jumps.
 *
 * The reference is written apart from the module: its own Intl formatter and a minute-by-minute scan.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DigestSchedule, instantOfLocal, slotOn } from '../../src/schedule/index.ts';
import { FakeLedger } from './ledger.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const SPAN_FROM = Date.UTC(2026, 0, 1);
const SPAN_TO = Date.UTC(2028, 0, 1);
const ZONES = Intl.supportedValuesOf('timeZone');

const formatters = new Map<string, Intl.DateTimeFormat>();
/** The wall clock at an instant, as if UTC (the reference's own reading of Intl). */
function wall(zone: string, t: number): number {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(zone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(t)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year as number, (p.month as number) - 1, p.day as number, (p.hour as number) % 24, p.minute);
}
const offset = (zone: string, t: number) => wall(zone, t) - Math.floor(t / MIN) * MIN;

const transitionCache = new Map<string, number[]>();
/** The zone's offset changes in 2026–2027, to the minute (sampled every 2 days, then bisected). */
function transitions(zone: string): number[] {
  let found = transitionCache.get(zone);
  if (found) return found;
  found = [];
  let prev = offset(zone, SPAN_FROM);
  for (let t = SPAN_FROM + 2 * DAY; t <= SPAN_TO; t += 2 * DAY) {
    const o = offset(zone, t);
    if (o !== prev) {
      let lo = t - 2 * DAY;
      let hi = t;
      while (hi - lo > MIN) {
        const mid = lo + Math.floor((hi - lo) / 2 / MIN) * MIN;
        if (offset(zone, mid) === prev) lo = mid;
        else hi = mid;
      }
      found.push(hi);
      prev = o;
    }
  }
  transitionCache.set(zone, found);
  return found;
}

/** The reference rule: the first minute whose wall clock reads the target time or later. */
function scanInstant(zone: string, date: string, minuteOfDay: number): number {
  const target = Date.parse(`${date}T00:00:00Z`) + minuteOfDay * MIN;
  for (let t = target - 15 * HOUR; t <= target + 13 * HOUR; t += MIN) if (wall(zone, t) >= target) return t;
  throw new Error('no instant found');
}

/**
 * The gap and first-occurrence rule checked at one instant: either the wall clock reads the target there and at
 * no earlier minute within 3 hours, or the target was jumped over exactly there.
 */
function ruleHolds(zone: string, date: string, minuteOfDay: number, dueAt: number): boolean {
  const target = Date.parse(`${date}T00:00:00Z`) + minuteOfDay * MIN;
  const here = wall(zone, dueAt);
  if (here === target) {
    const steady =
      offset(zone, dueAt - 3 * HOUR) === offset(zone, dueAt) && offset(zone, dueAt - 90 * MIN) === offset(zone, dueAt);
    if (steady) return true;
    for (let t = dueAt - 3 * HOUR; t < dueAt; t += MIN) if (wall(zone, t) === target) return false;
    return true;
  }
  return here > target && wall(zone, dueAt - MIN) < target && offset(zone, dueAt) !== offset(zone, dueAt - MIN);
}

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const isoWeekday = (date: string) => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

interface ScenarioInput {
  zone: string;
  nearTransition: boolean;
  pick: number;
  startShiftMin: number;
  minuteOfDay: number;
  timeShiftMin: number;
}

/** A random zone and start, half the time next to one of the zone's transitions with a time near its local time. */
const scenario: fc.Arbitrary<ScenarioInput> = fc.record({
  zone: fc.constantFrom(...ZONES),
  nearTransition: fc.boolean(),
  pick: fc.integer({ min: 0, max: 1_000_000 }),
  startShiftMin: fc.integer({ min: -36 * 60, max: 12 * 60 }),
  minuteOfDay: fc.integer({ min: 0, max: 1439 }),
  timeShiftMin: fc.integer({ min: -90, max: 90 }),
});

function resolve(input: ScenarioInput): { zone: string; start: number; minute: number } {
  const zone = input.zone;
  const ts = input.nearTransition ? transitions(zone) : [];
  if (ts.length === 0) {
    return {
      zone,
      start: SPAN_FROM + Math.floor((input.pick / 1_000_001) * (SPAN_TO - SPAN_FROM - 4 * DAY)),
      minute: input.minuteOfDay,
    };
  }
  const at = ts[input.pick % ts.length] as number;
  // The local minute at which the clock changes (the minute after the last one before the transition).
  const before = wall(zone, at - MIN);
  const localMinute = ((before - Math.floor(before / DAY) * DAY) / MIN + 1) % 1440;
  const minute = (((localMinute + input.timeShiftMin) % 1440) + 1440) % 1440;
  return { zone, start: at + input.startShiftMin * MIN, minute };
}
type Step = { kind: 'run'; ticks: number; every: number } | { kind: 'jump'; minutes: number };

/** Ticks: runs of regular ticks and jumps; forward jumps stay under 2 days (well inside the 7-day look-back). */
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('run' as const),
      ticks: fc.integer({ min: 1, max: 600 }),
      every: fc.constantFrom(1, 1, 5, 15),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('jump' as const), minutes: fc.integer({ min: 2, max: 2 * 24 * 60 - 1 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('jump' as const), minutes: fc.integer({ min: -26 * 60, max: -1 }) }),
  },
);

function tickTimes(start: number, steps: readonly Step[]): number[] {
  const out: number[] = [];
  let now = start;
  for (const s of steps) {
    if (s.kind === 'jump') {
      now += s.minutes * MIN;
      out.push(now);
    } else {
      for (let i = 0; i < s.ticks; i++) {
        now += s.every * MIN;
        out.push(now);
      }
    }
  }
  return out;
}
describe('property: instantOfLocal follows the rule', () => {
  it('matches a minute-by-minute scan (first minute reading the time or later)', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const { zone, start, minute } = resolve(input);
        // The local date the start instant falls on, and the next one.
        for (const date of [dateOf(wall(zone, start)), dateOf(wall(zone, start) + DAY)]) {
          const got = instantOfLocal(date, hhmm(minute), zone);
          expect(got, `${zone} ${date} ${hhmm(minute)}`).toBe(scanInstant(zone, date, minute));
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('property: a simulated scheduler plans each slot exactly once', () => {
  it('every selected local date due in the simulated span gets one plan, due only within grace, at the rule instant', () => {
    fc.assert(
      fc.property(
        scenario,
        fc.subarray([1, 2, 3, 4, 5, 6, 7]),
        fc.integer({ min: 0, max: 6 * 60 }),
        fc.integer({ min: 0, max: 3 * 24 * 60 }),
        fc.array(step, { minLength: 1, maxLength: 10 }),
        (input, weekdays, graceMin, createdBeforeMin, steps) => {
          const { zone, start, minute } = resolve(input);
          const schedule: DigestSchedule = { time: hhmm(minute), timeZone: zone, weekdays };
          const graceMs = graceMin * MIN;
          const createdAtMs = start - createdBeforeMin * MIN - 1;
          const ticks = tickTimes(start, steps);
          const ledger = new FakeLedger(schedule, createdAtMs, { graceMs });
          for (const t of ticks) ledger.tick(t);

          // Never two plans for one local date, never two due slots in one tick.
          expect(ledger.duplicates).toEqual([]);
          expect(ledger.multiDueTicks).toEqual([]);

          // The expected dates: selected weekdays whose slot is due in (createdAt, the latest tick].
          const maxNow = Math.max(...ticks);
          const expected: string[] = [];
          for (let d = Math.floor(createdAtMs / DAY) - 2; d * DAY <= maxNow + 2 * DAY; d++) {
            const date = dateOf(d * DAY);
            if (weekdays.length > 0 && !weekdays.includes(isoWeekday(date))) {
              expect(slotOn(schedule, date)).toBeNull();
              continue;
            }
            const slot = slotOn(schedule, date);
            expect(slot).not.toBeNull();
            const dueAt = (slot as { dueAtMs: number }).dueAtMs;
            expect(
              ruleHolds(zone, date, minute, dueAt),
              `${zone} ${date} ${schedule.time} → ${new Date(dueAt).toISOString()}`,
            ).toBe(true);
            if (dueAt > createdAtMs && dueAt <= maxNow) expected.push(date);
          }
          const rows = ledger.sortedRows();
          expect(rows.map((r) => r.slot.localDate)).toEqual(expected);

          for (const row of rows) {
            // Planned at the first tick that reached the slot.
            const firstTick = ticks.find((t) => t >= row.slot.dueAtMs);
            expect(row.plannedAtMs).toBe(firstTick);
            const late = row.plannedAtMs - row.slot.dueAtMs;
            if (row.state === 'due') expect(late).toBeLessThanOrEqual(graceMs);
            else if (row.reason === 'missed-grace') expect(late).toBeGreaterThan(graceMs);
            else {
              // Superseded: a newer slot was posted by the same tick.
              expect(
                rows.some(
                  (r) => r.state === 'due' && r.plannedAtMs === row.plannedAtMs && r.slot.dueAtMs > row.slot.dueAtMs,
                ),
              ).toBe(true);
            }
            // Within grace and the newest slot of its tick: posted.
            const newestOfTick = !rows.some(
              (r) => r.plannedAtMs === row.plannedAtMs && r.slot.dueAtMs > row.slot.dueAtMs,
            );
            if (late <= graceMs && newestOfTick) expect(row.state).toBe('due');
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
