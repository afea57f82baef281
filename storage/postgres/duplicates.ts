import type { Async } from '../asyncStore.ts';
import type { DuplicateLink, DuplicateRepository, DuplicateSignature } from '../repositories.ts';
import type { Executor } from './database.ts';

/**
 * The near-duplicate index on PostgreSQL. A signature is one upsert; an article's links are replaced in one
 * statement whose inserts are upserts, so two processes linking the same pair from either end at once both
 * succeed and leave one pair of rows.
 */
export function createDuplicateRepository(pool: Executor): Async<DuplicateRepository> {
  return {
    putSignature: async (signature: DuplicateSignature) => {
      await pool.query(
        `INSERT INTO article_signatures (article_id, time_ms, shingles, minhash) VALUES ($1, $2, $3, $4)
         ON CONFLICT (article_id) DO UPDATE SET time_ms = excluded.time_ms, shingles = excluded.shingles,
           minhash = excluded.minhash`,
        [signature.articleId, signature.timeMs, signature.shingleCount, Buffer.from(signature.minhash)],
      );
    },
    signaturesBetween: async (fromMs, toMs) => {
      const { rows } = await pool.query<{ article_id: number; time_ms: number; shingles: number; minhash: Buffer }>(
        `SELECT article_id, time_ms, shingles, minhash FROM article_signatures
         WHERE time_ms BETWEEN $1 AND $2 ORDER BY article_id`,
        [fromMs, toMs],
      );
      return rows.map((r) => ({
        articleId: r.article_id,
        timeMs: r.time_ms,
        shingleCount: r.shingles,
        minhash: new Uint8Array(r.minhash),
      }));
    },
    setLinks: async (articleId, found: readonly DuplicateLink[]) => {
      // Both directions of every link; a pair given twice keeps its last values (SQLite's INSERT OR REPLACE).
      const rows = new Map<string, [number, number, number, number]>();
      for (const link of found) {
        for (const [from, to] of [
          [articleId, link.otherId],
          [link.otherId, articleId],
        ] as const) {
          rows.set(`${from}:${to}`, [from, to, link.jaccard, link.containment]);
        }
      }
      const sorted = [...rows.values()].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      if (sorted.length === 0) {
        await pool.query('DELETE FROM duplicate_links WHERE article_id = $1 OR other_id = $1', [articleId]);
        return;
      }
      // One statement (atomic without a savepoint): the links not given are deleted, those given upserted (the
      // two sets of rows are disjoint), in key order, so that two transactions writing the same pairs lock them
      // in the same order.
      await pool.query(
        `WITH gone AS (
           DELETE FROM duplicate_links d WHERE (d.article_id = $5 OR d.other_id = $5) AND NOT EXISTS (
             SELECT 1 FROM unnest($1::bigint[], $2::bigint[]) AS w(article_id, other_id)
             WHERE w.article_id = d.article_id AND w.other_id = d.other_id)
         )
         INSERT INTO duplicate_links (article_id, other_id, jaccard, containment)
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::float8[], $4::float8[])
         ON CONFLICT (article_id, other_id) DO UPDATE SET jaccard = excluded.jaccard,
           containment = excluded.containment`,
        [sorted.map((r) => r[0]), sorted.map((r) => r[1]), sorted.map((r) => r[2]), sorted.map((r) => r[3]), articleId],
      );
    },
    links: async (articleId) => {
      const { rows } = await pool.query<{ other_id: number; jaccard: number; containment: number }>(
        'SELECT other_id, jaccard, containment FROM duplicate_links WHERE article_id = $1 ORDER BY other_id',
        [articleId],
      );
      return rows.map((r) => ({ otherId: r.other_id, jaccard: r.jaccard, containment: r.containment }));
    },
    linksAmong: async (articleIds) => {
      if (articleIds.length < 2) return [];
      const { rows } = await pool.query<{ article_id: number; other_id: number }>(
        `SELECT article_id, other_id FROM duplicate_links
         WHERE article_id = ANY($1::bigint[]) AND other_id = ANY($1::bigint[]) AND article_id < other_id
         ORDER BY article_id, other_id`,
        [[...articleIds]],
      );
      return rows.map((r): [number, number] => [r.article_id, r.other_id]);
    },
    hasSignature: async (articleId) =>
      ((await pool.query('SELECT 1 FROM article_signatures WHERE article_id = $1', [articleId])).rowCount ?? 0) > 0,
  };
}
