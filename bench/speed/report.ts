import type { ExtractionThroughput } from '../baselines/extraction.ts';
import type { FeedThroughput } from '../baselines/feeds.ts';
import type { MachineInfo } from '../lib/machine.ts';
import type { Spread } from '../lib/stats.ts';
import { formatNumber, type Row, renderTables, type Section, spreadRow, valueRow } from '../lib/table.ts';
import { type CommandsDuringIngest, commandsDuringIngestSection } from './commandsDuringIngest.ts';
import type { DigestFigure } from './digestTimes.ts';
import { type SchedulePlanningFigure, schedulePlanningSection } from './schedulePlanning.ts';
import { type SchedulerTickFigure, schedulerTickSection } from './schedulerTick.ts';
import type { StartupTimes } from './startup.ts';
import type { IngestFigure, SizeResult } from './types.ts';

export interface SizeReport extends SizeResult {
  digest: { day: DigestFigure; tenThousand: DigestFigure };
}

/** The whole speed run, as printed with `--json` (keys are stable so runs can be compared across commits). */
export interface SpeedReport {
  benchmark: 'speed';
  schema: 1;
  startedAt: string;
  durationSeconds: number;
  machine: MachineInfo;
  options: {
    seed: number;
    sizes: number[];
    extractionPages: number;
    digestTimeoutSeconds: number;
    ingestLimitSeconds: number | null;
  };
  baselines: {
    extraction: (ExtractionThroughput & { pageSet: string }) | null;
    feeds: FeedThroughput | null;
  };
  feedIngest: { articles: number; feeds: number; added: number; perSecond: Spread } | null;
  /** Keyed by corpus size. */
  sizes: Record<string, SizeReport>;
  startup: StartupTimes | null;
  /** planTick for 10,000 destinations (absent in reports from before it existed). */
  schedulePlanning?: SchedulePlanningFigure | null;
  commandsDuringIngest?: CommandsDuringIngest | null;
  schedulerTick?: SchedulerTickFigure | null;
  /** Parts that failed (the rest of the run goes on). */
  errors: string[];
}

const k = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1000 ? `${n / 1000}k` : String(n));
const mb = (bytes: number) => bytes / 1024 / 1024;
/** `100k`, or `100k (12.3k held)` when the ingest limit stopped the corpus early. */
const held = (s: SizeResult) =>
  s.ingest.complete ? k(s.size) : `${k(s.size)} (${formatNumber(s.ingest.articles / 1000, 1)}k held)`;

function digestRow(label: string, d: DigestFigure): Row {
  const articles = d.articles !== null ? `${formatNumber(d.articles, 0)} articles → ${d.stories} stories` : '';
  if (d.status === 'ok' && d.ms) return spreadRow(label, d.ms, 'ms', [articles, d.note].filter(Boolean).join('; '));
  const value = d.status === 'skipped' ? 'skipped' : d.status === 'timeout' ? `> ${d.timeoutSeconds} s` : 'failed';
  return valueRow(label, value, d.note);
}

