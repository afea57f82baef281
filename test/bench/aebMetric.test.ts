import { describe, expect, it } from 'vitest';
import { aggregateScores, scorePage, shingleCounts } from '../../bench/quality/aebMetric.ts';

describe('shingleCounts', () => {
  it('counts word 4-grams as a multiset, case-sensitive, punctuation dropped', () => {
    expect(Object.fromEntries(shingleCounts('The cat, sat on: the mat'))).toEqual({
      'The cat sat on': 1,
      'cat sat on the': 1,
      'sat on the mat': 1,
    });
    expect(Object.fromEntries(shingleCounts('a b c d a b c d'))).toEqual({
      'a b c d': 2,
      'b c d a': 1,
      'c d a b': 1,
      'd a b c': 1,
    });
  });

  it('gives one shorter shingle for 1–3 tokens and none for no tokens', () => {
    expect(Object.fromEntries(shingleCounts('삼성전자 HBM4'))).toEqual({ '삼성전자 HBM4': 1 });
    expect(shingleCounts(' … ').size).toBe(0);
  });
});

describe('scorePage', () => {
  it('scores a prediction that misses the last words', () => {
    // truth: 4 shingles; prediction: the first 3 of them.
    const s = scorePage('the cat sat on the mat today', 'the cat sat on the mat');
    expect(s).toEqual({ tp: 3, fp: 0, fn: 1, precision: 1, recall: 0.75 });
  });

  it('counts repeated shingles only as often as the truth has them', () => {
    const s = scorePage('a b c d', 'a b c d x a b c d');
    // prediction shingles: abcd ×2, bcdx, cdxa, dxab, xabc; truth: abcd ×1.
    expect(s.tp).toBe(1);
    expect(s.fp).toBe(5);
    expect(s.fn).toBe(0);
    expect(s.precision).toBeCloseTo(1 / 6, 10);
    expect(s.recall).toBe(1);
  });

  it('leaves an empty prediction out of precision, and scores both-empty as perfect', () => {
    expect(scorePage('one two three four five', '')).toEqual({ tp: 0, fp: 0, fn: 2, precision: null, recall: 0 });
    expect(scorePage('', '')).toMatchObject({ precision: null, recall: 1 });
    expect(scorePage('same words here', 'same words here')).toMatchObject({ precision: 1, recall: 1 });
  });
});

describe('aggregateScores', () => {
  it('averages precision over pages with a prediction and recall over all pages', () => {
    const pages = [
      scorePage('the cat sat on the mat today', 'the cat sat on the mat'), // P 1, R 0.75
      scorePage('one two three four five', ''), // P -, R 0
    ];
    const score = aggregateScores(pages);
    expect(score.precision).toBe(1);
    expect(score.recall).toBe(0.375);
    expect(score.f1).toBeCloseTo((2 * 0.375) / 1.375, 10);
    expect(score.pages).toBe(2);
    expect(score.emptyPredictions).toBe(1);
  });
});
