import { describe, expect, it } from 'vitest';
import { type DigestSchedule, instantOfLocal, type PlanDestination, planTick } from '../../src/schedule/index.ts';
import { FakeLedger } from './ledger.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const seoul9: DigestSchedule = { time: '09:00', timeZone: 'Asia/Seoul', weekdays: [] };
/** 2026-03-10 09:00 KST. */
const NINE = at('2026-03-10T00:00:00Z');
const LONG_AGO = at('2026-01-01T00:00:00Z');

function dest(overrides: Partial<PlanDestination<string>> = {}): PlanDestination<string> {
  return { id: 'C1', schedule: seoul9, lastPlanned: null, createdAtMs: LONG_AGO, ...overrides };
}
const yesterday = { localDate: '2026-03-09', dueAtMs: NINE - DAY };

describe('planTick: the ordinary day', () => {
  it('plans the slot at its minute, not before, and never again', () => {
    expect(planTick([dest({ lastPlanned: yesterday })], NINE - MIN).due).toEqual([]);
    const plan = planTick([dest({ lastPlanned: yesterday })], NINE);
    expect(plan).toEqual({
      due: [{ destinationId: 'C1', slot: { localDate: '2026-03-10', dueAtMs: NINE } }],
      skipped: [],
      invalid: [],
    });
    const after = planTick([dest({ lastPlanned: { localDate: '2026-03-10', dueAtMs: NINE } })], NINE + MIN);
    expect(after).toEqual({ due: [], skipped: [], invalid: [] });
  });

  it('a tick a few seconds late still posts the slot', () => {
    expect(planTick([dest({ lastPlanned: yesterday })], NINE + 1234).due).toHaveLength(1);
  });

  it('plans many destinations independently, in their order', () => {
    const plan = planTick(
      [
        dest({ id: 'a', lastPlanned: yesterday }),
        dest({ id: 'b', schedule: { ...seoul9, time: '09:01' }, lastPlanned: yesterday }),
        dest({ id: 'c', schedule: { time: '01:00', timeZone: 'Europe/Berlin', weekdays: [] } }),
      ],
      NINE,
    );
    // 09:00 KST is 01:00 CET: c is due too, b is not yet.
    expect(plan.due.map((d) => d.destinationId)).toEqual(['a', 'c']);
  });
});

describe('planTick: catch-up after downtime', () => {
  it('restart one minute before the time: the slot is posted at its minute', () => {
    const ledger = new FakeLedger(seoul9, LONG_AGO);
    ledger.tickEveryMinute(NINE - 2 * DAY, NINE - 10 * MIN); // running, then down
    ledger.tickEveryMinute(NINE - MIN, NINE + 10 * MIN); // back at 08:59
    const row = ledger.rows.get('2026-03-10');
    expect(row).toMatchObject({ state: 'due', plannedAtMs: NINE });
    expect(ledger.duplicates).toEqual([]);
  });

  it('restart one minute after the time: the slot is posted on coming back', () => {
    const ledger = new FakeLedger(seoul9, LONG_AGO);
    ledger.tickEveryMinute(NINE - 2 * DAY, NINE - MIN); // down at 08:59
    ledger.tickEveryMinute(NINE + MIN, NINE + 10 * MIN); // back at 09:01
    expect(ledger.rows.get('2026-03-10')).toMatchObject({
      state: 'due',
      plannedAtMs: NINE + MIN,
      slot: { dueAtMs: NINE },
    });
    expect(ledger.duplicates).toEqual([]);
  });

  it('posts within the grace period (2 h by default, inclusive) and skips after it', () => {
    const d = dest({ lastPlanned: yesterday });
    expect(planTick([d], NINE + 2 * HOUR).due).toHaveLength(1);
    const late = planTick([d], NINE + 2 * HOUR + 1);
    expect(late.due).toEqual([]);
    expect(late.skipped).toEqual([
      { destinationId: 'C1', slot: { localDate: '2026-03-10', dueAtMs: NINE }, reason: 'missed-grace' },
    ]);
    expect(planTick([d], NINE + 3 * HOUR, { graceMs: 4 * HOUR }).due).toHaveLength(1);
    expect(planTick([d], NINE + MIN, { graceMs: 0 }).due).toEqual([]);
  });

  it('down for three days: the missed days are skipped and today, within grace, is posted once', () => {
    const plan = planTick([dest({ lastPlanned: { localDate: '2026-03-06', dueAtMs: NINE - 4 * DAY } })], NINE + HOUR);
    expect(plan.skipped.map((s) => [s.slot.localDate, s.reason])).toEqual([
      ['2026-03-07', 'missed-grace'],
      ['2026-03-08', 'missed-grace'],
      ['2026-03-09', 'missed-grace'],
    ]);
    expect(plan.due.map((d) => d.slot.localDate)).toEqual(['2026-03-10']);
  });

  it('back after the grace period: everything missed is skipped', () => {
    const plan = planTick(
      [dest({ lastPlanned: { localDate: '2026-03-08', dueAtMs: NINE - 2 * DAY } })],
      NINE + 5 * HOUR,
    );
    expect(plan.due).toEqual([]);
    expect(plan.skipped.map((s) => s.slot.localDate)).toEqual(['2026-03-09', '2026-03-10']);
  });

  it('looks back 7 days by default: older slots are neither due nor recorded', () => {
    const plan = planTick([dest()], NINE + 5 * HOUR);
    expect(plan.skipped.map((s) => s.slot.localDate)).toEqual([
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
      '2026-03-07',
      '2026-03-08',
      '2026-03-09',
      '2026-03-10',
    ]);
    expect(planTick([dest()], NINE + 5 * HOUR, { lookbackMs: DAY }).skipped).toHaveLength(1);
  });

  it("a grace of over a day posts only the newest slot; the older ones are 'superseded'", () => {
    const plan = planTick([dest({ lastPlanned: { localDate: '2026-03-08', dueAtMs: NINE - 2 * DAY } })], NINE + HOUR, {
      graceMs: 36 * HOUR,
    });
    expect(plan.skipped).toEqual([
      { destinationId: 'C1', slot: { localDate: '2026-03-09', dueAtMs: NINE - DAY }, reason: 'superseded' },
    ]);
    expect(plan.due.map((d) => d.slot.localDate)).toEqual(['2026-03-10']);
  });
});

