/**
 * The extraction metric published with the article-extraction-benchmark (as the corpora README states it):
 * word 4-gram shingles (tokens `\w+`, Unicode, case-sensitive) counted as multisets; per page tp/fp/fn from
 * the counts; precision averaged over pages whose prediction has shingles, recall over all pages; F1 of the
 * two averages.
 */

const TOKEN = /[\p{L}\p{N}_]+/gu;
const SHINGLE_WORDS = 4;

/** The multiset of word 4-grams of a text; a text of 1–3 tokens gives one shorter shingle, none gives nothing. */
export function shingleCounts(text: string, n = SHINGLE_WORDS): Map<string, number> {
  const tokens = text.match(TOKEN) ?? [];
  const counts = new Map<string, number>();
  const last = Math.max(1, tokens.length - n + 1);
  for (let i = 0; i < last; i++) {
    const shingle = tokens.slice(i, i + n).join(' ');
    if (shingle) counts.set(shingle, (counts.get(shingle) ?? 0) + 1);
  }
  return counts;
}

export interface PageScore {
  tp: number;
  fp: number;
  fn: number;
  /** Null when the prediction has no shingles (it then counts for recall only). */
  precision: number | null;
  recall: number;
}

export function scorePage(truth: string, predicted: string): PageScore {
  const t = shingleCounts(truth);
  const p = shingleCounts(predicted);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const key of new Set([...t.keys(), ...p.keys()])) {
    const trueCount = t.get(key) ?? 0;
    const predCount = p.get(key) ?? 0;
    tp += Math.min(trueCount, predCount);
    fp += Math.max(0, predCount - trueCount);
    fn += Math.max(0, trueCount - predCount);
  }
  const perfect = fp === 0 && fn === 0;
  const precision = p.size === 0 ? null : perfect ? 1 : tp / (tp + fp);
  // Nothing to recall (an empty ground truth) is perfect recall; the prediction's excess costs precision.
  const recall = perfect || tp + fn === 0 ? 1 : tp / (tp + fn);
  return { tp, fp, fn, precision, recall };
}

export interface ExtractionScore {
  precision: number;
  recall: number;
  f1: number;
  pages: number;
  /** Pages whose prediction had no shingles. */
  emptyPredictions: number;
}

export function aggregateScores(pages: readonly PageScore[]): ExtractionScore {
  const withPrediction = pages.filter((p) => p.precision !== null);
  const mean = (values: number[]) => (values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : 0);
  const precision = mean(withPrediction.map((p) => p.precision as number));
  const recall = mean(pages.map((p) => p.recall));
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, pages: pages.length, emptyPredictions: pages.length - withPrediction.length };
}
