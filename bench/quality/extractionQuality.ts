/** Extraction quality on the aeb pages: the published P/R/F1, pages that crashed, and the slowest page. */
import { readFileSync } from 'node:fs';
import { extractHtmlArticle } from '../../src/extract/index.ts';
import type { BenchPage } from '../baselines/pages.ts';
import { aggregateScores, type ExtractionScore, type PageScore, scorePage } from './aebMetric.ts';

export interface ExtractionQuality extends ExtractionScore {
  /** Pages where the extractor threw (it is meant never to). */
  crashed: string[];
  slowest: { id: string; ms: number };
  totalSeconds: number;
}

export function loadGroundTruth(path: string): Record<string, { articleBody: string; url?: string }> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, { articleBody: string; url?: string }>;
}

/** The body as `newsbrief extract` prints it (`text`): paragraphs separated by a blank line. */
export function extractedText(page: BenchPage): string {
  return extractHtmlArticle(page.html, { url: page.url }).paragraphs.join('\n\n');
}

export function measureExtractionQuality(
  pages: readonly BenchPage[],
  truth: Record<string, { articleBody: string }>,
): ExtractionQuality {
  const scores: PageScore[] = [];
  const crashed: string[] = [];
  let slowest = { id: '', ms: 0 };
  const start = performance.now();
  for (const page of pages) {
    const expected = truth[page.id];
    if (!expected) continue;
    const t = performance.now();
    let predicted = '';
    try {
      predicted = extractedText(page);
    } catch {
      crashed.push(page.id);
    }
    const ms = performance.now() - t;
    if (ms > slowest.ms) slowest = { id: page.id, ms };
    scores.push(scorePage(expected.articleBody, predicted));
  }
  return {
    ...aggregateScores(scores),
    crashed,
    slowest,
    totalSeconds: (performance.now() - start) / 1000,
  };
}
