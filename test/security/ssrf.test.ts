/**
 * What test/fetch/ssrf.test.ts and addressPolicy.test.ts leave out: a name whose DNS answer changes between the
 * check and the connect (rebinding), and `sources add` from chat on the real ingest thread, refused in words
 * that name no internal address, on every platform's rendering.
 */
import type { LookupAddress } from 'node:dns';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReply as renderConsole } from '../../adapters/console/render.ts';
import { renderReply as renderDiscord } from '../../adapters/discord/render.ts';
import { renderReply as renderSlack } from '../../adapters/slack/blocks.ts';
import { IngestThread } from '../../runtime/ingestThread.ts';
import { openApp, type SqliteApp } from '../../src/app.ts';
import type { SourceControl } from '../../src/engine/sources.ts';
import { FetchError } from '../../src/fetch/errors.ts';
import type { Resolver } from '../../src/fetch/guardedAgent.ts';
import { HttpFetcher } from '../../src/fetch/httpFetcher.ts';
import { TestServer } from '../fetch/testServer.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();

describe('DNS answers that change between the check and the connect', () => {
  it('connect only to an address that was checked: a rebinding name never reaches the private one', async () => {
    const allowed = await TestServer.start('127.0.0.2');
    const internal = await TestServer.start('127.0.0.1');
    for (const s of [allowed, internal]) {
      s.route('/feed.xml', { headers: { 'content-type': 'application/rss+xml' }, body: '<rss/>' });
    }
    // the first answer passes the allow-list, every later one points inside
    let lookups = 0;
    const rebinding: Resolver = async () => {
      const address = lookups++ === 0 ? '127.0.0.2' : '127.0.0.1';
      return [{ address, family: 4 } satisfies LookupAddress];
    };
    const fetcher = new HttpFetcher({ timeoutMs: 5_000, allowAddresses: ['127.0.0.2'], resolve: rebinding });
    try {
      const outcomes: string[] = [];
      for (let i = 0; i < 6; i++) {
        // the same port on both hosts is not guaranteed: name the allowed server's, so a rebound connect would
        // need the internal server on that port; count its connections on its own port as well
        for (const port of [allowed.port, internal.port]) {
          try {
            const r = await fetcher.fetch({ url: `http://rebind.example:${port}/feed.xml?i=${i}` });
            outcomes.push(String(r.statusCode));
          } catch (error) {
            if (!(error instanceof FetchError)) throw error;
            outcomes.push(error.code);
          }
        }
      }
      expect(lookups).toBeGreaterThan(1);
      expect(internal.connections).toBe(0);
      expect(outcomes).toContain('refused');
    } finally {
      await fetcher.close();
      await allowed.close();
      await internal.close();
    }
  });
});

describe('sources add from chat, to internal addresses', () => {
  let app: SqliteApp;
  let thread: IngestThread;
  const internal: TestServer[] = [];

  beforeAll(async () => {
    internal.push(await TestServer.start('127.0.0.1'));
    const dir = tempDir();
    const dbPath = join(dir, 'nb.db');
    thread = await IngestThread.start({ dbPath, configPath: null, poll: true });
    const sources: SourceControl = {
      add: (url, by, { backlog }) => thread.addSource(url, by, backlog),
      releaseBacklog: (source, count, by) => thread.releaseBacklog(source, count, by),
      remove: (url, by) => thread.removeSource(url, by),
    };
    app = openApp({ dbPath, configPath: null, sources });
  }, 30_000);

  afterAll(async () => {
    await thread?.stop(10_000);
    app?.close();
    for (const s of internal) await s.close();
  });

  it('refuses each with a reason that names no address, and never connects', async () => {
    const port = internal[0]?.port;
    const urls = [
      `http://127.0.0.1:${port}/feed.xml`,
      `http://2130706433:${port}/feed.xml`,
      `http://0x7f.1:${port}/feed.xml`,
      `http://0177.0.0.1:${port}/feed.xml`,
      `http://[::ffff:127.0.0.1]:${port}/feed.xml`,
      `http://[::ffff:7f00:1]:${port}/feed.xml`,
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00::1]/feed.xml',
      'http://100.64.0.1/feed.xml',
      'http://10.20.30.40/feed.xml',
      'http://192.168.1.1/feed.xml',
      'http://0.0.0.0/feed.xml',
      'http://user:pass@example.com/feed.xml',
      'file:///etc/passwd',
    ];
    for (const url of urls) {
      const request = { platform: 'slack', workspace: 'T1', channel: 'C1', user: 'U1', isManager: true };
      const reply = await app.engine.handle({ ...request, locale: 'en', text: `sources add ${url}` });
      const rendered = [
        JSON.stringify(renderSlack(reply)),
        JSON.stringify(renderDiscord(reply, { inGuild: true, isManager: true, buttons: true, pageId: () => 'x' })),
        renderConsole(reply, { color: false }),
      ].join('\n');
      expect([url, reply.kind]).toEqual([url, 'notice']);
      if (reply.kind !== 'notice') continue;
      expect([url, reply.notice.code, reply.tone]).toEqual([url, reply.notice.code, 'error']);
      for (const internalForm of [
        '127.0.0.1',
        '169.254',
        '10.20.30.40',
        '192.168',
        'fd00',
        '100.64',
        '7f00',
        '2130706433',
      ]) {
        expect([url, rendered.includes(internalForm)]).toEqual([url, false]);
      }
    }
    expect(internal[0]?.connections).toBe(0);
    expect(app.store.sources.addedInChat()).toEqual([]);
  });
});
