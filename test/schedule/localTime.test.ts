import { describe, expect, it } from 'vitest';
import { instantOfLocal, isTimeZone, localParts, minuteOfDay } from '../../src/schedule/index.ts';
import { dayNumber } from '../../src/schedule/localTime.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * [zone, local date, time, expected instant, why]. Transitions checked with Intl: New York 2026-03-08 07:00Z
 * (−5 → −4) and 2026-11-01 06:00Z (−4 → −5); Berlin 2026-03-29 and 2026-10-25 01:00Z; Lord Howe 2026-04-04
 * 15:00Z (+11 → +10:30, local 2026-04-05 02:00 → 01:30) and 2026-10-03 15:30Z (+10:30 → +11, 02:00 → 02:30).
 */
const CASES: [string, string, string, string, string][] = [
  ['America/New_York', '2026-03-08', '02:30', '2026-03-08T07:00:00Z', 'in the gap → 03:00 EDT'],
  ['America/New_York', '2026-03-08', '02:00', '2026-03-08T07:00:00Z', 'the gap starts at 02:00'],
  ['America/New_York', '2026-03-08', '02:59', '2026-03-08T07:00:00Z', 'last minute of the gap'],
  ['America/New_York', '2026-03-08', '01:59', '2026-03-08T06:59:00Z', 'the minute before the gap, EST'],
  ['America/New_York', '2026-03-08', '03:00', '2026-03-08T07:00:00Z', 'the first minute after the gap'],
  ['America/New_York', '2026-03-08', '01:30', '2026-03-08T06:30:00Z', 'before the gap, EST'],
  ['America/New_York', '2026-03-08', '09:00', '2026-03-08T13:00:00Z', 'ordinary, EDT'],
  ['America/New_York', '2026-11-01', '01:30', '2026-11-01T05:30:00Z', 'happens twice → first (EDT)'],
  ['America/New_York', '2026-11-01', '01:00', '2026-11-01T05:00:00Z', 'the repeated hour starts, first'],
  ['America/New_York', '2026-11-01', '01:59', '2026-11-01T05:59:00Z', 'the repeated hour ends, first'],
  ['America/New_York', '2026-11-01', '02:00', '2026-11-01T07:00:00Z', 'after the repeated hour, EST'],
  ['America/New_York', '2026-11-01', '02:30', '2026-11-01T07:30:00Z', 'once, EST'],
  ['America/New_York', '2026-11-01', '09:00', '2026-11-01T14:00:00Z', 'ordinary, EST'],
  ['Europe/Berlin', '2026-03-29', '02:30', '2026-03-29T01:00:00Z', 'in the gap → 03:00 CEST'],
  ['Europe/Berlin', '2026-03-29', '01:30', '2026-03-29T00:30:00Z', 'before the gap, CET'],
  ['Europe/Berlin', '2026-03-29', '09:00', '2026-03-29T07:00:00Z', 'ordinary, CEST'],
  ['Europe/Berlin', '2026-10-25', '02:30', '2026-10-25T00:30:00Z', 'happens twice → first (CEST)'],
  ['Europe/Berlin', '2026-10-25', '01:30', '2026-10-24T23:30:00Z', 'before the repeated hour, CEST'],
  ['Europe/Berlin', '2026-10-25', '03:00', '2026-10-25T02:00:00Z', 'after the repeated hour, CET'],
  ['Europe/Berlin', '2026-10-25', '09:00', '2026-10-25T08:00:00Z', 'ordinary, CET'],
  ['Asia/Seoul', '2026-03-08', '02:30', '2026-03-07T17:30:00Z', 'no DST: +09:00 all year'],
  ['Asia/Seoul', '2026-11-01', '01:30', '2026-10-31T16:30:00Z', 'no DST'],
  ['Asia/Seoul', '2026-07-01', '09:00', '2026-07-01T00:00:00Z', 'no DST'],
  ['Australia/Lord_Howe', '2026-10-04', '02:15', '2026-10-03T15:30:00Z', '30-minute gap → 02:30 (+11)'],
  ['Australia/Lord_Howe', '2026-10-04', '02:00', '2026-10-03T15:30:00Z', 'the gap starts at 02:00'],
  ['Australia/Lord_Howe', '2026-10-04', '02:30', '2026-10-03T15:30:00Z', 'the first minute after the gap'],
  ['Australia/Lord_Howe', '2026-10-04', '01:30', '2026-10-03T15:00:00Z', 'before the gap, +10:30'],
  ['Australia/Lord_Howe', '2026-10-04', '09:00', '2026-10-03T22:00:00Z', 'ordinary, +11'],
  ['Australia/Lord_Howe', '2026-04-05', '01:45', '2026-04-04T14:45:00Z', 'happens twice → first (+11)'],
  ['Australia/Lord_Howe', '2026-04-05', '01:30', '2026-04-04T14:30:00Z', 'the repeated half hour starts, first'],
  ['Australia/Lord_Howe', '2026-04-05', '02:00', '2026-04-04T15:30:00Z', 'after the repeated half hour, +10:30'],
  ['Australia/Lord_Howe', '2026-04-05', '09:00', '2026-04-04T22:30:00Z', 'ordinary, +10:30'],
  ['Asia/Kathmandu', '2026-06-01', '09:00', '2026-06-01T03:15:00Z', '+05:45'],
  ['Pacific/Kiritimati', '2026-06-01', '00:10', '2026-05-31T10:10:00Z', '+14: the local date is a day ahead'],
  ['Pacific/Pago_Pago', '2026-06-01', '23:50', '2026-06-02T10:50:00Z', '−11: the local date is a day behind'],
];

