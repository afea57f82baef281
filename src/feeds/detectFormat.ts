import type { FeedFormat } from '../model.ts';

/**
 * Names the feed format by the document's root element, or JSON object. Feedsmith's own detection searches the whole
 * text for `<rss`, `<feed` and so on, in that order, so an Atom feed whose CDATA quotes `<rss version="2.0">` (a post
 * about RSS) reads as RSS; the root element cannot be fooled that way.
 */
export function detectFeedFormat(text: string): FeedFormat | null {
  const start = skipProlog(text);
  if (start === -1) return null;
  if (text[start] === '{') return 'json';
  if (text[start] !== '<') return null;
  const m = /^<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(text.slice(start, start + 200));
  const name = m?.[1]?.toLowerCase();
  if (name === 'rss') return 'rss';
  if (name === 'feed') return 'atom';
  if (name === 'rdf') return 'rdf';
  return null;
}

/** Index of the first character after the BOM, XML declaration, processing instructions, comments and DOCTYPE. */
function skipProlog(text: string): number {
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0xfeff || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
      i++;
      continue;
    }
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end === -1) return -1;
      i = end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end === -1) return -1;
      i = end + 3;
    } else if (text.startsWith('<!', i)) {
      i = skipDoctype(text, i);
      if (i === -1) return -1;
    } else {
      return i;
    }
  }
  return -1;
}

/** Skips `<!DOCTYPE …>` including an internal subset in brackets. */
function skipDoctype(text: string, from: number): number {
  const bracket = text.indexOf('[', from);
  const close = text.indexOf('>', from);
  if (close === -1) return -1;
  if (bracket === -1 || bracket > close) return close + 1;
  const subsetEnd = text.indexOf(']', bracket);
  if (subsetEnd === -1) return -1;
  const end = text.indexOf('>', subsetEnd);
  return end === -1 ? -1 : end + 1;
}
