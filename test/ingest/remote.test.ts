import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import { openApp, type SqliteApp } from '../../src/app.ts';
import { HttpFetcher } from '../../src/fetch/httpFetcher.ts';
import { SCHEDULE } from '../../src/ingest/fetchSchedule.ts';
import { type FeedSource, feedKey, RemoteIngestor } from '../../src/ingest/remote.ts';
import { useServers } from '../fetch/testServer.ts';
import { useTempDir } from '../helpers/tempDir.ts';
import { articlePage, FULL_PARAGRAPHS, rssFeed } from './remoteFixtures.ts';

const tempDir = useTempDir();
const startServer = useServers();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const NOW = new Date('2026-11-26T00:00:00Z');
const minutesAfter = (at: Date, minutes: number) => new Date(at.getTime() + minutes * 60_000);

interface Harness {
  app: SqliteApp;
  remote: RemoteIngestor;
}

function harness(feeds: FeedSource[] = [], options: { timeoutMs?: number } = {}): Harness {
  const app = openApp({ dbPath: join(tempDir(), 'nb.db'), configPath: null });
  const fetcher = new HttpFetcher({ allowAddresses: ['127.0.0.1'], timeoutMs: options.timeoutMs ?? 5_000 });
  cleanups.push(
    () => app.close(),
    () => fetcher.close(),
  );
  // random 0: backoff without jitter, so its growth can be asserted exactly
  const remote = new RemoteIngestor(app.storage, app.ingestor, { fetcher, feeds, random: () => 0 });
  return { app, remote };
}

function fullFeed(origin: string, extra: { ttl?: number } = {}) {
  return rssFeed({
    title: 'The Circuit',
    link: `${origin}/`,
    ...extra,
    items: [
      {
        title: 'Hanbit starts HBM5 production early',
        link: `${origin}/a/hbm5`,
        pubDate: 'Wed, 25 Nov 2026 09:00:00 +0900',
        description: FULL_PARAGRAPHS.join('\n\n'),
      },
      {
        title: 'Hanbit shares rise',
        link: `${origin}/a/shares`,
        pubDate: 'Wed, 25 Nov 2026 10:00:00 +0900',
        description: [...FULL_PARAGRAPHS].reverse().join('\n\n'),
      },
    ],
  });
}

