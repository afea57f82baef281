/**
 * The project's own labelled sets over the bundled sample news (`bench/labels/`, read-only data), read by the
 * engine's own evaluation modules so the bench and the tests judge against the same labels.
 */
import { readFileSync } from 'node:fs';
import {
  parseQueryLabels,
  type QueryLabel,
  SAMPLE_NOW,
  SAMPLE_QUERY_LABELS_PATH,
  SAMPLE_STORY_LABELS_PATH,
} from '../../src/search/evaluate.ts';
import { loadStoryLabels as readStoryLabels, type StoryLabels } from '../../src/stories/evaluate.ts';

/** The clock the query labels assume (the end of the sample's newest day in Seoul). */
export const LABELS_NOW = SAMPLE_NOW.toISOString();

export function loadQueryLabels(path = SAMPLE_QUERY_LABELS_PATH): QueryLabel[] {
  return parseQueryLabels(readFileSync(path, 'utf8'));
}

export function loadStoryLabels(path = SAMPLE_STORY_LABELS_PATH): StoryLabels {
  return readStoryLabels(path);
}
