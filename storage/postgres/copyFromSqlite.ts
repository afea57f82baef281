/**
 * `newsbrief migrate`: copies a newsbrief instance from its SQLite file into PostgreSQL, resumably.
 *
 * The SQLite file is opened read-only and read in one transaction (one snapshot for the whole run: the bot may
 * even go on writing meanwhile, though what it writes after the snapshot is not copied). PostgreSQL gets its
 * schema from its own migrations first, so an empty database works. Then every table is copied in the order of
 * copyTables.ts, in batches taken by primary key (keyset pagination, never OFFSET), each batch committed in one
 * PostgreSQL transaction together with the key of its last row (copyProgress.ts): a copy stopped at any point —
 * Ctrl-C, kill -9, the server restarting — goes on from the last committed batch when run again, and `ON CONFLICT
 * (primary key) DO NOTHING` keeps a row from landing twice even so. Ids are kept, so every reference stays valid,
 * and each identity sequence is moved past the copied ids at the end. Last, both sides are counted, table by
 * table: the copy is complete only when every count is equal.
 *
 * Every failure is a `CopyError` with one sentence a person can act on; no error, progress line or stored row
 * holds the password of the URL.
 */
import pg from 'pg';
import {
  completeCopy,
  copySources,
  ensureProgressTables,
  recordProgress,
  releaseCopyLock,
  startCopy,
  type TableProgress,
  tableProgress,
  tryCopyLock,
} from './copyProgress.ts';
import { openSource, readBatch, type Source, sqliteMessage } from './copySource.ts';
import { COPIED_POSTGRES_VERSION, COPIED_TABLES, type CopiedTable, type SqliteRow } from './copyTables.ts';
import {
  CopyError,
  connectionFailure,
  hidePassword,
  isConnectionLoss,
  migrationFailure,
  type PgFailure,
  parseTargetUrl,
  probe,
  type TargetUrl,
} from './copyTarget.ts';
import { type MigrationLog, migrate, openPool, type Queryable, schemaVersion } from './database.ts';

export { CopyError, hidePassword, parseTargetUrl } from './copyTarget.ts';

export interface CopyProgressEvent {
  table: string;
  /** Rows of the table copied so far, earlier runs included. */
  done: number;
  /** Rows the table has in SQLite. */
  total: number;
  /** The table is copied completely. */
  finished: boolean;
}

export interface CopyBatchEvent {
  table: string;
  /** 1 for this run's first batch of any table, and so on. */
  batch: number;
  /** false: its rows are inserted, its transaction not yet committed; true: committed. */
  committed: boolean;
}

export interface CopyOptions {
  /** The SQLite file. */
  from: string;
  /** `postgres://user:password@host:port/database`. */
  to: string;
  /** Rows per batch (default 1,000; fewer for a table whose rows would need more than PostgreSQL's 65,535 parameters). */
  batchSize?: number;
  /** How long to wait for the server to answer the first connection (default 10 s). */
  connectTimeoutMs?: number;
  /** The clock for the stamps the progress tables hold. */
  now?: () => string;
  /** Told after each committed batch, and when a table is finished. */
  onProgress?: (event: CopyProgressEvent) => void;
  /** Told of each PostgreSQL migration applied. */
  onMigration?: (version: number, name: string) => void;
  /** Tests: called inside each batch's transaction and after its commit; throwing there stops the copy. */
  onBatch?: (event: CopyBatchEvent) => void | Promise<void>;
}

export interface TableCount {
  table: string;
  sqlite: number;
  postgres: number;
  /** Rows this run inserted. */
  copied: number;
}

export interface CopyReport {
  /** The SQLite file, as given. */
  from: string;
  /** The PostgreSQL URL without its password. */
  to: string;
  /** 'copied': in one run; 'resumed': a copy stopped earlier was finished; 'complete': it was finished before. */
  outcome: 'copied' | 'resumed' | 'complete';
  /** When the first run of this copy began. */
  startedAt: string;
  /** When the copy was complete (this run, or one before), or null while it is not. */
  completedAt: string | null;
  tables: TableCount[];
  /** Every table has as many rows in PostgreSQL as in SQLite. */
  equal: boolean;
  /** SQLite tables that are not part of newsbrief's schema, left out. */
  skipped: string[];
  seconds: number;
}

/** Most parameters one statement may carry (the protocol's 16-bit count). */
const MAX_PARAMETERS = 65_535;
const DEFAULT_BATCH = 1_000;

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL's side

