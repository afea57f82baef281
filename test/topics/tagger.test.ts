import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTagger, loadTopicCatalog, parseTopicCatalog, type Tagger } from '../../src/topics/index.ts';

const CATALOG = fileURLToPath(new URL('../../config/topics.yaml', import.meta.url));

let tagger: Tagger;
beforeAll(() => {
  tagger = createTagger(loadTopicCatalog(CATALOG));
});

/** Topic ids mentioned directly, sorted. */
function ids(text: string): string[] {
  return tagger
    .tag(text)
    .map((m) => m.topicId)
    .sort();
}

describe('Latin aliases match whole words only', () => {
  it('matches names next to punctuation, possessives and hyphens', () => {
    expect(ids("LG's new TV")).toEqual(['lg-group']);
    expect(ids('Apple’s iPhone sales')).toEqual(['apple', 'iphone']);
    expect(ids('(Nvidia) AI-powered')).toEqual(['ai', 'nvidia']);
  });

  it('does not match inside longer words', () => {
    expect(ids('LGBT rights groups')).toEqual([]);
    expect(ids('a pineapple farm')).toEqual([]);
    expect(ids('He said the MAIN goal')).toEqual([]);
    expect(ids('Samsungs and Intelligence')).toEqual([]);
  });

  it('does not let a digit or letter continue an alias', () => {
    expect(ids('16GB of RAM over 6G')).toEqual(['6g']);
    expect(ids('GPT-4o and GPTs')).toEqual(['gpt']);
  });
});

describe('case rules', () => {
  it('matches case-sensitive aliases only as written', () => {
    expect(ids('MS and Google')).toEqual(['google', 'microsoft']);
    expect(ids('ms latency, Ms. Kim')).toEqual([]);
    expect(ids('AI')).toEqual(['ai']);
    expect(ids('ai')).toEqual([]);
    expect(ids('Meta and META')).toEqual(['meta']);
    expect(ids('the meta of the game')).toEqual([]);
    expect(ids('Apple and APPLE')).toEqual(['apple']);
    expect(ids('an apple a day')).toEqual([]);
  });

  it('folds case for the other aliases', () => {
    expect(ids('SAMSUNG')).toEqual(['samsung-electronics']);
    expect(ids('nvidia')).toEqual(['nvidia']);
    expect(ids('openai')).toEqual(['openai']);
  });

  it('normalises NFKC first (full-width letters)', () => {
    expect(ids('ＡＩ and ＬＧ전자')).toEqual(['ai', 'lg-electronics']);
  });
});

describe('Meta the company, metadata and the metaverse', () => {
  it('keeps them apart in English', () => {
    expect(ids('Meta bought it')).toEqual(['meta']);
    expect(ids('Metadata and metaverse')).toEqual(['metaverse']);
    expect(ids('a meta-analysis of studies')).toEqual([]);
  });

  it('keeps them apart in Korean', () => {
    expect(ids('메타와 구글')).toEqual(['google', 'meta']);
    expect(ids('메타버스 플랫폼')).toEqual(['metaverse']);
    expect(ids('메타데이터를 분석')).toEqual([]);
    expect(ids('메타 분석 결과')).toEqual([]);
  });
});

describe('Hangul aliases', () => {
  it('may be followed by particles and news suffixes', () => {
    expect(ids('삼성전자가')).toEqual(['samsung-electronics']);
    expect(ids('삼성전자는')).toEqual(['samsung-electronics']);
    expect(ids('엔비디아의')).toEqual(['nvidia']);
    expect(ids('애플이')).toEqual(['apple']);
    expect(ids('엔비디아향 HBM')).toEqual(['hbm', 'nvidia']);
    expect(ids('오픈AI에서는')).toEqual(['openai']);
    expect(ids('이재용회장은')).toEqual(['lee-jae-yong']);
  });

  it('must start a Hangul run', () => {
    expect(ids('파인애플 주스')).toEqual([]);
    expect(ids('"애플"과 [삼성]')).toEqual(['apple', 'samsung-electronics']);
    expect(ids('美엔비디아')).toEqual(['nvidia']);
  });

  it('do not match when other syllables continue the word', () => {
    expect(ids('애플리케이션')).toEqual([]);
    expect(ids('애플 인텔리전스')).toEqual(['apple-intelligence']);
    expect(ids('인텔리전스')).toEqual([]);
    expect(ids('넷플릭스 시리즈')).toEqual(['netflix']);
  });
});

