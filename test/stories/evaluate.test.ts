import { describe, expect, it } from 'vitest';
import { bcubedScore, pairwiseScore } from '../../src/stories/evaluate.ts';

describe('clustering scores', () => {
  it('counts pairs: one story split in two loses recall, two stories merged lose precision', () => {
    const truth = [['a', 'b', 'c'], ['d']];
    expect(pairwiseScore(truth, truth)).toMatchObject({ precision: 1, recall: 1, f1: 1, truePairs: 3 });
    const split = pairwiseScore([['a', 'b'], ['c'], ['d']], truth);
    expect(split).toMatchObject({ precision: 1, sharedPairs: 1, predictedPairs: 1 });
    expect(split.recall).toBeCloseTo(1 / 3);
    const merged = pairwiseScore([['a', 'b', 'c', 'd']], truth);
    expect(merged.recall).toBe(1);
    expect(merged.precision).toBeCloseTo(3 / 6);
  });

  it('scores a split together with a wrong merge, and no predicted pairs as precision 1 and recall 0', () => {
    // predicted pairs ab, cd; true pairs ab, ac, bc: 1 shared.
    const s = pairwiseScore(
      [
        ['c', 'd'],
        ['a', 'b'],
      ],
      [['a', 'b', 'c'], ['d']],
    );
    expect(s).toMatchObject({ predictedPairs: 2, truePairs: 3, sharedPairs: 1, precision: 0.5 });
    expect(s.recall).toBeCloseTo(1 / 3, 10);
    expect(s.f1).toBeCloseTo(0.4, 10);
    expect(pairwiseScore([['a'], ['b']], [['a', 'b']])).toMatchObject({ precision: 1, recall: 0, f1: 0 });
  });

  it('ignores items only one side knows', () => {
    expect(pairwiseScore([['a', 'b', 'x']], [['a', 'b']]).f1).toBe(1);
  });

  it('scores B-cubed per item', () => {
    const score = bcubedScore([['a', 'b', 'c', 'd']], [['a', 'b', 'c'], ['d']]);
    expect(score.recall).toBe(1);
    expect(score.precision).toBeCloseTo((3 * (3 / 4) + 1 / 4) / 4);
  });
});
