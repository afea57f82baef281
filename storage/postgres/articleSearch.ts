/**
 * Article search on PostgreSQL, with SQLite's results (storage/sqlite/articleSearch.ts): the same candidates in
 * the same order, scored the same way. FTS5 matches a query's alternative as a phrase (its terms in a row, in the
 * title or in the body) or as a prefix (a lone Hangul or Han character); the `search_tokens` column holds each
 * article's terms once, without their positions, and `search_vector` the same as tsvector lexemes, whose GIN index
 * answers a whole query's "has one of these terms, every term of that phrase, none of those" (tsQuery.ts).
 *
 * - A group's alternatives that another of its alternatives implies are dropped first (`삼성전자` beside `삼성`,
 *   `samsung electronics` beside `samsung`): what is left is decided in SQL alone whenever every alternative is
 *   one term or a prefix, which most queries are.
 * - A phrase of several terms (`엔비디아` is 엔비 비디 디아, `"on-device AI"` is on device ai) is narrowed in SQL
 *   to the articles holding all its terms, and SQL says per row whether the row still needs a look here (a group
 *   it matches by a one-term alternative needs none); only those rows bring their text, and only they are
 *   checked here, term for term as FTS5 does.
 * - One statement reads the newest rows in the driver's order with a LIMIT; when rows checked here fail, the next
 *   statement goes on after the last row read (keyset), never from the start again.
 */

import { isSingleCjkChar, normalizeForSearch } from '../../src/text/searchTokens.ts';
import type { ArticleSearch, SearchCandidate } from '../repositories.ts';
import { candidateList, rankWindowOf, TAG_ONLY_WINDOW, textScores } from '../searchRanking.ts';
import { createPhraseMatcher, matchTokens } from '../sqlite/ftsQuery.ts';
import type { Executor } from './database.ts';
import { indexTerms } from './searchTokens.ts';
import {
  type Alternative,
  anyOf,
  conjunction,
  exactQuery,
  type Group,
  groupQuery,
  phraseSupersetQuery,
} from './tsQuery.ts';

function alternativeOf(text: string): Alternative | null {
  const trimmed = text.trim();
  if (isSingleCjkChar(trimmed)) return { prefix: trimmed.normalize('NFKC'), terms: null };
  const terms = indexTerms(trimmed);
  return terms.length > 0 ? { prefix: null, terms } : null;
}

/** Whether `phrase` holds `part` as terms in a row. */
function holdsInARow(phrase: readonly string[], part: readonly string[]): boolean {
  outer: for (let i = 0; i + part.length <= phrase.length; i++) {
    for (let j = 0; j < part.length; j++) if (phrase[i + j] !== part[j]) continue outer;
    return true;
  }
  return false;
}

/** Whether every column `b` matches is matched by `a` too (so `b` adds nothing to a group that has `a`). */
function implies(a: Alternative, b: Alternative): boolean {
  if (a.prefix !== null) {
    const prefix = a.prefix;
    return b.prefix !== null ? b.prefix.startsWith(prefix) : b.terms.some((t) => t.startsWith(prefix));
  }
  return b.prefix === null && holdsInARow(b.terms, a.terms);
}

/**
 * A group's searchable alternatives, deduplicated, without those another alternative implies; null when none is
 * searchable (the group is then dropped).
 */
function groupOf(group: readonly string[]): Group | null {
  const seen = new Set<string>();
  const alternatives: Alternative[] = [];
  for (const alternative of group.map(alternativeOf)) {
    if (!alternative) continue;
    const key = alternative.prefix !== null ? `*${alternative.prefix}` : JSON.stringify(alternative.terms);
    if (seen.has(key)) continue;
    seen.add(key);
    alternatives.push(alternative);
  }
  if (alternatives.length === 0) return null;
  // Distinct alternatives cannot imply each other both ways, so of two such one always stays.
  const kept = alternatives.filter((b, i) => !alternatives.some((a, j) => j !== i && implies(a, b)));
  const out: Group = { exact: [], phrases: [] };
  for (const a of kept) {
    if (a.prefix === null && a.terms.length > 1) out.phrases.push(a.terms);
    else out.exact.push(a);
  }
  return out;
}

const or = (parts: readonly string[]) => (parts.length === 0 ? 'false' : parts.join(' OR '));

/** SQL that holds for the rows whose search tokens match the tsquery. */
function vectorMatches(tsquery: string, params: unknown[]): string {
  params.push(tsquery);
  return `a.search_vector @@ $${params.length}::tsquery`;
}

/** A phrase that is one run of Hangul syllables (`엔비디아`), as normalized text: found as such, it matches. */
const SYLLABLES = /^[\uac00-\ud7a3]{2,}$/;

