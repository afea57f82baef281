/**
 * The little of the DOM the HTML extractor uses, typed for linkedom (whose documents the project's
 * DOM-less `lib` setting types as `any`), and the conversion of block markup into paragraphs.
 */

import { decodeHTMLStrict } from 'entities';
import { parseHTML } from 'linkedom';
import { normalizeSpace } from '../text/koreanNews.ts';

export interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
  parentNode: DomNode | null;
}

export interface DomElement extends DomNode {
  tagName: string;
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  remove(): void;
}

export interface DomDocument {
  documentElement: DomElement | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

/**
 * linkedom builds no implied `<html>`/`<head>`/`<body>`: a fragment becomes a document whose root is its first
 * element, and an empty one has no root (and `document.body` then throws). Give every input the full skeleton.
 */
export function withSkeleton(html: string): string {
  if (/<html[\s>]/i.test(html) && /<head[\s>]/i.test(html) && /<body[\s>]/i.test(html)) return html;
  // indexOf and bounded patterns only: a page of a million unclosed `<head` must not take quadratic time.
  const lower = html.toLowerCase();
  const htmlTag = lower.search(/<html\b/);
  const htmlTagEnd = htmlTag === -1 ? -1 : lower.indexOf('>', htmlTag);
  const lang = htmlTagEnd === -1 ? undefined : /\blang\s*=\s*["']?([\w-]+)/i.exec(html.slice(htmlTag, htmlTagEnd))?.[1];
  let head = '';
  let rest = html;
  const headTag = lower.search(/<head[\s>]/);
  const headOpenEnd = headTag === -1 ? -1 : lower.indexOf('>', headTag);
  const headClose = headOpenEnd === -1 ? -1 : lower.indexOf('</head', headOpenEnd);
  if (headClose !== -1) {
    head = html.slice(headOpenEnd + 1, headClose);
    const closeEnd = lower.indexOf('>', headClose);
    rest = html.slice(0, headTag) + html.slice(closeEnd === -1 ? html.length : closeEnd + 1);
  }
  const body = rest.replace(/<!doctype[^>]{0,200}>/gi, '').replace(/<\/?(?:html|head|body)\b[^>]{0,500}>/gi, '');
  return `<!DOCTYPE html><html${lang ? ` lang="${lang}"` : ''}><head>${head}</head><body>${body}</body></html>`;
}

/** Parses HTML with linkedom; never throws (a hopeless input gives an empty document). */
export function parseDocument(html: string): DomDocument {
  try {
    const { document } = parseHTML(withSkeleton(html));
    if (document?.documentElement) return document as DomDocument;
  } catch {
    // fall through to an empty document
  }
  return parseHTML('<!DOCTYPE html><html><head></head><body></body></html>').document as DomDocument;
}

const BLOCK = new Set([
  'ADDRESS',
  'ARTICLE',
  'ASIDE',
  'BLOCKQUOTE',
  'BR',
  'CAPTION',
  'DD',
  'DETAILS',
  'DIV',
  'DL',
  'DT',
  'FIELDSET',
  'FIGURE',
  'FOOTER',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'HEADER',
  'HR',
  'LI',
  'MAIN',
  'OL',
  'P',
  'PRE',
  'SECTION',
  'SUMMARY',
  'TABLE',
  'TD',
  'TH',
  'TR',
  'UL',
]);

/** Never article text: scripts, forms and buttons, and photo captions (cleaned away as a whole). */
const SKIP = new Set([
  'BUTTON',
  'CANVAS',
  'FIGCAPTION',
  'FORM',
  'IFRAME',
  'INPUT',
  'NAV',
  'NOSCRIPT',
  'OPTION',
  'SCRIPT',
  'SELECT',
  'STYLE',
  'SVG',
  'TEMPLATE',
  'TEXTAREA',
]);

/**
 * Block elements (and `<br>`) end a paragraph; headings stay as paragraphs; whitespace is normalised.
 */
export function blocksToParagraphs(root: DomNode): string[] {
  const paragraphs: string[] = [];
  let buffer = '';
  const flush = () => {
    const text = normalizeSpace(buffer);
    if (text) paragraphs.push(text);
    buffer = '';
  };
  const walk = (node: DomNode, depth: number) => {
    if (depth > 200) return;
    if (node.nodeType === TEXT_NODE) {
      buffer += node.textContent ?? '';
      return;
    }
    if (node.nodeType !== ELEMENT_NODE) return;
    const name = node.nodeName.toUpperCase();
    if (SKIP.has(name)) return;
    const block = BLOCK.has(name);
    if (block) flush();
    const children = node.childNodes;
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      if (child) walk(child, depth + 1);
    }
    if (block) flush();
  };
  walk(root, 0);
  flush();
  return paragraphs;
}

/** Paragraphs of an HTML fragment (feed item content, a JSON-LD or Next.js body that carries markup). */
export function htmlFragmentToParagraphs(html: string): string[] {
  const body = parseDocument(html).querySelector('body');
  return body ? blocksToParagraphs(body) : [];
}

/** HTML character references with their semicolons (`AT&T` and `?a=1&not=2` stay as written). */
export function decodeEntities(text: string): string {
  return decodeHTMLStrict(text);
}

/**
 * Paragraphs of an article body that may be HTML or plain text (feed item content, JSON-LD `articleBody`):
 * markup goes through `blocksToParagraphs`, plain text is split at line breaks.
 */
export function htmlToParagraphs(text: string): string[] {
  if (/<\/?[a-z][a-z0-9]*\b[^<>]{0,500}>/i.test(text)) return htmlFragmentToParagraphs(text);
  return decodeEntities(text)
    .split(/\r\n?|\n/)
    .map((line) => normalizeSpace(line))
    .filter(Boolean);
}
