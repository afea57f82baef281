import { describe, expect, it } from 'vitest';
import { rouge, rougeL, rougeN, rougeTokens } from '../../src/summarize/rouge.ts';

describe('rougeTokens', () => {
  it('keeps Hangul words and splits at script boundaries', () => {
    expect(rougeTokens('SK하이닉스는 HBM3E를 2.5배 늘렸다.')).toEqual([
      'sk',
      '하이닉스는',
      'hbm3e',
      '를',
      '2',
      '5',
      '배',
      '늘렸다',
    ]);
    expect(rougeTokens(['Ｓａｍｓｕｎｇ', '삼성'])).toEqual(['samsung', '삼성']);
  });
});

describe('rouge', () => {
  it('matches hand-computed English scores', () => {
    // unigrams: the×2 cat on mat shared = 5 of 6 each side; bigrams: the-cat on-the the-mat = 3 of 5;
    // LCS: the cat on the mat = 5.
    const scores = rouge('the cat sat on the mat', 'the cat lay on the mat');
    expect(scores.rouge1.precision).toBeCloseTo(5 / 6);
    expect(scores.rouge1.recall).toBeCloseTo(5 / 6);
    expect(scores.rouge1.f1).toBeCloseTo(5 / 6);
    expect(scores.rouge2.f1).toBeCloseTo(3 / 5);
    expect(scores.rougeL.f1).toBeCloseTo(5 / 6);
  });

  it('matches hand-computed Korean scores', () => {
    // candidate 3 eojeols, reference 5, all 3 shared: P = 1, R = 3/5, F1 = 0.75; no bigram shared.
    const scores = rouge('삼성전자가 신제품을 공개했다', '삼성전자가 새 신제품을 오늘 공개했다');
    expect(scores.rouge1.precision).toBe(1);
    expect(scores.rouge1.recall).toBeCloseTo(0.6);
    expect(scores.rouge1.f1).toBeCloseTo(0.75);
    expect(scores.rouge2).toEqual({ precision: 0, recall: 0, f1: 0 });
    expect(scores.rougeL.f1).toBeCloseTo(0.75);
  });

  it('clips repeated n-grams and measures LCS in order', () => {
    // "the" 3 times against once: overlap 1, P = 1/3, R = 1/2, F1 = 0.4
    expect(rougeN('the the the', 'the cat', 1).f1).toBeCloseTo(0.4);
    // reversed order: every unigram shared but the LCS is 1 of 3
    expect(rougeN('c b a', 'a b c', 1).f1).toBeCloseTo(1);
    expect(rougeL('c b a', 'a b c').f1).toBeCloseTo(1 / 3);
  });

  it('joins sentence arrays and scores identical texts 1', () => {
    const scores = rouge(['첫 문장이다.', '둘째 문장이다.'], '첫 문장이다. 둘째 문장이다.');
    expect(scores.rouge1.f1).toBe(1);
    expect(scores.rouge2.f1).toBe(1);
    expect(scores.rougeL.f1).toBe(1);
  });

  it('scores empty text 0 instead of NaN', () => {
    expect(rouge('', '뉴스 요약').rouge1).toEqual({ precision: 0, recall: 0, f1: 0 });
    expect(rouge('뉴스 요약', []).rougeL).toEqual({ precision: 0, recall: 0, f1: 0 });
    expect(rougeN('하나', '하나', 2).f1).toBe(0);
  });
});
