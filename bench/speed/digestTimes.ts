import { failureReason, parseJsonLine, runWorker } from '../lib/child.ts';
import { progress } from '../lib/progress.ts';
import { type Spread, spread } from '../lib/stats.ts';
import type { DigestRun } from './types.ts';

export interface DigestFigure {
  /** `ok`: all runs finished; `timeout`: the first run did not finish in time; `skipped`: not run (see note). */
  status: 'ok' | 'timeout' | 'skipped' | 'failed';
  window: { from: string; to: string } | null;
  articles: number | null;
  stories: number | null;
  ms: Spread | null;
  timeoutSeconds: number;
  peakRssMb: number | null;
  note?: string;
}

/** Builds the window's digest in a worker, `runs` times, giving up (killing the worker) after `timeoutSeconds`. */
export async function measureDigest(
  dbPath: string,
  window: { from: string; to: string },
  runs: number,
  timeoutSeconds: number,
): Promise<DigestFigure> {
  const lines: DigestRun[] = [];
  const run = await runWorker(
    'bench/speed/digestWorker.ts',
    ['--db', dbPath, '--from', window.from, '--to', window.to, '--runs', String(runs)],
    {
      timeoutMs: timeoutSeconds * 1000,
      onLine: (line) => {
        const parsed = parseJsonLine<DigestRun>(line);
        if (parsed) {
          lines.push(parsed);
          progress(
            `  digest run ${lines.length}/${runs}: ${Math.round(parsed.ms)} ms over ${parsed.articles} articles`,
          );
        }
      },
    },
  );
  const base = { window, timeoutSeconds };
  if (lines.length === 0) {
    return {
      ...base,
      status: run.timedOut ? 'timeout' : 'failed',
      articles: null,
      stories: null,
      ms: null,
      peakRssMb: null,
      note: run.timedOut ? `no build finished in ${timeoutSeconds} s` : failureReason(run),
    };
  }
  const last = lines.at(-1) as DigestRun;
  const figure: DigestFigure = {
    ...base,
    status: 'ok',
    articles: last.articles,
    stories: last.stories,
    ms: spread(lines.map((l) => l.ms)),
    peakRssMb: last.peakRssMb,
  };
  if (lines.length < runs) figure.note = `${lines.length} of ${runs} runs finished within ${timeoutSeconds} s`;
  return figure;
}
