/**
 * Article metadata from schema.org JSON-LD (`NewsArticle`, `Article`, `ReportageNews` …, also inside `@graph`
 * arrays) and the article body carried by a Next.js `__NEXT_DATA__` payload.
 */

import { normalizeSpace } from '../text/koreanNews.ts';
import type { DomDocument } from './dom.ts';

const ARTICLE_TYPES = new Set([
  'Article',
  'NewsArticle',
  'ReportageNews',
  'AnalysisNewsArticle',
  'BackgroundNewsArticle',
  'OpinionNewsArticle',
  'ReviewNewsArticle',
  'AskPublicNewsArticle',
  'TechArticle',
  'BlogPosting',
  'LiveBlogPosting',
  'Report',
]);

export interface JsonLdArticle {
  headline: string | null;
  alternativeHeadline: string | null;
  author: string | null;
  datePublished: string | null;
  dateModified: string | null;
  articleBody: string | null;
  publisher: string | null;
  url: string | null;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON as pages really embed it: raw newlines and tabs inside strings, HTML comments around it. */
export function parseLooseJson(text: string): Json | undefined {
  const trimmed = text
    .trim()
    .replace(/^<!--|-->$/g, '')
    .replace(/^\s*\/\/\s*<!\[CDATA\[|\/\/\s*\]\]>\s*$/g, '')
    .trim();
  if (!trimmed) return undefined;
  try {
    return JSON.parse(trimmed) as Json;
  } catch {
    try {
      return JSON.parse(escapeControlCharacters(trimmed)) as Json;
    } catch {
      return undefined;
    }
  }
}

/** Raw line breaks and tabs are invalid inside JSON strings; pages put them there anyway. Escape them. */
function escapeControlCharacters(json: string): string {
  let out = '';
  let inString = false;
  let escaped = false;
  for (const ch of json) {
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      else if (ch < ' ') {
        out += ch === '\n' ? '\\n' : ch === '\r' ? '\\r' : ch === '\t' ? '\\t' : ' ';
        continue;
      }
    } else if (ch === '"') inString = true;
    out += ch;
  }
  return out;
}

function typesOf(node: JsonObject): string[] {
  const type = node['@type'];
  const list = Array.isArray(type) ? type : [type];
  return list.filter((t): t is string => typeof t === 'string').map((t) => t.replace(/^.*[/#:]/, ''));
}

/** Every object in the JSON-LD value, depth-first (arrays, `@graph`, `mainEntity` and other nesting). */
function* objects(value: Json | undefined, depth = 0): Generator<JsonObject> {
  if (depth > 8 || value === undefined || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) yield* objects(item, depth + 1);
    return;
  }
  if (!isObject(value)) return;
  yield value;
  for (const key of ['@graph', 'mainEntity', 'mainEntityOfPage', 'itemListElement', 'item']) {
    if (key in value) yield* objects(value[key], depth + 1);
  }
}

function text(value: Json | undefined): string | null {
  if (typeof value === 'string') return normalizeSpace(value) || null;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return text(value[0]);
  if (isObject(value)) return text(value['@value'] ?? value.name ?? value['@id']);
  return null;
}

function names(value: Json | undefined): string | null {
  const list = Array.isArray(value) ? value : [value];
  const found = list
    .map((item) => (isObject(item) ? text(item.name) : text(item)))
    .filter((name): name is string => name !== null && !/^https?:\/\//.test(name));
  return found.length ? [...new Set(found)].join(', ') : null;
}

function urlOf(node: JsonObject): string | null {
  const url = text(node.url);
  if (url) return url;
  const page = node.mainEntityOfPage;
  if (typeof page === 'string') return page;
  if (isObject(page)) return text(page['@id'] ?? page.url);
  return null;
}

/** The first article object in the page's JSON-LD blocks, or null. */
export function readJsonLdArticle(document: DomDocument): JsonLdArticle | null {
  const scripts = document.querySelectorAll('script[type="application/ld+json"]');
  for (let i = 0; i < scripts.length; i++) {
    const parsed = parseLooseJson(scripts[i]?.textContent ?? '');
    for (const node of objects(parsed)) {
      if (!typesOf(node).some((type) => ARTICLE_TYPES.has(type))) continue;
      const body = node.articleBody;
      return {
        headline: text(node.headline) ?? text(node.name),
        alternativeHeadline: text(node.alternativeHeadline),
        author: names(node.author) ?? names(node.creator),
        datePublished: text(node.datePublished) ?? text(node.dateCreated),
        dateModified: text(node.dateModified),
        articleBody: typeof body === 'string' && body.trim() ? body : null,
        publisher: names(node.publisher) ?? names(node.sourceOrganization),
        url: urlOf(node),
      };
    }
  }
  return null;
}

const BODY_KEYS =
  /^(?:articleBody|body|bodyHtml|bodyText|content|contentHtml|contentText|html|text|articleContent|story)$/i;
const MIN_NEXT_BODY = 200;
const MAX_NODES = 50_000;

/** The longest article-body-like string (under a key such as `body` or `contentHtml`) in a JSON value, or null. */
export function longestBodyString(data: Json | undefined): string | null {
  if (data === undefined) return null;
  let best: string | null = null;
  let visited = 0;
  const stack: Json[] = [data];
  while (stack.length > 0 && visited++ < MAX_NODES) {
    const value = stack.pop();
    if (Array.isArray(value)) stack.push(...value.slice(0, MAX_NODES));
    else if (isObject(value)) {
      for (const [key, child] of Object.entries(value)) {
        if (typeof child === 'string') {
          if (BODY_KEYS.test(key) && child.length >= MIN_NEXT_BODY && child.length > (best?.length ?? 0)) best = child;
        } else if (child !== null && typeof child === 'object') stack.push(child);
      }
    }
  }
  return best;
}

/** The longest article-body-like string in a Next.js `__NEXT_DATA__` payload, or null. */
export function readNextDataBody(document: DomDocument): string | null {
  const script = document.querySelector('script#__NEXT_DATA__');
  return longestBodyString(parseLooseJson(script?.textContent ?? ''));
}
