import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type App, openApp } from '../../src/app.ts';
import { SAMPLE_NEWS_PATH } from '../../src/paths.ts';

/** The seed article, which lives outside the repository (../shared/seed); tests that need it skip without it. */
export const SEED_PATH = join(import.meta.dirname, '../../../shared/seed/000_f1e9409728a12962.txt');
export const SEED_PRESENT = existsSync(SEED_PATH);
if (!SEED_PRESENT) console.warn(`seed article not found at ${SEED_PATH}: seed checks are skipped`);

/** The end of the sample's newest day in Seoul: the clock the demo uses. */
export const SAMPLE_NOW = new Date('2026-11-26T23:59:59+09:00');

export function openSampleApp(dir: string, options: { withSeed?: boolean } = {}): App {
  const app = openApp({ dbPath: join(dir, 'nb.db'), configPath: null, now: () => SAMPLE_NOW });
  const paths = [SAMPLE_NEWS_PATH];
  if (options.withSeed && SEED_PRESENT) paths.push(SEED_PATH);
  app.ingestor.ingestPaths(paths);
  return app;
}
