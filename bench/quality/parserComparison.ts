/**
 * Feed parsers side by side on the shared feed corpora: newsbrief's `parseFeed` (feedsmith wrapped) against
 * @rowanmanning/feed-parser, rss-parser and @extractus/feed-extractor (`extractFromXml`). Each library's output is
 * mapped onto newsbrief's model and judged by the checks of `feedCorpora.ts`, limited to the fields all four give:
 * feed title and link, item count, item title, link and date. See bench/README.md.
 *
 * Input: newsbrief takes bytes and finds the charset itself; the others take only text. On the gofeed and
 * rss-parser corpora they get the text as newsbrief decodes it, so the figures compare parsing, not charsets. On
 * the EUC-KR corpus they are run twice: on the bytes decoded as UTF-8 (what `response.text()` gives them) and on
 * the text newsbrief decoded.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFeed } from '../../src/feeds/index.ts';
import type { FeedItem, ParsedFeed } from '../../src/model.ts';
import { PACKAGE_ROOT } from '../../src/paths.ts';
import { decodeDocument } from '../../src/text/charset.ts';
import type { FeedInput } from '../baselines/feeds.ts';
import { progress } from '../lib/progress.ts';
import { type Spread, spread } from '../lib/stats.ts';
import {
  type FeedReader,
  type FeedSetResult,
  gofeedCaseFiles,
  koreanFeedFiles,
  measureGofeed,
  measureKoreanFeeds,
  measureRssParser,
  rssParserInputFiles,
} from './feedCorpora.ts';

/** How a parser is given a document: the bytes (newsbrief only), or text. */
export interface ParserInput {
  bytes: Uint8Array;
  text: string;
}

/** A library under comparison: its output for a document, mapped onto newsbrief's model; throws when it rejects. */
export interface Candidate {
  name: string;
  version: string;
  takesBytes: boolean;
  parse(input: ParserInput): ParsedFeed | Promise<ParsedFeed>;
}

export interface PassedOf {
  passed: number;
  total: number;
}

export interface CorpusScore {
  /** Documents read, and those the parser did not reject. */
  total: number;
  parsed: number;
  /** The common field checks (see `COMMON_CHECKS`). */
  checks: PassedOf;
}

export interface ParserScore {
  name: string;
  version: string;
  gofeed: CorpusScore | null;
  rssParser: CorpusScore | null;
  /** Feeds passing every EUC-KR check (parses, items, Hangul titles, no U+FFFD, dates). */
  eucKr: { fromBytes: PassedOf; decodedByNewsbrief: PassedOf } | null;
  /** Median items/s over the throughput set, with min, max and runs. */
  itemsPerSecond: Spread | null;
}

export interface ParserComparison {
  parsers: ParserScore[];
  /** Libraries that could not be loaded (devDependencies not installed). */
  missing: string[];
  throughput: { feeds: number; items: number; leftOut: number } | null;
  /** What each corpus part was, or why it was skipped. */
  notes: string[];
}

/** The check kinds every library's output maps onto, per corpus (names as `feedCorpora.ts` records them). */
export const COMMON_CHECKS = {
  gofeed: ['feed.title', 'feed.link', 'item.title', 'item.link', 'item.published'],
  rssParser: ['feed.title', 'items.count', 'item.title', 'item.link', 'item.date'],
} as const;

export function sumChecks(set: FeedSetResult, kinds: readonly string[]): PassedOf {
  const out = { passed: 0, total: 0 };
  for (const kind of kinds) {
    const c = set.byCheck[kind];
    if (!c) continue;
    out.passed += c.passed;
    out.total += c.total;
  }
  return out;
}

