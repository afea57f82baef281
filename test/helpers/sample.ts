import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openApp, type SqliteApp } from '../../src/app.ts';
import { SAMPLE_NEWS_PATH } from '../../src/paths.ts';

/** The seed article, which lives outside the repository (../shared/seed); tests that need it skip without it. */
export const SEED_PATH = join(import.meta.dirname, '../../../shared/seed/000_f1e9409728a12962.txt');
export const SEED_PRESENT = existsSync(SEED_PATH);
if (!SEED_PRESENT) console.warn(`seed article not found at ${SEED_PATH}: seed checks are skipped`);

/** Page furniture that must not survive in the seed's body (issue 2's list, plus print/PDF buttons and NBSP). */
export const SEED_FORBIDDEN = [
  '페이스북',
  '이메일 보내기',
  '[워싱턴=AP/뉴시스]',
  'chocrystal',
  '[email protected]',
  '공감언론',
  '많이 본 기사',
  '등록 2024',
  '프린터',
  'PDF',
  '\u00a0',
];

/** The end of the sample's newest day in Seoul: the clock the demo uses. */
export const SAMPLE_NOW = new Date('2026-11-26T23:59:59+09:00');

export async function openSampleApp(dir: string, options: { withSeed?: boolean } = {}): Promise<SqliteApp> {
  const app = openApp({ dbPath: join(dir, 'nb.db'), configPath: null, now: () => SAMPLE_NOW });
  const paths = [SAMPLE_NEWS_PATH];
  if (options.withSeed && SEED_PRESENT) paths.push(SEED_PATH);
  await app.ingestor.ingestPaths(paths);
  return app;
}
