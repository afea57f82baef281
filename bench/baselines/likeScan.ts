/**
 * The FTS-against-LIKE baseline: the engine's FTS candidate query (`ArticleRepository.search`, BM25-ranked,
 * what `/news` asks storage for) against the plain scan a naive implementation would run on the same articles
 * table, `title LIKE '%term%' OR body LIKE '%term%'`. Both have to visit every match (the FTS query ranks them
 * all before its LIMIT). The LIKE side is bench code reading the SQLite file directly.
 */
import Database from 'better-sqlite3';
import type { ArticleRepository } from '../../storage/repositories.ts';
import { progress } from '../lib/progress.ts';
import { type Spread, spread } from '../lib/stats.ts';
import { timeRuns } from '../lib/timing.ts';

export interface ScanComparison {
  terms: { term: string; ftsMs: Spread; likeMs: Spread; likeMatches: number }[];
  likeOverFts: number;
}

/** The LIKE pattern for a literal term: `%`, `_` and the escape character itself are escaped. */
export function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function compareFtsWithLike(
  articles: ArticleRepository,
  dbPath: string,
  terms: readonly string[],
  runs: { fts: number; like: number },
): ScanComparison {
  const db = new Database(dbPath, { readonly: true });
  try {
    const like = db.prepare("SELECT id FROM articles WHERE title LIKE ? ESCAPE '\\' OR body LIKE ? ESCAPE '\\'");
    const rows = terms.map((term) => {
      const ftsMs = spread(timeRuns(runs.fts, () => articles.search({ text: { all: [[term]], none: [] }, limit: 60 })));
      let likeMatches = 0;
      const likeMs = spread(
        timeRuns(runs.like, () => {
          const pattern = likePattern(term);
          likeMatches = like.all(pattern, pattern).length;
        }),
      );
      progress(`  ${term}: FTS ${ftsMs.median.toFixed(1)} ms, LIKE ${likeMs.median.toFixed(1)} ms`);
      return { term, ftsMs, likeMs, likeMatches };
    });
    const sum = (pick: (r: (typeof rows)[number]) => number) => rows.reduce((total, r) => total + pick(r), 0);
    return { terms: rows, likeOverFts: sum((r) => r.likeMs.median) / sum((r) => r.ftsMs.median) };
  } finally {
    db.close();
  }
}
