/**
 * Articles saved as text from a web page: share buttons, title, date line, sub-headlines (deck), photo
 * captions, body, sign-off and "most read" list, one paragraph a line. Also the plain `Title\n\nBody…` form.
 */

import type { ParsedArticle } from '../model.ts';
import {
  cleanParagraphs,
  isBoilerplateLine,
  isCaptionParagraph,
  isMoreNewsHeading,
  normalizeSpace,
  parseBylineLine,
  sourceFromSignOff,
  stripDateline,
} from '../text/koreanNews.ts';
import { detectLang } from '../text/lang.ts';
import { splitDeck } from './deck.ts';
import { defaultOffsetFor, parseDateLine } from './metaLines.ts';
import { isChromeLine, isTailHeading, outletName } from './pageChrome.ts';

export interface TextArticleOptions {
  /** The page's address, when the caller knows it. */
  url?: string | null;
  /** Publisher name to use when the text names none. */
  source?: string | null;
}

/** A deck line is short; a longer line is body text. */
const DECK_MAX_CHARS = 100;
/** More short lines than this under the title are a list, not a deck. */
const DECK_MAX_LINES = 5;
/** Lines of a hard-wrapped text are this long; a web page saved as text has one paragraph a line. */
const WRAP_MIN = 50;
const WRAP_MAX = 100;

const SENTENCE_END = /[.。]["'”’)\]]*$/;
const SHORT_QUESTION_END = /[?!]["'”’)\]]*$/;
const BARE_URL = /^https?:\/\/\S+$/;

export function parseTextArticle(text: string, options: TextArticleOptions = {}): ParsedArticle {
  try {
    return parseStructured(typeof text === 'string' ? text : '', options);
  } catch {
    return parsePlain(typeof text === 'string' ? text : '', options);
  }
}

/**
 * One entry per paragraph: blank-line separated blocks, a line each, hard-wrapped lines joined again. A line is
 * wrapped when the next line's first word would not have fitted on it (the text's widest line up to WRAP_MAX
 * sets the width), so a headline above a deck or a byline stays a line of its own.
 */
export function textToParagraphs(text: string): string[] {
  const lines = text
    .replace(/^\ufeff/, '')
    .split(/\r\n?|\n/)
    .map((raw) => normalizeSpace(raw));
  let width = 0;
  for (const line of lines) if (line.length <= WRAP_MAX && line.length > width) width = line.length;
  const paragraphs: string[] = [];
  let lastLineLength = 0;
  let inBlock = false;
  for (const line of lines) {
    if (!line) {
      inBlock = false;
      continue;
    }
    const prev = paragraphs.at(-1);
    const firstWord = line.split(' ', 1)[0] ?? '';
    const wrapped =
      inBlock &&
      prev !== undefined &&
      lastLineLength >= WRAP_MIN &&
      lastLineLength <= WRAP_MAX &&
      lastLineLength + 1 + firstWord.length > width &&
      !/[.!?。:"”'’)\]]$/.test(prev) &&
      !/^[•·▪■□◦‣∙●○*-]/.test(line);
    if (wrapped) paragraphs[paragraphs.length - 1] = `${prev} ${line}`;
    else paragraphs.push(line);
    lastLineLength = line.length;
    inBlock = true;
  }
  return paragraphs;
}

function looksLikeBody(line: string): boolean {
  if (line.length > DECK_MAX_CHARS) return true;
  if (SENTENCE_END.test(line)) return true;
  if (SHORT_QUESTION_END.test(line) && line.length >= 60) return true;
  return stripDateline(line).dateline !== null || isCaptionParagraph(line) || isMoreNewsHeading(line);
}

/** How far into the file the headline is looked for. */
const HEADER_MAX_LINES = 60;
/** Short lines (sections, logos) allowed between a meta line and the headline above it. */
const MAX_SKIPPED_SHORT = 2;
/** `Kate Park`: a name alone, a byline when it stands next to the date line. */
const ENGLISH_PERSON = /^\p{Lu}[\p{L}'’.-]+(?:\s+\p{Lu}[\p{L}'’.-]+){1,3}$/u;
/** `By Jess Weatherbed, a news writer focused on …`. */
const BYLINE_WITH_BIO =
  /^By\s+(\p{Lu}[\p{L}'’.-]+(?:\s+\p{Lu}[\p{L}'’.-]+){0,3}(?:\s+(?:and|&)\s+\p{Lu}[\p{L}'’.-]+(?:\s+\p{Lu}[\p{L}'’.-]+){0,3})?),\s+(?:a|an|the)\s.{0,200}$/u;
/** Widgets printed after a reporter's name: `정하늘 기자 구독`, `홍길동 기자 기자 페이지`. */
const BYLINE_WIDGETS = /\s+(?:구독(?:하기|중)?|기자\s?(?:페이지|프로필|구독)|다른\s?기사\s?보기|\+\s?구독)$/;
/** The end of the article: a copyright line or a wire's sign-off. */
const END_OF_ARTICLE = /ⓒ|©|\(c\)|copyright|무단\s?(?:전재|복제|배포)|재배포\s?금지|all rights reserved|공감언론/i;

