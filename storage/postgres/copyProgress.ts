/**
 * Where `newsbrief migrate` records how far it got, in the PostgreSQL database it copies into: which SQLite
 * instance it copies (one per database) and, per table, the key of the last row copied. A batch of rows and its
 * progress record are committed together, so a copy stopped at any point goes on from exactly where it stopped.
 *
 * These tables are the copy's own, created here when missing (not by the schema's migrations): the running
 * service never reads them.
 */
import type { Queryable } from './database.ts';

/** The key of the advisory lock a copy holds while it runs: one copy into a database at a time. */
export const COPY_LOCK_KEY = 4_652_097_318;

const CREATE = `
  CREATE TABLE IF NOT EXISTS migrate_sources (
    -- what identifies the SQLite instance being copied (see copyFromSqlite.ts: its first rows, not its path)
    source text PRIMARY KEY,
    source_path text NOT NULL,
    started_at text NOT NULL,
    completed_at text
  );
  CREATE TABLE IF NOT EXISTS migrate_progress (
    source text NOT NULL REFERENCES migrate_sources(source),
    table_name text NOT NULL,
    -- the primary key of the last row copied, as a JSON array; NULL before the first batch
    last_key jsonb,
    rows_copied bigint NOT NULL DEFAULT 0,
    done boolean NOT NULL DEFAULT false,
    updated_at text NOT NULL,
    PRIMARY KEY (source, table_name)
  )`;

export interface CopySource {
  source: string;
  sourcePath: string;
  startedAt: string;
  completedAt: string | null;
}

export interface TableProgress {
  lastKey: unknown[] | null;
  rowsCopied: number;
  done: boolean;
}

/** Creates the progress tables when missing. Run under the copy lock (two CREATE IF NOT EXISTS can collide). */
export async function ensureProgressTables(db: Queryable): Promise<void> {
  await db.query(CREATE);
}

/** Takes the copy lock on this session, or says that another copy holds it. */
export async function tryCopyLock(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [COPY_LOCK_KEY]);
  return rows[0]?.locked === true;
}

export async function releaseCopyLock(db: Queryable): Promise<void> {
  await db.query('SELECT pg_advisory_unlock($1)', [COPY_LOCK_KEY]);
}

/** The instances copies into this database were started from (one, unless someone wrote here by hand). */
export async function copySources(db: Queryable): Promise<CopySource[]> {
  const { rows } = await db.query<{
    source: string;
    source_path: string;
    started_at: string;
    completed_at: string | null;
  }>('SELECT * FROM migrate_sources ORDER BY started_at');
  return rows.map((r) => ({
    source: r.source,
    sourcePath: r.source_path,
    startedAt: r.started_at,
    completedAt: r.completed_at,
  }));
}

export async function startCopy(db: Queryable, source: string, sourcePath: string, at: string): Promise<void> {
  await db.query('INSERT INTO migrate_sources (source, source_path, started_at) VALUES ($1, $2, $3)', [
    source,
    sourcePath,
    at,
  ]);
}

export async function completeCopy(db: Queryable, source: string, sourcePath: string, at: string): Promise<void> {
  await db.query('UPDATE migrate_sources SET completed_at = $2, source_path = $3 WHERE source = $1', [
    source,
    at,
    sourcePath,
  ]);
}

/** Every table's progress for `source`, by table name. */
export async function tableProgress(db: Queryable, source: string): Promise<Map<string, TableProgress>> {
  const { rows } = await db.query<{
    table_name: string;
    last_key: unknown[] | null;
    rows_copied: number;
    done: boolean;
  }>('SELECT table_name, last_key, rows_copied, done FROM migrate_progress WHERE source = $1', [source]);
  return new Map(
    rows.map((r) => [r.table_name, { lastKey: r.last_key, rowsCopied: Number(r.rows_copied), done: r.done }]),
  );
}

/** Records a table's progress; in the transaction of the batch it follows. */
export async function recordProgress(
  db: Queryable,
  source: string,
  table: string,
  progress: TableProgress,
  at: string,
): Promise<void> {
  await db.query(
    `INSERT INTO migrate_progress (source, table_name, last_key, rows_copied, done, updated_at)
     VALUES ($1, $2, $3::jsonb, $4, $5, $6)
     ON CONFLICT (source, table_name) DO UPDATE SET last_key = excluded.last_key,
       rows_copied = excluded.rows_copied, done = excluded.done, updated_at = excluded.updated_at`,
    [
      source,
      table,
      progress.lastKey === null ? null : JSON.stringify(progress.lastKey),
      progress.rowsCopied,
      progress.done,
      at,
    ],
  );
}
