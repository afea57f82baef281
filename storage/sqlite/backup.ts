import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { BackupReport } from '../repositories.ts';
import type { SqliteDatabase } from './database.ts';

const COUNTS = {
  articles: 'SELECT count(*) AS n FROM articles',
  sources: 'SELECT count(*) AS n FROM sources',
  destinations: 'SELECT count(*) AS n FROM destinations',
  schedules: 'SELECT count(*) AS n FROM destinations WHERE digest_time IS NOT NULL',
  subscriptions: 'SELECT count(*) AS n FROM subscriptions',
  savedQueries: 'SELECT count(*) AS n FROM saved_queries',
  ledger: 'SELECT count(*) AS n FROM ledger',
  stories: 'SELECT count(*) AS n FROM stories',
} as const satisfies Record<keyof BackupReport['rows'], string>;

/**
 * SQLite's online backup of `db` into `file`. better-sqlite3 copies every page in its first step, inside one read
 * transaction: in WAL mode writers go on meanwhile, and the copy is the database as of that instant. The copy is
 * then made a self-contained file (rollback journal, so no `-wal` beside it; newsbrief turns WAL on again when it
 * opens it), checked and counted.
 */
export async function backupDatabase(db: SqliteDatabase, file: string): Promise<BackupReport> {
  await db.backup(file);
  const copy = new Database(file);
  let report: Omit<BackupReport, 'bytes'>;
  try {
    copy.pragma('journal_mode = DELETE');
    const problems = copy.pragma('quick_check(5)') as { quick_check: string }[];
    const count = (sql: string) => (copy.prepare<[], { n: number }>(sql).get() as { n: number }).n;
    report = {
      schemaVersion: copy.pragma('user_version', { simple: true }) as number,
      check: problems.map((p) => p.quick_check).join('; '),
      rows: Object.fromEntries(Object.entries(COUNTS).map(([name, sql]) => [name, count(sql)])) as BackupReport['rows'],
    };
  } finally {
    copy.close();
  }
  return { ...report, bytes: statSync(file).size };
}
