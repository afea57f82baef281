import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApp, type SqliteApp } from '../../src/app.ts';
import type { ParsedArticle } from '../../src/model.ts';
import { parseQuery } from '../../src/search/query.ts';
import { searchArchive } from '../../src/search/search.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();
const NOW = new Date('2026-11-26T23:59:59+09:00');

interface Draft {
  title: string;
  body: string;
  source?: string;
  publishedAt?: string;
  lang?: 'ko' | 'en';
}

/** A fresh archive holding these articles, stored in the order given, through the real ingest pipeline. */
async function archive(drafts: readonly Draft[]): Promise<SqliteApp> {
  const app = openApp({ dbPath: join(tempDir(), 'nb.db'), configPath: null, now: () => NOW });
  for (const [i, d] of drafts.entries()) {
    const article: ParsedArticle = {
      title: d.title,
      deck: [],
      paragraphs: d.body.split('\n'),
      byline: null,
      source: d.source ?? 'Test Wire',
      publishedAt: d.publishedAt ?? '2026-11-26T09:00:00+09:00',
      updatedAt: null,
      lang: d.lang ?? (/[가-힣]/.test(d.title) ? 'ko' : 'en'),
      url: `https://news.example/${i}`,
    };
    const source = { key: `site:${article.source}`, name: article.source ?? '', kind: 'page' as const, url: null };
    const outcome = await app.ingestor.ingestArticle(article, source, `draft ${i}`);
    if (outcome.status !== 'added') throw new Error(`draft ${i} was ${outcome.status}`);
  }
  return app;
}

async function titles(app: SqliteApp, query: string, limit = 10): Promise<string[]> {
  return (await searchArchive(app.storage, app.topics, parseQuery(query), { limit, now: NOW })).hits.map(
    (h) => h.article.title,
  );
}

describe('topic words match by tag, not by letters', () => {
  it('does not find 애플 inside 파인애플, nor Meta inside 메타버스', async () => {
    const app = await archive([
      { title: '파인애플 농가 수출 늘어', body: '파인애플 수출이 늘었다.' },
      { title: '애플, 새 아이폰 공개', body: '애플이 새 아이폰을 공개했다.' },
      { title: '메타버스 플랫폼 이용자 감소', body: '메타버스 이용자가 줄었다.' },
      { title: '메타, 새 헤드셋 공개', body: '메타가 헤드셋을 공개했다.' },
    ]);
    expect(await titles(app, '애플')).toEqual(['애플, 새 아이폰 공개']);
    expect(await titles(app, 'apple')).toEqual(['애플, 새 아이폰 공개']);
    expect(await titles(app, '메타')).toEqual(['메타, 새 헤드셋 공개']);
    app.close();
  });

  it('tells MS the company from ms the unit', async () => {
    const app = await archive([
      { title: 'Latency falls to 10 ms on new chips', body: 'Response time is now 10 ms, down from 30 ms.' },
      { title: 'MS and OpenAI extend their deal', body: 'MS said the agreement runs to 2030.' },
      { title: 'Microsoft opens a Seoul region', body: 'Microsoft will open a cloud region in Seoul.' },
    ]);
    expect((await titles(app, 'microsoft')).sort()).toEqual([
      'MS and OpenAI extend their deal',
      'Microsoft opens a Seoul region',
    ]);
    expect(await titles(app, '마이크로소프트')).toHaveLength(2);
    app.close();
  });

  it('finds an article through a child topic (갤럭시 for 삼성전자), below the ones naming the company', async () => {
    const app = await archive([
      { title: '갤럭시 S26 판매 호조', body: '갤럭시 S26 판매량이 늘었다. 갤럭시 신작 효과다.' },
      {
        title: '삼성전자, 신규 공장 착공',
        body: '삼성전자가 평택에 새 공장을 짓는다.',
        publishedAt: '2026-11-25T09:00:00+09:00',
      },
      { title: '날씨 맑음', body: '전국이 맑겠다.' },
    ]);
    expect(await titles(app, '삼성전자')).toEqual(['삼성전자, 신규 공장 착공', '갤럭시 S26 판매 호조']);
    expect(await titles(app, 'samsung')).toEqual(['삼성전자, 신규 공장 착공', '갤럭시 S26 판매 호조']);
    app.close();
  });

  it('applies exclusions to articles found through a child topic too', async () => {
    const app = await archive([
      { title: '갤럭시 S26 판매 호조', body: '갤럭시 S26 판매량이 늘었다.' },
      { title: '갤럭시 워치 신제품', body: '갤럭시 워치가 XR 기기와 연동된다.' },
    ]);
    expect((await titles(app, 'samsung')).sort()).toEqual(['갤럭시 S26 판매 호조', '갤럭시 워치 신제품']);
    expect(await titles(app, 'samsung -xr')).toEqual(['갤럭시 S26 판매 호조']);
    expect(await titles(app, 'samsung -확장현실')).toEqual(['갤럭시 S26 판매 호조']);
    app.close();
  });

  it('matches plural forms of technology words in tags and text', async () => {
    const app = await archive([
      { title: 'Small language models get smaller', body: 'Several labs released language models for phones.' },
      { title: 'Weather report', body: 'Sunny all day.' },
    ]);
    expect(await titles(app, 'LLM')).toEqual(['Small language models get smaller']);
    expect(await titles(app, '거대언어모델')).toEqual(['Small language models get smaller']);
    app.close();
  });
});