describe('mixed-script and spacing', () => {
  it('matches aliases that mix Hangul and Latin, with or without a space at the boundary', () => {
    expect(ids('오픈AI')).toEqual(['openai']);
    expect(ids('SK하이닉스')).toEqual(['sk-hynix']);
    expect(ids('SK 하이닉스')).toEqual(['sk-hynix']);
    expect(ids('LG전자')).toEqual(['lg-electronics']);
    expect(ids('LG 전자')).toEqual(['lg-electronics']);
    expect(ids('갤럭시 S24 울트라')).toEqual(['galaxy-s']);
    expect(ids('갤럭시S24')).toEqual(['galaxy-s']);
    expect(ids('챗GPT가')).toEqual(['chatgpt']);
  });

  it('lets an alias space match any whitespace or none, except between Latin letters', () => {
    expect(ids('젠슨 황')).toEqual(['jensen-huang']);
    expect(ids('젠슨황은')).toEqual(['jensen-huang']);
    expect(ids('Sam\n  Altman')).toEqual(['sam-altman']);
    expect(ids('Open AI')).toEqual(['openai']);
    expect(ids('Samaltman')).toEqual([]);
  });
});

describe('longest match wins', () => {
  it('prefers the longer alias at the same position', () => {
    expect(ids('카카오톡')).toEqual(['kakaotalk']);
    expect(ids('카카오가')).toEqual(['kakao']);
    expect(ids('OpenAI')).toEqual(['openai']);
    expect(ids('SK하이닉스와 SK')).toEqual(['sk-group', 'sk-hynix']);
    expect(ids('AI chips and AI')).toEqual(['ai', 'ai-chips']);
    expect(ids('Samsung Electronics')).toEqual(['samsung-electronics']);
  });

  it('counts an alias once, not again for its parts', () => {
    expect(tagger.tag('Sam Altman and Altman')).toEqual([{ topicId: 'sam-altman', count: 2, inherited: false }]);
    expect(tagger.mentions('AI반도체').map((m) => m.topicId)).toEqual(['ai-chips']);
  });
});

describe('parents', () => {
  it('are left out by default', () => {
    expect(ids('갤럭시 S24')).toEqual(['galaxy-s']);
  });

  it('are added with includeParents, with the mentions of their descendants', () => {
    const matches = tagger.tag('갤럭시 S24와 갤럭시 폴드, 삼성전자', { includeParents: true });
    expect(matches).toEqual([
      { topicId: 'samsung-electronics', count: 3, inherited: false },
      { topicId: 'samsung-group', count: 3, inherited: true },
      { topicId: 'galaxy', count: 2, inherited: true },
      { topicId: 'galaxy-s', count: 1, inherited: false },
      { topicId: 'galaxy-z-fold', count: 1, inherited: false },
    ]);
  });

  it('give a product its company (카카오톡 → kakao)', () => {
    const found = tagger.tag('카카오톡 먹통', { includeParents: true }).map((m) => m.topicId);
    expect(found).toEqual(['kakao', 'kakaotalk']);
  });
});

describe('results', () => {
  it('are sorted by count, then id', () => {
    expect(tagger.tag('Intel, AMD, Nvidia, AMD, Intel, AMD')).toEqual([
      { topicId: 'amd', count: 3, inherited: false },
      { topicId: 'intel', count: 2, inherited: false },
      { topicId: 'nvidia', count: 1, inherited: false },
    ]);
  });

  it('give mention offsets into the NFKC text', () => {
    const text = '엔비디아와 TSMC';
    expect(tagger.mentions(text)).toEqual([
      { topicId: 'nvidia', start: 0, end: 4, text: '엔비디아' },
      { topicId: 'tsmc', start: 6, end: 10, text: 'TSMC' },
    ]);
  });
});

describe('exclude phrases', () => {
  it('hide aliases inside them', () => {
    expect(ids('Apple Daily reported')).toEqual([]);
    expect(ids('the Big Apple')).toEqual([]);
    expect(ids('달라이 라마')).toEqual([]);
    expect(ids('blue-chip stocks and chips')).toEqual(['semiconductor']);
  });

  it('work in a small catalog too', () => {
    const catalog = parseTopicCatalog(
      `topics:
  - id: amazon
    kind: company
    names: { en: Amazon, ko: 아마존 }
    aliases: []
    exclude: [아마존 열대우림]
`,
      'fixture.yaml',
    );
    const small = createTagger(catalog);
    expect(small.tag('아마존 열대우림과 아마존의 AWS')).toEqual([{ topicId: 'amazon', count: 1, inherited: false }]);
    expect(small.tag('아마존열대우림')).toEqual([]);
  });
});

describe('plural forms', () => {
  it('lets a technology word take a plural ending', () => {
    expect(ids('small language models on phones')).toEqual(['llm']);
    expect(ids('two new humanoid robots')).toEqual(['humanoid-robot']);
    expect(ids('OLEDs and GPUs')).toEqual(['gpu', 'oled']);
  });

  it('but not a company name, a case-sensitive alias or a short one', () => {
    expect(ids('Samsungs and Nvidias')).toEqual([]);
    expect(ids('AIs')).toEqual([]);
    expect(ids('modelss of language')).toEqual([]);
  });
});
