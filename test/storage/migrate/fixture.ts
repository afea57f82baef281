/**
 * What the migrate tests copy and where to: a real newsbrief SQLite file (the bundled sample news ingested, plus
 * destinations, subscriptions, saved searches, deliveries, ledger entries with thread parts, a lease, Slack
 * installations (a workspace's, and an org's with a workspace it covers) and a delivery taken, and a cached summary),
 * and a PostgreSQL cluster: the run's
 * (NEWSBRIEF_TEST_DATABASE_URL), or one of this file's own when a run of only these files started none.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { newDestination } from '../../../src/engine/destinations.ts';
import { openSqliteStore } from '../../../storage/sqlite/index.ts';
import { runMainInProcess } from '../../helpers/cliInProcess.ts';
import {
  type Cluster,
  createTestDatabase,
  serverBinaries,
  startCluster,
  TEST_DATABASE_URL,
  type TestDatabase,
} from '../../helpers/postgres.ts';
import { openSampleApp } from '../../helpers/sample.ts';

/** Whether these tests can run: a cluster is named or can be started here (under CI one must be). */
export const POSTGRES_AVAILABLE = Boolean(process.env[TEST_DATABASE_URL] || serverBinaries() || process.env.CI);

/**
 * The cluster's URL for this file's tests, and a new empty database in it per call (dropped after the file).
 * Call at the top level of a test file.
 */
export function usePostgres(): { fresh: () => Promise<TestDatabase>; clusterUrl: () => string } {
  let cluster: Cluster | null = null;
  let url = process.env[TEST_DATABASE_URL] ?? '';
  const databases: TestDatabase[] = [];
  beforeAll(async () => {
    if (url) return;
    const bin = serverBinaries();
    if (!bin) throw new Error(`no PostgreSQL: set ${TEST_DATABASE_URL} or install PostgreSQL's server`);
    cluster = await startCluster(bin);
    url = cluster.url;
  }, 60_000);
  afterAll(async () => {
    for (const database of databases.splice(0)) await database.drop().catch(() => {});
    cluster?.stop();
  });
  return {
    fresh: async () => {
      const database = await createTestDatabase(url);
      databases.push(database);
      return database;
    },
    clusterUrl: () => url,
  };
}

const AT = '2026-11-26T09:00:00.000Z';

/**
 * Builds the instance in `dir` (the sample news, then rows of every other table) and returns its file. Built once,
 * then copied: `instanceCopy` gives another file of the same instance.
 */