describe('ranking', () => {
  it('puts a title match above a body mention, and an article about the topic above a passing mention', async () => {
    const app = await archive([
      { title: 'Chip market weekly', body: 'Prices rose. Nvidia was mentioned once.' },
      { title: 'Nvidia ships a new GPU', body: 'Nvidia said the GPU ships in March. Nvidia shares rose.' },
      {
        title: 'Memory prices climb',
        body: 'DRAM prices rose. Nvidia demand helped. Nvidia orders grew. Nvidia again.',
      },
    ]);
    expect(await titles(app, 'nvidia')).toEqual([
      'Nvidia ships a new GPU',
      'Memory prices climb',
      'Chip market weekly',
    ]);
    app.close();
  });

  it('prefers the newer of two equally good articles, and breaks exact ties by id', async () => {
    const app = await archive([
      { title: 'Nvidia earnings beat', body: 'Nvidia earnings beat.', publishedAt: '2026-11-20T09:00:00+09:00' },
      { title: 'Nvidia earnings miss', body: 'Nvidia earnings miss.', publishedAt: '2026-11-26T09:00:00+09:00' },
    ]);
    expect(await titles(app, 'nvidia')).toEqual(['Nvidia earnings miss', 'Nvidia earnings beat']);
    app.close();
  });

  it('spreads the first results over sources', async () => {
    const app = await archive([
      { title: 'Nvidia ships a new GPU', body: 'The GPU ships in March with 192 GB of memory.', source: 'Wire A' },
      {
        title: 'Nvidia opens a Seoul office',
        body: 'The office in Gangnam will hire 300 engineers.',
        source: 'Wire A',
      },
      {
        title: 'Nvidia signs a robot deal',
        body: 'Factory robots from Doosan will use Jetson boards.',
        source: 'Wire A',
      },
      {
        title: 'Nvidia earnings beat estimates',
        body: 'Quarterly revenue reached 57 billion dollars, above forecasts.',
        source: 'Wire B',
        publishedAt: '2026-11-26T07:00:00+09:00',
      },
    ]);
    const stories = new Set([1, 2, 3, 4].map((id) => app.store.stories.storyIds([id]).get(id)));
    expect(stories.size, 'the fixture holds four stories').toBe(4);
    const hits = (await searchArchive(app.storage, app.topics, parseQuery('nvidia'), { limit: 4, now: NOW })).hits;
    expect(hits.slice(0, 2).map((h) => h.article.sourceName)).toContain('Wire B');
    expect(hits).toHaveLength(4);
    app.close();
  });

  it('finds articles stored out of publication order inside a time window', async () => {
    const app = await archive([
      { title: 'Nvidia new', body: 'Nvidia today.', publishedAt: '2026-11-26T09:00:00+09:00' },
      { title: 'Nvidia old', body: 'Nvidia last month.', publishedAt: '2026-10-20T09:00:00+09:00' },
      { title: 'Nvidia newer', body: 'Nvidia tonight.', publishedAt: '2026-11-26T20:00:00+09:00' },
    ]);
    expect(await titles(app, 'nvidia 24h')).toEqual(['Nvidia newer', 'Nvidia new']);
    expect(await titles(app, 'nvidia until:2026-11-01')).toEqual(['Nvidia old']);
    expect(await titles(app, 'nvidia since:2026-12-01')).toEqual([]);
    app.close();
  });
});

