/**
 * Repairs for the ways real feeds break XML, tried only when the parser has already refused the document:
 * control characters pasted from word processors, a bare `&` in `?a=1&b=2` or `AT&T`, and a bare `<` in `x < y`.
 * CDATA sections and comments are left alone, since `&` and `<` are literal there.
 */

/** Characters XML 1.0 forbids anywhere in a document. */
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
