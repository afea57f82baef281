/**
 * How well stories match labelled ones: pairwise precision/recall/F1 (every pair of articles put in one story
 * is a predicted pair, every pair the labels put in one story a true pair) and B-cubed F1 (per-article
 * precision and recall of its cluster, averaged), plus whether every labelled wire group ended up in one story.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { AsyncRepositories } from '../../storage/asyncStore.ts';
import { canonicalUrl } from '../ingest/canonicalUrl.ts';

export interface ClusterScore {
  precision: number;
  recall: number;
  f1: number;
}

export interface PairwiseScore extends ClusterScore {
  truePairs: number;
  predictedPairs: number;
  sharedPairs: number;
}

function pairs(n: number): number {
  return (n * (n - 1)) / 2;
}

function f1(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

/** Index of each item's cluster; items appearing twice keep their first cluster. */
function clusterIndex(clusters: readonly (readonly string[])[]): Map<string, number> {
  const index = new Map<string, number>();
  clusters.forEach((cluster, i) => {
    for (const item of cluster) if (!index.has(item)) index.set(item, i);
  });
  return index;
}

/**
 * Pairwise scores over the items both sides know. Precision is 1 when nothing was paired, recall 1 when the
 * truth has no pairs.
 */
export function pairwiseScore(
  predicted: readonly (readonly string[])[],
  truth: readonly (readonly string[])[],
): PairwiseScore {
  const truthOf = clusterIndex(truth);
  const predictedOf = clusterIndex(predicted);
  const shared = [...truthOf.keys()].filter((item) => predictedOf.has(item));
  const count = (of: Map<string, number>, other: Map<string, number> | null) => {
    const sizes = new Map<string, number>();
    for (const item of shared) {
      const key = other ? `${of.get(item)}/${other.get(item)}` : String(of.get(item));
      sizes.set(key, (sizes.get(key) ?? 0) + 1);
    }
    let total = 0;
    for (const n of sizes.values()) total += pairs(n);
    return total;
  };
  const truePairs = count(truthOf, null);
  const predictedPairs = count(predictedOf, null);
  const sharedPairs = count(truthOf, predictedOf);
  const precision = predictedPairs > 0 ? sharedPairs / predictedPairs : 1;
  const recall = truePairs > 0 ? sharedPairs / truePairs : 1;
  return { precision, recall, f1: f1(precision, recall), truePairs, predictedPairs, sharedPairs };
}

/** B-cubed (Bagga & Baldwin 1998) over the items both sides know. */
export function bcubedScore(
  predicted: readonly (readonly string[])[],
  truth: readonly (readonly string[])[],
): ClusterScore {
  const truthOf = clusterIndex(truth);
  const predictedOf = clusterIndex(predicted);
  const items = [...truthOf.keys()].filter((item) => predictedOf.has(item));
  if (items.length === 0) return { precision: 1, recall: 1, f1: 1 };
  let precision = 0;
  let recall = 0;
  for (const item of items) {
    const samePredicted = items.filter((other) => predictedOf.get(other) === predictedOf.get(item));
    const sameTruth = items.filter((other) => truthOf.get(other) === truthOf.get(item));
    const both = samePredicted.filter((other) => truthOf.get(other) === truthOf.get(item)).length;
    precision += both / samePredicted.length;
    recall += both / sameTruth.length;
  }
  precision /= items.length;
  recall /= items.length;
  return { precision, recall, f1: f1(precision, recall) };
}

export interface StoryLabels {
  stories: { id: string; articles: string[] }[];
  /** Identifiers carrying one wire copy (the original and its republications). */
  wireGroups: string[][];
}

/** Reads a labels file (`bench/labels/sample-stories.yaml`); every mistake is an error naming the file. */
export function loadStoryLabels(path: string): StoryLabels {
  const data = parseYaml(readFileSync(path, 'utf8')) as {
    stories?: { id?: unknown; articles?: unknown }[];
    wire_groups?: unknown[];
  } | null;
  const isStrings = (value: unknown): value is string[] =>
    Array.isArray(value) && value.every((v) => typeof v === 'string');
  if (!data || !Array.isArray(data.stories)) throw new Error(`${path}: no stories list`);
  const stories = data.stories.map((story, i) => {
    if (typeof story.id !== 'string' || !isStrings(story.articles)) {
      throw new Error(`${path}: stories[${i}] needs an id and a list of articles`);
    }
    return { id: story.id, articles: story.articles };
  });
  const wireGroups = (data.wire_groups ?? []).map((group, i) => {
    if (!isStrings(group)) throw new Error(`${path}: wire_groups[${i}] must be a list of article identifiers`);
    return group;
  });
  return { stories, wireGroups };
}

