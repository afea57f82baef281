import { describe, expect, it } from 'vitest';
import { type DigestSchedule, nextSlot, slotOn, slotsBetween } from '../../src/schedule/index.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const seoul = (time: string, weekdays: number[] = []): DigestSchedule => ({ time, timeZone: 'Asia/Seoul', weekdays });
const ny = (time: string, weekdays: number[] = []): DigestSchedule => ({
  time,
  timeZone: 'America/New_York',
  weekdays,
});

describe('slotOn', () => {
  it('gives the local date and its due instant', () => {
    expect(slotOn(seoul('09:00'), '2026-03-09')).toEqual({ localDate: '2026-03-09', dueAtMs: at('2026-03-09T00:00Z') });
  });

  it('is null on weekdays that are not selected (ISO: Monday 1 … Sunday 7)', () => {
    const weekdaysOnly = seoul('09:00', [1, 2, 3, 4, 5]);
    expect(slotOn(weekdaysOnly, '2026-03-07')).toBeNull(); // Saturday
    expect(slotOn(weekdaysOnly, '2026-03-08')).toBeNull(); // Sunday
    expect(slotOn(weekdaysOnly, '2026-03-09')).not.toBeNull(); // Monday
  });

  it("keeps a gap-shifted slot on its own date's weekday", () => {
    // 2026-03-08 is a Sunday; 02:30 does not happen in New York and posts at 03:00, still Sunday's slot.
    expect(slotOn(ny('02:30', [7]), '2026-03-08')).toEqual({
      localDate: '2026-03-08',
      dueAtMs: at('2026-03-08T07:00Z'),
    });
    expect(slotOn(ny('02:30', [1]), '2026-03-08')).toBeNull();
  });

  it('uses the local weekday, not the UTC one', () => {
    // Monday 2026-03-09 08:00 in Seoul is Sunday 23:00 UTC.
    expect(iso((slotOn(seoul('08:00', [1]), '2026-03-09') as { dueAtMs: number }).dueAtMs)).toBe(
      '2026-03-08T23:00:00.000Z',
    );
    expect(slotOn(seoul('08:00', [7]), '2026-03-09')).toBeNull();
  });

  it('rejects bad schedules with the field named', () => {
    expect(() => slotOn(seoul('25:00'), '2026-03-09')).toThrow(/HH:MM/);
    expect(() => slotOn(seoul('09:00', [0]), '2026-03-09')).toThrow(/weekdays/);
    expect(() => slotOn(seoul('09:00', [8]), '2026-03-09')).toThrow(/weekdays/);
    expect(() => slotOn(seoul('09:00', [1.5]), '2026-03-09')).toThrow(/weekdays/);
    expect(() => slotOn({ time: '09:00', timeZone: 'Nowhere/Land', weekdays: [] }, '2026-03-09')).toThrow(
      /unknown time zone/,
    );
  });
});

describe('a schedule object changed in place', () => {
  it('is compiled again (schedules are cached by object for the per-minute tick)', () => {
    const schedule = { time: '09:00', timeZone: 'Asia/Seoul', weekdays: [1] };
    expect(slotOn(schedule, '2026-03-09')?.dueAtMs).toBe(at('2026-03-09T00:00Z'));
    schedule.time = '10:00';
    expect(slotOn(schedule, '2026-03-09')?.dueAtMs).toBe(at('2026-03-09T01:00Z'));
    schedule.timeZone = 'Europe/Berlin';
    expect(slotOn(schedule, '2026-03-09')?.dueAtMs).toBe(at('2026-03-09T09:00Z'));
    expect(slotOn(schedule, '2026-03-10')).toBeNull();
    schedule.weekdays.push(2);
    expect(slotOn(schedule, '2026-03-10')).not.toBeNull();
    schedule.weekdays[0] = 9;
    expect(() => slotOn(schedule, '2026-03-10')).toThrow(/weekdays/);
  });
});

