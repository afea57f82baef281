/**
 * Search quality against labelled queries (`bench/labels/sample-queries.yaml` over the bundled sample news):
 * precision@5 and recall@10 at story level, per query class and overall, and the cross-language check.
 *
 * How a ranking is judged (the unit is a search hit, which stands for a story: its lead article and the other
 * articles folded into it), on labelled stories (`bench/labels/sample-stories.yaml`):
 * - a hit is relevant when any of its articles is labelled relevant; "partial" when none is relevant but one
 *   is labelled `partial` (it mentions the subject in passing); otherwise not relevant. Only articles of stories
 *   no earlier hit showed count: a hit repeating a story shown above shows nothing new and is not relevant.
 * - partial hits neither count nor punish.
 * - P@5 = relevant hits among the first 5 / judged (not partial) hits among the first 5. A query that rightly
 *   returns 2 hits is not punished for not returning 5. When the first 5 hold no judged hit, it scores 0 if
 *   relevant articles exist (passing mentions ranked above them), else 1.
 * - R@10 = relevant units found in the first 10 hits that are not partial (partial hits take no place: a
 *   condensed list, as for unjudged documents in TREC-style evaluation) / min(10, relevant units). A unit is a
 *   labelled story (or, for an article in none, its labelled wire copies; else the article alone): a hit
 *   carrying any relevant article of it finds the unit, so a query with 14 relevant stories is not doomed by
 *   showing only 10.
 */

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { AsyncTransaction } from '../../storage/asyncStore.ts';
import { openApp } from '../app.ts';
import { canonicalUrl } from '../ingest/canonicalUrl.ts';
import { PACKAGE_ROOT, SAMPLE_NEWS_PATH } from '../paths.ts';
import { parseQuery } from './query.ts';
import { expandTerms, searchArchive, type TopicLookup } from './search.ts';

export const SAMPLE_QUERY_LABELS_PATH = join(PACKAGE_ROOT, 'bench', 'labels', 'sample-queries.yaml');
export const SAMPLE_STORY_LABELS_PATH = join(PACKAGE_ROOT, 'bench', 'labels', 'sample-stories.yaml');
/** The demo's clock: the end of the sample's newest day in Seoul. */
export const SAMPLE_NOW = new Date('2026-11-26T23:59:59+09:00');
/** Queries in two languages that must put the same story first. */
export const CROSS_LANGUAGE_PAIRS: readonly (readonly [string, string])[] = [
  ['samsung', '삼성'],
  ['nvidia', '엔비디아'],
  ['lg', '엘지'],
  ['openai', '오픈AI'],
];
export const PRECISION_AT = 5;
export const RECALL_AT = 10;

export interface QueryLabel {
  query: string;
  /** Article ids as labelled: canonical URLs, or `saved/<file>` for saved text files. */
  relevant: string[];
  partial: string[];
  /** The clock for relative windows, when the label gives one. */
  now: string | null;
  note: string | null;
}

const labelSchema = z.array(
  z.object({
    query: z.string().min(1),
    relevant: z.array(z.string()).nullish(),
    partial: z.array(z.string()).nullish(),
    now: z.string().nullish(),
    window_hours: z.number().nullish(),
    note: z.string().nullish(),
  }),
);

export function parseQueryLabels(yamlText: string): QueryLabel[] {
  return labelSchema.parse(parse(yamlText)).map((entry) => ({
    query: entry.query,
    relevant: entry.relevant ?? [],
    partial: entry.partial ?? [],
    now: entry.now ?? null,
    note: entry.note ?? null,
  }));
}

/** The `stories:` of the story labels: the article ids of each labelled story. */
export function parseStoryGroups(yamlText: string): string[][] {
  const data = z
    .object({ stories: z.array(z.object({ articles: z.array(z.string()) }).passthrough()).nullish() })
    .passthrough()
    .parse(parse(yamlText));
  return (data.stories ?? []).map((story) => story.articles);
}

/** The `wire_groups:` of the story labels: article ids that carry one wire copy. */
export function parseWireGroups(yamlText: string): string[][] {
  const data = z
    .object({ wire_groups: z.array(z.array(z.string())).nullish() })
    .passthrough()
    .parse(parse(yamlText));
  return data.wire_groups ?? [];
}

// ── Judging one ranking ───────────────────────────────────────────────────────────────────────────────

export interface RankingJudgement {
  /** Per hit, in rank order. */
  grades: ('relevant' | 'partial' | 'not relevant')[];
  precision: number;
  recall: number;
  /** Relevant units (labelled stories with a relevant article). */
  relevantUnits: number;
  foundUnits: number;
}

/**
 * Judges a ranking of hits, each given as the article ids it stands for (lead first). `unitOf` maps an article
 * to its unit (its labelled story); articles without one are their own unit. A hit is graded on the articles of
 * units no earlier hit showed.
 */
