/**
 * `npm run bench`: speed and memory of newsbrief on synthetic corpora (10k and 100k articles by default),
 * with side-by-side baselines. Progress goes to stderr, the table (or `--json`) to stdout. See bench/README.md.
 *
 *   npm run bench [-- --json] [--sizes 10000,100000] [--full] [--seed 42] [--pages 30|all]
 *                 [--digest-timeout 30] [--ingest-limit 200|none] [--keep] [--no-scale]
 *
 * Then, when PostgreSQL is installed, the scale-out benchmarks (issue 17): bench/storageBackends.ts at the largest
 * size (SQLite beside PostgreSQL, storage and engine level) and bench/scale/workers.ts (1, 2 and 4 worker
 * processes), one after the other, their output after this table (or under `scale` in the JSON). They take about
 * half an hour at 100k on 2 cores; `--no-scale` leaves them out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverBinaries } from '../storage/postgres/throwawayCluster.ts';
import { type ExtractionThroughput, measureExtraction } from './baselines/extraction.ts';
import { type FeedThroughput, loadBenchFeeds, measureFeedParsing } from './baselines/feeds.ts';
import { loadBenchPages } from './baselines/pages.ts';
import { ArgsError, parseArgs, positiveInt } from './lib/args.ts';
import { failureReason, lastJson, runWorker } from './lib/child.ts';
import { describeMachine, machineInfo } from './lib/machine.ts';
import { progress } from './lib/progress.ts';
import { spread } from './lib/stats.ts';
import type { CommandsDuringIngest } from './speed/commandsDuringIngest.ts';
import { type DigestFigure, measureDigest } from './speed/digestTimes.ts';
import { renderSpeedReport, type SizeReport, type SpeedReport } from './speed/report.ts';
import { measureSchedulePlanning } from './speed/schedulePlanning.ts';
import { measureSchedulerTick } from './speed/schedulerTick.ts';
import { measureStartup } from './speed/startup.ts';
import type { SizeResult } from './speed/types.ts';

const DEFAULT_SIZES = [10_000, 100_000];
const FULL_SIZE = 1_000_000;
const FEED_PATH_ARTICLES = 500;
/** The backlog ingested while `/news` commands are answered in the same process. */
const COMMANDS_DURING_INGEST_ARTICLES = 10_000;
/** The default run keeps to about 8 minutes: a size whose ingest takes longer is measured at what it holds. */
const DIGEST_WINDOW_ARTICLES = 10_000;

interface Options {
  json: boolean;
  sizes: number[];
  seed: number;
  pages: number;
  digestTimeoutSeconds: number;
  /** Seconds of ingestion per size before it stops, or null for no limit. */
  ingestLimitSeconds: number | null;
  keep: boolean;
  /** Only the extraction baseline (`--extraction-only`). */
  extractionOnly: boolean;
  /** Also the scale-out benchmarks on PostgreSQL (unless `--no-scale`). */
  scale: boolean;
}

function readOptions(argv: string[]): Options {
  const args = parseArgs(
    argv,
    ['sizes', 'seed', 'pages', 'digest-timeout', 'ingest-limit'],
    ['json', 'full', 'keep', 'extraction-only', 'scale', 'no-scale'],
  );
  const limitText = args.values.get('ingest-limit');
  // By default every corpus is ingested to the end, so the 100k figures are about 100k articles.
  const ingestLimitSeconds = !limitText || limitText === 'none' ? null : positiveInt(limitText, 'ingest-limit');
  const sizesText = args.values.get('sizes');
  let sizes = sizesText ? sizesText.split(',').map((s) => positiveInt(s.trim(), 'sizes')) : [...DEFAULT_SIZES];
  if (args.flags.has('full') && !sizes.includes(FULL_SIZE)) sizes.push(FULL_SIZE);
  sizes = [...new Set(sizes)].sort((a, b) => a - b);
  // `--extraction-only`: the extraction baseline and nothing else.
  if (args.flags.has('extraction-only')) sizes = [];
  const pagesText = args.values.get('pages') ?? '30';
  return {
    json: args.flags.has('json'),
    sizes,
    seed: positiveInt(args.values.get('seed') ?? '42', 'seed'),
    pages: pagesText === 'all' ? Number.POSITIVE_INFINITY : positiveInt(pagesText, 'pages'),
    digestTimeoutSeconds: positiveInt(args.values.get('digest-timeout') ?? '30', 'digest-timeout'),
    ingestLimitSeconds,
    keep: args.flags.has('keep'),
    extractionOnly: args.flags.has('extraction-only'),
    // `--scale` is kept for old command lines: the scale-out benchmarks run by default.
    scale: !args.flags.has('no-scale') && !args.flags.has('extraction-only'),
  };
}

