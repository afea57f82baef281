/**
 * The tokens PostgreSQL's `articles.search_tokens` holds: exactly the terms SQLite's FTS5 index holds for the same
 * article, so that a query finds the same articles on both backends. SQLite indexes the engine's tokens
 * (src/text/searchTokens.ts: NFKC, lower case, overlapping Hangul and Han bigrams, Latin and number words whole)
 * through FTS5's `porter unicode61 remove_diacritics 2` tokenizer (storage/sqlite/migrations.ts), which folds
 * Latin diacritics (`café` → `cafe`) and stems each term with the Porter algorithm (`chips` → `chip`); this module
 * does the same in JavaScript, so the column can be filled from the article alone (by the store, and by the
 * SQLite → PostgreSQL copy). storage/postgres/searchTokens.test.ts checks it against SQLite's own index.
 */
import { searchTokens } from '../../src/text/searchTokens.ts';
import { storableTerm } from './tsQuery.ts';

/** What `articleSearchTokens` reads of an article (an `ArticleRecord` fits). */
export interface SearchableText {
  title: string;
  deck: readonly string[];
  paragraphs: readonly string[];
}

const LATIN = /\p{Script=Latin}/u;

/** Code point ranges (hex) as text, `300-304 306 …`, in order → a test by binary search. */
function parseRanges(text: string): (cp: number) => boolean {
  const los: number[] = [];
  const his: number[] = [];
  for (const range of text.trim().split(/\s+/)) {
    const [lo, hi = lo] = range.split('-').map((h) => Number.parseInt(h, 16)) as [number, number?];
    los.push(lo);
    his.push(hi);
  }
  return (cp) => {
    let low = 0;
    let high = los.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (cp < (los[mid] as number)) high = mid - 1;
      else if (cp > (his[mid] as number)) low = mid + 1;
      else return true;
    }
    return false;
  };
}

// SQLite's unicode61 classifies characters by its own (older) Unicode tables. These were read from SQLite 3.53's
// tokenizer (better-sqlite3 12), character by character; searchTokens.test.ts checks them against it.

