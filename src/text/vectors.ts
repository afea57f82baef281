/**
 * Sparse vectors: stored as plain records (`{ term: weight }`, JSON), computed on as Maps (`Vector`) — looking a
 * term up in a Map or walking one is many times faster than in a record of a few hundred keys. A Vector keeps
 * the order the record would have (array-index keys such as `2026` first, ascending, then insertion order), so
 * sums come out to the same last bit whichever form a vector went through.
 */

export type SparseVector = Record<string, number>;
/** A vector to compute on; never changed after it is made (its norm is cached). */
export type Vector = Map<string, number>;

/** Norms of vectors met before: a story's profile is compared with many articles while it is cached. */
const norms = new WeakMap<Vector, number>();

export function fromRecord(record: SparseVector | undefined): Vector {
  return new Map(record ? Object.entries(record) : []);
}

/**
 * An empty record for many keys of our choosing. Without a prototype it is a hash table from the start; a plain
 * `{}` given a hundred new keys walks through a hundred hidden classes, several times slower (and no key, not
 * even `__proto__`, is special). It serializes and iterates like a plain object.
 */
export function emptyRecord(): SparseVector {
  return Object.create(null) as SparseVector;
}

/** A copy of the record (see `emptyRecord`). */
export function copyRecord(record: Readonly<SparseVector>): SparseVector {
  const out = emptyRecord();
  for (const key in record) out[key] = record[key] as number;
  return out;
}

export function toRecord(vector: Vector): SparseVector {
  const out = emptyRecord();
  for (const [key, value] of vector) out[key] = value;
  return out;
}

/** The vector's length (cached per vector: do not change a vector after measuring it). */
export function norm(vector: Vector): number {
  const known = norms.get(vector);
  if (known !== undefined) return known;
  let total = 0;
  for (const weight of vector.values()) total += weight * weight;
  const length = Math.sqrt(total);
  norms.set(vector, length);
  return length;
}

/** Cosine similarity; 0 when either vector is empty. Iterates `a`: pass the smaller vector first. */
export function cosine(a: Vector, b: Vector): number {
  let dot = 0;
  for (const [term, weight] of a) {
    const other = b.get(term);
    if (other !== undefined) dot += weight * other;
  }
  if (dot === 0) return 0;
  return dot / (norm(a) * norm(b));
}

/** The vector scaled to length 1 (an empty or zero vector stays as it is). */
export function normalize(vector: Vector): Vector {
  const length = norm(vector);
  if (length === 0) return new Map(vector);
  const out: Vector = new Map();
  for (const [term, weight] of vector) out.set(term, weight / length);
  return out;
}

/** Adds `vector × factor` into `target` in place (a Map being built, not a finished vector). */
export function addInto(target: Vector, vector: Vector, factor = 1): void {
  for (const [term, weight] of vector) {
    const next = (target.get(term) ?? 0) + weight * factor;
    if (Math.abs(next) < 1e-9) target.delete(term);
    else target.set(term, next);
  }
}

/** The `limit` heaviest entries (ties by term, so the result is deterministic), weights rounded for storage. */
export function strongest(vector: Vector, limit: number, digits = 4): Vector {
  const scale = 10 ** digits;
  const entries: [string, number][] = [];
  for (const entry of vector) if (entry[1] > 0) entries.push(entry);
  entries.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  if (entries.length > limit) entries.length = limit;
  return inRecordOrder(entries.map(([term, weight]) => [term, Math.round(weight * scale) / scale || 1 / scale]));
}

/** The terms of the strongest `limit` entries (the same choice as `strongest`, without building a vector). */
export function strongestTerms(vector: Vector, limit: number): string[] {
  const entries: [string, number][] = [];
  for (const entry of vector) if (entry[1] > 0) entries.push(entry);
  entries.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  if (entries.length > limit) entries.length = limit;
  return entries.map(([term]) => term);
}

/** Whether a record would order this key first, as an array index (`0`, `2026`; not `02` or `-1`). */
function isArrayIndex(key: string): boolean {
  const first = key.charCodeAt(0);
  if (first < 0x30 || first > 0x39) return false;
  if (first === 0x30) return key.length === 1;
  for (let i = 1; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return false;
  }
  return key.length < 10 || Number(key) < 2 ** 32 - 1;
}

/** The entries as a Vector in the order a record built from them would have. */
function inRecordOrder(entries: [string, number][]): Vector {
  const indices = entries.filter((entry) => isArrayIndex(entry[0]));
  if (indices.length === 0) return new Map(entries);
  indices.sort((x, y) => Number(x[0]) - Number(y[0]));
  const out: Vector = new Map(indices);
  for (const entry of entries) if (!out.has(entry[0])) out.set(entry[0], entry[1]);
  return out;
}
