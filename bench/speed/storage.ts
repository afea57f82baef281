import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';

export interface DatabaseFiles {
  mainBytes: number;
  walBytes: number;
  totalBytes: number;
}

/** Checkpoints the WAL into the main file (bench code may use SQL: it measures the store, it is not part of it). */
export function checkpoint(dbPath: string): void {
  const db = new Database(dbPath);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

export function databaseFiles(dbPath: string): DatabaseFiles {
  const size = (path: string) => (existsSync(path) ? statSync(path).size : 0);
  const mainBytes = size(dbPath);
  const walBytes = size(`${dbPath}-wal`) + size(`${dbPath}-shm`);
  return { mainBytes, walBytes, totalBytes: mainBytes + walBytes };
}

/** The start of the newest window that holds `count` articles (by publication time), or null if fewer are stored. */
export function windowStartHolding(dbPath: string, count: number): string | null {
  const db = new Database(dbPath, { readonly: true });
  try {
    const row = db
      .prepare(
        'SELECT published_ms AS ms FROM articles WHERE published_ms IS NOT NULL ORDER BY published_ms DESC LIMIT 1 OFFSET ?',
      )
      .get(count - 1) as { ms: number } | undefined;
    return row ? new Date(row.ms).toISOString() : null;
  } finally {
    db.close();
  }
}
