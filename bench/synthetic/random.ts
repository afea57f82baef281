/**
 * A small seeded PRNG (mulberry32) for the synthetic corpus. Every article gets its own stream derived from
 * (corpus seed, article index), so article i is the same whatever the corpus size and can be regenerated on
 * its own (a wire copy re-creates its original instead of keeping it in memory).
 */

/** Mixes two 32-bit integers into a well-spread seed (the murmur3 finaliser). */
export function mixSeed(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 0x9e3779b9, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks with a Zipf-like bias towards the front of the list (exponent 1): popular items first. */
  pickZipf<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    // Inverse CDF of a continuous 1/x density over [1, n + 1).
    const rank = Math.floor(Math.exp(this.next() * Math.log(items.length + 1))) - 1;
    return items[Math.min(items.length - 1, rank)] as T;
  }
}