/** Checks that PostgreSQL's tables take every column copyTables.ts writes, and need nothing else. */
async function checkTargetSchema(db: Queryable): Promise<void> {
  const { rows } = await db.query<{
    table_name: string;
    column_name: string;
    is_nullable: string;
    column_default: string | null;
    is_identity: string;
  }>(
    `SELECT table_name, column_name, is_nullable, column_default, is_identity
     FROM information_schema.columns WHERE table_schema = current_schema()`,
  );
  for (const table of COPIED_TABLES) {
    const columns = rows.filter((r) => r.table_name === table.name);
    if (columns.length === 0) {
      throw new CopyError(`the PostgreSQL database has no table ${table.name} after its migrations`);
    }
    const written = [...table.columns, ...(table.derived ?? [])].map((c) => c.name);
    const missing = written.filter((name) => !columns.some((c) => c.column_name === name));
    const needed = columns.filter(
      (c) =>
        !written.includes(c.column_name) &&
        c.is_nullable === 'NO' &&
        c.column_default === null &&
        c.is_identity !== 'YES',
    );
    if (missing.length > 0 || needed.length > 0) {
      throw new CopyError(
        `PostgreSQL's table ${table.name} does not match what migrate copies (${[
          missing.length > 0 ? `no column ${missing.join(', ')}` : '',
          needed.length > 0 ? `needs ${needed.map((c) => c.column_name).join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('; ')}): this newsbrief cannot copy into it`,
      );
    }
  }
}

/** Tables of newsbrief's schema that already hold rows. */
async function tablesWithRows(db: Queryable): Promise<string[]> {
  const sql = COPIED_TABLES.map((t) => `SELECT '${t.name}' AS name WHERE EXISTS (SELECT 1 FROM "${t.name}")`).join(
    ' UNION ALL ',
  );
  return (await db.query<{ name: string }>(sql)).rows.map((r) => r.name);
}

async function postgresCounts(db: Queryable): Promise<Map<string, number>> {
  const sql = COPIED_TABLES.map((t) => `SELECT '${t.name}' AS name, count(*) AS n FROM "${t.name}"`).join(
    ' UNION ALL ',
  );
  const { rows } = await db.query<{ name: string; n: number | string }>(sql);
  return new Map(rows.map((r) => [r.name, Number(r.n)]));
}

/** Moves each identity sequence past the copied ids: the next row PostgreSQL makes gets max(id) + 1. */
async function moveSequences(db: Queryable): Promise<void> {
  for (const table of COPIED_TABLES) {
    if (!table.identity) continue;
    await db.query(
      `SELECT setval(pg_get_serial_sequence('"${table.name}"', '${table.identity}'), coalesce(max("${table.identity}"), 0) + 1, false)
       FROM "${table.name}"`,
    );
  }
}

const quote = (name: string) => `"${name}"`;

/** The INSERT of `count` rows of `table`, each parameter cast to its column's type. */
function insertStatement(table: CopiedTable, count: number): string {
  const columns = [...table.columns, ...(table.derived ?? [])];
  const values: string[] = [];
  let n = 0;
  for (let row = 0; row < count; row++) {
    values.push(`(${columns.map((c) => `$${++n}::${c.type}`).join(', ')})`);
  }
  return `INSERT INTO ${quote(table.name)} (${columns.map((c) => quote(c.name)).join(', ')})
    VALUES ${values.join(', ')}
    ON CONFLICT (${table.key.map(quote).join(', ')}) DO NOTHING`;
}

// ---------------------------------------------------------------------------------------------------------------
// The copy

/** A row's key, as messages name it: `id 42`, `(channel, topic_id) ("slack:C1", "hbm")`. */
function keyText(table: CopiedTable, key: readonly unknown[]): string {
  return table.key.length === 1
    ? `${table.key[0]} ${JSON.stringify(key[0])}`
    : `(${table.key.join(', ')}) (${key.map((k) => JSON.stringify(k)).join(', ')})`;
}

function hasNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(hasNul);
  return false;
}

/** One SQLite row as the INSERT's parameters. */
function rowParameters(table: CopiedTable, row: SqliteRow, out: unknown[]): void {
  const fail = (column: string, why: string): never => {
    const key = table.key.map((k) => row[k]);
    throw new CopyError(`the row with ${keyText(table, key)} of ${table.name} cannot be copied: its ${column} ${why}`);
  };
  for (const column of table.columns) {
    const raw = row[column.name];
    let value: unknown = raw;
    if (raw !== null && raw !== undefined && column.convert) {
      try {
        value = column.convert(raw);
      } catch (error) {
        fail(column.name, `is not what newsbrief writes (${sqliteMessage(error)})`);
      }
    }
    if (hasNul(value) || (column.type === 'jsonb' && typeof value === 'string' && value.includes('\\u0000'))) {
      fail(column.name, 'holds a NUL character, which PostgreSQL text cannot store');
    }
    out.push(value ?? null);
  }
  for (const column of table.derived ?? []) {
    try {
      out.push(column.from(row));
    } catch (error) {
      fail(column.name, `cannot be made (${sqliteMessage(error)})`);
    }
  }
}

interface TableRun {
  table: CopiedTable;
  progress: TableProgress;
  total: number;
  copied: number;
}

/** A failure while the copy runs (`during`: 'copying articles', …), as one sentence. */
function copyFailure(error: unknown, target: TargetUrl, during: string): CopyError {
  if (error instanceof CopyError) return error;
  const e = (error ?? {}) as PgFailure;
  const message = hidePassword(e.message ?? String(error), target);
  if (isConnectionLoss(e)) {
    return new CopyError(
      `the connection to PostgreSQL at ${target.host} was lost while ${during} (${message}): ` +
        'run the same command again to go on from the last batch copied',
    );
  }
  if (error instanceof pg.DatabaseError) {
    const detail = e.detail ? ` (${hidePassword(e.detail, target)})` : '';
    return new CopyError(`PostgreSQL refused what migrate asked while ${during}: ${message}${detail}`);
  }
  if ((e.code ?? '').startsWith('SQLITE_')) return new CopyError(`reading SQLite failed while ${during}: ${message}`);
  return new CopyError(`migrate failed while ${during}: ${message}`);
}

/** Copies what is left of one table. */
async function copyTable(
  client: pg.PoolClient,
  source: Source,
  run: TableRun,
  context: {
    instance: string;
    batchSize: number;
    now: () => string;
    batches: { n: number };
    options: CopyOptions;
  },
): Promise<void> {
  const { table } = run;
  const width = table.columns.length + (table.derived?.length ?? 0);
  const limit = Math.max(1, Math.min(context.batchSize, Math.floor(MAX_PARAMETERS / width)));
  const statements = new Map<number, string>();
  while (!run.progress.done) {
    const { rows, full } = readBatch(source, table, run.progress.lastKey, limit);
    const last = rows.at(-1);
    const next: TableProgress = {
      lastKey: last ? table.key.map((k) => last[k]) : run.progress.lastKey,
      rowsCopied: run.progress.rowsCopied + rows.length,
      done: !full,
    };
    const parameters: unknown[] = [];
    for (const row of rows) rowParameters(table, row, parameters);
    const batch = ++context.batches.n;
    let inserted = 0;
    await client.query('BEGIN');
    try {
      if (rows.length > 0) {
        let sql = statements.get(rows.length);
        if (!sql) {
          sql = insertStatement(table, rows.length);
          statements.set(rows.length, sql);
        }
        inserted = (await client.query(sql, parameters)).rowCount ?? 0;
      }
      await recordProgress(client, context.instance, table.name, next, context.now());
      await context.options.onBatch?.({ table: table.name, batch, committed: false });
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
    run.progress = next;
    run.copied += inserted;
    await context.options.onBatch?.({ table: table.name, batch, committed: true });
    context.options.onProgress?.({
      table: table.name,
      done: next.rowsCopied,
      total: run.total,
      finished: next.done,
    });
  }
}

/** Copies the instance in `options.from` into the database at `options.to`; see the top of this file. */
export async function copyFromSqlite(options: CopyOptions): Promise<CopyReport> {
  const started = performance.now();
  const now = options.now ?? (() => new Date().toISOString());
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new CopyError('the batch size must be a whole number from 1 up');
  }
  const target = parseTargetUrl(options.to);
  const source = openSource(options.from);
  try {
    await probe(target, options.connectTimeoutMs ?? 10_000);
    const pool = openPool(target.url, { max: 2, onIdleError: () => {} });
    try {
      const log: MigrationLog = {
        info: (fields) => options.onMigration?.(Number(fields.version), String(fields.name)),
      };
      try {
        await migrate(pool, undefined, log);
      } catch (error) {
        throw migrationFailure(error, target);
      }
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw connectionFailure(error, target);
      }
      try {
        const report = await copyWithLock(client, source, target, { options, now, batchSize, started });
        client.release();
        return report;
      } catch (error) {
        // the connection may be broken or inside a failed transaction: not given back for reuse
        client.release(true);
        throw error;
      }
    } finally {
      await pool.end().catch(() => {});
    }
  } finally {
    source.close();
  }
}

async function copyWithLock(
  client: pg.PoolClient,
  source: Source,
  target: TargetUrl,
  context: { options: CopyOptions; now: () => string; batchSize: number; started: number },
): Promise<CopyReport> {
  const { now } = context;
  const preparing = 'preparing the copy';
  try {
    if (!(await tryCopyLock(client))) {
      throw new CopyError(
        `another newsbrief migrate is copying into ${target.display} right now: let it finish (or stop it) first`,
      );
    }
  } catch (error) {
    throw copyFailure(error, target, preparing);
  }
  try {
    let registered: Awaited<ReturnType<typeof copySources>>[number];
    try {
      await ensureProgressTables(client);
      const version = await schemaVersion(client);
      if (version < COPIED_POSTGRES_VERSION) {
        throw new CopyError(`the PostgreSQL database is at schema version ${version} after its migrations`);
      }
      await checkTargetSchema(client);
      const sources = await copySources(client);
      const other = sources.find((s) => s.source !== source.instance);
      if (other) {
        throw new CopyError(
          `${target.display} already holds newsbrief data copied from another instance (${other.sourcePath}, ` +
            `started ${other.startedAt}): migrate ${source.path} into an empty database instead`,
        );
      }
      const mine = sources.find((s) => s.source === source.instance);
      if (mine) {
        registered = mine;
      } else {
        const filled = await tablesWithRows(client);
        if (filled.length > 0) {
          throw new CopyError(
            `${target.display} already holds newsbrief data that was not copied from ${source.path} ` +
              `(rows in ${filled.join(', ')}): migrate into an empty database instead`,
          );
        }
        registered = { source: source.instance, sourcePath: source.path, startedAt: now(), completedAt: null };
        await startCopy(client, registered.source, registered.sourcePath, registered.startedAt);
      }
    } catch (error) {
      throw copyFailure(error, target, preparing);
    }

    const wasComplete = registered.completedAt !== null;
    const progress = await tableProgress(client, source.instance).catch((error) => {
      throw copyFailure(error, target, preparing);
    });
    const resumed = [...progress.values()].some((p) => p.rowsCopied > 0 || p.done);
    const runs: TableRun[] = COPIED_TABLES.map((table) => ({
      table,
      progress: progress.get(table.name) ?? { lastKey: null, rowsCopied: 0, done: false },
      total: source.counts.get(table.name) ?? 0,
      copied: 0,
    }));
    const batches = { n: 0 };
    for (const run of runs) {
      if (run.progress.done) continue;
      try {
        await copyTable(client, source, run, {
          instance: source.instance,
          batchSize: context.batchSize,
          now,
          batches,
          options: context.options,
        });
      } catch (error) {
        throw copyFailure(error, target, `copying ${run.table.name}`);
      }
    }

    let counts: Map<string, number>;
    let completedAt = registered.completedAt;
    try {
      // A copy finished before may have a service running on it since: its sequences are its own now.
      if (!wasComplete) await moveSequences(client);
      counts = await postgresCounts(client);
      const equal = runs.every((run) => counts.get(run.table.name) === run.total);
      if (equal && !wasComplete) {
        completedAt = now();
        await completeCopy(client, source.instance, source.path, completedAt);
      }
    } catch (error) {
      throw copyFailure(error, target, 'counting the rows on both sides');
    }
    const tables = runs.map((run) => ({
      table: run.table.name,
      sqlite: run.total,
      postgres: counts.get(run.table.name) ?? 0,
      copied: run.copied,
    }));
    const equal = tables.every((t) => t.sqlite === t.postgres);
    return {
      from: source.path,
      to: target.display,
      outcome: wasComplete ? 'complete' : resumed ? 'resumed' : 'copied',
      startedAt: registered.startedAt,
      completedAt,
      tables,
      equal,
      skipped: source.skipped,
      seconds: (performance.now() - context.started) / 1000,
    };
  } finally {
    await releaseCopyLock(client).catch(() => {});
  }
}
