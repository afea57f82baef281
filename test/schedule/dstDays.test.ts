/**
 * A tick every minute across each DST day (and the days either side), as the runtime will drive planTick:
 * exactly one due slot per local day, posted at the right instant. Everything is in instants, so the host zone
 * plays no part (localTime.test.ts runs the same conversions under other host zones).
 */
import { describe, expect, it } from 'vitest';
import { localParts } from '../../src/schedule/index.ts';
import { FakeLedger } from './ledger.ts';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** [zone, DST day, time, the instant that day's digest is due, and the local time it shows]. */
const DAYS: [string, string, string, string, string][] = [
  ['America/New_York', '2026-03-08', '02:30', '2026-03-08T07:00:00.000Z', '03:00'],
  ['America/New_York', '2026-03-08', '01:30', '2026-03-08T06:30:00.000Z', '01:30'],
  ['America/New_York', '2026-03-08', '09:00', '2026-03-08T13:00:00.000Z', '09:00'],
  ['America/New_York', '2026-11-01', '01:30', '2026-11-01T05:30:00.000Z', '01:30'],
  ['America/New_York', '2026-11-01', '02:30', '2026-11-01T07:30:00.000Z', '02:30'],
  ['America/New_York', '2026-11-01', '09:00', '2026-11-01T14:00:00.000Z', '09:00'],
  ['Europe/Berlin', '2026-03-29', '02:30', '2026-03-29T01:00:00.000Z', '03:00'],
  ['Europe/Berlin', '2026-03-29', '01:30', '2026-03-29T00:30:00.000Z', '01:30'],
  ['Europe/Berlin', '2026-03-29', '09:00', '2026-03-29T07:00:00.000Z', '09:00'],
  ['Europe/Berlin', '2026-10-25', '02:30', '2026-10-25T00:30:00.000Z', '02:30'],
  ['Europe/Berlin', '2026-10-25', '01:30', '2026-10-24T23:30:00.000Z', '01:30'],
  ['Europe/Berlin', '2026-10-25', '09:00', '2026-10-25T08:00:00.000Z', '09:00'],
  ['Asia/Seoul', '2026-03-08', '02:30', '2026-03-07T17:30:00.000Z', '02:30'],
  ['Asia/Seoul', '2026-11-01', '01:30', '2026-10-31T16:30:00.000Z', '01:30'],
  ['Asia/Seoul', '2026-11-01', '09:00', '2026-11-01T00:00:00.000Z', '09:00'],
  ['Australia/Lord_Howe', '2026-10-04', '02:15', '2026-10-03T15:30:00.000Z', '02:30'],
  ['Australia/Lord_Howe', '2026-10-04', '01:30', '2026-10-03T15:00:00.000Z', '01:30'],
  ['Australia/Lord_Howe', '2026-10-04', '09:00', '2026-10-03T22:00:00.000Z', '09:00'],
  ['Australia/Lord_Howe', '2026-04-05', '01:45', '2026-04-04T14:45:00.000Z', '01:45'],
  ['Australia/Lord_Howe', '2026-04-05', '02:30', '2026-04-04T16:00:00.000Z', '02:30'],
  ['Australia/Lord_Howe', '2026-04-05', '09:00', '2026-04-04T22:30:00.000Z', '09:00'],
];

describe('a tick every minute across DST days', () => {
  it.each(DAYS)('%s %s at %s: one digest that day, at %s', (timeZone, date, time, dueIso, shows) => {
    const dayStart = Date.parse(`${date}T00:00:00Z`);
    // From two days before to two days after the DST day, created just before the first tick.
    const from = dayStart - 2 * DAY;
    const to = dayStart + 2 * DAY;
    const ledger = new FakeLedger({ time, timeZone, weekdays: [] }, from - 1);
    ledger.tickEveryMinute(from, to);

    expect(ledger.duplicates).toEqual([]);
    expect(ledger.multiDueTicks).toEqual([]);
    const rows = ledger.sortedRows();
    // Every row is due and posted at its own minute (a tick each minute never misses one).
    for (const row of rows) {
      expect(row.state).toBe('due');
      expect(row.plannedAtMs).toBe(row.slot.dueAtMs);
      expect(localParts(row.slot.dueAtMs, timeZone).date).toBe(row.slot.localDate);
    }
    // One row per local day, consecutive dates, 3 or 4 of them in a 4-day span of instants.
    const dates = rows.map((r) => r.slot.localDate);
    expect(new Set(dates).size).toBe(dates.length);
    for (let i = 1; i < dates.length; i++) {
      expect(Date.parse(dates[i] as string) - Date.parse(dates[i - 1] as string)).toBe(DAY);
    }
    expect(dates).toContain(date);
    const row = ledger.rows.get(date);
    expect(iso(row?.slot.dueAtMs ?? 0)).toBe(dueIso);
    const local = localParts(row?.slot.dueAtMs ?? 0, timeZone);
    expect(`${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}`).toBe(shows);
  });

  it('restart around a gap-shifted time: back at 03:01 EDT, the 02:30 digest posts then, once', () => {
    const schedule = { time: '02:30', timeZone: 'America/New_York', weekdays: [] };
    const due = Date.parse('2026-03-08T07:00:00Z');
    const ledger = new FakeLedger(schedule, due - 2 * DAY);
    ledger.tickEveryMinute(due - DAY - 60 * 60_000, due - 60_000); // down at 01:59 EST
    ledger.tickEveryMinute(due + 60_000, due + DAY); // back at 03:01 EDT
    expect(ledger.rows.get('2026-03-08')).toMatchObject({
      state: 'due',
      plannedAtMs: due + 60_000,
      slot: { dueAtMs: due },
    });
    expect(ledger.duplicates).toEqual([]);
  });

  it('restart inside the repeated hour: posted at the first 01:30, not again at the second', () => {
    const schedule = { time: '01:30', timeZone: 'America/New_York', weekdays: [] };
    const first = Date.parse('2026-11-01T05:30:00Z'); // 01:30 EDT; 01:30 EST is 06:30Z
    const ledger = new FakeLedger(schedule, first - 2 * DAY);
    ledger.tickEveryMinute(first - DAY, first + 5 * 60_000); // posted at 01:30 EDT, then down
    ledger.tickEveryMinute(first + 50 * 60_000, first + DAY); // back at 01:20 EST, ticks through 01:30 EST
    expect(ledger.rows.get('2026-11-01')).toMatchObject({ state: 'due', plannedAtMs: first });
    expect(ledger.duplicates).toEqual([]);
    expect(ledger.multiDueTicks).toEqual([]);
  });

  it('weekdays across a DST day: only the selected local weekday is posted', () => {
    // 2026-03-08 (Sunday) New York, Sunday only at 02:30: the gap day posts once at 03:00, Saturday and Monday not.
    const from = Date.parse('2026-03-06T00:00:00Z');
    const ledger = new FakeLedger({ time: '02:30', timeZone: 'America/New_York', weekdays: [7] }, from - 1);
    ledger.tickEveryMinute(from, from + 4 * DAY);
    expect(ledger.sortedRows().map((r) => [r.slot.localDate, iso(r.slot.dueAtMs), r.state])).toEqual([
      ['2026-03-08', '2026-03-08T07:00:00.000Z', 'due'],
    ]);
  });
});
