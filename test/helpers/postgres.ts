/**
 * PostgreSQL for the tests. A run gets one throwaway cluster (started by `.ci/run`, or by the vitest globalSetup
 * in postgres.global.ts), named by NEWSBRIEF_TEST_DATABASE_URL; each test file makes databases of its own in it,
 * so files run in parallel without seeing each other's rows.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export { type Cluster, serverBinaries, startCluster } from '../../storage/postgres/throwawayCluster.ts';

/** The cluster the tests use: `postgres://user@host:port/db` of a role that may create databases. */
export const TEST_DATABASE_URL = 'NEWSBRIEF_TEST_DATABASE_URL';

export interface TestDatabase {
  name: string;
  url: string;
  /** Drops it, closing whatever connections are left. */
  drop(): Promise<void>;
}

/** A new, empty database with a name of its own in the cluster at `clusterUrl`. */
export async function createTestDatabase(clusterUrl: string): Promise<TestDatabase> {
  const name = `newsbrief_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: clusterUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(clusterUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

/** Empties every table of the database but the migrations' record, and restarts its ids. */
export async function emptyDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      "SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_migrations'",
    );
    if (rows.length > 0) await client.query(`TRUNCATE ${rows.map((r) => r.name).join(', ')} RESTART IDENTITY CASCADE`);
  } finally {
    await client.end();
  }
}
