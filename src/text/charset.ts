/**
 * Turns the bytes of a fetched document (feed or page) into text. Korean sites still serve EUC-KR/CP949, often
 * mislabelled, so the label chain is checked against the bytes before it is trusted.
 *
 * Legacy codecs go through iconv-lite rather than `TextDecoder('euc-kr')`: WHATWG's `euc-kr` is CP949 too, but
 * Node only has it with full ICU (a `small-icu` or `--without-intl` build throws a RangeError), while iconv-lite is
 * pure JS, already a dependency, and its `cp949` table is the same superset (EUC-KR plus the 8,822 UHC syllables).
 */
import iconv from 'iconv-lite';

export interface DecodedDocument {
  text: string;
  /** The codec actually used: `utf-8`, `utf-16le`, `utf-16be`, `cp949`, `windows-1252`, or another iconv-lite name. */
  charset: string;
}

export interface DecodeOptions {
  /** The HTTP `Content-Type` header, e.g. `text/xml; charset=EUC-KR`. */
  contentType?: string | null;
}

/** How far into the document the XML declaration and `<meta>` charset are looked for. */
const HEAD_BYTES = 4096;

/** Every label that means Korean double-byte text; all decode as CP949, which is a superset of EUC-KR. */
const KOREAN_LABELS = new Set([
  'euc-kr',
  'euckr',
  'x-euc-kr',
  'cp949',
  'ms949',
  'uhc',
  'x-uhc',
  'windows-949',
  'x-windows-949',
  'ks_c_5601-1987',
  'ks_c_5601-1989',
  'ks_c_5601',
  'ksc5601',
  'ksc_5601',
  'iso-ir-149',
  'csksc56011987',
  'korean',
]);

/** As in the WHATWG Encoding Standard, these labels mean windows-1252 (its C1 range holds curly quotes, not controls). */
const WINDOWS_1252_LABELS = new Set([
  'windows-1252',
  'cp1252',
  'x-cp1252',
  'iso-8859-1',
  'iso8859-1',
  'iso_8859-1',
  'latin1',
  'l1',
  'us-ascii',
  'ascii',
  'ansi_x3.4-1968',
  'cp819',
  'ibm819',
]);

const UTF8_LABELS = new Set(['utf-8', 'utf8', 'unicode-1-1-utf-8', 'x-unicode20utf8']);

/** Maps a charset label to the codec name used here, or null when the label is unknown. */
export function normalizeCharset(label: string | null | undefined): string | null {
  if (!label) return null;
  const name = label
    .trim()
    .replace(/^["']|["']$/g, '')
    .trim()
    .toLowerCase();
  if (!name) return null;
  if (UTF8_LABELS.has(name)) return 'utf-8';
  if (KOREAN_LABELS.has(name)) return 'cp949';
  if (WINDOWS_1252_LABELS.has(name)) return 'windows-1252';
  if (name === 'utf-16' || name === 'utf-16le' || name === 'unicode' || name === 'ucs-2') return 'utf-16le';
  if (name === 'utf-16be' || name === 'unicodefffe') return 'utf-16be';
  try {
    return iconv.encodingExists(name) ? name : null;
  } catch {
    return null;
  }
}

/** Decodes `bytes`, finding the charset by BOM, HTTP header, XML declaration, `<meta>`, then by sniffing. Never throws. */
export function decodeDocument(bytes: Uint8Array, options: DecodeOptions = {}): DecodedDocument {
  try {
    const charset = detectCharset(bytes, options.contentType ?? null);
    return { text: decodeWith(bytes, charset), charset };
  } catch {
    // Only reachable through an iconv-lite bug; a lossy UTF-8 read is better than no text.
    return { text: new TextDecoder('utf-8').decode(bytes), charset: 'utf-8' };
  }
}

function detectCharset(bytes: Uint8Array, contentType: string | null): string {
  const bom = charsetFromBom(bytes);
  if (bom) return bom;
  const utf16 = utf16WithoutBom(bytes);
  if (utf16) return utf16;

  const head = latin1(bytes.subarray(0, HEAD_BYTES));
  const declared =
    normalizeCharset(charsetFromContentType(contentType)) ??
    // An ASCII-readable XML declaration or <meta> cannot truthfully say UTF-16 (WHATWG reads such a meta as UTF-8).
    notUtf16(normalizeCharset(charsetFromXmlDeclaration(head))) ??
    notUtf16(normalizeCharset(charsetFromMeta(head)));

  if (declared?.startsWith('utf-16')) return declared;
  const utf8 = utf8Evidence(bytes);
  // Korean sites that moved to UTF-8 templates still serve EUC-KR bodies under a `utf-8` label, and the reverse.
  if (declared === 'utf-8') return utf8 === 'invalid' && sniffLegacy(bytes) === 'cp949' ? 'cp949' : 'utf-8';
  // A label is a claim; multibyte sequences that are all valid UTF-8 are proof. Legacy text (CP949, Latin-1) almost
  // never happens to form valid UTF-8, while servers and CMSes re-encode to UTF-8 and keep the old label all the time.
  // A few broken sequences in valid UTF-8 (`mostly`) are damage, not a legacy codec: decoding the whole document
  // as the declared single- or double-byte code page would garble every other character.
  if (declared) return utf8 === 'multibyte' || utf8 === 'mostly' ? 'utf-8' : declared;
  return utf8 === 'invalid' ? sniffLegacy(bytes) : 'utf-8';
}

function charsetFromBom(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

/** XML 1.0 appendix F: a BOM-less UTF-16 document still starts with `<?` (or `<`) as 16-bit units. */
function utf16WithoutBom(bytes: Uint8Array): string | null {
  if (bytes.length < 4) return null;
  if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] !== 0x00 && bytes[3] === 0x00) return 'utf-16le';
  if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] !== 0x00) return 'utf-16be';
  return null;
}