/** Every n-th item so that about `count` remain, spread over the whole (sorted) list. */
function evenlySpaced<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  const step = items.length / count;
  return Array.from({ length: count }, (_, i) => items[Math.floor(i * step)] as T);
}

async function baselines(options: Options): Promise<SpeedReport['baselines']> {
  progress('baseline: extraction, newsbrief against Readability on linkedom and on jsdom');
  const set = loadBenchPages();
  let extraction: (ExtractionThroughput & { pageSet: string }) | null = null;
  if (set.pages.length > 0) {
    const pages = evenlySpaced(set.pages, options.pages);
    extraction = { ...measureExtraction(pages, 3), pageSet: set.name };
  }
  if (options.extractionOnly) return { extraction, feeds: null };
  progress('baseline: feed parsing, newsbrief against feedsmith');
  let feeds: FeedThroughput | null = null;
  const feedInput = loadBenchFeeds();
  if (feedInput.feeds.length > 0) feeds = measureFeedParsing(feedInput, 5);
  return { extraction, feeds };
}

async function feedIngest(dir: string, seed: number): Promise<SpeedReport['feedIngest']> {
  progress(`ingest from RSS files: ${FEED_PATH_ARTICLES} articles × 3 runs`);
  const run = await runWorker('bench/speed/feedIngestWorker.ts', [
    '--dir',
    join(dir, 'feed-path'),
    '--articles',
    String(FEED_PATH_ARTICLES),
    '--runs',
    '3',
    '--seed',
    String(seed),
  ]);
  const result = lastJson<{ articles: number; feeds: number; added: number; perSecond: number[] }>(run);
  if (!result) throw new Error(`the feed ingest worker failed (${failureReason(run)})`);
  return { ...result, perSecond: spread(result.perSecond) };
}

