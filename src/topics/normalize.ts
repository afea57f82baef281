/**
 * Text normalisation shared by the catalog (alias keys, collision checks) and the tagger (matching):
 * NFKC, lower case, character classes (Hangul, Latin-like word characters, space, other) and the Korean
 * particles and suffixes that may follow a name (`삼성전자가`, `엔비디아향`, `애플 측은`).
 */

export const OTHER = 0;
export const SPACE = 1;
/** Letters of alphabetic scripts (Latin, Greek, Cyrillic) and digits: the parts of an English word. */
export const WORD = 2;
export const HANGUL = 3;

/** Class of every UTF-16 code unit, computed once (64 KB). Surrogates and CJK ideographs are OTHER. */
const CLASS = buildClassTable();

function buildClassTable(): Uint8Array {
  const table = new Uint8Array(0x10000);
  const word = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Nd}]/u;
  const space = /\s/u;
  for (let code = 0; code < 0x10000; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue;
    if (
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0x1100 && code <= 0x11ff) ||
      (code >= 0x3130 && code <= 0x318f) ||
      (code >= 0xa960 && code <= 0xa97f) ||
      (code >= 0xd7b0 && code <= 0xd7ff)
    ) {
      table[code] = HANGUL;
      continue;
    }
    const ch = String.fromCharCode(code);
    if (space.test(ch)) table[code] = SPACE;
    else if (word.test(ch)) table[code] = WORD;
  }
  return table;
}

export function charClass(code: number): number {
  return CLASS[code] ?? OTHER;
}

/**
 * NFKC and lower case, keeping every UTF-16 offset of the NFKC text: a character whose lower case has a
 * different length (`İ` → `i̇`) is left as it is, so case-sensitive checks can read the same span.
 */
export function lowerKeepingOffsets(nfkc: string): string {
  const lower = nfkc.toLowerCase();
  if (lower.length === nfkc.length) return lower;
  let out = '';
  for (const ch of nfkc) {
    const l = ch.toLowerCase();
    out += l.length === ch.length ? l : ch;
  }
  return out;
}

/**
 * The form an alias is matched in: NFKC, lower case, a space wherever Hangul meets a Latin letter or digit
 * (`LG전자` → `lg 전자`, so it also matches `LG 전자`), runs of whitespace collapsed.
 */
export function matchForm(alias: string): string {
  const nfkc = alias.normalize('NFKC');
  let out = '';
  let prev = OTHER;
  for (let i = 0; i < nfkc.length; i++) {
    const cls = charClass(nfkc.charCodeAt(i));
    if ((cls === HANGUL && prev === WORD) || (cls === WORD && prev === HANGUL)) out += ' ';
    out += nfkc[i];
    prev = cls;
  }
  return lowerKeepingOffsets(out).replace(/\s+/gu, ' ').trim();
}

/**
 * The identity of an alias: NFKC, lower case, without whitespace. Two aliases with the same key would match
 * the same text, so a key may belong to only one topic; query terms are looked up by this key too.
 */
export function aliasKey(alias: string): string {
  return alias.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
}

/** NFKC without whitespace, case kept: what a case-sensitive alias must equal. */
export function exactForm(alias: string): string {
  return alias.normalize('NFKC').replace(/\s+/gu, '');
}

/**
 * Particles, endings and suffixes Korean news attaches to a name without a space. Kept short on purpose:
 * anything else after a Hangul alias (`인텔리전스`, `메타버스`, `애플리케이션`) means a different word.
 */
const KOREAN_SUFFIXES = new Set([
  // case particles
  '이',
  '가',
  '은',
  '는',
  '을',
  '를',
  '의',
  '와',
  '과',
  '도',
  '만',
  '에',
  '에서',
  '에게',
  '께',
  '께서',
  '한테',
  '로',
  '으로',
  '로서',
  '으로서',
  '로써',
  '으로써',
  '로부터',
  '으로부터',
  '부터',
  '까지',
  '보다',
  '처럼',
  '같이',
  '마저',
  '조차',
  '밖에',
  '뿐',
  '대로',
  '마다',
  '만큼',
  '이나',
  '나',
  '이나마',
  '든',
  '이든',
  '이랑',
  '랑',
  '하고',
  // copula and connective endings
  '다',
  '이다',
  '였다',
  '이었다',
  '이며',
  '며',
  '이고',
  '고',
  '이지만',
  '지만',
  '라는',
  '이라는',
  '란',
  '이란',
  '라고',
  '이라고',
  '라며',
  '이라며',
  '라면',
  '이라면',
  '인데',
  '이어서',
  '여서',
  '에는',
  '에도',
  '에서는',
  '에서도',
  '와의',
  '과의',
  '에의',
  '로의',
  '으로의',
  '엔',
  // suffixes news attaches to organisations and people
  '측',
  '발',
  '향',
  '표',
  '판',
  '식',
  '산',
  '제',
  '사',
  '들',
  '등',
  '씨',
  '님',
  '내',
  '용',
  '형',
  '회장',
  '부회장',
  '사장',
  '대표',
  '의장',
  '총수',
  '창업자',
  '그룹',
  '계열',
  '계열사',
]);
const MAX_SUFFIX_LENGTH = Math.max(...[...KOREAN_SUFFIXES].map((s) => s.length));

/** True when `tail` (the rest of a Hangul run after an alias) is one to three particles/suffixes. */
export function isKoreanSuffix(tail: string): boolean {
  if (tail.length === 0) return true;
  if (tail.length > MAX_SUFFIX_LENGTH * 3) return false;
  return splitsIntoSuffixes(tail, 0, 0);
}

function splitsIntoSuffixes(tail: string, from: number, pieces: number): boolean {
  if (from === tail.length) return true;
  if (pieces === 3) return false;
  for (let len = Math.min(MAX_SUFFIX_LENGTH, tail.length - from); len >= 1; len--) {
    if (KOREAN_SUFFIXES.has(tail.slice(from, from + len)) && splitsIntoSuffixes(tail, from + len, pieces + 1)) {
      return true;
    }
  }
  return false;
}
