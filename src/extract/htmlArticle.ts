/**
 * Saved HTML pages: Readability (on linkedom) finds the article, JSON-LD / OpenGraph / `<meta>` give the
 * metadata, and the shared Korean news cleanup removes what Readability keeps (datelines, captions, share
 * buttons, sign-offs, "most read" lists). Falls back to JSON-LD `articleBody`, a Next.js `__NEXT_DATA__`
 * body, the App Router's `self.__next_f` payloads, a hydration blob, then all `<p>` text when Readability finds
 * nothing. The page is parsed once (Readability works on the same document after the metadata is read; only a
 * fallback parses again), and a page over the markup budget (src/extract/budget.ts) is read without a DOM.
 */

import { Readability } from '@mozilla/readability';
import type { Lang, ParsedArticle } from '../model.ts';
import { parseNewsDate } from '../text/dates.ts';
import { type CleanedParagraphs, cleanParagraphs, normalizeSpace } from '../text/koreanNews.ts';
import { detectLang } from '../text/lang.ts';
import { flatParagraphs, isBinaryText, measureMarkup, overBudget } from './budget.ts';
import { splitDeck } from './deck.ts';
import { blocksToParagraphs, type DomDocument, type DomNode, htmlToParagraphs, parseDocument } from './dom.ts';
import { type JsonLdArticle, readJsonLdArticle, readNextDataBody } from './jsonLd.ts';
import { defaultOffsetFor, parseDateLine } from './metaLines.ts';
import { flightBodyString, flightToHtml, readFlightData, readHydrationBody } from './scriptBodies.ts';

export interface HtmlArticleOptions {
  /** The page's address: the base for a relative canonical link, and the URL when the page names none. */
  url?: string | null;
}

/** Less cleaned text than this means the extractor found no article. */
const MIN_BODY_CHARS = 120;
/** Structured data this many times longer than Readability's text means Readability found a teaser only. */
const TEASER_RATIO = 2;

interface PageMeta {
  title: string | null;
  siteName: string | null;
  author: string | null;
  publishedTime: string | null;
  modifiedTime: string | null;
  canonical: string | null;
  ogUrl: string | null;
  htmlLang: string | null;
  documentTitle: string | null;
  h1: string | null;
}

interface ReadabilityResult {
  title: string | null;
  byline: string | null;
  siteName: string | null;
  publishedTime: string | null;
  paragraphs: string[];
}

export function extractHtmlArticle(html: string, options: HtmlArticleOptions = {}): ParsedArticle {
  try {
    return extract(typeof html === 'string' ? html : '', options);
  } catch {
    return emptyArticle(options);
  }
}

function emptyArticle(options: HtmlArticleOptions): ParsedArticle {
  return {
    title: '',
    deck: [],
    paragraphs: [],
    byline: null,
    source: null,
    publishedAt: null,
    updatedAt: null,
    lang: 'und',
    url: resolveUrl(null, options.url),
  };
}

/** A page over the markup budget: the title from `<title>`, the body from a linear tag stripper. */
function extractFlat(html: string, options: HtmlArticleOptions): ParsedArticle {
  const head = html.slice(0, 65_536);
  const title = normalizeSpace(/<title[^>]{0,200}>([^<]{0,500})</i.exec(head)?.[1] ?? '');
  const body = cleanParagraphs(flatParagraphs(html));
  const lang = detectLang(`${title}\n${body.paragraphs.join('\n')}`);
  return {
    ...emptyArticle(options),
    title,
    paragraphs: body.paragraphs,
    byline: body.byline,
    source: body.source,
    lang,
  };
}

