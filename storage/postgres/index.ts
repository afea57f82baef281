/**
 * The PostgreSQL backend: every repository of `Store` (storage/repositories.ts) as `Async<…>` of its interface,
 * with SQLite's semantics, each write that processes may race on one statement or one transaction on one client
 * (test/storage/contract runs the same contract on both), behind the `AsyncStore` the engine uses. A backup is
 * `pg_dump`'s job.
 */
import type { AsyncStore, AsyncTransaction } from '../asyncStore.ts';
import { createArticleRepository } from './articles.ts';
import { createSubscriptionRepository, createTopicRepository } from './channels.ts';
import {
  type Executor,
  inTransaction,
  type MigrationLog,
  migrate,
  openPool,
  type PoolOptions,
  type PostgresPool,
  TransactionScope,
} from './database.ts';
import { createDeliveryRepository } from './deliveries.ts';
import { createDestinationRepository } from './destinations.ts';
import { createDuplicateRepository } from './duplicates.ts';
import { createInstallationRepository } from './installations.ts';
import { createLeaseRepository, createLedgerRepository } from './ledger.ts';
import { createSlackDeliveryRepository } from './slackDeliveries.ts';
import { createSourceRepository } from './sources.ts';
import { createStoryRepository } from './stories.ts';
import { createTermStatisticsRepository } from './storyTerms.ts';
import { createSummaryCacheRepository } from './summaries.ts';

export type { Async } from '../asyncStore.ts';
export { DatabaseVersionError, type MigrationLog, migrate, openPool, schemaVersion } from './database.ts';

export interface PostgresStore extends AsyncStore {
  readonly backend: 'postgres';
  /** The pool under the repositories (tests and tools; the engine never sees SQL). */
  pool: PostgresPool;
  /** Waits for statements in flight and closes every connection. */
  close(): Promise<void>;
}

export interface PostgresStoreOptions extends PoolOptions {
  /** Clock for the stamps the repositories write (tests pin it). */
  now?: () => string;
  /** Told of each migration applied. */
  log?: MigrationLog;
}

/** Connects to the database at `url` (`postgres://…`), migrates it, and returns the repositories over it. */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
  const pool = openPool(url, options);
  try {
    await migrate(pool, undefined, options.log);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const now = options.now ?? (() => new Date().toISOString());
  return {
    backend: 'postgres',
    ...transactionOver(pool, now),
    pool,
    backupTo: () =>
      Promise.reject(new Error('a PostgreSQL database is backed up with pg_dump, not `newsbrief backup`')),
    close: () => pool.end(),
  };
}

/** The repositories over the pool or one transaction's client, and `transaction`, which opens one or nests. */
function transactionOver(on: Executor, now: () => string): AsyncTransaction {
  return {
    ledger: createLedgerRepository(on, now),
    leases: createLeaseRepository(on),
    destinations: createDestinationRepository(on, now),
    subscriptions: createSubscriptionRepository(on, now),
    topics: createTopicRepository(on),
    sources: createSourceRepository(on, now),
    articles: createArticleRepository(on, now),
    deliveries: createDeliveryRepository(on),
    duplicates: createDuplicateRepository(on),
    storyTerms: createTermStatisticsRepository(on),
    stories: createStoryRepository(on, now),
    summaries: createSummaryCacheRepository(on),
    installations: createInstallationRepository(on, now),
    slackDeliveries: createSlackDeliveryRepository(on),
    transaction: (work, options) =>
      on instanceof TransactionScope
        ? nested(on, async (scope) => {
            if (options?.serializeOn) await takeTurn(scope, options.serializeOn);
            return work(transactionOver(scope, now));
          })
        : inTransaction(on, async (client) => {
            const scope = new TransactionScope(client);
            if (options?.serializeOn) await takeTurn(scope, options.serializeOn);
            return work(transactionOver(scope, now));
          }),
  };
}

/** Waits for, then holds until the transaction ends, the advisory lock named `name` (see `serializeOn`). */
async function takeTurn(scope: TransactionScope, name: string): Promise<void> {
  await scope.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`newsbrief:${name}`]);
}

/**
 * A transaction inside one: a savepoint. Not `inTransaction`, which holds the scope for its group while the work
 * runs on the bare client: this work runs its statements through the scope, one after another.
 */
async function nested<T>(scope: TransactionScope, work: (scope: TransactionScope) => Promise<T>): Promise<T> {
  const savepoint = scope.nextSavepoint();
  await scope.query(`SAVEPOINT ${savepoint}`);
  try {
    const result = await work(scope);
    await scope.query(`RELEASE SAVEPOINT ${savepoint}`);
    return result;
  } catch (error) {
    await scope.query(`ROLLBACK TO SAVEPOINT ${savepoint}`);
    throw error;
  }
}
