import { describe, expect, it } from 'vitest';
import { isSingleCjkChar, searchTokens } from '../../src/text/searchTokens.ts';

describe('searchTokens', () => {
  it('turns Hangul runs into overlapping bigrams', () => {
    expect(searchTokens('삼성전자')).toEqual(['삼성', '성전', '전자']);
    expect(searchTokens('삼성전자가 발표')).toEqual(['삼성', '성전', '전자', '자가', '발표']);
  });

  it('keeps a lone syllable and whole Latin words, lower-cased', () => {
    expect(searchTokens('尹 대통령')).toEqual(['尹', '대통', '통령']);
    expect(searchTokens('Samsung HBM4 chips')).toEqual(['samsung', 'hbm4', 'chips']);
  });

  it('splits at script boundaries', () => {
    expect(searchTokens('SK하이닉스는')).toEqual(['sk', '하이', '이닉', '닉스', '스는']);
    expect(searchTokens('오픈AI의')).toEqual(['오픈', 'ai', '의']);
    expect(searchTokens('LG전자')).toEqual(['lg', '전자']);
  });

  it('normalises full-width forms and drops punctuation', () => {
    expect(searchTokens('ＧＰＴ－４, “라마3”!')).toEqual(['gpt', '4', '라마', '3']);
  });

  it('finds a short query inside a longer word because the bigrams are contained', () => {
    const doc = searchTokens('삼성전자가');
    for (const t of searchTokens('삼성')) expect(doc).toContain(t);
  });

  it('recognises single CJK characters', () => {
    expect(isSingleCjkChar('윤')).toBe(true);
    expect(isSingleCjkChar('尹')).toBe(true);
    expect(isSingleCjkChar('윤석')).toBe(false);
    expect(isSingleCjkChar('a')).toBe(false);
  });
});
