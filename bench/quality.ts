/**
 * `npm run bench:quality`: extraction, feed parsing and summaries against the reference corpora in
 * `../shared/corpora` (each part skipped with a message when absent), and search and story clustering on the
 * project's labelled sample. The table (or `--json`) goes to stdout, progress to stderr. See bench/README.md.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateSampleQueries } from '../src/search/evaluate.ts';
import { loadBenchFeeds } from './baselines/feeds.ts';
import { loadBenchPages } from './baselines/pages.ts';
import { ArgsError, parseArgs } from './lib/args.ts';
import { CORPORA_ROOT, corpusPart } from './lib/corpora.ts';
import { machineInfo } from './lib/machine.ts';
import { progress } from './lib/progress.ts';
import { renderTables, VALUE_HEADER } from './lib/table.ts';
import { loadGroundTruth, measureExtractionQuality } from './quality/extractionQuality.ts';
import { measureGofeed, measureKoreanFeeds, measureRssParser } from './quality/feedCorpora.ts';
import { LABELS_NOW, loadQueryLabels, loadStoryLabels } from './quality/labels.ts';
import { compareParsers, type ParserComparison } from './quality/parserComparison.ts';
import { type Part, type QualityReport, renderQualityReport } from './quality/report.ts';
import { ingestSampleArchive } from './quality/sampleArchive.ts';
import { measureSavedTextQuality, savedTextSection } from './quality/savedTextQuality.ts';
import { checkCrossLanguagePairs, measureSearchQuality } from './quality/searchQuality.ts';
import { measureStoryQuality } from './quality/storyQuality.ts';
import { measureSummaryQuality } from './quality/summaryQuality.ts';

function failure<T>(name: string, error: unknown): Part<T> {
  const reason = error instanceof Error ? error.message : String(error);
  progress(`failed: ${name}: ${reason}`);
  return { status: 'failed', reason };
}

/** Measures one part of the corpora, or says why not: its folder is absent, or it failed. */
function part<T>(name: string, path: string | null, measure: (path: string) => T): Part<T> {
  if (!path) {
    const reason = `${name} not found under ${CORPORA_ROOT}`;
    progress(`skipped: ${reason}`);
    return { status: 'skipped', reason };
  }
  progress(name);
  try {
    return { status: 'ok', result: measure(path) };
  } catch (error) {
    return failure(name, error);
  }
}

/** The feed parsers side by side on whichever feed corpora are present (see quality/parserComparison.ts). */
async function parserComparison(): Promise<Part<ParserComparison>> {
  const gofeed = corpusPart('feeds', 'gofeed', 'testdata', 'translator');
  const rssParser = corpusPart('feeds', 'rss-parser', 'test');
  const eucKr = ['EUC-KR', 'CP949'].map((d) => corpusPart('feeds', 'euc-kr', 'tests', d)).filter((d) => d !== null);
  if (!gofeed && !rssParser && !eucKr.length) {
    const reason = `feeds/ not found under ${CORPORA_ROOT}`;
    progress(`skipped: parser comparison, ${reason}`);
    return { status: 'skipped', reason };
  }
  progress('parser comparison');
  try {
    return {
      status: 'ok',
      result: await compareParsers({ gofeed, rssParser, eucKr, throughput: loadBenchFeeds().feeds }),
    };
  } catch (error) {
    return failure('parser comparison', error);
  }
}

async function main(): Promise<void> {
  let json = false;
  try {
    json = parseArgs(process.argv.slice(2), [], ['json']).flags.has('json');
  } catch (error) {
    if (!(error instanceof ArgsError)) throw error;
    process.stderr.write(`${error.message}\nusage: npm run bench:quality -- [--json]\n`);
    process.exit(2);
  }

  const aebTruth = corpusPart('aeb', 'ground-truth.json');
  const extraction = part('aeb/', aebTruth && corpusPart('aeb', 'html'), () => {
    const set = loadBenchPages();
    return measureExtractionQuality(set.pages, loadGroundTruth(aebTruth as string));
  });
  const feeds = {
    gofeed: part('feeds/gofeed/', corpusPart('feeds', 'gofeed', 'testdata', 'translator'), measureGofeed),
    rssParser: part('feeds/rss-parser/', corpusPart('feeds', 'rss-parser', 'test'), measureRssParser),
    eucKr: part('feeds/euc-kr/', corpusPart('feeds', 'euc-kr', 'tests'), (root) =>
      measureKoreanFeeds(['EUC-KR', 'CP949'].map((d) => join(root, d)).filter((d) => existsSync(d))),
    ),
  };
  progress('saved text: test/fixtures/saved-text');
  let savedText: Part<ReturnType<typeof measureSavedTextQuality>>;
  try {
    savedText = { status: 'ok', result: measureSavedTextQuality() };
  } catch (error) {
    savedText = failure('saved text', error);
  }
  const parsers = await parserComparison();
  const summaries = part('summaries-ko/', corpusPart('summaries-ko', 'data'), measureSummaryQuality);

  progress('labelled sample: ingesting config/sample into a temp database');
  let search: QualityReport['search'];
  let stories: QualityReport['stories'];
  try {
    const archive = await ingestSampleArchive();
    try {
      progress('labelled sample: search queries');
      try {
        const quality = await measureSearchQuality(
          archive,
          loadQueryLabels(),
          LABELS_NOW,
          loadStoryLabels().wireGroups,
        );
        // The engine's own evaluation (src/search/evaluate.ts) grades `partial:` hits as unjudged and counts
        // recall against at most 10 relevant stories; both readings are printed.
        const graded = (await evaluateSampleQueries()).overall;
        search = {
          status: 'ok',
          result: {
            ...quality,
            graded: { precisionAt5: graded.precision, recallAt10: graded.recall },
            crossLanguage: await checkCrossLanguagePairs(archive, LABELS_NOW),
          },
        };
      } catch (error) {
        search = failure('labelled search queries', error);
      }
      progress('labelled sample: story clustering');
      try {
        stories = { status: 'ok', result: await measureStoryQuality(archive, loadStoryLabels()) };
      } catch (error) {
        stories = failure('labelled stories', error);
      }
    } finally {
      archive.close();
    }
  } catch (error) {
    search = failure('the sample archive', error);
    stories = failure('the sample archive', error);
  }

  const report: QualityReport = {
    benchmark: 'quality',
    schema: 1,
    startedAt: new Date().toISOString(),
    machine: machineInfo(),
    corporaRoot: CORPORA_ROOT,
    extraction,
    feeds,
    parserComparison: parsers,
    summaries,
    search,
    stories,
  };
  const savedTable =
    savedText.status === 'ok' ? `\n${renderTables([savedTextSection(savedText.result)], VALUE_HEADER)}` : '';
  process.stdout.write(
    json ? `${JSON.stringify({ ...report, savedText }, null, 2)}\n` : `${renderQualityReport(report)}\n${savedTable}\n`,
  );
}

await main();