describe('passing mentions', () => {
  const drafts: Draft[] = [
    {
      title: 'Apple cuts the Vision Pro price in Korea',
      body: 'Apple lowered the price of its headset. Apple said sales grew. Apple stores have stock.',
    },
    {
      title: 'Samsung starts HBM4 shipments',
      body: 'Samsung began shipping HBM4. Samsung said yields improved, as Apple did with its chips. Samsung shares rose.',
    },
    {
      title: 'Samsung and Apple trade places in phone sales',
      body: 'Samsung sold more phones than Apple this quarter, Samsung said.',
    },
  ];

  it('leaves out articles that name a company far less than another one, unless it is in the title', async () => {
    const app = await archive(drafts);
    const result = await searchArchive(app.storage, app.topics, parseQuery('apple'), { limit: 5, now: NOW });
    expect(result.hits.map((h) => h.article.title).sort()).toEqual([
      'Apple cuts the Vision Pro price in Korea',
      'Samsung and Apple trade places in phone sales',
    ]);
    expect(result.passingMentions).toBe(1);
    // The Samsung story is about Samsung: nothing passing there.
    expect(await titles(app, 'samsung')).toHaveLength(2);
    app.close();
  });

  it('does not count the named company’s own group or subsidiaries as another subject', async () => {
    const app = await archive([
      drafts[1] as Draft,
      {
        title: 'Group-wide restructuring announced in Seoul',
        body: 'Samsung Group named new heads. Samsung Group said the change was due. Samsung Group affiliates, Samsung included, agreed.',
      },
      {
        title: 'Conglomerates report results',
        body: 'LG Electronics, LG Display and LG Electronics again led the LG results, LG said.',
      },
    ]);
    const samsung = await searchArchive(app.storage, app.topics, parseQuery('samsung'), { limit: 5, now: NOW });
    expect(samsung.hits).toHaveLength(2);
    expect(samsung.passingMentions).toBe(0);
    expect(await titles(app, 'lg')).toEqual(['Conglomerates report results']);
    app.close();
  });

  it('shows every mention for a quoted word, and passing mentions when nothing else is found', async () => {
    const app = await archive(drafts);
    expect(await titles(app, '"apple"')).toHaveLength(3);
    const only = await archive([drafts[1] as Draft]);
    const result = await searchArchive(only.storage, only.topics, parseQuery('apple'), { limit: 5, now: NOW });
    expect(result.hits.map((h) => h.article.title)).toEqual(['Samsung starts HBM4 shipments']);
    expect(result.passingMentions).toBe(0);
    app.close();
    only.close();
  });
});

