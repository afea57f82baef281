/**
 * The SQLite side of `newsbrief migrate`: the file opened read-only, checked to be a newsbrief database of the
 * current schema, read in one transaction (one snapshot for the whole run), and its rows in key order, a batch
 * at a time.
 */
import { createHash } from 'node:crypto';
import { realpathSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { MIGRATIONS as SQLITE_MIGRATIONS } from '../sqlite/migrations.ts';
import {
  COPIED_SQLITE_VERSION,
  COPIED_TABLES,
  type CopiedTable,
  isSqliteOnlyTable,
  type SqliteRow,
} from './copyTables.ts';
import { CopyError } from './copyTarget.ts';

/** Most text one batch carries, so a table of long articles still goes in statements of reasonable size. */
const MAX_BATCH_CHARS = 16 * 1024 * 1024;

const quote = (name: string) => `"${name}"`;

export interface Source {
  db: Database.Database;
  /** A prepared statement, made once per text. */
  prepare(sql: string): Database.Statement;
  path: string;
  /** What identifies this instance, wherever its file is: see `instanceOf`. */
  instance: string;
  counts: Map<string, number>;
  skipped: string[];
  close(): void;
}

const SQLITE_LATEST = SQLITE_MIGRATIONS.at(-1)?.version ?? 0;

export function sqliteMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Opens the file read-only and checks that it is a newsbrief database of the current schema. */
export function openSource(path: string): Source {
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    throw new CopyError(`cannot read ${path}: ${sqliteMessage(error)}`);
  }
  if (!stats) throw new CopyError(`no database at ${path}: name the SQLite file with --from PATH`);
  if (stats.isDirectory()) {
    throw new CopyError(`${path} is a folder: name the SQLite file itself, e.g. data/newsbrief.db`);
  }
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new CopyError(`cannot open ${path} read-only: ${sqliteMessage(error)}`);
  }
  try {
    let version: number;
    let tables: string[];
    try {
      version = db.pragma('user_version', { simple: true }) as number;
      tables = (
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]
      ).map((r) => r.name);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'SQLITE_NOTADB') throw new CopyError(`${path} is not a SQLite database`);
      throw new CopyError(`cannot read ${path}: ${sqliteMessage(error)}`);
    }
    const known = new Set(COPIED_TABLES.map((t) => t.name));
    if (!tables.some((name) => known.has(name)) || version === 0) {
      throw new CopyError(
        tables.length === 0
          ? `${path} is an empty SQLite database, not a newsbrief one`
          : `${path} is a SQLite database but not a newsbrief one (it has no newsbrief tables or schema version)`,
      );
    }
    if (version > SQLITE_LATEST) {
      throw new CopyError(
        `${path} has schema version ${version}, newer than this newsbrief knows (${SQLITE_LATEST}): upgrade newsbrief, then migrate`,
      );
    }
    if (version < SQLITE_LATEST) {
      throw new CopyError(
        `${path} has schema version ${version}, older than this newsbrief's ${SQLITE_LATEST}: start newsbrief once on it ` +
          `(newsbrief start --once --db ${path}) to bring it up to date, then migrate`,
      );
    }
    if (version !== COPIED_SQLITE_VERSION) {
      // this newsbrief's SQLite schema moved on without copyTables.ts: a mistake of newsbrief's, not the user's
      throw new CopyError(
        `this newsbrief copies SQLite schema version ${COPIED_SQLITE_VERSION}, but its databases are at version ${SQLITE_LATEST}: migrate cannot copy ${path}`,
      );
    }
    for (const table of COPIED_TABLES) {
      const columns = (db.pragma(`table_info("${table.name}")`) as { name: string }[]).map((c) => c.name);
      const expected = table.columns.map((c) => c.name);
      const missing = expected.filter((c) => !columns.includes(c));
      const unexpected = columns.filter((c) => !expected.includes(c));
      if (columns.length === 0 || missing.length > 0 || unexpected.length > 0) {
        const what =
          columns.length === 0
            ? 'is missing'
            : `does not have the columns of schema version ${version} (${[
                missing.length > 0 ? `missing ${missing.join(', ')}` : '',
                unexpected.length > 0 ? `unknown ${unexpected.join(', ')}` : '',
              ]
                .filter(Boolean)
                .join('; ')})`;
        throw new CopyError(
          `${path} is not a newsbrief database as this newsbrief knows it: its table ${table.name} ${what}`,
        );
      }
    }
    // One read transaction for the whole run: every table is read as of one instant.
    db.exec('BEGIN');
    const counts = new Map<string, number>();
    for (const table of COPIED_TABLES) {
      counts.set(table.name, (db.prepare(`SELECT count(*) AS n FROM "${table.name}"`).get() as { n: number }).n);
    }
    const skipped = tables.filter((name) => !known.has(name) && !isSqliteOnlyTable(name));
    const statements = new Map<string, Database.Statement>();
    return {
      db,
      prepare: (sql) => {
        let statement = statements.get(sql);
        if (!statement) {
          statement = db.prepare(sql);
          statements.set(sql, statement);
        }
        return statement;
      },
      path,
      instance: instanceOf(db, path),
      counts,
      skipped,
      close: () => db.close(),
    };
  } catch (error) {
    db.close();
    if (error instanceof CopyError) throw error;
    throw new CopyError(`cannot read ${path}: ${sqliteMessage(error)}`);
  }
}

/**
 * What identifies a newsbrief instance: its first source, article and destination (ids, keys and when they were
 * made), which never change once written. The same instance is recognised when its file has moved or is a backup
 * of it; another instance is not. An instance with none of the three is told apart by its file's path.
 */
function instanceOf(db: Database.Database, path: string): string {
  const first = (sql: string) => db.prepare(sql).raw().get() ?? null;
  const rows = [
    first('SELECT id, key, created_at FROM sources ORDER BY id LIMIT 1'),
    first('SELECT id, key, first_seen_at FROM articles ORDER BY id LIMIT 1'),
    first('SELECT id, key, created_at FROM destinations ORDER BY id LIMIT 1'),
  ];
  const identity = rows.every((row) => row === null) ? { path: realpathSync(path) } : { rows };
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 32);
}

/** Rows of `table` after `lastKey`, in key order: at most `limit`, and at most MAX_BATCH_CHARS of text. */
export function readBatch(
  source: Pick<Source, 'prepare'>,
  table: CopiedTable,
  lastKey: readonly unknown[] | null,
  limit: number,
): { rows: SqliteRow[]; full: boolean } {
  const columns = table.columns.map((c) => quote(c.name)).join(', ');
  const order = table.key.map(quote).join(', ');
  const after =
    lastKey === null
      ? ''
      : table.key.length === 1
        ? `WHERE ${quote(table.key[0] as string)} > ?`
        : `WHERE (${order}) > (${table.key.map(() => '?').join(', ')})`;
  const statement = source.prepare(`SELECT ${columns} FROM ${quote(table.name)} ${after} ORDER BY ${order} LIMIT ?`);
  const rows: SqliteRow[] = [];
  let chars = 0;
  // Iterated (not .all()) so a batch of very long articles can stop early; done before anything awaits.
  for (const row of statement.iterate(...(lastKey ?? []), limit) as IterableIterator<SqliteRow>) {
    rows.push(row);
    for (const value of Object.values(row)) {
      if (typeof value === 'string') chars += value.length;
      else if (Buffer.isBuffer(value)) chars += value.length;
    }
    if (chars >= MAX_BATCH_CHARS) return { rows, full: true };
  }
  return { rows, full: rows.length === limit };
}
