/**
 * Article search on PostgreSQL, with SQLite's results (storage/sqlite/articleSearch.ts): the same candidates in
 * the same order, scored the same way. The GIN index on `search_tokens` narrows the articles to those holding every
 * term of a phrase; which of them really match is decided here, term for term as FTS5 does (the phrase's terms in
 * a row, in the title or in the body; a lone Hangul or Han character as the start of a term), on the article's
 * text, read in the order SQLite reads its index, until enough have matched.
 */

import { isSingleCjkChar } from '../../src/text/searchTokens.ts';
import type { ArticleSearch, SearchCandidate } from '../repositories.ts';
import { candidateList, rankWindowOf, TAG_ONLY_WINDOW, textScores } from '../searchRanking.ts';
import { createPhraseMatcher, matchTokens } from '../sqlite/ftsQuery.ts';
import type { Executor } from './database.ts';
import { indexTerms } from './searchTokens.ts';

/** Rows read at a time while matches are checked here. */
const BATCH = 500;

/** One alternative of a group as FTS5 matches it: a phrase of terms, or a prefix (a lone Hangul/Han character). */
type Alternative = { prefix: string; terms: null } | { prefix: null; terms: string[] };

function alternativeOf(text: string): Alternative | null {
  const trimmed = text.trim();
  if (isSingleCjkChar(trimmed)) return { prefix: trimmed.normalize('NFKC'), terms: null };
  const terms = indexTerms(trimmed);
  return terms.length > 0 ? { prefix: null, terms } : null;
}

/** A group's searchable alternatives, deduplicated; empty when none is searchable (the group is then dropped). */
function groupOf(group: readonly string[]): Alternative[] {
  const seen = new Set<string>();
  const out: Alternative[] = [];
  for (const alternative of group.map(alternativeOf)) {
    if (!alternative) continue;
    const key = alternative.prefix !== null ? `*${alternative.prefix}` : JSON.stringify(alternative.terms);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(alternative);
  }
  return out;
}

/** An article's FTS5 columns as terms: the title, and the deck and paragraphs. */
interface Columns {
  title: string[];
  /** Tokenized when first read: a phrase found in the title needs no look at the body. */
  readonly body: string[];
}