/** Finds the stored article a label names (a URL, or `saved/<file>`); null when it is not stored. */
export type LabelResolver = (label: string) => Promise<number | null>;

/** What evaluating stories reads. */
type StoryReader = Pick<AsyncRepositories, 'articles' | 'stories' | 'duplicates'>;

/**
 * Resolves sample labels: URLs through their canonical form; `saved/<file>` by ingesting the saved file again
 * through the real ingestor (it is unchanged, so this only looks it up).
 */
export function sampleLabelResolver(
  store: Pick<AsyncRepositories, 'articles'>,
  ingestor: { ingestFile(path: string, kind: 'text'): Promise<{ articleId?: number }[]> },
  sampleDir: string,
): LabelResolver {
  return async (label) => {
    if (label.startsWith('saved/')) {
      return (await ingestor.ingestFile(join(sampleDir, label), 'text'))[0]?.articleId ?? null;
    }
    const key = canonicalUrl(label) ?? label;
    return (await store.articles.findByKey(key))?.id ?? null;
  };
}

export interface StoryEvaluation {
  pairwise: PairwiseScore;
  bcubed: ClusterScore;
  /** Labelled stories and the stories found for their articles. */
  labelled: number;
  predicted: number;
  /** Labels naming no stored article, or a stored article without a story. */
  missing: string[];
  /** Wire groups whose copies did not all land in one story. */
  splitWireGroups: string[][];
  /** Wire groups whose copies are not all linked as near-duplicates of one another. */
  unlinkedWireGroups: string[][];
}

/** Compares the stored stories with the labels. */
export async function evaluateStories(
  store: StoryReader,
  labels: StoryLabels,
  resolve: LabelResolver,
): Promise<StoryEvaluation> {
  const missing: string[] = [];
  const storyOf = new Map<string, number>();
  const articleOf = new Map<string, number>();
  for (const label of labels.stories.flatMap((s) => s.articles)) {
    const articleId = await resolve(label);
    const storyId = articleId === null ? undefined : (await store.stories.membership(articleId))?.storyId;
    if (articleId === null || storyId === undefined) {
      missing.push(label);
      continue;
    }
    storyOf.set(label, storyId);
    articleOf.set(label, articleId);
  }
  const predictedClusters = new Map<number, string[]>();
  for (const [label, storyId] of storyOf)
    predictedClusters.set(storyId, [...(predictedClusters.get(storyId) ?? []), label]);
  const predicted = [...predictedClusters.values()];
  const truth = labels.stories.map((s) => s.articles);

  const splitWireGroups = labels.wireGroups.filter(
    (group) => new Set(group.map((label) => storyOf.get(label) ?? `missing:${label}`)).size > 1,
  );
  const unlinkedWireGroups: string[][] = [];
  for (const group of labels.wireGroups) {
    if (
      !(await linkedTogether(
        store,
        group.map((label) => articleOf.get(label)),
      ))
    )
      unlinkedWireGroups.push(group);
  }

  return {
    pairwise: pairwiseScore(predicted, truth),
    bcubed: bcubedScore(predicted, truth),
    labelled: truth.length,
    predicted: predicted.length,
    missing,
    splitWireGroups,
    unlinkedWireGroups,
  };
}

/** Whether the articles (all stored) are connected through the stored copy links. */
async function linkedTogether(store: StoryReader, ids: readonly (number | undefined)[]): Promise<boolean> {
  if (ids.some((id) => id === undefined)) return false;
  const seen = new Set<number>([ids[0] as number]);
  const queue = [ids[0] as number];
  while (queue.length > 0) {
    for (const link of await store.duplicates.links(queue.pop() as number)) {
      if (!seen.has(link.otherId)) {
        seen.add(link.otherId);
        queue.push(link.otherId);
      }
    }
  }
  return ids.every((id) => seen.has(id as number));
}
