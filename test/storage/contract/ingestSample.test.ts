/**
 * Ingestion and story indexing on PostgreSQL: the bundled sample news through the real Ingestor into PostgreSQL
 * and into SQLite gives the same articles, the same stories and the same near-duplicate links (skipped without a
 * cluster, like the other PostgreSQL runs).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ingestor, type IngestReport } from '../../../src/ingest/ingest.ts';
import { SAMPLE_NEWS_PATH, TOPIC_CATALOG_PATH } from '../../../src/paths.ts';
import { StoryIndexer } from '../../../src/stories/indexer.ts';
import { loadTopicServices } from '../../../src/topics/services.ts';
import type { AsyncStore } from '../../../storage/asyncStore.ts';
import { openPostgresStore, type PostgresStore } from '../../../storage/postgres/index.ts';
import { openSqliteStore, type SqliteStore } from '../../../storage/sqlite/index.ts';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../../helpers/postgres.ts';

const clusterUrl = process.env[TEST_DATABASE_URL];
const topics = loadTopicServices(TOPIC_CATALOG_PATH);

interface Archive {
  report: IngestReport;
  /** Each story as the sorted keys of its articles, sorted. */
  stories: string[][];
  /** Copy links as sorted key pairs, with their scores. */
  links: string[];
  /** Article key → the key of the article it joined its story as a copy of. */
  copies: Map<string, string | null>;
}

/** What ingesting the sample left in `store`, by article key (ids are compared through keys). */
async function read(store: AsyncStore, report: IngestReport): Promise<Archive> {
  const ids = [...new Set(report.outcomes.flatMap((o) => (o.articleId === undefined ? [] : [o.articleId])))];
  const articles = await store.articles.getMany(ids);
  const keyOf = new Map(articles.map((a) => [a.id, a.key]));
  const byStory = new Map<number, string[]>();
  const copies = new Map<string, string | null>();
  const links = new Set<string>();
  for (const article of articles) {
    const member = await store.stories.membership(article.id);
    if (!member) continue;
    byStory.set(member.storyId, [...(byStory.get(member.storyId) ?? []), article.key]);
    copies.set(article.key, member.copyOf === null ? null : (keyOf.get(member.copyOf) ?? '?'));
    for (const link of await store.duplicates.links(article.id)) {
      const pair = [article.key, keyOf.get(link.otherId) ?? '?'].sort();
      links.add(`${pair.join(' ~ ')} ${link.jaccard} ${link.containment}`);
    }
  }
  const stories = [...byStory.values()]
    .map((keys) => keys.sort())
    .sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
  return { report, stories, links: [...links].sort(), copies };
}

const statuses = (report: IngestReport) => report.outcomes.map((o) => `${o.origin} ${o.status}`);

/** Each story's profile, tags and span, by story key. */
async function storyRecords(store: AsyncStore, report: IngestReport): Promise<Map<string, unknown>> {
  const ids = [...new Set(report.outcomes.flatMap((o) => (o.articleId === undefined ? [] : [o.articleId])))];
  const storyIds = [...new Set((await store.stories.storyIds(ids)).values())];
  const stories = await store.stories.getMany(storyIds);
  return new Map(stories.map((s) => [s.key, [s.firstMs, s.lastMs, s.articleCount, s.profile, s.tags]]));
}

describe.skipIf(!clusterUrl && !process.env.CI)('ingesting the sample news: PostgreSQL as SQLite', () => {
  let dir: string;
  let sqlite: SqliteStore;
  let database: TestDatabase;
  let postgres: PostgresStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'newsbrief-ingest-pg-'));
    sqlite = openSqliteStore(join(dir, 'nb.db'));
    sqlite.topics.sync(topics.records);
    database = await createTestDatabase(clusterUrl as string);
    postgres = await openPostgresStore(database.url, { max: 2 });
    await postgres.topics.sync(topics.records);
  }, 60_000);

  afterAll(async () => {
    sqlite?.close();
    await postgres?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores the same articles, stories and copy links, and a second run changes nothing', async () => {
    const onSqlite = await new Ingestor(sqlite.async, topics.tagger).ingestPaths([SAMPLE_NEWS_PATH]);
    const onPostgres = await new Ingestor(postgres, topics.tagger).ingestPaths([SAMPLE_NEWS_PATH]);
    expect(onPostgres.counts).toEqual(onSqlite.counts);
    expect(onPostgres.counts.failed).toBe(0);
    expect(statuses(onPostgres)).toEqual(statuses(onSqlite));

    const expected = await read(sqlite.async, onSqlite);
    const actual = await read(postgres, onPostgres);
    expect(expected.stories.length).toBeGreaterThan(10);
    expect(actual.stories).toEqual(expected.stories);
    expect(actual.copies).toEqual(expected.copies);
    expect(actual.links).toEqual(expected.links);
    expect(await postgres.storyTerms.documentCount()).toBe(await sqlite.async.storyTerms.documentCount());
    expect(await postgres.stories.unassigned(10)).toEqual([]);

    // Another ingestor (another process) over the same database: everything is unchanged.
    const again = await new Ingestor(postgres, topics.tagger).ingestPaths([SAMPLE_NEWS_PATH]);
    expect(again.counts).toMatchObject({ added: 0, updated: 0, failed: 0 });
    expect((await read(postgres, again)).stories).toEqual(expected.stories);
  }, 120_000);

  it('places articles stored without stories in batches as one at a time, on PostgreSQL as on SQLite', async () => {
    const later = openSqliteStore(join(dir, 'later.db'));
    later.topics.sync(topics.records);
    const laterDatabase = await createTestDatabase(clusterUrl as string);
    const laterPostgres = await openPostgresStore(laterDatabase.url, { max: 2 });
    try {
      await laterPostgres.topics.sync(topics.records);
      const options = { indexStories: false };
      const onSqlite = await new Ingestor(later.async, topics.tagger, options).ingestPaths([SAMPLE_NEWS_PATH]);
      const onPostgres = await new Ingestor(laterPostgres, topics.tagger, options).ingestPaths([SAMPLE_NEWS_PATH]);
      const pending = await later.async.stories.unassigned(100_000);
      expect(pending.length).toBeGreaterThan(40);
      // One article per batch, as `indexPending` placed them before it worked in batches.
      const oneAtATime = new StoryIndexer(later.async, topics.tagger);
      for (const id of pending) expect(await oneAtATime.index(id)).not.toBeNull();
      expect(await new StoryIndexer(laterPostgres, topics.tagger).indexPending()).toBe(pending.length);

      const expected = await read(later.async, onSqlite);
      const actual = await read(laterPostgres, onPostgres);
      expect(actual.stories).toEqual(expected.stories);
      expect(actual.copies).toEqual(expected.copies);
      expect(actual.links).toEqual(expected.links);
      expect(await storyRecords(laterPostgres, onPostgres)).toEqual(await storyRecords(later.async, onSqlite));
      expect(await laterPostgres.storyTerms.documentCount()).toBe(await later.async.storyTerms.documentCount());
      expect(await laterPostgres.stories.unassigned(10)).toEqual([]);
    } finally {
      later.close();
      await laterPostgres.close();
      await laterDatabase.drop();
    }
  }, 120_000);
});