async function commandsDuringIngest(dir: string, seed: number): Promise<SpeedReport['commandsDuringIngest']> {
  const run = await runWorker('bench/speed/commandsDuringIngest.ts', [
    '--dir',
    join(dir, 'commands-during-ingest'),
    '--articles',
    String(COMMANDS_DURING_INGEST_ARTICLES),
    '--seed',
    String(seed),
  ]);
  const result = lastJson<CommandsDuringIngest>(run);
  if (!result) throw new Error(`the worker failed (${failureReason(run)})`);
  return result;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function skippedDigest(timeoutSeconds: number, note: string): DigestFigure {
  return {
    status: 'skipped',
    window: null,
    articles: null,
    stories: null,
    ms: null,
    timeoutSeconds,
    peakRssMb: null,
    note,
  };
}

async function measureSize(size: number, dir: string, options: Options, largest: boolean): Promise<SizeReport> {
  const dbPath = join(dir, `synthetic-${size}.db`);
  const passes = size <= 10_000 ? 5 : 3;
  const run = await runWorker('bench/speed/sizeWorker.ts', [
    '--size',
    String(size),
    '--seed',
    String(options.seed),
    '--db',
    dbPath,
    '--passes',
    String(passes),
    ...(options.ingestLimitSeconds === null ? [] : ['--ingest-limit', String(options.ingestLimitSeconds)]),
  ]);
  const result = lastJson<SizeResult>(run);
  if (!result) throw new Error(`the size worker failed (${failureReason(run)})`);

  const timeout = options.digestTimeoutSeconds;
  progress(`${size.toLocaleString('en-US')} articles: digest of the last 24h`);
  const day = await measureDigest(dbPath, result.windows.day, 3, timeout);
  let tenThousand: DigestFigure;
  const window = result.windows.tenThousand;
  if (!window) {
    tenThousand = skippedDigest(timeout, `the corpus holds fewer than ${DIGEST_WINDOW_ARTICLES} articles`);
  } else if (!largest) {
    tenThousand = skippedDigest(timeout, 'measured on the largest corpus only');
  } else if (day.status === 'timeout' && window.from < result.windows.day.from) {
    tenThousand = {
      ...skippedDigest(timeout, `not run: the 24h window (fewer articles) already took over ${timeout} s`),
      status: 'timeout',
      window,
    };
  } else {
    progress(`${size.toLocaleString('en-US')} articles: digest of a window holding ${DIGEST_WINDOW_ARTICLES} articles`);
    tenThousand = await measureDigest(dbPath, window, 3, timeout);
  }
  return { ...result, digest: { day, tenThousand } };
}

const SCALE_HINT =
  'Scale-out on PostgreSQL (issue 17) left out (--no-scale): npm run bench, or npm run bench:storage -- --articles 100000 (SQLite beside PostgreSQL, storage and engine level, about 30 minutes on 2 cores) and npm run bench:workers (1, 2 and 4 worker processes, a few minutes).';

/** The scale-out benchmarks, one after the other: their tables (or JSON reports) and any failure. */
async function scaleOut(
  options: Options,
): Promise<{ text: string[]; json: Record<string, unknown>; errors: string[] }> {
  const out = { text: [] as string[], json: {} as Record<string, unknown>, errors: [] as string[] };
  if (!serverBinaries()) {
    out.text.push(
      '',
      'Scale-out on PostgreSQL: not run, no PostgreSQL server in /usr/lib/postgresql/*/bin (.ci/run installs one).',
    );
    return out;
  }
  const articles = String(Math.max(...options.sizes, 10_000));
  const runs: [string, string, string[]][] = [
    ['storage', 'bench/storageBackends.ts', ['--articles', articles, '--seed', String(options.seed)]],
    ['workers', 'bench/scale/workers.ts', ['--seed', String(options.seed)]],
  ];
  for (const [name, script, args] of runs) {
    progress(`scale-out: ${script} ${args.join(' ')}`);
    const run = await runWorker(script, options.json ? [...args, '--json'] : args);
    if (run.exitCode !== 0) out.errors.push(`scale-out ${name}: ${failureReason(run)}`);
    if (options.json) {
      try {
        out.json[name] = JSON.parse(run.lines.join('\n'));
      } catch {
        out.json[name] = null;
      }
    } else out.text.push('', ...run.lines);
  }
  return out;
}

async function main(): Promise<void> {
  let options: Options;
  try {
    options = readOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ArgsError)) throw error;
    process.stderr.write(
      `${error.message}\nusage: npm run bench -- [--json] [--sizes 10000,100000] [--full] [--seed N] [--pages N|all] [--digest-timeout S] [--ingest-limit S|none] [--keep] [--extraction-only]\n`,
    );
    process.exit(2);
  }
  const started = new Date();
  const machine = machineInfo();
  progress(`newsbrief speed benchmark on ${describeMachine(machine)}`);
  const dir = mkdtempSync(join(tmpdir(), 'newsbrief-bench-'));
  try {
    const report: SpeedReport = {
      benchmark: 'speed',
      schema: 1,
      startedAt: started.toISOString(),
      durationSeconds: 0,
      machine,
      options: {
        seed: options.seed,
        sizes: options.sizes,
        extractionPages: Number.isFinite(options.pages) ? options.pages : -1,
        digestTimeoutSeconds: options.digestTimeoutSeconds,
        ingestLimitSeconds: options.ingestLimitSeconds,
      },
      baselines: { extraction: null, feeds: null },
      feedIngest: null,
      sizes: {},
      startup: null,
      errors: [],
    };
    try {
      report.baselines = await baselines(options);
    } catch (error) {
      report.errors.push(`baselines: ${errorText(error)}`);
    }
    try {
      if (!options.extractionOnly) report.feedIngest = await feedIngest(dir, options.seed);
    } catch (error) {
      report.errors.push(`ingest from RSS files: ${errorText(error)}`);
    }
    const largest = Math.max(...options.sizes);
    for (const size of options.sizes) {
      try {
        report.sizes[String(size)] = await measureSize(size, dir, options, size === largest);
      } catch (error) {
        report.errors.push(`${size} articles: ${errorText(error)}`);
      }
      if (!options.keep) {
        for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, `synthetic-${size}.db${suffix}`), { force: true });
      }
    }
    try {
      if (!options.extractionOnly) {
        progress('start-up: newsbrief start --once');
        report.startup = await measureStartup(dir, 5);
      }
    } catch (error) {
      report.errors.push(`start-up: ${errorText(error)}`);
    }
    try {
      if (!options.extractionOnly) report.commandsDuringIngest = await commandsDuringIngest(dir, options.seed);
    } catch (error) {
      report.errors.push(`commands during ingest: ${errorText(error)}`);
    }
    progress('digest scheduling: planTick for 10,000 destinations');
    try {
      report.schedulePlanning = measureSchedulePlanning();
    } catch (error) {
      report.errors.push(`digest scheduling: ${errorText(error)}`);
    }
    progress('scheduler tick: DigestScheduler.tick for 10,000 destinations on SQLite');
    try {
      if (!options.extractionOnly) report.schedulerTick = await measureSchedulerTick();
    } catch (error) {
      report.errors.push(`scheduler tick: ${errorText(error)}`);
    }
    const scale = options.scale ? await scaleOut(options) : null;
    if (scale) report.errors.push(...scale.errors);
    report.durationSeconds = (Date.now() - started.getTime()) / 1000;
    if (options.json) {
      process.stdout.write(`${JSON.stringify(scale ? { ...report, scale: scale.json } : report, null, 2)}\n`);
    } else {
      const tail = scale ? scale.text : ['', SCALE_HINT];
      process.stdout.write(`${renderSpeedReport(report)}\n${tail.join('\n')}\n`);
    }
    progress(`done in ${Math.round(report.durationSeconds)} s`);
  } finally {
    if (options.keep) progress(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

await main();