describe('slotsBetween', () => {
  it('lists slots with after < dueAt ≤ upTo, in order', () => {
    const slots = slotsBetween(seoul('09:00'), at('2026-03-09T00:00Z'), at('2026-03-12T00:00Z'));
    expect(slots.map((s) => s.localDate)).toEqual(['2026-03-10', '2026-03-11', '2026-03-12']);
    expect(slotsBetween(seoul('09:00'), at('2026-03-09T00:00Z') - 1, at('2026-03-09T00:00Z'))).toHaveLength(1);
    expect(slotsBetween(seoul('09:00'), at('2026-03-09T00:00Z'), at('2026-03-09T00:00Z'))).toEqual([]);
    expect(slotsBetween(seoul('09:00'), at('2026-03-12T00:00Z'), at('2026-03-09T00:00Z'))).toEqual([]);
  });

  it('gives one slot per local day across both New York transitions', () => {
    const spring = slotsBetween(ny('02:30'), at('2026-03-06T00:00Z'), at('2026-03-11T00:00Z'));
    expect(spring.map((s) => [s.localDate, iso(s.dueAtMs)])).toEqual([
      ['2026-03-06', '2026-03-06T07:30:00.000Z'],
      ['2026-03-07', '2026-03-07T07:30:00.000Z'],
      ['2026-03-08', '2026-03-08T07:00:00.000Z'],
      ['2026-03-09', '2026-03-09T06:30:00.000Z'],
      ['2026-03-10', '2026-03-10T06:30:00.000Z'],
    ]);
    const fall = slotsBetween(ny('01:30'), at('2026-10-31T00:00Z'), at('2026-11-03T00:00Z'));
    expect(fall.map((s) => [s.localDate, iso(s.dueAtMs)])).toEqual([
      ['2026-10-31', '2026-10-31T05:30:00.000Z'],
      ['2026-11-01', '2026-11-01T05:30:00.000Z'],
      ['2026-11-02', '2026-11-02T06:30:00.000Z'],
    ]);
  });

  it('honours weekdays', () => {
    const weekend = slotsBetween(seoul('10:00', [6, 7]), at('2026-03-01T00:00Z'), at('2026-03-15T00:00Z'));
    // 2026-03-01 is a Sunday: its 10:00 KST is 01:00Z, inside the window.
    expect(weekend.map((s) => s.localDate)).toEqual(['2026-03-01', '2026-03-07', '2026-03-08', '2026-03-14']);
  });

  it('refuses windows over 62 days and non-finite bounds', () => {
    expect(slotsBetween(seoul('09:00'), at('2026-01-01T00:00Z'), at('2026-03-04T00:00Z'))).toHaveLength(62);
    expect(() => slotsBetween(seoul('09:00'), at('2026-01-01T00:00Z'), at('2026-03-05T00:00Z'))).toThrow(/62-day/);
    expect(() => slotsBetween(seoul('09:00'), Number.NEGATIVE_INFINITY, 0)).toThrow(/finite/);
  });
});

describe('nextSlot', () => {
  it('is the first slot strictly after the instant', () => {
    expect(nextSlot(seoul('09:00'), at('2026-03-08T23:59Z'))).toEqual({
      localDate: '2026-03-09',
      dueAtMs: at('2026-03-09T00:00Z'),
    });
    expect(nextSlot(seoul('09:00'), at('2026-03-09T00:00Z')).localDate).toBe('2026-03-10');
  });

  it('skips to the next selected weekday', () => {
    // From Tuesday 2026-03-10, Monday-only: 2026-03-16.
    expect(nextSlot(seoul('09:00', [1]), at('2026-03-10T00:00Z')).localDate).toBe('2026-03-16');
    // From just after Monday's slot, Monday-only: a week later.
    expect(nextSlot(seoul('09:00', [1]), at('2026-03-09T00:00Z')).localDate).toBe('2026-03-16');
  });

  it('finds the gap-shifted slot', () => {
    expect(iso(nextSlot(ny('02:30'), at('2026-03-08T00:00Z')).dueAtMs)).toBe('2026-03-08T07:00:00.000Z');
  });
});