describe('the storage search', () => {
  it('ranks only the most recently stored matches of a very common word (rankWindow)', async () => {
    const drafts = Array.from({ length: 8 }, (_, i) => ({ title: `Chip report ${i}`, body: `Chip news ${i}.` }));
    const app = await archive(drafts);
    const all = app.store.articles.search({ text: { all: [['chip']], none: [] }, limit: 10 });
    expect(all).toHaveLength(8);
    const windowed = app.store.articles.search({ text: { all: [['chip']], none: [] }, rankWindow: 3, limit: 3 });
    expect(windowed.map((c) => c.articleId).sort()).toEqual(
      all
        .map((c) => c.articleId)
        .sort((a, b) => b - a)
        .slice(0, 3)
        .sort(),
    );
    app.close();
  });

  it('reads the stories of many articles at once, leaving out unknown ones', async () => {
    const app = await archive([
      { title: 'Nvidia ships a new GPU', body: 'The GPU ships in March with 192 GB of memory.' },
      { title: '날씨 맑음', body: '전국이 맑겠다.' },
    ]);
    const stories = app.store.stories.storyIds([1, 2, 999]);
    expect([...stories.keys()].sort()).toEqual([1, 2]);
    for (const id of [1, 2]) expect(stories.get(id)).toBe(app.store.stories.membership(id)?.storyId);
    expect(stories.get(1)).not.toBe(stories.get(2));
    expect(app.store.stories.storyIds([]).size).toBe(0);
    app.close();
  });

  it('scores a title match three times a body match, and tag-only matches 0', async () => {
    const app = await archive([
      { title: 'Nvidia ships', body: 'A new GPU.' },
      { title: 'Market wrap', body: 'Nvidia rose.' },
      { title: '젠슨 황 방한', body: '젠슨 황이 서울을 찾았다.' },
    ]);
    const candidates = app.store.articles.search({
      text: { all: [['nvidia', '엔비디아']], none: [], allTopics: ['nvidia'] },
      limit: 10,
    });
    expect(candidates.map((c) => c.textScore)).toEqual([1, 1 / 3, 0]);
    app.close();
  });
});

