/**
 * Text cleanup for the short fields of a feed (titles, author names). Feedsmith already decoded the XML layer once;
 * what is left is the HTML layer publishers put inside it: `<b>` in titles, double-escaped `&amp;amp;`, `&#8217;`.
 */
import { decodeHTMLStrict } from 'entities';

/** Decodes HTML character references (numeric and named); unknown ones stay as written. */
export function decodeEntities(text: string): string {
  // Strict: a named reference needs its semicolon (`AT&T` and `?a=1&b=2` are not references).
  return text.includes('&') ? decodeHTMLStrict(text) : text;
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
