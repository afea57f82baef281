import { createServer } from 'node:net';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { FetchError } from '../../src/fetch/errors.ts';
import { type FetcherOptions, HttpFetcher, USER_AGENT } from '../../src/fetch/httpFetcher.ts';
import { useServers } from './testServer.ts';

const startServer = useServers();
const fetchers: HttpFetcher[] = [];
afterEach(async () => {
  await Promise.all(fetchers.splice(0).map((f) => f.close()));
});

/** A fetcher allowed to reach the test servers on 127.0.0.1 and nothing else that is not public. */
function loopbackFetcher(options: FetcherOptions = {}): HttpFetcher {
  const fetcher = new HttpFetcher({ allowAddresses: ['127.0.0.1'], ...options });
  fetchers.push(fetcher);
  return fetcher;
}

async function fetchError(promise: Promise<unknown>): Promise<FetchError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FetchError) return error;
    throw error;
  }
  throw new Error('the fetch did not fail');
}

const FEED = '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title></channel></rss>';

describe('HttpFetcher', () => {
  it('fetches a document with its headers and says who is asking', async () => {
    const server = await startServer();
    server.route('/feed.xml', {
      headers: { 'content-type': 'application/rss+xml; charset=utf-8', etag: '"v1"', 'cache-control': 'max-age=900' },
      body: FEED,
    });
    const result = await loopbackFetcher().fetch({ url: server.url('/feed.xml') });
    expect(result.kind).toBe('document');
    if (result.kind !== 'document') return;
    expect(Buffer.from(result.bytes).toString('utf8')).toBe(FEED);
    expect(result.contentType).toBe('application/rss+xml; charset=utf-8');
    expect(result.etag).toBe('"v1"');
    expect(result.maxAgeSeconds).toBe(900);
    expect(result.finalUrl).toBe(server.url('/feed.xml'));
    const [seen] = server.hits('/feed.xml');
    expect(seen?.headers['user-agent']).toBe(USER_AGENT);
    expect(USER_AGENT).toMatch(/^newsbrief\/\d+\.\d+\.\d+ \(\+https:\/\//);
    expect(seen?.headers['accept-encoding']).toBe('gzip, deflate, br');
    expect(seen?.headers['if-none-match']).toBeUndefined();
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['deflate', deflateRawSync],
    ['br', brotliCompressSync],
  ])('decodes a %s body', async (encoding, compress) => {
    const server = await startServer();
    const text = `${FEED}\n${'압축된 본문 '.repeat(2000)}`;
    server.route('/c', { headers: { 'content-encoding': encoding }, body: compress(Buffer.from(text)) });
    const result = await loopbackFetcher().fetch({ url: server.url('/c') });
    expect(result.kind === 'document' && Buffer.from(result.bytes).toString('utf8')).toBe(text);
  });

  it('reports a corrupt compressed body and an unknown encoding', async () => {
    const server = await startServer();
    server.route('/bad-gzip', { headers: { 'content-encoding': 'gzip' }, body: 'this is not gzip at all' });
    server.route('/zstd', { headers: { 'content-encoding': 'zstd' }, body: 'whatever' });
    const fetcher = loopbackFetcher();
    expect((await fetchError(fetcher.fetch({ url: server.url('/bad-gzip') }))).code).toBe('bad-encoding');
    const unknown = await fetchError(fetcher.fetch({ url: server.url('/zstd') }));
    expect(unknown.code).toBe('bad-encoding');
    expect(unknown.message).toContain('zstd');
  });

  it('sends the stored validators and turns a 304 into not-modified', async () => {
    const server = await startServer();
    server.route('/feed.xml', (req, res) => {
      const fresh = req.headers['if-none-match'] === '"v1"' || req.headers['if-modified-since'] !== undefined;
      if (fresh) res.writeHead(304, { etag: '"v1"' }).end();
      else res.writeHead(200, { etag: '"v1"' }).end(FEED);
    });
    const fetcher = loopbackFetcher();
    const byEtag = await fetcher.fetch({ url: server.url('/feed.xml'), etag: '"v1"' });
    expect(byEtag.kind).toBe('not-modified');
    const lastModified = 'Wed, 25 Nov 2026 08:00:00 GMT';
    const byDate = await fetcher.fetch({ url: server.url('/feed.xml'), lastModified });
    expect(byDate.kind).toBe('not-modified');
    const [first, second] = server.hits('/feed.xml');
    expect(first?.headers['if-none-match']).toBe('"v1"');
    expect(second?.headers['if-modified-since']).toBe(lastModified);
  });

  it('follows up to five redirects, relative ones too, and refuses the sixth', async () => {
    const server = await startServer();
    for (let i = 1; i <= 5; i++) {
      server.route(`/r${i}`, { status: i % 2 ? 301 : 307, headers: { location: `/r${i + 1}` } });
    }
    server.route('/r6', { status: 302, headers: { location: server.url('/end') } });
    server.route('/end', { body: FEED });
    const fetcher = loopbackFetcher();
    const five = await fetcher.fetch({ url: server.url('/r2') });
    expect(five.kind).toBe('document');
    expect(five.redirects).toBe(5);
    expect(five.finalUrl).toBe(server.url('/end'));

    const six = await fetchError(fetcher.fetch({ url: server.url('/r1') }));
    expect(six.code).toBe('too-many-redirects');
    expect(six.message).toBe('more than 5 redirects');
    expect(server.hits('/r1')).toHaveLength(1);
    expect(server.hits('/end')).toHaveLength(1);
  });

  it('refuses a redirect to another scheme or to a URL with credentials', async () => {
    const server = await startServer();
    server.route('/to-file', { status: 302, headers: { location: 'file:///etc/passwd' } });
    server.route('/to-creds', { status: 302, headers: { location: `http://admin:pw@127.0.0.1:${server.port}/x` } });
    const fetcher = loopbackFetcher();
    const file = await fetchError(fetcher.fetch({ url: server.url('/to-file') }));
    expect([file.code, file.message]).toEqual(['refused', 'refused file: URL: only http and https are fetched']);
    const creds = await fetchError(fetcher.fetch({ url: server.url('/to-creds') }));
    expect(creds.code).toBe('refused');
    expect(creds.message).toContain('credentials');
    expect(creds.url).not.toContain('pw');
    expect(server.hits('/x')).toHaveLength(0);
  });

  it('stops reading a body over the cap, declared, streamed or decompressed', async () => {
    const server = await startServer();
    const big = Buffer.alloc(64 * 1024, 'a');
    server.route('/declared', { headers: { 'content-length': big.length }, body: big });
    server.route('/streamed', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      for (let i = 0; i < 8; i++) res.write(big.subarray(0, 8 * 1024));
      res.end();
    });
    const bomb = gzipSync(Buffer.alloc(5 * 1024 * 1024));
    server.route('/bomb', { headers: { 'content-encoding': 'gzip' }, body: bomb });
    const fetcher = loopbackFetcher({ maxBytes: 32 * 1024 });
    for (const path of ['/declared', '/streamed', '/bomb']) {
      const error = await fetchError(fetcher.fetch({ url: server.url(path) }));
      expect(error.code, path).toBe('too-large');
      expect(error.message, path).toContain('larger than 32 KiB');
    }
    expect(bomb.length).toBeLessThan(32 * 1024);
  });

  it('gives up on a server that never answers or stalls mid-body', async () => {
    const server = await startServer();
    server.route('/silent', () => {
      // never answers
    });
    server.route('/stall', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<html><body>first bytes');
    });
    const fetcher = loopbackFetcher({ timeoutMs: 300 });
    for (const path of ['/silent', '/stall']) {
      const error = await fetchError(fetcher.fetch({ url: server.url(path) }));
      expect(error.code, path).toBe('timeout');
      expect(error.message, path).toBe('no complete answer within 0.3 s');
    }
  });

  it('reports error statuses with the server-given Retry-After', async () => {
    const server = await startServer();
    server.route('/gone', { status: 404, body: 'no such feed' });
    server.route('/broken', { status: 500, body: 'oops' });
    server.route('/busy', { status: 503, headers: { 'retry-after': '120' } });
    const fetcher = loopbackFetcher();
    const missing = await fetchError(fetcher.fetch({ url: server.url('/gone') }));
    expect([missing.code, missing.status, missing.message]).toEqual(['http-status', 404, 'HTTP 404']);
    expect((await fetchError(fetcher.fetch({ url: server.url('/broken') }))).status).toBe(500);
    const busy = await fetchError(fetcher.fetch({ url: server.url('/busy') }));
    expect(busy.details.retryAfterSeconds).toBe(120);
  });

  it('reports a closed port as a network error', async () => {
    const probe = createServer();
    const port = await new Promise<number>((resolve) => {
      probe.listen(0, '127.0.0.1', () => resolve((probe.address() as { port: number }).port));
    });
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const error = await fetchError(loopbackFetcher().fetch({ url: `http://127.0.0.1:${port}/` }));
    expect(error.code).toBe('network');
    expect(error.message).toContain('ECONNREFUSED');
  });
});
