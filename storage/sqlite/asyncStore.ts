import type { Async, AsyncRepositories, AsyncStore, AsyncTransaction } from '../asyncStore.ts';
import type { Store } from '../repositories.ts';
import type { SqliteDatabase } from './database.ts';

type Repositories = Omit<Store, 'transaction' | 'backupTo' | 'close'>;

const REPOSITORIES = [
  'articles',
  'sources',
  'topics',
  'subscriptions',
  'destinations',
  'deliveries',
  'ledger',
  'leases',
  'duplicates',
  'stories',
  'storyTerms',
  'summaries',
  'installations',
  'slackDeliveries',
] as const satisfies readonly (keyof Repositories)[];

type Run = <R>(call: () => R) => Promise<R>;

/** `repository`'s methods, each calling the synchronous one through `run`. */
function asyncRepository<T extends object>(repository: T, run: Run): Async<T> {
  const methods: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(repository)) {
    methods[name] =
      typeof member === 'function' ? (...args: unknown[]) => run(() => member.apply(repository, args)) : member;
  }
  return methods as Async<T>;
}

function asyncRepositories(store: Repositories, run: Run): AsyncRepositories {
  return Object.fromEntries(
    REPOSITORIES.map((name) => [name, asyncRepository(store[name], run)]),
  ) as unknown as AsyncRepositories;
}

/**
 * The SQLite store behind the engine's `AsyncStore`. better-sqlite3 has one connection and a transaction on it
 * cannot span an `await` by itself: whatever else ran during the wait would land inside it. So while an async
 * transaction is open, every call from outside it waits until it commits or rolls back; the calls inside run at
 * once. Nested transactions are savepoints. Other connections (the ingest thread's) wait on SQLite's own lock.
 */
export function asyncSqliteStore(db: SqliteDatabase, store: Store): AsyncStore {
  let open: Promise<void> | null = null;
  let savepoints = 0;

  const outside: Run = async (call) => {
    while (open) await open;
    return call();
  };
  const inside: Run = async (call) => call();

  const savepoint = async <T>(tx: AsyncTransaction, work: (tx: AsyncTransaction) => Promise<T>): Promise<T> => {
    savepoints += 1;
    const name = `newsbrief_async_${savepoints}`;
    db.exec(`SAVEPOINT ${name}`);
    try {
      const result = await work(tx);
      db.exec(`RELEASE ${name}`);
      return result;
    } catch (error) {
      db.exec(`ROLLBACK TO ${name}`);
      db.exec(`RELEASE ${name}`);
      throw error;
    }
  };

  const tx: AsyncTransaction = {
    ...asyncRepositories(store, inside),
    transaction: (work) => savepoint(tx, work),
  };

  return {
    backend: 'sqlite',
    ...asyncRepositories(store, outside),
    async transaction(work) {
      while (open) await open;
      let finished!: () => void;
      open = new Promise((resolve) => {
        finished = resolve;
      });
      try {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(tx);
          db.exec('COMMIT');
          return result;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        }
      } finally {
        open = null;
        finished();
      }
    },
    backupTo: async (file) => {
      while (open) await open;
      return store.backupTo(file);
    },
    close: async () => store.close(),
  };
}
