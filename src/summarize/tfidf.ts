/** TF-IDF over the sentences of one text (or one story): the summarizers' shared arithmetic. */

import { norm, cosine as vectorCosine } from '../text/vectors.ts';

export { norm };

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

/** Cosine similarity of two vectors, walking the smaller one. */
export function cosine(a: TermVector, b: TermVector): number {
  return a.size <= b.size ? vectorCosine(a, b) : vectorCosine(b, a);
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
