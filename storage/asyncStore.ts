import type {
  ArticleRepository,
  BackupReport,
  DeliveryRepository,
  DestinationRepository,
  DuplicateRepository,
  InstallationRepository,
  LeaseRepository,
  LedgerRepository,
  SlackDeliveryRepository,
  SourceRepository,
  StoryRepository,
  SubscriptionRepository,
  SummaryCacheRepository,
  TermStatisticsRepository,
  TopicRepository,
} from './repositories.ts';

/**
 * A repository interface of `storage/repositories.ts` as a network database serves it: every method returns a
 * promise of what the synchronous one returns, with the same arguments.
 */
export type Async<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : T[K];
};

/** Every repository, each method returning a promise. */
export interface AsyncRepositories {
  articles: Async<ArticleRepository>;
  sources: Async<SourceRepository>;
  topics: Async<TopicRepository>;
  subscriptions: Async<SubscriptionRepository>;
  destinations: Async<DestinationRepository>;
  deliveries: Async<DeliveryRepository>;
  ledger: Async<LedgerRepository>;
  leases: Async<LeaseRepository>;
  duplicates: Async<DuplicateRepository>;
  stories: Async<StoryRepository>;
  storyTerms: Async<TermStatisticsRepository>;
  summaries: Async<SummaryCacheRepository>;
  installations: Async<InstallationRepository>;
  slackDeliveries: Async<SlackDeliveryRepository>;
}

export interface TransactionOptions {
  /**
   * Transactions given the same name run one after another, in every process on the database, from the point
   * they begin (or, nested, from the savepoint) to their end: work that reads what it then writes around (the
   * story index) cannot miss a concurrent one's rows. PostgreSQL takes an advisory lock for it; SQLite's writers
   * already take turns (BEGIN IMMEDIATE).
   */
  serializeOn?: string;
}

/** The repositories inside one transaction; `transaction` there nests (a savepoint). */
export interface AsyncTransaction extends AsyncRepositories {
  transaction<T>(work: (tx: AsyncTransaction) => Promise<T>, options?: TransactionOptions): Promise<T>;
}

/**
 * What the engine needs from storage, on SQLite or PostgreSQL alike (test/storage/contract runs both).
 *
 * `transaction(work)` runs `work` atomically: what it does through `tx` is committed when it resolves and rolled
 * back when it throws. Work must await only `tx`'s calls, one after another, and nothing slow (no posting, no
 * fetching): on SQLite every other call waits until it is done, and on PostgreSQL it holds a connection.
 */
export interface AsyncStore extends AsyncTransaction {
  readonly backend: 'sqlite' | 'postgres';
  /**
   * Writes a consistent copy of the whole database to `file` while others go on writing (SQLite's online backup);
   * a backend with no such copy rejects saying what to use instead (PostgreSQL: `pg_dump`).
   */
  backupTo(file: string): Promise<BackupReport>;
  close(): Promise<void>;
}
