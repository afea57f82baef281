import type { FetchSuccess, SourceRepository } from '../repositories.ts';
import { type SourceRow, toSource } from '../rows.ts';
import type { SqliteDatabase } from './database.ts';

interface SuccessParams {
  id: number;
  at: string;
  setEtag: number;
  etag: string | null;
  setLastModified: number;
  lastModified: string | null;
  setNext: number;
  next: string | null;
  setInterval: number;
  interval: number | null;
}

const MAX_ERROR_LENGTH = 1000;

export function createSourceRepository(db: SqliteDatabase, now: () => string): SourceRepository {
  const upsert = db.prepare<{ key: string; name: string; kind: string; url: string | null; now: string }>(`
    INSERT INTO sources (key, name, kind, url, created_at) VALUES (@key, @name, @kind, @url, @now)
    ON CONFLICT (key) DO UPDATE SET name = excluded.name, kind = excluded.kind, url = excluded.url`);
  const idByKey = db.prepare<[string], { id: number }>('SELECT id FROM sources WHERE key = ?');
  const byId = db.prepare<[number], SourceRow>('SELECT * FROM sources WHERE id = ?');
  const byKey = db.prepare<[string], SourceRow>('SELECT * FROM sources WHERE key = ?');
  const all = db.prepare<[], SourceRow>('SELECT * FROM sources ORDER BY id');
  const added = db.prepare(`
    UPDATE sources SET added_by = @by, removed_at = CASE WHEN @by IS NULL THEN @now ELSE NULL END WHERE id = @id`);
  const inChat = db.prepare<[], SourceRow>(
    'SELECT * FROM sources WHERE added_by IS NOT NULL AND removed_at IS NULL ORDER BY id',
  );
  const success = db.prepare<SuccessParams>(`
    UPDATE sources SET
      last_success_at = @at, last_attempt_at = @at, consecutive_failures = 0, last_error = NULL, failing_since = NULL,
      etag = CASE WHEN @setEtag THEN @etag ELSE etag END,
      last_modified = CASE WHEN @setLastModified THEN @lastModified ELSE last_modified END,
      next_fetch_at = CASE WHEN @setNext THEN @next ELSE next_fetch_at END,
      poll_interval_s = CASE WHEN @setInterval THEN @interval ELSE poll_interval_s END
    WHERE id = @id`);
  const failure = db.prepare<{ id: number; at: string; error: string; setNext: number; next: string | null }>(`
    UPDATE sources SET
      consecutive_failures = consecutive_failures + 1, last_error = @error, last_attempt_at = @at,
      failing_since = COALESCE(failing_since, @at),
      next_fetch_at = CASE WHEN @setNext THEN @next ELSE next_fetch_at END
    WHERE id = @id`);

  const successParams = (id: number, at: string, fetch: FetchSuccess | undefined): SuccessParams => ({
    id,
    at,
    setEtag: fetch?.etag !== undefined ? 1 : 0,
    etag: fetch?.etag ?? null,
    setLastModified: fetch?.lastModified !== undefined ? 1 : 0,
    lastModified: fetch?.lastModified ?? null,
    setNext: fetch ? 1 : 0,
    next: fetch?.nextFetchAt ?? null,
    setInterval: fetch?.pollIntervalSeconds !== undefined ? 1 : 0,
    interval: fetch?.pollIntervalSeconds ?? null,
  });

  return {
    upsert: (source) => {
      upsert.run({ ...source, now: now() });
      const row = idByKey.get(source.key);
      if (!row) throw new Error(`source ${source.key} was not stored`);
      return row.id;
    },
    get: (id) => {
      const row = byId.get(id);
      return row ? toSource(row) : null;
    },
    findByKey: (key) => {
      const row = byKey.get(key);
      return row ? toSource(row) : null;
    },
    list: () => all.all().map(toSource),
    setAddedBy: (id, destination) => {
      added.run({ id, by: destination, now: now() });
    },
    addedInChat: () => inChat.all().map(toSource),
    recordSuccess: (id, at, fetch) => {
      success.run(successParams(id, at, fetch));
    },
    recordFailure: (id, at, error, nextFetchAt) => {
      const setNext = nextFetchAt !== undefined ? 1 : 0;
      failure.run({ id, at, error: error.slice(0, MAX_ERROR_LENGTH), setNext, next: nextFetchAt ?? null });
    },
  };
}
