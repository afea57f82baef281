import type { AsyncStore } from '../asyncStore.ts';
import type { Store } from '../repositories.ts';
import { createArticleRepository } from './articles.ts';
import { asyncSqliteStore } from './asyncStore.ts';
import { backupDatabase } from './backup.ts';
import { createDeliveryRepository, createSubscriptionRepository, createTopicRepository } from './channels.ts';
import { openDatabase } from './database.ts';
import { createDestinationRepository } from './destinations.ts';
import { createInstallationRepository } from './installations.ts';
import { createLeaseRepository, createLedgerRepository } from './ledger.ts';
import { createSlackDeliveryRepository } from './slackDeliveries.ts';
import { createSourceRepository } from './sources.ts';
import {
  createDuplicateRepository,
  createStoryRepository,
  createSummaryCacheRepository,
  createTermStatisticsRepository,
} from './stories.ts';

export { DatabaseVersionError, openDatabase, schemaVersion } from './database.ts';

export interface SqliteStoreOptions {
  /** Clock for first/last-seen stamps (tests pin it). */
  now?: () => string;
}

/** The synchronous repositories, and the same ones behind the engine's `AsyncStore`. */
export interface SqliteStore extends Store {
  readonly async: AsyncStore;
}

/** Opens the SQLite file at `path` (migrating it) and returns the repositories over it. */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): SqliteStore {
  const db = openDatabase(path);
  const now = options.now ?? (() => new Date().toISOString());
  const store: Store = {
    articles: createArticleRepository(db, now),
    sources: createSourceRepository(db, now),
    topics: createTopicRepository(db),
    subscriptions: createSubscriptionRepository(db, now),
    destinations: createDestinationRepository(db, now),
    ledger: createLedgerRepository(db, now),
    leases: createLeaseRepository(db),
    deliveries: createDeliveryRepository(db),
    duplicates: createDuplicateRepository(db),
    stories: createStoryRepository(db, now),
    storyTerms: createTermStatisticsRepository(db),
    summaries: createSummaryCacheRepository(db),
    installations: createInstallationRepository(db, now),
    slackDeliveries: createSlackDeliveryRepository(db),
    transaction: (work) => db.transaction(work)(),
    backupTo: (file) => backupDatabase(db, file),
    close: () => db.close(),
  };
  return { ...store, async: asyncSqliteStore(db, store) };
}
