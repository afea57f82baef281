import { describe, expect, it } from 'vitest';
import { summaryTokens, wordTokens } from '../../src/summarize/tokens.ts';

describe('summaryTokens', () => {
  it('turns Hangul runs into character bigrams and keeps Latin/number words', () => {
    expect(summaryTokens('SK하이닉스는 HBM3E를')).toEqual(['sk', '하이', '이닉', '닉스', '스는', 'hbm3e', '를']);
    expect(summaryTokens('삼성전자가 2024년')).toEqual(['삼성', '성전', '전자', '자가', '2024', '년']);
  });

  it('lowercases, applies NFKC and drops English stopwords', () => {
    expect(summaryTokens('ＯｐｅｎＡＩ released the GPT-5 model')).toEqual(['openai', 'released', 'gpt', '5', 'model']);
  });

  it('gives a particle-bearing eojeol the bigrams of its noun', () => {
    const noun = summaryTokens('반도체');
    const withParticle = summaryTokens('반도체가');
    expect(withParticle).toEqual(expect.arrayContaining(noun));
  });
});

describe('wordTokens', () => {
  it('keeps eojeols whole and splits scripts', () => {
    expect(wordTokens('오픈AI의 GPT-4o, 10.8조원')).toEqual(['오픈', 'ai', '의', 'gpt', '4o', '10', '8', '조원']);
  });
});
