/**
 * Text cleanup for the short fields of a feed (titles, author names). Feedsmith already decoded the XML layer once;
 * what is left is the HTML layer publishers put inside it: `<b>` in titles, double-escaped `&amp;amp;`, `&#8217;`.
 */

/**
 * Named entities seen in feed titles after one round of decoding. Not the full HTML list: feedsmith decodes every
 * HTML entity in the first pass, so this second pass only meets double-escaped text, which uses the common ones.
 */
const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ensp: '\u2002',
  emsp: '\u2003',
  thinsp: '\u2009',
  shy: '\u00ad',
  zwnj: '\u200c',
  zwj: '\u200d',
  hellip: '\u2026',
  mdash: '\u2014',
  ndash: '\u2013',
  minus: '\u2212',
  lsquo: '\u2018',
  rsquo: '\u2019',
  sbquo: '\u201a',
  ldquo: '\u201c',
  rdquo: '\u201d',
  bdquo: '\u201e',
  laquo: '\u00ab',
  raquo: '\u00bb',
  lsaquo: '\u2039',
  rsaquo: '\u203a',
  middot: '\u00b7',
  bull: '\u2022',
  prime: '\u2032',
  Prime: '\u2033',
  copy: '\u00a9',
  reg: '\u00ae',
  trade: '\u2122',
  deg: '\u00b0',
  plusmn: '\u00b1',
  times: '\u00d7',
  divide: '\u00f7',
  frac12: '\u00bd',
  frac14: '\u00bc',
  frac34: '\u00be',
  sup2: '\u00b2',
  sup3: '\u00b3',
  micro: '\u00b5',
  para: '\u00b6',
  sect: '\u00a7',
  cent: '\u00a2',
  pound: '\u00a3',
  yen: '\u00a5',
  euro: '\u20ac',
  won: '\u20a9',
  larr: '\u2190',
  rarr: '\u2192',
  uarr: '\u2191',
  darr: '\u2193',
  harr: '\u2194',
  hearts: '\u2665',
  star: '\u2606',
  iexcl: '\u00a1',
  iquest: '\u00bf',
  eacute: '\u00e9',
  egrave: '\u00e8',
  ecirc: '\u00ea',
  euml: '\u00eb',
  aacute: '\u00e1',
  agrave: '\u00e0',
  acirc: '\u00e2',
  auml: '\u00e4',
  atilde: '\u00e3',
  aring: '\u00e5',
  ccedil: '\u00e7',
  iacute: '\u00ed',
  igrave: '\u00ec',
  icirc: '\u00ee',
  iuml: '\u00ef',
  ntilde: '\u00f1',
  oacute: '\u00f3',
  ograve: '\u00f2',
  ocirc: '\u00f4',
  ouml: '\u00f6',
  otilde: '\u00f5',
  oslash: '\u00f8',
  uacute: '\u00fa',
  ugrave: '\u00f9',
  ucirc: '\u00fb',
  uuml: '\u00fc',
  szlig: '\u00df',
  Eacute: '\u00c9',
  Auml: '\u00c4',
  Ouml: '\u00d6',
  Uuml: '\u00dc',
};

function codePointToString(code: number): string {
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
  return String.fromCodePoint(code);
}

/** Decodes numeric and common named HTML entities; unknown ones stay as written. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(
    /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));?/g,
    (whole, dec, hex, name) => {
      if (dec) return codePointToString(Number.parseInt(dec, 10));
      if (hex) return codePointToString(Number.parseInt(hex, 16));
      // A named entity needs its semicolon (`AT&T` and `?a=1&b=2` are not entities).
      if (!whole.endsWith(';')) return whole;
      return NAMED_ENTITIES[name] ?? NAMED_ENTITIES[name.toLowerCase()] ?? whole;
    },
  );
}

/**
 * Tags that publishers put in titles. Only these are stripped, so a title about `Vector<int>` or `<T>` generics
 * keeps its text.
 */
const INLINE_TAGS =
  'a|abbr|b|big|blink|br|center|cite|code|del|dfn|div|em|font|h[1-6]|i|img|ins|kbd|mark|nobr|p|q|s|samp|small|span|' +
  'strike|strong|sub|sup|time|tt|u|var|wbr';
const TAG = new RegExp(String.raw`<\/?(?:${INLINE_TAGS})(?:\s[^<>]*)?\/?>|<!--[\s\S]*?-->`, 'gi');

const BLOCK_TAG = /^<\/?(?:br|p|div|h[1-6]|center)\b/i;

/** XML-illegal controls and the C1 range, which in feed titles is always mis-decoded Windows punctuation or junk. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/g;

/** A title or name as one clean line: tags stripped, entities decoded, whitespace collapsed; null when empty. */
export function cleanInlineText(text: string | null | undefined, options: { html?: boolean } = {}): string | null {
  if (!text) return null;
  let out = text;
  // Block tags separate words; inline ones sit inside them (`<b>K</b>orea`).
  if (options.html !== false) out = out.replace(TAG, (tag) => (BLOCK_TAG.test(tag) ? ' ' : ''));
  out = decodeEntities(out)
    .replace(CONTROL, '')
    .replace(/[\s\u00a0\u200b\u3000]+/g, ' ')
    .trim();
  return out || null;
}