describe('results are stories', () => {
  /** One event told by several outlets in both languages: the clusterer makes one story of them. */
  const galaxy: Draft[] = [
    {
      title: '삼성전자, 갤럭시 오프라인 통역 업데이트…20개 언어 지원',
      body:
        '삼성전자가 갤럭시 AI 통역 기능을 인터넷 연결 없이 쓸 수 있게 하는 업데이트를 26일 배포했다. ' +
        '통역 모델은 휴대폰 안에서 돌아가며 20개 언어를 지원한다. 삼성전자는 개인정보 보호를 강점으로 내세웠다.',
      source: '한빛통신',
      publishedAt: '2026-11-26T08:00:00+09:00',
    },
    {
      title: 'Samsung brings offline Galaxy AI translation to 20 languages',
      body:
        'Samsung Electronics released an update on the 26th that lets Galaxy AI interpret calls without an internet ' +
        'connection. The translation model runs on the phone and supports 20 languages. Samsung stressed privacy.',
      source: 'The Circuit',
      lang: 'en',
      publishedAt: '2026-11-26T10:00:00+09:00',
    },
    {
      title: '갤럭시 AI 통역, 오프라인에서도 20개 언어…삼성전자 업데이트',
      body:
        '삼성전자가 갤럭시 AI 실시간 통역을 오프라인에서도 쓸 수 있게 했다. 26일 배포된 업데이트로 20개 언어를 ' +
        '휴대폰 안에서 통역한다. 삼성전자는 통화 내용이 서버로 가지 않는다고 설명했다.',
      source: '누리뉴스',
      publishedAt: '2026-11-26T09:00:00+09:00',
    },
  ];
  const others: Draft[] = [
    {
      title: '삼성전자, 평택 HBM4 양산 출하 시작',
      body: '삼성전자가 평택 캠퍼스에서 HBM4 양산 제품 출하를 시작했다. 주요 고객사 품질 검증을 통과했다.',
      source: '디지털투데이',
      publishedAt: '2026-11-25T09:00:00+09:00',
    },
    {
      title: 'Samsung Foundry wins a 2nm chip order',
      body: 'Samsung Foundry will make a 2nm inference chip for a North American startup from next year.',
      source: 'ByteDaily',
      lang: 'en',
      publishedAt: '2026-11-24T09:00:00+09:00',
    },
  ];

  function storyOf(app: SqliteApp, id: number): number | undefined {
    return app.store.stories.storyIds([id]).get(id);
  }

  it('folds the articles of one story into one result, with their other sources and languages', async () => {
    const app = await archive([...galaxy, ...others]);
    expect(new Set([1, 2, 3].map((id) => storyOf(app, id))).size, 'the fixture: one story').toBe(1);
    expect(new Set([1, 4, 5].map((id) => storyOf(app, id))).size, 'the fixture: three stories').toBe(3);
    const hits = (await searchArchive(app.storage, app.topics, parseQuery('samsung'), { limit: 5, now: NOW })).hits;
    expect(hits).toHaveLength(3);
    const stories = hits.map((h) => h.storyId);
    expect(new Set(stories).size).toBe(3);
    for (const hit of hits) expect(hit.storyId).toBe(storyOf(app, hit.article.id));
    const folded = hits.find((h) => h.storyId === storyOf(app, 1));
    const articles = [folded?.article, ...(folded?.copies ?? [])];
    expect(articles.map((a) => a?.sourceName).sort()).toEqual(['The Circuit', '누리뉴스', '한빛통신']);
    expect(new Set(articles.map((a) => a?.lang))).toEqual(new Set(['ko', 'en']));
    for (const query of ['삼성', '갤럭시 통역']) {
      const again = (await searchArchive(app.storage, app.topics, parseQuery(query), { limit: 5, now: NOW })).hits;
      expect(new Set(again.map((h) => h.storyId)).size, query).toBe(again.length);
    }
    app.close();
  });

  it('leads with the best-ranked article of the story, the others after it in rank order', async () => {
    const app = await archive([...galaxy, ...others]);
    const hits = (await searchArchive(app.storage, app.topics, parseQuery('samsung'), { limit: 5, now: NOW })).hits;
    const hit = hits.find((h) => h.storyId === storyOf(app, 1));
    // Each names Samsung in its title and body at least twice: recency decides, the newest first.
    const ranked = [hit?.article, ...(hit?.copies ?? [])].map((a) => a?.sourceName);
    expect(ranked).toEqual(['The Circuit', '누리뉴스', '한빛통신']);
    expect(hits[0]).toBe(hit);
    app.close();
  });

  it('puts the wire copies of the leading article right after it, the original leading them', async () => {
    const wire =
      '삼성전자가 갤럭시 AI 통역 기능을 인터넷 연결 없이 쓸 수 있게 하는 업데이트를 26일 배포했다. 통역 모델은 휴대폰 ' +
      '안에서 돌아가며 20개 언어를 지원한다. 삼성전자는 개인정보 보호를 강점으로 내세웠다. 업데이트는 갤럭시 S26과 ' +
      '폴드8부터 순차 적용되며, 내년 상반기에는 구형 모델로 넓어진다.';
    const app = await archive([
      { ...(galaxy[1] as Draft), publishedAt: '2026-11-26T07:00:00+09:00' },
      { title: galaxy[0]?.title ?? '', body: wire, source: '한빛통신', publishedAt: '2026-11-26T08:00:00+09:00' },
      {
        title: galaxy[0]?.title ?? '',
        body: `${wire}\n누리뉴스 제공`,
        source: '누리뉴스',
        publishedAt: '2026-11-26T11:00:00+09:00',
      },
      {
        title: galaxy[0]?.title ?? '',
        body: `${wire}\n테크플러스`,
        source: '테크플러스',
        publishedAt: '2026-11-26T10:00:00+09:00',
      },
    ]);
    expect(new Set([1, 2, 3, 4].map((id) => storyOf(app, id))).size, 'the fixture: one story').toBe(1);
    const hits = (await searchArchive(app.storage, app.topics, parseQuery('삼성전자 통역'), { limit: 5, now: NOW }))
      .hits;
    expect(hits).toHaveLength(1);
    const order = [hits[0]?.article, ...(hits[0]?.copies ?? [])].map((a) => a?.sourceName);
    // The newest wire copy ranks best; its copies come with it, earliest (the original) first.
    expect(order).toEqual(['한빛통신', '테크플러스', '누리뉴스', 'The Circuit']);
    app.close();
  });

  it('fills every result with a different story when one story has many more articles', async () => {
    const big = Array.from({ length: 14 }, (_, i) => ({
      ...(galaxy[i % 3] as Draft),
      body: `${galaxy[i % 3]?.body ?? ''}\n(${i + 1}) 매체 ${i + 1} 정리.`,
      source: `매체 ${i + 1}`,
      publishedAt: `2026-11-26T${String(10 + (i % 10)).padStart(2, '0')}:00:00+09:00`,
    }));
    const older: Draft[] = [
      ...others,
      {
        title: '삼성전자, 스마트싱스 요금제 개편',
        body: '삼성전자가 스마트싱스 유료 요금제를 두 가지로 나눴다. 가정용은 월 3900원이다.',
        publishedAt: '2026-11-20T09:00:00+09:00',
      },
      {
        title: 'Samsung names a new head of its TV business',
        body: 'Samsung Electronics appointed a new president for its visual display unit, effective in December.',
        lang: 'en',
        publishedAt: '2026-11-19T09:00:00+09:00',
      },
      {
        title: '삼성전자 노사, 임금협상 잠정 합의',
        body: '삼성전자 노사가 올해 임금협상에서 평균 5.1% 인상에 잠정 합의했다.',
        publishedAt: '2026-11-18T09:00:00+09:00',
      },
    ];
    const app = await archive([...big, ...older]);
    expect(new Set(big.map((_, i) => storyOf(app, i + 1))).size, 'the fixture: one big story').toBe(1);
    const hits = (await searchArchive(app.storage, app.topics, parseQuery('samsung'), { limit: 5, now: NOW })).hits;
    expect(hits).toHaveLength(5);
    expect(new Set(hits.map((h) => h.storyId)).size).toBe(5);
    const bigHit = hits.find((h) => h.storyId === storyOf(app, 1));
    expect(bigHit?.copies.length).toBeGreaterThanOrEqual(5);
    app.close();
  });
});

