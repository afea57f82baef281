/**
 * Feed parsing against the reference corpora. Each feed or case passes when all of its checks pass:
 * - gofeed translator cases: every expected field that newsbrief's feed model has (feed title, link, language;
 *   item title, link, guid → id, description → summary, content, publishedParsed → published, updatedParsed →
 *   updated, author name and e-mail → author) must come out equal (expected ⊆ actual); other fields are not
 *   in the model and are not checked. Links are equal as URLs (`http://a.org` = `http://a.org/`), and where an
 *   RSS feed repeats `<link>`, gofeed's pick (the last) or the first counts;
 * - rss-parser feeds: feed title, item count, and per item title, link and date (`isoDate`) as in `output/*.json`.
 *   Those outputs are another library's parse, with its defects, so its undecoded entities and tags, its U+FFFD
 *   for an ISO-8859-1 feed read as UTF-8 (a no-break space included), its relative links and its millisecond
 *   dates are taken as equal to a decoded, readable, absolute, to-the-second value;
 * - EUC-KR / CP949 feeds: parses, has items, titles hold Hangul, no U+FFFD anywhere, every item has a date when
 *   the feed gives dates.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { parseFeed } from '../../src/feeds/index.ts';
import type { FeedItem, ParsedFeed } from '../../src/model.ts';

export interface FeedSetResult {
  /** Feeds or cases read. */
  total: number;
  /** Those the parser did not reject. */
  parsed: number;
  /** Those with at least one check that applies. */
  checked: number;
  passed: number;
  checks: { passed: number; total: number };
  /** Checks by kind: `item.title` → passed / total. */
  byCheck: Record<string, { passed: number; total: number }>;
  failures: { name: string; failed: string[] }[];
}

type Check = { name: string; ok: boolean };

/**
 * One corpus file (its bytes and path) read into newsbrief's model, or null when the parser rejects it. newsbrief's
 * own `parseFeed` by default; the parser comparison passes other libraries' output mapped onto the model.
 */
export type FeedReader = (bytes: Uint8Array, path: string) => ParsedFeed | null;

function emptyResult(): FeedSetResult {
  return { total: 0, parsed: 0, checked: 0, passed: 0, checks: { passed: 0, total: 0 }, byCheck: {}, failures: [] };
}

function record(result: FeedSetResult, name: string, actual: ParsedFeed | null, checks: readonly Check[]): void {
  result.total++;
  if (actual) result.parsed++;
  if (checks.length === 0) return;
  result.checked++;
  const failed = checks.filter((c) => !c.ok).map((c) => c.name);
  if (failed.length === 0) result.passed++;
  else result.failures.push({ name, failed: [...new Set(failed)] });
  for (const c of checks) {
    result.checks.total++;
    if (c.ok) result.checks.passed++;
    const kind = c.name.replace(/\[\d+\]/g, '');
    const entry = result.byCheck[kind] ?? { passed: 0, total: 0 };
    entry.total++;
    if (c.ok) entry.passed++;
    result.byCheck[kind] = entry;
  }
}

const squash = (text: unknown) => (typeof text === 'string' ? text.replace(/\s+/g, ' ').trim() : text);

function sameText(expected: unknown, actual: string | null | undefined): boolean {
  return squash(expected) === squash(actual ?? '');
}

function sameInstant(expected: unknown, actual: string | null | undefined): boolean {
  if (typeof expected !== 'string' || !actual) return false;
  const a = Date.parse(expected);
  return !Number.isNaN(a) && Math.floor(a / 1000) === Math.floor(Date.parse(actual) / 1000);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Text as a reader sees it: tags dropped, character references decoded. */
function readable(text: string): string {
  return text.replace(/<[^>]*>/g, '').replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] !== '#') return ENTITIES[ref.toLowerCase()] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
    return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * Equal as read, where a U+FFFD in the reference (a byte it could not decode) stands for any one non-ASCII character,
 * or a space: the Latin-1 byte 0xA0 is a no-break space, which `squash` (`\s` includes U+00A0) has already made an
 * ASCII space in our text.
 */
function sameReadableText(expected: unknown, actual: string | null | undefined): boolean {
  if (typeof expected !== 'string') return false;
  const want = squash(readable(expected)) as string;
  const got = squash(readable(actual ?? '')) as string;
  if (!want.includes('\ufffd')) return want === got;
  const pattern = want
    .split('\ufffd')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('(?:[^\\x00-\\x7f]| )');
  return !got.includes('\ufffd') && new RegExp(`^${pattern}$`, 'u').test(got);
}

