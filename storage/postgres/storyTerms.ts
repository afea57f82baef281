import type { Async } from '../asyncStore.ts';
import type { TermStatisticsRepository } from '../repositories.ts';
import type { Executor } from './database.ts';

/** The row counting documents: no real term is empty. */
const DOCUMENTS = '';

/**
 * Document frequencies on PostgreSQL. `apply` is one upsert of every delta (`df = greatest(0, df + delta)` on the
 * row as it is), so deltas from several processes add up and none is lost; the terms go in sorted, so that two
 * batches lock the rows they share in the same order and cannot deadlock.
 */
export function createTermStatisticsRepository(pool: Executor): Async<TermStatisticsRepository> {
  return {
    documentCount: async () => {
      const { rows } = await pool.query<{ df: number }>('SELECT df FROM story_terms WHERE term = $1', [DOCUMENTS]);
      return rows[0]?.df ?? 0;
    },
    frequencies: async (terms) => {
      const out = new Map<string, number>();
      if (terms.length === 0) return out;
      const { rows } = await pool.query<{ term: string; df: number }>(
        'SELECT term, df FROM story_terms WHERE term = ANY($1::text[])',
        [[...terms]],
      );
      for (const row of rows) if (row.term !== DOCUMENTS) out.set(row.term, row.df);
      return out;
    },
    apply: async (deltas, documents) => {
      const changes = [...deltas].filter(([term, delta]) => delta !== 0 && term !== DOCUMENTS);
      if (documents !== 0) changes.push([DOCUMENTS, documents]);
      if (changes.length === 0) return;
      changes.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
      await pool.query(
        `INSERT INTO story_terms (term, df)
         SELECT d.term, d.df FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS d(term, df, n) ORDER BY d.n
         ON CONFLICT (term) DO UPDATE SET df = greatest(0, story_terms.df + excluded.df)`,
        [changes.map(([term]) => term), changes.map(([, delta]) => delta)],
      );
    },
  };
}
