import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareFtsWithLike, likePattern } from '../../bench/baselines/likeScan.ts';
import type { ArticleRecord } from '../../storage/repositories.ts';
import { openSqliteStore } from '../../storage/sqlite/index.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();

function record(key: string, title: string, body: string): ArticleRecord {
  return {
    key,
    url: key,
    sourceId: null,
    sourceName: 'Test',
    title,
    deck: [],
    paragraphs: [body],
    byline: null,
    lang: 'ko',
    publishedAt: '2026-11-26T10:00:00+09:00',
    updatedAt: null,
    contentHash: key,
  };
}

describe('likePattern', () => {
  it('escapes LIKE wildcards so a term matches literally', () => {
    expect(likePattern('50%_off')).toBe('%50\\%\\_off%');
    expect(likePattern('a\\b')).toBe('%a\\\\b%');
  });
});

describe('compareFtsWithLike', () => {
  it('times both queries on the same SQLite file and counts LIKE matches', () => {
    const dbPath = join(tempDir(), 'like.db');
    const store = openSqliteStore(dbPath);
    try {
      store.articles.save(record('https://a.example/1', 'Samsung ships HBM4', '삼성전자가 HBM4 양산에 들어갔다.'));
      store.articles.save(record('https://a.example/2', '엔비디아 실적', 'NVIDIA beat estimates; 50% growth.'));
      store.articles.save(record('https://a.example/3', 'Other news', 'Nothing to see, 50 units.'));
      const result = compareFtsWithLike(store.articles, dbPath, ['samsung', '삼성', '50%', 'zzyzx'], {
        fts: 1,
        like: 1,
      });
      expect(result.terms.map((t) => [t.term, t.likeMatches])).toEqual([
        ['samsung', 1],
        ['삼성', 1],
        ['50%', 1],
        ['zzyzx', 0],
      ]);
      for (const t of result.terms) expect(t.ftsMs.runs).toBe(1);
      expect(result.likeOverFts).toBeGreaterThan(0);
    } finally {
      store.close();
    }
  });
});