export async function buildInstance(dir: string): Promise<string> {
  const app = await openSampleApp(dir);
  const path = app.dbPath;
  app.close();
  const store = openSqliteStore(path, { now: () => AT });
  try {
    const slack = store.destinations.ensure({
      ...newDestination({ platform: 'slack', workspace: 'T1', channel: 'C1', user: null }),
      lang: 'ko',
      timeZone: 'Asia/Seoul',
      digestTime: '08:30',
      weekdays: [1, 2, 3, 4, 5],
    });
    store.destinations.update(slack.key, { digestLayout: 'thread', storyLimit: 7, skipEmpty: true });
    const discord = store.destinations.ensure({
      ...newDestination({ platform: 'discord', workspace: 'G1', channel: '42', user: null }),
      digestTime: '09:00',
    });
    store.destinations.update(discord.key, { enabled: false, pausedReason: 'forbidden' });
    const person = store.destinations.ensure(
      newDestination({ platform: 'slack', workspace: 'T1', channel: null, user: 'U7' }),
    );
    store.destinations.update(person.key, { alerts: true, alertCap: 3 });

    for (const topic of ['samsung-electronics', 'nvidia', 'sk-hynix']) store.subscriptions.add(slack.key, topic);
    store.subscriptions.add(discord.key, 'nvidia');
    store.subscriptions.setNotify(slack.key, 'nvidia', { kind: 'group', id: 'S123' });
    store.subscriptions.setNotify(discord.key, 'nvidia', { kind: 'role', id: '777' });
    store.subscriptions.addQuery(slack.key, '삼성 hbm -루머');
    store.subscriptions.addQuery(person.key, '"on-device AI" lang:en');

    const articles = store.articles.listPublishedBetween('2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z', 10);
    for (const article of articles.slice(0, 5)) {
      store.deliveries.record(slack.key, `story-${article.id}`, article.id, AT);
    }
    store.articles.holdFromDigests(articles.slice(5, 7).map((a) => a.id));

    const sent = store.ledger.plan({
      destination: slack.key,
      slot: 'digest:2026-11-26',
      kind: 'digest',
      localDate: '2026-11-26',
      dueAt: '2026-11-25T23:30:00.000Z',
      state: 'pending',
    }).entry;
    store.ledger.claim(sent.id, ['pending']);
    store.ledger.planParts(sent.id, [
      { part: 0, storyKey: null, body: '오늘의 뉴스: 3건' },
      { part: 1, storyKey: 'story-a', body: '삼성전자, HBM4 출하' },
      { part: 2, storyKey: 'story-b', body: 'NVIDIA earnings' },
    ]);
    store.ledger.markPart(sent.id, 0, ['planned'], 'sent', 'm-0');
    store.ledger.setThread(sent.id, 'thread-1');
    store.ledger.markPart(sent.id, 1, ['planned'], 'sent', 'm-1');
    store.ledger.markSent(sent.id, { messageId: 'm-0', contentHash: 'h1', storyKeys: ['story-a', 'story-b'] });
    const failed = store.ledger.plan({
      destination: discord.key,
      slot: 'digest:2026-11-26',
      kind: 'digest',
      localDate: '2026-11-26',
      dueAt: '2026-11-26T00:00:00.000Z',
      state: 'pending',
    }).entry;
    store.ledger.claim(failed.id, ['pending']);
    store.ledger.markFailed(failed.id, 'transient', 'HTTP 502', '2026-11-26T00:05:00.000Z');
    store.ledger.plan({
      destination: person.key,
      slot: 'alert:story-a',
      kind: 'alert',
      localDate: null,
      dueAt: '2026-11-26T01:00:00.000Z',
      state: 'skipped',
      failure: 'cap',
      detail: 'daily cap reached',
    });
    store.leases.acquire('scheduler', 'host-1:123', AT, '2026-11-26T09:01:00.000Z');
    store.summaries.put('story:story-a', 'ko', 'input-1', {
      sentences: ['삼성전자가 HBM4를 출하했다.', '엔비디아에 공급된다.'],
      model: 'gpt-4o-mini',
      createdAt: AT,
    });
    store.installations.save(
      { enterpriseId: null, teamId: 'T1', enterpriseInstall: false },
      { team: { id: 'T1', name: 'Test' }, bot: { token: 'xoxb-fixture', userId: 'U0BOT', scopes: ['commands'] } },
    );
    store.installations.save(
      { enterpriseId: 'E1', teamId: null, enterpriseInstall: true },
      {
        enterprise: { id: 'E1', name: 'Org' },
        bot: { token: 'xoxb-fixture-org', userId: 'U0BOT', scopes: ['commands'] },
      },
    );
    store.installations.cover('E1', 'T2');
    store.slackDeliveries.take('trigger:T1:1.2.3', AT);
  } finally {
    store.close();
  }
  return path;
}

/** Another file of the same instance (its copy), at `dir`/name. */
export function instanceCopy(path: string, dir: string, name = 'copy.db'): string {
  const target = join(dir, name);
  copyFileSync(path, target);
  for (const journal of ['-wal', '-shm'])
    if (existsSync(`${path}${journal}`)) copyFileSync(`${path}${journal}`, `${target}${journal}`);
  return target;
}

/** The CLI in this process, its output captured. */
export function runMain(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ status: number; stdout: string; stderr: string }> {
  return runMainInProcess(args, { NEWSBRIEF_CONFIG: '', NEWSBRIEF_DATABASE_URL: '', ...env });
}
