/**
 * Character shingles for near-duplicate detection: 5-grams of the text's letters and digits (NFKC, lower case,
 * everything else dropped), so that spacing, punctuation and quote styles do not matter.
 */

import { mix } from './minhash.ts';

export const SHINGLE_SIZE = 5;

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
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return mix(hash);
}

/** The distinct shingles as 32-bit hashes (what MinHash works on). */
export function shingleHashes(set: ReadonlySet<string>): Uint32Array {
  const hashes = new Set<number>();
  for (const shingle of set) hashes.add(hashString(shingle));
  return Uint32Array.from(hashes);
}

/**
 * The distinct shingles of a text as 32-bit hashes, without building the shingle strings (the fast path for
 * indexing; 32-bit collisions among a few thousand shingles are too rare to change a similarity).
 */
export function hashedShingles(text: string): Set<number> {
  const normalized = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
  // Surrogate pairs (rare in news) would be split by code-unit windows: take the slow, exact path then.
  if (/[\ud800-\udfff]/.test(normalized)) return new Set(shingleHashes(shingles(text)));
  const out = new Set<number>();
  if (normalized.length < SHINGLE_SIZE) {
    if (normalized.length > 0) out.add(hashString(normalized));
    return out;
  }
  for (let i = 0; i + SHINGLE_SIZE <= normalized.length; i++) {
    let hash = 0x811c9dc5;
    for (let k = i; k < i + SHINGLE_SIZE; k++) {
      hash ^= normalized.charCodeAt(k);
      hash = Math.imul(hash, 0x01000193);
    }
    out.add(mix(hash));
  }
  return out;
}

export interface Overlap {
  /** |A ∩ B| / |A ∪ B| */
  jaccard: number;
  /** |A ∩ B| / min(|A|, |B|): how much of the shorter text is in the longer one (a copy cut short). */
  containment: number;
}

export function overlap<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): Overlap {
  if (a.size === 0 || b.size === 0) return { jaccard: 0, containment: 0 };
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const s of small) if (large.has(s)) shared++;
  return { jaccard: shared / (a.size + b.size - shared), containment: shared / small.size };
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