interface Row {
  id: number;
  published_ms: number | null;
  title: string;
  /** Null when SQL says the row needs no check here (and no exclusion is checked on its text). */
  deck: string[] | null;
  body: string | null;
  /** Per check (`Check`), whether this row needs it. */
  checks: boolean[] | null;
  /** The tag driver's topic, for the keyset. */
  topic_id?: string;
}

/**
 * A check on the rows SQL cannot decide: an `all` group whose one-term alternatives the row lacks (it must match
 * one of the group's phrases), or a `none` group whose phrase terms the row holds (it must not match the phrase).
 */
interface Check {
  kind: 'all' | 'none';
  phrases: string[][];
  /** SQL (on `a`) that holds when the row needs this check. */
  when: string;
}

function epochMs(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/** SQLite's lower(): ASCII letters only. */
const ASCII_LOWER = "translate(a.source_name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')";

/** How a driver orders its rows, and how a later statement goes on after the last row read. */
interface Driver {
  from: string;
  order: string;
  /** `order` on the statement's outer rows (`q`: the driver's id and topic, `a`: the article). */
  outer: string;
  /** Extra columns the keyset needs. */
  select: string;
  /** The condition for the rows after `last` in `order`, pushing its parameters. */
  after(last: Row, params: unknown[]): string;
}

/**
 * Ids in windows of 2^11 (articles_id_window, migration 3): the text path reads the newest windows first, so a
 * frequent word costs its matches among the newest few thousand articles, not all of them.
 */
const WINDOW_SHIFT = 11;

/** After `last` in id order, without the primary key (see `collect`'s windows). */
function afterId(last: Row, params: unknown[]): string {
  params.push(last.id);
  return `a.id + 0 < $${params.length}`;
}

const BY_ID: Driver = {
  from: 'articles a',
  order: 'a.id DESC',
  outer: 'q.id DESC',
  select: '',
  after: (last, params) => {
    params.push(last.id);
    return `a.id < $${params.length}`;
  },
};

/** The tag index, newest article first; an article tagged with two of the topics is two rows, as on SQLite. */
const BY_TAG: Driver = {
  from: 'article_topics t0 JOIN articles a ON a.id = t0.article_id',
  order: 't0.article_id DESC, t0.topic_id DESC',
  outer: 'q.id DESC, q.topic_id DESC',
  select: ', t0.topic_id',
  after: (last, params) => {
    params.push(last.id, last.topic_id);
    return `(t0.article_id, t0.topic_id) < ($${params.length - 1}, $${params.length})`;
  },
};

/** The newest published first (SQLite orders NULL below every number: last here). */
const BY_PUBLISHED: Driver = {
  from: 'articles a',
  order: 'a.published_ms DESC NULLS LAST, a.id DESC',
  outer: 'a.published_ms DESC NULLS LAST, a.id DESC',
  select: '',
  after: (last, params) => {
    params.push(last.id);
    const id = `$${params.length}`;
    if (last.published_ms === null) return `(a.published_ms IS NULL AND a.id < ${id})`;
    params.push(last.published_ms);
    const ms = `$${params.length}`;
    return `(a.published_ms < ${ms} OR (a.published_ms = ${ms} AND a.id < ${id}) OR a.published_ms IS NULL)`;
  },
};

export function createArticleSearch(pool: Executor): (query: ArticleSearch) => Promise<SearchCandidate[]> {
  /** The filters every path shares, on `a`; null when nothing can match. */
  function filters(query: ArticleSearch, params: unknown[], windowed = false): string[] | null {
    const out: string[] = [];
    const since = epochMs(query.since);
    const until = epochMs(query.until);
    if (since !== null || until !== null) {
      const from = since ?? Number.MIN_SAFE_INTEGER;
      const to = until ?? Number.MAX_SAFE_INTEGER;
      if (from > to) return null;
      params.push(from, to);
      // In id windows (`windowed`), `+ 0`: an index scan of the time range would test every row's TOASTed
      // search_vector; the windows' bitmaps read only the matches, the time is checked on them.
      out.push(`a.published_ms${windowed ? ' + 0' : ''} BETWEEN $${params.length - 1} AND $${params.length}`);
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

  /** Exclusions: the one-term alternatives and prefixes in SQL, the phrases as checks on the rows holding their terms. */
  function exclusions(none: readonly Group[], params: unknown[]): { where: string[]; checks: Check[] } {
    const where: string[] = [];
    const exact = none.map((group) => exactQuery(group.exact)).filter((q): q is string => q !== null);
    if (exact.length > 0) where.push(`NOT (${vectorMatches(anyOf(exact), params)})`);
    return { where, checks: phraseExclusions(none, params) };
  }

  /** The exclusions' phrases, each a check on the rows holding all its terms. */
  function phraseExclusions(none: readonly Group[], params: unknown[]): Check[] {
    return none.flatMap((group) => {
      const supersets = phraseSupersetQuery(group);
      return supersets === null
        ? []
        : [{ kind: 'none' as const, phrases: group.phrases, when: vectorMatches(supersets, params) }];
    });
  }

  /**
   * Reads `driver`'s rows that pass `where`, in its order, and keeps those the checks let through, until `limit`
   * are kept: what a LIMIT over SQLite's exact condition returns. With no checks that is one statement; with
   * checks, rows are read a window and a quarter at a time, each statement after the last row of the one before.
   */
  async function collect(
    driver: Driver,
    where: readonly string[],
    params: readonly unknown[],
    limit: number,
    checks: readonly Check[],
    withText = false,
    windowed = false,
  ): Promise<Row[]> {
    // The driver's rows first (ids only, in order), then the article's columns for those few: the checks'
    // flags and, only where a check needs it, the text.
    const needed = checks.map((c) => (c.when === 'true' ? 'true' : `(${c.when})`));
    const anyNeeded = needed.includes('true') ? 'true' : or(needed);
    const text = withText
      ? 'a.deck, a.body'
      : checks.length === 0
        ? 'NULL AS deck, NULL AS body'
        : `CASE WHEN ${anyNeeded} THEN a.deck END AS deck, CASE WHEN ${anyNeeded} THEN a.body END AS body`;
    const flags = checks.length > 0 ? `ARRAY[${needed.join(', ')}]::boolean[]` : 'NULL';
    const statement = (conditions: readonly string[], count: number, p: unknown[], bound: number | null) => {
      p.push(count);
      const limit = `$${p.length}`;
      const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
      let inner = `SELECT a.id${driver.select} FROM ${driver.from} ${where} ORDER BY ${driver.order} LIMIT ${limit}`;
      if (windowed) {
        // The newest id windows first (articles_id_window): each branch is a bitmap of the GIN indexes, and a
        // later one runs only when the earlier did not fill the limit. `a.id + 0` keeps the planner from
        // walking the primary key and testing every row's (TOASTed) search_vector instead.
        let top = `(SELECT max(id) FROM articles) >> ${WINDOW_SHIFT}`;
        if (bound !== null) {
          p.push(bound);
          top = `$${p.length}::bigint >> ${WINDOW_SHIFT}`;
        }
        const and = conditions.length > 0 ? `${conditions.join(' AND ')} AND` : '';
        const branch = (window: string) =>
          `(SELECT a.id FROM articles a WHERE ${and} ${window} ORDER BY a.id + 0 DESC LIMIT ${limit})`;
        inner = `WITH top AS (SELECT ${top} AS b)
          ${branch(`ARRAY[a.id >> ${WINDOW_SHIFT}] && ARRAY[(SELECT b FROM top), (SELECT b FROM top) - 1]`)}
          UNION ALL ${branch(`ARRAY[a.id >> ${WINDOW_SHIFT}] && ARRAY(SELECT generate_series((SELECT b FROM top) - 9, (SELECT b FROM top) - 2))`)}
          UNION ALL ${branch(`(a.id >> ${WINDOW_SHIFT}) < (SELECT b FROM top) - 9`)}
          LIMIT ${limit}`;
      }
      return `SELECT a.id, a.published_ms, a.title, ${text}, ${flags} AS checks${driver.select ? ', q.topic_id' : ''}
        FROM (${inner}) q
        JOIN articles a ON a.id = q.id
        ORDER BY ${driver.outer}`;
    };
    if (checks.length === 0) {
      const p = [...params];
      return (await pool.query<Row>(statement(where, limit, p, null), p)).rows;
    }
    const rows: Row[] = [];
    let last: Row | null = null;
    let batch = limit + Math.ceil(limit / 4);
    for (;;) {
      const p = [...params];
      const conditions = last ? [...where, windowed ? afterId(last, p) : driver.after(last, p)] : where;
      const read = (await pool.query<Row>(statement(conditions, batch, p, last ? last.id - 1 : null), p)).rows;
      for (const row of read) {
        if (passes(row, checks)) rows.push(row);
        if (rows.length >= limit) return rows;
      }
      if (read.length < batch) return rows;
      last = read[read.length - 1] as Row;
      batch *= 2;
    }
  }

  return async (query) => {
    const rankWindow = rankWindowOf(query);
    const hasWords = query.text.all.some((group) => group.length > 0);
    const all = query.text.all.map(groupOf).filter((g): g is Group => g !== null);
    const none = query.text.none.map(groupOf).filter((g): g is Group => g !== null);
    if (hasWords && all.length === 0) return [];
    const excluded = query.text.none.map(createPhraseMatcher);
    const mentionsExcluded = (row: Row) => {
      const tokens = matchTokens([row.title, ...(row.deck ?? []), row.body ?? ''].join('\n'));
      return excluded.some((matches) => matches(tokens));
    };
    const topicsPerGroup = query.text.allTopics ?? [];
    const namedTopics = [...new Set(topicsPerGroup.filter((t): t is string => Boolean(t)))];
    const { candidates, add, has: found } = candidateList<Row>((row) => row.published_ms);

    const groupQueries = all.map(groupQuery);
    if (all.length > 0 && groupQueries.every((q) => q !== null)) {
      const params: unknown[] = [];
      const shared = filters(query, params, true);
      if (shared === null) return [];
      // One tsquery: every group, and none of the exclusions' one-term alternatives and prefixes.
      const negated = none.map((group) => exactQuery(group.exact)).filter((q): q is string => q !== null);
      const text = vectorMatches(conjunction(groupQueries, negated), params);
      const checks: Check[] = [];
      for (const group of all) {
        // A row holding one of the one-term alternatives matches; else one of the phrases must be found.
        if (phraseSupersetQuery(group) === null) continue;
        const exact = exactQuery(group.exact);
        checks.push({
          kind: 'all',
          phrases: group.phrases,
          when: exact ? `NOT (${vectorMatches(exact, params)})` : 'true',
        });
      }
      const topics = requireTopics(namedTopics, params);
      const where = [text, ...shared, ...topics];
      const rows = await collect(
        BY_ID,
        where,
        params,
        rankWindow,
        [...checks, ...phraseExclusions(none, params)],
        false,
        true,
      );
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
      if (byTags) {
        // Exclusions are checked on the few rows read, as SQLite does (by the phrase matcher, after the limit).
        const rows = await collect(BY_TAG, where, params, TAG_ONLY_WINDOW, [], excluded.length > 0);
        add(excluded.length > 0 ? rows.filter((row) => found(row.id) || !mentionsExcluded(row)) : rows, null);
      } else {
        const excluding = exclusions(none, params);
        add(await collect(BY_TAG, [...where, ...excluding.where], params, rankWindow, excluding.checks), null);
      }
    } else if (!hasWords) {
      const params: unknown[] = [];
      const shared = filters(query, params);
      if (shared === null) return [];
      const excluding = exclusions(none, params);
      add(await collect(BY_PUBLISHED, [...shared, ...excluding.where], params, rankWindow, excluding.checks), null);
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

/** The query's groups that hold a searchable term (not punctuation only). */
const searchable = (query: ArticleSearch) => query.text.all.filter((group) => groupOf(group) !== null);

/** Whether a row SQL could not decide passes the checks it needs. */
function passes(row: Row, checks: readonly Check[]): boolean {
  const needs = row.checks;
  if (!needs?.some(Boolean)) return true;
  const columns = columnsOf(row);
  for (const [i, check] of checks.entries()) {
    if (!needs[i]) continue;
    const matches =
      check.phrases.some((phrase) => phraseIn(columns.title, phrase)) ||
      check.phrases.some((phrase) => phraseIn(columns.body, phrase));
    if (matches !== (check.kind === 'all')) return false;
  }
  return true;
}

/** A phrase of Hangul bigrams that chain (엔비 비디 디아) as the syllables they come from (엔비디아), else null. */
function syllablesOf(phrase: readonly string[]): string | null {
  let run = phrase[0] ?? '';
  if (!SYLLABLES.test(run) || run.length !== 2) return null;
  for (const term of phrase.slice(1)) {
    if (term.length !== 2 || !SYLLABLES.test(term) || term[0] !== run[run.length - 1]) return null;
    run += term[1];
  }
  return run;
}

interface Column {
  /** The column's text, normalized as search tokens are. */
  readonly normalized: string;
  readonly terms: string[];
}

function column(text: string): Column {
  let normalized: string | null = null;
  let terms: string[] | null = null;
  return {
    get normalized() {
      normalized ??= normalizeForSearch(text);
      return normalized;
    },
    get terms() {
      terms ??= indexTerms(text);
      return terms;
    },
  };
}

/** An article's FTS5 columns: the title, and the deck and paragraphs (each read when first needed). */
function columnsOf(row: Row): { title: Column; body: Column } {
  const body = row.body ?? '';
  return {
    title: column(row.title),
    body: column([...(row.deck ?? []), ...(body === '' ? [] : body.split('\n\n'))].join('\n')),
  };
}

/**
 * Whether the column holds the phrase's terms in a row. A run of Hangul syllables found in the text is such a
 * run of bigrams (they are one term each, never stemmed), which saves tokenizing the column; not found, it may
 * still match across two runs (엔비 비디아), so the terms decide.
 */
function phraseIn(column: Column, phrase: readonly string[]): boolean {
  const syllables = syllablesOf(phrase);
  if (syllables !== null && column.normalized.includes(syllables)) return true;
  return holdsInARow(column.terms, phrase);
}
