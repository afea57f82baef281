/**
 * Bounds for hostile pages. The extractor gets every page up to the fetch cap (10 MiB), and a DOM parse plus
 * Readability slows down worse than linearly with nesting depth and element count (50,000 nested `<div>`s took
 * 24 s, 300,000 `<span>`s 21 s). One linear scan measures the markup first; a page over budget is read by
 * `flatParagraphs`, a linear tag stripper, and binary data is recognised before any parse.
 */

import { decodeEntities } from './dom.ts';

/** More start tags than this (real news pages have a few thousand) skips the DOM. */
export const MAX_ELEMENTS = 40_000;
/**
 * Deeper nesting than this skips the DOM. Readability's conditional cleaning is cubic in the depth of a chain of
 * wrappers (`<div>` in `<div>` …, no text): 400 levels took 3 s, 800 levels 17 s, 1,900 levels 216 s. Elements
 * the parser closes by itself (`<p>`, `<li>`, `<td>` …) are not counted; the 181 aeb pages stay under 51.
 */
export const MAX_DEPTH = 200;
/** More attributes than this on one element (real pages: tens) skips the DOM. */
export const MAX_ATTRIBUTES = 1_000;

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);
/** Elements a following start tag of their kind closes implicitly: an unclosed run of them never nests. */
const SELF_CLOSING_SIBLINGS = new Set([
  'p',
  'li',
  'dt',
  'dd',
  'option',
  'optgroup',
  'tr',
  'td',
  'th',
  'rb',
  'rt',
  'rp',
]);
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'noscript', 'template', 'xmp']);

export interface MarkupShape {
  elements: number;
  /**
   * Character references (`&lt;`, `&#8217;`) in text: linkedom makes each one a text node of its own (and splits the
   * text around it), so a page of `&lt;`s is a DOM of hundreds of thousands of nodes however few its elements.
   */
  references: number;
  depth: number;
  /** The most attributes on one element. */
  attributes: number;
  /** Characters of a last tag that never closes (`<head <head <head …`). */
  unterminated: number;
}

/** A last tag this long that never closes is garbage; linkedom takes seconds over a megabyte of it. */
const MAX_UNTERMINATED = 65_536;

const ATTRIBUTE = /\s[^\s=>"'/]+\s*=/g;

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** Start tags and the deepest nesting, in one pass; stops counting once both budgets are known to be exceeded. */
export function measureMarkup(html: string): MarkupShape {
  let elements = 0;
  let depth = 0;
  let maxDepth = 0;
  let attributes = 0;
  let unterminated = 0;
  let references = 0;
  let lower: string | null = null;
  // The next `&` at or after the text being counted: it only moves forward, so counting stays linear.
  let amp = html.indexOf('&');
  const countReferences = (from: number, to: number) => {
    while (amp !== -1 && amp < from) amp = html.indexOf('&', amp + 1);
    while (amp !== -1 && amp < to) {
      references++;
      amp = html.indexOf('&', amp + 1);
    }
  };
  let i = html.indexOf('<');
  countReferences(0, i === -1 ? html.length : i);
  while (i !== -1 && i < html.length - 1) {
    const next = html.charCodeAt(i + 1);
    const closing = next === 47; /* / */
    const start = closing ? i + 2 : i + 1;
    if (!isLetter(html.charCodeAt(start))) {
      i = html.indexOf('<', i + 1);
      continue;
    }
    let end = start;
    while (end < html.length && /[\w:-]/.test(html[end] as string)) end++;
    const name = html.slice(start, end).toLowerCase();
    const gt = html.indexOf('>', end);
    if (gt === -1) {
      unterminated = html.length - i;
      break;
    }
    if (closing) {
      if (!SELF_CLOSING_SIBLINGS.has(name)) depth = Math.max(0, depth - 1);
    } else {
      elements++;
      // Only a long tag can hold many attributes; counting them costs one pass over it.
      if (gt - end > 8 * MAX_ATTRIBUTES) {
        attributes = Math.max(attributes, html.slice(end, gt).match(ATTRIBUTE)?.length ?? 0);
      }
      if (!VOID.has(name) && !SELF_CLOSING_SIBLINGS.has(name) && html.charCodeAt(gt - 1) !== 47) {
        depth++;
        if (depth > maxDepth) maxDepth = depth;
      }
      if (RAW_TEXT.has(name)) {
        lower ??= html.toLowerCase();
        const close = lower.indexOf(`</${name}`, gt + 1);
        if (close === -1) break;
        depth = Math.max(0, depth - 1);
        const after = html.indexOf('>', close) + 1 || close + 1;
        i = html.indexOf('<', after);
        countReferences(after, i === -1 ? html.length : i);
        continue;
      }
    }
    if (elements > MAX_ELEMENTS && maxDepth > MAX_DEPTH) break;
    i = html.indexOf('<', gt + 1);
    countReferences(gt + 1, i === -1 ? html.length : i);
  }
  return { elements, depth: maxDepth, attributes, unterminated, references };
}

export function overBudget(shape: MarkupShape): boolean {
  return (
    // a reference is up to two text nodes: itself and the text after it
    shape.elements + 2 * shape.references > MAX_ELEMENTS ||
    shape.depth > MAX_DEPTH ||
    shape.attributes > MAX_ATTRIBUTES ||
    shape.unterminated > MAX_UNTERMINATED
  );
}

/** How much of a text is looked at to tell binary data from text. */
const SAMPLE_CHARS = 65_536;

/**
 * Binary data decoded as text (an image or archive served as `text/html`): control characters and U+FFFD make
 * more than a tenth of it. Text with a few invalid bytes has a few U+FFFD, far below that.
 */
export function isBinaryText(text: string): boolean {
  if (text.length < 64) return false;
  const samples = [0, Math.floor(text.length / 2) - SAMPLE_CHARS / 2, text.length - SAMPLE_CHARS];
  let bad = 0;
  let seen = 0;
  for (const from of new Set(samples.map((s) => Math.max(0, s)))) {
    const to = Math.min(text.length, from + SAMPLE_CHARS);
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0xfffd || (c >= 0x80 && c < 0xa0)) bad++;
    }
    seen += to - from;
  }
  return bad * 10 > seen;
}

const BLOCK_TAG = /^(?:p|div|br|li|h[1-6]|tr|td|th|section|article|blockquote|pre|dd|dt|header|footer|ul|ol|table)$/;
const SKIP_TAG = new Set([
  'head',
  'title',
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'nav',
  'button',
  'select',
  'textarea',
]);

/**
 * Paragraphs of a page without building a DOM: tags removed, block tags ending lines, scripts, styles and
 * navigation skipped. Linear in the input, whatever its nesting.
 */
export function flatParagraphs(html: string): string[] {
  const lower = html.toLowerCase();
  let out = '';
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      out += html.slice(i);
      break;
    }
    out += html.slice(i, lt);
    const gt = html.indexOf('>', lt + 1);
    if (gt === -1) break;
    const m = /^<\/?([a-zA-Z][\w:-]*)/.exec(html.slice(lt, Math.min(gt + 1, lt + 40)));
    const name = m?.[1]?.toLowerCase() ?? '';
    if (SKIP_TAG.has(name) && html[lt + 1] !== '/') {
      const close = lower.indexOf(`</${name}`, gt + 1);
      if (close === -1) break;
      i = (lower.indexOf('>', close) + 1 || html.length) as number;
      continue;
    }
    if (BLOCK_TAG.test(name)) out += '\n';
    i = gt + 1;
  }
  return decodeEntities(out)
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}
