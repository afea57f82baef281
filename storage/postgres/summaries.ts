import type { Async } from '../asyncStore.ts';
import type { CachedSummary, SummaryCacheRepository } from '../repositories.ts';
import type { Executor } from './database.ts';

/** The summary cache on PostgreSQL: one row per subject and language, replaced in one upsert. */
export function createSummaryCacheRepository(pool: Executor): Async<SummaryCacheRepository> {
  return {
    get: async (subject, lang, inputHash): Promise<CachedSummary | null> => {
      const { rows } = await pool.query<{ sentences: string[]; model: string; created_at: string }>(
        'SELECT sentences, model, created_at FROM llm_summaries WHERE subject = $1 AND lang = $2 AND input_hash = $3',
        [subject, lang, inputHash],
      );
      const row = rows[0];
      return row ? { sentences: row.sentences, model: row.model, createdAt: row.created_at } : null;
    },
    put: async (subject, lang, inputHash, summary) => {
      await pool.query(
        `INSERT INTO llm_summaries (subject, lang, input_hash, sentences, model, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (subject, lang) DO UPDATE SET input_hash = excluded.input_hash, sentences = excluded.sentences,
           model = excluded.model, created_at = excluded.created_at`,
        [subject, lang, inputHash, [...summary.sentences], summary.model, summary.createdAt],
      );
    },
  };
}
