/**
 * Source faults, at the poller level over many rounds: one real SourcePoller over a RemoteIngestor, a real SQLite
 * file and real HTTP(S) servers on 127.0.0.1, one server per feed (one publisher each). Two steady feeds and one
 * feed per fault are polled together; each faulty feed answers well once, then fails three times in a row, then
 * works again. For every fault: the feed backs off by the fetchSchedule rules (Retry-After honoured), the steady
 * feeds are fetched every five minutes on the dot, every fetch is reported once, and no stored article, validator
 * or search result is lost or changed by a bad answer.
 *
 * Only setTimeout and Date are faked (the poller's timers and the clock it, the ingestor and the store read), so
 * 100 minutes of polling run in a few seconds; every request, socket, TLS handshake, timeout and SQLite write is
 * real. The fetch timeout (AbortSignal.timeout) runs on real time: 1.2 s here.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openApp, type SqliteApp } from '../../src/app.ts';
import { HttpFetcher } from '../../src/fetch/httpFetcher.ts';
import { SourcePoller } from '../../src/ingest/poller.ts';
import { type FeedSource, feedKey, RemoteIngestor, type SourceFetchOutcome } from '../../src/ingest/remote.ts';
import { parseQuery } from '../../src/search/query.ts';
import { searchArchive } from '../../src/search/search.ts';
import type { StoredArticle } from '../../storage/repositories.ts';
import { type Handler, type TestServer, useServers } from '../fetch/testServer.ts';
import { useTempDir } from '../helpers/tempDir.ts';
import { faultFeed, markerOf } from './feeds.ts';

const realSetTimeout = globalThis.setTimeout;
const realSleep = (ms: number) => new Promise<void>((resolve) => realSetTimeout(resolve, ms));

const tempDir = useTempDir();
const startServer = useServers();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const T0 = Date.parse('2026-11-26T00:00:00Z');
const MINUTE = 60_000;
const FETCH_TIMEOUT_MS = 1200;
/** Failed attempts each faulty feed serves before it works again. */
const FAULTY_ATTEMPTS = 3;
const RUN_MINUTES = 100;
const FEED_HEADERS = { 'content-type': 'application/rss+xml; charset=utf-8', 'cache-control': 'max-age=300' };

const openssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** A self-signed certificate for 127.0.0.1, made now (nothing trusts it). */
function selfSignedCert(dir: string): { key: Buffer; cert: Buffer } {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

async function startTlsServer(
  dir: string,
  body: string,
): Promise<{ server: HttpsServer; url: string; hits: () => number }> {
  let hits = 0;
  const server = createHttpsServer(selfSignedCert(dir), (_req, res) => {
    hits++;
    res.writeHead(200, FEED_HEADERS).end(body);
  });
  // a client refusing the certificate aborts the handshake: the server must not care
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { server, url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/feed.xml`, hits: () => hits };
}

interface Fault {
  name: string;
  /** Serves one faulty answer to the feed's URL. */
  serve: Handler;
  /** The reason the fetch must report, once per attempt. */
  error: RegExp;
  /** The wait the fault asks for (Retry-After), minutes. */
  retryAfterMinutes?: number;
}

/** A raw response head cut off, or a body cut off, on a socket the server then destroys. */
function cutHeaders(): Handler {
  return (req) => {
    req.socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Len');
    req.socket.destroy();
  };
}

function faults(origin: (name: string) => string, tlsUrl: string | null): Fault[] {
  const list: Fault[] = [
    {
      name: 'http-500',
      serve: (_req, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error'),
      error: /^HTTP 500$/,
    },
    {
      name: 'timeout',
      // headers never come: the fetch's own timeout ends it
      serve: () => {},
      error: /^no complete answer within 1\.2 s$/,
    },
    {
      name: 'slow-drip',
      serve: (_req, res) => {
        res.writeHead(200, FEED_HEADERS);
        const body = faultFeed(origin('slow-drip'), 'slow-drip', 2);
        let at = 0;
        const drip = () => {
          if (res.destroyed || at >= body.length) return;
          res.write(body[at++]);
          realSetTimeout(drip, 1000);
        };
        drip();
      },
      error: /^no complete answer within 1\.2 s$/,
    },
    {
      name: 'rate-limited-seconds',
      serve: (_req, res) => res.writeHead(429, { 'retry-after': '1800' }).end('slow down'),
      error: /^HTTP 429$/,
      retryAfterMinutes: 30,
    },
    {
      name: 'rate-limited-date',
      serve: (_req, res) =>
        res.writeHead(429, { 'retry-after': new Date(Date.now() + 20 * MINUTE).toUTCString() }).end('slow down'),
      error: /^HTTP 429$/,
      retryAfterMinutes: 20,
    },
    {
      name: 'redirect-loop',
      serve: (_req, res) => res.writeHead(302, { location: '/loop/a' }).end(),
      error: /^more than 5 redirects$/,
    },
    {
      name: 'reset-mid-headers',
      serve: cutHeaders(),
      error: /^the server closed the connection before the answer was complete$/,
    },
    {
      name: 'reset-mid-body',
      serve: (req, res) => {
        const body = faultFeed(origin('reset-mid-body'), 'reset-mid-body', 2);
        res.writeHead(200, { ...FEED_HEADERS, 'content-length': Buffer.byteLength(body) });
        res.write(body.slice(0, Math.floor(body.length / 2)), () => req.socket.destroy());
      },
      error: /^the server closed the connection before the answer was complete$/,
    },
    {
      name: 'html-error-page',
      serve: (_req, res) =>
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(
            '<!doctype html><html><head><title>Error</title></head><body><h1>Service unavailable</h1></body></html>',
          ),
      error: /^not a feed: the URL serves an HTML page$/,
    },
  ];
  if (tlsUrl) {
    list.push({
      name: 'tls-self-signed',
      // the publisher moves to https with a certificate nothing trusts
      serve: (_req, res) => res.writeHead(301, { location: tlsUrl }).end(),
      error: /^refused the server's TLS certificate: it is self-signed \(DEPTH_ZERO_SELF_SIGNED_CERT\)$/,
    });
  }
  return list;
}

/** Attempt times (minutes) of a faulty feed: fine at 0, failing from 5, back off per failure, then fine again. */
function expectedAttempts(retryAfterMinutes = 0): number[] {
  const times = [0, 5];
  let at = 5;
  for (let failures = 1; failures <= FAULTY_ATTEMPTS; failures++) {
    at += Math.max(5 * 2 ** (failures - 1), retryAfterMinutes);
    times.push(at);
  }
  // after it works again: every five minutes, as it asks (max-age=300)
  for (let next = at + 5; next <= RUN_MINUTES; next += 5) times.push(next);
  return times;
}

interface FetchRecord {
  url: string;
  minute: number;
  outcome: SourceFetchOutcome;
  /** The source row right after the fetch. */
  consecutiveFailures: number;
  lastError: string | null;
  etag: string | null;
}

/** What an article is, without `lastSeenAt` (which a fetch that finds it again moves on). */
function essence(a: StoredArticle) {
  return {
    id: a.id,
    key: a.key,
    url: a.url,
    title: a.title,
    paragraphs: a.paragraphs,
    publishedAt: a.publishedAt,
    updatedAt: a.updatedAt,
    contentHash: a.contentHash,
    sourceId: a.sourceId,
    firstSeenAt: a.firstSeenAt,
  };
}

function allArticles(app: SqliteApp): StoredArticle[] {
  return app.store.articles.listPublishedBetween('2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z');
}

async function searchTitles(app: SqliteApp, word: string): Promise<string[]> {
  const result = await searchArchive(app.storage, app.topics, parseQuery(word), { limit: 10, now: new Date() });
  // a hit is a story: the feed's other items may have joined it
  return [...new Set(result.hits.flatMap((h) => [h.article, ...h.storyArticles]).map((a) => a.title))].sort();
}

describe('source faults on a running poller', () => {
  it('backs a faulty feed off, keeps the others on time, and loses nothing stored', async () => {
    const dir = tempDir();
    const servers = new Map<string, TestServer>();
    const originOf = (name: string) => servers.get(name)?.origin ?? '';
    const steady = ['steady-a', 'steady-b'];
    // ports first: the faults need the origins they serve
    const names = [...steady, ...faults(() => '', null).map((f) => f.name), ...(openssl ? ['tls-self-signed'] : [])];
    for (const name of names) servers.set(name, await startServer());
    const tls = openssl ? await startTlsServer(dir, faultFeed('https://tls.invalid', 'tls', 2)) : null;
    const list = faults(originOf, tls?.url ?? null);
    expect(list.map((f) => f.name)).toEqual(names.slice(steady.length));

    const recoveryValidators = new Map<string, (string | undefined)[]>();
    for (const name of steady) {
      const server = servers.get(name) as TestServer;
      server.route('/feed.xml', (req, res) => {
        if (req.headers['if-none-match'] === '"s1"') res.writeHead(304, { etag: '"s1"', ...FEED_HEADERS }).end();
        else res.writeHead(200, { etag: '"s1"', ...FEED_HEADERS }).end(faultFeed(server.origin, name, 2));
      });
    }
    for (const fault of list) {
      const server = servers.get(fault.name) as TestServer;
      let calls = 0;
      const validators: (string | undefined)[] = [];
      recoveryValidators.set(fault.name, validators);
      server.route('/feed.xml', (req, res) => {
        calls++;
        if (calls === 1) {
          res.writeHead(200, { etag: '"v1"', ...FEED_HEADERS }).end(faultFeed(server.origin, fault.name, 2));
        } else if (calls <= 1 + FAULTY_ATTEMPTS) {
          fault.serve(req, res);
        } else {
          validators.push(req.headers['if-none-match'] as string | undefined);
          if (req.headers['if-none-match'] === '"v2"') res.writeHead(304, { etag: '"v2"', ...FEED_HEADERS }).end();
          // works again, with one more item
          else res.writeHead(200, { etag: '"v2"', ...FEED_HEADERS }).end(faultFeed(server.origin, fault.name, 3));
        }
      });
      server.route('/loop/a', (_req, res) => res.writeHead(302, { location: '/loop/b' }).end());
      server.route('/loop/b', (_req, res) => res.writeHead(302, { location: '/loop/a' }).end());
    }

    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: T0 });
    const app = openApp({ dbPath: join(dir, 'nb.db'), configPath: null });
    const fetcher = new HttpFetcher({ allowAddresses: ['127.0.0.1'], timeoutMs: FETCH_TIMEOUT_MS });
    cleanups.push(
      () => app.close(),
      () => fetcher.close(),
    );
    const feeds: FeedSource[] = names.map((name) => ({
      url: (servers.get(name) as TestServer).url('/feed.xml'),
      name,
    }));
    const nameOf = new Map(feeds.map((f) => [f.url, f.name as string]));
    const remote = new RemoteIngestor(app.storage, app.ingestor, { fetcher, feeds, random: () => 0 });
    await remote.syncConfiguredFeeds();

    let inflight = 0;
    const records: FetchRecord[] = [];
    const thrown: unknown[] = [];
    const poller = new SourcePoller({
      fetcher: {
        refreshFeed: async (feed, now) => {
          inflight++;
          try {
            return await remote.refreshFeed(feed, now);
          } finally {
            inflight--;
          }
        },
      },
      feeds,
      dueAt: (feed) => app.store.sources.findByKey(feedKey(feed.url))?.nextFetchAt ?? null,
      random: () => 0,
      onFetched: (feed, outcome) => {
        const source = app.store.sources.findByKey(feedKey(feed.url));
        records.push({
          url: feed.url,
          minute: (Date.now() - T0) / MINUTE,
          outcome,
          consecutiveFailures: source?.consecutiveFailures ?? -1,
          lastError: source?.lastError ?? null,
          etag: source?.etag ?? null,
        });
      },
      onError: (_feed, error) => thrown.push(error),
    });
    cleanups.push(() => poller.stop());

    /** Waits (in real time) until no fetch is under way and the poller has armed its next timers. */
    const settle = async () => {
      const until = performance.now() + 10_000;
      for (let quiet = 0; quiet < 3; ) {
        await realSleep(3);
        quiet = inflight === 0 ? quiet + 1 : 0;
        if (performance.now() > until) throw new Error('a fetch did not finish within 10 s');
      }
    };
    let stored0: ReturnType<typeof essence>[] = [];
    let midway: { articles: ReturnType<typeof essence>[]; search: Map<string, string[]> } | null = null;
    poller.start();
    for (let minute = 0; minute <= RUN_MINUTES; minute++) {
      await vi.advanceTimersByTimeAsync(minute === 0 ? 0 : MINUTE);
      await settle();
      if (minute === 0) stored0 = allArticles(app).map(essence);
      // every faulty feed has failed at least once and none is back yet
      if (minute === 8) {
        midway = {
          articles: allArticles(app).map(essence),
          search: new Map(
            await Promise.all(names.map(async (name) => [name, await searchTitles(app, markerOf(name))] as const)),
          ),
        };
      }
    }
    await poller.stop();
    vi.useRealTimers();

    expect(thrown).toEqual([]);
    // the first round stored every feed's two items
    expect(stored0).toHaveLength(names.length * 2);

    const byName = (name: string) => records.filter((r) => nameOf.get(r.url) === name);
    for (const name of steady) {
      const fetches = byName(name);
      // every five minutes on the dot, whatever the others do
      expect(
        fetches.map((r) => r.minute),
        name,
      ).toEqual(Array.from({ length: RUN_MINUTES / 5 + 1 }, (_, i) => i * 5));
      expect(fetches.every((r) => r.outcome.status !== 'failed')).toBe(true);
      expect(servers.get(name)?.hits('/feed.xml')).toHaveLength(fetches.length);
    }

    for (const fault of list) {
      const fetches = byName(fault.name);
      const failed = fetches.filter((r) => r.outcome.status === 'failed');
      // backs off by the rules, honours Retry-After, and comes back on its own
      expect(
        fetches.map((r) => r.minute),
        fault.name,
      ).toEqual(expectedAttempts(fault.retryAfterMinutes));
      // once per attempt: one request to the feed's URL (no hidden retries), one reported failure with its reason
      expect(servers.get(fault.name)?.hits('/feed.xml'), fault.name).toHaveLength(fetches.length);
      expect(failed.map((r) => r.minute)).toEqual(fetches.slice(1, 1 + FAULTY_ATTEMPTS).map((r) => r.minute));
      for (const [i, record] of failed.entries()) {
        expect(record.outcome.error, fault.name).toMatch(fault.error);
        expect(record.outcome.outcomes).toHaveLength(1);
        // recorded on the source: one more failure each time, the reason kept, the validator untouched
        expect(record, fault.name).toMatchObject({
          consecutiveFailures: i + 1,
          lastError: record.outcome.error,
          etag: '"v1"',
        });
      }
      const back = fetches[1 + FAULTY_ATTEMPTS];
      expect(back?.outcome.status, fault.name).toBe('fetched');
      expect(back?.outcome.outcomes.filter((o) => o.status === 'added')).toHaveLength(1);
      expect(back, fault.name).toMatchObject({ consecutiveFailures: 0, lastError: null, etag: '"v2"' });
      // the validator of the last good answer was still sent after the failures
      expect(recoveryValidators.get(fault.name)?.[0], fault.name).toBe('"v1"');
    }
    if (tls) expect(tls.hits()).toBe(0);
    // full bodies: no page was fetched for any item
    for (const server of servers.values()) {
      expect(server.requests.filter((r) => !/^\/(?:feed\.xml|loop\/[ab])$/.test(r.path))).toEqual([]);
    }
    // the redirect loop: six requests per attempt (the URL and five redirects), then the error
    const loop = servers.get('redirect-loop') as TestServer;
    expect(loop.hits('/loop/a').length + loop.hits('/loop/b').length).toBe(FAULTY_ATTEMPTS * 5);

    // Nothing stored was lost or changed by a bad answer: while the feeds failed, and after they came back.
    expect(midway?.articles).toEqual(stored0);
    const now = allArticles(app);
    expect(now).toHaveLength(stored0.length + list.length);
    const byId = new Map(now.map((a) => [a.id, essence(a)]));
    for (const before of stored0) expect(byId.get(before.id)).toEqual(before);
    for (const name of names) {
      const titles = stored0.filter((a) => a.title.startsWith(`${markerOf(name)} `)).map((a) => a.title);
      expect(titles).toHaveLength(2);
      expect(midway?.search.get(name), name).toEqual([...titles].sort());
      const found = await searchTitles(app, markerOf(name));
      expect(found.length, name).toBe(steady.includes(name) ? 2 : 3);
      expect(found).toEqual(expect.arrayContaining(titles));
    }
  }, 60_000);

  it.skipIf(!openssl)('refuses a self-signed certificate from the first fetch on, and keeps polling', async () => {
    const dir = tempDir();
    const tls = await startTlsServer(dir, faultFeed('https://tls.invalid', 'tls', 2));
    const app = openApp({ dbPath: join(dir, 'nb.db'), configPath: null });
    const fetcher = new HttpFetcher({ allowAddresses: ['127.0.0.1'], timeoutMs: FETCH_TIMEOUT_MS });
    cleanups.push(
      () => app.close(),
      () => fetcher.close(),
    );
    const remote = new RemoteIngestor(app.storage, app.ingestor, { fetcher, random: () => 0 });
    const outcomes: SourceFetchOutcome[] = [];
    for (let i = 0; i < 3; i++)
      outcomes.push(await remote.refreshFeed({ url: tls.url }, new Date(T0 + i * 10 * MINUTE)));
    expect(outcomes.map((o) => [o.status, o.errorCode])).toEqual([
      ['failed', 'network'],
      ['failed', 'network'],
      ['failed', 'network'],
    ]);
    expect(outcomes[0]?.error).toBe(
      "refused the server's TLS certificate: it is self-signed (DEPTH_ZERO_SELF_SIGNED_CERT)",
    );
    expect(app.store.sources.findByKey(feedKey(tls.url))).toMatchObject({
      consecutiveFailures: 3,
      lastError: outcomes[0]?.error,
    });
    expect(app.store.articles.count()).toBe(0);
    expect(tls.hits()).toBe(0);
  });
});