/** Equal links, a relative reference counting as the absolute link it resolves to. */
function sameLink(expected: unknown, actual: string | null | undefined): boolean {
  if (typeof expected !== 'string' || !actual) return false;
  if (squash(expected) === squash(actual)) return true;
  try {
    return new URL(expected.trim(), actual).href === new URL(actual).href;
  } catch {
    return false;
  }
}

export const readWithNewsbrief: FeedReader = (bytes) => {
  try {
    return parseFeed(bytes);
  } catch {
    return null;
  }
};

const xmlFilesIn = (folder: string) =>
  readdirSync(folder)
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .map((f) => join(folder, f));

// ── gofeed ────────────────────────────────────────────────────────────────────────────────────────────

type Expected = Record<string, unknown>;

/** newsbrief keeps one author string, the name; the e-mail is checked only when the feed gives no name. */
function authorChecks(prefix: string, expected: unknown, actual: string | null | undefined): Check[] {
  if (!expected || typeof expected !== 'object') return [];
  const { name, email } = expected as Expected;
  const author = (actual ?? '').toLowerCase();
  if (typeof name === 'string') return [{ name: `${prefix}.author.name`, ok: author.includes(name.toLowerCase()) }];
  if (typeof email === 'string') return [{ name: `${prefix}.author.email`, ok: author.includes(email.toLowerCase()) }];
  return [];
}

/** Equal text, or the same absolute URL once parsed (`http://example.org` is `http://example.org/`). */
function sameUrl(expected: unknown, actual: string | null | undefined): boolean {
  if (sameText(expected, actual)) return true;
  if (typeof expected !== 'string' || !actual || !URL.canParse(expected) || !URL.canParse(actual)) return false;
  return new URL(expected).href === new URL(actual).href;
}

/**
 * gofeed's RSS parser sets `link` at every `<link>` element it meets, so a repeated `<link>` leaves the last one there
 * (and all of them in `links`). RSS has one `<link>`; when a feed repeats it, the first, which feedsmith and
 * rss-parser read, is as much the link as the last, so either counts. A single link is compared as it is.
 */
function sameGofeedLink(rss: boolean, expected: Expected, actual: string | null | undefined): boolean {
  if (sameUrl(expected.link, actual)) return true;
  const links = expected.links;
  return rss && Array.isArray(links) && links.length > 1 && sameUrl(links[0], actual);
}

function itemChecks(i: number, rss: boolean, expected: Expected, actual: FeedItem | undefined): Check[] {
  const p = `item[${i}]`;
  const checks: Check[] = [];
  const text = (key: string, name: string, value: string | null | undefined) => {
    if (typeof expected[key] === 'string') checks.push({ name: `${p}.${name}`, ok: sameText(expected[key], value) });
  };
  text('title', 'title', actual?.title);
  if (typeof expected.link === 'string') {
    checks.push({ name: `${p}.link`, ok: sameGofeedLink(rss, expected, actual?.link) });
  }
  text('guid', 'id', actual?.id);
  text('description', 'summary', actual?.summary);
  text('content', 'content', actual?.content);
  if (expected.publishedParsed !== undefined) {
    checks.push({ name: `${p}.published`, ok: sameInstant(expected.publishedParsed, actual?.published) });
  }
  if (expected.updatedParsed !== undefined) {
    checks.push({ name: `${p}.updated`, ok: sameInstant(expected.updatedParsed, actual?.updated) });
  }
  checks.push(...authorChecks(p, expected.author, actual?.author));
  return checks;
}

export function gofeedChecks(expected: Expected, actual: ParsedFeed | null): Check[] {
  const checks: Check[] = [];
  const rss = expected.feedType === 'rss';
  for (const key of ['title', 'language'] as const) {
    if (typeof expected[key] === 'string')
      checks.push({ name: `feed.${key}`, ok: sameText(expected[key], actual?.[key]) });
  }
  if (typeof expected.link === 'string') {
    checks.push({ name: 'feed.link', ok: sameGofeedLink(rss, expected, actual?.link) });
  }
  const items = Array.isArray(expected.items) ? (expected.items as Expected[]) : [];
  items.forEach((item, i) => {
    checks.push(...itemChecks(i, rss, item, actual?.items[i]));
  });
  if (!actual) checks.push({ name: 'parses', ok: false });
  return checks;
}

