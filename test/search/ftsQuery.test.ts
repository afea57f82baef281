import { describe, expect, it } from 'vitest';
import {
  createPhraseMatcher,
  ftsDocument,
  ftsMatchExpression,
  ftsSearchExpression,
  matchTokens,
} from '../../storage/sqlite/ftsQuery.ts';

describe('FTS5 expressions over the bigram index', () => {
  it('turns each alternative into a phrase of its tokens, groups into AND, exclusions into NOT', () => {
    expect(ftsMatchExpression([['삼성전자', 'Samsung'], ['HBM']])).toBe(
      '("삼성" + "성전" + "전자" OR "samsung") AND ("hbm")',
    );
    expect(ftsSearchExpression([['nvidia']], [['hbm', '고대역폭메모리'], ['gaming']])).toBe(
      '(("nvidia")) NOT (("hbm" OR "고대" + "대역" + "역폭" + "폭메" + "메모" + "모리") OR ("gaming"))',
    );
  });

  it('finds a lone Hangul syllable as the start of a bigram, and skips what cannot be searched', () => {
    expect(ftsMatchExpression([['칩']])).toBe('("칩"*)');
    expect(ftsMatchExpression([['...'], ['lg']])).toBe('("lg")');
    expect(ftsMatchExpression([['"']])).toBeNull();
    expect(ftsSearchExpression([], [['xr']])).toBeNull();
  });

  it('never lets query text break out of a phrase', () => {
    expect(ftsMatchExpression([['a" OR "b', 'NEAR(x y)']])).toBe('("a" + "or" + "b" OR "near" + "x" + "y")');
  });

  it('indexes the same tokens the queries use', () => {
    expect(ftsDocument('SK하이닉스는 HBM4를')).toBe('sk 하이 이닉 닉스 스는 hbm4 를');
  });
});

describe('createPhraseMatcher (title matches)', () => {
  it('matches tokens in a row, Korean inside longer words, English words by stem', () => {
    const phrases = createPhraseMatcher(['삼성전자', 'language model', '칩']);
    const matches = (text: string) => phrases(matchTokens(text));
    expect(matches('삼성전자가 HBM4 양산')).toBe(true);
    expect(matches('Small language models get smaller')).toBe(true);
    expect(matches('A model of language')).toBe(false);
    expect(matches('AI 칩셋 개발')).toBe(true);
    expect(matches('삼성 전자 부품')).toBe(false);
  });
});
