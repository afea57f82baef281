/** Document frequencies of the terms story clustering compares, changed by deltas from any process. */
import { expect, it } from 'vitest';
import { describeBackends, postgresBackend, sqliteBackend } from './backends.ts';

const BACKENDS = [sqliteBackend(), postgresBackend()];

describeBackends(BACKENDS, (backend) => {
  it('adds deltas to the frequencies and documents to the count, never below zero for a known term', async () => {
    const a = await backend.open();
    const b = await backend.open();
    expect(await a.storyTerms.documentCount()).toBe(0);
    expect(await a.storyTerms.frequencies([])).toEqual(new Map());
    await a.storyTerms.apply(
      new Map([
        ['삼성', 2],
        ['hbm', 1],
        ['#xr', 1],
      ]),
      2,
    );
    await b.storyTerms.apply(
      new Map([
        ['삼성', 1],
        ['hbm', -3],
        ['zero', 0],
      ]),
      1,
    );
    expect(await a.storyTerms.documentCount()).toBe(3);
    expect(await a.storyTerms.frequencies(['삼성', 'hbm', '#xr', 'zero', 'none'])).toEqual(
      new Map([
        ['삼성', 3],
        ['hbm', 0],
        ['#xr', 1],
      ]),
    );
    await b.storyTerms.apply(new Map(), -1);
    expect(await a.storyTerms.documentCount()).toBe(2);
  });

  it('keeps the document count out of the terms: an empty term is not one', async () => {
    const { storyTerms } = await backend.open();
    await storyTerms.apply(new Map([['', 5]]), 1);
    expect(await storyTerms.documentCount()).toBe(1);
    expect(await storyTerms.frequencies(['x'])).toEqual(new Map());
  });

  it('stores a first negative delta as it is (a term removed before it was counted)', async () => {
    const { storyTerms } = await backend.open();
    await storyTerms.apply(new Map([['late', -2]]), 0);
    expect(await storyTerms.frequencies(['late'])).toEqual(new Map([['late', -2]]));
    await storyTerms.apply(new Map([['late', 1]]), 0);
    expect(await storyTerms.frequencies(['late'])).toEqual(new Map([['late', 0]]));
  });

  it('loses no delta when stores apply them at once', async () => {
    const a = await backend.open();
    const b = await backend.open();
    const batches = Array.from({ length: 12 }, (_, i) =>
      (i % 2 === 0 ? a : b).storyTerms.apply(
        new Map([
          ['hbm', 1],
          [i % 2 === 0 ? '삼성' : 'nvidia', 2],
          ['#memory', 1],
        ]),
        1,
      ),
    );
    await Promise.all(batches);
    expect(await a.storyTerms.documentCount()).toBe(12);
    expect(await b.storyTerms.frequencies(['hbm', '삼성', 'nvidia', '#memory'])).toEqual(
      new Map([
        ['hbm', 12],
        ['삼성', 12],
        ['nvidia', 12],
        ['#memory', 12],
      ]),
    );
  });
});