function notUtf16(charset: string | null): string | null {
  return charset?.startsWith('utf-16') ? 'utf-8' : charset;
}

function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 1024) {
    out += String.fromCharCode(...bytes.subarray(i, i + 1024));
  }
  return out;
}

export function charsetFromContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const m = /charset\s*=\s*["']?\s*([^"';,\s]+)/i.exec(contentType);
  return m?.[1] ?? null;
}

function charsetFromXmlDeclaration(head: string): string | null {
  const m = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']\s*([^"'\s]+)\s*["']/i.exec(head);
  return m?.[1] ?? null;
}

function charsetFromMeta(head: string): string | null {
  // Comments can hold a stale <meta> from an old template; skip them.
  const html = head.replace(/<!--[\s\S]*?(?:-->|$)/g, '');
  for (const tag of html.matchAll(/<meta\s[^>]*>/gi)) {
    const m = /charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(tag[0]);
    if (m?.[1]) return m[1];
  }
  return null;
}

type Utf8Evidence = 'ascii' | 'multibyte' | 'mostly' | 'invalid';

/**
 * Scans the bytes as UTF-8. `mostly`: a UTF-8 document with a few broken sequences (a feed cut mid-character, one
 * pasted Latin-1 byte), which reads better as lossy UTF-8 than as a legacy codec.
 */
function utf8Evidence(bytes: Uint8Array): Utf8Evidence {
  let multibyte = 0;
  let invalid = 0;
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need = 0;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    }
    let ok = need > 0 && i + need < n;
    if (ok) {
      const second = bytes[i + 1] ?? 0;
      ok = second >= lo && second <= hi;
      for (let k = 2; ok && k <= need; k++) {
        const c = bytes[i + k] ?? 0;
        ok = c >= 0x80 && c <= 0xbf;
      }
    }
    if (ok) {
      multibyte++;
      i += need + 1;
    } else {
      invalid++;
      i++;
    }
  }
  if (invalid === 0) return multibyte === 0 ? 'ascii' : 'multibyte';
  // CP949 text read as UTF-8 forms a valid pair by chance for about one syllable in ten (lead bytes C2-C8 with a
  // trail byte under C0), and Latin-1 text almost never: three valid sequences per broken one is UTF-8.
  return multibyte >= invalid * 3 ? 'mostly' : 'invalid';
}

const HANGUL_SYLLABLE = /[\uac00-\ud7a3]/g;

/** Not UTF-8: CP949 when the bytes read as Hangul with (almost) no invalid pairs, else windows-1252. */
function sniffLegacy(bytes: Uint8Array): string {
  const text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'cp949');
  const hangul = text.match(HANGUL_SYLLABLE)?.length ?? 0;
  let invalid = 0;
  for (const ch of text) if (ch === '\ufffd') invalid++;
  // One broken pair per 50 syllables tolerates a feed cut mid-character, not Latin-1 text read as pairs.
  return hangul > 0 && invalid * 50 <= hangul ? 'cp949' : 'windows-1252';
}

function decodeWith(bytes: Uint8Array, charset: string): string {
  if (charset === 'utf-8') return new TextDecoder('utf-8').decode(bytes);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return iconv.decode(buffer, charset);
}
