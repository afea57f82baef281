/**
 * How an article search ranks its candidates, the same on every backend (the labelled queries score equal on
 * SQLite and PostgreSQL): a query group found in the title counts three times one found only in the body; at most
 * the newest `rankWindow` matches are ranked; a few articles matching by topic tags only come after.
 */
import type { ArticleSearch, SearchCandidate } from './repositories.ts';
import { createPhraseMatcher, matchTokens } from './sqlite/ftsQuery.ts';

const TITLE_WEIGHT = 3;
const BODY_WEIGHT = 1;
/** Default for `ArticleSearch.rankWindow`: how many of the newest matches are ranked at most. */
const DEFAULT_RANK_WINDOW = 400;
/**
 * Articles read from the tag index besides the text matches. They matter only when the text does not match
 * (a child topic's name: 갤럭시 for 삼성전자), rank below text matches, and most of them are text matches too.
 */
export const TAG_ONLY_WINDOW = 50;

/** How many of the newest matches a query ranks. */
export function rankWindowOf(query: ArticleSearch): number {
  return Math.max(query.limit, query.rankWindow ?? DEFAULT_RANK_WINDOW);
}

/**
 * Per article: (3 for each searchable group found in its title, else 1) / (3 × groups), so a title match counts
 * most. `searchable`: the query's groups that hold a term the backend can search for.
 */
export function textScores(
  searchable: readonly (readonly string[])[],
  rows: readonly { id: number; title: string }[],
): Map<number, number> {
  const groups = searchable.map(createPhraseMatcher);
  const best = TITLE_WEIGHT * Math.max(1, groups.length);
  return new Map(
    rows.map((row) => {
      const tokens = matchTokens(row.title);
      const inTitle = groups.filter((matches) => matches(tokens)).length;
      return [row.id, (inTitle * TITLE_WEIGHT + (groups.length - inTitle) * BODY_WEIGHT) / best];
    }),
  );
}

/** The candidates of one search, each article once, in the order first found. */
export function candidateList<Row extends { id: number }>(publishedOf: (row: Row) => number | null) {
  const candidates: SearchCandidate[] = [];
  const seen = new Set<number>();
  const add = (rows: readonly Row[], scores: ReadonlyMap<number, number> | null) => {
    for (const row of rows) {
      if (seen.has(row.id)) continue;
      seen.add(row.id);
      candidates.push({ articleId: row.id, textScore: scores?.get(row.id) ?? 0, publishedMs: publishedOf(row) });
    }
  };
  return { candidates, add, has: (id: number) => seen.has(id) };
}
