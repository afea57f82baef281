/**
 * The PostgreSQL backend: every repository of `Store` (storage/repositories.ts) as `Async<…>` of its interface,
 * with SQLite's semantics, each write that processes may race on one statement or one transaction on one client
 * (test/storage/contract runs the same contract on both). What `Store` has beyond its repositories does not carry
 * over: `transaction(work)` takes synchronous work, which cannot wait for a network database (the async engine
 * port groups statements with `inTransaction` instead), and a backup is `pg_dump`'s job.
 */
import type {
  ArticleRepository,
  DeliveryRepository,
  DestinationRepository,
  DuplicateRepository,
  LeaseRepository,
  LedgerRepository,
  SourceRepository,
  StoryRepository,
  SubscriptionRepository,
  SummaryCacheRepository,
  TermStatisticsRepository,
  TopicRepository,
} from '../repositories.ts';
import { createArticleRepository } from './articles.ts';
import type { Async } from './async.ts';
import { createSubscriptionRepository, createTopicRepository } from './channels.ts';
import { type MigrationLog, migrate, openPool, type PoolOptions, type PostgresPool } from './database.ts';
import { createDeliveryRepository } from './deliveries.ts';
import { createDestinationRepository } from './destinations.ts';
import { createDuplicateRepository } from './duplicates.ts';
import { createLeaseRepository, createLedgerRepository } from './ledger.ts';
import { createSourceRepository } from './sources.ts';
import { createStoryRepository } from './stories.ts';
import { createTermStatisticsRepository } from './storyTerms.ts';
import { createSummaryCacheRepository } from './summaries.ts';

export type { Async } from './async.ts';
export { DatabaseVersionError, type MigrationLog, migrate, openPool, schemaVersion } from './database.ts';

export interface PostgresStore {
  ledger: Async<LedgerRepository>;
  leases: Async<LeaseRepository>;
  destinations: Async<DestinationRepository>;
  subscriptions: Async<SubscriptionRepository>;
  topics: Async<TopicRepository>;
  sources: Async<SourceRepository>;
  articles: Async<ArticleRepository>;
  deliveries: Async<DeliveryRepository>;
  duplicates: Async<DuplicateRepository>;
  storyTerms: Async<TermStatisticsRepository>;
  stories: Async<StoryRepository>;
  summaries: Async<SummaryCacheRepository>;
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
    ledger: createLedgerRepository(pool, now),
    leases: createLeaseRepository(pool),
    destinations: createDestinationRepository(pool, now),
    subscriptions: createSubscriptionRepository(pool, now),
    topics: createTopicRepository(pool),
    sources: createSourceRepository(pool, now),
    articles: createArticleRepository(pool, now),
    deliveries: createDeliveryRepository(pool),
    duplicates: createDuplicateRepository(pool),
    storyTerms: createTermStatisticsRepository(pool),
    stories: createStoryRepository(pool, now),
    summaries: createSummaryCacheRepository(pool),
    pool,
    close: () => pool.end(),
  };
}