describe('planTick: new and changed schedules', () => {
  it('a schedule created after the time does not get that day', () => {
    expect(planTick([dest({ createdAtMs: NINE + 30 * MIN })], NINE + 31 * MIN)).toEqual({
      due: [],
      skipped: [],
      invalid: [],
    });
    expect(planTick([dest({ createdAtMs: NINE })], NINE + MIN).due).toEqual([]);
    expect(planTick([dest({ createdAtMs: NINE - 1 })], NINE + MIN).due).toHaveLength(1);
    expect(planTick([dest({ createdAtMs: NINE + 30 * MIN })], NINE + DAY).due.map((d) => d.slot.localDate)).toEqual([
      '2026-03-11',
    ]);
  });

  it('a time moved later after today was posted does not post today twice', () => {
    const posted = { localDate: '2026-03-10', dueAtMs: NINE };
    const later = { ...seoul9, time: '10:00' };
    expect(planTick([dest({ schedule: later, lastPlanned: posted })], NINE + HOUR + MIN)).toEqual({
      due: [],
      skipped: [],
      invalid: [],
    });
    const tomorrow = planTick([dest({ schedule: later, lastPlanned: posted })], NINE + DAY + HOUR);
    expect(tomorrow.due.map((d) => [d.slot.localDate, iso(d.slot.dueAtMs)])).toEqual([
      ['2026-03-11', '2026-03-11T01:00:00.000Z'],
    ]);
  });

  it('a zone moved west after today was posted does not post the same local date again', () => {
    // Posted at 09:00 KST on 03-10 (00:00Z); switched to New York 09:00: 03-10 09:00 EDT is 13:00Z, same date.
    const posted = { localDate: '2026-03-10', dueAtMs: NINE };
    const nyc: DigestSchedule = { time: '09:00', timeZone: 'America/New_York', weekdays: [] };
    expect(planTick([dest({ schedule: nyc, lastPlanned: posted })], at('2026-03-10T13:00Z')).due).toEqual([]);
    expect(planTick([dest({ schedule: nyc, lastPlanned: posted })], at('2026-03-11T13:00Z')).due).toHaveLength(1);
  });

  it('weekdays: only the selected days are planned, missed or not', () => {
    // Monday and Friday; from Monday 03-09 09:00 to Friday 03-13 10:00, all but Friday missed.
    const monFri = { ...seoul9, weekdays: [1, 5] };
    const plan = planTick(
      [dest({ schedule: monFri, lastPlanned: { localDate: '2026-03-06', dueAtMs: NINE - 4 * DAY } })],
      NINE + 3 * DAY + HOUR,
    );
    expect(plan.skipped.map((s) => s.slot.localDate)).toEqual(['2026-03-09']);
    expect(plan.due.map((d) => d.slot.localDate)).toEqual(['2026-03-13']);
  });
});

