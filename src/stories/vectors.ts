/**
 * Sparse vectors as plain records (`{ term: weight }`), the form they are stored in as JSON: cosine, sums and
 * trimming to the strongest entries.
 */

export type SparseVector = Record<string, number>;

/** Norms of vectors met before: a story's profile is compared with many articles while it is cached. */
const norms = new WeakMap<SparseVector, number>();

/** The vector's length (cached per vector object: do not change a vector after measuring it). */
export function norm(vector: SparseVector): number {
  const known = norms.get(vector);
  if (known !== undefined) return known;
  let total = 0;
  for (const weight of Object.values(vector)) total += weight * weight;
  const length = Math.sqrt(total);
  norms.set(vector, length);
  return length;
}

/** Cosine similarity; 0 when either vector is empty. Iterates `a`: pass the smaller vector first. */
export function cosine(a: SparseVector, b: SparseVector): number {
  let dot = 0;
  for (const term in a) {
    const other = b[term];
    if (other !== undefined) dot += (a[term] as number) * other;
  }
  if (dot === 0) return 0;
  return dot / (norm(a) * norm(b));
}

/** The vector scaled to length 1 (an empty or zero vector stays as it is). */
export function normalize(vector: SparseVector): SparseVector {
  const length = norm(vector);
  if (length === 0) return { ...vector };
  const out: SparseVector = {};
  for (const [term, weight] of Object.entries(vector)) out[term] = weight / length;
  return out;
}

/** Adds `vector × factor` into `target` in place. */
export function addInto(target: SparseVector, vector: SparseVector, factor = 1): void {
  for (const [term, weight] of Object.entries(vector)) {
    const next = (target[term] ?? 0) + weight * factor;
    if (Math.abs(next) < 1e-9) delete target[term];
    else target[term] = next;
  }
}

/** The `limit` heaviest entries (ties by term, so the result is deterministic), weights rounded for storage. */
export function strongest(vector: SparseVector, limit: number, digits = 4): SparseVector {
  const scale = 10 ** digits;
  const out: SparseVector = {};
  const entries = Object.entries(vector)
    .filter(([, weight]) => weight > 0)
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
    .slice(0, limit);
  for (const [term, weight] of entries) out[term] = Math.round(weight * scale) / scale || 1 / scale;
  return out;
}
