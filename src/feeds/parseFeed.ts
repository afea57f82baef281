/**
 * The feed entry point: bytes or text in, one `ParsedFeed` out, whatever the format. Feedsmith does the XML/JSON
 * parsing; the adapters in `adapters/` map its per-format shapes onto the shared model, and this file handles what
 * sits around them (charset, format detection, broken XML, dates' default zone).
 *
 * Hostile input: feedsmith runs fast-xml-parser with `processEntities: false`, so a DOCTYPE's entities are never
 * expanded (a "billion laughs" feed yields its `&lol9;` as literal text), and fast-xml-parser refuses nesting deeper
 * than 100 elements. Both are covered by tests so a dependency update that changes them is noticed.
 */
import {
  type AnyFeed,
  DetectError,
  MalformedError,
  ParseError,
  parseFeed as parseAnyFeed,
  parseAtomFeed,
  parseJsonFeed,
  parseRdfFeed,
  parseRssFeed,
} from 'feedsmith';
import type { FeedFormat, FeedItem, ParsedFeed } from '../model.ts';
import { decodeDocument, normalizeCharset } from '../text/charset.ts';
import { parseNewsDateUtc } from '../text/dates.ts';
import { adaptAtom } from './adapters/atom.ts';
import type { AdapterContext, DateReader } from './adapters/context.ts';
import { adaptJson } from './adapters/json.ts';
import { adaptRdf } from './adapters/rdf.ts';
import { adaptRss } from './adapters/rss.ts';
import { detectFeedFormat } from './detectFormat.ts';
import { closeTruncatedXml, closingTags, entrySpans, repairXml, stripIllegalXmlChars } from './repairXml.ts';

/** The document is not a feed, or is too broken to read. The message is one line saying which. */
export class FeedParseError extends Error {
  override name = 'FeedParseError';
}

export interface ParseFeedOptions {
  /** The URL the feed was fetched from: the base for relative links when the feed gives none. */
  url?: string | null;
  /** The HTTP `Content-Type` header, for the charset (only used when `input` is bytes). */
  contentType?: string | null;
}

export function parseFeed(input: string | Uint8Array, options: ParseFeedOptions = {}): ParsedFeed {
  const decoded =
    typeof input === 'string'
      ? { text: input, charset: null }
      : decodeDocument(input, { contentType: options.contentType ?? null });
  // XML forbids these anywhere, JSON inside strings; dropping them up front loses nothing readable.
  const text = stripIllegalXmlChars(decoded.text.replace(/^\ufeff/, ''));
  if (!text.trim()) throw new FeedParseError('Empty document');

  const koreanHint = decoded.charset === 'cp949' || looksKorean(text);
  const ctx: AdapterContext = {
    url: options.url ?? null,
    dateReader: (language) => dateReaderFor(language, koreanHint),
  };
  let feed: ParsedFeed | null = null;
  let failure: unknown = null;
  try {
    feed = readAndAdapt(text, ctx);
  } catch (error) {
    failure = error;
  }
  // One broken entry (a mismatched or stray end tag, an element left open) either fails the whole document or, as
  // fast-xml-parser recovers, swallows the entries after it; read entry by entry, the good ones are still there.
  const salvaged = salvageEntries(text, ctx, feed?.items.length ?? 0);
  if (salvaged) feed = salvaged;
  if (!feed) throw failure;
  // Atom requires only `updated`, and many feeds give nothing else; for ordering a digest it is the publication date.
  for (const item of feed.items) item.published ??= item.updated;
  return feed;
}

function readAndAdapt(text: string, ctx: AdapterContext): ParsedFeed {
  const parsed = readFeed(text);
  try {
    return parsed.feed === null ? emptyFeed(parsed.format) : adapt(parsed, ctx);
  } catch (error) {
    // Adapters only read feedsmith's typed output; this is a bug guard that keeps the one-error-type contract.
    throw new FeedParseError(`Unreadable feed: ${oneLine(error)}`, { cause: error });
  }
}

/** Entries read one at a time at most: a feed carries tens, rarely hundreds. */
const MAX_SALVAGED_ENTRIES = 2000;
/** Characters parsed in all when reading entry by entry (each with the channel's head): bounds the work. */
const SALVAGE_BUDGET = 32_000_000;

/**
 * Reads each entry of an XML feed on its own, after the channel's head (its language and base still apply), when
 * the document has more entry tags than the whole-document parse gave items. Returns the feed with every entry that
 * reads, or null when that gives no more items than `have` (or the channel's head itself does not read).
 */
function salvageEntries(text: string, ctx: AdapterContext, have: number): ParsedFeed | null {
  const format = detectFeedFormat(text);
  if (format === null || format === 'json') return null;
  const spans = entrySpans(text, format === 'atom' ? 'entry' : 'item', MAX_SALVAGED_ENTRIES);
  if (spans.length <= have) return null;
  const head = text.slice(0, spans[0]?.start ?? 0);
  const size = spans.reduce((sum, span) => sum + head.length + (span.end - span.start), 0);
  if (size > SALVAGE_BUDGET) return null;
  let channel: ParsedFeed;
  try {
    channel = readAndAdapt(head + closingTags(head), ctx);
  } catch {
    return null;
  }
  const items: FeedItem[] = [];
  for (const span of spans) {
    const entry = head + text.slice(span.start, span.end);
    try {
      items.push(...readAndAdapt(entry + closingTags(entry), ctx).items);
    } catch {
      // this entry is the broken one
    }
  }
  return items.length > have ? { ...channel, items } : null;
}