function inColumn(terms: readonly string[], alternative: Alternative): boolean {
  if (alternative.prefix !== null) return terms.some((t) => t.startsWith(alternative.prefix));
  const phrase = alternative.terms;
  outer: for (let i = 0; i + phrase.length <= terms.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (terms[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

const groupMatches = (columns: Columns, group: readonly Alternative[]) =>
  group.some((alternative) => inColumn(columns.title, alternative)) ||
  group.some((alternative) => inColumn(columns.body, alternative));

/** SQL that holds for every article the alternative matches (and for some it does not). */
function superset(alternative: Alternative, params: unknown[]): string {
  if (alternative.prefix !== null) {
    params.push(`${alternative.prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    return `EXISTS (SELECT 1 FROM unnest(a.search_tokens) st WHERE st LIKE $${params.length})`;
  }
  params.push([...new Set(alternative.terms)]);
  return `a.search_tokens @> $${params.length}::text[]`;
}

interface Row {
  id: number;
  published_ms: number | null;
  title: string;
  deck: string[];
  body: string;
}

function epochMs(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/** SQLite's lower(): ASCII letters only. */
const ASCII_LOWER = "translate(a.source_name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')";

export function createArticleSearch(pool: Executor): (query: ArticleSearch) => Promise<SearchCandidate[]> {
  /** The filters every path shares, on `a`; null when nothing can match. */
  function filters(query: ArticleSearch, params: unknown[]): string[] | null {
    const out: string[] = [];
    const since = epochMs(query.since);
    const until = epochMs(query.until);
    if (since !== null || until !== null) {
      const from = since ?? Number.MIN_SAFE_INTEGER;
      const to = until ?? Number.MAX_SAFE_INTEGER;
      if (from > to) return null;
      params.push(from, to);
      out.push(`a.published_ms BETWEEN $${params.length - 1} AND $${params.length}`);
    }
    if (query.lang) {
      params.push(query.lang);
      out.push(`a.lang = $${params.length}`);
    }
    if (query.sources && query.sources.length > 0) {
      params.push(query.sources.map((s) => s.toLowerCase()));
      out.push(`${ASCII_LOWER} = ANY($${params.length}::text[])`);
    }
    if (query.topics && query.topics.length > 0) {
      params.push([...query.topics]);
      out.push(
        `EXISTS (SELECT 1 FROM article_topics tf WHERE tf.article_id = a.id AND tf.topic_id = ANY($${params.length}::text[]))`,
      );
    }
    return out;
  }

  function requireTopics(topics: readonly string[], params: unknown[]): string[] {
    return topics.map((topic) => {
      params.push(topic);
      return `EXISTS (SELECT 1 FROM article_topics tt WHERE tt.article_id = a.id AND tt.topic_id = $${params.length})`;
    });
  }

  const columnsOf = (row: Row): Columns => {
    let body: string[] | null = null;
    return {
      title: indexTerms(row.title),
      get body() {
        body ??= indexTerms([...row.deck, ...(row.body === '' ? [] : row.body.split('\n\n'))].join('\n'));
        return body;
      },
    };
  };

  /**
   * Reads `from … where … order by …` in batches and keeps the rows `keep` accepts, until `limit` are kept: what a
   * LIMIT over SQLite's exact condition returns.
   */
  async function collect(
    from: string,
    where: readonly string[],
    params: readonly unknown[],
    order: string,
    limit: number,
    keep: ((row: Row) => boolean) | null,
    withText = keep !== null,
  ): Promise<Row[]> {
    const rows: Row[] = [];
    // Deck and body only where they are read: to check a match here, or an exclusion.
    const text = withText ? 'a.deck, a.body' : "'{}'::text[] AS deck, '' AS body";
    const sql = `SELECT a.id, a.published_ms, a.title, ${text} FROM ${from}
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${order} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`;
    if (keep === null) return (await pool.query<Row>(sql, [...params, limit, 0])).rows;
    for (let offset = 0; rows.length < limit; offset += BATCH) {
      const batch = (await pool.query<Row>(sql, [...params, BATCH, offset])).rows;
      for (const row of batch) {
        if (rows.length >= limit) break;
        if (keep(row)) rows.push(row);
      }
      if (batch.length < BATCH) break;
    }
    return rows;
  }

  /** The query's groups that hold a searchable term (not punctuation only). */
  const searchable = (query: ArticleSearch) => query.text.all.filter((group) => groupOf(group).length > 0);

  return async (query) => {
    const rankWindow = rankWindowOf(query);
    const hasWords = query.text.all.some((group) => group.length > 0);
    const all = query.text.all.map(groupOf).filter((g) => g.length > 0);
    const none = query.text.none.map(groupOf).filter((g) => g.length > 0);
    if (hasWords && all.length === 0) return [];
    // An exclusion of one-term alternatives and prefixes is exact in SQL; one with a phrase is checked here.
    const oneTerm = (group: readonly Alternative[]) => group.every((a) => a.prefix !== null || a.terms.length === 1);
    const noneInSql = none.filter(oneTerm);
    const noneHere = none.filter((group) => !oneTerm(group));
    const exclusions = (params: unknown[]) =>
      noneInSql.map((group) => `NOT (${group.map((alternative) => superset(alternative, params)).join(' OR ')})`);
    const excludedHere = (row: Row) => {
      const columns = columnsOf(row);
      return noneHere.some((group) => groupMatches(columns, group));
    };
    const excluded = query.text.none.map(createPhraseMatcher);
    const mentionsExcluded = (row: Row) => {
      const tokens = matchTokens([row.title, ...row.deck, row.body].join('\n'));
      return excluded.some((matches) => matches(tokens));
    };
    const topicsPerGroup = query.text.allTopics ?? [];
    const namedTopics = [...new Set(topicsPerGroup.filter((t): t is string => Boolean(t)))];
    const { candidates, add, has: found } = candidateList<Row>((row) => row.published_ms);

    if (all.length > 0) {
      const params: unknown[] = [];
      const shared = filters(query, params);
      if (shared === null) return [];
      const text = all.map((group) => `(${group.map((alternative) => superset(alternative, params)).join(' OR ')})`);
      const where = [...text, ...shared, ...requireTopics(namedTopics, params), ...exclusions(params)];
      // A one-term alternative (most English words, a two-syllable Korean word) or a prefix matches exactly when
      // the SQL condition holds: only phrases need the article's text.
      const exact = noneHere.length === 0 && all.every(oneTerm);
      const keep = (row: Row) => {
        const columns = columnsOf(row);
        return (
          all.every((group) => groupMatches(columns, group)) && !noneHere.some((group) => groupMatches(columns, group))
        );
      };
      const rows = await collect('articles a', where, params, 'a.id DESC', rankWindow, exact ? null : keep);
      add(rows, textScores(searchable(query), rows));
    }

    const byTags = hasWords && topicsPerGroup.length === query.text.all.length && topicsPerGroup.every(Boolean);
    if (byTags || (!hasWords && query.topics && query.topics.length > 0)) {
      const [first, ...rest] = byTags ? namedTopics : (query.topics ?? []);
      const params: unknown[] = [];
      const shared = filters(query, params);
      if (shared === null) return candidates;
      let driver: string;
      if (byTags) {
        params.push(first);
        driver = `t0.topic_id = $${params.length}`;
      } else {
        params.push([...(query.topics ?? [])]);
        driver = `t0.topic_id = ANY($${params.length}::text[])`;
      }
      const where = [driver, ...shared, ...(byTags ? requireTopics(rest, params) : [])];
      const from = 'article_topics t0 JOIN articles a ON a.id = t0.article_id';
      if (byTags) {
        // Exclusions are checked on the few rows read, as SQLite does (by the phrase matcher, after the limit).
        const rows = await collect(
          from,
          where,
          params,
          't0.article_id DESC',
          TAG_ONLY_WINDOW,
          null,
          excluded.length > 0,
        );
        add(excluded.length > 0 ? rows.filter((row) => found(row.id) || !mentionsExcluded(row)) : rows, null);
      } else {
        const keep = noneHere.length > 0 ? (row: Row) => !excludedHere(row) : null;
        add(
          await collect(from, [...where, ...exclusions(params)], params, 't0.article_id DESC', rankWindow, keep),
          null,
        );
      }
    } else if (!hasWords) {
      const params: unknown[] = [];
      const shared = filters(query, params);
      if (shared === null) return [];
      const keep = noneHere.length > 0 ? (row: Row) => !excludedHere(row) : null;
      const where = [...shared, ...exclusions(params)];
      add(
        await collect('articles a', where, params, 'a.published_ms DESC NULLS LAST, a.id DESC', rankWindow, keep),
        null,
      );
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
