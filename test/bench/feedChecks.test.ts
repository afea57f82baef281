import { describe, expect, it } from 'vitest';
import { gofeedChecks, koreanFeedChecks, rssParserChecks } from '../../bench/quality/feedCorpora.ts';
import type { ParsedFeed } from '../../src/model.ts';

function feed(items: Partial<ParsedFeed['items'][number]>[], title: string | null = 'Feed'): ParsedFeed {
  return {
    format: 'rss',
    title,
    link: 'https://example.org/',
    language: 'en',
    items: items.map((i) => ({
      id: null,
      title: null,
      link: null,
      published: null,
      updated: null,
      author: null,
      summary: null,
      content: null,
      ...i,
    })),
  };
}

const failed = (checks: { name: string; ok: boolean }[]) => checks.filter((c) => !c.ok).map((c) => c.name);

describe('gofeedChecks', () => {
  it('checks only the expected fields newsbrief keeps, dates as instants', () => {
    const expected = {
      feedType: 'rss',
      title: 'Feed',
      items: [{ title: 'A', publishedParsed: '2004-01-01T19:48:21Z', author: { name: 'Jo', email: 'jo@x.org' } }],
    };
    const checks = gofeedChecks(expected, feed([{ title: 'A', published: '2004-01-01T19:48:21.000Z', author: 'Jo' }]));
    expect(checks.map((c) => c.name)).toEqual([
      'feed.title',
      'item[0].title',
      'item[0].published',
      'item[0].author.name',
    ]);
    expect(failed(checks)).toEqual([]);
    expect(failed(gofeedChecks(expected, feed([{ title: 'B' }])))).toEqual([
      'item[0].title',
      'item[0].published',
      'item[0].author.name',
    ]);
    expect(failed(gofeedChecks(expected, null))).toContain('parses');
  });
});

describe('rssParserChecks', () => {
  it("accepts the reference's undecoded entities, U+FFFD, relative links and milliseconds", () => {
    const expected = {
      feed: {
        title: 'Jornal de Not\ufffdcias',
        items: [{ title: 'Flat &#x0024;4300 1930ft<sup>2</sup>', link: '/a/1', isoDate: '2016-06-01T15:35:00.001Z' }],
      },
    };
    const actual = feed(
      [{ title: 'Flat $4300 1930ft2', link: 'https://example.org/a/1', published: '2016-06-01T15:35:00Z' }],
      'Jornal de Notícias',
    );
    expect(failed(rssParserChecks(expected, actual))).toEqual([]);
    const wrong = feed([{ title: 'Flat', link: 'https://example.org/b', published: null }], 'Jornal de Not\ufffdcias');
    expect(failed(rssParserChecks(expected, wrong))).toEqual([
      'feed.title',
      'item[0].title',
      'item[0].link',
      'item[0].date',
    ]);
  });

  it('checks the item count', () => {
    expect(failed(rssParserChecks({ feed: { items: [{}, {}] } }, feed([{}])))).toEqual(['items.count']);
  });
});

describe('koreanFeedChecks', () => {
  it('wants Hangul titles, no U+FFFD and dates when the feed has them', () => {
    const raw = Buffer.from('<rss><item><pubDate>x</pubDate></item></rss>', 'latin1');
    expect(
      failed(koreanFeedChecks(raw, feed([{ title: '삼성전자 실적', published: '2024-01-01T00:00:00Z' }]))),
    ).toEqual([]);
    expect(failed(koreanFeedChecks(raw, feed([{ title: 'Ã¼Ã\ufffd' }], null)))).toEqual([
      'hangul titles',
      'no U+FFFD',
      'dates',
    ]);
    expect(failed(koreanFeedChecks(raw, null))).toEqual(['parses']);
  });
});