/** The translator cases' XML files, RSS then Atom. */
export function gofeedCaseFiles(root: string): string[] {
  return ['rss', 'atom'].flatMap((dir) => xmlFilesIn(join(root, dir)));
}

export function measureGofeed(root: string, read: FeedReader = readWithNewsbrief): FeedSetResult {
  const result = emptyResult();
  for (const path of gofeedCaseFiles(root)) {
    const expected = JSON.parse(readFileSync(path.replace(/\.xml$/, '.json'), 'utf8')) as Expected;
    const actual = read(readFileSync(path), path);
    record(result, `${basename(dirname(path))}/${basename(path)}`, actual, gofeedChecks(expected, actual));
  }
  return result;
}

// ── rss-parser ────────────────────────────────────────────────────────────────────────────────────────

export function rssParserChecks(expected: Expected, actual: ParsedFeed | null): Check[] {
  const feed = (expected.feed ?? {}) as Expected;
  const items = Array.isArray(feed.items) ? (feed.items as Expected[]) : [];
  const checks: Check[] = [{ name: 'parses', ok: actual !== null }];
  if (typeof feed.title === 'string') {
    checks.push({ name: 'feed.title', ok: sameReadableText(feed.title, actual?.title) });
  }
  checks.push({ name: 'items.count', ok: (actual?.items.length ?? -1) === items.length });
  items.forEach((item, i) => {
    const mine = actual?.items[i];
    if (typeof item.title === 'string') {
      checks.push({ name: `item[${i}].title`, ok: sameReadableText(item.title, mine?.title) });
    }
    if (typeof item.link === 'string') checks.push({ name: `item[${i}].link`, ok: sameLink(item.link, mine?.link) });
    if (typeof item.isoDate === 'string') {
      checks.push({ name: `item[${i}].date`, ok: sameInstant(item.isoDate, mine?.published ?? mine?.updated) });
    }
  });
  return checks;
}

const expectedOutput = (root: string, input: string) => join(root, 'output', `${basename(input, extname(input))}.json`);

/** The input feeds that have an expected output (the others are feeds that library rejects). */
export function rssParserInputFiles(root: string): string[] {
  const outputs = new Set(readdirSync(join(root, 'output')));
  const inputs = join(root, 'input');
  return readdirSync(inputs)
    .sort()
    .filter((file) => outputs.has(basename(expectedOutput(root, file))))
    .map((file) => join(inputs, file));
}

export function measureRssParser(root: string, read: FeedReader = readWithNewsbrief): FeedSetResult {
  const result = emptyResult();
  for (const path of rssParserInputFiles(root)) {
    const expected = JSON.parse(readFileSync(expectedOutput(root, path), 'utf8')) as Expected;
    const actual = read(readFileSync(path), path);
    record(result, basename(path), actual, rssParserChecks(expected, actual));
  }
  return result;
}

// ── EUC-KR / CP949 ────────────────────────────────────────────────────────────────────────────────────

const HANGUL = /[\uac00-\ud7a3]/;

export function koreanFeedChecks(raw: Uint8Array, actual: ParsedFeed | null): Check[] {
  if (!actual) return [{ name: 'parses', ok: false }];
  const titles = [actual.title, ...actual.items.map((i) => i.title)];
  const givesDates = /<(?:pubDate|dc:date)>/i.test(Buffer.from(raw).toString('latin1'));
  return [
    { name: 'parses', ok: true },
    { name: 'items', ok: actual.items.length > 0 },
    { name: 'hangul titles', ok: titles.some((t) => HANGUL.test(t ?? '')) },
    { name: 'no U+FFFD', ok: !JSON.stringify(actual).includes('\ufffd') },
    { name: 'dates', ok: !givesDates || actual.items.every((i) => i.published !== null) },
  ];
}

export function koreanFeedFiles(folders: readonly string[]): string[] {
  return folders.flatMap(xmlFilesIn);
}

export function measureKoreanFeeds(folders: readonly string[], read: FeedReader = readWithNewsbrief): FeedSetResult {
  const result = emptyResult();
  for (const path of koreanFeedFiles(folders)) {
    const raw = readFileSync(path);
    const actual = read(raw, path);
    record(result, `${basename(dirname(path))}/${basename(path)}`, actual, koreanFeedChecks(raw, actual));
  }
  return result;
}
