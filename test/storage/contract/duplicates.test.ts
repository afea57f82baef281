/** The near-duplicate index: MinHash signatures by time, and confirmed copy links kept in both directions. */
import { expect, it } from 'vitest';
import type { DuplicateSignature } from '../../../storage/repositories.ts';
import { describeBackends, postgresBackend, sqliteBackend } from './backends.ts';
import { article } from './fixtures.ts';

const BACKENDS = [sqliteBackend(), postgresBackend()];

/** 128 little-endian uint32 values, derived from `seed`. */
function minhash(seed: number): Uint8Array {
  const values = new Uint32Array(128).map((_, i) => (seed * 2_654_435_761 + i * 40_503) >>> 0);
  return new Uint8Array(values.buffer);
}

function signature(articleId: number, timeMs: number, seed = articleId): DuplicateSignature {
  return { articleId, timeMs, shingleCount: 40 + seed, minhash: minhash(seed) };
}

describeBackends(BACKENDS, (backend) => {
  const saveArticles = async (store: Awaited<ReturnType<typeof backend.open>>, count: number) => {
    const ids: number[] = [];
    for (let i = 0; i < count; i++)
      ids.push(await store.articles.save(article({ key: `k${i}`, contentHash: `h${i}` })));
    return ids;
  };

  it('stores one signature per article and reads those of a time window by article', async () => {
    const a = await backend.open();
    const b = await backend.open();
    const [x, y, z] = (await saveArticles(a, 3)) as [number, number, number];
    expect(await a.duplicates.hasSignature(x)).toBe(false);
    await a.duplicates.putSignature(signature(z, 1_000));
    await a.duplicates.putSignature(signature(x, 2_000));
    await b.duplicates.putSignature(signature(y, 5_000));
    await b.duplicates.putSignature(signature(x, 3_000, 99));
    expect(await b.duplicates.hasSignature(x)).toBe(true);
    const window = await a.duplicates.signaturesBetween(1_000, 3_000);
    expect(window.map((s) => [s.articleId, s.timeMs, s.shingleCount])).toEqual([
      [x, 3_000, 139],
      [z, 1_000, 40 + z],
    ]);
    expect(window[0]?.minhash).toBeInstanceOf(Uint8Array);
    expect([...(window[0]?.minhash ?? [])]).toEqual([...minhash(99)]);
    expect(window[0]?.minhash.byteLength).toBe(512);
    expect(await a.duplicates.signaturesBetween(3_001, 4_999)).toEqual([]);
  });

  it('refuses a signature of an article not stored', async () => {
    const { duplicates } = await backend.open();
    await expect(async () => duplicates.putSignature(signature(12_345, 1_000))).rejects.toThrow();
  });

  it('keeps copy links in both directions and replaces an article’s links whole', async () => {
    const a = await backend.open();
    const b = await backend.open();
    const [p, q, r, s] = (await saveArticles(a, 4)) as [number, number, number, number];
    await a.duplicates.setLinks(p, [
      { otherId: r, jaccard: 0.75, containment: 0.9 },
      { otherId: q, jaccard: 0.8, containment: 0.85 },
    ]);
    expect(await b.duplicates.links(p)).toEqual([
      { otherId: q, jaccard: 0.8, containment: 0.85 },
      { otherId: r, jaccard: 0.75, containment: 0.9 },
    ]);
    expect(await b.duplicates.links(r)).toEqual([{ otherId: p, jaccard: 0.75, containment: 0.9 }]);
    await b.duplicates.setLinks(q, [{ otherId: s, jaccard: 0.7, containment: 0.8 }]);
    expect((await a.duplicates.links(p)).map((l) => l.otherId)).toEqual([r]);
    expect((await a.duplicates.links(q)).map((l) => l.otherId)).toEqual([s]);
    expect(await a.duplicates.linksAmong([s, r, q, p])).toEqual([
      [p, r],
      [q, s],
    ]);
    expect(await a.duplicates.linksAmong([p, s])).toEqual([]);
    expect(await a.duplicates.linksAmong([p])).toEqual([]);
    await a.duplicates.setLinks(p, []);
    expect(await a.duplicates.links(r)).toEqual([]);
    expect(await a.duplicates.linksAmong([p, q, r, s])).toEqual([[q, s]]);
    // Linked again: a link kept takes its new scores, one left out goes (from both ends).
    await a.duplicates.setLinks(q, [
      { otherId: s, jaccard: 0.9, containment: 0.95 },
      { otherId: r, jaccard: 0.71, containment: 0.82 },
    ]);
    await b.duplicates.setLinks(q, [{ otherId: r, jaccard: 0.73, containment: 0.84 }]);
    expect(await a.duplicates.links(q)).toEqual([{ otherId: r, jaccard: 0.73, containment: 0.84 }]);
    expect(await a.duplicates.links(r)).toEqual([{ otherId: q, jaccard: 0.73, containment: 0.84 }]);
    expect(await a.duplicates.links(s)).toEqual([]);
  });

  it('keeps the last of links given twice, and links set from both ends at once', async () => {
    const a = await backend.open();
    const b = await backend.open();
    const [p, q] = (await saveArticles(a, 2)) as [number, number];
    await a.duplicates.setLinks(p, [
      { otherId: q, jaccard: 0.7, containment: 0.8 },
      { otherId: q, jaccard: 0.9, containment: 0.95 },
    ]);
    expect(await a.duplicates.links(q)).toEqual([{ otherId: p, jaccard: 0.9, containment: 0.95 }]);
    await Promise.all([
      a.duplicates.setLinks(p, [{ otherId: q, jaccard: 0.72, containment: 0.81 }]),
      b.duplicates.setLinks(q, [{ otherId: p, jaccard: 0.72, containment: 0.81 }]),
    ]);
    expect(await b.duplicates.links(p)).toEqual([{ otherId: q, jaccard: 0.72, containment: 0.81 }]);
    expect(await b.duplicates.links(q)).toEqual([{ otherId: p, jaccard: 0.72, containment: 0.81 }]);
  });
});
