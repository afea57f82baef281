import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BandIndex, type IndexedSignature } from '../../src/stories/bandIndex.ts';
import { BANDS, bandKeys, NUM_HASHES, ROWS, signatureToBytes } from '../../src/stories/minhash.ts';
import { openSqliteStore, type SqliteStore } from '../../storage/sqlite/index.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-11-24T00:00:00Z');

/** A signature whose first `sharedBands` bands equal the base signature's, the rest unique to `seed`. */
function signatureSharing(sharedBands: number, seed: number): Uint32Array {
  const signature = new Uint32Array(NUM_HASHES);
  for (let i = 0; i < NUM_HASHES; i++) signature[i] = i < sharedBands * ROWS ? i : 1_000_000 * seed + i;
  return signature;
}

function openStore(): SqliteStore {
  return openSqliteStore(join(tempDir(), 'nb.db'));
}

/** Stores an article and its signature (the band index reads signatures of articles that exist). */
function store(db: SqliteStore, index: BandIndex | null, timeMs: number, signature: Uint32Array): IndexedSignature {
  const id = db.articles.save({
    key: `k${timeMs}-${signature[NUM_HASHES - 1]}`,
    url: null,
    sourceId: null,
    sourceName: null,
    title: 't',
    deck: [],
    paragraphs: [],
    byline: null,
    lang: 'en',
    publishedAt: null,
    updatedAt: null,
    contentHash: `h${timeMs}-${signature[NUM_HASHES - 1]}`,
  });
  const article = { articleId: id, timeMs, shingleCount: 100, signature, bands: bandKeys(signature) };
  db.duplicates.putSignature({ articleId: id, timeMs, shingleCount: 100, minhash: signatureToBytes(signature) });
  index?.put(article);
  return article;
}

const ids = (found: { article: { articleId: number } }[]) => found.map((c) => c.article.articleId);

describe('band index', async () => {
  it('ranks by shared bands, then oldest id, within the window and without the asking article', async () => {
    const db = openStore();
    const index = new BandIndex(db.async.duplicates);
    const base = signatureSharing(BANDS, 0);
    const query = store(db, index, T0, base);
    const two = store(db, index, T0 + HOUR, signatureSharing(2, 1));
    const fiveA = store(db, index, T0 - HOUR, signatureSharing(5, 2));
    const fiveB = store(db, index, T0 + 2 * HOUR, signatureSharing(5, 3));
    const none = store(db, index, T0, signatureSharing(0, 4));
    const late = store(db, index, T0 + 10 * DAY, signatureSharing(9, 5));
    const found = await index.candidates(query.bands, T0 - 3 * DAY, T0 + 3 * DAY, query.articleId, 20);
    expect(ids(found)).toEqual([fiveA.articleId, fiveB.articleId, two.articleId]);
    expect(found.map((c) => c.sharedBands)).toEqual([5, 5, 2]);
    expect(ids(found)).not.toContain(none.articleId);
    expect(ids(found)).not.toContain(late.articleId);
    // The window's ends count.
    expect(ids(await index.candidates(query.bands, T0 + HOUR, T0 + HOUR, query.articleId, 20))).toEqual([
      two.articleId,
    ]);
    db.close();
  });

  it('keeps the oldest of the articles tied at the limit', async () => {
    const db = openStore();
    const index = new BandIndex(db.async.duplicates);
    const query = store(db, index, T0, signatureSharing(BANDS, 0));
    const ones = Array.from({ length: 30 }, (_, i) => store(db, index, T0 + i * 60_000, signatureSharing(1, i + 1)));
    const three = store(db, index, T0, signatureSharing(3, 99));
    const found = await index.candidates(query.bands, T0 - DAY, T0 + DAY, query.articleId, 5);
    expect(ids(found)).toEqual([three.articleId, ...ones.slice(0, 4).map((a) => a.articleId)]);
    db.close();
  });

  it('finds what another index stored, for recent windows and for windows far back', async () => {
    const db = openStore();
    const writer = new BandIndex(db.async.duplicates);
    const old = store(db, writer, T0 - 30 * DAY, signatureSharing(4, 1));
    const recent = store(db, writer, T0, signatureSharing(6, 2));
    const reader = new BandIndex(db.async.duplicates);
    const bands = bandKeys(signatureSharing(BANDS, 0));
    expect(ids(await reader.candidates(bands, T0 - 3 * DAY, T0 + 3 * DAY, -1, 20))).toEqual([recent.articleId]);
    // Far before the span held: read from the store without disturbing what is held.
    expect(ids(await reader.candidates(bands, T0 - 33 * DAY, T0 - 27 * DAY, -1, 20))).toEqual([old.articleId]);
    const later = store(db, reader, T0 + HOUR, signatureSharing(8, 3));
    expect(ids(await reader.candidates(bands, T0 - 3 * DAY, T0 + 3 * DAY, -1, 20))).toEqual([
      later.articleId,
      recent.articleId,
    ]);
    db.close();
  });

  it('puts back what a rolled-back article changed', async () => {
    const db = openStore();
    const index = new BandIndex(db.async.duplicates);
    const bands = bandKeys(signatureSharing(BANDS, 0));
    const kept = store(db, index, T0, signatureSharing(3, 1));
    expect(ids(await index.candidates(bands, T0 - DAY, T0 + DAY, -1, 20))).toEqual([kept.articleId]);
    index.begin();
    const rolledBack = store(db, index, T0 + HOUR, signatureSharing(7, 2));
    index.put({ ...kept, signature: signatureSharing(0, 9), bands: bandKeys(signatureSharing(0, 9)) });
    expect(ids(await index.candidates(bands, T0 - DAY, T0 + DAY, -1, 20))).toEqual([rolledBack.articleId]);
    index.rollback();
    expect(ids(await index.candidates(bands, T0 - DAY, T0 + DAY, -1, 20))).toEqual([kept.articleId]);
    db.close();
  });

  it('answers as a fresh index would while its span moves forward and back over weeks', async () => {
    const db = openStore();
    const index = new BandIndex(db.async.duplicates);
    const bands = bandKeys(signatureSharing(BANDS, 0));
    const window = (t: number) => [t - 3 * DAY, t + 3 * DAY] as const;
    const times = [
      ...Array.from({ length: 120 }, (_, i) => T0 + i * 4 * HOUR), // 20 days in time order
      T0 + 16 * DAY, // a late one whose window reaches back over what was dropped
      T0 + 2 * DAY, // an old article arriving late
      T0 + 25 * DAY,
      T0 - 40 * DAY, // far back
      T0 + 26 * DAY,
    ];
    for (const [i, t] of times.entries()) {
      const article = store(db, index, t, signatureSharing(1 + (i % 7), i + 1));
      const [from, to] = window(t);
      const fresh = new BandIndex(db.async.duplicates);
      const ranked = (found: { article: { articleId: number }; sharedBands: number }[]) =>
        found.map((c) => [c.article.articleId, c.sharedBands]);
      expect(ranked(await index.candidates(article.bands, from, to, article.articleId, 20))).toEqual(
        ranked(await fresh.candidates(article.bands, from, to, article.articleId, 20)),
      );
      expect(ranked(await index.candidates(bands, from, to, -1, 20))).toEqual(
        ranked(await fresh.candidates(bands, from, to, -1, 20)),
      );
    }
    db.close();
  });
});
