/**
 * Articles: stored once per key, tagged with topics, listed by publication time and held from digests. (How search
 * finds them: articleSearch.test.ts.)
 */
import { expect, it } from 'vitest';
import { describeBackends, manualClock, postgresBackend, sqliteBackend } from './backends.ts';
import { article } from './fixtures.ts';

const BACKENDS = [sqliteBackend(), postgresBackend()];

describeBackends(BACKENDS, (backend) => {
  it('saves an article once per key and updates it in place, keeping when it was first seen', async () => {
    const clock = manualClock('2026-11-26T00:00:00.000Z');
    const a = await backend.open(clock);
    const b = await backend.open(clock);
    const id = await a.articles.save(article());
    clock.set('2026-11-26T01:00:00.000Z');
    expect(await b.articles.save(article({ title: '삼성전자, XR 헤드셋 출시', contentHash: 'hash-2' }))).toBe(id);
    expect(await a.articles.count()).toBe(1);
    expect(await a.articles.get(id)).toEqual({
      ...article({ title: '삼성전자, XR 헤드셋 출시', contentHash: 'hash-2' }),
      id,
      topics: [],
      firstSeenAt: '2026-11-26T00:00:00.000Z',
      lastSeenAt: '2026-11-26T01:00:00.000Z',
    });
    clock.set('2026-11-26T02:00:00.000Z');
    await b.articles.touch(id);
    expect(await a.articles.get(id)).toMatchObject({ lastSeenAt: '2026-11-26T02:00:00.000Z', contentHash: 'hash-2' });
    expect(await a.articles.get(id + 100)).toBeNull();
  });

  it('finds articles by key and content hash, and several by id in the order asked', async () => {
    const { articles } = await backend.open();
    const first = await articles.save(article({ key: 'k1', contentHash: 'same' }));
    const second = await articles.save(article({ key: 'k2', contentHash: 'same' }));
    const third = await articles.save(article({ key: 'k3', contentHash: 'other', paragraphs: [], deck: [] }));
    expect((await articles.findByKey('k2'))?.id).toBe(second);
    expect(await articles.findByKey('k9')).toBeNull();
    expect((await articles.findByContentHash('same'))?.id).toBe(first);
    expect(await articles.findByContentHash('none')).toBeNull();
    expect((await articles.getMany([third, 999, first])).map((x) => x.id)).toEqual([third, first]);
    expect(await articles.getMany([])).toEqual([]);
    expect(await articles.get(third)).toMatchObject({ paragraphs: [], deck: [] });
  });

  it('finds several articles by key, and the first article of several content hashes, at once', async () => {
    const { articles } = await backend.open();
    const first = await articles.save(article({ key: 'k1', contentHash: 'same' }));
    const second = await articles.save(article({ key: 'k2', contentHash: 'same' }));
    const third = await articles.save(article({ key: 'k3', contentHash: 'other' }));
    await articles.setTopics(second, [{ id: 'xr', weight: 2 }]);
    const found = await articles.findByKeys(['k2', 'k9', 'k3', 'k2']);
    expect(found.map((a) => a.id).sort((x, y) => x - y)).toEqual([second, third]);
    expect(found.find((a) => a.id === second)).toEqual(await articles.findByKey('k2'));
    expect(await articles.findByKeys([])).toEqual([]);
    expect(await articles.firstIdsByContentHash(['other', 'none', 'same'])).toEqual(
      new Map([
        ['other', third],
        ['same', first],
      ]),
    );
    expect(await articles.firstIdsByContentHash([])).toEqual(new Map());
  });

  it('tags an article with topics, most mentioned first, and counts the articles of each topic', async () => {
    const { articles, topics } = await backend.open();
    const id = await articles.save(article());
    const other = await articles.save(article({ key: 'k2', contentHash: 'h2' }));
    await articles.setTopics(id, [
      { id: 'xr', weight: 1 },
      { id: 'samsung-electronics', weight: 3 },
      { id: 'meta', weight: 1 },
      { id: 'galaxy', weight: 0 },
    ]);
    await articles.setTopics(other, [{ id: 'xr', weight: 2 }]);
    expect((await articles.get(id))?.topics).toEqual([
      { id: 'samsung-electronics', weight: 3 },
      { id: 'meta', weight: 1 },
      { id: 'xr', weight: 1 },
      { id: 'galaxy', weight: 0 },
    ]);
    expect(Object.fromEntries(await topics.articleCounts())).toEqual({
      'samsung-electronics': 1,
      meta: 1,
      xr: 2,
      galaxy: 1,
    });
    await articles.setTopics(id, []);
    expect((await articles.get(id))?.topics).toEqual([]);
    expect(Object.fromEntries(await topics.articleCounts())).toEqual({ xr: 1 });
  });

  it('lists a publication window newest first, across zones, and tells the newest publication', async () => {
    const { articles } = await backend.open();
    expect(await articles.latestPublishedAt()).toBeNull();
    const older = await articles.save(
      article({ key: 'o', publishedAt: '2026-11-25T09:00:00+09:00', contentHash: 'o' }),
    );
    const newer = await articles.save(
      article({ key: 'n', publishedAt: '2026-11-26T09:00:00+09:00', contentHash: 'n' }),
    );
    const utc = await articles.save(article({ key: 'u', publishedAt: '2026-11-25T12:00:00Z', contentHash: 'u' }));
    await articles.save(article({ key: 'x', publishedAt: null, contentHash: 'x' }));
    const window = await articles.listPublishedBetween('2026-11-24T15:00:00Z', '2026-11-26T14:59:59Z');
    expect(window.map((x) => x.id)).toEqual([newer, utc, older]);
    expect(
      (await articles.listPublishedBetween('2026-11-24T15:00:00Z', '2026-11-26T14:59:59Z', 1)).map((x) => x.id),
    ).toEqual([newer]);
    expect(await articles.listPublishedBetween('2026-11-25T00:00:01Z', '2026-11-25T11:59:59Z')).toEqual([]);
    expect(await articles.listPublishedBetween('not a time', '2026-11-26T14:59:59Z')).toEqual([]);
    expect(await articles.latestPublishedAt()).toBe('2026-11-26T09:00:00+09:00');
  });

  it("holds a feed's backlog from digests and lets its newest back in", async () => {
    const { articles, sources } = await backend.open();
    const sourceId = await sources.upsert({ key: 'https://wire.example/rss', name: 'Wire', kind: 'feed', url: null });
    const ids: number[] = [];
    for (const day of [21, 23, 22, 24]) {
      ids.push(
        await articles.save(
          article({ key: `k${day}`, sourceId, publishedAt: `2026-11-${day}T09:00:00+09:00`, contentHash: `h${day}` }),
        ),
      );
    }
    await articles.holdFromDigests(ids);
    await articles.holdFromDigests([]);
    expect(await articles.releaseHeld(sourceId, 2)).toEqual([ids[3], ids[1]]);
    expect(await articles.releaseHeld(sourceId, 0)).toEqual([]);
    expect(await articles.releaseHeld(sourceId, 5)).toEqual([ids[2], ids[0]]);
    expect(await articles.releaseHeld(sourceId, 5)).toEqual([]);
    expect(await articles.releaseHeld(sourceId + 1, 5)).toEqual([]);
  });

  it('keeps the newest tags when a topic is given twice, and refuses tags of an article not stored', async () => {
    const { articles } = await backend.open();
    const id = await articles.save(article());
    await articles.setTopics(id, [
      { id: 'xr', weight: 1 },
      { id: 'meta', weight: 2 },
      { id: 'xr', weight: 4 },
    ]);
    expect((await articles.get(id))?.topics).toEqual([
      { id: 'xr', weight: 4 },
      { id: 'meta', weight: 2 },
    ]);
    await expect(async () => articles.setTopics(id + 100, [{ id: 'xr', weight: 1 }])).rejects.toThrow();
    expect((await articles.get(id))?.topics).toHaveLength(2);
    // Tagged again: a topic kept takes its new weight, one left out goes.
    await articles.setTopics(id, [
      { id: 'lg', weight: 1 },
      { id: 'xr', weight: 7 },
    ]);
    expect((await articles.get(id))?.topics).toEqual([
      { id: 'xr', weight: 7 },
      { id: 'lg', weight: 1 },
    ]);
  });

  it('stores one article when two stores save the same key at once', async () => {
    const a = await backend.open();
    const b = await backend.open();
    const ids = await Promise.all([a.articles.save(article()), b.articles.save(article()), a.articles.save(article())]);
    expect(new Set(ids).size).toBe(1);
    expect(await b.articles.count()).toBe(1);
    expect((await b.articles.findByKey(article().key))?.id).toBe(ids[0]);
  });

  it('tells the newest publication by instant, not by text, and lists equal instants newest stored first', async () => {
    const { articles } = await backend.open();
    const seoul = await articles.save(
      article({ key: 'a', publishedAt: '2026-11-26T09:00:00+09:00', contentHash: 'a' }),
    );
    const utc = await articles.save(article({ key: 'b', publishedAt: '2026-11-26T00:00:00Z', contentHash: 'b' }));
    const early = await articles.save(article({ key: 'c', publishedAt: '2026-11-25T23:59:59Z', contentHash: 'c' }));
    expect(await articles.latestPublishedAt()).toBe('2026-11-26T00:00:00Z');
    const window = await articles.listPublishedBetween('2026-11-25T00:00:00Z', '2026-11-26T00:00:00Z');
    expect(window.map((x) => x.id)).toEqual([utc, seoul, early]);
  });

  it('releases the held articles of a source only, undated ones last', async () => {
    const { articles, sources } = await backend.open();
    const wire = await sources.upsert({ key: 'https://wire.example/rss', name: 'Wire', kind: 'feed', url: null });
    const other = await sources.upsert({ key: 'https://other.example/rss', name: 'Other', kind: 'feed', url: null });
    const undated = await articles.save(article({ key: 'u', sourceId: wire, publishedAt: null, contentHash: 'u' }));
    const dated = await articles.save(article({ key: 'd', sourceId: wire, contentHash: 'd' }));
    const notHeld = await articles.save(article({ key: 'n', sourceId: wire, contentHash: 'n' }));
    const elsewhere = await articles.save(article({ key: 'e', sourceId: other, contentHash: 'e' }));
    await articles.holdFromDigests([undated, dated, elsewhere]);
    expect(await articles.releaseHeld(wire, -1)).toEqual([]);
    expect(await articles.releaseHeld(wire, 10)).toEqual([dated, undated]);
    expect(await articles.releaseHeld(other, 10)).toEqual([elsewhere]);
    expect(notHeld).toBeGreaterThan(0);
  });

  it('lists the articles stored after an id, lowest first with their source, and gives the newest id', async () => {
    const a = await backend.open();
    const b = await backend.open();
    expect(await a.articles.newestId()).toBeNull();
    expect(await a.articles.storedAfter(0, 10)).toEqual([]);
    const wire = await a.sources.upsert({ key: 'https://wire.example/rss', name: 'Wire', kind: 'feed', url: null });
    const first = await a.articles.save(article({ key: 'k1', sourceId: wire, contentHash: 'h1' }));
    const cursor = (await b.articles.newestId()) ?? -1;
    expect(cursor).toBe(first);
    // stored by another process after the reader looked
    const second = await b.articles.save(article({ key: 'k2', sourceId: wire, contentHash: 'h2' }));
    const third = await b.articles.save(article({ key: 'k3', contentHash: 'h3' }));
    // an update keeps its id: not stored anew
    await b.articles.save(article({ key: 'k1', sourceId: wire, contentHash: 'h1-changed' }));
    expect(await a.articles.storedAfter(cursor, 10)).toEqual([
      { id: second, sourceId: wire },
      { id: third, sourceId: null },
    ]);
    expect(await a.articles.storedAfter(cursor, 1)).toEqual([{ id: second, sourceId: wire }]);
    expect(await a.articles.storedAfter(second, 10)).toEqual([{ id: third, sourceId: null }]);
    expect(await a.articles.storedAfter(third, 10)).toEqual([]);
    expect(await a.articles.newestId()).toBe(third);
  });

  it('counts articles, and keeps a saved file’s empty url and unknown source', async () => {
    const { articles } = await backend.open();
    expect(await articles.count()).toBe(0);
    const id = await articles.save(
      article({ key: 'sha256:abc', url: null, sourceName: null, byline: null, updatedAt: '2026-11-26T10:00:00+09:00' }),
    );
    expect(await articles.get(id)).toMatchObject({
      key: 'sha256:abc',
      url: null,
      sourceId: null,
      sourceName: null,
      byline: null,
      updatedAt: '2026-11-26T10:00:00+09:00',
    });
    expect(await articles.count()).toBe(1);
  });
});