export function judgeRanking(
  hits: readonly (readonly number[])[],
  relevant: ReadonlySet<number>,
  partial: ReadonlySet<number>,
  unitOf: (articleId: number) => string = String,
): RankingJudgement {
  const shown = new Set<string>();
  const grades = hits.map((all) => {
    const ids = all.filter((id) => !shown.has(unitOf(id)));
    for (const id of all) shown.add(unitOf(id));
    return ids.some((id) => relevant.has(id))
      ? 'relevant'
      : ids.some((id) => partial.has(id))
        ? 'partial'
        : 'not relevant';
  });
  const top = grades.slice(0, PRECISION_AT).filter((grade) => grade !== 'partial');
  const relevantInTop = top.filter((grade) => grade === 'relevant').length;
  const precision = top.length > 0 ? relevantInTop / top.length : relevant.size === 0 ? 1 : 0;
  const judged = hits.filter((_, i) => grades[i] !== 'partial');

  const units = new Set([...relevant].map(unitOf));
  const found = new Set<string>();
  for (const ids of judged.slice(0, RECALL_AT)) {
    for (const id of ids) if (relevant.has(id)) found.add(unitOf(id));
  }
  const recall = units.size === 0 ? 1 : found.size / Math.min(RECALL_AT, units.size);
  return { grades, precision, recall, relevantUnits: units.size, foundUnits: found.size };
}

// ── Running the labelled queries ──────────────────────────────────────────────────────────────────────

export interface QueryQuality extends RankingJudgement {
  query: string;
  queryClass: QueryClass;
  /** Labelled article ids that are not in the archive (a label or ingestion problem). */
  missing: string[];
  /** The hits as article keys (lead first), for reports. */
  hits: string[][];
}

export interface CrossLanguageCheck {
  pair: readonly [string, string];
  /** Lead article key of each query's top hit. */
  top: [string | null, string | null];
  same: boolean;
}

export interface QualityReport {
  queries: QueryQuality[];
  byClass: { queryClass: QueryClass; count: number; precision: number; recall: number }[];
  overall: { count: number; precision: number; recall: number };
  crossLanguage: CrossLanguageCheck[];
}

export type QueryClass =
  | 'company'
  | 'product'
  | 'person'
  | 'technology'
  | 'word'
  | 'multi-word'
  | 'negation'
  | 'time window';

/** Query classes, most specific first: a window, then an exclusion, then several concepts, then one topic's kind. */
export function classifyQuery(text: string, topics: TopicLookup): QueryClass {
  const query = parseQuery(text);
  if (query.withinHours !== null || query.since !== null || query.until !== null) return 'time window';
  if (query.excluded.length > 0) return 'negation';
  const concepts = expandTerms(query.terms, topics);
  if (concepts.length > 1) return 'multi-word';
  const topicId = concepts[0]?.topicId;
  const kind = topicId ? topics.kind?.(topicId) : undefined;
  if (kind === 'company' || kind === 'group') return 'company';
  if (kind === 'product' || kind === 'person' || kind === 'technology') return kind;
  return 'word';
}

