import type Database from 'better-sqlite3';
import type { ArticleSearch, SearchCandidate } from '../repositories.ts';
import { candidateList, rankWindowOf, TAG_ONLY_WINDOW, textScores } from '../searchRanking.ts';
import type { SqliteDatabase } from './database.ts';
import { createPhraseMatcher, ftsMatchExpression, ftsSearchExpression, matchTokens } from './ftsQuery.ts';

/** A time window holding up to this many articles narrows the index scan by its ids (else a join filters). */
const WINDOW_ID_SET_MAX = 20_000;
const STATEMENT_CACHE_SIZE = 200;

interface PoolRow {
  id: number;
  publishedMs: number | null;
  title: string;
  /** With `withText`: the deck (JSON list) and body, to check exclusions on. */
  deck?: string;
  body?: string;
}

/** SQL conditions with their parameters, in order. */
interface Conditions {
  sql: string[];
  params: unknown[];
}

interface Filters extends Conditions {
  /** The id range of a time window stored in publication order. */
  ids: { lo: number; hi: number } | null;
}

function epochMs(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

const NO_CONDITIONS: Conditions = { sql: [], params: [] };

function merge(...parts: Conditions[]): Conditions {
  return { sql: parts.flatMap((p) => p.sql), params: parts.flatMap((p) => p.params) };
}

/**
 * Full-text search over the pre-tokenized FTS5 index: the one place search SQL lives. Every step reads an index
 * in order and stops early, so a query costs about the same at 10,000 or 1,000,000 articles:
 *
 * - candidates: the FTS5 matches (exclusions inside the expression; a group naming a topic also needs the
 *   topic's tag), newest stored first, at most `rankWindow` of them; when every group names a topic, also the
 *   newest articles tagged with all of them (found through a child topic, with no text score); with no words,
 *   the newest articles that pass the filters. A time window becomes the id range published in it when the
 *   archive was stored in publication order (the index seeks straight to it), else a set of its ids that each
 *   match is tested against (a probe instead of a table lookup).
 * - text score: each group of the query counts 3 when it is in the title, else 1 (it is in the body), over
 *   3 × groups. FTS5's own bm25() is not used: it reads every match of every phrase to weigh them (100 ms for
 *   "ai" in 100,000 articles, ten times that at a million). How often an article names the subject enters the
 *   ranking through its topic mentions.
 */
export function createArticleSearch(db: SqliteDatabase): (query: ArticleSearch) => SearchCandidate[] {
  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let statement = statements.get(sql);
    if (!statement) {
      if (statements.size >= STATEMENT_CACHE_SIZE) statements.clear();
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const windowIds = db.prepare<[number, number, number], { n: number; lo: number | null; hi: number | null }>(
    `SELECT count(*) AS n, min(id) AS lo, max(id) AS hi
     FROM (SELECT id FROM articles WHERE published_ms BETWEEN ? AND ? LIMIT ?)`,
  );

  /**
   * Conditions every driver shares (window, language, sources, topic filter), on `idColumn` and `a`; null when
   * nothing can match. A window stored in publication order comes back as an id range instead (`ids`).
   */
  function filters(query: ArticleSearch, idColumn: string): Filters | null {
    const out: Filters = { sql: [], params: [], ids: null };
    const since = epochMs(query.since);
    const until = epochMs(query.until);
    if (since !== null || until !== null) {
      const from = since ?? Number.MIN_SAFE_INTEGER;
      const to = until ?? Number.MAX_SAFE_INTEGER;
      if (from > to) return null;
      const { n, lo, hi } = windowIds.get(from, to, WINDOW_ID_SET_MAX + 1) ?? { n: 0, lo: null, hi: null };
      if (n === 0 || lo === null || hi === null) return null;
      out.sql.push('a.published_ms BETWEEN ? AND ?');
      out.params.push(from, to);
      if (n <= WINDOW_ID_SET_MAX && hi - lo + 1 <= 2 * n) {
        // Stored in publication order (as an archive fills up): the window is an id range to seek to.
        out.ids = { lo, hi };
      } else if (n <= WINDOW_ID_SET_MAX) {
        // Scattered (back-filled) articles: test each match against the window's ids; the unary + keeps SQLite
        // from turning the set into one index lookup per id.
        out.sql.push(`+${idColumn} IN (SELECT id FROM articles WHERE published_ms BETWEEN ? AND ?)`);
        out.params.push(from, to);
      }
    }
    if (query.lang) {
      out.sql.push('a.lang = ?');
      out.params.push(query.lang);
    }
    if (query.sources && query.sources.length > 0) {
      out.sql.push(`lower(a.source_name) IN (${placeholders(query.sources)})`);
      out.params.push(...query.sources.map((s) => s.toLowerCase()));
    }
    if (query.topics && query.topics.length > 0) {
      out.sql.push(
        `EXISTS (SELECT 1 FROM article_topics tf WHERE tf.article_id = a.id AND tf.topic_id IN (${placeholders(query.topics)}))`,
      );
      out.params.push(...query.topics);
    }
    return out;
  }

  /** The window's id range as an index condition, for drivers that are ordinary B-tree indexes. */
  function idRange(shared: Filters | null, idColumn: string): Conditions | null {
    if (shared === null || shared.ids === null) return shared;
    return merge(shared, { sql: [`${idColumn} BETWEEN ? AND ?`], params: [shared.ids.lo, shared.ids.hi] });
  }

  /** Exclusions as subqueries, for drivers that are not the FTS expression itself. */
  function exclusions(query: ArticleSearch): Conditions {
    const out: Conditions = { sql: [], params: [] };
    for (const group of query.text.none) {
      const expr = ftsMatchExpression([group]);
      if (!expr) continue;
      out.sql.push('a.id NOT IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)');
      out.params.push(expr);
    }
    return out;
  }

  function requireTopic(topic: string): Conditions {
    return {
      sql: ['EXISTS (SELECT 1 FROM article_topics tt WHERE tt.article_id = a.id AND tt.topic_id = ?)'],
      params: [topic],
    };
  }

  function pool(from: string, where: Conditions, order: string, limit: number, withText = false): PoolRow[] {
    const sql = `SELECT a.id AS id, a.published_ms AS publishedMs, a.title AS title
        ${withText ? ', a.deck AS deck, a.body AS body' : ''}
      FROM ${from}
      ${where.sql.length > 0 ? `WHERE ${where.sql.join(' AND ')}` : ''}
      ORDER BY ${order} LIMIT ?`;
    return prepare(sql).all(...where.params, limit) as PoolRow[];
  }

  /**
   * The FTS matches in an id range, newest first. FTS5 seeks an upper rowid bound but walks a lower one slowly,
   * so the scan stops here at the first id below the range; the other conditions are computed per row instead
   * of filtering, so that every row reaches this loop and none is searched for below the range.
   */
  function ftsPoolInRange(match: string, keep: Conditions, ids: { lo: number; hi: number }, limit: number) {
    const sql = `SELECT a.id AS id, a.published_ms AS publishedMs, a.title AS title,
        ${keep.sql.length > 0 ? keep.sql.map((c) => `(${c})`).join(' AND ') : '1'} AS keep
      FROM articles_fts f JOIN articles a ON a.id = f.rowid
      WHERE articles_fts MATCH ? AND f.rowid <= ?
      ORDER BY f.rowid DESC`;
    const rows: PoolRow[] = [];
    const iterator = prepare(sql).iterate(...keep.params, match, ids.hi) as IterableIterator<PoolRow & { keep: 0 | 1 }>;
    for (const row of iterator) {
      if (row.id < ids.lo || rows.length >= limit) break;
      if (row.keep) rows.push({ id: row.id, publishedMs: row.publishedMs, title: row.title });
    }
    return rows;
  }

  /** The query's groups FTS5 can search for (not punctuation only). */
  const searchable = (query: ArticleSearch) => query.text.all.filter((group) => ftsMatchExpression([group]) !== null);

  return (query: ArticleSearch): SearchCandidate[] => {
    const rankWindow = rankWindowOf(query);
    const hasWords = query.text.all.some((group) => group.length > 0);
    const match = ftsSearchExpression(query.text.all, query.text.none);
    if (hasWords && !match) return []; // words were asked for, but none of them is searchable (punctuation only)
    const excluded = query.text.none.map(createPhraseMatcher);
    const mentionsExcluded = (row: PoolRow) => {
      const tokens = matchTokens([row.title, ...(JSON.parse(row.deck ?? '[]') as string[]), row.body ?? ''].join('\n'));
      return excluded.some((matches) => matches(tokens));
    };
    const topicsPerGroup = query.text.allTopics ?? [];
    const namedTopics = [...new Set(topicsPerGroup.filter((t): t is string => Boolean(t)))];
    const { candidates, add, has: found } = candidateList<PoolRow>((row) => row.publishedMs);

    if (match) {
      const shared = filters(query, 'f.rowid');
      if (shared === null) return [];
      const tagged = merge(...namedTopics.map(requireTopic));
      const rows = shared.ids
        ? ftsPoolInRange(match, merge(shared, tagged), shared.ids, rankWindow)
        : pool(
            'articles_fts f JOIN articles a ON a.id = f.rowid',
            merge({ sql: ['articles_fts MATCH ?'], params: [match] }, shared, tagged),
            'f.rowid DESC',
            rankWindow,
          );
      add(rows, textScores(searchable(query), rows));
    }

    const byTags = hasWords && topicsPerGroup.length === query.text.all.length && topicsPerGroup.every(Boolean);
    if (byTags || (!hasWords && query.topics && query.topics.length > 0)) {
      // Read the first topic's tag index in id order; the other groups' topics must be tagged as well.
      const [first, ...rest] = byTags ? namedTopics : (query.topics ?? []);
      const shared = idRange(filters(query, 't0.article_id'), 't0.article_id');
      if (shared === null) return candidates;
      const driver: Conditions = byTags
        ? { sql: ['t0.topic_id = ?'], params: [first] }
        : { sql: [`t0.topic_id IN (${placeholders(query.topics ?? [])})`], params: [...(query.topics ?? [])] };
      // With words, exclusions are checked here on the few new rows: an index subquery would read every match
      // of the excluded word (all of 삼성's for `반도체 -삼성`).
      const checkHere = byTags && excluded.length > 0;
      const rows = pool(
        'article_topics t0 JOIN articles a ON a.id = t0.article_id',
        merge(driver, shared, ...(byTags ? rest.map(requireTopic) : []), byTags ? NO_CONDITIONS : exclusions(query)),
        't0.article_id DESC',
        byTags ? TAG_ONLY_WINDOW : rankWindow,
        checkHere,
      );
      add(checkHere ? rows.filter((row) => found(row.id) || !mentionsExcluded(row)) : rows, null);
    } else if (!hasWords) {
      const shared = idRange(filters(query, 'a.id'), 'a.id');
      if (shared === null) return [];
      add(pool('articles a', merge(shared, exclusions(query)), 'a.published_ms DESC, a.id DESC', rankWindow), null);
    }

    return candidates
      .sort(
        (a, b) =>
          b.textScore - a.textScore ||
          (b.publishedMs ?? Number.MIN_SAFE_INTEGER) - (a.publishedMs ?? Number.MIN_SAFE_INTEGER) ||
          b.articleId - a.articleId,
      )
      .slice(0, query.limit);
  };
}
