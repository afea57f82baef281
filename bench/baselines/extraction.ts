/**
 * Extraction throughput: newsbrief's `extractHtmlArticle` (Readability on linkedom plus metadata and Korean
 * cleanup) against its peer, bare @mozilla/readability on linkedom (`parseHTML(html)`, `parse()`), and against
 * the usual Node setup, Readability on jsdom, over the same decoded pages in the same run.
 */
import { Readability } from '@mozilla/readability';
import { JSDOM, VirtualConsole } from 'jsdom';
import { parseHTML } from 'linkedom';
import { extractHtmlArticle } from '../../src/extract/index.ts';
import { progress } from '../lib/progress.ts';
import { mapSpread, type Spread, spread } from '../lib/stats.ts';
import { timeMs } from '../lib/timing.ts';
import type { BenchPage } from './pages.ts';

export interface ExtractionThroughput {
  pages: number;
  megabytes: number;
  ours: { pagesPerSecond: Spread; failed: number };
  readabilityLinkedom: { pagesPerSecond: Spread; failed: number };
  readabilityJsdom: { pagesPerSecond: Spread; failed: number };
  /** Our pages/s over bare Readability on linkedom's (median over median): the peer, same parser. */
  ratioLinkedom: number;
  /** Our pages/s over Readability on jsdom's (median over median). */
  ratio: number;
}

function readabilityOnLinkedom(page: BenchPage): boolean {
  const { document } = parseHTML(page.html);
  return new Readability(document as never).parse() !== null;
}

function readabilityOnJsdom(page: BenchPage): boolean {
  const dom = new JSDOM(page.html, { url: page.url ?? 'https://example.com/', virtualConsole: new VirtualConsole() });
  try {
    return new Readability(dom.window.document as never).parse() !== null;
  } finally {
    dom.window.close();
  }
}

function pass(pages: readonly BenchPage[], extract: (page: BenchPage) => boolean): { ms: number; failed: number } {
  let failed = 0;
  const ms = timeMs(() => {
    for (const page of pages) {
      try {
        if (!extract(page)) failed++;
      } catch {
        failed++;
      }
    }
  });
  return { ms, failed };
}

export function measureExtraction(pages: readonly BenchPage[], runs: number): ExtractionThroughput {
  const measure = (name: string, extract: (page: BenchPage) => boolean) => {
    pass(pages.slice(0, 5), extract); // warm-up
    const results = Array.from({ length: runs }, (_, i) => {
      const r = pass(pages, extract);
      progress(`  ${name} pass ${i + 1}/${runs}: ${(r.ms / 1000).toFixed(1)} s`);
      return r;
    });
    return {
      pagesPerSecond: mapSpread(spread(results.map((r) => r.ms)), (ms) => pages.length / (ms / 1000)),
      failed: results[0]?.failed ?? 0,
    };
  };
  const ours = measure('newsbrief', (page) => extractHtmlArticle(page.html, { url: page.url }).paragraphs.length > 0);
  const readabilityLinkedom = measure('readability+linkedom', readabilityOnLinkedom);
  const readabilityJsdom = measure('readability+jsdom', readabilityOnJsdom);
  return {
    pages: pages.length,
    megabytes: pages.reduce((total, p) => total + p.bytes, 0) / 1024 / 1024,
    ours,
    readabilityLinkedom,
    readabilityJsdom,
    ratioLinkedom: ours.pagesPerSecond.median / readabilityLinkedom.pagesPerSecond.median,
    ratio: ours.pagesPerSecond.median / readabilityJsdom.pagesPerSecond.median,
  };
}
