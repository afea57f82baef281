import type { CommandContext, CommandHandler } from '../../src/commands/handle.ts';
import { progress } from '../lib/progress.ts';
import { latencySpreads, median, type Spread } from '../lib/stats.ts';

export interface SearchLatency {
  queries: number;
  p50: Spread;
  p95: Spread;
  p99: Spread;
  perQuery: { query: string; medianMs: number; results: number }[];
}

const CONTEXT: CommandContext = { channel: 'bench:search', lang: 'ko', timeZone: 'Asia/Seoul' };

/**
 * Times every query of the mix through `CommandHandler.search` (parse, topic expansion, FTS candidates,
 * re-ranking, copy grouping, snippets: what `/news <query>` runs), one untimed warm-up pass and then `passes`
 * timed passes. Each pass gives a p50/p95/p99 over the mix; the figures are the spread of those over passes.
 */
export async function measureSearch(
  commands: CommandHandler,
  queries: readonly string[],
  passes: number,
): Promise<SearchLatency> {
  const results = new Map<string, number>();
  for (const query of queries) {
    const reply = await commands.search(query, CONTEXT);
    results.set(query, reply.kind === 'search' ? reply.stories.length : 0);
  }
  const times = queries.map(() => [] as number[]);
  const perPass: number[][] = [];
  for (let pass = 0; pass < passes; pass++) {
    const sample: number[] = [];
    for (const [i, query] of queries.entries()) {
      const start = performance.now();
      await commands.search(query, CONTEXT);
      const ms = performance.now() - start;
      times[i]?.push(ms);
      sample.push(ms);
    }
    perPass.push(sample);
    progress(`  search pass ${pass + 1}/${passes}: p50 ${median(sample).toFixed(1)} ms`);
  }
  return {
    queries: queries.length,
    ...latencySpreads(perPass),
    perQuery: queries.map((query, i) => ({
      query,
      medianMs: median(times[i] as number[]),
      results: results.get(query) ?? 0,
    })),
  };
}