export function renderSpeedReport(r: SpeedReport): string {
  const sizes = Object.values(r.sizes).sort((a, b) => a.size - b.size);
  const sections: Section[] = [];

  const ingestRow = (label: string, figure: IngestFigure, what: string) =>
    spreadRow(
      label,
      figure.perSecond,
      'articles/s',
      [
        what,
        `per slice of ${k(figure.sliceSize)}; overall ${formatNumber(figure.overallPerSecond, 0)}/s, first ${formatNumber(figure.firstSlicePerSecond, 0)}, last ${formatNumber(figure.lastSlicePerSecond, 0)}`,
        figure.complete ? '' : `stopped by the ${figure.limitSeconds} s ingest limit`,
      ]
        .filter(Boolean)
        .join('; '),
    );
  const ingest: Row[] = sizes.flatMap((s) => [
    ingestRow(`ingest ${held(s)} (Ingestor.ingestArticle)`, s.ingest, 'the whole pipeline, stories included'),
    ingestRow(
      `tagging and indexing ${held(s)}`,
      s.ingestWithoutStories,
      'the same without story indexing: store, topic tags, FTS index',
    ),
  ]);
  if (r.feedIngest) {
    ingest.push(
      spreadRow(
        `ingest ${k(r.feedIngest.articles)} from RSS files`,
        r.feedIngest.perSecond,
        'articles/s',
        `read+decode+parse+clean+store, ${r.feedIngest.feeds} feeds`,
      ),
    );
  }
  sections.push({ title: 'Ingest (synthetic corpus, 60% Korean, ~10% wire copies)', rows: ingest });

  sections.push({
    title: `Search latency (CommandHandler.search, ${sizes[0]?.search.queries ?? 0} queries per pass)`,
    rows: sizes.flatMap((s) => [
      spreadRow(`search ${held(s)} p50`, s.search.p50, 'ms'),
      spreadRow(`search ${held(s)} p95`, s.search.p95, 'ms'),
      spreadRow(`search ${held(s)} p99`, s.search.p99, 'ms'),
    ]),
  });

  sections.push({
    title: `Digest build (CommandHandler.digest; limit ${r.options.digestTimeoutSeconds} s per window)`,
    rows: sizes.flatMap((s) => [
      digestRow(`digest ${held(s)}, last 24h`, s.digest.day),
      digestRow(`digest ${held(s)}, window of 10k articles`, s.digest.tenThousand),
    ]),
  });

  sections.push({
    title: 'Storage and memory',
    rows: sizes.flatMap((s) => [
      valueRow(
        `database ${held(s)}`,
        `${formatNumber(mb(s.storage.totalBytes))} MB`,
        `${formatNumber(s.storage.bytesPerArticle / 1024)} KB per article (after WAL checkpoint)`,
      ),
      valueRow(
        `peak RSS ${held(s)}`,
        `${formatNumber(s.peakRssMb, 0)} MB`,
        `ingest + search worker; ${formatNumber(s.rssAfterIngestMb, 0)} MB right after ingest`,
      ),
    ]),
  });

  if (r.startup) {
    sections.push({
      title: 'Start-up (newsbrief start --once)',
      rows: [
        spreadRow(
          'configured bot: start to digest line',
          r.startup.configured.toDigestMs,
          'ms',
          'config file, filled database',
        ),
        spreadRow('configured bot: start to exit', r.startup.configured.toExitMs, 'ms'),
        spreadRow('demo: start to digest line', r.startup.demo.toDigestMs, 'ms', 're-reads the bundled sample first'),
        spreadRow('demo: start to exit', r.startup.demo.toExitMs, 'ms'),
        valueRow(
          'demo: first start, empty database',
          `${formatNumber(r.startup.firstStartMs, 0)} ms`,
          'ingests the sample',
        ),
      ],
    });
  }

  if (r.commandsDuringIngest) sections.push(commandsDuringIngestSection(r.commandsDuringIngest));
  if (r.schedulePlanning) sections.push(schedulePlanningSection(r.schedulePlanning));
  if (r.schedulerTick) sections.push(schedulerTickSection(r.schedulerTick));

  const baselines: Row[] = [];
  const x = r.baselines.extraction;
  if (x) {
    baselines.push(
      spreadRow(
        'extract: newsbrief',
        x.ours.pagesPerSecond,
        'pages/s',
        `${x.pages} ${x.pageSet} pages, ${formatNumber(x.megabytes)} MB`,
      ),
      spreadRow(
        'extract: Readability on linkedom',
        x.readabilityLinkedom.pagesPerSecond,
        'pages/s',
        `bare parseHTML + parse(); ${x.readabilityLinkedom.failed} without result`,
      ),
      valueRow('extract ratio (newsbrief / Readability+linkedom)', `${formatNumber(x.ratioLinkedom)}×`, 'the peer'),
      spreadRow(
        'extract: Readability on jsdom',
        x.readabilityJsdom.pagesPerSecond,
        'pages/s',
        `${x.readabilityJsdom.failed} without result`,
      ),
      valueRow('extract ratio (newsbrief / Readability+jsdom)', `${formatNumber(x.ratio)}×`),
    );
  }
  const f = r.baselines.feeds;
  if (f) {
    baselines.push(
      spreadRow(
        'feeds: newsbrief parseFeed',
        f.ours.itemsPerSecond,
        'items/s',
        `${f.feeds} feeds, ${f.itemsOurs} items`,
      ),
      spreadRow(
        'feeds: feedsmith bare',
        f.feedsmith.itemsPerSecond,
        'items/s',
        `${f.itemsFeedsmith} items; ${f.skipped} feeds skipped`,
      ),
      valueRow('feeds ratio (newsbrief / feedsmith)', `${formatNumber(f.ratio)}×`),
    );
  }
  for (const s of sizes) {
    const fts = s.scan.terms.reduce((t, term) => t + term.ftsMs.median, 0);
    const like = s.scan.terms.reduce((t, term) => t + term.likeMs.median, 0);
    baselines.push(
      valueRow(
        `FTS vs LIKE ${held(s)} (LIKE time / FTS time)`,
        `${formatNumber(s.scan.likeOverFts)}×`,
        `${s.scan.terms.length} terms: FTS ${formatNumber(fts)} ms, LIKE ${formatNumber(like)} ms (sums of medians)`,
      ),
    );
  }
  sections.push({ title: 'Baselines (same inputs, same run)', rows: baselines });

  const m = r.machine;
  const head = [
    `newsbrief speed benchmark · ${r.startedAt} · ${Math.round(r.durationSeconds)} s`,
    `${m.cpu} · ${m.cores} cores · ${m.memoryGb} GB · Node ${m.node} · ${m.platform} · seed ${r.options.seed}`,
    '',
  ];
  const errors = r.errors.length > 0 ? `\n\nErrors:\n${r.errors.map((e) => `- ${e}`).join('\n')}` : '';
  return `${head.join('\n')}\n${renderTables(sections)}${errors}`;
}
