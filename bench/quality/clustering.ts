/**
 * Pairwise clustering scores: every pair of articles put in one story is a predicted pair, every pair the
 * labels put in one story a true pair. Precision = shared pairs / predicted pairs, recall = shared / true
 * (each 1 when its denominator is 0). Only labelled articles count; a labelled article missing from the
 * prediction is a story of its own.
 */

export interface PairwiseScore {
  precision: number;
  recall: number;
  f1: number;
  predictedPairs: number;
  truePairs: number;
  sharedPairs: number;
  /** Predicted articles without a label (ignored). */
  unlabelled: number;
}

function pairs(n: number): number {
  return (n * (n - 1)) / 2;
}

export function pairwiseScores(
  predicted: readonly (readonly string[])[],
  truth: readonly (readonly string[])[],
): PairwiseScore {
  const trueCluster = new Map<string, number>();
  truth.forEach((cluster, i) => {
    for (const item of cluster) trueCluster.set(item, i);
  });
  let unlabelled = 0;
  let predictedPairs = 0;
  let sharedPairs = 0;
  for (const cluster of predicted) {
    const labelled = [...new Set(cluster)].filter((item) => {
      const known = trueCluster.has(item);
      if (!known) unlabelled++;
      return known;
    });
    predictedPairs += pairs(labelled.length);
    const perTrue = new Map<number, number>();
    for (const item of labelled) {
      const c = trueCluster.get(item) as number;
      perTrue.set(c, (perTrue.get(c) ?? 0) + 1);
    }
    for (const n of perTrue.values()) sharedPairs += pairs(n);
  }
  const truePairs = truth.reduce((total, cluster) => total + pairs(new Set(cluster).size), 0);
  const precision = predictedPairs > 0 ? sharedPairs / predictedPairs : 1;
  const recall = truePairs > 0 ? sharedPairs / truePairs : 1;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, predictedPairs, truePairs, sharedPairs, unlabelled };
}
