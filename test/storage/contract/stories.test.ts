/**
 * Stories: created and updated with a version, found by key and by the keys an index keeps in memory, their
 * members with features, the window a digest ranks, articles without a story, and what was delivered of them.
 */
import { expect, it } from 'vitest';
import type { ArticleFeaturesRecord, NewStory, StoryProfileRecord } from '../../../storage/repositories.ts';
import { describeBackends, manualClock, postgresBackend, sqliteBackend } from './backends.ts';
import { article } from './fixtures.ts';

const BACKENDS = [sqliteBackend(), postgresBackend()];

/** Key order is part of what is stored: the engine breaks ties between equal weights by it. */
const PROFILE: StoryProfileRecord = {
  text: { ko: { 헤드셋: 2, 삼성: 2, xr: 1.5 }, en: { headset: 0.1 + 0.2 } },
  topics: { xr: 1, 'samsung-electronics': 2 },
  subjects: { 'samsung-electronics': 1 },
  neutral: { xr: 1, '2026': 1 },
};

const FEATURES: ArticleFeaturesRecord = {
  lang: 'ko',
  terms: { 헤드셋: 1, 삼성: 1, 공개: 0.5 },
  topics: { xr: 1 },
  subjects: { 'samsung-electronics': 1 },
  neutral: {},
  tags: { xr: 1, galaxy: 0 },
};

function story(key: string, firstMs: number, lastMs: number): NewStory {
  return { key, firstMs, lastMs, profile: PROFILE, tags: { xr: 2, 'samsung-electronics': 0 } };
}

const T = Date.parse('2026-11-26T00:00:00Z');

