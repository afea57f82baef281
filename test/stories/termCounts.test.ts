import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SyntheticCorpus } from '../../bench/synthetic/generate.ts';
import { listLocalDocuments } from '../../src/ingest/localFiles.ts';
import { SAMPLE_NEWS_PATH } from '../../src/paths.ts';
import { countSummaryTokens } from '../../src/stories/termCounts.ts';
import { summaryTokens } from '../../src/summarize/tokens.ts';

/** The counts `summaryTokens` gives, in its order. */
function expected(text: string, weight = 1): [string, number][] {
  const counts = new Map<string, number>();
  for (const token of summaryTokens(text)) counts.set(token, (counts.get(token) ?? 0) + weight);
  return [...counts];
}

function counted(text: string, weight = 1): [string, number][] {
  const counts = new Map<string, number>();
  countSummaryTokens(text, weight, counts);
  return [...counts];
}

describe('summary token counts', () => {
  it('are the counts of summaryTokens, in its order', () => {
    const texts = [
      'SK하이닉스는 HBM3E를 엔비디아에 공급한다. SK하이닉스는 2024년 실적을 발표했다.',
      'ＯｐｅｎＡＩ released the GPT-5 model; it’s the best of the models, said the company.',
      '삼성 가 나 ㈜삼성전자 ㈀ ﾡﾢ 한글', // a lone syllable, NFKC-expanded and half-width Hangul
      'İstanbul ÇAĞ Ελληνικά Кириллица 東京 日本語 ١٢٣ Ⅻ ½',
      '',
      '   ...  ',
    ];
    for (const text of texts) expect(counted(text, 3)).toEqual(expected(text, 3));
  });

  it('count texts with characters beyond the BMP as the tokenizer does', () => {
    const text = '삼성𠀀전자 😀 emoji 𝐀𝐁 test';
    expect(counted(text)).toEqual(expected(text));
  });

  it('count the sample news and synthetic articles as the tokenizer does', () => {
    const texts = listLocalDocuments([SAMPLE_NEWS_PATH])
      .documents.filter((doc) => doc.kind === 'text')
      .map((doc) => readFileSync(doc.path, 'utf8'));
    const corpus = new SyntheticCorpus({ seed: 7, size: 1000 });
    for (const item of corpus.articles(0, 200)) texts.push([item.article.title, ...item.article.paragraphs].join('\n'));
    expect(texts.length).toBeGreaterThan(200);
    for (const text of texts) expect(counted(text)).toEqual(expected(text));
  });
});