describe('instantOfLocal', () => {
  it.each(CASES)('%s %s %s → %s (%s)', (zone, date, time, expected) => {
    expect(iso(instantOfLocal(date, time, zone))).toBe(iso(at(expected)));
  });

  it('gives the same instants whatever the host zone (process.env.TZ)', () => {
    const before = CASES.map(([zone, date, time]) => instantOfLocal(date, time, zone));
    const saved = process.env.TZ;
    try {
      // Host zones and their offsets on 2026-01-01 as Date reports them (minutes, UTC − local).
      for (const [host, offset] of [
        ['Pacific/Chatham', -825],
        ['America/St_Johns', 210],
        ['UTC', 0],
      ] as const) {
        process.env.TZ = host;
        expect(new Date(Date.UTC(2026, 0, 1)).getTimezoneOffset()).toBe(offset); // the host zone did change
        expect(CASES.map(([zone, date, time]) => instantOfLocal(date, time, zone))).toEqual(before);
        expect(localParts(at('2026-03-08T07:00:00Z'), 'America/New_York')).toEqual({
          date: '2026-03-08',
          hour: 3,
          minute: 0,
          weekday: 7,
        });
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('rejects bad dates, times and zones', () => {
    expect(() => instantOfLocal('2026-02-30', '09:00', 'Asia/Seoul')).toThrow(RangeError);
    expect(() => instantOfLocal('2026-3-8', '09:00', 'Asia/Seoul')).toThrow(/YYYY-MM-DD/);
    expect(() => instantOfLocal('2026-03-08', '9:00', 'Asia/Seoul')).toThrow(/HH:MM/);
    expect(() => instantOfLocal('2026-03-08', '09:00', 'Mars/Olympus_Mons')).toThrow(/unknown time zone/);
  });
});

describe('localParts', () => {
  it('reads the local date, time and ISO weekday', () => {
    // 2026-03-08 is a Sunday; 06:59Z is 01:59 EST, 07:00Z is 03:00 EDT.
    expect(localParts(at('2026-03-08T06:59:00Z'), 'America/New_York')).toEqual({
      date: '2026-03-08',
      hour: 1,
      minute: 59,
      weekday: 7,
    });
    expect(localParts(at('2026-03-08T07:00:00Z'), 'America/New_York')).toMatchObject({ hour: 3, minute: 0 });
    // The repeated hour: 05:30Z and 06:30Z are both 01:30 in New York.
    expect(localParts(at('2026-11-01T05:30:00Z'), 'America/New_York')).toMatchObject({ hour: 1, minute: 30 });
    expect(localParts(at('2026-11-01T06:30:00Z'), 'America/New_York')).toMatchObject({ hour: 1, minute: 30 });
    // 15:00Z on a Sunday is Monday 00:00 in Seoul.
    expect(localParts(at('2026-03-08T15:00:00Z'), 'Asia/Seoul')).toEqual({
      date: '2026-03-09',
      hour: 0,
      minute: 0,
      weekday: 1,
    });
    expect(localParts(at('2026-10-03T15:29:59Z'), 'Australia/Lord_Howe')).toMatchObject({ hour: 1, minute: 59 });
    expect(localParts(at('2026-10-03T15:30:00Z'), 'Australia/Lord_Howe')).toMatchObject({ hour: 2, minute: 30 });
    expect(localParts(at('2026-06-01T00:00:00Z'), 'Asia/Kathmandu')).toMatchObject({ hour: 5, minute: 45 });
  });

  it('round-trips with instantOfLocal outside transitions', () => {
    for (const zone of ['Asia/Seoul', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kolkata']) {
      const t = instantOfLocal('2026-07-15', '17:45', zone);
      expect(localParts(t, zone)).toEqual({ date: '2026-07-15', hour: 17, minute: 45, weekday: 3 });
    }
  });
});

describe('validation helpers', () => {
  it('isTimeZone knows IANA names and refuses others', () => {
    expect(isTimeZone('Asia/Seoul')).toBe(true);
    expect(isTimeZone('Australia/Lord_Howe')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });

  it('minuteOfDay takes HH:MM, 24-hour, two digits', () => {
    expect(minuteOfDay('00:00')).toBe(0);
    expect(minuteOfDay('09:05')).toBe(545);
    expect(minuteOfDay('23:59')).toBe(1439);
    for (const bad of ['9:00', '24:00', '12:60', ' 09:00', '09:00 ', '0900', '']) {
      expect(() => minuteOfDay(bad), bad).toThrow(RangeError);
    }
  });

  it('dayNumber takes real calendar dates only', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('2026-03-08')).toBe(Date.UTC(2026, 2, 8) / 86_400_000);
    expect(() => dayNumber('2026-13-01')).toThrow(RangeError);
    expect(() => dayNumber('2026-02-29')).toThrow(RangeError);
  });
});
