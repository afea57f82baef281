/**
 * Articles: stored once per key, tagged with topics, listed by publication time, held from digests, and found
 * by search (Korean inside longer words, English words, exclusions and filters). On SQLite for now: PostgreSQL's
 * article repository (search over its `search_tokens`) comes with the async port.
 */
import { expect, it } from 'vitest';
import type { ArticleSearch } from '../../../storage/repositories.ts';
import { describeBackends, manualClock, sqliteBackend } from './backends.ts';
import { article } from './fixtures.ts';

const BACKENDS = [sqliteBackend()];

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

  it('finds Korean inside longer words and English words, and forgets replaced text', async () => {
    const { articles } = await backend.open();
    const id = await articles.save(article());
    const find = async (...all: string[][]) =>
      (await articles.search({ text: { all, none: [] }, limit: 10 })).map((c) => c.articleId);
    expect(await find(['삼성'])).toEqual([id]);
    expect(await find(['전자'])).toEqual([id]);
    expect(await find(['samsung'])).toEqual([id]);
    expect(await find(['헤드셋'], ['메타'])).toEqual([id]);
    expect(await find(['애플'])).toEqual([]);
    expect(await find(['!!!'])).toEqual([]);
    await articles.save(
      article({ title: 'LG전자 OLED', deck: [], paragraphs: ['LG전자가 OLED를 공개했다.'], contentHash: 'h3' }),
    );
    expect(await find(['삼성'])).toEqual([]);
    expect(await find(['엘지', 'lg'])).toEqual([id]);
  });

  it('finds an article saved with its search entry deferred once the entries are flushed', async () => {
    const { articles } = await backend.open();
    const id = await articles.save(article(), { deferSearchIndex: true });
    await articles.flushSearchIndex();
    expect(
      (await articles.search({ text: { all: [['헤드셋']], none: [] }, limit: 5 })).map((c) => c.articleId),
    ).toEqual([id]);
  });

  it('ranks title matches above body matches and applies filters and exclusions', async () => {
    const { articles } = await backend.open();
    const inBody = await articles.save(
      article({
        key: 'k1',
        title: 'Chip market weekly',
        paragraphs: ['Nvidia shares rose.'],
        lang: 'en',
        contentHash: 'a',
      }),
    );
    const inTitle = await articles.save(
      article({
        key: 'k2',
        title: 'Nvidia ships new chip',
        paragraphs: ['The company said.'],
        lang: 'en',
        contentHash: 'b',
      }),
    );
    const korean = await articles.save(article({ key: 'k3', contentHash: 'c' }));
    await articles.setTopics(korean, [{ id: 'xr', weight: 1 }]);
    const search = async (q: Partial<ArticleSearch>) =>
      (await articles.search({ text: { all: [], none: [] }, limit: 10, ...q })).map((c) => c.articleId);
    const scored = await articles.search({ text: { all: [['nvidia']], none: [] }, limit: 10 });
    expect(scored.map((c) => c.articleId)).toEqual([inTitle, inBody]);
    expect(scored[0]?.textScore).toBeGreaterThan(scored[1]?.textScore ?? 1);
    expect(await search({ text: { all: [['nvidia']], none: [['shares']] } })).toEqual([inTitle]);
    expect(await search({ text: { all: [], none: [['nvidia']] } })).toEqual([korean]);
    expect(await search({ lang: 'ko' })).toEqual([korean]);
    expect(await search({ topics: ['xr'] })).toEqual([korean]);
    expect(await search({ sources: ['한빛통신'], since: '2026-11-26T00:10:00Z' })).toHaveLength(3);
    expect(await search({ sources: ['한빛통신'], since: '2026-11-26T00:10:01Z' })).toEqual([]);
    expect(await search({ sources: ['nobody'] })).toEqual([]);
    expect(await search({ until: '2026-11-26T00:09:59Z' })).toEqual([]);
    expect(await search({ limit: 1 })).toHaveLength(1);
  });
});
