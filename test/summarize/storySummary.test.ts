import { describe, expect, it } from 'vitest';
import { type SummaryArticle, summarizeStory, summarizeTopic } from '../../src/summarize/storySummary.ts';
import { cosine, inverseDocumentFrequency, tfidf } from '../../src/summarize/tfidf.ts';
import { summaryTokens } from '../../src/summarize/tokens.ts';

const WIRE: SummaryArticle = {
  id: 1,
  title: '삼성전자·메타, XR 헤드셋 공동 개발…"2027년 하반기 출시"',
  lang: 'ko',
  paragraphs: [
    '[서울=한빛통신] 김하늘 기자 = 삼성전자와 메타가 확장현실(XR) 헤드셋을 함께 만든다.',
    '두 회사는 2027년 하반기 첫 제품 출시를 목표로 공동 개발 체계를 꾸리기로 했다.',
    '삼성전자가 헤드셋을 살펴보고 있다. (사진=삼성전자 제공) 2026.11.23.',
    '새 헤드셋에는 삼성디스플레이가 개발한 마이크로 OLED가 들어간다.',
    '김하늘 기자 sky@hanbit.example',
  ],
};
const FOLLOW_UP: SummaryArticle = {
  id: 2,
  title: '삼성-메타 XR 동맹에 부품사 들썩',
  lang: 'ko',
  paragraphs: [
    '삼성전자와 메타가 확장현실(XR) 헤드셋 공동 개발에 나서면서 국내 부품 생태계가 분주해졌다.',
    '마이크로 OLED를 만드는 삼성디스플레이와 카메라 모듈 업체들의 투자가 늘어날 전망이다.',
    '삼성전자와 메타는 2027년 하반기 첫 제품을 내놓는다.',
  ],
};
const ENGLISH: SummaryArticle = {
  id: 3,
  title: 'Samsung and Meta will build an XR headset together',
  lang: 'en',
  paragraphs: [
    'Samsung Electronics and Meta will jointly develop a premium XR headset, aiming for a launch in the second half of 2027.',
    'Samsung will design and build the device, while Meta supplies its Horizon OS.',
  ],
};

const sourceText = (articles: SummaryArticle[], id: number) =>
  articles
    .find((a) => a.id === id)
    ?.paragraphs.join(' ')
    .replace(/\s+/g, ' ') ?? '';

describe('summarizeStory', () => {
  it('takes sentences across the sources, each traceable to the article it came from', () => {
    const articles = [WIRE, FOLLOW_UP];
    const summary = summarizeStory(articles, { sentences: 3 });
    expect(summary.length).toBeGreaterThanOrEqual(2);
    expect(summary[0]).toEqual({ text: '삼성전자와 메타가 확장현실(XR) 헤드셋을 함께 만든다.', articleId: 1 });
    for (const sentence of summary) expect(sourceText(articles, sentence.articleId)).toContain(sentence.text);
    expect(new Set(summary.map((s) => s.articleId)).size).toBe(2);
  });

  it('never repeats itself: of two sources saying the same thing, one sentence is kept', () => {
    const summary = summarizeStory([WIRE, FOLLOW_UP], { sentences: 5 }).map((s) => s.text);
    const tokens = summary.map(summaryTokens);
    const idf = inverseDocumentFrequency(tokens);
    const vectors = tokens.map((t) => tfidf(t, idf));
    for (let i = 0; i < vectors.length; i++) {
      for (let j = i + 1; j < vectors.length; j++) {
        expect(cosine(vectors[i] as Map<string, number>, vectors[j] as Map<string, number>)).toBeLessThan(0.5);
      }
    }
  });

  it('never picks captions, datelines or bylines', () => {
    const text = summarizeStory([WIRE, FOLLOW_UP], { sentences: 10 })
      .map((s) => s.text)
      .join('\n');
    expect(text).not.toMatch(/사진=|2026\.11\.23|@|한빛통신\]/);
  });

  it('summarizes from the articles in the reader’s language when the story has some', () => {
    const korean = summarizeStory([ENGLISH, WIRE, FOLLOW_UP], { lang: 'ko' });
    expect(korean.every((s) => s.articleId !== 3)).toBe(true);
    const english = summarizeStory([WIRE, ENGLISH], { lang: 'en' });
    expect(english.map((s) => s.articleId)).toEqual([3, 3]);
    // no article in the wanted language: the lead's language
    expect(summarizeStory([WIRE], { lang: 'en' })[0]?.articleId).toBe(1);
  });

  it('takes whole sentences verbatim from articles that end their Korean sentences without stops', () => {
    const unpunctuated: SummaryArticle = {
      id: 7,
      title: '삼성전자·메타, XR 헤드셋 공동 개발',
      lang: 'ko',
      paragraphs: [
        '[서울=한빛통신] 김하늘 기자 = 삼성전자와 메타가 확장현실(XR) 헤드셋을 함께 만든다 두 회사는 2027년 하반기 ' +
          '첫 제품 출시를 목표로 공동 개발 체계를 꾸리기로 했다 새 헤드셋의 무게는 350g이다',
        '노태문 사장은 "경쟁사보다 가볍다고 자신한다 가격도 합리적일 것이다"라고 말했다 업계는 부품 수요가 ' +
          '12.5% 늘 것으로 본다',
      ],
    };
    const sentences = summarizeStory([unpunctuated], { sentences: 3 });
    expect(sentences).toHaveLength(3);
    for (const { text, articleId } of sentences) {
      expect(articleId).toBe(7);
      expect(
        unpunctuated.paragraphs.some((p) => p.includes(text)),
        text,
      ).toBe(true);
      // A sentence, not a paragraph: at most one predicate outside quotes ends it.
      expect(unpunctuated.paragraphs).not.toContain(text);
      expect(text.replace(/"[^"]*"/g, '').match(/다\s/g) ?? []).toEqual([]);
    }
  });

  it('gives nothing for nothing', () => {
    expect(summarizeStory([])).toEqual([]);
    expect(summarizeStory([{ id: 9, title: 'x', paragraphs: [], lang: 'ko' }])).toEqual([]);
  });
});

describe('summarizeTopic', () => {
  const stories = [
    {
      storyKey: 'xr',
      lang: 'ko' as const,
      sentences: [
        { text: '삼성전자와 메타가 확장현실(XR) 헤드셋을 함께 만든다.', articleId: 1 },
        { text: '새 헤드셋에는 마이크로 OLED가 들어간다.', articleId: 1 },
      ],
    },
    {
      storyKey: 'hbm',
      lang: 'ko' as const,
      sentences: [{ text: '삼성전자가 HBM4 양산 출하를 시작했다.', articleId: 7 }],
    },
    {
      storyKey: 'galaxy',
      lang: 'en' as const,
      sentences: [{ text: 'Samsung made Galaxy AI translation work offline.', articleId: 9 }],
    },
  ];

  it('takes one sentence per story, in story order, each traceable to its story and article', () => {
    const summary = summarizeTopic(stories, { sentences: 3 });
    expect(summary.map((s) => s.storyKey)).toEqual(['xr', 'hbm', 'galaxy']);
    for (const sentence of summary) {
      const story = stories.find((s) => s.storyKey === sentence.storyKey);
      expect(story?.sentences).toContainEqual({ text: sentence.text, articleId: sentence.articleId });
    }
  });

  it('prefers stories in the reader’s language, and says nothing about a single story', () => {
    expect(summarizeTopic(stories, { sentences: 3, lang: 'ko' }).map((s) => s.storyKey)).toEqual(['xr', 'hbm']);
    expect(summarizeTopic(stories.slice(0, 1))).toEqual([]);
  });
});
