import type { Async } from '../asyncStore.ts';
import type { LeaseRepository, LedgerEntry, LedgerRepository } from '../repositories.ts';
import { type LedgerPartRow, type LedgerRow as Row, toLedgerEntry, toLedgerPart } from '../rows.ts';
import { type Executor, inTransaction } from './database.ts';

/** PostgreSQL keeps a ledger entry's story keys as text[]. */
type LedgerRow = Row<string[]>;
type PartRow = LedgerPartRow;
const toEntry = (row: LedgerRow): LedgerEntry => toLedgerEntry(row, row.story_keys);
const toPart = toLedgerPart;

/** As SQLite keeps it (storage/sqlite/ledger.ts). */
const MAX_DETAIL_LENGTH = 500;

/**
 * The delivery ledger on PostgreSQL, statement for statement as on SQLite: a plan is one `INSERT … ON CONFLICT
 * DO NOTHING` on (destination, slot), a claim one `UPDATE … WHERE state = ANY(…)`, so whichever process's
 * statement lands first wins and every other one sees that it lost.
 */
export function createLedgerRepository(pool: Executor, now: () => string): Async<LedgerRepository> {
  const rows = async (sql: string, params: unknown[] = []) => (await pool.query<LedgerRow>(sql, params)).rows;
  const changed = async (sql: string, params: unknown[]) => ((await pool.query(sql, params)).rowCount ?? 0) > 0;
  return {
    plan: async (entry) => {
      const inserted = await rows(
        `INSERT INTO ledger (destination, slot, kind, local_date, due_at, state, failure, detail, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
         ON CONFLICT (destination, slot) DO NOTHING
         RETURNING *`,
        [
          entry.destination,
          entry.slot,
          entry.kind,
          entry.localDate,
          entry.dueAt,
          entry.state,
          entry.state === 'skipped' ? entry.failure : null,
          entry.state === 'skipped' ? (entry.detail ?? null) : null,
          now(),
        ],
      );
      if (inserted[0]) return { entry: toEntry(inserted[0]), inserted: true };
      // Another statement inserted it first; under READ COMMITTED its row is visible once that one committed.
      const [existing] = await rows('SELECT * FROM ledger WHERE destination = $1 AND slot = $2', [
        entry.destination,
        entry.slot,
      ]);
      if (!existing) throw new Error(`ledger entry ${entry.destination} ${entry.slot} was neither inserted nor found`);
      return { entry: toEntry(existing), inserted: false };
    },
    claim: async (id, from, underWay) => {
      if (from.length === 0) return false;
      return changed(
        `UPDATE ledger SET state = 'sending', updated_at = $2, post_key = $4, post_body = $5,
           post_started_at = CASE WHEN $5::text IS NULL THEN NULL ELSE $2 END
         WHERE id = $1 AND state = ANY($3::text[])`,
        [id, now(), [...from], underWay?.key ?? null, underWay?.body ?? null],
      );
    },
    takeUnderWay: async (id) => {
      // RETURNING gives the row as updated (the body gone): the row as it was comes from the locked read
      const { rows: taken } = await pool.query<{ post_key: string; post_body: string; post_started_at: string }>(
        `WITH held AS (
           SELECT id, post_key, post_body, post_started_at FROM ledger
           WHERE id = $1 AND state = 'sending' AND post_body IS NOT NULL FOR UPDATE
         )
         UPDATE ledger SET post_body = NULL, updated_at = $2 FROM held
         WHERE ledger.id = held.id AND ledger.post_body IS NOT NULL
         RETURNING held.post_key, held.post_body, held.post_started_at`,
        [id, now()],
      );
      const row = taken[0];
      return row ? { key: row.post_key, body: row.post_body, startedAt: row.post_started_at } : null;
    },
    markSent: async (id, { messageId, contentHash, storyKeys }) => {
      await pool.query(
        `UPDATE ledger SET state = 'sent', message_id = $2, content_hash = $3, story_keys = $4, failure = NULL,
           detail = NULL, attempts = attempts + 1, next_attempt_at = NULL, updated_at = $5, post_key = NULL,
           post_body = NULL, post_started_at = NULL
         WHERE id = $1`,
        [id, messageId, contentHash, [...storyKeys], now()],
      );
    },
    markFailed: async (id, failure, detail, nextAttemptAt) => {
      await pool.query(
        `UPDATE ledger SET state = 'failed', failure = $2, detail = $3, attempts = attempts + 1, next_attempt_at = $4,
           updated_at = $5, post_key = NULL, post_body = NULL, post_started_at = NULL
         WHERE id = $1`,
        [id, failure, detail.slice(0, MAX_DETAIL_LENGTH), nextAttemptAt, now()],
      );
    },
    markSkipped: async (id, reason, detail = null) => {
      await pool.query(
        `UPDATE ledger SET state = 'skipped', failure = $2, detail = $3, next_attempt_at = NULL, updated_at = $4,
           post_key = NULL, post_body = NULL, post_started_at = NULL
         WHERE id = $1`,
        [id, reason, detail, now()],
      );
    },
    get: async (id) => {
      const [row] = await rows('SELECT * FROM ledger WHERE id = $1', [id]);
      return row ? toEntry(row) : null;
    },
    latestPlanned: async (kind, since) => {
      const { rows: latest } = await pool.query<{ destination: string; due_at: string; local_date: string | null }>(
        `SELECT destination, max(due_at) AS due_at, max(local_date) AS local_date FROM ledger
         WHERE kind = $1 AND due_at > $2 GROUP BY destination`,
        [kind, since],
      );
      return new Map(latest.map((r) => [r.destination, { dueAt: r.due_at, localDate: r.local_date }]));
    },
    lastSent: async (destination, kind) => {
      const [row] = await rows(
        `SELECT * FROM ledger WHERE destination = $1 AND kind = $2 AND state = 'sent'
         ORDER BY due_at DESC, id DESC LIMIT 1`,
        [destination, kind],
      );
      return row ? toEntry(row) : null;
    },
    openOutages: async () =>
      (
        await rows(`
          SELECT d.* FROM ledger d
          WHERE d.kind = 'notice' AND d.state = 'sent' AND d.slot LIKE 'source-down:%'
            AND NOT EXISTS (SELECT 1 FROM ledger u WHERE u.destination = d.destination
                            AND u.slot = 'source-up:' || substr(d.slot, 13))
          ORDER BY d.id`)
      ).map(toEntry),
    countSent: async (destination, kind, since) => {
      const { rows: counted } = await pool.query<{ n: number }>(
        "SELECT count(*) AS n FROM ledger WHERE destination = $1 AND kind = $2 AND state = 'sent' AND updated_at >= $3",
        [destination, kind, since],
      );
      return counted[0]?.n ?? 0;
    },
    retriesDue: async (at, limit) =>
      (
        await rows(
          `SELECT * FROM ledger WHERE state = 'failed' AND next_attempt_at IS NOT NULL AND next_attempt_at <= $1
           ORDER BY next_attempt_at, id LIMIT $2`,
          [at, limit],
        )
      ).map(toEntry),
    interrupted: async () => (await rows("SELECT * FROM ledger WHERE state = 'sending' ORDER BY id")).map(toEntry),
    pendingDue: async (at, limit) =>
      (
        await rows("SELECT * FROM ledger WHERE state = 'pending' AND due_at <= $1 ORDER BY due_at, id LIMIT $2", [
          at,
          limit,
        ])
      ).map(toEntry),
    recent: async (destination, limit) =>
      (
        await rows('SELECT * FROM ledger WHERE destination = $1 ORDER BY due_at DESC, id DESC LIMIT $2', [
          destination,
          limit,
        ])
      ).map(toEntry),
    parts: async (entryId) =>
      (await pool.query<PartRow>('SELECT * FROM ledger_parts WHERE entry_id = $1 ORDER BY part', [entryId])).rows.map(
        toPart,
      ),
    planParts: async (entryId, planned) => {
      const at = now();
      // The entry is claimed (`sending`) by the one process planning its thread: these two statements race nobody.
      await inTransaction(pool, async (client) => {
        await client.query("DELETE FROM ledger_parts WHERE entry_id = $1 AND state = 'planned'", [entryId]);
        if (planned.length === 0) return;
        await client.query(
          `INSERT INTO ledger_parts (entry_id, part, story_key, body, state, updated_at)
           SELECT $1, p.part, p.story_key, p.body, 'planned', $5
           FROM unnest($2::integer[], $3::text[], $4::text[]) AS p(part, story_key, body)
           ON CONFLICT (entry_id, part) DO NOTHING`,
          [entryId, planned.map((p) => p.part), planned.map((p) => p.storyKey), planned.map((p) => p.body), at],
        );
      });
    },
    markPart: async (entryId, part, from, to, messageId) => {
      if (from.length === 0) return false;
      const params: unknown[] = [entryId, part, [...from], to, now()];
      if (messageId !== undefined) params.push(messageId);
      return changed(
        `UPDATE ledger_parts SET state = $4, ${messageId !== undefined ? 'message_id = $6, ' : ''}updated_at = $5
         WHERE entry_id = $1 AND part = $2 AND state = ANY($3::text[])`,
        params,
      );
    },
    setThread: async (entryId, threadId) => {
      await pool.query('UPDATE ledger_parts SET thread_id = $2, updated_at = $3 WHERE entry_id = $1 AND part = 0', [
        entryId,
        threadId,
        now(),
      ]);
    },
  };
}

/** Leases on PostgreSQL: the same upsert as on SQLite, whose `WHERE` decides atomically who holds the lease. */
export function createLeaseRepository(pool: Executor): Async<LeaseRepository> {
  return {
    acquire: async (name, holder, now, expiresAt) => {
      const result = await pool.query(
        `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE leases.holder = excluded.holder OR leases.expires_at <= $4`,
        [name, holder, expiresAt, now],
      );
      return (result.rowCount ?? 0) > 0;
    },
    release: async (name, holder) => {
      await pool.query('DELETE FROM leases WHERE name = $1 AND holder = $2', [name, holder]);
    },
    current: async (name) => {
      const { rows } = await pool.query<{ holder: string; expires_at: string }>(
        'SELECT holder, expires_at FROM leases WHERE name = $1',
        [name],
      );
      const row = rows[0];
      return row ? { holder: row.holder, expiresAt: row.expires_at } : null;
    },
    takeOver: async (name, from, holder, expiresAt) => {
      const result = await pool.query(
        'UPDATE leases SET holder = $3, expires_at = $4 WHERE name = $1 AND holder = $2',
        [name, from, holder, expiresAt],
      );
      return (result.rowCount ?? 0) > 0;
    },
  };
}
