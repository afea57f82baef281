import pg from 'pg';
import { OneAtATime } from '../../src/stories/oneAtATime.ts';
import { MIGRATIONS, type Migration } from './migrations.ts';

export type PostgresPool = pg.Pool;

/** What runs a statement: the pool, or one client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'>;

export class DatabaseVersionError extends Error {}

const INT8_OID = 20;

/**
 * bigint ids and counts come back as numbers (every one here is far below 2^53), for this pool only: pg's global
 * parsers stay as they are for anything else in the process.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format ?? 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

export interface PoolOptions {
  /** Most connections the pool opens. */
  max?: number;
  /** Called when an idle connection fails (the server restarted): the pool drops it and opens another when needed. */
  onIdleError?: (error: Error) => void;
}

/** A connection pool for a `postgres://` URL. Nothing connects until the first statement. */
export function openPool(url: string, options: PoolOptions = {}): PostgresPool {
  const pool = new pg.Pool({ connectionString: url, types, max: options.max ?? 10 });
  // Without a listener an idle connection's error would end the process.
  pool.on('error', (error) => options.onIdleError?.(error));
  return pool;
}

/** The key of the advisory lock migrations run under (any constant; advisory locks are per database). */
export const MIGRATION_LOCK_KEY = 4_652_097_317;

/** The versions applied to the database, as `schema_migrations` records them. */
export async function appliedVersions(db: Queryable): Promise<number[]> {
  const exists = await db.query<{ present: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS present");
  if (!exists.rows[0]?.present) return [];
  const { rows } = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
  return rows.map((r) => r.version);
}

/** The schema version: the newest migration applied, 0 for an empty database. */
export async function schemaVersion(db: Queryable): Promise<number> {
  return (await appliedVersions(db)).at(-1) ?? 0;
}

/**
 * Applies the migrations the database has not seen, each in its own transaction, under a session advisory lock:
 * several processes starting at once take turns, and the later ones find nothing left to do. Refuses a database
 * whose schema is newer than these migrations. Resolves with the schema version.
 */
/** Where migrations say what they applied (a pino logger fits). */
export interface MigrationLog {
  info(fields: Record<string, unknown>, message: string): void;
}

export async function migrate(
  pool: PostgresPool,
  migrations: readonly Migration[] = MIGRATIONS,
  log?: MigrationLog,
): Promise<number> {
  const client = await pool.connect();
  let healthy = true;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(`
        CREATE TABLE IF NOT EXISTS schema_migrations (
          version integer PRIMARY KEY,
          name text NOT NULL,
          applied_at text NOT NULL
        )`);
      const applied = new Set(await appliedVersions(client));
      const current = Math.max(0, ...applied);
      const latest = migrations.at(-1)?.version ?? 0;
      if (current > latest) {
        throw new DatabaseVersionError(
          `database schema version ${current} is newer than this newsbrief knows (${latest}); upgrade newsbrief`,
        );
      }
      for (const migration of migrations) {
        if (applied.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
            migration.version,
            migration.name,
            new Date().toISOString(),
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {
            healthy = false;
          });
          throw error;
        }
        log?.info({ version: migration.version, name: migration.name }, 'postgres migration applied');
      }
      return Math.max(current, latest);
    } finally {
      // A connection that broke holds no lock any more; one that works must give it back before it is reused.
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {
        healthy = false;
      });
    }
  } catch (error) {
    if (!(error instanceof DatabaseVersionError) && !(error instanceof pg.DatabaseError)) healthy = false;
    throw error;
  } finally {
    client.release(!healthy);
  }
}

/**
 * One client inside a transaction the engine opened (`PostgresStore.transaction`): repositories built over it run
 * every statement in that transaction, and their own `inTransaction` groups become savepoints inside it.
 */
export class TransactionScope {
  readonly query: pg.Pool['query'];
  private savepoints = 0;
  private readonly turns = new OneAtATime();

  constructor(readonly client: pg.PoolClient) {
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    this.query = ((...args: unknown[]) => this.exclusive(() => query(...args))) as pg.Pool['query'];
  }

  /**
   * Runs `work` when the statements and savepoint groups started before it are done. Calls made at once (a
   * `Promise.all` inside a transaction) would otherwise interleave on the one client: a statement landing inside
   * another call's savepoint would be rolled back with it.
   */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    return this.turns.run(work);
  }

  /** A name for the next savepoint, unique within this transaction. */
  nextSavepoint(): string {
    this.savepoints += 1;
    return `newsbrief_sp_${this.savepoints}`;
  }
}

/** What a repository runs its statements on: the pool, or one transaction's client. */
export type Executor = PostgresPool | TransactionScope;

/**
 * Runs `work` in a transaction on one client: committed when it resolves, rolled back when it throws. Inside a
 * transaction the engine opened, it is a savepoint of that transaction instead, released or rolled back to.
 */
export async function inTransaction<T>(on: Executor, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  if (on instanceof TransactionScope) {
    return on.exclusive(async () => {
      const savepoint = on.nextSavepoint();
      await on.client.query(`SAVEPOINT ${savepoint}`);
      try {
        const result = await work(on.client);
        await on.client.query(`RELEASE SAVEPOINT ${savepoint}`);
        return result;
      } catch (error) {
        await on.client.query(`ROLLBACK TO SAVEPOINT ${savepoint}`);
        throw error;
      }
    });
  }
  const client = await on.connect();
  let healthy = true;
  try {
    await client.query('BEGIN');
    try {
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        healthy = false;
      });
      throw error;
    }
  } finally {
    client.release(!healthy);
  }
}
