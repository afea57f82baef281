import { describe, expect, it } from 'vitest';
import { latencies, latencySpreads, mapSpread, median, percentile, spread } from '../../bench/lib/stats.ts';

describe('percentile', () => {
  it('interpolates linearly between the closest ranks (numpy default)', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([4, 1, 3, 2], 0)).toBe(1);
    expect(percentile([4, 1, 3, 2], 100)).toBe(4);
    expect(percentile([1, 2, 3, 4], 95)).toBeCloseTo(3.85, 10);
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 99)).toBeCloseTo(99.1, 10);
  });

  it('gives the only value for a single sample', () => {
    expect(percentile([7], 99)).toBe(7);
    expect(median([7])).toBe(7);
  });

  it('rejects empty input, NaN and percentiles outside 0–100', () => {
    expect(() => percentile([], 50)).toThrow('no values');
    expect(() => percentile([1, Number.NaN], 50)).toThrow('NaN');
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], -1)).toThrow(RangeError);
  });
});

describe('spread', () => {
  it('reports the median with the smallest and largest run', () => {
    expect(spread([30, 10, 20])).toEqual({ median: 20, min: 10, max: 30, runs: 3 });
    expect(spread([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4, runs: 4 });
  });

  it('turns times into rates with min and max swapped', () => {
    const ms = spread([100, 200, 400]);
    expect(mapSpread(ms, (t) => 1000 / t)).toEqual({ median: 5, min: 2.5, max: 10, runs: 3 });
  });
});

describe('latency percentiles over passes', () => {
  it('takes p50/p95/p99 per pass and reports their spread', () => {
    const passA = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const passB = passA.map((v) => v * 2);
    expect(latencies(passA).p50).toBe(5.5);
    const s = latencySpreads([passA, passB]);
    expect(s.p50).toEqual({ median: 8.25, min: 5.5, max: 11, runs: 2 });
    expect(s.p99.max).toBeCloseTo(19.82, 10);
  });
});