describe('passing mentions in stories', () => {
  const hynix = (source: string, hour: number, extra: string): Draft => ({
    title: `SK hynix signs a multi-year HBM4 supply deal with Nvidia ${extra}`,
    body:
      'SK hynix said on Tuesday it signed a multi-year contract to supply 12-layer HBM4 memory to Nvidia. ' +
      'SK hynix shares hit a record. SK hynix will expand its Cheongju line, and SK hynix expects HBM sales to ' +
      `double next year. Samsung is still qualifying its chips. ${extra}`,
    source,
    lang: 'en',
    publishedAt: `2026-11-24T${String(hour).padStart(2, '0')}:00:00+09:00`,
  });

  it('leaves out a story that mostly mentions the company in passing, even when one headline names it', async () => {
    const app = await archive([
      hynix('Wire A', 9, ''),
      hynix('Wire B', 10, 'Investors cheered.'),
      hynix('Wire C', 11, 'Analysts raised targets.'),
      {
        ...hynix('Wire D', 12, 'It leaves Samsung behind.'),
        title: 'SK hynix signs a multi-year HBM4 supply deal with Nvidia, pulling ahead of Samsung',
      },
      {
        title: 'Samsung starts HBM4 shipments from Pyeongtaek',
        body: 'Samsung began volume shipments of HBM4. Samsung said yields improved and Samsung shares rose.',
        source: 'Wire E',
        lang: 'en',
        publishedAt: '2026-11-23T09:00:00+09:00',
      },
    ]);
    const storyOf = (id: number) => app.store.stories.storyIds([id]).get(id);
    expect(new Set([1, 2, 3, 4].map(storyOf)).size, 'the fixture: one SK hynix story').toBe(1);
    expect(storyOf(5)).not.toBe(storyOf(1));
    const result = await searchArchive(app.storage, app.topics, parseQuery('samsung'), { limit: 5, now: NOW });
    expect(result.hits.map((h) => h.article.title)).toEqual(['Samsung starts HBM4 shipments from Pyeongtaek']);
    expect(result.passingMentions).toBe(1);
    // Quoted, every mention counts: the SK hynix story comes back, led by the article naming Samsung in its title.
    const quoted = await searchArchive(app.storage, app.topics, parseQuery('"samsung"'), { limit: 5, now: NOW });
    expect(quoted.hits).toHaveLength(2);
    app.close();
  });
});
