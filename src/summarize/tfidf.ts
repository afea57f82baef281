/** TF-IDF over the sentences of one text (or one story): the summarizers' shared arithmetic. */

export type TermVector = Map<string, number>;

/** ln(1 + N / df) over a small set of documents (sentences). */
export function inverseDocumentFrequency(documents: readonly string[][]): Map<string, number> {
  const df = new Map<string, number>();
  for (const tokens of documents) for (const token of new Set(tokens)) df.set(token, (df.get(token) ?? 0) + 1);
  const idf = new Map<string, number>();
  for (const [token, n] of df) idf.set(token, Math.log(1 + documents.length / n));
  return idf;
}

/** Sublinear TF × IDF; tokens without an IDF are dropped. */
export function tfidf(tokens: readonly string[], idf: Map<string, number>): TermVector {
  const tf = new Map<string, number>();
  for (const token of tokens) tf.set(token, (tf.get(token) ?? 0) + 1);
  const vector: TermVector = new Map();
  for (const [token, n] of tf) {
    const weight = idf.get(token);
    if (weight !== undefined) vector.set(token, (1 + Math.log(n)) * weight);
  }
  return vector;
}

export function cosine(a: TermVector, b: TermVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [token, weight] of small) dot += weight * (large.get(token) ?? 0);
  if (dot === 0) return 0;
  return dot / (norm(a) * norm(b));
}

const norms = new WeakMap<TermVector, number>();

/** The vector's length, cached per vector object (vectors are not changed once built). */
export function norm(vector: TermVector): number {
  const known = norms.get(vector);
  if (known !== undefined) return known;
  let total = 0;
  for (const weight of vector.values()) total += weight * weight;
  const length = Math.sqrt(total);
  norms.set(vector, length);
  return length;
}

/** Sum of vectors (an article's or a story's centroid). */
export function sumVectors(vectors: Iterable<TermVector>): TermVector {
  const out: TermVector = new Map();
  for (const vector of vectors) for (const [token, weight] of vector) out.set(token, (out.get(token) ?? 0) + weight);
  return out;
}

/** Values divided by the largest (all 0 when none is positive). */
export function normalise(values: readonly number[]): number[] {
  const max = Math.max(0, ...values);
  return max > 0 ? values.map((value) => value / max) : values.map(() => 0);
}
