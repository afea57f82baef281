import type { ArticleRecord } from '../../../storage/repositories.ts';

/** A stored article's record: a Korean one about Samsung's XR headset, unless told otherwise. */
export function article(overrides: Partial<ArticleRecord> = {}): ArticleRecord {
  return {
    key: 'https://news.example/a/1',
    url: 'https://news.example/a/1',
    sourceId: null,
    sourceName: '한빛통신',
    title: '삼성전자, 새 XR 헤드셋 공개',
    deck: ['메타와 협력'],
    paragraphs: ['삼성전자가 메타와 함께 만든 XR 헤드셋을 공개했다.', 'Samsung unveiled a headset.'],
    byline: '김하늘 기자',
    lang: 'ko',
    publishedAt: '2026-11-26T09:10:00+09:00',
    updatedAt: null,
    contentHash: 'hash-1',
    ...overrides,
  };
}
