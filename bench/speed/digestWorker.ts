/**
 * Worker that builds the digest of one window `--runs` times through `CommandHandler.digest` (what
 * `/news digest` and the daily post run: read the window, group copies, rank, summarise) and prints one
 * `DigestRun` JSON line per build, so bench.ts can stop it after a time limit and keep the runs so far.
 *
 *   node bin/run-ts.js bench/speed/digestWorker.ts --db PATH --from ISO --to ISO [--runs 3]
 */
import { openApp } from '../../src/app.ts';
import { parseArgs, positiveInt } from '../lib/args.ts';
import { peakRssMb } from '../lib/timing.ts';
import type { DigestRun } from './types.ts';

const args = parseArgs(process.argv.slice(2), ['db', 'from', 'to', 'runs'], []);
const dbPath = args.values.get('db');
const from = new Date(args.values.get('from') ?? '');
const to = new Date(args.values.get('to') ?? '');
const runs = positiveInt(args.values.get('runs') ?? '3', 'runs');
if (!dbPath || Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) {
  throw new Error('usage: digestWorker.ts --db PATH --from ISO --to ISO [--runs N]');
}

const app = openApp({ dbPath, configPath: null, now: () => to });
try {
  const context = { channel: 'bench:digest', lang: 'ko' as const, timeZone: 'Asia/Seoul' };
  for (let i = 0; i < runs; i++) {
    let articles = 0;
    let stories = 0;
    const start = performance.now();
    const reply = await app.commands.digest(context, { from, to });
    const ms = performance.now() - start;
    if (reply.kind === 'digest') {
      articles = reply.digest.articleCount;
      stories = reply.digest.stories.length;
    }
    const run: DigestRun = { ms, articles, stories, peakRssMb: peakRssMb() };
    process.stdout.write(`${JSON.stringify(run)}\n`);
  }
} finally {
  app.close();
}
