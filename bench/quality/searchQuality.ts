/**
 * Search quality on the labelled sample queries through `searchArchive` (what `/news` runs: a reply shows its
 * hits one to one, a hit's copies as the story's other sources), scored on stories
 * (`bench/labels/sample-stories.yaml`): P@5 over the results a user sees (the configured 5) and R@10 over 10,
 * each result standing for its lead article and every other article of its story it found. A result that shows
 * a labelled story an earlier result already showed adds nothing: it counts as not relevant (three articles of
 * one story in five slots are one relevant result, not three). Also whether English and Korean names of one
 * company lead to the same top story.
 */

import type { SqliteApp } from '../../src/app.ts';
import { CROSS_LANGUAGE_PAIRS, type QueryLabel } from '../../src/search/evaluate.ts';
import { parseQuery } from '../../src/search/query.ts';
import { type SearchHit, searchArchive } from '../../src/search/search.ts';
import { loadStoryLabels } from './labels.ts';
import { cappedRecallAt, precisionAt, type RankedHit, recallAt } from './rankingMetrics.ts';
import { normalizeLabel, type SampleArchive } from './sampleArchive.ts';

export interface QueryScore {
  query: string;
  precisionAt5: number;
  recallAt10: number;
  /** Relevant labelled stories in the first 10 results over at most 10 of them. */
  cappedRecallAt10: number;
  shown: number;
  relevant: number;
}

export interface SearchQuality {
  queries: number;
  precisionAt5: number;
  recallAt10: number;
  cappedRecallAt10: number;
  /** Queries that found every relevant article in their first 10 results. */
  fullRecall: number;
  perQuery: QueryScore[];
}

export interface CrossLanguagePair {
  english: string;
  korean: string;
  same: boolean;
  englishTop: string | null;
  koreanTop: string | null;
}

/** The hits of a query, as many as asked (default: the configured number of results, what a reply shows). */
async function search(app: SqliteApp, query: string, limit = app.config.search.maxResults): Promise<SearchHit[]> {
  return (await searchArchive(app.storage, app.topics, parseQuery(query), { limit, now: app.now() })).hits;
}

function hitsOf(hits: readonly SearchHit[], archive: SampleArchive): RankedHit[] {
  return hits.map((hit) => ({
    articles: [hit.article.id, ...hit.storyArticles.map((other) => other.id)].flatMap(
      (id) => archive.labelIds.get(id) ?? [`article:${id}`],
    ),
  }));
}

/**
 * The hits as story-level results: each keeps only the articles of labelled stories no earlier hit showed, so
 * a hit repeating a story shown above stands for nothing new.
 */
export function newStoriesOnly(hits: readonly RankedHit[], unitOf: (label: string) => string): RankedHit[] {
  const shown = new Set<string>();
  return hits.map((hit) => {
    const fresh = hit.articles.filter((a) => !shown.has(unitOf(a)));
    for (const a of hit.articles) shown.add(unitOf(a));
    return { articles: fresh };
  });
}

function mean(values: number[]): number {
  return values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}

/**
 * `wireGroups` and `stories` are groups of label ids that count as one unit; an article in a labelled story
 * counts as its story (wire copies are always in one story), else as its wire group, else as itself.
 */
export async function measureSearchQuality(
  archive: SampleArchive,
  labels: readonly QueryLabel[],
  defaultNow: string,
  wireGroups: readonly (readonly string[])[] = [],
  stories: readonly (readonly string[])[] = loadStoryLabels().stories.map((story) => story.articles),
): Promise<SearchQuality> {
  const unitByLabel = new Map<string, string>();
  for (const group of [...wireGroups, ...stories]) {
    const ids = group.map(normalizeLabel);
    for (const id of ids) unitByLabel.set(id, ids[0] as string);
  }
  const unitOf = (label: string) => unitByLabel.get(label) ?? label;
  const apps = new Map<string, SqliteApp>();
  const appAt = (now: string) => {
    let app = apps.get(now);
    if (!app) {
      app = archive.open(new Date(now));
      apps.set(now, app);
    }
    return app;
  };
  try {
    const perQuery: QueryScore[] = [];
    for (const label of labels) {
      const app = appAt(label.now ?? defaultNow);
      const relevant = new Set(label.relevant.map(normalizeLabel));
      const shown = newStoriesOnly(hitsOf(await search(app, label.query), archive), unitOf);
      // Uncapped recall counts articles wherever they are shown; the other figures count stories.
      const tenArticles = hitsOf(await search(app, label.query, 10), archive);
      const ten = newStoriesOnly(tenArticles, unitOf);
      perQuery.push({
        query: label.query,
        precisionAt5: precisionAt(shown, relevant, 5),
        recallAt10: recallAt(tenArticles, relevant, 10),
        cappedRecallAt10: cappedRecallAt(ten, relevant, 10, unitOf),
        shown: shown.length,
        relevant: relevant.size,
      });
    }
    return {
      queries: perQuery.length,
      precisionAt5: mean(perQuery.map((q) => q.precisionAt5)),
      recallAt10: mean(perQuery.map((q) => q.recallAt10)),
      cappedRecallAt10: mean(perQuery.map((q) => q.cappedRecallAt10)),
      fullRecall: perQuery.filter((q) => q.recallAt10 === 1).length,
      perQuery,
    };
  } finally {
    for (const app of apps.values()) app.close();
  }
}

export async function checkCrossLanguagePairs(archive: SampleArchive, now: string): Promise<CrossLanguagePair[]> {
  const app = archive.open(new Date(now));
  try {
    const top = async (query: string) => {
      const hit = (await search(app, query))[0];
      return hit ? { id: hit.article.id, title: hit.article.title } : null;
    };
    const pairs: CrossLanguagePair[] = [];
    for (const [english, korean] of CROSS_LANGUAGE_PAIRS) {
      const en = await top(english);
      const ko = await top(korean);
      pairs.push({
        english,
        korean,
        same: en !== null && ko !== null && en.id === ko.id,
        englishTop: en?.title ?? null,
        koreanTop: ko?.title ?? null,
      });
    }
    return pairs;
  } finally {
    app.close();
  }
}
