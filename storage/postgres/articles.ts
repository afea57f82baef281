import type { Async } from '../asyncStore.ts';
import type { ArticleRecord, ArticleRepository, StoredArticle, TopicTag } from '../repositories.ts';
import { type ArticleRow as Row, toStoredArticle } from '../rows.ts';
import { createArticleSearch } from './articleSearch.ts';
import type { Executor } from './database.ts';
import { articleSearchTokens } from './searchTokens.ts';

/** Every column but the search tokens (nobody reads them back), and the topics most mentioned first. */
const SELECT = `
  SELECT a.id, a.key, a.url, a.source_id, a.source_name, a.title, a.deck, a.body, a.byline, a.lang, a.published_at,
    a.updated_at, a.content_hash, a.first_seen_at, a.last_seen_at,
    (SELECT COALESCE(json_agg(json_build_array(t.topic_id, t.weight) ORDER BY t.weight DESC, t.topic_id), '[]')
     FROM article_topics t WHERE t.article_id = a.id) AS topics
  FROM articles a`;

/** PostgreSQL gives the deck as text[] and the topics as JSON. */
type ArticleRow = Row<string[], [string, number][]>;
const toArticle = (row: ArticleRow): StoredArticle => toStoredArticle(row, row.deck, row.topics);

function epochMs(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Articles on PostgreSQL. `save` is one upsert on the key that also writes the article's search tokens, so an
 * article and what search finds it by never disagree, and two processes saving the same article store one row
 * (the later statement's version, as on SQLite). Search: articleSearch.ts.
 */
export function createArticleRepository(pool: Executor, now: () => string): Async<ArticleRepository> {
  const one = async (sql: string, params: unknown[]) => {
    const { rows } = await pool.query<ArticleRow>(sql, params);
    return rows[0] ? toArticle(rows[0]) : null;
  };
  const many = async (sql: string, params: unknown[]) =>
    (await pool.query<ArticleRow>(sql, params)).rows.map(toArticle);

  return {
    findByKey: (key) => one(`${SELECT} WHERE a.key = $1`, [key]),
    findByContentHash: (hash) => one(`${SELECT} WHERE a.content_hash = $1 ORDER BY a.id LIMIT 1`, [hash]),
    get: (id) => one(`${SELECT} WHERE a.id = $1`, [id]),
    findByKeys: async (keys) => (keys.length === 0 ? [] : many(`${SELECT} WHERE a.key = ANY($1::text[])`, [[...keys]])),
    firstIdsByContentHash: async (hashes) => {
      if (hashes.length === 0) return new Map();
      const { rows } = await pool.query<{ content_hash: string; id: number }>(
        'SELECT content_hash, min(id) AS id FROM articles WHERE content_hash = ANY($1::text[]) GROUP BY content_hash',
        [[...hashes]],
      );
      return new Map(rows.map((r) => [r.content_hash, r.id]));
    },
    getMany: async (ids) => {
      if (ids.length === 0) return [];
      const byId = new Map((await many(`${SELECT} WHERE a.id = ANY($1::bigint[])`, [[...ids]])).map((a) => [a.id, a]));
      return ids.map((id) => byId.get(id)).filter((a): a is StoredArticle => a !== undefined);
    },
    save: async (record: ArticleRecord) => {
      const at = now();
      const { rows } = await pool.query<{ id: number }>(
        `INSERT INTO articles (key, url, source_id, source_name, title, deck, body, byline, lang, published_at,
           published_ms, updated_at, content_hash, first_seen_at, last_seen_at, search_tokens)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15)
         ON CONFLICT (key) DO UPDATE SET url = excluded.url, source_id = excluded.source_id,
           source_name = excluded.source_name, title = excluded.title, deck = excluded.deck, body = excluded.body,
           byline = excluded.byline, lang = excluded.lang, published_at = excluded.published_at,
           published_ms = excluded.published_ms, updated_at = excluded.updated_at,
           content_hash = excluded.content_hash, last_seen_at = excluded.last_seen_at,
           search_tokens = excluded.search_tokens
         RETURNING id`,
        [
          record.key,
          record.url,
          record.sourceId,
          record.sourceName,
          record.title,
          [...record.deck],
          record.paragraphs.join('\n\n'),
          record.byline,
          record.lang,
          record.publishedAt,
          epochMs(record.publishedAt),
          record.updatedAt,
          record.contentHash,
          at,
          articleSearchTokens(record),
        ],
      );
      const id = rows[0]?.id;
      if (id === undefined) throw new Error(`article ${record.key} was not stored`);
      return id;
    },
    // Nothing to flush: `save` writes the search tokens in the article's own row, so an article is found as soon
    // as it is committed (`deferSearchIndex` exists for SQLite's FTS5 index, which is cheaper written in batches).
    flushSearchIndex: async () => undefined,
    setTopics: async (articleId, topics: readonly TopicTag[]) => {
      // A topic given twice keeps its last weight, as SQLite's INSERT OR REPLACE does.
      const weights = new Map<string, number>();
      for (const topic of topics) {
        weights.delete(topic.id);
        weights.set(topic.id, topic.weight);
      }
      if (weights.size === 0) {
        await pool.query('DELETE FROM article_topics WHERE article_id = $1', [articleId]);
        return;
      }
      // One statement (atomic without a savepoint): the topics not given are deleted, those given upserted.
      await pool.query(
        `WITH gone AS (DELETE FROM article_topics WHERE article_id = $1 AND NOT (topic_id = ANY($2::text[])))
         INSERT INTO article_topics (article_id, topic_id, weight)
         SELECT $1, t.topic_id, t.weight FROM unnest($2::text[], $3::integer[]) AS t(topic_id, weight)
         ON CONFLICT (article_id, topic_id) DO UPDATE SET weight = excluded.weight`,
        [articleId, [...weights.keys()], [...weights.values()]],
      );
    },
    touch: async (articleId) => {
      await pool.query('UPDATE articles SET last_seen_at = $2 WHERE id = $1', [articleId, now()]);
    },
    search: createArticleSearch(pool),
    listPublishedBetween: async (fromIso, toIso, limit = 100_000) => {
      const fromMs = epochMs(fromIso);
      const toMs = epochMs(toIso);
      if (fromMs === null || toMs === null) return [];
      return many(`${SELECT} WHERE a.published_ms BETWEEN $1 AND $2 ORDER BY a.published_ms DESC, a.id DESC LIMIT $3`, [
        fromMs,
        toMs,
        limit,
      ]);
    },
    latestPublishedAt: async () => {
      // Equal instants: the newest stored, as SQLite's backward scan of its published_ms index gives it.
      const { rows } = await pool.query<{ published_at: string }>(
        'SELECT published_at FROM articles WHERE published_ms IS NOT NULL ORDER BY published_ms DESC, id DESC LIMIT 1',
      );
      return rows[0]?.published_at ?? null;
    },
    count: async () => {
      const { rows } = await pool.query<{ n: number }>('SELECT count(*) AS n FROM articles');
      return rows[0]?.n ?? 0;
    },
    storedAfter: async (afterId, limit) => {
      const { rows } = await pool.query<{ id: number; sourceId: number | null }>(
        'SELECT id, source_id AS "sourceId" FROM articles WHERE id > $1 ORDER BY id LIMIT $2',
        [afterId, Math.max(0, limit)],
      );
      return rows;
    },
    newestId: async () => {
      const { rows } = await pool.query<{ id: number | null }>('SELECT max(id) AS id FROM articles');
      return rows[0]?.id ?? null;
    },
    holdFromDigests: async (ids) => {
      if (ids.length === 0) return;
      await pool.query('UPDATE articles SET digest_held = true WHERE id = ANY($1::bigint[])', [[...ids]]);
    },
    releaseHeld: async (sourceId, count) => {
      // One statement: the rows picked are locked, and one another process released meanwhile is not counted twice.
      const { rows } = await pool.query<{ id: number }>(
        `WITH picked AS (
           SELECT id FROM articles WHERE source_id = $1 AND digest_held
           ORDER BY published_ms IS NULL, published_ms DESC, id DESC LIMIT $2 FOR UPDATE
         ), released AS (
           UPDATE articles a SET digest_held = false FROM picked
           WHERE a.id = picked.id AND a.digest_held
           RETURNING a.id, a.published_ms
         )
         SELECT id FROM released ORDER BY published_ms IS NULL, published_ms DESC, id DESC`,
        [sourceId, Math.max(0, count)],
      );
      return rows.map((r) => r.id);
    },
  };
}
