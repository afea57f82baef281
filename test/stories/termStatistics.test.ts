import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TermStatistics } from '../../src/stories/termStatistics.ts';
import { openSqliteStore, type SqliteStore } from '../../storage/sqlite/index.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();

function openStore(path = join(tempDir(), 'nb.db')): SqliteStore {
  return openSqliteStore(path);
}

/** ln((N + 1) / (df + 0.5)) */
const idf = (documents: number, df: number) => Math.log((documents + 1) / (df + 0.5));

describe('term statistics', async () => {
  it('counts in memory and writes the counts at flush', async () => {
    const db = openStore();
    const terms = new TermStatistics(db.async.storyTerms);
    await terms.refresh();
    terms.count(['삼성', 'xr'], [], 1);
    terms.count(['삼성'], [], 1);
    await terms.prefetch(['삼성', 'xr']);
    expect(terms.idf('삼성')).toBeCloseTo(idf(2, 2));
    expect(terms.idf('xr')).toBeCloseTo(idf(2, 1));
    expect(db.storyTerms.documentCount()).toBe(0);
    await terms.flush();
    expect(db.storyTerms.documentCount()).toBe(2);
    expect(db.storyTerms.frequencies(['삼성', 'xr'])).toEqual(
      new Map([
        ['삼성', 2],
        ['xr', 1],
      ]),
    );
    // A re-counted document moves its terms: out with the old version, in with the new.
    terms.count(['xr', 'meta'], ['삼성', 'xr'], 0);
    await terms.flush();
    expect(db.storyTerms.frequencies(['삼성', 'xr', 'meta'])).toEqual(
      new Map([
        ['삼성', 1],
        ['xr', 1],
        ['meta', 1],
      ]),
    );
    db.close();
  });

  it('undoes the counts of a document whose indexing was rolled back', async () => {
    const db = openStore();
    const terms = new TermStatistics(db.async.storyTerms);
    await terms.refresh();
    terms.count(['kept'], [], 1);
    terms.begin();
    terms.count(['kept', 'lost'], [], 1);
    terms.rollback();
    await terms.flush();
    expect(db.storyTerms.documentCount()).toBe(1);
    expect(db.storyTerms.frequencies(['kept', 'lost'])).toEqual(new Map([['kept', 1]]));
    db.close();
  });

  it('notices when another indexer wrote', async () => {
    const path = join(tempDir(), 'nb.db');
    const first = openStore(path);
    const second = openStore(path);
    const mine = new TermStatistics(first.async.storyTerms);
    const theirs = new TermStatistics(second.async.storyTerms);
    expect(await mine.refresh()).toBe(true);
    mine.count(['a'], [], 1);
    await mine.flush();
    expect(await mine.refresh()).toBe(false);
    await theirs.refresh();
    theirs.count(['a'], ['a'], 0); // a re-indexed article: the document count does not move
    await theirs.flush(true);
    expect(await mine.refresh()).toBe(true);
    expect(await mine.refresh()).toBe(false);
    first.close();
    second.close();
  });
});