/** Feedsmith's parse, or `feed: null` for a well-formed feed holding nothing feedsmith reads. */
type ReadFeed = AnyFeed | { format: FeedFormat; feed: null };

function readFeed(text: string): ReadFeed {
  const format = detectFeedFormat(text);
  if (format === 'json') return readJsonFeed(text);
  try {
    return parseXmlFeed(text, format);
  } catch (error) {
    if (!(error instanceof MalformedError)) throw new FeedParseError(describe(error, text), { cause: error });
    // Bare `&`/`<` first, then a cut-off download; each only when the one before did not do.
    const repaired = repairXml(text);
    for (const candidate of [repaired, closeTruncatedXml(repaired)]) {
      if (candidate === text) continue;
      try {
        const read = parseXmlFeed(candidate, detectFeedFormat(candidate));
        // A repair that leaves nothing to read salvaged nothing: the feed as published is what is wrong.
        if (read.feed !== null) return read;
      } catch {
        // Report the first error: it names what is wrong with the feed as published.
      }
    }
    throw new FeedParseError(describe(error, text), { cause: error });
  }
}

function parseXmlFeed(text: string, format: FeedFormat | null): ReadFeed {
  try {
    if (format === 'rss') return { format, feed: parseRssFeed(text) };
    if (format === 'atom') return { format, feed: parseAtomFeed(text) };
    if (format === 'rdf') return { format, feed: parseRdfFeed(text) };
  } catch (error) {
    // Well-formed, with the right root, but no element feedsmith keeps (an empty `<channel/>` stub, an Atom 0.3
    // feed giving only `<copyright>`, items made only of custom elements): a feed with nothing in it, not an error.
    if (error instanceof ParseError && format) return { format, feed: null };
    // The root looked right but feedsmith's own detection disagreed (an `<rss>` with no version and no items);
    // its universal parser may still place it.
    if (!(error instanceof DetectError)) throw error;
  }
  return parseAnyFeed(text);
}

function emptyFeed(format: FeedFormat): ParsedFeed {
  return { format, title: null, link: null, language: null, items: [] };
}

function readJsonFeed(text: string): AnyFeed {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FeedParseError(`Invalid JSON: ${oneLine(error)}`, { cause: error });
  }
  try {
    return { format: 'json', feed: parseJsonFeed(json) };
  } catch (error) {
    throw new FeedParseError('Not a JSON Feed: no title with items, version or home_page_url', { cause: error });
  }
}

function adapt(parsed: AnyFeed, ctx: AdapterContext): ParsedFeed {
  switch (parsed.format) {
    case 'rss':
      return adaptRss(parsed.feed, ctx);
    case 'atom':
      return adaptAtom(parsed.feed, ctx);
    case 'rdf':
      return adaptRdf(parsed.feed, ctx);
    case 'json':
      return adaptJson(parsed.feed, ctx);
  }
}

function describe(error: unknown, text: string): string {
  if (error instanceof DetectError) {
    if (
      /^\s*(?:<!doctype\s+html|<(?:html|head|body)[\s>])/i.test(text.slice(0, 2048).replace(/<!--[\s\S]*?-->/g, ''))
    ) {
      return 'Not a feed: the document is an HTML page';
    }
    return 'Not a feed: no <rss>, <rdf:RDF>, <feed> root or JSON Feed object';
  }
  if (error instanceof MalformedError) return `Malformed XML: ${oneLine(error.cause ?? error)}`;
  return `Unreadable feed: ${oneLine(error)}`;
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').trim().slice(0, 200);
}

/**
 * Zone-less dates are KST in a Korean feed and UTC otherwise. The feed's language decides; when it declares none
 * (or junk such as `<language>euc-kr</language>`), a CP949 document or one full of Hangul counts as Korean.
 */
function dateReaderFor(language: string | null, koreanHint: boolean): DateReader {
  const korean = isKoreanLanguage(language) ?? koreanHint;
  const defaultOffset = korean ? '+09:00' : '+00:00';
  return (raw) => (raw ? parseNewsDateUtc(raw, { defaultOffset }) : null);
}

/** True/false for a language tag, null when `language` is missing or not a language tag. */
export function isKoreanLanguage(language: string | null | undefined): boolean | null {
  const tag = language?.trim().toLowerCase();
  if (!tag || !/^[a-z]{2,3}(?:[-_][a-z0-9]{1,8})*$/.test(tag)) return null;
  if (tag.length > 3 && normalizeCharset(tag)) return null;
  return tag === 'ko' || tag === 'kor' || /^ko[-_]/.test(tag);
}

function looksKorean(text: string): boolean {
  const head = text.slice(0, 65536);
  let hangul = 0;
  for (const ch of head) {
    const c = ch.charCodeAt(0);
    if (c >= 0xac00 && c <= 0xd7a3 && ++hangul >= 20) return true;
  }
  return false;
}
