import { describe, expect, it } from 'vitest';
import { pairwiseScores } from '../../bench/quality/clustering.ts';

describe('pairwiseScores', () => {
  it('is perfect when the clusters match, whatever their order', () => {
    const s = pairwiseScores([['d'], ['c', 'b', 'a']], [['a', 'b', 'c'], ['d']]);
    expect(s).toMatchObject({ precision: 1, recall: 1, f1: 1, predictedPairs: 3, truePairs: 3, sharedPairs: 3 });
  });

  it('scores a split and a wrong merge', () => {
    // predicted pairs ab, cd; true pairs ab, ac, bc: 1 shared.
    const s = pairwiseScores(
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
      [['a', 'b', 'c'], ['d']],
    );
    expect(s.predictedPairs).toBe(2);
    expect(s.truePairs).toBe(3);
    expect(s.sharedPairs).toBe(1);
    expect(s.precision).toBe(0.5);
    expect(s.recall).toBeCloseTo(1 / 3, 10);
    expect(s.f1).toBeCloseTo(0.4, 10);
  });

  it('counts no predicted pairs as precision 1 and recall 0', () => {
    const s = pairwiseScores([['a'], ['b']], [['a', 'b']]);
    expect(s).toMatchObject({ precision: 1, recall: 0, f1: 0 });
  });

  it('ignores unlabelled articles and treats unlisted labelled ones as stories of their own', () => {
    const s = pairwiseScores(
      [['a', 'b', 'zz']],
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    );
    expect(s.unlabelled).toBe(1);
    expect(s.predictedPairs).toBe(1);
    expect(s.truePairs).toBe(2);
    expect(s.precision).toBe(1);
    expect(s.recall).toBe(0.5);
  });
});
