/**
 * The bundled sample news ingested into a temp database through the real pipeline (`openApp`, the Ingestor),
 * with each stored article's label ids: its canonical URL and, for a saved text file, `saved/<file>`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, sep } from 'node:path';
import { openApp, type SqliteApp } from '../../src/app.ts';
import { canonicalUrl } from '../../src/ingest/canonicalUrl.ts';
import { SAMPLE_NEWS_PATH } from '../../src/paths.ts';

export interface SampleArchive {
  dbPath: string;
  /** Stored article id → the ids labels may use for it. */
  labelIds: Map<number, string[]>;
  /** Earliest and latest publication instants in the archive. */
  span: { from: Date; to: Date };
  failed: number;
  /** An app over the archive whose clock is `now`. */
  open(now: Date): SqliteApp;
  close(): void;
}

/** A label as stored: URLs canonicalised the way ingestion does, `saved/…` as written. */
export function normalizeLabel(label: string): string {
  return /^https?:\/\//i.test(label) ? (canonicalUrl(label) ?? label) : label;
}

export async function ingestSampleArchive(): Promise<SampleArchive> {
  const dir = mkdtempSync(join(tmpdir(), 'newsbrief-quality-'));
  const dbPath = join(dir, 'sample.db');
  const app = openApp({ dbPath, configPath: null });
  const labelIds = new Map<number, string[]>();
  let failed = 0;
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  try {
    const report = await app.ingestor.ingestPaths([SAMPLE_NEWS_PATH]);
    failed = report.counts.failed;
    for (const outcome of report.outcomes) {
      if (outcome.articleId === undefined) continue;
      const ids = labelIds.get(outcome.articleId) ?? [];
      const where = relative(SAMPLE_NEWS_PATH, outcome.origin).split(sep);
      if (where[0] === 'saved') ids.push(`saved/${basename(outcome.origin)}`);
      labelIds.set(outcome.articleId, ids);
    }
    for (const article of app.store.articles.getMany([...labelIds.keys()])) {
      const ids = labelIds.get(article.id) as string[];
      if (article.url) ids.unshift(article.url);
      labelIds.set(article.id, [...new Set(ids)]);
      const ms = article.publishedAt ? Date.parse(article.publishedAt) : Number.NaN;
      if (!Number.isNaN(ms)) {
        from = Math.min(from, ms);
        to = Math.max(to, ms);
      }
    }
  } finally {
    app.close();
  }
  return {
    dbPath,
    labelIds,
    span: { from: new Date(from), to: new Date(to) },
    failed,
    open: (now) => openApp({ dbPath, configPath: null, now: () => now }),
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}
