import { describe, expect, it } from 'vitest';
import { dayBounds, formatLocalTime, localDay } from '../../src/text/formatTime.ts';

describe('local time', () => {
  it('formats an instant in a channel zone', () => {
    expect(formatLocalTime('2026-11-26T00:10:00Z', 'Asia/Seoul')).toBe('2026-11-26 09:10 GMT+9');
    expect(formatLocalTime('2026-11-26T00:10:00Z', 'America/New_York')).toBe('2026-11-25 19:10 EST');
    expect(formatLocalTime('garbage', 'Asia/Seoul')).toBe('');
    expect(localDay('2026-11-25T15:00:00Z', 'Asia/Seoul')).toBe('2026-11-26');
  });

  it('finds day bounds across daylight-saving changes', () => {
    expect(dayBounds('2026-11-26', 'Asia/Seoul')).toEqual({
      from: new Date('2026-11-25T15:00:00.000Z'),
      to: new Date('2026-11-26T14:59:59.999Z'),
    });
    const spring = dayBounds('2026-03-08', 'America/New_York');
    expect(spring.from.toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect((spring.to.getTime() + 1 - spring.from.getTime()) / 3_600_000).toBe(23);
    const autumn = dayBounds('2026-11-01', 'America/New_York');
    expect((autumn.to.getTime() + 1 - autumn.from.getTime()) / 3_600_000).toBe(25);
  });
});
