/** One transaction's client: statements and savepoint groups take turns on it, never interleave. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../../test/helpers/postgres.ts';
import { inTransaction, openPool, type PostgresPool, TransactionScope } from './database.ts';

const clusterUrl = process.env[TEST_DATABASE_URL];

describe.skipIf(!clusterUrl && !process.env.CI)('a transaction scope', () => {
  let database: TestDatabase;
  let pool: PostgresPool;
  beforeAll(async () => {
    if (!clusterUrl) throw new Error(`${TEST_DATABASE_URL} is not set`);
    database = await createTestDatabase(clusterUrl);
    pool = openPool(database.url);
    await pool.query('CREATE TABLE notes (text text PRIMARY KEY)');
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('holds a statement made during a savepoint group until the group is done, so its rollback spares it', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await inTransaction(pool, async (client) => {
      const scope = new TransactionScope(client);
      const group = inTransaction(scope, async (inner) => {
        await inner.query("INSERT INTO notes VALUES ('in the group')");
        await held;
        throw new Error('group failed');
      }).catch((error: Error) => error.message);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const outside = scope.query("INSERT INTO notes VALUES ('beside the group')");
      release();
      expect(await group).toBe('group failed');
      await outside;
    });
    const { rows } = await pool.query<{ text: string }>('SELECT text FROM notes');
    expect(rows.map((r) => r.text)).toEqual(['beside the group']);
  });
});