function extract(html: string, options: HtmlArticleOptions): ParsedArticle {
  if (isBinaryText(html)) return emptyArticle(options);
  if (overBudget(measureMarkup(html))) return extractFlat(html, options);
  const document = parseDocument(html);
  const meta = readPageMeta(document);
  const jsonLd = readJsonLdArticle(document);
  // Readability rewrites the document it gets; the fallbacks that read scripts parse the page again.
  const readable = runReadability(document);
  const reparsed = lazy(() => parseDocument(html));

  const siteName = jsonLd?.publisher ?? meta.siteName ?? readable?.siteName ?? null;
  const title =
    jsonLd?.headline ??
    stripSiteName(meta.title, siteName) ??
    stripSiteName(readable?.title ?? null, siteName) ??
    stripSiteName(meta.documentTitle, siteName) ??
    meta.h1 ??
    '';

  const dateLines: string[] = [];
  const prepare = (paragraphs: string[]) => cleanParagraphs(dropTitleAndDateLines(paragraphs, title, dateLines));
  const body = chooseBody(reparsed, readable, jsonLd, prepare);

  const textLang = detectLang(`${title}\n${body.paragraphs.join('\n')}`);
  const lang = textLang !== 'und' ? textLang : langFromAttribute(meta.htmlLang);
  const url =
    resolveUrl(meta.canonical, options.url) ??
    resolveUrl(meta.ogUrl, options.url) ??
    resolveUrl(jsonLd?.url ?? null, options.url) ??
    resolveUrl(null, options.url);
  const defaultOffset = defaultOffsetFor(lang === 'und' && meta.htmlLang?.startsWith('ko') ? 'ko' : lang, url);
  const date = (...values: (string | null | undefined)[]) => {
    for (const value of values) {
      const parsed = parseNewsDate(value, { defaultOffset });
      if (parsed) return parsed;
    }
    return null;
  };

  const bodyDates = dateLines.map((line) => parseDateLine(line, defaultOffset));
  const bodyDate = (key: 'publishedAt' | 'updatedAt') => bodyDates.find((d) => d?.[key])?.[key] ?? null;

  const alternative = jsonLd?.alternativeHeadline;
  const { deck, paragraphs } =
    alternative && alternative !== title
      ? { deck: [alternative], paragraphs: body.paragraphs.filter((p) => p !== alternative) }
      : splitDeck(body.paragraphs, body.datelineIndex);

  return {
    title,
    deck,
    paragraphs,
    byline: pickByline([jsonLd?.author, body.byline, meta.author, readable?.byline], siteName),
    source: siteName ?? body.source,
    publishedAt: date(jsonLd?.datePublished, meta.publishedTime, readable?.publishedTime) ?? bodyDate('publishedAt'),
    updatedAt: date(jsonLd?.dateModified, meta.modifiedTime) ?? bodyDate('updatedAt'),
    lang,
    url,
  };
}

function lazy<T>(make: () => T): () => T {
  let value: { v: T } | null = null;
  return () => {
    value ??= { v: make() };
    return value.v;
  };
}

function chooseBody(
  document: () => DomDocument,
  readable: ReadabilityResult | null,
  jsonLd: JsonLdArticle | null,
  prepare: (paragraphs: string[]) => CleanedParagraphs,
): CleanedParagraphs {
  const fromReadability = prepare(readable?.paragraphs ?? []);
  const fromJsonLd = jsonLd?.articleBody ? prepare(htmlToParagraphs(jsonLd.articleBody)) : null;
  const readableChars = charCount(fromReadability);
  if (readableChars >= MIN_BODY_CHARS && !(fromJsonLd && charCount(fromJsonLd) > TEASER_RATIO * readableChars)) {
    return fromReadability;
  }
  const fallbacks: (() => CleanedParagraphs | null)[] = [
    () => fromJsonLd,
    () => {
      const next = readNextDataBody(document());
      return next ? prepare(htmlToParagraphs(next)) : null;
    },
    () => {
      const flight = readFlightData(document());
      if (!flight) return null;
      const tree = runReadability(parseDocument(`<html><head></head><body>${flightToHtml(flight)}</body></html>`));
      const fromTree = prepare(tree?.paragraphs ?? []);
      if (charCount(fromTree) >= MIN_BODY_CHARS) return fromTree;
      const text = flightBodyString(flight);
      return text ? prepare(htmlToParagraphs(text)) : fromTree;
    },
    () => {
      const blob = readHydrationBody(document());
      return blob ? prepare(htmlToParagraphs(blob)) : null;
    },
    () => prepare(allParagraphText(document())),
  ];
  let best = fromReadability;
  for (const fallback of fallbacks) {
    const candidate = fallback();
    if (!candidate) continue;
    if (charCount(candidate) >= MIN_BODY_CHARS) return candidate;
    if (charCount(candidate) > charCount(best)) best = candidate;
  }
  return best;
}

function charCount(body: CleanedParagraphs): number {
  return body.paragraphs.reduce((sum, p) => sum + p.length, 0);
}

function runReadability(document: DomDocument): ReadabilityResult | null {
  try {
    for (const node of Array.from(document.querySelectorAll('figcaption, script:not([type="application/ld+json"])'))) {
      node.remove();
    }
    const reader = new Readability<DomNode>(document, { serializer: (node) => node as DomNode });
    const result = reader.parse();
    if (!result) return null;
    return {
      title: clean(result.title),
      byline: clean(result.byline),
      siteName: clean(result.siteName),
      publishedTime: clean(result.publishedTime),
      paragraphs: result.content ? blocksToParagraphs(result.content) : [],
    };
  } catch {
    return null;
  }
}

