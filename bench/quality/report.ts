import type { MachineInfo } from '../lib/machine.ts';
import { formatNumber, type Row, renderTables, type Section, VALUE_HEADER, valueRow } from '../lib/table.ts';
import type { ExtractionQuality } from './extractionQuality.ts';
import type { FeedSetResult } from './feedCorpora.ts';
import type { CrossLanguagePair, SearchQuality } from './searchQuality.ts';
import type { StoryQuality } from './storyQuality.ts';
import type { SummaryQuality } from './summaryQuality.ts';

/** A part of the quality run: its figures, or why it was skipped (data absent) or failed (an error). */
export type Part<T> = { status: 'ok'; result: T } | { status: 'skipped' | 'failed'; reason: string };

/** The whole quality run, as printed with `--json` (keys are stable so runs can be compared across commits). */
export interface QualityReport {
  benchmark: 'quality';
  schema: 1;
  startedAt: string;
  machine: MachineInfo;
  corporaRoot: string;
  extraction: Part<ExtractionQuality>;
  feeds: {
    gofeed: Part<FeedSetResult>;
    rssParser: Part<FeedSetResult>;
    eucKr: Part<FeedSetResult>;
  };
  summaries: Part<SummaryQuality>;
  search: Part<
    SearchQuality & { graded: { precisionAt5: number; recallAt10: number }; crossLanguage: CrossLanguagePair[] }
  >;
  stories: Part<StoryQuality>;
}

const f3 = (n: number) => formatNumber(n, 3);
const pct = (passed: number, total: number) => `${passed}/${total}`;

function skipped(title: string, part: { status: string; reason: string }): Section {
  return { title, rows: [valueRow(part.status, '—', part.reason)] };
}

function feedRows(name: string, set: FeedSetResult, unit: string, checks: readonly [string, string][]): Row[] {
  const rows = [
    valueRow(
      `${name}: ${unit} passing`,
      pct(set.passed, set.checked),
      set.checked < set.total ? `${set.total - set.checked} of ${set.total} have no field newsbrief keeps` : '',
    ),
    valueRow(`${name}: checks passing`, pct(set.checks.passed, set.checks.total)),
  ];
  for (const [key, label] of checks) {
    const c = set.byCheck[key];
    if (c) rows.push(valueRow(`${name}: ${label}`, pct(c.passed, c.total)));
  }
  return rows;
}

export function renderQualityReport(r: QualityReport): string {
  const sections: Section[] = [];
  const title = 'Extraction on aeb (article-extraction-benchmark metric)';
  if (r.extraction.status === 'ok') {
    const x = r.extraction.result;
    sections.push({
      title,
      rows: [
        valueRow('precision', f3(x.precision)),
        valueRow('recall', f3(x.recall)),
        valueRow('F1', f3(x.f1), 'published: trafilatura 0.958, Readability.js 0.947, goose3 0.896'),
        valueRow('pages', String(x.pages), `${x.emptyPredictions} with an empty body`),
        valueRow('pages that crashed', String(x.crashed.length), x.crashed.join(', ')),
        valueRow('slowest page', `${formatNumber(x.slowest.ms, 0)} ms`, x.slowest.id),
      ],
    });
  } else sections.push(skipped(title, r.extraction));

  const feedTitle = 'Feed corpora';
  const feeds: Row[] = [];
  const { gofeed, rssParser, eucKr } = r.feeds;
  if (gofeed.status === 'ok') feeds.push(...feedRows('gofeed', gofeed.result, 'cases', []));
  else feeds.push(valueRow('gofeed', gofeed.status, gofeed.reason));
  if (rssParser.status === 'ok') {
    feeds.push(
      ...feedRows('rss-parser', rssParser.result, 'feeds', [
        ['feed.title', 'feed titles'],
        ['items.count', 'item counts'],
        ['item.title', 'item titles'],
        ['item.link', 'item links'],
        ['item.date', 'item dates'],
      ]),
    );
  } else feeds.push(valueRow('rss-parser', rssParser.status, rssParser.reason));
  if (eucKr.status === 'ok') {
    feeds.push(
      ...feedRows('euc-kr', eucKr.result, 'feeds', [
        ['hangul titles', 'readable Hangul titles'],
        ['no U+FFFD', 'no U+FFFD'],
        ['dates', 'dates'],
      ]),
    );
  } else feeds.push(valueRow('euc-kr', eucKr.status, eucKr.reason));
  sections.push({ title: feedTitle, rows: feeds });

  const sumTitle = 'Summaries on summaries-ko (ROUGE F1 against the annotated sentences)';
  if (r.summaries.status === 'ok') {
    const s = r.summaries.result;
    const row = (name: string, key: 'rouge1' | 'rouge2' | 'rougeL') =>
      valueRow(
        `${name}: newsbrief / Lead-3`,
        `${f3(s.ours[key])} / ${f3(s.lead3[key])}`,
        `${s.ours[key] >= s.lead3[key] ? '+' : ''}${f3(s.ours[key] - s.lead3[key])}`,
      );
    sections.push({
      title: sumTitle,
      rows: [
        row('ROUGE-1', 'rouge1'),
        row('ROUGE-2', 'rouge2'),
        row('ROUGE-L', 'rougeL'),
        valueRow('articles', String(s.articles), '3 sentences each'),
      ],
    });
  } else sections.push(skipped(sumTitle, r.summaries));

  const searchTitle = 'Search on the labelled sample queries (bench/labels/sample-queries.yaml)';
  if (r.search.status === 'ok') {
    const s = r.search.result;
    sections.push({
      title: searchTitle,
      rows: [
        valueRow('P@5', f3(s.precisionAt5), 'relevant results among those shown (at most 5), mean over queries'),
        valueRow('R@10', f3(s.recallAt10), 'relevant articles in the first 10 results (copies count), mean'),
        valueRow('queries with full R@10', pct(s.fullRecall, s.queries)),
        valueRow('P@5, graded', f3(s.graded.precisionAt5), 'as P@5, but `partial:` (passing-mention) hits unjudged'),
        valueRow('R@10, graded', f3(s.graded.recallAt10), 'relevant stories found of at most 10 (wire copies as one)'),
        ...s.crossLanguage.map((p) =>
          valueRow(
            `same top story: ${p.english} / ${p.korean}`,
            p.same ? 'yes' : 'no',
            p.same ? '' : `${p.englishTop ?? '(none)'} | ${p.koreanTop ?? '(none)'}`,
          ),
        ),
      ],
    });
  } else sections.push(skipped(searchTitle, r.search));

  const storyTitle = 'Story clustering on the sample (digest over the whole sample, pairwise)';
  if (r.stories.status === 'ok') {
    const s = r.stories.result;
    sections.push({
      title: storyTitle,
      rows: [
        valueRow('pairwise precision', f3(s.precision), `${s.sharedPairs} of ${s.predictedPairs} predicted pairs`),
        valueRow('pairwise recall', f3(s.recall), `${s.sharedPairs} of ${s.truePairs} labelled pairs`),
        valueRow('pairwise F1', f3(s.f1)),
        valueRow('stories', `${s.predictedStories} / ${s.labelledStories}`, 'built / labelled'),
      ],
    });
  } else sections.push(skipped(storyTitle, r.stories));

  const m = r.machine;
  const head = `newsbrief quality benchmark · ${r.startedAt} · ${m.cpu} · Node ${m.node}\n\n`;
  return head + renderTables(sections, VALUE_HEADER);
}
