/**
 * The storage backends the contract tests run on. A test sees a backend only through the repository interfaces
 * and calls every method with `await`, as the engine does through `AsyncStore`, on SQLite and on PostgreSQL.
 *
 * Each test file runs its tests on each backend:
 * `describeBackends([sqliteBackend(), postgresBackend()], (backend) => { … })`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe } from 'vitest';
import { createLogger } from '../../../src/ops/logger.ts';
import type { AsyncStore } from '../../../storage/asyncStore.ts';
import { openPostgresStore, type PostgresStore } from '../../../storage/postgres/index.ts';
import type { Store } from '../../../storage/repositories.ts';
import { openSqliteStore } from '../../../storage/sqlite/index.ts';
import { createTestDatabase, emptyDatabase, TEST_DATABASE_URL, type TestDatabase } from '../../helpers/postgres.ts';

export interface OpenOptions {
  /** The clock the store stamps rows with. */
  now?: () => string;
}

export interface Backend {
  name: string;
  /** Why it cannot run here (its tests are then skipped), or null. */
  unavailable: string | null;
  /**
   * Opens another store on the current test's database (its own connection: two stores are two processes). A
   * test's first store starts from an empty database.
   */
  open(options?: OpenOptions): Promise<AsyncStore>;
  /** Closes every store opened so far; what they wrote stays for the next `open` of the same test. */
  close(): Promise<void>;
  /** Closes every store and forgets the test's database: the next test starts from an empty one. */
  reset(): Promise<void>;
}

/**
 * SQLite: a file in a temporary folder, one per test; each store is a connection of its own to it, seen through
 * the `AsyncStore` the engine uses.
 */
export function sqliteBackend(): Backend {
  let dir: string | null = null;
  const stores: Store[] = [];
  const openStore = async (options: OpenOptions = {}) => {
    dir ??= mkdtempSync(join(tmpdir(), 'newsbrief-contract-'));
    const store = openSqliteStore(join(dir, 'newsbrief.db'), options.now ? { now: options.now } : {});
    stores.push(store);
    return store.async;
  };
  return {
    name: 'sqlite',
    unavailable: null,
    open: openStore,
    close: async () => {
      for (const store of stores.splice(0)) store.close();
    },
    reset: async () => {
      for (const store of stores.splice(0)) store.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = null;
    },
  };
}

/**
 * PostgreSQL: one database per test file in the run's cluster (test/helpers/postgres.ts), emptied between tests;
 * each store is a pool of its own. Call it at the top of a test file (it drops the database after the file).
 */
export function postgresBackend(): Backend {
  const clusterUrl = process.env[TEST_DATABASE_URL];
  let database: Promise<TestDatabase> | null = null;
  let used = false;
  const stores: PostgresStore[] = [];
  // Migrations are logged to the suite's log copy only (the secret scan reads it), not to the test output.
  const log = createLogger({ name: 'contract', destination: { write: () => undefined } });
  afterAll(async () => {
    if (database) await (await database).drop();
  });
  const openStore = async (options: OpenOptions = {}) => {
    if (!clusterUrl) throw new Error(`${TEST_DATABASE_URL} is not set: the PostgreSQL contract tests cannot run`);
    database ??= createTestDatabase(clusterUrl);
    const { url } = await database;
    used = true;
    const store = await openPostgresStore(url, { max: 4, log, ...(options.now ? { now: options.now } : {}) });
    stores.push(store);
    return store;
  };
  return {
    name: 'postgres',
    // Under CI a missing cluster is a failure (open throws), not a skip.
    unavailable: clusterUrl || process.env.CI ? null : `no PostgreSQL for the tests (${TEST_DATABASE_URL} is not set)`,
    open: openStore,
    close: async () => {
      await Promise.all(stores.splice(0).map((store) => store.close()));
    },
    reset: async () => {
      await Promise.all(stores.splice(0).map((store) => store.close()));
      if (database && used) await emptyDatabase((await database).url);
      used = false;
    },
  };
}

/**
 * Runs `body`'s tests once per backend, in a describe block named after it, with an empty database for each
 * test. A backend that cannot run here has its tests reported as skipped.
 */
export function describeBackends(backends: readonly Backend[], body: (backend: Backend) => void): void {
  const suite = (backend: Backend) => {
    afterEach(() => backend.reset());
    body(backend);
  };
  const runnable = backends.filter((b) => b.unavailable === null);
  const skipped = backends.filter((b) => b.unavailable !== null);
  const named = (list: Backend[]) => list.map((b) => [b.name, b] as const);
  if (runnable.length > 0) describe.each(named(runnable))('%s', (_, backend) => suite(backend));
  if (skipped.length > 0) {
    describe.skip.each(named(skipped))(`%s (${skipped[0]?.unavailable})`, (_, backend) => suite(backend));
  }
}

/** A clock the test moves by hand, shared by the stores of one test. */
export function manualClock(start = '2026-12-01T00:00:00.000Z'): { now: () => string; set(iso: string): void } {
  let current = start;
  return {
    now: () => current,
    set: (iso) => {
      current = iso;
    },
  };
}
