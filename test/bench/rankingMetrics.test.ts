import { describe, expect, it } from 'vitest';
import { precisionAt, recallAt } from '../../bench/quality/rankingMetrics.ts';

const hit = (...articles: string[]) => ({ articles });

describe('precisionAt', () => {
  it('is the share of relevant results among those shown, at most k', () => {
    const hits = [hit('a'), hit('x'), hit('b', 'c'), hit('y'), hit('z'), hit('d')];
    const relevant = new Set(['a', 'b', 'd']);
    expect(precisionAt(hits, relevant, 5)).toBe(2 / 5);
    expect(precisionAt(hits, relevant, 1)).toBe(1);
    expect(precisionAt(hits.slice(0, 3), relevant, 5)).toBe(2 / 3);
  });

  it('counts a result as relevant through one of its copies', () => {
    expect(precisionAt([hit('x', 'a')], new Set(['a']), 5)).toBe(1);
  });

  it('scores no results as 0 when something relevant exists and 1 when nothing does', () => {
    expect(precisionAt([], new Set(['a']), 5)).toBe(0);
    expect(precisionAt([], new Set(), 5)).toBe(1);
  });
});

describe('recallAt', () => {
  it('counts every relevant article a result stands for, within the first k results', () => {
    const relevant = new Set(['a', 'b', 'c', 'd']);
    expect(recallAt([hit('a', 'b'), hit('x'), hit('c')], relevant, 10)).toBe(3 / 4);
    expect(recallAt([hit('a', 'b'), hit('x'), hit('c')], relevant, 2)).toBe(2 / 4);
    expect(recallAt([hit('a'), hit('a')], relevant, 10)).toBe(1 / 4);
  });

  it('is 1 when nothing is relevant', () => {
    expect(recallAt([hit('x')], new Set(), 10)).toBe(1);
  });
});
