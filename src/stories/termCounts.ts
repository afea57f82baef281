import { summaryTokens } from '../summarize/tokens.ts';

const OTHER = 0;
const HANGUL = 1;
/** Letters and digits of other scripts. */
const WORD = 2;

/** The class of every BMP code unit (surrogates are OTHER), built on first use from the tokenizer's own classes. */
let classes: Uint8Array | null = null;

function classTable(): Uint8Array {
  if (classes) return classes;
  const table = new Uint8Array(0x10000);
  const hangul = /^\p{Script=Hangul}$/u;
  const letterOrDigit = /^[\p{L}\p{N}]$/u;
  for (let code = 0; code < 0x10000; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue;
    const ch = String.fromCharCode(code);
    if (hangul.test(ch)) table[code] = HANGUL;
    else if (letterOrDigit.test(ch)) table[code] = WORD;
  }
  classes = table;
  return table;
}

/** Words `summaryTokens` drops (its English stopwords), asked of it once per word. */
const dropped = new Map<string, boolean>();
const MAX_WORDS = 100_000;

function isDropped(word: string): boolean {
  let known = dropped.get(word);
  if (known === undefined) {
    if (dropped.size >= MAX_WORDS) dropped.clear();
    known = summaryTokens(word).length === 0;
    dropped.set(word, known);
  }
  return known;
}

function add(counts: Map<string, number>, token: string, weight: number): void {
  counts.set(token, (counts.get(token) ?? 0) + weight);
}

/**
 * Adds `weight` to the count of every token `summaryTokens(text)` gives, in the same order, without building
 * them in a regular-expression match each (every indexed article's whole text is counted). The same rules:
 * NFKC and lower case; a Hangul run gives its character bigrams (a lone syllable itself); a run of other
 * letters and digits is a word unless `summaryTokens` drops it.
 */
export function countSummaryTokens(text: string, weight: number, counts: Map<string, number>): void {
  const lower = text.normalize('NFKC').toLowerCase();
  // Characters beyond the BMP (rare in news) would need code-point runs: the tokenizer itself does them.
  if (/[\ud800-\udfff]/.test(lower)) {
    for (const token of summaryTokens(text)) add(counts, token, weight);
    return;
  }
  const table = classTable();
  const n = lower.length;
  let i = 0;
  while (i < n) {
    const cls = table[lower.charCodeAt(i)];
    if (cls === OTHER) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < n && table[lower.charCodeAt(end)] === cls) end++;
    if (cls === HANGUL) {
      if (end - i === 1) add(counts, lower.slice(i, end), weight);
      for (let k = i; k + 1 < end; k++) add(counts, lower.slice(k, k + 2), weight);
    } else {
      const word = lower.slice(i, end);
      if (!isDropped(word)) add(counts, word, weight);
    }
    i = end;
  }
}
