import { describe, expect, it } from 'vitest';
import { parseNewsDate, parseNewsDateUtc } from '../../src/text/dates.ts';

describe('feed dates (parseNewsDate / parseNewsDateUtc)', () => {
  it('reads the junk dates old Korean feeds carry', () => {
    expect(parseNewsDateUtc('Mon, 26 Sept 2005 21:46:23+0900')).toBe('2005-09-26T12:46:23Z');
    expect(parseNewsDateUtc('Thu, 21 July 2005 14:00:00+0900')).toBe('2005-07-21T05:00:00Z');
    expect(parseNewsDateUtc('2004-05-25 오후 11:23:17')).toBe('2004-05-25T14:23:17Z');
    expect(parseNewsDateUtc('2004년 05월 28일 01:31:15')).toBe('2004-05-27T16:31:15Z');
    expect(parseNewsDateUtc('Fri,  9 Dec 2005 19:49:38 +0900')).toBe('2005-12-09T10:49:38Z');
  });

  it('reads zone-less dates in the zone the caller gives', () => {
    expect(parseNewsDateUtc('2004-12-27T11:30:00', { defaultOffset: '+09:00' })).toBe('2004-12-27T02:30:00Z');
    expect(parseNewsDateUtc('2004-12-27T11:30:00', { defaultOffset: '+00:00' })).toBe('2004-12-27T11:30:00Z');
  });

  it('drops an RFC 822 comment after the zone', () => {
    expect(parseNewsDate('Tue, 27 Feb 2024 17:38:39 +0900 (KST)')).toBe('2024-02-27T17:38:39+09:00');
    expect(parseNewsDate('Tue, 27 Feb 2024 08:38:39 +0000 (UTC)')).toBe('2024-02-27T08:38:39Z');
  });

  it("reads Java's Date.toString() format", () => {
    expect(parseNewsDate('Tue Feb 27 17:38:39 KST 2024')).toBe('2024-02-27T17:38:39+09:00');
    expect(parseNewsDate('Tue Feb 27 17:38:39 GMT+09:00 2024')).toBe('2024-02-27T17:38:39+09:00');
    expect(parseNewsDateUtc('Tue Feb 27 17:38:39 2024', { defaultOffset: '+00:00' })).toBe('2024-02-27T17:38:39Z');
    expect(parseNewsDate('Tue Feb 30 17:38:39 KST 2024')).toBeNull();
  });

  it('returns null for text that is not a date', () => {
    expect(parseNewsDateUtc('yesterday')).toBeNull();
    expect(parseNewsDateUtc('03 Apr 02 1500 GMT')).toBeNull();
  });
});