/** Marks (and a few letters) unicode61 knows as no token characters: they separate terms. Other marks stay in. */
const SEPARATES = parseRanges(
  '305 30d-30e 310 312-31a 31c-322 329-32c 32f 332-36f 483-489 591-5bd 5bf 5c1-5c2 5c4-5c5 5c7 610-61a ' +
    '64b-65f 670 6d6-6dc 6df-6e4 6e7-6e8 6ea-6ed 711 730-74a 7a6-7b0 7eb-7f3 816-819 81b-823 825-827 829-82d ' +
    '859-85b 8e4-8fe 900-903 93a-93c 93e-94f 951-957 962-963 981-983 9bc 9be-9c4 9c7-9c8 9cb-9cd 9d7 9e2-9e3 ' +
    'a01-a03 a3c a3e-a42 a47-a48 a4b-a4d a51 a70-a71 a75 a81-a83 abc abe-ac5 ac7-ac9 acb-acd ae2-ae3 b01-b03 ' +
    'b3c b3e-b44 b47-b48 b4b-b4d b56-b57 b62-b63 b82 bbe-bc2 bc6-bc8 bca-bcd bd7 c01-c03 c3e-c44 c46-c48 ' +
    'c4a-c4d c55-c56 c62-c63 c82-c83 cbc cbe-cc4 cc6-cc8 cca-ccd cd5-cd6 ce2-ce3 d02-d03 d3e-d44 d46-d48 ' +
    'd4a-d4d d57 d62-d63 d82-d83 dca dcf-dd4 dd6 dd8-ddf df2-df3 e31 e34-e3a e47-e4e eb1 eb4-eb9 ebb-ebc ' +
    'ec8-ecd f18-f19 f35 f37 f39 f3e-f3f f71-f84 f86-f87 f8d-f97 f99-fbc fc6 102b-103e 1056-1059 105e-1060 ' +
    '1062-1064 1067-106d 1071-1074 1082-108d 108f 109a-109d 135d-135f 1712-1714 1732-1734 1752-1753 1772-1773 ' +
    '17b4-17d3 17dd 180b-180d 18a9 1920-192b 1930-193b 19b0-19c0 19c8-19c9 1a17-1a1b 1a55-1a5e 1a60-1a7c 1a7f ' +
    '1b00-1b04 1b34-1b44 1b6b-1b73 1b80-1b82 1ba1-1bad 1be6-1bf3 1c24-1c37 1cd0-1cd2 1cd4-1ce8 1ced 1cf2-1cf4 ' +
    '1dc0-1de6 1dfc-1dff 20d0-20f0 2cef-2cf1 2d7f 2de0-2dff 302a-302f 3099-309a a66f-a672 a674-a67d a69f ' +
    'a6f0-a6f1 a802 a806 a80b a823-a827 a880-a881 a8b4-a8c4 a8e0-a8f1 a926-a92d a947-a953 a980-a983 a9b3-a9c0 ' +
    'aa29-aa36 aa43 aa4c-aa4d aa7b aab0 aab2-aab4 aab7-aab8 aabe-aabf aac1 aaeb-aaef aaf5-aaf6 abe3-abea ' +
    'abec-abed fb1e fe00-fe0f fe20-fe26 101fd 10a01-10a03 10a05-10a06 10a0c-10a0f 10a38-10a3a 10a3f ' +
    '11000-11002 11038-11046 11080-11082 110b0-110ba 11100-11102 11127-11134 11180-11182 111b3-111c0 ' +
    '116ab-116b7 16f51-16f7e 16f8f-16f92 1d165-1d169 1d16d-1d172 1d17b-1d182 1d185-1d18b 1d1aa-1d1ad ' +
    '1d242-1d244 e0100-e01ef',
);
/** Combining diacritics unicode61 drops with `remove_diacritics 2`. */
const DROPPED = parseRanges('300-304 306-30c 30f 311 31b 323-328 32d-32e 330-331');
/** Latin letters whose diacritics unicode61 keeps (its table has no entry for them): ǡ ǣ ǯ ǽ ǿ. */
const KEPT_LATIN = new Set(['\u01e1', '\u01e3', '\u01ef', '\u01fd', '\u01ff']);

/** ASCII letters and digits, Hangul syllables: characters unicode61 keeps as they are. */
const PLAIN = /^[a-z0-9\uac00-\ud7a3]+$/;

/**
 * unicode61 with `remove_diacritics 2` over one of the engine's tokens: a Latin letter loses its diacritics (all
 * of them: `ǘ` → `u`), a final sigma folds to σ, and a character unicode61 holds no token character splits the
 * token.
 */
