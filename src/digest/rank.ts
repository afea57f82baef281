/**
 * How stories are ranked in a digest: by how many independent sources covered them (copies of one wire story
 * count once), how recent they are, how well they match the channel's topics and how diverse their sources
 * are (publishers and languages).
 */

export interface RankInput {
  /** Distinct groups of copies among the window's articles. */
  independentSources: number;
  /** Distinct publishers among the window's articles. */
  publishers: number;
  languages: number;
  /** The newest article in the window, epoch ms. */
  newestMs: number;
  /** 1: mentions a channel topic; 0.5: only through a child topic; 0: none (or the channel has no topics). */
  topicMatch: number;
}

export const RANK_WEIGHTS = { sources: 0.5, recency: 0.2, topics: 0.15, diversity: 0.15 };
/** Recency halves over half the window, and at least over 12 hours: a weekly digest is not a breaking-news feed. */
const MIN_HALF_LIFE_MS = 12 * 3_600_000;

/**
 * score = 0.5 · log2(1 + sources) / log2(1 + most sources in the window) + 0.2 · 2^(−age / half-life)
 *       + 0.15 · topic match + 0.15 · (0.7 · min(1, (publishers − 1) / 3) + 0.3 · [two languages]),
 * age measured from the window's end, half-life = max(12 h, window / 2).
 */
export function rankScore(story: RankInput, context: { mostSources: number; fromMs: number; toMs: number }): number {
  const sources = Math.log2(1 + story.independentSources) / Math.log2(1 + Math.max(1, context.mostSources));
  const halfLife = Math.max(MIN_HALF_LIFE_MS, (context.toMs - context.fromMs) / 2);
  const recency = 2 ** (-Math.max(0, context.toMs - story.newestMs) / halfLife);
  const diversity = 0.7 * Math.min(1, (story.publishers - 1) / 3) + 0.3 * (story.languages > 1 ? 1 : 0);
  return (
    RANK_WEIGHTS.sources * sources +
    RANK_WEIGHTS.recency * recency +
    RANK_WEIGHTS.topics * story.topicMatch +
    RANK_WEIGHTS.diversity * diversity
  );
}

/** How well a story's tags match the channel's topics: a mention beats a match through a child topic. */
export function topicMatch(tags: Record<string, number>, wanted: readonly string[]): number {
  let best = 0;
  for (const id of wanted) {
    const weight = tags[id];
    if (weight === undefined) continue;
    best = Math.max(best, weight > 0 ? 1 : 0.5);
  }
  return best;
}