describe('planTick: the clock jumps', () => {
  it('forward by 30 hours (a suspended laptop): at most one due, the rest skipped, nothing twice', () => {
    const ledger = new FakeLedger(seoul9, NINE - DAY - 2 * HOUR);
    ledger.tickEveryMinute(NINE - DAY - HOUR, NINE - DAY + HOUR);
    ledger.tick(NINE - DAY + HOUR + 30 * HOUR); // 03-10 16:00 KST: today's slot is 7 h old
    ledger.tickEveryMinute(NINE + 7 * HOUR, NINE + DAY + HOUR);
    expect(ledger.sortedRows().map((r) => [r.slot.localDate, r.state])).toEqual([
      ['2026-03-09', 'due'],
      ['2026-03-10', 'skipped'],
      ['2026-03-11', 'due'],
    ]);
    expect(ledger.duplicates).toEqual([]);
  });

  it('forward into the grace period: the newest slot is posted on the jump', () => {
    const ledger = new FakeLedger(seoul9, NINE - 3 * DAY - 2 * HOUR);
    ledger.tickEveryMinute(NINE - 3 * DAY - HOUR, NINE - 3 * DAY + HOUR);
    ledger.tick(NINE + 30 * MIN);
    expect(ledger.sortedRows().map((r) => [r.slot.localDate, r.state])).toEqual([
      ['2026-03-07', 'due'],
      ['2026-03-08', 'skipped'],
      ['2026-03-09', 'skipped'],
      ['2026-03-10', 'due'],
    ]);
    expect(ledger.multiDueTicks).toEqual([]);
  });

  it('backward (an NTP step) just after posting: the slot is not planned again', () => {
    const ledger = new FakeLedger(seoul9, NINE - 2 * HOUR);
    ledger.tickEveryMinute(NINE - HOUR, NINE + 5 * MIN);
    ledger.tickEveryMinute(NINE - 30 * MIN, NINE + 2 * HOUR); // the clock went back 35 minutes
    ledger.tickEveryMinute(NINE - 2 * DAY, NINE - 2 * DAY + 2 * HOUR); // and then by two days
    expect(ledger.rows.get('2026-03-10')).toMatchObject({ state: 'due', plannedAtMs: NINE });
    expect(ledger.duplicates).toEqual([]);
    expect(ledger.rows.size).toBe(1);
  });
});

describe('planTick: bad input', () => {
  it('a bad schedule is reported and does not stop the others', () => {
    const plan = planTick(
      [
        dest({ id: 'bad-zone', schedule: { ...seoul9, timeZone: 'Asia/Nowhere' } }),
        dest({ id: 'bad-time', schedule: { ...seoul9, time: '9:00' } }),
        dest({ id: 'bad-day', schedule: { ...seoul9, weekdays: [0] } }),
        dest({ id: 'bad-created', createdAtMs: Number.NaN }),
        dest({ id: 'ok', lastPlanned: yesterday }),
      ],
      NINE,
    );
    expect(plan.invalid.map((i) => i.destinationId)).toEqual(['bad-zone', 'bad-time', 'bad-day', 'bad-created']);
    expect(plan.invalid[0]?.error).toMatch(/unknown time zone "Asia\/Nowhere"/);
    expect(plan.due.map((d) => d.destinationId)).toEqual(['ok']);
  });

  it('bad options or clock throw', () => {
    expect(() => planTick([], Number.NaN)).toThrow(RangeError);
    expect(() => planTick([], NINE, { graceMs: -1 })).toThrow(/graceMs/);
    expect(() => planTick([], NINE, { lookbackMs: 100 * DAY })).toThrow(/lookbackMs/);
  });
});

describe('planTick: ids keep their type', () => {
  it('numeric ids come back as numbers', () => {
    const plan = planTick([{ id: 42, schedule: seoul9, lastPlanned: null, createdAtMs: NINE - HOUR }], NINE);
    const id: number | undefined = plan.due[0]?.destinationId;
    expect(id).toBe(42);
    expect(instantOfLocal('2026-03-10', '09:00', 'Asia/Seoul')).toBe(NINE);
  });
});