/** An ISO instant from a Date, a date string or nothing; null when it is not a date. */
export function isoOrNull(value: Date | string | null | undefined): string | null {
  if (value == null || value === '') return null;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

const textOrNull = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function item(fields: Pick<FeedItem, 'title' | 'link' | 'published'> & Partial<FeedItem>): FeedItem {
  return { id: null, updated: null, author: null, summary: null, content: null, ...fields };
}

/**
 * Only the fields every library gives, so that the EUC-KR "no U+FFFD" check looks at the same text for all of them
 * (newsbrief's summaries and authors would otherwise be judged and the others' not).
 */
export function commonFields(feed: ParsedFeed): ParsedFeed {
  return {
    format: feed.format,
    title: feed.title,
    link: feed.link,
    language: null,
    items: feed.items.map((i) => item({ title: i.title, link: i.link, published: i.published ?? i.updated })),
  };
}

function packageVersion(name: string): string {
  const file = join(PACKAGE_ROOT, 'node_modules', ...name.split('/'), 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

// ── the candidates ──────────────────────────────────────────────────────────────────────────────────────

function newsbrief(): Candidate {
  return {
    name: 'newsbrief (feedsmith)',
    version: packageVersion('feedsmith'),
    takesBytes: true,
    parse: ({ bytes }) => parseFeed(bytes),
  };
}

async function rowanmanning(): Promise<Candidate> {
  const { parseFeed: parse } = await import('@rowanmanning/feed-parser');
  return {
    name: '@rowanmanning/feed-parser',
    version: packageVersion('@rowanmanning/feed-parser'),
    takesBytes: false,
    parse: ({ text }) => {
      const feed = parse(text);
      return {
        format: feed.meta.type === 'atom' ? 'atom' : 'rss',
        title: feed.title,
        link: feed.url,
        language: feed.language,
        items: feed.items.map((i) =>
          item({ title: i.title, link: i.url, published: isoOrNull(i.published ?? i.updated) }),
        ),
      };
    },
  };
}

async function rssParser(): Promise<Candidate> {
  const { default: Parser } = await import('rss-parser');
  const parser = new Parser();
  return {
    name: 'rss-parser',
    version: packageVersion('rss-parser'),
    takesBytes: false,
    parse: async ({ text }) => {
      const feed = await parser.parseString(text);
      return {
        format: 'rss',
        title: textOrNull(feed.title),
        link: textOrNull(feed.link),
        language: null,
        items: feed.items.map((i) =>
          item({ title: textOrNull(i.title), link: textOrNull(i.link), published: isoOrNull(i.isoDate) }),
        ),
      };
    },
  };
}

async function feedExtractor(): Promise<Candidate> {
  const { extractFromXml } = await import('@extractus/feed-extractor');
  return {
    name: '@extractus/feed-extractor',
    version: packageVersion('@extractus/feed-extractor'),
    takesBytes: false,
    parse: ({ text }) => {
      const feed = extractFromXml(text);
      if (!feed) throw new Error('no feed');
      return {
        format: 'rss',
        title: textOrNull(feed.title),
        link: textOrNull(feed.link),
        language: textOrNull(feed.language),
        items: (feed.entries ?? []).map((e) =>
          item({ title: textOrNull(e.title), link: textOrNull(e.link), published: isoOrNull(e.published) }),
        ),
      };
    },
  };
}

/** newsbrief and whichever of the three libraries load (they are devDependencies). */
export async function loadCandidates(): Promise<{ candidates: Candidate[]; missing: string[] }> {
  const candidates = [newsbrief()];
  const missing: string[] = [];
  const loaders: [string, () => Promise<Candidate>][] = [
    ['@rowanmanning/feed-parser', rowanmanning],
    ['rss-parser', rssParser],
    ['@extractus/feed-extractor', feedExtractor],
  ];
  for (const [name, load] of loaders) {
    try {
      candidates.push(await load());
    } catch (error) {
      progress(`parser comparison: ${name} not loaded (${error instanceof Error ? error.message : error})`);
      missing.push(name);
    }
  }
  return { candidates, missing };
}

// ── measuring ───────────────────────────────────────────────────────────────────────────────────────────

type Decode = (bytes: Uint8Array) => string;
const asUtf8: Decode = (bytes) => new TextDecoder().decode(bytes);
const byNewsbrief: Decode = (bytes) => decodeDocument(bytes).text;

async function tryParse(candidate: Candidate, input: ParserInput): Promise<ParsedFeed | null> {
  try {
    return commonFields(await candidate.parse(input));
  } catch {
    return null;
  }
}

/** Parses every file up front (rss-parser is asynchronous), then hands the corpus measure a lookup. */
async function readerFor(candidate: Candidate, paths: readonly string[], decode: Decode): Promise<FeedReader> {
  const outputs = new Map<string, ParsedFeed | null>();
  for (const path of paths) {
    const bytes = readFileSync(path);
    outputs.set(path, await tryParse(candidate, { bytes, text: decode(bytes) }));
  }
  return (_bytes, path) => outputs.get(path) ?? null;
}

function corpusScore(set: FeedSetResult, kinds: readonly string[]): CorpusScore {
  return { total: set.total, parsed: set.parsed, checks: sumChecks(set, kinds) };
}

export interface ComparisonCorpora {
  gofeed: string | null;
  rssParser: string | null;
  /** The EUC-KR and CP949 folders; empty when absent. */
  eucKr: string[];
  /** The throughput set: the same feeds as the speed benchmark's feed baseline. */
  throughput: FeedInput[];
}

async function scoreCandidate(candidate: Candidate, corpora: ComparisonCorpora): Promise<ParserScore> {
  const score: ParserScore = {
    name: candidate.name,
    version: candidate.version,
    gofeed: null,
    rssParser: null,
    eucKr: null,
    itemsPerSecond: null,
  };
  if (corpora.gofeed) {
    const read = await readerFor(candidate, gofeedCaseFiles(corpora.gofeed), byNewsbrief);
    score.gofeed = corpusScore(measureGofeed(corpora.gofeed, read), COMMON_CHECKS.gofeed);
  }
  if (corpora.rssParser) {
    const read = await readerFor(candidate, rssParserInputFiles(corpora.rssParser), byNewsbrief);
    score.rssParser = corpusScore(measureRssParser(corpora.rssParser, read), COMMON_CHECKS.rssParser);
  }
  if (corpora.eucKr.length) {
    const files = koreanFeedFiles(corpora.eucKr);
    const feedsPassing = async (decode: Decode) => {
      const set = measureKoreanFeeds(corpora.eucKr, await readerFor(candidate, files, decode));
      return { passed: set.passed, total: set.total };
    };
    score.eucKr = { fromBytes: await feedsPassing(asUtf8), decodedByNewsbrief: await feedsPassing(byNewsbrief) };
  }
  return score;
}

interface TimedFeed extends ParserInput {
  items: number;
}

/** Feeds every candidate parses, with newsbrief's item count as the one count all rates divide. */
async function throughputSet(candidates: readonly Candidate[], feeds: readonly FeedInput[]): Promise<TimedFeed[]> {
  const set: TimedFeed[] = [];
  for (const feed of feeds) {
    const input = { bytes: feed.bytes, text: byNewsbrief(feed.bytes) };
    const outputs = await Promise.all(candidates.map((c) => tryParse(c, input)));
    const ours = outputs[0];
    if (ours && outputs.every((o) => o !== null)) set.push({ ...input, items: ours.items.length });
  }
  return set;
}

/**
 * Items/s for one candidate over `set`, one pass at a time: at least `minRuns` passes and until `minMs` have gone by
 * (at most 20 passes). Everything runs on the main thread, so on one core. No warm-up pass here: choosing the set
 * has just run every candidate over every feed in it.
 */
export async function measureItemsPerSecond(
  candidate: Candidate,
  set: readonly TimedFeed[],
  { minRuns = 3, minMs = 500 }: { minRuns?: number; minMs?: number } = {},
): Promise<Spread> {
  const items = set.reduce((n, f) => n + f.items, 0);
  const pass = async () => {
    const started = performance.now();
    for (const feed of set) await candidate.parse(feed);
    return performance.now() - started;
  };
  const rates: number[] = [];
  let spent = 0;
  while (rates.length < 20 && (rates.length < minRuns || spent < minMs)) {
    const ms = await pass();
    spent += ms;
    rates.push(items / (Math.max(ms, 0.001) / 1000));
  }
  return spread(rates);
}

export async function compareParsers(corpora: ComparisonCorpora): Promise<ParserComparison> {
  const { candidates, missing } = await loadCandidates();
  const notes: string[] = [];
  if (!corpora.gofeed) notes.push('feeds/gofeed absent: skipped');
  if (!corpora.rssParser) notes.push('feeds/rss-parser absent: skipped');
  if (!corpora.eucKr.length) notes.push('feeds/euc-kr absent: skipped');

  const parsers: ParserScore[] = [];
  for (const candidate of candidates) {
    progress(`parser comparison: ${candidate.name}`);
    parsers.push(await scoreCandidate(candidate, corpora));
  }

  const set = await throughputSet(candidates, corpora.throughput);
  let throughput: ParserComparison['throughput'] = null;
  if (set.length) {
    throughput = {
      feeds: set.length,
      items: set.reduce((n, f) => n + f.items, 0),
      leftOut: corpora.throughput.length - set.length,
    };
    for (const [i, candidate] of candidates.entries()) {
      progress(`parser comparison: items/s, ${candidate.name}`);
      const score = parsers[i];
      if (score) score.itemsPerSecond = await measureItemsPerSecond(candidate, set);
    }
  }
  return { parsers, missing, throughput, notes };
}
