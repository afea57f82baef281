import { describe, expect, it } from 'vitest';
import { parseNewsCommand } from '../../src/commands/command.ts';
import { discoverFeedLinks } from '../../src/ingest/feedDiscovery.ts';

describe('discoverFeedLinks', () => {
  it('reads the feed links of pages laid out as WordPress, Ghost, Blogger and a Korean news site lay them out', () => {
    const wordpress = `<head><link rel='dns-prefetch' href='//s.w.org' />
<link rel="alternate" type="application/rss+xml" title="Tech Blog &raquo; Feed" href="https://blog.example/feed/" />
<link rel="alternate" type="application/rss+xml" title="Tech Blog &raquo; Comments Feed" href="https://blog.example/comments/feed/" />
<link rel="alternate" type="application/json+oembed" href="https://blog.example/wp-json/oembed/1.0/embed?url=x" /></head>`;
    expect(discoverFeedLinks(wordpress, 'https://blog.example/2026/11/post/')).toEqual([
      'https://blog.example/feed/',
      'https://blog.example/comments/feed/',
    ]);
    const ghost = '<link rel="alternate" type="application/rss+xml" title="Ghost" href="https://ghost.example/rss/">';
    expect(discoverFeedLinks(ghost, 'https://ghost.example/')).toEqual(['https://ghost.example/rss/']);
    const blogger = `<link rel="alternate" type="application/atom+xml" title="B - Atom" href="https://b.example/feeds/posts/default" />
<link rel="alternate" type="application/rss+xml" title="B - RSS" href="https://b.example/feeds/posts/default?alt=rss" />`;
    // RSS before Atom, whatever the order on the page
    expect(discoverFeedLinks(blogger, 'https://b.example/')).toEqual([
      'https://b.example/feeds/posts/default?alt=rss',
      'https://b.example/feeds/posts/default',
    ]);
    const korean = `<HEAD><META charset="utf-8"><TITLE>테크뉴스</TITLE>
<LINK REL="alternate" TYPE="application/feed+json" HREF="/rss/allArticle.json">
<link rel=alternate type=application/rss+xml href=/rss/allArticle.xml></HEAD>`;
    expect(discoverFeedLinks(korean, 'https://news.example.kr/news/articleView.html?idxno=1')).toEqual([
      'https://news.example.kr/rss/allArticle.xml',
      'https://news.example.kr/rss/allArticle.json',
    ]);
  });

  it('resolves relative and entity-encoded hrefs, reads rel token lists and types with parameters', () => {
    const page = `<link href="feed.xml?a=1&amp;b=2" type="application/rss+xml; charset=utf-8" rel="nofollow alternate">
<link rel="alternate" type="application/atom+xml" href='../atom.xml'>`;
    expect(discoverFeedLinks(page, 'https://x.example/blog/index.html')).toEqual([
      'https://x.example/blog/feed.xml?a=1&b=2',
      'https://x.example/atom.xml',
    ]);
  });

  it('ignores other schemes, other link kinds, links with no href and pages without feeds', () => {
    const page = `<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
<link rel="alternate" type="application/rss+xml" href="file:///etc/passwd">
<link rel="alternate" type="application/rss+xml">
<link rel="stylesheet" type="application/rss+xml" href="/not-a-feed.xml">
<link rel="alternate" hreflang="ko" href="https://x.example/ko/">`;
    expect(discoverFeedLinks(page, 'https://x.example/')).toEqual([]);
    expect(discoverFeedLinks('<html><body>no head at all</body></html>', 'https://x.example/')).toEqual([]);
    expect(
      discoverFeedLinks('<link rel="alternate" type="application/rss+xml" href="http://[bad">', 'https://x.example/'),
    ).toEqual([]);
  });

  it('reads only the head of a huge page, quickly', () => {
    const huge = `${'<div>'.repeat(200_000)}<link rel="alternate" type="application/rss+xml" href="/late.xml">`;
    const started = performance.now();
    expect(discoverFeedLinks(huge, 'https://x.example/')).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('sources add with a backlog choice', () => {
  it('takes only new items unless asked for the last N, in either language, and lets in a backlog later', () => {
    const url = 'https://feeds.example/rss.xml';
    expect(parseNewsCommand(`sources add ${url}`)).toEqual({ kind: 'sources', action: 'add', url, backlog: 0 });
    expect(parseNewsCommand(`sources add ${url} new`)).toEqual({ kind: 'sources', action: 'add', url, backlog: 0 });
    expect(parseNewsCommand(`sources add ${url} last 3`)).toEqual({ kind: 'sources', action: 'add', url, backlog: 3 });
    expect(parseNewsCommand(`소스 추가 ${url} 최근 5`)).toEqual({ kind: 'sources', action: 'add', url, backlog: 5 });
    expect(parseNewsCommand(`sources add ${url} last:4`)).toEqual({ kind: 'sources', action: 'add', url, backlog: 4 });
    expect(parseNewsCommand('sources backlog 12 3')).toEqual({
      kind: 'sources',
      action: 'backlog',
      source: 12,
      count: 3,
    });
    for (const wrong of [
      `sources add ${url} last`,
      `sources add ${url} last 21`,
      `sources add ${url} some`,
      `sources add ${url} last 3 more`,
      'sources add ftp://x.example/feed',
      'sources backlog 12',
      'sources backlog x 3',
      'sources backlog 12 0',
      `sources remove ${url} now`,
      'sources list everything',
    ]) {
      expect(parseNewsCommand(wrong)).toMatchObject({ kind: 'invalid', notice: { code: 'usageSources' } });
    }
  });
});
