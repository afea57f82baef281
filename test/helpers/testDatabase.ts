/** A test file's own PostgreSQL database, and its rows read back, for tests of what processes stored there. */
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from './postgres.ts';

/** Registers, in the describe it is called in, a database made before its tests and dropped after them. */
export function useTestDatabase(): () => TestDatabase {
  let database: TestDatabase | null = null;
  beforeAll(async () => {
    const clusterUrl = process.env[TEST_DATABASE_URL];
    if (!clusterUrl) throw new Error(`${TEST_DATABASE_URL} is not set: CI needs PostgreSQL`);
    database = await createTestDatabase(clusterUrl);
  });
  afterAll(async () => {
    await database?.drop();
  });
  return () => {
    if (!database) throw new Error('the test database is made in beforeAll');
    return database;
  };
}

/** The rows a query gives, on a connection of its own. */
export async function queryRows<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}
