/**
 * Search quality over story-level results. A result (hit) stands for several articles — the one shown and
 * its copies on other sites — and is relevant when any of them is labelled relevant.
 */

export interface RankedHit {
  /** Label ids of every article the hit stands for (lead first). */
  articles: readonly string[];
}

function isRelevant(hit: RankedHit, relevant: ReadonlySet<string>): boolean {
  return hit.articles.some((a) => relevant.has(a));
}

/**
 * Precision of the results shown, at most k: relevant hits among the first k over the number shown. With no
 * results it is 0 when something relevant exists, and 1 when nothing does (showing nothing was right).
 */
export function precisionAt(hits: readonly RankedHit[], relevant: ReadonlySet<string>, k: number): number {
  const shown = hits.slice(0, k);
  if (shown.length === 0) return relevant.size === 0 ? 1 : 0;
  return shown.filter((hit) => isRelevant(hit, relevant)).length / shown.length;
}

/** Relevant articles covered by the first k hits (leads and copies alike) over all relevant articles; 1 when none exist. */
export function recallAt(hits: readonly RankedHit[], relevant: ReadonlySet<string>, k: number): number {
  if (relevant.size === 0) return 1;
  const found = new Set(hits.slice(0, k).flatMap((hit) => hit.articles.filter((a) => relevant.has(a))));
  return found.size / relevant.size;
}

/**
 * Capped recall (BEIR's R_cap@k): relevant units covered by the first k hits over min(k, relevant units), where a
 * unit is a relevant article with its wire copies (`unitOf`), so a query with 14 relevant stories is judged on
 * whether its 10 results are all relevant ones. Partial hits take their place like any other; 1 when none exist.
 */
export function cappedRecallAt(
  hits: readonly RankedHit[],
  relevant: ReadonlySet<string>,
  k: number,
  unitOf: (article: string) => string = (article) => article,
): number {
  const units = new Set([...relevant].map(unitOf));
  if (units.size === 0) return 1;
  const found = new Set(hits.slice(0, k).flatMap((hit) => hit.articles.filter((a) => relevant.has(a)).map(unitOf)));
  return found.size / Math.min(k, units.size);
}