describeBackends(BACKENDS, (backend) => {
  it('creates a story at version 0, and bumps the version at every update', async () => {
    const clock = manualClock('2026-12-01T00:00:00.000Z');
    const a = await backend.open(clock);
    const b = await backend.open(clock);
    const created = await a.stories.create(story('story-1', T, T + 1000));
    expect(created).toEqual({
      id: created.id,
      key: 'story-1',
      firstMs: T,
      lastMs: T + 1000,
      articleCount: 0,
      version: 0,
      profile: PROFILE,
      tags: { xr: 2, 'samsung-electronics': 0 },
      createdAt: '2026-12-01T00:00:00.000Z',
      updatedAt: '2026-12-01T00:00:00.000Z',
    });
    expect(Object.keys(created.profile.text.ko ?? {})).toEqual(['헤드셋', '삼성', 'xr']);
    await expect(async () => b.stories.create(story('story-1', T, T))).rejects.toThrow();
    clock.set('2026-12-01T01:00:00.000Z');
    const profile = { ...PROFILE, topics: { xr: 3 } };
    expect(await b.stories.update({ ...created, lastMs: T + 5000, articleCount: 2, profile, tags: { xr: 4 } })).toBe(1);
    expect(await a.stories.update({ ...created, articleCount: 3 })).toBe(2);
    expect(await a.stories.get(created.id)).toEqual({
      ...created,
      articleCount: 3,
      version: 2,
      updatedAt: '2026-12-01T01:00:00.000Z',
    });
    expect(await a.stories.update({ ...created, id: created.id + 100, version: 7 })).toBe(7);
    expect(await a.stories.get(created.id + 100)).toBeNull();
  });

  it('finds stories by key and by id, and their headers without profiles', async () => {
    const { stories } = await backend.open();
    const first = await stories.create(story('s1', T, T));
    const second = await stories.create(story('s2', T, T + 10));
    expect((await stories.findByKey('s2'))?.id).toBe(second.id);
    expect(await stories.findByKey('s3')).toBeNull();
    expect((await stories.getMany([second.id, 999, first.id])).map((s) => s.id)).toEqual([first.id, second.id]);
    expect(await stories.getMany([])).toEqual([]);
    const headers = await stories.headers([second.id, first.id]);
    expect(headers.map((h) => h.id)).toEqual([first.id, second.id]);
    expect(headers[1]).toEqual({
      id: second.id,
      key: 's2',
      firstMs: T,
      lastMs: T + 10,
      articleCount: 0,
      version: 0,
      tags: { xr: 2, 'samsung-electronics': 0 },
      createdAt: second.createdAt,
      updatedAt: second.updatedAt,
    });
    expect(await stories.headers([])).toEqual([]);
  });

  it('replaces the keys a story is found by, and lists those of recent stories', async () => {
    const a = await backend.open();
    const b = await backend.open();
    const old = await a.stories.create(story('old', T - 10_000, T - 10_000));
    const recent = await a.stories.create(story('recent', T, T + 100));
    await a.stories.setKeys(recent.id, ['@samsung-electronics', '#xr', 'headset'], T + 100);
    await a.stories.setKeys(old.id, ['#xr'], T - 10_000);
    await b.stories.setKeys(recent.id, ['headset', '#xr', '삼성'], T + 200);
    // a story's keys follow its newest time (`last_ms` of the story, not of its keys)
    await b.stories.update({ ...recent, lastMs: T + 200 });
    expect(await a.stories.keysBetween(T, T + 201)).toEqual([
      { storyId: recent.id, keys: ['#xr', 'headset', '삼성'], lastMs: T + 200 },
    ]);
    expect(await a.stories.keysBetween(T - 10_000, T + 200)).toEqual([
      { storyId: old.id, keys: ['#xr'], lastMs: T - 10_000 },
    ]);
    await a.stories.setKeys(recent.id, [], T + 200);
    expect(await a.stories.keysBetween(T, T + 201)).toEqual([]);
    await expect(async () => a.stories.setKeys(recent.id + 100, ['x'], T)).rejects.toThrow();
  });

  it('updates several stories together, each to its own next version, passing over one not stored', async () => {
    const clock = manualClock('2026-12-01T00:00:00.000Z');
    const a = await backend.open(clock);
    const b = await backend.open(clock);
    const first = await a.stories.create(story('m1', T, T));
    const second = await a.stories.create(story('m2', T, T));
    await a.stories.update({ ...second, articleCount: 1 });
    clock.set('2026-12-01T02:00:00.000Z');
    const profile = { ...PROFILE, topics: { xr: 5, 'samsung-electronics': 1 } };
    const versions = await b.stories.updateMany([
      { ...second, lastMs: T + 9, articleCount: 4, profile, tags: { xr: 9 } },
      { ...first, id: second.id + 100, version: 3 },
      { ...first, articleCount: 2 },
    ]);
    expect(versions).toEqual([2, 3, 1]);
    expect(await a.stories.get(second.id)).toEqual({
      ...second,
      lastMs: T + 9,
      articleCount: 4,
      profile,
      tags: { xr: 9 },
      version: 2,
      updatedAt: '2026-12-01T02:00:00.000Z',
    });
    expect(Object.keys((await a.stories.get(second.id))?.profile.topics ?? {})).toEqual(['xr', 'samsung-electronics']);
    expect(await a.stories.get(first.id)).toEqual({
      ...first,
      articleCount: 2,
      version: 1,
      updatedAt: '2026-12-01T02:00:00.000Z',
    });
    expect(await a.stories.get(second.id + 100)).toBeNull();
    expect(await a.stories.updateMany([])).toEqual([]);
  });

  it('replaces the keys of several stories together, and none of them when one is not stored', async () => {
    const a = await backend.open();
    const b = await backend.open();
    const one = await a.stories.create(story('k1', T, T));
    const two = await a.stories.create(story('k2', T, T));
    await a.stories.setKeys(one.id, ['#xr', 'old'], T);
    await b.stories.setKeysMany([
      { storyId: two.id, keys: ['headset', '#xr', 'headset'], lastMs: T },
      { storyId: one.id, keys: ['#xr', '삼성'], lastMs: T + 50 },
    ]);
    await a.stories.update({ ...one, lastMs: T + 50 });
    const sorted = (found: { storyId: number; keys: string[]; lastMs: number }[]) =>
      found.map((entry) => ({ ...entry, keys: [...entry.keys].sort() }));
    expect(sorted(await a.stories.keysBetween(T, T + 51))).toEqual([
      { storyId: one.id, keys: ['#xr', '삼성'], lastMs: T + 50 },
      { storyId: two.id, keys: ['#xr', 'headset'], lastMs: T },
    ]);
    await b.stories.setKeysMany([]);
    await expect(async () =>
      b.stories.setKeysMany([
        { storyId: one.id, keys: [], lastMs: T + 50 },
        { storyId: two.id + 100, keys: ['x'], lastMs: T },
      ]),
    ).rejects.toThrow();
    expect(sorted(await a.stories.keysBetween(T, T + 51))[0]?.keys).toEqual(['#xr', '삼성']);
    await b.stories.setKeysMany([{ storyId: one.id, keys: [], lastMs: T + 50 }]);
    expect((await a.stories.keysBetween(T, T + 51)).map((entry) => entry.storyId)).toEqual([two.id]);
  });

  it('leaves one store’s keys for each story when two replace the keys of the same stories at once', async () => {
    const a = await backend.open();
    const b = await backend.open();
    const one = await a.stories.create(story('c1', T, T));
    const two = await a.stories.create(story('c2', T, T));
    for (let round = 0; round < 3; round++) {
      await Promise.all([
        a.stories.setKeysMany([
          { storyId: one.id, keys: ['a1', 'a2'], lastMs: T },
          { storyId: two.id, keys: ['a3'], lastMs: T },
        ]),
        b.stories.setKeysMany([
          { storyId: two.id, keys: ['b1', 'b2', 'b3'], lastMs: T },
          { storyId: one.id, keys: ['b4'], lastMs: T },
        ]),
      ]);
      const found = new Map((await a.stories.keysBetween(T, T + 1)).map((e) => [e.storyId, [...e.keys].sort()]));
      expect([['a1', 'a2'], ['b4']]).toContainEqual(found.get(one.id));
      expect([['a3'], ['b1', 'b2', 'b3']]).toContainEqual(found.get(two.id));
    }
  });

  it('leaves one store’s keys, not a mixture, when two replace a story’s keys at once', async () => {
    const a = await backend.open();
    const b = await backend.open();
    const s = await a.stories.create(story('s', T, T));
    await a.stories.setKeys(s.id, ['old'], T);
    for (let round = 0; round < 3; round++) {
      await Promise.all([a.stories.setKeys(s.id, ['a1', 'a2'], T), b.stories.setKeys(s.id, ['b1', 'b2', 'b3'], T)]);
      const [found] = await a.stories.keysBetween(T, T + 1);
      expect([
        ['a1', 'a2'],
        ['b1', 'b2', 'b3'],
      ]).toContainEqual(found?.keys);
    }
  });

  it('adds, moves and removes members, with their features, in time order', async () => {
    const a = await backend.open();
    const b = await backend.open();
    const [x, y, z] = [
      await a.articles.save(article({ key: 'x', contentHash: 'x' })),
      await a.articles.save(article({ key: 'y', contentHash: 'y' })),
      await a.articles.save(article({ key: 'z', contentHash: 'z' })),
    ];
    const one = await a.stories.create(story('one', T, T));
    const two = await a.stories.create(story('two', T, T));
    await a.stories.addMember({ articleId: x, storyId: one.id, copyOf: null, timeMs: T + 50, features: FEATURES });
    await a.stories.addMember({ articleId: y, storyId: one.id, copyOf: x, timeMs: T, features: FEATURES });
    await b.stories.addMember({ articleId: z, storyId: one.id, copyOf: null, timeMs: T, features: FEATURES });
    expect((await b.stories.members(one.id)).map((m) => m.articleId)).toEqual([y, z, x]);
    expect(await b.stories.membership(y)).toEqual({
      articleId: y,
      storyId: one.id,
      copyOf: x,
      timeMs: T,
      features: FEATURES,
    });
    expect(Object.keys((await b.stories.membership(y))?.features.terms ?? {})).toEqual(['헤드셋', '삼성', '공개']);
    await b.stories.addMember({ articleId: z, storyId: two.id, copyOf: null, timeMs: T + 1, features: FEATURES });
    expect(Object.fromEntries(await a.stories.storyIds([x, z, 999]))).toEqual({ [x]: one.id, [z]: two.id });
    expect(await a.stories.storyIds([])).toEqual(new Map());
    await a.stories.removeMember(x);
    expect(await a.stories.membership(x)).toBeNull();
    expect((await a.stories.members(one.id)).map((m) => m.articleId)).toEqual([y]);
    await a.stories.delete(one.id);
    expect(await a.stories.get(one.id)).toBeNull();
    expect(await a.stories.membership(y)).toBeNull();
    await expect(async () =>
      a.stories.addMember({ articleId: 999_999, storyId: two.id, copyOf: null, timeMs: T, features: FEATURES }),
    ).rejects.toThrow();
  });

  it('lists the members published in a window, without held articles, and the articles without a story', async () => {
    const { articles, stories } = await backend.open();
    const at = (iso: string, key: string) => articles.save(article({ key, contentHash: key, publishedAt: iso }));
    const late = await at('2026-11-26T12:00:00Z', 'late');
    const early = await at('2026-11-26T01:00:00Z', 'early');
    const same = await at('2026-11-26T10:00:00+09:00', 'same'); // = 01:00Z
    const held = await at('2026-11-26T02:00:00Z', 'held');
    const loose = await at('2026-11-26T03:00:00Z', 'loose');
    const undated = await articles.save(article({ key: 'undated', contentHash: 'undated', publishedAt: null }));
    const outside = await at('2026-11-20T00:00:00Z', 'outside');
    const s = await stories.create(story('s', T, T));
    for (const id of [late, early, same, held, outside]) {
      await stories.addMember({ articleId: id, storyId: s.id, copyOf: null, timeMs: T, features: FEATURES });
    }
    await articles.holdFromDigests([held]);
    const window = await stories.windowMembers(T, Date.parse('2026-11-26T12:00:00Z'));
    expect(window.map((m) => m.articleId)).toEqual([early, same, late]);
    expect(window[2]).toEqual({
      articleId: late,
      storyId: s.id,
      copyOf: null,
      title: article().title,
      sourceName: '한빛통신',
      url: article().url,
      publishedAt: '2026-11-26T12:00:00Z',
      publishedMs: Date.parse('2026-11-26T12:00:00Z'),
      lang: 'ko',
    });
    expect(await stories.unassigned(10)).toEqual([loose, undated]);
    expect(await stories.unassigned(1)).toEqual([loose]);
    expect(await stories.unassigned(10, T, Date.parse('2026-11-26T02:59:59Z'))).toEqual([]);
    expect(await stories.unassigned(10, T, Date.parse('2026-11-26T03:00:00Z'))).toEqual([loose]);
  });

  it('tells what of a story was delivered to a channel, and whether an article was delivered anywhere', async () => {
    const { articles, deliveries, stories } = await backend.open();
    const [x, y, z] = [
      await articles.save(article({ key: 'x', contentHash: 'x' })),
      await articles.save(article({ key: 'y', contentHash: 'y' })),
      await articles.save(article({ key: 'z', contentHash: 'z' })),
    ];
    await deliveries.record('slack:C1', 'story-a', y, '2026-12-01T09:00:00.000Z');
    await deliveries.record('slack:C1', 'story-a', x, '2026-12-01T09:00:00.000Z');
    await deliveries.record('slack:C1', 'story-a', z, '2026-12-02T09:00:00.000Z');
    await deliveries.record('slack:C2', 'story-b', z, '2026-12-01T09:00:00.000Z');
    expect(await stories.wasDelivered(x)).toBe(true);
    expect(await stories.wasDelivered(x + y + z)).toBe(false);
    const delivered = await stories.deliveredStories('slack:C1', ['story-a', 'story-b', 'story-c']);
    expect([...delivered]).toEqual([
      ['story-a', { articleIds: [x, y, z], firstAt: '2026-12-01T09:00:00.000Z', lastAt: '2026-12-02T09:00:00.000Z' }],
    ]);
    expect(await stories.deliveredStories('slack:C2', [])).toEqual(new Map());
  });
});
