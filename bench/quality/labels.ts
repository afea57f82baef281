/** The project's own labelled sets over the bundled sample news (`bench/labels/`, read-only data). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { PACKAGE_ROOT } from '../../src/paths.ts';

export const LABELS_DIR = join(PACKAGE_ROOT, 'bench', 'labels');

const querySchema = z.object({
  query: z.string().min(1),
  /** Canonical URLs, or `saved/<file>` for saved text articles. */
  relevant: z.array(z.string()).default([]),
  /** Mentions in passing: not relevant for P@k and R@k. */
  partial: z.array(z.string()).default([]),
  note: z.string().optional(),
  now: z.string().optional(),
  window_hours: z.number().optional(),
});

const storiesSchema = z.object({
  stories: z.array(
    z.object({
      id: z.string(),
      title: z.string().optional(),
      languages: z.array(z.string()).optional(),
      articles: z.array(z.string()).min(1),
    }),
  ),
  wire_groups: z.array(z.array(z.string())).default([]),
});

export type LabelledQuery = z.infer<typeof querySchema>;
export type StoryLabels = z.infer<typeof storiesSchema>;

/** The clock the query labels assume (the end of the sample's newest day in Seoul). */
export const LABELS_NOW = '2026-11-26T23:59:59+09:00';

function readYaml(path: string): unknown {
  return parse(readFileSync(path, 'utf8'));
}

export function loadQueryLabels(path = join(LABELS_DIR, 'sample-queries.yaml')): LabelledQuery[] {
  return z.array(querySchema).parse(readYaml(path));
}

export function loadStoryLabels(path = join(LABELS_DIR, 'sample-stories.yaml')): StoryLabels {
  return storiesSchema.parse(readYaml(path));
}
