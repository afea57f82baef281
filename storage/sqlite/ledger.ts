import type { LeaseRepository, LedgerEntry, LedgerPartState, LedgerRepository, LedgerState } from '../repositories.ts';
import { type LedgerPartRow, type LedgerRow as Row, toLedgerEntry, toLedgerPart } from '../rows.ts';
import type { SqliteDatabase } from './database.ts';

/** SQLite keeps a ledger entry's story keys as JSON text. */
type LedgerRow = Row<string>;
type PartRow = LedgerPartRow;
const toEntry = (row: LedgerRow): LedgerEntry => toLedgerEntry(row, JSON.parse(row.story_keys) as string[]);
const toPart = toLedgerPart;

export function createLedgerRepository(db: SqliteDatabase, now: () => string): LedgerRepository {
  const insert = db.prepare(`
    INSERT INTO ledger (destination, slot, kind, local_date, due_at, state, failure, detail, created_at, updated_at)
    VALUES (@destination, @slot, @kind, @localDate, @dueAt, @state, @failure, @detail, @at, @at)
    ON CONFLICT (destination, slot) DO NOTHING`);
  const bySlot = db.prepare<[string, string], LedgerRow>('SELECT * FROM ledger WHERE destination = ? AND slot = ?');
  const byId = db.prepare<[number], LedgerRow>('SELECT * FROM ledger WHERE id = ?');
  const sent = db.prepare(`
    UPDATE ledger SET state = 'sent', message_id = @messageId, content_hash = @contentHash, story_keys = @storyKeys,
      failure = NULL, detail = NULL, attempts = attempts + 1, next_attempt_at = NULL, updated_at = @at,
      post_key = NULL, post_body = NULL, post_started_at = NULL
    WHERE id = @id`);
  const failed = db.prepare(`
    UPDATE ledger SET state = 'failed', failure = @failure, detail = @detail, attempts = attempts + 1,
      next_attempt_at = @nextAttemptAt, updated_at = @at, post_key = NULL, post_body = NULL, post_started_at = NULL
    WHERE id = @id`);
  const skipped = db.prepare(`
    UPDATE ledger SET state = 'skipped', failure = @failure, detail = @detail, next_attempt_at = NULL, updated_at = @at,
      post_key = NULL, post_body = NULL, post_started_at = NULL
    WHERE id = @id`);
  const underWay = db.prepare<[number], { post_key: string; post_body: string; post_started_at: string }>(
    "SELECT post_key, post_body, post_started_at FROM ledger WHERE id = ? AND state = 'sending' AND post_body IS NOT NULL",
  );
  // RETURNING gives the row as updated (the body gone): the read above, and this update only if it still holds it
  const takeUnderWay = db.prepare(`
    UPDATE ledger SET post_body = NULL, updated_at = @at
    WHERE id = @id AND state = 'sending' AND post_body IS NOT NULL AND post_key = @key AND post_started_at = @startedAt`);
  const latest = db.prepare<
    { kind: string; since: string },
    { destination: string; due_at: string; local_date: string | null }
  >(`
    SELECT destination, MAX(due_at) AS due_at, MAX(local_date) AS local_date FROM ledger
    WHERE kind = @kind AND due_at > @since GROUP BY destination`);
  const lastSent = db.prepare<[string, string], LedgerRow>(
    "SELECT * FROM ledger WHERE destination = ? AND kind = ? AND state = 'sent' ORDER BY due_at DESC, id DESC LIMIT 1",
  );
  const outages = db.prepare<[], LedgerRow>(`
    SELECT d.* FROM ledger d
    WHERE d.kind = 'notice' AND d.state = 'sent' AND d.slot LIKE 'source-down:%'
      AND NOT EXISTS (SELECT 1 FROM ledger u WHERE u.destination = d.destination
                      AND u.slot = 'source-up:' || substr(d.slot, 13))
    ORDER BY d.id`);
  const countSent = db.prepare<[string, string, string], { n: number }>(
    "SELECT count(*) AS n FROM ledger WHERE destination = ? AND kind = ? AND state = 'sent' AND updated_at >= ?",
  );
  const retries = db.prepare<[string, number], LedgerRow>(
    "SELECT * FROM ledger WHERE state = 'failed' AND next_attempt_at IS NOT NULL AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?",
  );
  const pending = db.prepare<[string, number], LedgerRow>(
    "SELECT * FROM ledger WHERE state = 'pending' AND due_at <= ? ORDER BY due_at LIMIT ?",
  );
  const sending = db.prepare<[], LedgerRow>("SELECT * FROM ledger WHERE state = 'sending' ORDER BY id");
  const recent = db.prepare<[string, number], LedgerRow>(
    'SELECT * FROM ledger WHERE destination = ? ORDER BY due_at DESC, id DESC LIMIT ?',
  );
  const parts = db.prepare<[number], PartRow>('SELECT * FROM ledger_parts WHERE entry_id = ? ORDER BY part');
  const dropPlanned = db.prepare("DELETE FROM ledger_parts WHERE entry_id = ? AND state = 'planned'");
  const insertPart = db.prepare(`
    INSERT INTO ledger_parts (entry_id, part, story_key, body, state, updated_at)
    VALUES (@entryId, @part, @storyKey, @body, 'planned', @at)
    ON CONFLICT (entry_id, part) DO NOTHING`);
  const setThread = db.prepare('UPDATE ledger_parts SET thread_id = ?, updated_at = ? WHERE entry_id = ? AND part = 0');
  const partMoves = new Map<string, ReturnType<SqliteDatabase['prepare']>>();
  const partMove = (from: readonly LedgerPartState[], withMessage: boolean) => {
    const id = `${[...from].sort().join(',')}${withMessage ? '+message' : ''}`;
    let statement = partMoves.get(id);
    if (!statement) {
      const states = from.map((_, i) => `@s${i}`).join(', ');
      statement = db.prepare(
        `UPDATE ledger_parts SET state = @to, ${withMessage ? 'message_id = @messageId, ' : ''}updated_at = @at
         WHERE entry_id = @entryId AND part = @part AND state IN (${states})`,
      );
      partMoves.set(id, statement);
    }
    return statement;
  };
  const claims = new Map<string, ReturnType<SqliteDatabase['prepare']>>();
  const claimStatement = (from: readonly LedgerState[]) => {
    const id = [...from].sort().join(',');
    let statement = claims.get(id);
    if (!statement) {
      const states = from.map((_, i) => `@s${i}`).join(', ');
      statement = db.prepare(
        `UPDATE ledger SET state = 'sending', updated_at = @at, post_key = @key, post_body = @body,
           post_started_at = CASE WHEN @body IS NULL THEN NULL ELSE @at END
         WHERE id = @id AND state IN (${states})`,
      );
      claims.set(id, statement);
    }
    return statement;
  };
  return {
    plan: (entry) => {
      const result = insert.run({
        ...entry,
        failure: entry.state === 'skipped' ? entry.failure : null,
        detail: entry.state === 'skipped' ? (entry.detail ?? null) : null,
        at: now(),
      });
      const row = bySlot.get(entry.destination, entry.slot) as LedgerRow;
      return { entry: toEntry(row), inserted: result.changes > 0 };
    },
    claim: (id, from, underWay) => {
      if (from.length === 0) return false;
      const params: Record<string, unknown> = {
        id,
        at: now(),
        key: underWay?.key ?? null,
        body: underWay?.body ?? null,
      };
      from.forEach((state, i) => {
        params[`s${i}`] = state;
      });
      return claimStatement(from).run(params).changes > 0;
    },
    takeUnderWay: (id) => {
      const row = underWay.get(id);
      if (!row) return null;
      const params = { id, at: now(), key: row.post_key, startedAt: row.post_started_at };
      if (takeUnderWay.run(params).changes === 0) return null;
      return { key: row.post_key, body: row.post_body, startedAt: row.post_started_at };
    },
    markSent: (id, { messageId, contentHash, storyKeys }) => {
      sent.run({ id, messageId, contentHash, storyKeys: JSON.stringify(storyKeys), at: now() });
    },
    markFailed: (id, failure, detail, nextAttemptAt) => {
      failed.run({ id, failure, detail: detail.slice(0, 500), nextAttemptAt, at: now() });
    },
    markSkipped: (id, reason, detail = null) => {
      skipped.run({ id, failure: reason, detail, at: now() });
    },
    get: (id) => {
      const row = byId.get(id);
      return row ? toEntry(row) : null;
    },
    latestPlanned: (kind, since) => {
      const out = new Map<string, { dueAt: string; localDate: string | null }>();
      for (const row of latest.all({ kind, since })) {
        out.set(row.destination, { dueAt: row.due_at, localDate: row.local_date });
      }
      return out;
    },
    lastSent: (destination, kind) => {
      const row = lastSent.get(destination, kind);
      return row ? toEntry(row) : null;
    },
    openOutages: () => outages.all().map(toEntry),
    countSent: (destination, kind, since) => countSent.get(destination, kind, since)?.n ?? 0,
    retriesDue: (at, limit) => retries.all(at, limit).map(toEntry),
    interrupted: () => sending.all().map(toEntry),
    pendingDue: (at, limit) => pending.all(at, limit).map(toEntry),
    recent: (destination, limit) => recent.all(destination, limit).map(toEntry),
    parts: (entryId) => parts.all(entryId).map(toPart),
    planParts: (entryId, planned) => {
      const at = now();
      db.transaction(() => {
        dropPlanned.run(entryId);
        for (const p of planned) insertPart.run({ entryId, part: p.part, storyKey: p.storyKey, body: p.body, at });
      })();
    },
    markPart: (entryId, part, from, to, messageId) => {
      if (from.length === 0) return false;
      const params: Record<string, unknown> = { entryId, part, to, at: now() };
      if (messageId !== undefined) params.messageId = messageId;
      from.forEach((state, i) => {
        params[`s${i}`] = state;
      });
      return partMove(from, messageId !== undefined).run(params).changes > 0;
    },
    setThread: (entryId, threadId) => {
      setThread.run(threadId, now(), entryId);
    },
  };
}

export function createLeaseRepository(db: SqliteDatabase): LeaseRepository {
  const acquire = db.prepare(`
    INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, @expiresAt)
    ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
    WHERE leases.holder = excluded.holder OR leases.expires_at <= @now`);
  const release = db.prepare('DELETE FROM leases WHERE name = ? AND holder = ?');
  const takeOver = db.prepare(
    'UPDATE leases SET holder = @holder, expires_at = @expiresAt WHERE name = @name AND holder = @from',
  );
  const current = db.prepare<[string], { holder: string; expires_at: string }>(
    'SELECT holder, expires_at FROM leases WHERE name = ?',
  );
  return {
    acquire: (name, holder, now, expiresAt) => acquire.run({ name, holder, now, expiresAt }).changes > 0,
    release: (name, holder) => {
      release.run(name, holder);
    },
    current: (name) => {
      const row = current.get(name);
      return row ? { holder: row.holder, expiresAt: row.expires_at } : null;
    },
    takeOver: (name, from, holder, expiresAt) => takeOver.run({ name, from, holder, expiresAt }).changes > 0,
  };
}
