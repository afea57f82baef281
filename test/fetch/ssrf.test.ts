/**
 * The SSRF guard against real servers on loopback addresses. Every refused fetch must fail with a `refused` error
 * and never open a socket: the servers count TCP connections, and undici's `beforeConnect` diagnostics channel
 * counts connection attempts. No test sends traffic outside 127.0.0.0/8 and ::1: the addresses that would leave
 * the machine are refused before any connect.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { LookupAddress } from 'node:dns';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FetchError } from '../../src/fetch/errors.ts';
import type { Resolver } from '../../src/fetch/guardedAgent.ts';
import { type FetcherOptions, HttpFetcher } from '../../src/fetch/httpFetcher.ts';
import { type TestServer, useServers } from './testServer.ts';

const startServer = useServers();
const fetchers: HttpFetcher[] = [];
let connectAttempts = 0;
const onConnect = () => {
  connectAttempts++;
};
beforeEach(() => {
  connectAttempts = 0;
  subscribe('undici:client:beforeConnect', onConnect);
});
afterEach(async () => {
  unsubscribe('undici:client:beforeConnect', onConnect);
  await Promise.all(fetchers.splice(0).map((f) => f.close()));
});

/** Names resolved without DNS; anything else is an error (so no test can reach a real resolver). */
function fakeDns(names: Record<string, string[]>): Resolver {
  return async (hostname) => {
    const addresses = names[hostname.toLowerCase()];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

function fetcher(options: FetcherOptions = {}): HttpFetcher {
  const f = new HttpFetcher({ timeoutMs: 5_000, ...options });
  fetchers.push(f);
  return f;
}

async function refusal(f: HttpFetcher, url: string): Promise<FetchError> {
  try {
    await f.fetch({ url });
  } catch (error) {
    if (error instanceof FetchError) return error;
    throw error;
  }
  throw new Error(`${url} was fetched`);
}

function feedServer(server: TestServer): TestServer {
  return server.route('/feed.xml', { headers: { 'content-type': 'application/rss+xml' }, body: '<rss/>' });
}

describe('SSRF guard, with no address allowed', () => {
  it('refuses loopback, private, link-local, CGNAT and unique-local addresses in any spelling', async () => {
    const server = feedServer(await startServer());
    const v6 = feedServer(await startServer('::1'));
    const port = server.port;
    const f = fetcher();
    const urls = [
      `http://127.0.0.1:${port}/feed.xml`,
      `http://localhost:${port}/feed.xml`,
      `http://2130706433:${port}/feed.xml`,
      `http://0x7f.1:${port}/feed.xml`,
      `http://0177.0.0.1:${port}/feed.xml`,
      `http://127.1:${port}/feed.xml`,
      `http://0.0.0.0:${port}/feed.xml`,
      `http://[::ffff:127.0.0.1]:${port}/feed.xml`,
      `http://[::1]:${v6.port}/feed.xml`,
      'http://10.0.0.1/feed.xml',
      'http://172.16.0.1/feed.xml',
      'http://192.168.0.1/feed.xml',
      'http://169.254.169.254/latest/meta-data/',
      'http://100.64.0.1/feed.xml',
      'http://[fe80::1]/feed.xml',
      'http://[fc00::1]/feed.xml',
      'http://[::ffff:a9fe:a9fe]/latest/meta-data/',
    ];
    for (const url of urls) {
      const error = await refusal(f, url);
      expect(error.code, url).toBe('refused');
      expect(error.message, url).toMatch(
        /^refused .+: .*(loopback|private|link-local|carrier-grade|unique-local|unspecified)/,
      );
    }
    expect(server.connections + v6.connections).toBe(0);
    expect(connectAttempts).toBe(0);
  });

  it('refuses a host name that resolves to a private address, before connecting', async () => {
    const server = feedServer(await startServer());
    const f = fetcher({
      resolve: fakeDns({
        'intranet.example': ['127.0.0.1'],
        'metadata.example': ['169.254.169.254'],
        'split.example': ['93.184.216.34', '10.0.0.7'],
        'mapped.example': ['::ffff:192.168.1.1'],
      }),
    });
    const loop = await refusal(f, `http://intranet.example:${server.port}/feed.xml`);
    expect(loop.message).toBe(
      `refused intranet.example:${server.port}: intranet.example resolves to 127.0.0.1, a loopback address`,
    );
    expect((await refusal(f, 'http://metadata.example/')).message).toContain('link-local');
    // One private answer among public ones refuses the name: the connect could pick any of them.
    expect((await refusal(f, 'http://split.example/')).message).toContain('10.0.0.7, a private network address');
    expect((await refusal(f, 'https://mapped.example/')).message).toContain('private network');
    expect(server.connections).toBe(0);
  });

  it('reaches the same server once its address is allowed (the refusals above are the guard, not the setup)', async () => {
    const server = feedServer(await startServer());
    const f = fetcher({ allowAddresses: ['127.0.0.1'], resolve: fakeDns({ 'intranet.example': ['127.0.0.1'] }) });
    const direct = await f.fetch({ url: server.url('/feed.xml') });
    const byName = await f.fetch({ url: `http://intranet.example:${server.port}/feed.xml` });
    expect([direct.statusCode, byName.statusCode]).toEqual([200, 200]);
    expect(server.hits('/feed.xml')).toHaveLength(2);
  });
});

describe('SSRF guard on redirects, with only the test server 127.0.0.1 allowed', () => {
  it('refuses every hop that leads to a non-allowed address, and never connects there', async () => {
    const server = await startServer();
    const other = feedServer(await startServer('127.0.0.2'));
    const v6 = feedServer(await startServer('::1'));
    const targets: Record<string, string> = {
      '/to-other-loopback': other.url('/feed.xml'),
      '/to-v6-loopback': v6.url('/feed.xml'),
      '/to-localhost': `http://localhost:${other.port}/feed.xml`,
      '/to-metadata': 'http://169.254.169.254/latest/meta-data/iam/',
      '/to-decimal': `http://2130706434:${other.port}/feed.xml`,
      '/to-private-name': `http://router.example:${other.port}/admin`,
    };
    for (const [path, location] of Object.entries(targets)) server.route(path, { status: 302, headers: { location } });
    const f = fetcher({
      allowAddresses: ['127.0.0.1'],
      resolve: fakeDns({ 'router.example': ['127.0.0.2'] }),
    });
    for (const path of Object.keys(targets)) {
      const error = await refusal(f, server.url(path));
      expect(error.code, path).toBe('refused');
    }
    expect(server.requests).toHaveLength(Object.keys(targets).length);
    expect(other.connections + v6.connections).toBe(0);
  });

  it('refuses a public-looking name whose answer redirects to a private address', async () => {
    // news.example stands in for a public site: the fake DNS points it at the allowed test server.
    const site = await startServer();
    const internal = feedServer(await startServer('127.0.0.2'));
    site.route('/rss', { status: 301, headers: { location: `http://127.0.0.2:${internal.port}/feed.xml` } });
    const f = fetcher({ allowAddresses: ['127.0.0.1'], resolve: fakeDns({ 'news.example': ['127.0.0.1'] }) });
    const error = await refusal(f, `http://news.example:${site.port}/rss`);
    expect(error.message).toBe(`refused 127.0.0.2:${internal.port}: 127.0.0.2 is a loopback address`);
    expect(site.hits('/rss')).toHaveLength(1);
    expect(internal.connections).toBe(0);
  });
});
