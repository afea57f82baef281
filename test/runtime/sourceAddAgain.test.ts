/**
 * Adding a feed is safe to run again (the `addSource` job when a worker was killed mid-job, or retried): a try cut
 * off after its fetch had stored the feed's items leaves them held like new ones on the next try, even when the
 * feed answers a conditional request with 304; and a try that got to the end makes the next one `already`, with
 * nothing fetched or let in again. The ingest thread on a real SQLite file, the feed on 127.0.0.1.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { IngestThread } from '../../runtime/ingestThread.ts';
import { openApp } from '../../src/app.ts';
import { HttpFetcher } from '../../src/fetch/index.ts';
import { RemoteIngestor } from '../../src/ingest/remote.ts';
import { TestServer } from '../fetch/testServer.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const SUBJECTS = ['volcano', 'saxophone', 'glacier', 'tapestry', 'origami'];
const ETAG = '"wire-1"';
const BY = 'slack:C0NEWS';

function wire(): string {
  const items = SUBJECTS.map((subject, i) => {
    const when = new Date(Date.now() - (i + 1) * 20 * 60_000).toUTCString();
    return `<item><title>Gamma researchers publish a ${subject} study</title><link>https://gamma.example/${subject}</link>
<guid>https://gamma.example/${subject}</guid><pubDate>${when}</pubDate>
<description>The gamma team said its ${subject} findings, gathered over ${i + 3} years, change how ${subject} experts work.</description></item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Gamma Wire</title>
<link>https://gamma.example/</link><language>en</language>${items.join('\n')}</channel></rss>`;
}

async function setUp() {
  const server = await TestServer.start();
  closers.push(() => server.close());
  server.route('/wire.xml', (req, res) => {
    if (req.headers['if-none-match'] === ETAG) return void res.writeHead(304, { etag: ETAG }).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml', etag: ETAG }).end(wire());
  });
  const dir = tempDir();
  const dbPath = join(dir, 'nb.db');
  const configPath = join(dir, 'newsbrief.yaml');
  writeFileSync(configPath, `database: ${JSON.stringify(dbPath)}\nfetch:\n  allowAddresses: [127.0.0.1]\n`);
  const startThread = async () => {
    const thread = await IngestThread.start({ dbPath, configPath, poll: false });
    closers.push(() => thread.stop(5_000));
    return thread;
  };
  return { server, url: server.url('/wire.xml'), dbPath, configPath, startThread };
}

it('a try cut off after its fetch: the next one holds the items it stored, and lets in only the backlog', async () => {
  const { server, url, dbPath, configPath, startThread } = await setUp();
  // what the cut-off try did: the fetch `addSource` starts with (the source and its items stored, validators kept)
  const app = openApp({ dbPath, configPath });
  const fetcher = new HttpFetcher({ allowAddresses: ['127.0.0.1'] });
  const remote = new RemoteIngestor(app.storage, app.ingestor, { fetcher });
  expect((await remote.refreshFeed({ url })).outcomes.filter((o) => o.status === 'added')).toHaveLength(5);
  await fetcher.close();
  await app.close();

  const thread = await startThread();
  const result = await thread.addSource(url, BY, 2);
  expect(result).toMatchObject({ ok: true, name: 'Gamma Wire', items: 5, added: 5, held: 3 });
  // the whole feed was asked for again, not revalidated into a 304 that would name no items
  const asked = server.requests.filter((r) => r.path === '/wire.xml');
  expect(asked).toHaveLength(2);
  expect(asked[1]?.headers['if-none-match']).toBeUndefined();
  if (result.ok !== true) throw new Error('not added');
  // three held back: letting in every held item lets in exactly those
  expect(await thread.releaseBacklog(result.sourceId, 100, BY)).toBe(3);
  expect(await thread.releaseBacklog(result.sourceId, 100, BY)).toBe(0);
});

it('a try that got to the end: the next one is `already`, and fetches and lets in nothing', async () => {
  const { server, url, startThread } = await setUp();
  const thread = await startThread();
  const first = await thread.addSource(url, BY, 2);
  expect(first).toMatchObject({ ok: true, items: 5, added: 5, held: 3 });
  expect(await thread.addSource(url, BY, 2)).toEqual({ ok: false, problem: 'already' });
  expect(server.requests.filter((r) => r.path === '/wire.xml')).toHaveLength(1);
  if (first.ok !== true) throw new Error('not added');
  expect(await thread.releaseBacklog(first.sourceId, 100, BY)).toBe(3);
});
