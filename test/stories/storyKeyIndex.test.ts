import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoryKeyIndex } from '../../src/stories/storyKeyIndex.ts';
import { openSqliteStore, type SqliteStore } from '../../storage/sqlite/index.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();
const DAY = 86_400_000;
const T0 = Date.parse('2026-11-24T00:00:00Z');
const EMPTY_PROFILE = { text: {}, topics: {}, subjects: {}, neutral: {} };

function openStore(): SqliteStore {
  return openSqliteStore(join(tempDir(), 'nb.db'));
}

/** A stored story with its keys written, as an earlier run (or another process) leaves it. */
function storedStory(db: SqliteStore, key: string, lastMs: number, keys: string[]): number {
  const story = db.stories.create({ key, firstMs: lastMs, lastMs, profile: EMPTY_PROFILE, tags: {} });
  db.stories.setKeys(story.id, keys, lastMs);
  return story.id;
}

describe('story key index', async () => {
  it('ranks stories by shared keys, then the newest story, among those recent enough', async () => {
    const db = openStore();
    const index = new StoryKeyIndex(db.async.stories);
    const a = storedStory(db, 'a', T0, ['@samsung', '#xr', 'headset']);
    const b = storedStory(db, 'b', T0, ['@samsung', 'phone']);
    const c = storedStory(db, 'c', T0, ['@samsung', '#xr', 'glasses']);
    const old = storedStory(db, 'old', T0 - 10 * DAY, ['@samsung', '#xr', 'headset']);
    expect(await index.candidates(['@samsung', '#xr', 'headset'], T0 - 4 * DAY, 20)).toEqual([a, c, b]);
    expect(await index.candidates(['@samsung', '#xr', 'headset'], T0 - 4 * DAY, 2)).toEqual([a, c]);
    expect(await index.candidates(['@samsung', '#xr', 'headset'], T0 - 11 * DAY, 20)).toEqual([old, a, c, b]);
    expect(await index.candidates(['nothing'], T0 - 4 * DAY, 20)).toEqual([]);
    db.close();
  });

  it('answers from the keys it set and writes them once, at flush', async () => {
    const db = openStore();
    const index = new StoryKeyIndex(db.async.stories);
    const id = storedStory(db, 'a', T0, ['@lg', 'tv']);
    await index.candidates(['tv'], T0 - DAY, 20);
    index.set(id, ['@lg', 'webos', 'tv'], T0 + DAY);
    expect(await index.candidates(['webos'], T0, 20)).toEqual([id]);
    expect(db.stories.keysBetween(T0 - DAY, T0 + 2 * DAY)[0]?.keys.sort()).toEqual(['@lg', 'tv']);
    expect(await index.flush()).toBe(true);
    // keysBetween reads the story's own time, which the story row (written with the story) carries.
    const written = db.stories.keysBetween(T0 - DAY, T0 + 2 * DAY)[0];
    expect(written?.keys.sort()).toEqual(['@lg', 'tv', 'webos']);
    expect(await index.flush()).toBe(false);
    db.close();
  });

  it('puts back what a rolled-back article changed', async () => {
    const db = openStore();
    const index = new StoryKeyIndex(db.async.stories);
    const id = storedStory(db, 'a', T0, ['@lg', 'tv']);
    expect(await index.candidates(['tv'], T0 - DAY, 20)).toEqual([id]);
    index.begin();
    index.set(id, ['@lg', 'webos'], T0);
    index.delete(storedStory(db, 'b', T0, ['tv']));
    expect(await index.candidates(['tv'], T0 - DAY, 20)).toEqual([]);
    index.rollback();
    expect(await index.candidates(['tv'], T0 - DAY, 20)).toEqual([id]);
    expect(await index.flush()).toBe(false);
    db.close();
  });
});
