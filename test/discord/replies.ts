import type { Reply } from '../../src/commands/reply.ts';

/** A digest reply built by hand: `count` stories, each far over every limit when `long`. */
export function syntheticDigest(
  count: number,
  options: { long?: boolean; title?: (i: number) => string; otherTitle?: (i: number) => string } = {},
): Reply {
  const long = options.long ?? false;
  const stories = Array.from({ length: count }, (_, i) => ({
    key: `story-${i}`,
    title: options.title?.(i) ?? (long ? `Story ${i} ${'🚀긴제목'.repeat(100)}` : `Story ${i}`),
    titleTranslated: false,
    otherTitle: options.otherTitle
      ? { lang: 'ko', title: options.otherTitle(i) }
      : long
        ? { lang: 'ko', title: `다른 제목 ${i} ${'긴제목🚀'.repeat(100)}` }
        : null,
    summary: long ? [`Summary ${i} ${'문장이 길다. '.repeat(800)}`] : [`Summary ${i}.`],
    sentences: [],
    summaryBy: 'extractive' as const,
    topics: ['nvidia'],
    articles: Array.from({ length: long ? 40 : 1 }, (_, j) => ({
      id: i * 100 + j,
      title: `Story ${i}`,
      url: `https://example.com/${i}/${j}`,
      source: `Source ${j} ${long ? 'x'.repeat(60) : ''}`,
      publishedAt: '2026-11-26T00:00:00Z',
      lang: 'en',
      copyOf: null,
      isNew: true,
    })),
    status: 'new' as const,
    sources: long ? 40 : 1,
    otherArticles: 0,
    languages: ['en'],
    shownBefore: null,
    score: 1,
  }));
  return {
    kind: 'digest',
    digest: {
      window: { from: '2026-11-25T00:00:00Z', to: '2026-11-26T14:59:59Z' },
      stories,
      sections: [
        { topic: 'nvidia', summary: [], sentences: [], summaryBy: 'extractive', stories: stories.map((s) => s.key) },
      ],
      articleCount: count,
      storyCount: count,
      lang: null,
    },
    topicNames: { nvidia: 'NVIDIA' },
    lang: 'en',
    timeZone: 'Asia/Seoul',
  } as Reply;
}
