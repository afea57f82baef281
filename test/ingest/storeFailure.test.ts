/**
 * One process on the SQLite file (no roles): a fetch whose store step finds the database locked by another
 * connection past the busy timeout. The poller hears the store's error (it tries the source again later) and the
 * feed is not blamed: no failure recorded against it, so no backoff and no notice; once the lock is gone, the same
 * fetch stores the items. (test/scale/fetchRetry.test.ts is the same on PostgreSQL, retried by the job queue.)
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openApp } from '../../src/app.ts';
import { HttpFetcher } from '../../src/fetch/httpFetcher.ts';
import { SourcePoller } from '../../src/ingest/poller.ts';
import { feedKey, RemoteIngestor, type SourceFetchOutcome } from '../../src/ingest/remote.ts';
import { useServers } from '../fetch/testServer.ts';
import { useTempDir } from '../helpers/tempDir.ts';
import { FULL_PARAGRAPHS, rssFeed } from './remoteFixtures.ts';

const tempDir = useTempDir();
const startServer = useServers();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('a fetch whose store step fails, in one process on SQLite', () => {
  it('is not counted against the feed, and stores the items once the database is free', async () => {
    const dbPath = join(tempDir(), 'nb.db');
    const app = openApp({ dbPath, configPath: null });
    const fetcher = new HttpFetcher({ allowAddresses: ['127.0.0.1'] });
    const other = new Database(dbPath);
    cleanups.push(
      () => app.close(),
      () => fetcher.close(),
      () => {
        other.close();
      },
    );
    const server = await startServer();
    let lockNext = true;
    server.route('/feed.xml', (_req, res) => {
      // another writer takes the database while the feed is on its way: what the fetch then writes waits and fails
      if (lockNext) other.exec('BEGIN IMMEDIATE');
      lockNext = false;
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(
        rssFeed({
          title: 'The Circuit',
          link: `${server.origin}/`,
          items: [
            {
              title: 'Hanbit starts HBM5 production early',
              link: `${server.origin}/a/hbm5`,
              description: FULL_PARAGRAPHS.join('\n\n'),
            },
          ],
        }),
      );
    });
    const feed = { url: server.url('/feed.xml') };
    const remote = new RemoteIngestor(app.storage, app.ingestor, { fetcher, feeds: [feed] });
    const fetched: SourceFetchOutcome[] = [];
    const errors: unknown[] = [];
    const poller = new SourcePoller({
      fetcher: remote,
      feeds: [feed],
      dueAt: () => null,
      random: () => 0,
      onFetched: (_feed, outcome) => fetched.push(outcome),
      onError: (_feed, error) => errors.push(error),
    });
    poller.start();
    await poller.initialRound();
    await poller.stop();

    expect(fetched).toEqual([]);
    expect(errors).toMatchObject([{ code: 'SQLITE_BUSY' }]);
    const source = app.store.sources.findByKey(feedKey(feed.url));
    expect(source).toMatchObject({ consecutiveFailures: 0, lastError: null, failingSince: null });
    expect(app.store.articles.count()).toBe(0);

    other.exec('ROLLBACK');
    const again = await remote.refreshFeed(feed);
    expect(again).toMatchObject({ status: 'fetched', error: null });
    expect(again.outcomes.map((o) => o.status)).toEqual(['added']);
    expect(app.store.sources.findByKey(feedKey(feed.url))).toMatchObject({ consecutiveFailures: 0, lastError: null });
    expect(server.hits('/feed.xml')).toHaveLength(2);
  }, 30_000);
});
