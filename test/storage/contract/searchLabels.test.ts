/**
 * Search on PostgreSQL gives what it gives on SQLite for every query the labelled sample set asks: the bundled
 * sample news is ingested through the real pipeline into SQLite, its articles are copied to PostgreSQL with their
 * ids, and each search the engine sends while answering the labelled queries (`npm run bench:quality`) is replayed
 * on PostgreSQL. Equal candidates (ids, text scores, order) for every one of them mean the labelled set scores the
 * same on both backends.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadQueryLabels } from '../../../bench/quality/labels.ts';
import { ingestSampleArchive, type SampleArchive } from '../../../bench/quality/sampleArchive.ts';
import { CROSS_LANGUAGE_PAIRS, SAMPLE_NOW } from '../../../src/search/evaluate.ts';
import { parseQuery } from '../../../src/search/query.ts';
import { searchArchive } from '../../../src/search/search.ts';
import { openPostgresStore, type PostgresStore } from '../../../storage/postgres/index.ts';
import { articleSearchTokens } from '../../../storage/postgres/searchTokens.ts';
import type { ArticleSearch, SearchCandidate } from '../../../storage/repositories.ts';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../../helpers/postgres.ts';

const clusterUrl = process.env[TEST_DATABASE_URL];

describe.skipIf(!clusterUrl && !process.env.CI)('search on the labelled sample: PostgreSQL as SQLite', () => {
  let archive: SampleArchive;
  let database: TestDatabase;
  let postgres: PostgresStore;
  const asked: { search: ArticleSearch; sqlite: SearchCandidate[] }[] = [];

  beforeAll(async () => {
    archive = await ingestSampleArchive();
    database = await createTestDatabase(clusterUrl as string);
    postgres = await openPostgresStore(database.url, { max: 2 });
    const file = new Database(archive.dbPath, { readonly: true });
    const held = new Map(
      file
        .prepare<[], { id: number; digest_held: number }>('SELECT id, digest_held FROM articles ORDER BY id')
        .all()
        .map((r) => [r.id, r.digest_held === 1]),
    );
    file.close();
    const app = archive.open(SAMPLE_NOW);
    try {
      for (const a of app.store.articles.getMany([...held.keys()])) {
        await postgres.pool.query(
          `INSERT INTO articles (id, key, url, source_name, title, deck, body, byline, lang, published_at,
             published_ms, updated_at, content_hash, first_seen_at, last_seen_at, digest_held, search_tokens)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
          [
            a.id,
            a.key,
            a.url,
            a.sourceName,
            a.title,
            a.deck,
            a.paragraphs.join('\n\n'),
            a.byline,
            a.lang,
            a.publishedAt,
            a.publishedAt ? Date.parse(a.publishedAt) : null,
            a.updatedAt,
            a.contentHash,
            a.firstSeenAt,
            a.lastSeenAt,
            held.get(a.id),
            articleSearchTokens(a),
          ],
        );
        await postgres.articles.setTopics(a.id, a.topics);
      }
      // Every search the engine sends for the labelled queries (5 and 10 results, as the quality bench asks).
      const search = app.storage.articles.search.bind(app.storage.articles);
      app.storage.articles.search = async (query) => {
        const found = await search(query);
        asked.push({ search: structuredClone(query), sqlite: found });
        return found;
      };
      const queries = [...loadQueryLabels().map((l) => l.query), ...CROSS_LANGUAGE_PAIRS.flat()];
      for (const query of queries) {
        for (const limit of [5, 10])
          await searchArchive(app.storage, app.topics, parseQuery(query), { limit, now: app.now() });
      }
    } finally {
      app.close();
    }
  }, 60_000);

  afterAll(async () => {
    await postgres?.close();
    await database?.drop();
    archive?.close();
  });

  it('answers every search the labelled queries send with the same candidates, scores and order', async () => {
    expect(asked.length).toBeGreaterThan(50);
    expect(asked.filter((a) => a.sqlite.length > 0).length).toBeGreaterThan(40);
    const differing: string[] = [];
    for (const { search, sqlite } of asked) {
      const found = await postgres.articles.search(search);
      if (JSON.stringify(found) !== JSON.stringify(sqlite)) differing.push(JSON.stringify(search.text));
    }
    expect(differing).toEqual([]);
  });
});
