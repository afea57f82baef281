import type { Async } from '../asyncStore.ts';
import type { FetchSuccess, SourceRepository } from '../repositories.ts';
import { type SourceRow, toSource } from '../rows.ts';
import type { Executor } from './database.ts';

/** As SQLite keeps it (storage/sqlite/sources.ts). */
const MAX_ERROR_LENGTH = 1000;

/**
 * Sources on PostgreSQL, statement for statement as on SQLite. Every write is one statement: an upsert that
 * returns the id whichever process inserted the row, and updates whose new values are computed from the row as it
 * is (`consecutive_failures + 1`, `COALESCE(failing_since, …)`), so two processes recording fetches never lose one.
 */
export function createSourceRepository(pool: Executor, now: () => string): Async<SourceRepository> {
  const rows = async (sql: string, params: unknown[] = []) => (await pool.query<SourceRow>(sql, params)).rows;
  const one = async (sql: string, params: unknown[]) => {
    const [row] = await rows(sql, params);
    return row ? toSource(row) : null;
  };
  return {
    upsert: async (source) => {
      // DO UPDATE (not DO NOTHING) so that RETURNING yields the id also when another process inserted the row.
      const { rows: upserted } = await pool.query<{ id: number }>(
        `INSERT INTO sources (key, name, kind, url, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (key) DO UPDATE SET name = excluded.name, kind = excluded.kind, url = excluded.url
         RETURNING id`,
        [source.key, source.name, source.kind, source.url, now()],
      );
      const id = upserted[0]?.id;
      if (id === undefined) throw new Error(`source ${source.key} was not stored`);
      return id;
    },
    get: (id) => one('SELECT * FROM sources WHERE id = $1', [id]),
    findByKey: (key) => one('SELECT * FROM sources WHERE key = $1', [key]),
    list: async () => (await rows('SELECT * FROM sources ORDER BY id')).map(toSource),
    setAddedBy: async (id, destination) => {
      await pool.query(
        `UPDATE sources SET added_by = $2::text, removed_at = CASE WHEN $2::text IS NULL THEN $3 ELSE NULL END
         WHERE id = $1`,
        [id, destination, now()],
      );
    },
    addedInChat: async () =>
      (await rows('SELECT * FROM sources WHERE added_by IS NOT NULL AND removed_at IS NULL ORDER BY id')).map(toSource),
    recordSuccess: async (id, at, fetch?: FetchSuccess) => {
      await pool.query(
        `UPDATE sources SET
           last_success_at = $2, last_attempt_at = $2, consecutive_failures = 0, last_error = NULL,
           failing_since = NULL,
           etag = CASE WHEN $3 THEN $4 ELSE etag END,
           last_modified = CASE WHEN $5 THEN $6 ELSE last_modified END,
           next_fetch_at = CASE WHEN $7 THEN $8 ELSE next_fetch_at END,
           poll_interval_s = CASE WHEN $9 THEN $10::integer ELSE poll_interval_s END
         WHERE id = $1`,
        [
          id,
          at,
          fetch?.etag !== undefined,
          fetch?.etag ?? null,
          fetch?.lastModified !== undefined,
          fetch?.lastModified ?? null,
          fetch !== undefined,
          fetch?.nextFetchAt ?? null,
          fetch?.pollIntervalSeconds !== undefined,
          fetch?.pollIntervalSeconds ?? null,
        ],
      );
    },
    recordFailure: async (id, at, error, nextFetchAt) => {
      await pool.query(
        `UPDATE sources SET
           consecutive_failures = consecutive_failures + 1, last_error = $3, last_attempt_at = $2,
           failing_since = COALESCE(failing_since, $2),
           next_fetch_at = CASE WHEN $4 THEN $5 ELSE next_fetch_at END
         WHERE id = $1`,
        [id, at, error.slice(0, MAX_ERROR_LENGTH), nextFetchAt !== undefined, nextFetchAt ?? null],
      );
    },
  };
}
