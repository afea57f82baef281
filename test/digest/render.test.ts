import { describe, expect, it } from 'vitest';
import { renderReply } from '../../adapters/console/render.ts';
import type { Reply } from '../../src/commands/reply.ts';
import type { Digest, DigestStory } from '../../src/digest/digest.ts';

function story(key: string, title: string, overrides: Partial<DigestStory> = {}): DigestStory {
  return {
    key,
    title,
    titleTranslated: false,
    otherTitle: null,
    summary: [`${title} 요약 문장이다.`],
    sentences: [{ text: `${title} 요약 문장이다.`, articleId: 1 }],
    summaryBy: 'extractive',
    topics: ['samsung-electronics'],
    articles: [
      {
        id: 1,
        title,
        url: `https://a.example/${key}`,
        source: '한빛통신',
        publishedAt: '2026-11-26T00:00:00Z',
        lang: 'ko',
        copyOf: null,
        isNew: true,
      },
    ],
    status: 'new',
    sources: 1,
    otherArticles: 0,
    languages: ['ko'],
    shownBefore: null,
    score: 1,
    ...overrides,
  };
}

const xr = story('xr', '삼성·메타 XR 헤드셋', {
  status: 'update',
  sources: 2,
  otherArticles: 3,
  articles: [
    ...story('xr', '삼성·메타 XR 헤드셋').articles,
    {
      id: 2,
      title: '삼성·메타 XR 헤드셋',
      url: 'https://b.example/xr',
      source: '누리뉴스',
      publishedAt: '2026-11-26T01:00:00Z',
      lang: 'ko',
      copyOf: 1,
      isNew: true,
    },
  ],
});
const hbm = story('hbm', '삼성 HBM4 출하');
const kakao = story('kakao', '카카오 새 모델\u001b[31m', { topics: ['kakao'] });

const digest: Digest = {
  window: { from: '2026-11-25T15:00:00Z', to: '2026-11-26T14:59:59Z' },
  stories: [xr, hbm, kakao],
  sections: [
    {
      topic: 'samsung-electronics',
      summary: ['삼성전자가 두 가지 소식을 냈다.'],
      sentences: [],
      summaryBy: 'extractive',
      stories: ['xr', 'hbm'],
    },
    { topic: null, summary: [], sentences: [], summaryBy: 'extractive', stories: ['kakao'] },
  ],
  articleCount: 4,
  storyCount: 3,
  lang: 'ko',
};
const reply: Reply = {
  kind: 'digest',
  lang: 'ko',
  timeZone: 'Asia/Seoul',
  digest,
  topicNames: { 'samsung-electronics': '삼성전자', kakao: '카카오' },
};

describe('the console digest', () => {
  it('renders sections with their summaries, then their stories numbered across sections', () => {
    const text = renderReply(reply, { color: false });
    const lines = text.split('\n');
    expect(lines[0]).toBe('오늘의 테크 뉴스 · 2026-11-26 · 기사 4건 중 3개 이야기');
    expect(text.indexOf('■ 삼성전자')).toBeLessThan(text.indexOf('1. 삼성·메타 XR 헤드셋'));
    expect(text).toContain('  삼성전자가 두 가지 소식을 냈다.');
    expect(text.indexOf('2. 삼성 HBM4 출하')).toBeLessThan(text.indexOf('■ 그 밖의 뉴스'));
    expect(text).toContain('3. 카카오 새 모델');
  });

  it('marks updates, independent sources and copies, and strips control characters', () => {
    const text = renderReply(reply, { color: false });
    expect(text).toContain('1. 삼성·메타 XR 헤드셋  [삼성전자]  (업데이트 · 2개 매체 · 이전 보도 3건)');
    expect(text).toContain('- 누리뉴스 · 2026-11-26 10:00 GMT+9 (전재)  https://b.example/xr');
    expect(text).not.toContain('\u001b');
  });

  it('says so when there is nothing new, in the digest’s language', () => {
    const empty = {
      ...reply,
      lang: 'en' as const,
      digest: { ...digest, stories: [], sections: [], lang: 'en' as const },
    };
    expect(renderReply(empty, { color: false })).toContain('Nothing new in this window.');
    expect(renderReply({ ...empty, lang: 'ko' }, { color: false })).toContain('이 기간에 새 소식이 없습니다.');
  });
});