export interface EvaluateOptions {
  store: AsyncTransaction;
  topics: TopicLookup;
  labels: readonly QueryLabel[];
  /** Labelled id (URL or `saved/<file>`) → stored article id; null when absent. */
  resolve: (labelId: string) => number | null;
  wireGroups?: readonly (readonly string[])[];
  /** Labelled stories (article ids); an article in one counts as its story. */
  stories?: readonly (readonly string[])[];
  now?: Date;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Runs every labelled query through `searchArchive` (the ranker every adapter uses) and judges the results. */
export async function evaluateQueries(options: EvaluateOptions): Promise<QualityReport> {
  const { store, topics } = options;
  const unitByArticle = new Map<number, string>();
  for (const [kind, groups] of [
    ['wire', options.wireGroups ?? []],
    ['story', options.stories ?? []],
  ] as const) {
    for (const group of groups) {
      const ids = group.map(options.resolve).filter((id): id is number => id !== null);
      for (const id of ids) unitByArticle.set(id, `${kind}:${Math.min(...ids)}`);
    }
  }
  const unitOf = (id: number) => unitByArticle.get(id) ?? String(id);
  const keyOf = new Map<number, string>();
  const run = async (text: string, now: Date) =>
    (await searchArchive(store, topics, parseQuery(text), { limit: RECALL_AT * 3, now })).hits.map((hit) => {
      const articles = [hit.article, ...hit.storyArticles];
      for (const a of articles) keyOf.set(a.id, a.key);
      return articles.map((a) => a.id);
    });

  const queries: QueryQuality[] = [];
  for (const label of options.labels) {
    const missing: string[] = [];
    const ids = (list: readonly string[]) =>
      new Set(
        list.flatMap((labelId) => {
          const id = options.resolve(labelId);
          if (id === null) missing.push(labelId);
          return id === null ? [] : [id];
        }),
      );
    const relevant = ids(label.relevant);
    const partial = ids(label.partial);
    const now = label.now ? new Date(label.now) : (options.now ?? SAMPLE_NOW);
    const hits = await run(label.query, now);
    queries.push({
      query: label.query,
      queryClass: classifyQuery(label.query, topics),
      missing,
      hits: hits.map((h) => h.map((id) => keyOf.get(id) ?? String(id))),
      ...judgeRanking(hits, relevant, partial, unitOf),
    });
  }

  const classes = [...new Set(queries.map((q) => q.queryClass))];
  const byClass = classes.map((queryClass) => {
    const members = queries.filter((q) => q.queryClass === queryClass);
    return {
      queryClass,
      count: members.length,
      precision: mean(members.map((q) => q.precision)),
      recall: mean(members.map((q) => q.recall)),
    };
  });
  const crossLanguage: CrossLanguageCheck[] = [];
  for (const pair of CROSS_LANGUAGE_PAIRS) {
    const now = options.now ?? SAMPLE_NOW;
    const top: (string | null)[] = [];
    for (const text of pair) {
      const first = (await run(text, now))[0]?.[0];
      top.push(first === undefined ? null : (keyOf.get(first) ?? null));
    }
    crossLanguage.push({
      pair,
      top: top as [string | null, string | null],
      same: top[0] !== null && top[0] === top[1],
    });
  }
  return {
    queries,
    byClass,
    overall: {
      count: queries.length,
      precision: mean(queries.map((q) => q.precision)),
      recall: mean(queries.map((q) => q.recall)),
    },
    crossLanguage,
  };
}

/**
 * Ingests the bundled sample news into a fresh database in a temporary folder through the real pipeline
 * (`openApp`, `Ingestor.ingestPaths`), runs the labelled queries with the demo's clock, and removes the folder.
 */
export async function evaluateSampleQueries(
  options: { labelsPath?: string; storiesPath?: string; samplePath?: string } = {},
): Promise<QualityReport> {
  const labels = parseQueryLabels(readFileSync(options.labelsPath ?? SAMPLE_QUERY_LABELS_PATH, 'utf8'));
  const storyLabels = readFileSync(options.storiesPath ?? SAMPLE_STORY_LABELS_PATH, 'utf8');
  const wireGroups = parseWireGroups(storyLabels);
  const stories = parseStoryGroups(storyLabels);
  const samplePath = options.samplePath ?? SAMPLE_NEWS_PATH;
  const dir = mkdtempSync(join(tmpdir(), 'newsbrief-quality-'));
  const app = openApp({ dbPath: join(dir, 'quality.db'), configPath: null, now: () => SAMPLE_NOW });
  try {
    const report = await app.ingestor.ingestPaths([samplePath]);
    // Saved text files have no URL: they are labelled `saved/<file>` and found through the ingest outcome.
    const byFile = new Map<string, number>();
    for (const outcome of report.outcomes) {
      if (outcome.articleId !== undefined)
        byFile.set(relative(samplePath, outcome.origin).split(sep).join('/'), outcome.articleId);
    }
    const resolve = (labelId: string): number | null => {
      if (!/^https?:\/\//.test(labelId)) return byFile.get(labelId) ?? null;
      const key = canonicalUrl(labelId) ?? labelId;
      return app.store.articles.findByKey(key)?.id ?? null;
    };
    return await evaluateQueries({
      store: app.storage,
      topics: app.topics,
      labels,
      resolve,
      wireGroups,
      stories,
      now: SAMPLE_NOW,
    });
  } finally {
    app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function fixed(value: number): string {
  return value.toFixed(3);
}

/** The report as printed by `npm run bench:quality`: per class, overall, failures, and the cross-language pairs. */
export function formatQualityReport(report: QualityReport): string {
  const lines = [`Search quality on the sample news (P@${PRECISION_AT}, R@${RECALL_AT}, labelled stories)`, ''];
  lines.push(`${'class'.padEnd(14)}${'queries'.padStart(8)}${'P@5'.padStart(8)}${'R@10'.padStart(8)}`);
  for (const c of report.byClass) {
    lines.push(
      `${c.queryClass.padEnd(14)}${String(c.count).padStart(8)}${fixed(c.precision).padStart(8)}${fixed(c.recall).padStart(8)}`,
    );
  }
  const o = report.overall;
  lines.push(
    `${'overall'.padEnd(14)}${String(o.count).padStart(8)}${fixed(o.precision).padStart(8)}${fixed(o.recall).padStart(8)}`,
  );
  const weak = report.queries.filter((q) => q.precision < 1 || q.recall < 1 || q.missing.length > 0);
  if (weak.length > 0) {
    lines.push('', 'Queries below 1.0:');
    for (const q of weak) {
      const missing = q.missing.length > 0 ? `  missing labels: ${q.missing.join(', ')}` : '';
      lines.push(
        `  ${q.query.padEnd(24)} P@5 ${fixed(q.precision)}  R@10 ${fixed(q.recall)} (${q.foundUnits}/${q.relevantUnits})${missing}`,
      );
    }
  }
  lines.push('', 'Cross-language pairs (same top story):');
  for (const c of report.crossLanguage) {
    lines.push(
      `  ${c.same ? 'ok  ' : 'FAIL'} ${c.pair[0]} / ${c.pair[1]}: ${c.top[0] ?? '(none)'}${c.same ? '' : ` vs ${c.top[1] ?? '(none)'}`}`,
    );
  }
  return lines.join('\n');
}
