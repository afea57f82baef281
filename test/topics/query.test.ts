import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTagger, loadTopicCatalog, type Tagger } from '../../src/topics/index.ts';

const CATALOG = fileURLToPath(new URL('../../config/topics.yaml', import.meta.url));

let tagger: Tagger;
beforeAll(() => {
  tagger = createTagger(loadTopicCatalog(CATALOG));
});

describe('expandQueryTerm', () => {
  it.each([
    ['samsung', '삼성', 'samsung-electronics', ['삼성전자', '삼성', 'Samsung Electronics', 'Samsung', '삼전']],
    ['nvidia', '엔비디아', 'nvidia', ['엔비디아', 'NVIDIA', 'Nvidia']],
    ['lg', '엘지', 'lg-group', ['LG', '엘지', 'LG그룹', 'LG Group']],
    ['openai', '오픈AI', 'openai', ['OpenAI', '오픈AI', 'Open AI']],
  ])('expands %s and %s to the same topic with aliases in both languages', (en, ko, topicId, aliases) => {
    const fromEnglish = tagger.expandQueryTerm(en);
    const fromKorean = tagger.expandQueryTerm(ko);
    expect(fromEnglish?.topicId).toBe(topicId);
    expect(fromKorean).toEqual(fromEnglish);
    expect(fromEnglish?.aliases).toEqual(expect.arrayContaining(aliases));
  });

  it('ignores case and spacing', () => {
    expect(tagger.expandQueryTerm('SAMSUNG')?.topicId).toBe('samsung-electronics');
    expect(tagger.expandQueryTerm('OpenAi')?.topicId).toBe('openai');
    expect(tagger.expandQueryTerm('오픈 AI')?.topicId).toBe('openai');
    expect(tagger.expandQueryTerm('sam altman')?.topicId).toBe('sam-altman');
    expect(tagger.expandQueryTerm('젠슨황')?.topicId).toBe('jensen-huang');
    expect(tagger.expandQueryTerm('ms')?.topicId).toBe('microsoft');
  });

  it('tolerates a trailing Korean particle, but not other syllables', () => {
    expect(tagger.expandQueryTerm('삼성전자가')?.topicId).toBe('samsung-electronics');
    expect(tagger.expandQueryTerm('엔비디아의')?.topicId).toBe('nvidia');
    expect(tagger.expandQueryTerm('인텔리전스')).toBeNull();
  });

  it('accepts a topic id and rejects unknown words', () => {
    expect(tagger.expandQueryTerm('sk-hynix')?.aliases).toEqual(expect.arrayContaining(['SK하이닉스', '하닉']));
    expect(tagger.expandQueryTerm('바나나')).toBeNull();
    expect(tagger.expandQueryTerm('   ')).toBeNull();
  });

  it('returns names first and never an exclude phrase', () => {
    const apple = tagger.expandQueryTerm('애플');
    expect(apple?.aliases.slice(0, 2)).toEqual(['애플', 'Apple']);
    expect(apple?.aliases).not.toContain('Apple Daily');
  });
});
