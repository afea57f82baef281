/**
 * Story clustering on the sample: the digest (`buildDigest`) over the whole sample window, with no story
 * limit, against the labelled stories, as pairwise precision, recall and F1.
 */
import { buildDigest } from '../../src/digest/digest.ts';
import { type PairwiseScore, pairwiseScore, type StoryLabels } from '../../src/stories/evaluate.ts';
import { normalizeLabel, type SampleArchive } from './sampleArchive.ts';

export interface StoryQuality extends PairwiseScore {
  labelledStories: number;
  predictedStories: number;
  /** Labelled articles the digest did not list (no publication time, or not ingested). */
  missing: number;
}

export async function measureStoryQuality(archive: SampleArchive, labels: StoryLabels): Promise<StoryQuality> {
  const truth = labels.stories.map((story) => story.articles.map(normalizeLabel));
  const known = new Set(truth.flat());
  const labelOf = (id: number) => {
    const ids = archive.labelIds.get(id) ?? [];
    return ids.find((candidate) => known.has(candidate)) ?? ids[0] ?? `article:${id}`;
  };
  const app = archive.open(archive.span.to);
  try {
    const window = {
      from: new Date(archive.span.from.getTime() - 1000),
      to: new Date(archive.span.to.getTime() + 1000),
    };
    const digest = await buildDigest(app.storage, { ...window, limit: 100_000, summarySentences: 1 });
    const predicted = digest.stories.map((story) => story.articles.map((a) => labelOf(a.id)));
    const listed = new Set(predicted.flat());
    const missing = [...known].filter((label) => !listed.has(label));
    // A labelled article the digest did not list counts as a story of its own: its labelled pairs are missed.
    return {
      ...pairwiseScore([...predicted, ...missing.map((label) => [label])], truth),
      labelledStories: truth.length,
      predictedStories: predicted.length,
      missing: missing.length,
    };
  } finally {
    app.close();
  }
}
