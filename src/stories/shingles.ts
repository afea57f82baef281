/**
 * Character shingles for near-duplicate detection: 5-grams of the text's letters and digits (NFKC, lower case,
 * everything else dropped), so that spacing, punctuation and quote styles do not matter.
 */

import { mix } from './minhash.ts';

export const SHINGLE_SIZE = 5;

/** A set of distinct 32-bit shingle hashes, sorted ascending (what `overlap` compares). */
export type ShingleSet = Uint32Array;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function letters(text: string): string[] {
  return Array.from(
    text
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ''),
  );
}

/** The distinct shingles of a text; a text shorter than one shingle is its own single shingle. */
export function shingles(text: string): Set<string> {
  const chars = letters(text);
  const out = new Set<string>();
  for (let i = 0; i + SHINGLE_SIZE <= chars.length; i++) out.add(chars.slice(i, i + SHINGLE_SIZE).join(''));
  if (out.size === 0 && chars.length > 0) out.add(chars.join(''));
  return out;
}

/** 32-bit FNV-1a of a string's UTF-16 code units, finished with an avalanche mix (MinHash needs mixed bits). */
export function hashString(text: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME);
  }
  return mix(hash);
}

/** The distinct shingles as sorted 32-bit hashes. */
export function shingleHashes(set: ReadonlySet<string>): ShingleSet {
  return distinct(Uint32Array.from(set, hashString)).sort();
}

const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;

/** 1 for the BMP code units that are letters or digits (`\p{L}`, `\p{N}`); built on first use. */
let letterOrDigit: Uint8Array | null = null;

function letterOrDigitTable(): Uint8Array {
  if (letterOrDigit) return letterOrDigit;
  const table = new Uint8Array(0x10000);
  for (let code = 0; code < 0x10000; code++) {
    if ((code < 0xd800 || code > 0xdfff) && LETTER_OR_DIGIT.test(String.fromCharCode(code))) table[code] = 1;
  }
  letterOrDigit = table;
  return table;
}

/**
 * The distinct shingle hashes of a text, in no particular order (MinHash needs no order; `sortShingles` makes a
 * `ShingleSet` of them). Works on code units, without building the shingle strings or a `Set`: indexing does
 * this for every article. 32-bit collisions among a few thousand shingles are too rare to change a similarity.
 */
export function distinctShingleHashes(text: string): Uint32Array {
  const lower = text.normalize('NFKC').toLowerCase();
  const table = letterOrDigitTable();
  const codes = new Uint16Array(lower.length);
  let length = 0;
  for (let i = 0; i < lower.length; i++) {
    const code = lower.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdfff) {
      // A letter beyond the BMP (rare in news) would be split by code-unit windows: take the slow, exact path.
      // Anything else there (emoji) is dropped like punctuation.
      if (LETTER_OR_DIGIT.test(String.fromCodePoint(lower.codePointAt(i) as number))) {
        return shingleHashes(shingles(text));
      }
      continue;
    }
    if (table[code] === 1) codes[length++] = code;
  }
  if (length < SHINGLE_SIZE) {
    return length === 0
      ? new Uint32Array(0)
      : Uint32Array.of(hashString(String.fromCharCode(...codes.subarray(0, length))));
  }
  const count = length - SHINGLE_SIZE + 1;
  const hashes = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    let hash = FNV_OFFSET;
    hash = Math.imul(hash ^ (codes[i] as number), FNV_PRIME);
    hash = Math.imul(hash ^ (codes[i + 1] as number), FNV_PRIME);
    hash = Math.imul(hash ^ (codes[i + 2] as number), FNV_PRIME);
    hash = Math.imul(hash ^ (codes[i + 3] as number), FNV_PRIME);
    hash = Math.imul(hash ^ (codes[i + 4] as number), FNV_PRIME);
    hashes[i] = mix(hash);
  }
  return distinct(hashes);
}

/** The values once each, in first-seen order (open addressing over a power-of-two table). */
function distinct(values: Uint32Array): Uint32Array {
  let size = 64;
  while (size < values.length * 2) size <<= 1;
  const mask = size - 1;
  const slots = new Uint32Array(size);
  const used = new Uint8Array(size);
  const out = new Uint32Array(values.length);
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    let slot = value & mask;
    while (used[slot] === 1 && slots[slot] !== value) slot = (slot + 1) & mask;
    if (used[slot] === 1) continue;
    used[slot] = 1;
    slots[slot] = value;
    out[count++] = value;
  }
  return out.slice(0, count);
}

/** Distinct hashes as a `ShingleSet` (sorted in place). */
export function sortShingles(hashes: Uint32Array): ShingleSet {
  return hashes.sort();
}

/** The distinct shingles of a text as a `ShingleSet`. */
export function hashedShingles(text: string): ShingleSet {
  return sortShingles(distinctShingleHashes(text));
}

export interface Overlap {
  /** |A ∩ B| / |A ∪ B| */
  jaccard: number;
  /** |A ∩ B| / min(|A|, |B|): how much of the shorter text is in the longer one (a copy cut short). */
  containment: number;
}

/** Jaccard and containment of two shingle sets (a merge of the sorted hashes). */
export function overlap(a: ShingleSet, b: ShingleSet): Overlap {
  if (a.length === 0 || b.length === 0) return { jaccard: 0, containment: 0 };
  let shared = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return { jaccard: shared / (a.length + b.length - shared), containment: shared / Math.min(a.length, b.length) };
}

/** Jaccard from which two texts are copies of one story. */
export const COPY_JACCARD = 0.7;
/** Containment from which the shorter text is a cut-down copy of the longer one (portals cut endings off). */
export const COPY_CONTAINMENT = 0.8;
/** Containment only counts when the shorter text has this many shingles (two one-line teasers are not copies). */
export const MIN_CONTAINED_SHINGLES = 40;

/** The copy rule: Jaccard ≥ 0.7, or containment ≥ 0.8 of a shorter text that is not a mere line. */
export function isCopy(found: Overlap, smallerSize: number): boolean {
  return (
    found.jaccard >= COPY_JACCARD || (found.containment >= COPY_CONTAINMENT && smallerSize >= MIN_CONTAINED_SHINGLES)
  );
}
