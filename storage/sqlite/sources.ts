import type { SourceRepository, StoredSource } from '../repositories.ts';
import type { SqliteDatabase } from './database.ts';

interface SourceRow {
  id: number;
  key: string;
  name: string;
  kind: StoredSource['kind'];
  url: string | null;
  last_success_at: string | null;
  consecutive_failures: number;
  last_error: string | null;
}

function toSource(row: SourceRow): StoredSource {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    kind: row.kind,
    url: row.url,
    lastSuccessAt: row.last_success_at,
    consecutiveFailures: row.consecutive_failures,
    lastError: row.last_error,
  };
}

export function createSourceRepository(db: SqliteDatabase, now: () => string): SourceRepository {
  const upsert = db.prepare<{ key: string; name: string; kind: string; url: string | null; now: string }>(`
    INSERT INTO sources (key, name, kind, url, created_at) VALUES (@key, @name, @kind, @url, @now)
    ON CONFLICT (key) DO UPDATE SET name = excluded.name, kind = excluded.kind, url = excluded.url`);
  const idByKey = db.prepare<[string], { id: number }>('SELECT id FROM sources WHERE key = ?');
  const byId = db.prepare<[number], SourceRow>('SELECT * FROM sources WHERE id = ?');
  const byKey = db.prepare<[string], SourceRow>('SELECT * FROM sources WHERE key = ?');
  const all = db.prepare<[], SourceRow>('SELECT * FROM sources ORDER BY id');
  const success = db.prepare(
    'UPDATE sources SET last_success_at = ?, consecutive_failures = 0, last_error = NULL WHERE id = ?',
  );
  const failure = db.prepare(
    'UPDATE sources SET consecutive_failures = consecutive_failures + 1, last_error = ? WHERE id = ?',
  );

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
    recordSuccess: (id, at) => {
      success.run(at, id);
    },
    recordFailure: (id, _at, error) => {
      failure.run(error.slice(0, 1000), id);
    },
  };
}
