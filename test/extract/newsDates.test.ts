import { describe, expect, it } from 'vitest';
import { parseNewsDate } from '../../src/text/dates.ts';

// The date formats the article extractors meet in date lines and metadata.
describe('parseNewsDate for article date lines', () => {
  it('reads full English month names, with and without a weekday', () => {
    expect(parseNewsDate('February 27, 2024', { defaultOffset: 'Z' })).toBe('2024-02-27T00:00:00Z');
    expect(parseNewsDate('March 13, 2024 9:15 AM EST')).toBe('2024-03-13T09:15:00-05:00');
    expect(parseNewsDate('Tuesday, February 27, 2024 5:38 PM EST')).toBe('2024-02-27T17:38:00-05:00');
    expect(parseNewsDate('Tue February 27, 2024', { defaultOffset: 'Z' })).toBe('2024-02-27T00:00:00Z');
  });

  it('still reads abbreviated months and Korean portal formats', () => {
    expect(parseNewsDate('Mar 13, 2024 6:40 AM EST')).toBe('2024-03-13T06:40:00-05:00');
    expect(parseNewsDate('2024.02.27. 오후 5:38')).toBe('2024-02-27T17:38:00+09:00');
    expect(parseNewsDate('2024.02.27 17:38:39')).toBe('2024-02-27T17:38:39+09:00');
  });
});
