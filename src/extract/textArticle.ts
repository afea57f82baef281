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
  stripDateline,
} from '../text/koreanNews.ts';
import { detectLang } from '../text/lang.ts';
import { splitDeck } from './deck.ts';
import { defaultOffsetFor, parseDateLine } from './metaLines.ts';

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

/** One entry per paragraph: blank-line separated blocks, a line each, hard-wrapped lines joined again. */
export function textToParagraphs(text: string): string[] {
  const paragraphs: string[] = [];
  let lastLineLength = 0;
  let inBlock = false;
  for (const raw of text.replace(/^\ufeff/, '').split(/\r\n?|\n/)) {
    const line = normalizeSpace(raw);
    if (!line) {
      inBlock = false;
      continue;
    }
    const prev = paragraphs.at(-1);
    const wrapped =
      inBlock &&
      prev !== undefined &&
      lastLineLength >= WRAP_MIN &&
      lastLineLength <= WRAP_MAX &&
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

function isMetaOrFurniture(line: string, defaultOffset: string): boolean {
  return (
    isBoilerplateLine(line) ||
    parseBylineLine(line) !== undefined ||
    parseDateLine(line, defaultOffset) !== null ||
    isMoreNewsHeading(line) ||
    BARE_URL.test(line)
  );
}

interface Header {
  publishedAt: string | null;
  updatedAt: string | null;
  byline: string | null;
  url: string | null;
}

/** Takes a date, byline or URL from a header line; false when the line is none of them. */
function readHeaderLine(line: string, defaultOffset: string, header: Header): boolean {
  const date = parseDateLine(line, defaultOffset);
  if (date) {
    header.publishedAt ??= date.publishedAt;
    header.updatedAt ??= date.updatedAt;
    if (date.prefix) header.byline ??= parseBylineLine(date.prefix) ?? null;
    return true;
  }
  const byline = parseBylineLine(line);
  if (byline !== undefined) {
    header.byline ??= byline;
    return true;
  }
  if (BARE_URL.test(line)) {
    header.url ??= line;
    return true;
  }
  return isBoilerplateLine(line);
}

function parseStructured(text: string, options: TextArticleOptions): ParsedArticle {
  const lines = textToParagraphs(text);
  if (lines.length === 0) return parsePlain(text, options);
  const textLang = detectLang(text);
  const defaultOffset = defaultOffsetFor(textLang, options.url);

  let titleIndex = lines.findIndex((line) => !isMetaOrFurniture(line, defaultOffset));
  if (titleIndex === -1) titleIndex = 0;
  const title = lines[titleIndex] ?? '';

  const header: Header = { publishedAt: null, updatedAt: null, byline: null, url: null };
  for (const line of lines.slice(0, titleIndex)) readHeaderLine(line, defaultOffset, header);

  let deck: string[] = [];
  let firstDeckIndex = -1;
  let bodyStart = lines.length;
  for (let j = titleIndex + 1; j < lines.length; j++) {
    const line = lines[j] ?? '';
    if (readHeaderLine(line, defaultOffset, header)) continue;
    if (looksLikeBody(line)) {
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

  const bodyLines = lines.slice(bodyStart).filter((line) => !isBodyDateLine(line, defaultOffset, header));
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
    source: cleaned.source ?? options.source ?? null,
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