/** Every `<p>` outside navigation, header, footer and asides. */
function allParagraphText(document: DomDocument): string[] {
  const paragraphs: string[] = [];
  const nodes = document.querySelectorAll('p');
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    if (!node || hasAncestor(node, /^(?:NAV|HEADER|FOOTER|ASIDE|FORM|FIGCAPTION)$/)) continue;
    const text = normalizeSpace(node.textContent ?? '');
    if (text) paragraphs.push(text);
  }
  return paragraphs;
}

function hasAncestor(node: DomNode, names: RegExp): boolean {
  for (let parent = node.parentNode; parent; parent = parent.parentNode) {
    if (names.test(parent.nodeName.toUpperCase())) return true;
  }
  return false;
}

/** Drops repeats of the title and date lines (`입력 2024.02.27 17:38`) that Readability keeps; collects the latter. */
function dropTitleAndDateLines(paragraphs: string[], title: string, dateLines: string[]): string[] {
  const normalizedTitle = normalizeSpace(title);
  return paragraphs.filter((paragraph, index) => {
    if (index < 3 && paragraph === normalizedTitle) return false;
    if (paragraph.length > 100 || !parseDateLine(paragraph, 'Z')) return true;
    dateLines.push(paragraph);
    return false;
  });
}

function readPageMeta(document: DomDocument): PageMeta {
  // One walk over the <meta> elements instead of a selector query per key and attribute (linkedom walks the
  // whole document for each); the first element per attribute and key wins, as querySelector's did.
  const metas = new Map<string, string | null>();
  const elements = document.querySelectorAll('meta');
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i];
    for (const attr of ['property', 'name', 'itemprop']) {
      const key = element?.getAttribute(attr);
      if (key && !metas.has(`${attr}=${key}`)) metas.set(`${attr}=${key}`, element?.getAttribute('content') ?? null);
    }
  }
  const metaContent = (...keys: string[]) => {
    for (const key of keys) {
      for (const attr of ['property', 'name', 'itemprop']) {
        const value = clean(metas.get(`${attr}=${key}`));
        if (value) return value;
      }
    }
    return null;
  };
  const author = metaContent('author', 'article:author', 'byl', 'dc.creator', 'parsely-author', 'sailthru.author');
  return {
    title: metaContent('og:title', 'twitter:title'),
    siteName: metaContent('og:site_name', 'application-name'),
    author: author && !/^https?:\/\//.test(author) ? author : null,
    publishedTime: metaContent(
      'article:published_time',
      'og:article:published_time',
      'datePublished',
      'pubdate',
      'publishdate',
      'parsely-pub-date',
      'sailthru.date',
      'dc.date',
      'date',
    ),
    modifiedTime: metaContent('article:modified_time', 'og:updated_time', 'dateModified', 'last-modified'),
    canonical: clean(document.querySelector('link[rel="canonical"]')?.getAttribute('href')),
    ogUrl: metaContent('og:url'),
    htmlLang: clean(document.documentElement?.getAttribute('lang'))?.toLowerCase() ?? null,
    documentTitle: clean(document.querySelector('title')?.textContent),
    h1: clean(document.querySelector('h1')?.textContent),
  };
}

function clean(value: string | null | undefined): string | null {
  return value ? normalizeSpace(value) || null : null;
}

/** `제목 | 사이트`, `Title - Site`, `Title : Site` → the title alone. */
function stripSiteName(title: string | null, siteName: string | null): string | null {
  if (!title) return null;
  if (!siteName) return title;
  const escaped = siteName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const stripped = title.replace(new RegExp(String.raw`\s*[|\-–—:<·]\s*${escaped}\s*$`, 'i'), '').trim();
  return stripped || title;
}

function pickByline(candidates: (string | null | undefined)[], siteName: string | null): string | null {
  for (const candidate of candidates) {
    const byline = clean(candidate);
    if (byline && byline !== siteName && byline.length <= 120) return byline;
  }
  return null;
}

function langFromAttribute(value: string | null): Lang {
  if (value?.startsWith('ko')) return 'ko';
  if (value?.startsWith('en')) return 'en';
  return 'und';
}

/** Resolves `href` against `base`; only http(s) URLs come out. `href` null resolves `base` itself. */
function resolveUrl(href: string | null, base: string | null | undefined): string | null {
  const target = href ?? base;
  if (!target) return null;
  for (const attempt of [base, undefined]) {
    try {
      const url = attempt ? new URL(target, attempt) : new URL(target);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch {
      // try without the base, then give up
    }
  }
  return null;
}
