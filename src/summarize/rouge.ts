/**
 * ROUGE-1, ROUGE-2 and ROUGE-L F1 (Lin 2004) over tokens that keep Hangul, for the summary quality benchmark.
 * ROUGE-N counts clipped n-gram overlap; ROUGE-L uses the longest common subsequence of the whole token
 * sequences (the `rougeL` of Google's `rouge_score`, not the per-sentence `rougeLsum`).
 */
import { wordTokens } from './tokens.ts';

export interface RougeScore {
  precision: number;
  recall: number;
  f1: number;
}

export interface RougeScores {
  rouge1: RougeScore;
  rouge2: RougeScore;
  rougeL: RougeScore;
}

/** A text, or its sentences (joined with a space). */
export type RougeText = string | readonly string[];

export function rougeTokens(text: RougeText): string[] {
  return wordTokens(typeof text === 'string' ? text : text.join(' '));
}

export function rougeN(candidate: RougeText, reference: RougeText, n: number): RougeScore {
  const cand = ngramCounts(rougeTokens(candidate), n);
  const ref = ngramCounts(rougeTokens(reference), n);
  let overlap = 0;
  for (const [gram, count] of cand.counts) overlap += Math.min(count, ref.counts.get(gram) ?? 0);
  return score(overlap, cand.total, ref.total);
}

export function rougeL(candidate: RougeText, reference: RougeText): RougeScore {
  const cand = rougeTokens(candidate);
  const ref = rougeTokens(reference);
  return score(lcsLength(cand, ref), cand.length, ref.length);
}

export function rouge(candidate: RougeText, reference: RougeText): RougeScores {
  return {
    rouge1: rougeN(candidate, reference, 1),
    rouge2: rougeN(candidate, reference, 2),
    rougeL: rougeL(candidate, reference),
  };
}

function ngramCounts(tokens: string[], n: number): { counts: Map<string, number>; total: number } {
  const counts = new Map<string, number>();
  let total = 0;
  for (let i = 0; i + n <= tokens.length; i++) {
    const gram = tokens.slice(i, i + n).join('\u0000');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
    total++;
  }
  return { counts, total };
}

function lcsLength(a: readonly string[], b: readonly string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      current[j] =
        a[i - 1] === b[j - 1]
          ? (previous[j - 1] as number) + 1
          : Math.max(previous[j] as number, current[j - 1] as number);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length] as number;
}

function score(overlap: number, candidateTotal: number, referenceTotal: number): RougeScore {
  const precision = candidateTotal > 0 ? overlap / candidateTotal : 0;
  const recall = referenceTotal > 0 ? overlap / referenceTotal : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}
