/** PostgreSQL's own migrations: applied once, under a lock, all or nothing, and never onto a newer schema. */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../../test/helpers/postgres.ts';
import { appliedVersions, DatabaseVersionError, migrate, openPool, schemaVersion } from './database.ts';
import { openPostgresStore } from './index.ts';
import { MIGRATIONS } from './migrations.ts';

const clusterUrl = process.env[TEST_DATABASE_URL];
const latest = MIGRATIONS.at(-1)?.version ?? 0;

// Skipped without a cluster, except under CI, where it then fails (test/helpers/postgres.global.ts says how to get one).
describe.skipIf(!clusterUrl && !process.env.CI)('PostgreSQL migrations', () => {
  const databases: TestDatabase[] = [];
  const fresh = async () => {
    if (!clusterUrl) throw new Error(`${TEST_DATABASE_URL} is not set`);
    const database = await createTestDatabase(clusterUrl);
    databases.push(database);
    return database.url;
  };
  afterAll(async () => {
    for (const database of databases) await database.drop();
  });

  let url = '';
  beforeAll(async () => {
    url = await fresh();
  });

  it('creates every table of the SQLite schema, and the search tokens with a GIN index', async () => {
    const pool = openPool(url);
    try {
      expect(await schemaVersion(pool)).toBe(0);
      expect(await migrate(pool)).toBe(latest);
      const tables = (
        await pool.query<{ name: string }>(
          'SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1',
        )
      ).rows.map((r) => r.name);
      expect(tables).toEqual([
        'article_signatures',
        'article_topics',
        'articles',
        'deliveries',
        'destinations',
        'duplicate_links',
        'installation_teams',
        'installations',
        'leases',
        'ledger',
        'ledger_parts',
        'llm_summaries',
        'saved_queries',
        'schema_migrations',
        'slack_deliveries',
        'sources',
        'stories',
        'story_articles',
        'story_keys',
        'story_terms',
        'subscriptions',
        'topics',
      ]);
      const index = await pool.query<{ definition: string }>(
        "SELECT indexdef AS definition FROM pg_indexes WHERE indexname = 'articles_search_vector'",
      );
      expect(index.rows[0]?.definition).toMatch(/USING gin \(search_vector\)/);
      // two-syllable Hangul words are found through the index's tokens (what pg_trgm cannot do)
      await pool.query(
        `INSERT INTO articles (key, title, body, lang, content_hash, first_seen_at, last_seen_at, search_tokens)
         VALUES ('k', '삼성전자', '', 'ko', 'h', 'now', 'now', '{삼성,성전,전자}')`,
      );
      const found = await pool.query("SELECT key FROM articles WHERE search_vector @@ '삼성'::tsquery");
      expect(found.rows).toEqual([{ key: 'k' }]);
      // the threaded-digest columns of SQLite's version 14
      const layout = await pool.query<{ column_default: string }>(
        "SELECT column_default FROM information_schema.columns WHERE table_name = 'destinations' AND column_name = 'digest_layout'",
      );
      expect(layout.rows[0]?.column_default).toMatch(/'single'/);
      expect(await migrate(pool)).toBe(latest);
      expect(await appliedVersions(pool)).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      await pool.end();
    }
  });

  it('migrates once when several processes start at the same time', async () => {
    const target = await fresh();
    const pools = Array.from({ length: 4 }, () => openPool(target));
    try {
      const extra = [
        ...MIGRATIONS,
        { version: latest + 1, name: 'slow', sql: 'SELECT pg_sleep(0.2); CREATE TABLE extra (x integer)' },
      ];
      const versions = await Promise.all(pools.map((pool) => migrate(pool, extra)));
      expect(versions).toEqual(pools.map(() => latest + 1));
      const applied = await pools[0]?.query<{ version: number; n: number }>(
        'SELECT version, count(*) AS n FROM schema_migrations GROUP BY version ORDER BY version',
      );
      expect(applied?.rows).toEqual(extra.map((m) => ({ version: m.version, n: 1 })));
      // the lock is given back: nobody waits on it now
      const locks = await pools[0]?.query(
        "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
      );
      expect(locks?.rowCount).toBe(0);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it('rolls a failing migration back completely, and refuses a newer schema', async () => {
    const target = await fresh();
    const pool = openPool(target);
    try {
      await migrate(pool);
      const broken = [
        ...MIGRATIONS,
        { version: latest + 1, name: 'broken', sql: 'CREATE TABLE t2 (x integer); INSERT INTO nowhere VALUES (1);' },
      ];
      await expect(migrate(pool, broken)).rejects.toBeInstanceOf(pg.DatabaseError);
      expect(await schemaVersion(pool)).toBe(latest);
      expect((await pool.query("SELECT to_regclass('t2') AS t")).rows).toEqual([{ t: null }]);
      await migrate(pool, [...MIGRATIONS, { version: latest + 2, name: 'later', sql: 'SELECT 1' }]);
      await expect(migrate(pool)).rejects.toBeInstanceOf(DatabaseVersionError);
      await expect(openPostgresStore(target)).rejects.toThrow(/newer than this newsbrief knows/);
      // a failed migration leaves no lock behind
      expect(
        (
          await pool.query(
            "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
          )
        ).rowCount,
      ).toBe(0);
    } finally {
      await pool.end();
    }
  });
});