function unicode61Terms(token: string): string[] {
  if (PLAIN.test(token)) return [token]; // what nearly every token is: nothing to fold or split
  const out: string[] = [];
  let current = '';
  for (const char of token) {
    const cp = char.codePointAt(0) as number;
    if (char === 'ς') {
      current += 'σ';
    } else if (LATIN.test(char) && !KEPT_LATIN.has(char)) {
      current += char.normalize('NFD').replace(/\p{M}+/gu, '');
    } else if (cp < 0x300 || (cp >= 0xac00 && cp <= 0xd7a3)) {
      current += char; // ASCII digits, Hangul syllables: what most tokens are made of
    } else if (DROPPED(cp)) {
      // dropped
    } else if (SEPARATES(cp)) {
      if (current) out.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  if (current) out.push(current);
  return out;
}

// The Porter stemmer as FTS5 runs it: over the term's UTF-8 bytes, where any byte but a, e, i, o, u (and y after a
// consonant) is a consonant, so a term that is not ASCII keeps its non-ASCII part as it is.

/** Terms longer than this many bytes, or shorter than 3, are not stemmed. */
const PORTER_MAX_BYTES = 64;
const A = 0x61;
const E = 0x65;
const I = 0x69;
const O = 0x6f;
const U = 0x75;
const Y = 0x79;

function isVowel(byte: number, yIsVowel: boolean): boolean {
  return byte === A || byte === E || byte === I || byte === O || byte === U || (yIsVowel && byte === Y);
}

/** The end of the first vowel-consonant sequence in `w[from, to)` (position after it), or 0 when there is none. */
function vowelConsonantEnd(w: readonly number[], from: number, to: number, prevConsonant: boolean): number {
  let consonant = prevConsonant;
  let i = from;
  for (; i < to; i++) {
    consonant = !isVowel(w[i] as number, consonant);
    if (!consonant) break;
  }
  for (i++; i < to; i++) {
    consonant = !isVowel(w[i] as number, consonant);
    if (consonant) return i + 1;
  }
  return 0;
}

/** m > 0 for the stem `w[0, n)`. */
function measureAbove0(w: readonly number[], n: number): boolean {
  return vowelConsonantEnd(w, 0, n, false) > 0;
}

/** m > 1. */
function measureAbove1(w: readonly number[], n: number): boolean {
  const end = vowelConsonantEnd(w, 0, n, false);
  return end > 0 && vowelConsonantEnd(w, end, n, true) > 0;
}

/** m = 1. */
function measureIs1(w: readonly number[], n: number): boolean {
  const end = vowelConsonantEnd(w, 0, n, false);
  return end > 0 && vowelConsonantEnd(w, end, n, true) === 0;
}

/** *v*: the stem has a vowel. */
function hasVowel(w: readonly number[], n: number): boolean {
  for (let i = 0; i < n; i++) if (isVowel(w[i] as number, i > 0)) return true;
  return false;
}

/** *o: the stem ends consonant-vowel-consonant, the last not w, x or y. */
function endsCvc(w: readonly number[], n: number): boolean {
  const last = w[n - 1];
  if (last === 0x77 || last === 0x78 || last === Y) return false;
  let mask = 0;
  let consonant = false;
  for (let i = 0; i < n; i++) {
    consonant = !isVowel(w[i] as number, consonant);
    mask = ((mask << 1) | (consonant ? 1 : 0)) & 0x7;
  }
  return mask === 0b101;
}

type Condition = (w: readonly number[], n: number) => boolean;

const always: Condition = () => true;
const sOrTAbove1: Condition = (w, n) => (w[n - 1] === 0x73 || w[n - 1] === 0x74) && measureAbove1(w, n);

/** A rule: when the word ends in `suffix` and the stem before it meets `condition`, the suffix becomes `to`. */
type Rule = readonly [suffix: string, to: string, condition: Condition];

const bytes = (s: string) => [...Buffer.from(s, 'latin1')];

function endsWith(w: readonly number[], suffix: readonly number[]): boolean {
  if (w.length <= suffix.length) return false;
  const offset = w.length - suffix.length;
  return suffix.every((b, i) => w[offset + i] === b);
}

/**
 * Applies the first rule whose suffix the word ends in (longer than the suffix itself), if its condition holds;
 * says whether that first rule was applied. FTS5 looks only at rules for the word's second-to-last letter, which
 * picks the same first match.
 */
function applyFirst(w: number[], rules: readonly (readonly [number[], number[], Condition])[]): boolean {
  for (const [suffix, to, condition] of rules) {
    if (!endsWith(w, suffix)) continue;
    const stem = w.length - suffix.length;
    if (!condition(w, stem)) return false;
    w.splice(stem, suffix.length, ...to);
    return true;
  }
  return false;
}

const compile = (rules: readonly Rule[]) =>
  rules.map(([suffix, to, condition]) => [bytes(suffix), bytes(to), condition] as const);

const STEP_2 = compile([
  ['ational', 'ate', measureAbove0],
  ['tional', 'tion', measureAbove0],
  ['enci', 'ence', measureAbove0],
  ['anci', 'ance', measureAbove0],
  ['izer', 'ize', measureAbove0],
  ['logi', 'log', measureAbove0],
  ['bli', 'ble', measureAbove0],
  ['alli', 'al', measureAbove0],
  ['entli', 'ent', measureAbove0],
  ['eli', 'e', measureAbove0],
  ['ousli', 'ous', measureAbove0],
  ['ization', 'ize', measureAbove0],
  ['ation', 'ate', measureAbove0],
  ['ator', 'ate', measureAbove0],
  ['alism', 'al', measureAbove0],
  ['iveness', 'ive', measureAbove0],
  ['fulness', 'ful', measureAbove0],
  ['ousness', 'ous', measureAbove0],
  ['aliti', 'al', measureAbove0],
  ['iviti', 'ive', measureAbove0],
  ['biliti', 'ble', measureAbove0],
]);

const STEP_3 = compile([
  ['ical', 'ic', measureAbove0],
  ['ness', '', measureAbove0],
  ['icate', 'ic', measureAbove0],
  ['iciti', 'ic', measureAbove0],
  ['ful', '', measureAbove0],
  ['ative', '', measureAbove0],
  ['alize', 'al', measureAbove0],
]);

const STEP_4 = compile([
  ['al', '', measureAbove1],
  ['ance', '', measureAbove1],
  ['ence', '', measureAbove1],
  ['er', '', measureAbove1],
  ['ic', '', measureAbove1],
  ['able', '', measureAbove1],
  ['ible', '', measureAbove1],
  ['ant', '', measureAbove1],
  ['ement', '', measureAbove1],
  ['ment', '', measureAbove1],
  ['ent', '', measureAbove1],
  ['ion', '', sOrTAbove1],
  ['ou', '', measureAbove1],
  ['ism', '', measureAbove1],
  ['ate', '', measureAbove1],
  ['iti', '', measureAbove1],
  ['ous', '', measureAbove1],
  ['ive', '', measureAbove1],
  ['ize', '', measureAbove1],
]);

const STEP_1B = compile([
  ['ed', '', hasVowel],
  ['ing', '', hasVowel],
]);
const EED = bytes('eed');
const EE = bytes('ee');

const STEP_1B2 = compile([
  ['at', 'ate', always],
  ['bl', 'ble', always],
  ['iz', 'ize', always],
]);

/**
 * Group the rules by the suffix's second-to-last letter, as FTS5 does: of several rules for one letter the first
 * that matches is taken ("eed" before "ed"), and a rule for another letter can never match the same word.
 */
function bySecondToLast(rules: ReturnType<typeof compile>) {
  const groups = new Map<number, ReturnType<typeof compile>>();
  for (const rule of rules) {
    const key = rule[0][rule[0].length - 2] as number;
    groups.set(key, [...(groups.get(key) ?? []), rule]);
  }
  return (w: number[]) => applyFirst(w, groups.get(w[w.length - 2] as number) ?? []);
}

const step2 = bySecondToLast(STEP_2);
const step3 = bySecondToLast(STEP_3);
const step4 = bySecondToLast(STEP_4);
const step1bRules = bySecondToLast(STEP_1B);

/** Step 1b: `eed` → `ee` (m > 0), else `ed` or `ing` dropped after a vowel; true only when one of those was dropped. */
function step1b(w: number[]): boolean {
  if (endsWith(w, EED)) {
    if (measureAbove0(w, w.length - 3)) w.splice(w.length - 3, 3, ...EE);
    return false;
  }
  return step1bRules(w);
}
const step1b2 = bySecondToLast(STEP_1B2);

function step1a(w: number[]): void {
  const n = w.length;
  if (w[n - 1] !== 0x73) return;
  if (w[n - 2] === E) {
    const sses = n > 4 && w[n - 4] === 0x73 && w[n - 3] === 0x73;
    const ies = n > 3 && w[n - 3] === I;
    w.length = sses || ies ? n - 2 : n - 1;
  } else if (w[n - 2] !== 0x73) {
    w.length = n - 1;
  }
}

/**
 * Stems already computed. Stemming was nine tenths of the time to tokenize a text (a PostgreSQL search checks
 * phrases in up to a few hundred bodies; ingest tokenizes every article), and news repeats its words: a few
 * thousand terms cover most of them. Cleared when full, so odd tokens cannot make it grow without bound.
 */
const STEMS = new Map<string, string>();
const STEMS_KEPT = 50_000;

/** A term as FTS5's porter tokenizer stems it. */
export function porterStem(term: string): string {
  // Every step looks at the last letters for ASCII suffixes: a term ending in any other character stays.
  if (term.length < 2 || term.charCodeAt(term.length - 1) >= 0x80) return term;
  let stem = STEMS.get(term);
  if (stem === undefined) {
    stem = stemAscii(term);
    if (STEMS.size >= STEMS_KEPT) STEMS.clear();
    STEMS.set(term, stem);
  }
  return stem;
}

/** The Porter steps over a term that ends in an ASCII character. */
function stemAscii(term: string): string {
  const utf8 = Buffer.from(term, 'utf8');
  if (utf8.length > PORTER_MAX_BYTES || utf8.length < 3) return term;
  const w = [...utf8];
  step1a(w);
  if (step1b(w) && !step1b2(w)) {
    const last = w[w.length - 1] as number;
    if (!isVowel(last, false) && last !== 0x6c && last !== 0x73 && last !== 0x7a && last === w[w.length - 2]) {
      w.length -= 1;
    } else if (measureIs1(w, w.length) && endsCvc(w, w.length)) {
      w.push(E);
    }
  }
  if (w[w.length - 1] === Y && hasVowel(w, w.length - 1)) w[w.length - 1] = I;
  step2(w);
  step3(w);
  step4(w);
  if (w[w.length - 1] === E) {
    const n = w.length - 1;
    if (measureAbove1(w, n) || (measureIs1(w, n) && !endsCvc(w, n))) w.length = n;
  }
  if (w.length > 1 && w[w.length - 1] === 0x6c && w[w.length - 2] === 0x6c && measureAbove1(w, w.length - 1)) {
    w.length -= 1;
  }
  return Buffer.from(w).toString('utf8');
}

/** A text's terms in order, repeats kept, as SQLite's FTS5 index holds them for a column with this text. */
export function indexTerms(text: string): string[] {
  const out: string[] = [];
  for (const token of searchTokens(text)) {
    if (PLAIN.test(token)) out.push(porterStem(token));
    else for (const term of unicode61Terms(token)) out.push(porterStem(term));
  }
  return out;
}

/** The terms of an alternative in a query (a word or phrase), as the index compares them: the same as a text's. */
export const queryTerms = indexTerms;

/**
 * What `articles.search_tokens` holds for an article: every term of its title, deck and body (SQLite's two FTS5
 * columns, `title` and `body` = deck and paragraphs), each once, in code-unit order.
 */
export function articleSearchTokens(article: SearchableText): string[] {
  const terms = new Set(indexTerms(article.title));
  for (const term of indexTerms([...article.deck, ...article.paragraphs].join('\n'))) terms.add(term);
  // The column's tsvector (migration 7) holds lexemes under 2 KiB, 1 MiB of them in all: a longer term (a run of
  // base64, say) is left out, where SQLite would index it, and so is what passes the total.
  const kept: string[] = [];
  let bytes = 0;
  for (const term of [...terms].sort()) {
    if (!storableTerm(term)) continue;
    bytes += Buffer.byteLength(term, 'utf8');
    if (bytes > MAX_VECTOR_BYTES) break;
    kept.push(term);
  }
  return kept;
}

/** Under tsvector's limit of 1 MiB of lexemes, with room for its entries. */
const MAX_VECTOR_BYTES = 1_000_000;