/**
 * `SEOUL, South Korea (AP) — `: a wire dateline with the country after the city, which the shared cleanup leaves
 * in place (the aeb ground truth keeps AP datelines on pages); saved text drops it like the other datelines.
 */
const REGIONAL_WIRE_DATELINE =
  /^([A-Z][A-Z .'-]{1,30}),\s*[A-Z][A-Za-z .'-]{1,30}?\s*(\((?:AP|Reuters|AFP|Bloomberg|Yonhap|UPI|Kyodo|Xinhua|dpa)\)\s*(?:-{1,2}|—|–)\s*)/;

/** A reporter line in a header, in the shapes portals and English sites print. */
function headerByline(line: string): string | null | undefined {
  const byline = parseBylineLine(line);
  if (byline !== undefined) return byline;
  const bio = BYLINE_WITH_BIO.exec(line);
  if (bio) return normalizeSpace(bio[1] ?? '') || null;
  const widgets = line.replace(BYLINE_WIDGETS, '');
  if (widgets === line) return undefined;
  return parseBylineLine(widgets) || undefined;
}

type LineKind = 'date' | 'byline' | 'chrome' | 'body' | 'headline' | 'short';

function isHeadlineLike(line: string): boolean {
  return line.length >= 16 || (line.length >= 10 && /\s/.test(line));
}

function classify(line: string, defaultOffset: string): LineKind {
  if (line.length <= 160 && parseDateLine(line, defaultOffset)) return 'date';
  if (headerByline(line) !== undefined) return 'byline';
  if (isChromeLine(line) || isMoreNewsHeading(line) || BARE_URL.test(line) || outletName(line)) return 'chrome';
  if (looksLikeBody(line)) return 'body';
  return isHeadlineLike(line) ? 'headline' : 'short';
}

/**
 * The headline is the first line of the headline-like block just above a meta line (date, byline) or the body;
 * navigation above it is short (sections, logos) and ends the block. Several meta lines are tried in turn,
 * since some sites print a date above the section links.
 */
function findTitleIndex(kinds: readonly LineKind[]): number {
  const limit = Math.min(kinds.length, HEADER_MAX_LINES);
  for (let anchor = 1; anchor < limit; anchor++) {
    const kind = kinds[anchor];
    if (kind !== 'date' && kind !== 'byline' && kind !== 'body') continue;
    let first = -1;
    let skipped = 0;
    for (let j = anchor - 1; j >= 0; j--) {
      const k = kinds[j];
      if (k === 'date' || k === 'byline' || k === 'chrome') continue;
      if (k === 'headline') {
        first = j;
        continue;
      }
      if (first !== -1 || k === 'body' || ++skipped > MAX_SKIPPED_SHORT) break;
    }
    if (first !== -1) return first;
    if (kind === 'body') break;
  }
  const index = kinds.findIndex((k) => k !== 'date' && k !== 'byline' && k !== 'chrome');
  return index === -1 ? 0 : index;
}

interface Header {
  publishedAt: string | null;
  updatedAt: string | null;
  byline: string | null;
  url: string | null;
  source: string | null;
}

/** Takes a date, byline, URL or outlet from a header line; false when the line is none of them nor chrome. */
function readHeaderLine(line: string, defaultOffset: string, header: Header): boolean {
  const date = parseDateLine(line, defaultOffset);
  if (date) {
    header.publishedAt ??= date.publishedAt;
    header.updatedAt ??= date.updatedAt;
    if (date.prefix) header.byline ??= parseBylineLine(date.prefix) ?? null;
    return true;
  }
  const byline = headerByline(line);
  if (byline !== undefined) {
    header.byline ??= byline;
    return true;
  }
  if (BARE_URL.test(line)) {
    header.url ??= line;
    return true;
  }
  const outlet = outletName(line);
  if (outlet) {
    header.source ??= outlet;
    return true;
  }
  return isChromeLine(line) || isMoreNewsHeading(line);
}

/** A date or a reporter (not a tail e-mail line) among the next few lines: the header goes on. */
function headerContinues(lines: readonly string[], from: number, defaultOffset: string): boolean {
  for (let k = from; k < Math.min(lines.length, from + 3); k++) {
    const line = lines[k] ?? '';
    if (line.includes('@')) return false;
    if (parseDateLine(line, defaultOffset) || headerByline(line)) return true;
  }
  return false;
}

function isDateNeighbour(lines: readonly string[], j: number, defaultOffset: string): boolean {
  return [lines[j - 1], lines[j + 1]].some((line) => line !== undefined && parseDateLine(line, defaultOffset) !== null);
}

/**
 * The body lines up to the end of the article: chrome is dropped, and a copyright line, a sign-off or a tail
 * heading (`관련 키워드`, `Our Standards: …`) after the first paragraph ends it. Returns the publisher such a
 * last line names.
 */
function cutTail(lines: readonly string[]): { lines: string[]; source: string | null } {
  const kept: string[] = [];
  let source: string | null = null;
  let seenBody = false;
  for (const line of lines) {
    if (seenBody && isBoilerplateLine(line) && END_OF_ARTICLE.test(line)) {
      source = sourceFromSignOff(line);
      break;
    }
    if (seenBody && isTailHeading(line)) break;
    if (!isMoreNewsHeading(line) && isChromeLine(line) && !isBoilerplateLine(line)) continue;
    kept.push(line);
    if (!isBoilerplateLine(line) && parseBylineLine(line) === undefined && !isCaptionParagraph(line)) seenBody = true;
  }
  return { lines: kept, source };
}

function parseStructured(text: string, options: TextArticleOptions): ParsedArticle {
  const lines = textToParagraphs(text);
  if (lines.length === 0) return parsePlain(text, options);
  const textLang = detectLang(text);
  const defaultOffset = defaultOffsetFor(textLang, options.url);

  const kinds = lines.slice(0, HEADER_MAX_LINES).map((line) => classify(line, defaultOffset));
  const titleIndex = findTitleIndex(kinds);
  const title = lines[titleIndex] ?? '';

  const header: Header = { publishedAt: null, updatedAt: null, byline: null, url: null, source: null };
  for (const line of lines.slice(0, titleIndex)) readHeaderLine(line, defaultOffset, header);

  let deck: string[] = [];
  let firstDeckIndex = -1;
  let bodyStart = lines.length;
  for (let j = titleIndex + 1; j < lines.length; j++) {
    const line = lines[j] ?? '';
    if (readHeaderLine(line, defaultOffset, header)) continue;
    if (ENGLISH_PERSON.test(line) && isDateNeighbour(lines, j, defaultOffset)) {
      header.byline ??= line;
      continue;
    }
    // A deck that ends in a full stop, with the byline or date still to come (`The feature is cleared …`).
    const sentenceDeck =
      j <= titleIndex + 2 &&
      line.length <= 2 * DECK_MAX_CHARS &&
      stripDateline(line).dateline === null &&
      headerContinues(lines, j + 1, defaultOffset);
    if (looksLikeBody(line) && !sentenceDeck) {
      bodyStart = j;
      break;
    }
    if (firstDeckIndex === -1) firstDeckIndex = j;
    deck.push(line);
  }
  // A long run of short lines, or short lines with nothing after them, are the body itself.
  if (firstDeckIndex !== -1 && (deck.length > DECK_MAX_LINES || bodyStart === lines.length)) {
    bodyStart = firstDeckIndex;
    deck = [];
  }

  const tail = cutTail(lines.slice(bodyStart).map((line) => line.replace(REGIONAL_WIRE_DATELINE, '$1 $2')));
  const bodyLines = tail.lines.filter((line) => !isBodyDateLine(line, defaultOffset, header));
  const cleaned = cleanParagraphs(bodyLines);
  let paragraphs = cleaned.paragraphs;
  if (paragraphs[0] === title) paragraphs = paragraphs.slice(1);
  if (deck.length === 0) {
    const split = splitDeck(paragraphs, cleaned.datelineIndex - (cleaned.paragraphs.length - paragraphs.length));
    deck = split.deck;
    paragraphs = split.paragraphs;
  }

  const bodyLang = detectLang(`${title}\n${paragraphs.join('\n')}`);
  return {
    title,
    deck,
    paragraphs,
    byline: header.byline ?? cleaned.byline,
    source: cleaned.source ?? tail.source ?? header.source ?? options.source ?? null,
    publishedAt: header.publishedAt,
    updatedAt: header.updatedAt,
    lang: bodyLang === 'und' ? textLang : bodyLang,
    url: options.url ?? header.url,
  };
}

/** A date line inside the body (portals print `입력 …` below the photos): read it, then drop it. */
function isBodyDateLine(line: string, defaultOffset: string, header: Header): boolean {
  if (line.length > 80) return false;
  const date = parseDateLine(line, defaultOffset);
  if (!date) return false;
  header.publishedAt ??= date.publishedAt;
  header.updatedAt ??= date.updatedAt;
  return true;
}

/** The last resort: first non-empty line as the title, the other lines as the body. */
function parsePlain(text: string, options: TextArticleOptions): ParsedArticle {
  const lines = text
    .split(/\r\n?|\n/)
    .map((line) => normalizeSpace(line))
    .filter(Boolean);
  const title = lines[0] ?? '';
  const paragraphs = lines.slice(1);
  return {
    title,
    deck: [],
    paragraphs,
    byline: null,
    source: options.source ?? null,
    publishedAt: null,
    updatedAt: null,
    lang: detectLang(text),
    url: options.url ?? null,
  };
}
