import type { MachineInfo } from '../lib/machine.ts';
import { formatNumber, type Row, renderTables, type Section, VALUE_HEADER, valueRow } from '../lib/table.ts';
import type { ExtractionQuality } from './extractionQuality.ts';
import type { FeedSetResult } from './feedCorpora.ts';
import type { ParserComparison, ParserScore, PassedOf } from './parserComparison.ts';
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
  parserComparison: Part<ParserComparison>;
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
        valueRow(
          'R_cap@10',
          f3(s.cappedRecallAt10),
          'relevant stories (wire copies as one) in the first 10 results over min(10, relevant stories), mean',
        ),
        valueRow(
          'R@10, uncapped',
          f3(s.recallAt10),
          'relevant articles in the first 10 results over all relevant; below 1 by design when more than 10 are',
        ),
        valueRow('queries with full R@10', pct(s.fullRecall, s.queries)),
        valueRow('P@5, graded', f3(s.graded.precisionAt5), 'as P@5, but `partial:` (passing-mention) hits unjudged'),
        valueRow('R@10, graded', f3(s.graded.recallAt10), 'as R_cap@10, but `partial:` hits take no place in the 10'),
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
  return `${head}${renderTables(sections, VALUE_HEADER)}\n\n${renderParserComparison(r.parserComparison)}`;
}

const share = (p: PassedOf | null | undefined) =>
  p ? `${p.passed}/${p.total}${p.total ? ` ${formatNumber((100 * p.passed) / p.total, 1)}%` : ''}` : '—';

/** The parser comparison as a table with one column per parser (it does not fit the figure/value layout). */
export function renderParserComparison(part: Part<ParserComparison>): string {
  const title = '## Feed parsers compared on the shared feed corpora (checks on the fields all four give)';
  if (part.status !== 'ok') return `${title}\n${part.status}: ${part.reason}`;
  const c = part.result;
  const row = (label: string, cell: (p: ParserScore) => string) => [label, ...c.parsers.map(cell)];
  const parsed = (s: { parsed: number; total: number } | null) => (s ? `${s.parsed}/${s.total}` : '—');
  const rows = [
    row('parser', (p) => p.name),
    row('version', (p) => p.version),
    row('gofeed: cases parsed', (p) => parsed(p.gofeed)),
    row('gofeed: title, link, date checks', (p) => share(p.gofeed?.checks)),
    row('rss-parser: feeds parsed', (p) => parsed(p.rssParser)),
    row('rss-parser: title, count, item checks', (p) => share(p.rssParser?.checks)),
    row('euc-kr: feeds passing, from bytes', (p) => share(p.eucKr?.fromBytes)),
    row('euc-kr: feeds passing, decoded by us', (p) => share(p.eucKr?.decodedByNewsbrief)),
    row('items/s, one core (median)', (p) => (p.itemsPerSecond ? formatNumber(p.itemsPerSecond.median, 0) : '—')),
    row('items/s min – max (runs)', (p) => {
      const s = p.itemsPerSecond;
      return s ? `${formatNumber(s.min, 0)} – ${formatNumber(s.max, 0)} (${s.runs})` : '—';
    }),
  ];
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const lines = rows.map((r) =>
    r
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
  const notes = [
    'newsbrief reads bytes; the others get text: on gofeed and rss-parser as newsbrief decodes it, on euc-kr both',
    "the bytes as UTF-8 (what response.text() gives) and as newsbrief decodes them. rss-parser's expected outputs",
    'are its own parse, so it is the reference on that corpus.',
  ];
  const t = c.throughput;
  if (t) {
    notes.push(
      `items/s: ${t.feeds} feeds (${t.items} items, newsbrief's count) that all ${c.parsers.length} parse` +
        `${t.leftOut ? `, ${t.leftOut} left out` : ''}; sample, rss-parser and euc-kr feeds.`,
    );
  }
  if (c.missing.length) notes.push(`not installed: ${c.missing.join(', ')}`);
  notes.push(...c.notes);
  return [title, ...lines, ...notes.map((n) => `  ${n}`)].join('\n');
}
