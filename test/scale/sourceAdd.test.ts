/**
 * `/news sources add` with the roles apart (issue 17): the web process answers the signed Slack command, a worker
 * fetches the feed (an `addSource` job), the scheduler has it polled from then on. The web process is given a
 * config whose fetches may not reach 127.0.0.1, the worker one whose fetches may: a feed on 127.0.0.1 added at all
 * was fetched by the worker (from the web process it would be refused as no public address). A worker killed
 * mid-job leaves the job to another worker once it has expired: the feed is added once.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { TestServer } from '../fetch/testServer.ts';
import { TEST_DATABASE_URL } from '../helpers/postgres.ts';
import { freePort, killAll, printStderr, type Running, startService, until } from '../helpers/serviceProcess.ts';
import { useTempDir } from '../helpers/tempDir.ts';
import { queryRows, useTestDatabase } from '../helpers/testDatabase.ts';
import { BOT_TOKEN, postSigned, SIGNING_SECRET, SlackStandIn, slashCommand } from '../slack/standIn.ts';

const tempDir = useTempDir();
const clusterUrl = process.env[TEST_DATABASE_URL];
const ADMIN = 'U0ADMIN';
const SUBJECTS = ['volcano', 'saxophone', 'glacier', 'tapestry', 'origami'];

/** Five unrelated items, the newest first. */
function feed(title: string, prefix: string): string {
  const items = SUBJECTS.map((subject, i) => {
    const when = new Date(Date.now() - (i + 1) * 20 * 60_000).toUTCString();
    return `<item><title>${prefix} researchers publish a ${subject} study</title>
<link>https://${prefix}.example/${subject}</link><guid>https://${prefix}.example/${subject}</guid><pubDate>${when}</pubDate>
<description>The ${prefix} team said on Tuesday that its ${subject} findings, gathered over ${i + 3} years, change how ${subject} experts work.</description></item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${title}</title>
<link>https://${prefix}.example/</link><language>en</language>${items.join('\n')}</channel></rss>`;
}

describe.skipIf(!clusterUrl && !process.env.CI)('sources add from chat with the roles apart', () => {
  const testDatabase = useTestDatabase();
  let slack: SlackStandIn;
  let feeds: TestServer;
  const processes: Running[] = [];

  beforeAll(async () => {
    slack = await new SlackStandIn().start();
    slack.users.set(ADMIN, { is_admin: true });
    feeds = await TestServer.start();
  });
  afterAll(async () => {
    await killAll(processes);
    await feeds?.close();
    await slack?.close();
  });

  it('is answered by web, fetched by a worker, polled afterwards, and one source however often it is sent', async () => {
    const database = testDatabase();
    onTestFailed(() => printStderr(processes, 4000));
    // slow enough that two commands sent together are both waiting on the first one's job
    feeds.route('/wire.xml', (_req, res) => {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/rss+xml', 'cache-control': 'max-age=1' });
        res.end(feed('Loopback Wire', 'alpha'));
      }, 1_000);
    });
    // slower than the web process waits
    feeds.route('/slow.xml', (_req, res) => {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed('Slow Wire', 'beta'));
      }, 10_000);
    });
    const dir = tempDir();
    const writeConfig = (name: string, fetchLines: string[]) => {
      const path = join(dir, name);
      writeFileSync(
        path,
        [
          `database: ${JSON.stringify(join(dir, 'unused.db'))}`,
          'lang: en',
          'timeZone: UTC',
          'fetch:',
          ...fetchLines,
          '  minIntervalSeconds: 1',
          'jobs:',
          // a killed worker's job is taken by another within seconds, not minutes
          '  addSource: { expireSeconds: 15, backoffSeconds: 1 }',
          '  addSourceWaitSeconds: 5',
          '  pollSeconds: 0.5',
          '  maintenanceSeconds: 1',
        ].join('\n'),
      );
      return path;
    };
    const webConfig = writeConfig('web.yaml', ['  allowAddresses: []']);
    const workerConfig = writeConfig('worker.yaml', ['  allowAddresses: [127.0.0.1]']);
    const slackPort = await freePort();
    const env = {
      NEWSBRIEF_DATABASE_URL: database.url,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: String(slackPort),
    };
    const start = (role: string, config: string) => {
      const running = startService(['--role', role, '--config', config], env);
      processes.push(running);
      return running;
    };
    const scheduler = start('scheduler', workerConfig);
    await until('the scheduler', () => scheduler.logs().find((l) => l.msg === 'running'), 60_000);
    const [web, worker] = [start('web', webConfig), start('worker', workerConfig)];
    for (const p of [web, worker])
      await until('every role running', () => p.logs().find((l) => l.msg === 'running'), 60_000);

    const wireUrl = feeds.url('/wire.xml');
    const command = async (text: string) => {
      const responseUrl = slack.responseUrl();
      const status = await postSigned(
        `http://127.0.0.1:${slackPort}/slack/events`,
        slashCommand({ text, user: ADMIN, responseUrl }),
      );
      expect(status).toBe(200);
      await until(`the answer to ${text}`, () => slack.responsesTo(responseUrl).length > 0, 30_000);
      return JSON.stringify(slack.responsesTo(responseUrl)[0]?.body);
    };

    // the same command twice at once: one job, both answered with what it added
    const answers = await Promise.all([
      command(`sources add ${wireUrl} last 2`),
      command(`sources add ${wireUrl} last 2`),
    ]);
    for (const answer of answers) {
      expect(answer).toContain('Added Loopback Wire: 5 items');
      expect(answer).toContain(
        'Its newest 2 items go into the next digest; the 3 earlier ones are kept for search only.',
      );
    }
    const jobLines = (p: Running) => p.logs().filter((l) => l.msg === 'source add job');
    expect(jobLines(worker)).toEqual([expect.objectContaining({ url: wireUrl, ok: true, added: 5, held: 3 })]);
    expect([scheduler, web].map((p) => jobLines(p).length)).toEqual([0, 0]);
    // and once more after it was added: followed already, nothing fetched or let in again
    expect(await command(`sources add ${wireUrl} last 2`)).toContain('newsbrief already follows that feed.');

    const [source, ...others] = await queryRows<{ id: number; added_by: string; removed_at: string | null }>(
      database.url,
      `SELECT id, added_by, removed_at FROM sources WHERE key = '${wireUrl}'`,
    );
    expect(others).toEqual([]);
    expect(source).toMatchObject({ added_by: 'slack:C0NEWS', removed_at: null });
    const held = await queryRows<{ held: boolean; n: string }>(
      database.url,
      `SELECT digest_held AS held, count(*) AS n FROM articles WHERE source_id = ${source?.id} GROUP BY digest_held ORDER BY 1`,
    );
    expect(held).toEqual([
      { held: false, n: '2' },
      { held: true, n: '3' },
    ]);

    // polled from then on: the scheduler queues its fetch once due, a worker fetches it
    await until(
      'the added feed polled',
      () => worker.logs().find((l) => l.msg === 'fetched' && l.source === wireUrl),
      90_000,
    );
    expect(web.logs().filter((l) => l.msg === 'fetched')).toEqual([]);

    // a feed slower than the web process waits: answered as being added; the worker is killed mid-job, and
    // another worker takes the job once it has expired and adds the feed, once
    const slowUrl = feeds.url('/slow.xml');
    expect(await command(`sources add ${slowUrl}`)).toContain(
      'That feed is being added: it will be polled once it has been read',
    );
    await until('the slow feed asked for', () => feeds.requests.some((r) => r.path === '/slow.xml'), 10_000);
    worker.child.kill('SIGKILL');
    await worker.exited;
    const second = start('worker', workerConfig);
    const retried = await until(
      'the slow feed added by the second worker',
      () => jobLines(second).find((l) => l.url === slowUrl),
      90_000,
    );
    expect(retried).toMatchObject({ ok: true, attempt: 2, added: 5, held: 5 });
    const slow = await queryRows<{ id: string; added_by: string }>(
      database.url,
      `SELECT id, added_by FROM sources WHERE key = '${slowUrl}'`,
    );
    expect(slow).toEqual([{ id: String(retried.sourceId), added_by: 'slack:C0NEWS' }]);
    const slowHeld = await queryRows<{ held: boolean; n: string }>(
      database.url,
      `SELECT digest_held AS held, count(*) AS n FROM articles WHERE source_id = ${slow[0]?.id} GROUP BY digest_held`,
    );
    expect(slowHeld).toEqual([{ held: true, n: '5' }]);
  }, 300_000);
});