describe('RemoteIngestor', () => {
  it('stores a fetched feed and keeps its validators and next fetch time', async () => {
    const server = await startServer();
    server.route('/feed.xml', {
      headers: {
        'content-type': 'application/rss+xml',
        etag: '"abc"',
        'last-modified': 'Wed, 25 Nov 2026 01:00:00 GMT',
      },
      body: fullFeed(server.origin),
    });
    const { app, remote } = harness();
    const url = server.url('/feed.xml');
    const result = await remote.ingestUrl(url, NOW);
    expect(result).toMatchObject({ kind: 'feed', status: 'fetched', error: null });
    expect(result.outcomes.map((o) => o.status)).toEqual(['added', 'added']);
    const source = app.store.sources.findByKey(feedKey(url));
    expect(source).toMatchObject({
      name: 'The Circuit',
      kind: 'feed',
      etag: '"abc"',
      lastModified: 'Wed, 25 Nov 2026 01:00:00 GMT',
      lastSuccessAt: NOW.toISOString(),
      consecutiveFailures: 0,
      nextFetchAt: minutesAfter(NOW, SCHEDULE.defaultIntervalSeconds / 60).toISOString(),
    });
    // Full bodies: no page fetched.
    expect(server.hits('/a/hbm5')).toHaveLength(0);
  });

  it.each([
    ['ETag', { etag: '"v7"' }, 'if-none-match', '"v7"'],
    [
      'Last-Modified',
      { 'last-modified': 'Wed, 25 Nov 2026 01:00:00 GMT' },
      'if-modified-since',
      'Wed, 25 Nov 2026 01:00:00 GMT',
    ],
  ])(
    'answers a 304 by %s with nothing stored and the validator sent',
    async (_name, validator, sentHeader, sentValue) => {
      const server = await startServer();
      const body = fullFeed(server.origin);
      server.route('/feed.xml', (req, res) => {
        if (req.headers[sentHeader] === sentValue) res.writeHead(304, validator).end();
        else res.writeHead(200, { 'content-type': 'application/rss+xml', ...validator }).end(body);
      });
      const feed = { url: server.url('/feed.xml'), name: 'Circuit feed' };
      const { app, remote } = harness([feed]);
      await remote.refreshFeed(feed, NOW);
      const before = app.store.articles.listPublishedBetween('2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z');
      const later = minutesAfter(NOW, 45);
      const second = await remote.refreshFeed(feed, later);
      expect(second).toMatchObject({ status: 'not-modified', outcomes: [] });
      const [, again] = server.hits('/feed.xml');
      expect(again?.headers[sentHeader]).toBe(sentValue);
      expect(app.store.articles.listPublishedBetween('2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z')).toEqual(before);
      expect(app.store.sources.findByKey(feedKey(feed.url))).toMatchObject({
        name: 'Circuit feed',
        lastSuccessAt: later.toISOString(),
        nextFetchAt: minutesAfter(later, 30).toISOString(),
      });
    },
  );

  it('decodes an EUC-KR feed by its Content-Type header, which outranks a wrong XML declaration', async () => {
    const server = await startServer();
    // RFC 7303: the HTTP charset wins over the declaration; read as ISO-8859-1 this feed would be mojibake.
    const xml = rssFeed({
      encoding: 'ISO-8859-1',
      title: '한빛경제 IT',
      link: `${server.origin}/`,
      items: [
        {
          title: '한빛반도체, 5세대 HBM 양산 앞당겨',
          link: `${server.origin}/news/1`,
          pubDate: '2026-11-25 오후 11:23:17',
          description: `${'한빛반도체가 5세대 고대역폭메모리 양산을 예정보다 두 분기 앞당겼다고 25일 밝혔다. '.repeat(20)}`,
        },
      ],
    });
    server.route('/rss.xml', {
      headers: { 'content-type': 'text/xml; charset=euc-kr' },
      body: iconv.encode(xml, 'euc-kr'),
    });
    const { app, remote } = harness();
    const result = await remote.ingestUrl(server.url('/rss.xml'), NOW);
    expect(result.outcomes.map((o) => o.status)).toEqual(['added']);
    const stored = app.store.articles.get(result.outcomes[0]?.articleId ?? -1);
    expect(stored?.title).toBe('한빛반도체, 5세대 HBM 양산 앞당겨');
    expect(stored?.sourceName).toBe('한빛경제 IT');
    expect(stored?.publishedAt).toBe('2026-11-25T14:23:17Z');
    expect(JSON.stringify(stored)).not.toContain('\ufffd');
  });

  it('fetches the page of a teaser item and stores its full text under the item, with the feed metadata', async () => {
    const server = await startServer();
    server.route('/feed.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      body: rssFeed({
        title: 'The Circuit',
        link: `${server.origin}/`,
        items: [
          {
            title: 'Hanbit starts HBM5 production early',
            link: `${server.origin}/a/hbm5?utm_source=rss`,
            pubDate: 'Wed, 25 Nov 2026 09:00:00 +0900',
            description: 'Hanbit Semiconductor said it had started mass production of its fifth-generation memory […]',
          },
        ],
      }),
    });
    server.route('/a/hbm5', {
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: articlePage({
        title: 'Hanbit starts HBM5 production early',
        paragraphs: FULL_PARAGRAPHS,
        byline: 'Jane Doe',
      }),
    });
    const feed = { url: server.url('/feed.xml') };
    const { app, remote } = harness([feed]);
    const result = await remote.refreshFeed(feed, NOW);
    expect(result.outcomes.map((o) => o.status)).toEqual(['added', 'updated']);
    expect(app.store.articles.count()).toBe(1);
    const stored = app.store.articles.findByKey(`${server.origin}/a/hbm5`);
    expect(stored?.paragraphs.join('\n')).toContain('Shares of the company rose three percent');
    expect(stored?.paragraphs.join('\n')).not.toContain('[…]');
    expect(stored?.publishedAt).toBe('2026-11-25T00:00:00Z');
    expect(stored?.title).toBe('Hanbit starts HBM5 production early');
    expect(server.hits('/a/hbm5')).toHaveLength(1);

    // The next fetch finds the same item: its stored text is full now, so the page is not fetched again.
    await remote.refreshFeed(feed, minutesAfter(NOW, 30));
    expect(server.hits('/a/hbm5')).toHaveLength(1);
  });

  it('keeps the teaser when the page cannot be fetched, and says so once', async () => {
    const server = await startServer();
    server.route('/feed.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      body: rssFeed({
        title: 'The Circuit',
        link: `${server.origin}/`,
        items: [{ title: 'Short', link: `${server.origin}/a/missing`, description: 'Only a teaser…' }],
      }),
    });
    const { app, remote } = harness();
    const result = await remote.ingestUrl(server.url('/feed.xml'), NOW);
    expect(result.status).toBe('fetched');
    expect(result.outcomes.map((o) => [o.status, o.error])).toEqual([
      ['added', undefined],
      ['failed', 'page not fetched: HTTP 404'],
    ]);
    expect(app.store.articles.findByKey(`${server.origin}/a/missing`)?.paragraphs).toEqual(['Only a teaser…']);
  });

  it('records failures with growing backoff and leaves stored articles untouched', async () => {
    const server = await startServer();
    let status = 200;
    server.route('/feed.xml', (_req, res) => {
      if (status === 200) res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(fullFeed(server.origin));
      else res.writeHead(status).end('down');
    });
    const feed = { url: server.url('/feed.xml') };
    const { app, remote } = harness([feed]);
    await remote.refreshFeed(feed, NOW);
    const stored = app.store.articles.listPublishedBetween('2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z');
    expect(stored).toHaveLength(2);

    const key = feedKey(feed.url);
    const waits: number[] = [];
    let at = NOW;
    for (const failing of [500, 404, 500]) {
      status = failing;
      at = minutesAfter(at, 60);
      const result = await remote.refreshFeed(feed, at);
      expect(result).toMatchObject({ status: 'failed', error: `HTTP ${failing}` });
      const source = app.store.sources.findByKey(key);
      expect(source?.lastError).toBe(`HTTP ${failing}`);
      waits.push((Date.parse(source?.nextFetchAt ?? '') - at.getTime()) / 60_000);
    }
    expect(waits).toEqual([5, 10, 20]);
    expect(app.store.sources.findByKey(key)?.consecutiveFailures).toBe(3);
    expect(app.store.sources.findByKey(key)?.lastSuccessAt).toBe(NOW.toISOString());
    expect(app.store.articles.listPublishedBetween('2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z')).toEqual(stored);

    status = 200;
    await remote.refreshFeed(feed, minutesAfter(at, 30));
    expect(app.store.sources.findByKey(key)).toMatchObject({ consecutiveFailures: 0, lastError: null });
  });

  it('honours the feed ttl and Cache-Control within bounds', async () => {
    const server = await startServer();
    server.route('/ttl.xml', { body: fullFeed(server.origin, { ttl: 120 }) });
    server.route('/short.xml', { headers: { 'cache-control': 'max-age=60' }, body: fullFeed(server.origin) });
    server.route('/week.xml', { body: fullFeed(server.origin, { ttl: 10_080 }) });
    server.route('/both.xml', {
      headers: { 'cache-control': 'public, max-age=5400' },
      body: fullFeed(server.origin, { ttl: 60 }),
    });
    const { remote } = harness();
    const minutesUntilNext = async (path: string) => {
      const result = await remote.ingestUrl(server.url(path), NOW);
      return (Date.parse(result.nextFetchAt ?? '') - NOW.getTime()) / 60_000;
    };
    expect(await minutesUntilNext('/ttl.xml')).toBe(120);
    expect(await minutesUntilNext('/short.xml')).toBe(5);
    expect(await minutesUntilNext('/week.xml')).toBe(6 * 60);
    expect(await minutesUntilNext('/both.xml')).toBe(90);
  });

  it('refreshes only due feeds, and one failing feed stops none of the others', async () => {
    const server = await startServer();
    server.route('/good.xml', { headers: { 'content-type': 'application/rss+xml' }, body: fullFeed(server.origin) });
    server.route('/broken.xml', { status: 500, body: 'oops' });
    server.route('/slow.xml', () => {
      // never answers: the timeout ends it
    });
    server.route('/html', {
      headers: { 'content-type': 'text/html' },
      body: articlePage({ title: 'Home', paragraphs: ['Hello.'] }),
    });
    const feeds = ['/broken.xml', '/slow.xml', '/html', '/good.xml'].map((path) => ({ url: server.url(path) }));
    const { app, remote } = harness([...feeds, { url: server.url('/good.xml') }], { timeoutMs: 500 });

    const first = await remote.refreshDueSources(NOW);
    expect(first.sources.map((s) => [s.url.replace(server.origin, ''), s.status, s.error])).toEqual([
      ['/broken.xml', 'failed', 'HTTP 500'],
      ['/slow.xml', 'failed', 'no complete answer within 0.5 s'],
      ['/html', 'failed', 'not a feed: the URL serves an HTML page'],
      ['/good.xml', 'fetched', null],
    ]);
    expect(first.report.counts).toMatchObject({ added: 2, failed: 3 });
    expect(app.store.articles.count()).toBe(2);
    expect(server.hits('/good.xml')).toHaveLength(1);

    // Ten minutes on: the failed feeds are due again (5-minute backoff), the good one is not (30 minutes).
    const second = await remote.refreshDueSources(minutesAfter(NOW, 10));
    expect(second.notDue).toBe(1);
    expect(second.sources.map((s) => s.url.replace(server.origin, ''))).toEqual(['/broken.xml', '/slow.xml', '/html']);
    expect(server.hits('/good.xml')).toHaveLength(1);

    const third = await remote.refreshDueSources(minutesAfter(NOW, 12));
    expect([third.sources.length, third.notDue]).toEqual([0, 4]);
  });

  it('stores a page URL as an article of its site, and follows a moved feed', async () => {
    const server = await startServer();
    server.route('/a/hbm5', {
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: articlePage({
        title: 'Hanbit starts HBM5 production early',
        paragraphs: FULL_PARAGRAPHS,
        byline: 'Jane Doe',
      }),
    });
    server.route('/old-feed', { status: 301, headers: { location: '/feed.xml' } });
    server.route('/feed.xml', { headers: { 'content-type': 'application/rss+xml' }, body: fullFeed(server.origin) });
    const { app, remote } = harness();
    const page = await remote.ingestUrl(server.url('/a/hbm5'), NOW);
    expect(page).toMatchObject({ kind: 'page', status: 'fetched', nextFetchAt: null });
    expect(page.outcomes[0]).toMatchObject({ status: 'added', title: 'Hanbit starts HBM5 production early' });
    const stored = app.store.articles.get(page.outcomes[0]?.articleId ?? -1);
    expect(stored?.sourceName).toBe('The Circuit');
    expect(stored?.paragraphs).toHaveLength(4);

    server.route('/empty', {
      headers: { 'content-type': 'text/html' },
      body: '<html><body><nav>Home</nav></body></html>',
    });
    server.route('/image', { headers: { 'content-type': 'image/png' }, body: Buffer.from([0x89, 0x50, 0x4e, 0x47]) });
    expect((await remote.ingestUrl(server.url('/empty'), NOW)).error).toBe('no article text found on the page');
    expect((await remote.ingestUrl(server.url('/image'), NOW)).error).toBe(
      'neither a feed nor an HTML page (image/png)',
    );

    const moved = await remote.ingestUrl(server.url('/old-feed'), NOW);
    expect(moved.status).toBe('fetched');
    // The article stored from its page keeps its text and gains the feed's publication time.
    expect(moved.outcomes.map((o) => o.status)).toEqual(['updated', 'added']);
    expect(app.store.articles.get(stored?.id ?? -1)).toMatchObject({
      paragraphs: stored?.paragraphs,
      publishedAt: '2026-11-25T00:00:00Z',
    });
    expect(app.store.sources.findByKey(feedKey(server.url('/old-feed')))?.kind).toBe('feed');
  });
});
