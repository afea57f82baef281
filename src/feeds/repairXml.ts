/**
 * Repairs for the ways real feeds break XML, tried only when the parser has already refused the document:
 * control characters pasted from word processors, a bare `&` in `?a=1&b=2` or `AT&T`, and a bare `<` in `x < y`.
 * CDATA sections and comments are left alone, since `&` and `<` are literal there.
 */

/** Characters XML 1.0 forbids anywhere in a document. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const ILLEGAL_XML_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

export function stripIllegalXmlChars(text: string): string {
  return text.replace(ILLEGAL_XML_CHARS, '');
}

/** `&` that does not start a character or entity reference. */
const BARE_AMPERSAND = /&(?!#\d{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z_][\w.-]{0,31};)/g;
/** `<` that cannot start a tag, comment, CDATA section or processing instruction. */
const BARE_LESS_THAN = /<(?![A-Za-z_/!?])/g;

export function repairXml(text: string): string {
  const clean = stripIllegalXmlChars(text);
  let out = '';
  let i = 0;
  while (i < clean.length) {
    const cdata = clean.indexOf('<![CDATA[', i);
    const comment = clean.indexOf('<!--', i);
    const next = cdata === -1 ? comment : comment === -1 ? cdata : Math.min(cdata, comment);
    if (next === -1) {
      out += escapeMarkupText(clean.slice(i));
      break;
    }
    out += escapeMarkupText(clean.slice(i, next));
    const isCdata = next === cdata;
    const end = clean.indexOf(isCdata ? ']]>' : '-->', next + (isCdata ? 9 : 4));
    if (end === -1) {
      // An unterminated CDATA section or comment swallows the rest of the feed; close it where the text ends.
      out += `${clean.slice(next)}${isCdata ? ']]>' : '-->'}`;
      break;
    }
    const stop = end + 3;
    out += clean.slice(next, stop);
    i = stop;
  }
  return out;
}

function escapeMarkupText(text: string): string {
  return text.replace(BARE_AMPERSAND, '&amp;').replace(BARE_LESS_THAN, '&lt;');
}

/** The feed's root element closing at the very end: the document is complete, whatever else is wrong with it. */
const ROOT_END = /<\/(?:[\w.-]+:)?(?:rss|feed|rdf)\s*>\s*$/i;
const ENTRY_END = /<\/(?:[\w.-]+:)?(?:item|entry)\s*>/gi;

/**
 * A feed cut off mid-download (a dropped connection, or the fetcher's size cap) still holds its first entries.
 * Keeps everything up to the last complete `</item>` or `</entry>` (or the last complete tag when there is none) and
 * closes the elements still open there. Returns the text unchanged when its root element is closed.
 */
export function closeTruncatedXml(text: string): string {
  if (ROOT_END.test(text.slice(-200))) return text;
  let cut = -1;
  for (const m of text.matchAll(ENTRY_END)) cut = m.index + m[0].length;
  if (cut === -1) cut = text.lastIndexOf('>') + 1;
  if (cut <= 0) return text;
  const prefix = text.slice(0, cut);
  const open = openElements(prefix);
  if (!open.length) return text;
  return `${prefix}${open
    .reverse()
    .map((name) => `</${name}>`)
    .join('')}`;
}

/** Names of the elements still open at the end of `xml`, outermost first. One pass, `indexOf` only: linear. */
function openElements(xml: string): string[] {
  const open: string[] = [];
  let i = xml.indexOf('<');
  while (i !== -1) {
    let end: number;
    if (xml.startsWith('<![CDATA[', i)) end = endOf(xml, ']]>', i + 9);
    else if (xml.startsWith('<!--', i)) end = endOf(xml, '-->', i + 4);
    else if (xml.startsWith('<?', i)) end = endOf(xml, '?>', i + 2);
    else {
      end = endOf(xml, '>', i + 1);
      if (end === -1) break;
      const tag = xml.slice(i + 1, end - 1);
      const name = /^\/?\s*([^\s/<>!?]+)/.exec(tag)?.[1];
      if (name && tag.startsWith('/')) {
        const at = open.lastIndexOf(name);
        if (at !== -1) open.length = at;
      } else if (name && !tag.startsWith('!') && !tag.endsWith('/')) {
        open.push(name);
      }
    }
    if (end === -1) break;
    i = xml.indexOf('<', end);
  }
  return open;
}

/** The end tags that close what is still open at the end of `xml`, innermost first. */
export function closingTags(xml: string): string {
  return openElements(xml)
    .reverse()
    .map((name) => `</${name}>`)
    .join('');
}

/** Where each entry's markup lies: `start` at its start tag, `end` after its end tag (or where the next one starts). */
export interface EntrySpan {
  start: number;
  end: number;
}

/**
 * The entries (`<item>`, `<entry>`) of a feed, found by their tags outside CDATA sections, comments and processing
 * instructions, one pass with `indexOf`. An entry without its end tag ends where the next one starts, or at the
 * root's end tag; one running into the end of a cut-off document is left out (closeTruncatedXml drops it too).
 */
export function entrySpans(xml: string, entryName: 'item' | 'entry', limit: number): EntrySpan[] {
  const startTag = new RegExp(String.raw`^<(?:[\w.-]+:)?${entryName}[\s/>]`, 'i');
  const endTag = new RegExp(String.raw`^<\/(?:[\w.-]+:)?${entryName}\s*>`, 'i');
  const rootEnd = /^<\/(?:[\w.-]+:)?(?:rss|feed|rdf|channel)\s*>/i;
  const spans: EntrySpan[] = [];
  let open = -1;
  let i = xml.indexOf('<');
  while (i !== -1 && spans.length < limit) {
    let skip = -1;
    // An unterminated section hides nothing: the parser refuses it, and the entries after it are still there.
    if (xml.startsWith('<![CDATA[', i)) skip = endOf(xml, ']]>', i + 9);
    else if (xml.startsWith('<!--', i)) skip = endOf(xml, '-->', i + 4);
    else if (xml.startsWith('<?', i)) skip = endOf(xml, '?>', i + 2);
    if (skip !== -1) {
      i = xml.indexOf('<', skip);
      continue;
    }
    const head = xml.slice(i, i + 80);
    if (startTag.test(head)) {
      if (open !== -1) spans.push({ start: open, end: i });
      open = i;
    } else if (open !== -1 && endTag.test(head)) {
      spans.push({ start: open, end: endOf(xml, '>', i) });
      open = -1;
    } else if (open !== -1 && rootEnd.test(head)) {
      spans.push({ start: open, end: i });
      open = -1;
    }
    i = xml.indexOf('<', i + 1);
  }
  return spans;
}

function endOf(text: string, terminator: string, from: number): number {
  const at = text.indexOf(terminator, from);
  return at === -1 ? -1 : at + terminator.length;
}
