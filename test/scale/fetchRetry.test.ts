/**
 * A worker's fetch job that fails in the store (issue 17): the real `newsbrief start --role worker` on PostgreSQL,
 * whose article writes wait on a table lock another connection holds until the database's `lock_timeout` cancels
 * them. The job fails and the queue retries it; the retry stores the articles, and the feed is not blamed: no
 * failure recorded against it, so it neither backs off nor gets a notice.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { PgBossJobQueue } from '../../runtime/jobs/pgBossQueue.ts';
import type { JobRecord, RetryPolicy } from '../../runtime/jobs/queue.ts';
import { TestServer } from '../fetch/testServer.ts';
import { TEST_DATABASE_URL } from '../helpers/postgres.ts';
import { FIRST, type Running, rss, SECOND, startService, until } from '../helpers/serviceProcess.ts';
import { useTempDir } from '../helpers/tempDir.ts';
import { queryRows, useTestDatabase } from '../helpers/testDatabase.ts';
import { eventually } from '../jobs/backends.ts';

const tempDir = useTempDir();
const clusterUrl = process.env[TEST_DATABASE_URL];

/** The worker's fetch policy, and the test's queue's: a queue that starts applies its policies to the kind. */
const FETCH: RetryPolicy = { attempts: 3, backoffSeconds: 1, expireSeconds: 60 };

interface SourceRow {
  id: string;
  consecutive_failures: number;
  failing_since: string | null;
  last_error: string | null;
  last_success_at: string | null;
}

describe.skipIf(!clusterUrl && !process.env.CI)('a fetch job whose store step fails', () => {
  const testDatabase = useTestDatabase();
  let feeds: TestServer;
  let worker: Running | null = null;
  let queue: PgBossJobQueue | null = null;
  let holder: pg.Client | null = null;

  beforeAll(async () => {
    feeds = await TestServer.start();
  });
  afterAll(async () => {
    await holder?.end().catch(() => {});
    await queue?.stop({ graceful: false });
    if (worker && worker.child.exitCode === null) worker.child.kill('SIGKILL');
    await worker?.exited;
    await feeds?.close();
  });

  it('is retried by the queue and stores the articles, and the source is not marked failing', async () => {
    const database = testDatabase();
    onTestFailed(() => console.error(worker?.stderr().slice(-4000)));
    // every new connection to this database, the worker's included, gives up waiting for a lock after 300 ms
    await queryRows(database.url, `ALTER DATABASE "${database.name}" SET lock_timeout = '300ms'`);
    feeds.route('/feed.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss([FIRST, SECOND]));
    });
    const dir = tempDir();
    const configPath = join(dir, 'newsbrief.yaml');
    writeFileSync(
      configPath,
      [
        `database: ${JSON.stringify(join(dir, 'unused.db'))}`,
        'lang: en',
        'fetch:',
        '  allowAddresses: [127.0.0.1]',
        'feeds:',
        `  - url: ${feeds.url('/feed.xml')}`,
        '    name: Loopback Tech',
        'jobs:',
        `  fetch: { attempts: ${FETCH.attempts}, backoffSeconds: ${FETCH.backoffSeconds}, expireSeconds: ${FETCH.expireSeconds} }`,
        '  pollSeconds: 0.5',
      ].join('\n'),
    );
    worker = startService(['--role', 'worker', '--config', configPath], { NEWSBRIEF_DATABASE_URL: database.url });
    const running = worker;
    await until('the worker', () => running.logs().find((l) => l.msg === 'running'), 60_000);
    const [source] = await queryRows<SourceRow>(database.url, 'SELECT id FROM sources');
    if (!source) throw new Error('the worker stores its configured feed as a source at start');

    // held until the first try has failed: every article written meanwhile waits for it, then is cancelled
    holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE articles IN SHARE MODE');

    queue = new PgBossJobQueue(database.url, { policies: { fetch: FETCH }, pollIntervalSeconds: 0.5 });
    await queue.start();
    const started = queue;
    const { id } = await started.send('fetch', { sourceId: Number(source.id) });
    const settled = (job: JobRecord | null) =>
      job && job.state !== 'queued' && job.state !== 'running' ? job : undefined;
    const firstTry = await eventually(async () => settled(await started.job('fetch', id)), 30_000);
    expect(firstTry).toMatchObject({ state: 'retry', attempts: 1 });
    expect(firstTry.error).toMatch(/lock timeout/);
    await holder.query('COMMIT');

    const done = await eventually(async () => {
      const job = await started.job('fetch', id);
      return job?.state === 'retry' ? undefined : settled(job);
    }, 30_000);
    expect(done).toMatchObject({ state: 'completed', attempts: 2 });
    const titles = await queryRows<{ title: string }>(database.url, 'SELECT title FROM articles ORDER BY title');
    expect(titles.map((a) => a.title)).toEqual([FIRST.title, SECOND.title]);
    const [after] = await queryRows<SourceRow>(
      database.url,
      'SELECT consecutive_failures, failing_since, last_error, last_success_at FROM sources',
    );
    expect(after).toMatchObject({ consecutive_failures: 0, failing_since: null, last_error: null });
    expect(after?.last_success_at).not.toBeNull();
    // the feed was read once per try, and no fetch was logged as the feed's failure
    expect(feeds.hits('/feed.xml')).toHaveLength(2);
    expect(running.logs().filter((l) => l.msg === 'fetch failed')).toEqual([]);
    expect(running.logs().filter((l) => l.msg === 'fetched')).toHaveLength(1);
  }, 120_000);
});
