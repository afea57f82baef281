import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ArticleRecord } from '../../storage/repositories.ts';
import { openDatabase } from '../../storage/sqlite/database.ts';
import { DatabaseVersionError, openSqliteStore, schemaVersion } from '../../storage/sqlite/index.ts';
import { MIGRATIONS } from '../../storage/sqlite/migrations.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();

function record(overrides: Partial<ArticleRecord> = {}): ArticleRecord {
  return {
    key: 'https://news.example/a/1',
    url: 'https://news.example/a/1',
    sourceId: null,
    sourceName: '한빛통신',
    title: '삼성전자, 새 XR 헤드셋 공개',
    deck: ['메타와 협력'],
    paragraphs: ['삼성전자가 메타와 함께 만든 XR 헤드셋을 공개했다.', 'Samsung unveiled a headset.'],
    byline: '김하늘 기자',
    lang: 'ko',
    publishedAt: '2026-11-26T09:10:00+09:00',
    updatedAt: null,
    contentHash: 'hash-1',
    ...overrides,
  };
}

describe('SQLite store', () => {
  it('creates the schema with WAL and foreign keys, at the latest migration', () => {
    const path = join(tempDir(), 'nb.db');
    const db = openDatabase(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)?.version);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name")
      .all()
      .map((r) => (r as { name: string }).name);
    for (const t of [
      'articles',
      'sources',
      'topics',
      'article_topics',
      'subscriptions',
      'destinations',
      'deliveries',
    ]) {
      expect(tables).toContain(t);
    }
    db.close();
  });

  it('applies only the migrations a database has not seen, and refuses a newer schema', () => {
    const path = join(tempDir(), 'nb.db');
    const extra = [...MIGRATIONS, { version: 99, name: 'test', sql: 'CREATE TABLE extra (x INTEGER)' }];
    openDatabase(path).close();
    const db = openDatabase(path, extra);
    expect(schemaVersion(db)).toBe(99);
    db.close();
    expect(() => openDatabase(path)).toThrow(DatabaseVersionError);
  });

  it('rolls back a failing migration completely', () => {
    const path = join(tempDir(), 'nb.db');
    openDatabase(path).close();
    const latest = MIGRATIONS.at(-1)?.version ?? 0;
    const broken = [
      ...MIGRATIONS,
      { version: latest + 1, name: 'broken', sql: 'CREATE TABLE t2 (x); INSERT INTO nowhere VALUES (1);' },
    ];
    expect(() => openDatabase(path, broken)).toThrow();
    const raw = new Database(path);
    expect(raw.pragma('user_version', { simple: true })).toBe(latest);
    expect(raw.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 't2'").get()).toEqual({ n: 0 });
    raw.close();
  });

  it('saves an article once per key and updates it in place', () => {
    const store = openSqliteStore(join(tempDir(), 'nb.db'));
    const id = store.articles.save(record());
    expect(store.articles.save(record({ title: '삼성전자, XR 헤드셋 출시', contentHash: 'hash-2' }))).toBe(id);
    expect(store.articles.count()).toBe(1);
    const stored = store.articles.get(id);
    expect(stored?.title).toBe('삼성전자, XR 헤드셋 출시');
    expect(stored?.deck).toEqual(['메타와 협력']);
    expect(stored?.paragraphs).toHaveLength(2);
    store.close();
  });

  it('finds Korean inside longer words and English words, and forgets replaced text', () => {
    const store = openSqliteStore(join(tempDir(), 'nb.db'));
    const id = store.articles.save(record());
    const find = (...all: string[][]) => store.articles.search({ text: { all, none: [] }, limit: 10 });
    expect(find(['삼성']).map((c) => c.articleId)).toEqual([id]);
    expect(find(['전자']).map((c) => c.articleId)).toEqual([id]);
    expect(find(['samsung']).map((c) => c.articleId)).toEqual([id]);
    expect(find(['헤드셋'], ['메타'])).toHaveLength(1);
    expect(find(['애플'])).toHaveLength(0);
    store.articles.save(
      record({ title: 'LG전자 OLED', deck: [], paragraphs: ['LG전자가 OLED를 공개했다.'], contentHash: 'h3' }),
    );
    expect(find(['삼성'])).toHaveLength(0);
    expect(find(['엘지', 'lg']).map((c) => c.articleId)).toEqual([id]);
    store.close();
  });

  it('ranks title matches above body matches and applies filters and exclusions', () => {
    const store = openSqliteStore(join(tempDir(), 'nb.db'));
    const inBody = store.articles.save(
      record({
        key: 'k1',
        title: 'Chip market weekly',
        paragraphs: ['Nvidia shares rose.'],
        lang: 'en',
        contentHash: 'a',
      }),
    );
    const inTitle = store.articles.save(
      record({
        key: 'k2',
        title: 'Nvidia ships new chip',
        paragraphs: ['The company said.'],
        lang: 'en',
        contentHash: 'b',
      }),
    );
    const korean = store.articles.save(record({ key: 'k3', contentHash: 'c' }));
    const search = (q: Partial<Parameters<typeof store.articles.search>[0]>) =>
      store.articles.search({ text: { all: [], none: [] }, limit: 10, ...q }).map((c) => c.articleId);
    expect(search({ text: { all: [['nvidia']], none: [] } })).toEqual([inTitle, inBody]);
    expect(search({ text: { all: [['nvidia']], none: [['shares']] } })).toEqual([inTitle]);
    expect(search({ text: { all: [], none: [['nvidia']] } })).toEqual([korean]);
    expect(search({ lang: 'ko' })).toEqual([korean]);
    expect(search({ sources: ['한빛통신'], since: '2026-11-26T00:10:00Z' })).toHaveLength(3);
    expect(search({ sources: ['한빛통신'], since: '2026-11-26T00:10:01Z' })).toEqual([]);
    expect(search({ sources: ['nobody'] })).toEqual([]);
    expect(search({ until: '2026-11-26T00:09:59Z' })).toEqual([]);
    store.close();
  });

  it('keeps everything after the database is closed and reopened', () => {
    const path = join(tempDir(), 'nb.db');
    let store = openSqliteStore(path);
    const sourceId = store.sources.upsert({ key: 'file:wire', name: '한빛통신', kind: 'feed', url: null });
    const id = store.articles.save(record({ sourceId }));
    store.articles.setTopics(id, [
      { id: 'xr', weight: 1 },
      { id: 'samsung-electronics', weight: 3 },
    ]);
    store.topics.sync([{ id: 'xr', nameEn: 'XR', nameKo: '확장현실', kind: 'technology', parentId: null }]);
    store.subscriptions.add('console:local', 'xr');
    store.destinations.ensure({
      key: 'console:local',
      platform: 'console',
      workspace: 'local',
      channel: 'local',
      user: null,
      kind: 'channel',
      lang: 'ko',
      timeZone: 'Asia/Seoul',
      digestTime: '08:30',
      weekdays: [1, 2, 3, 4, 5],
      enabled: true,
      pausedReason: null,
      lastDigestAt: null,
    });
    expect(store.deliveries.record('console:local', 'story', id, '2026-11-26T00:00:00Z')).toBe(true);
    store.close();

    store = openSqliteStore(path);
    const article = store.articles.get(id);
    expect(article?.topics).toEqual([
      { id: 'samsung-electronics', weight: 3 },
      { id: 'xr', weight: 1 },
    ]);
    expect(article?.sourceId).toBe(sourceId);
    expect(store.articles.search({ text: { all: [['헤드셋']], none: [] }, limit: 5 })).toHaveLength(1);
    expect(store.topics.list().map((t) => t.id)).toEqual(['xr']);
    expect(store.topics.articleCounts().get('xr')).toBe(1);
    expect(store.subscriptions.list('console:local')).toEqual(['xr']);
    expect(store.destinations.get('console:local')).toMatchObject({ digestTime: '08:30', weekdays: [1, 2, 3, 4, 5] });
    expect(store.deliveries.record('console:local', 'story', id, '2026-11-27T00:00:00Z')).toBe(false);
    expect(store.deliveries.wasDelivered('console:local', id)).toBe(true);
    store.close();
  });

  it('filters by topic and lists a publication window newest first', () => {
    const store = openSqliteStore(join(tempDir(), 'nb.db'));
    const older = store.articles.save(record({ key: 'o', publishedAt: '2026-11-25T09:00:00+09:00', contentHash: 'o' }));
    const newer = store.articles.save(record({ key: 'n', publishedAt: '2026-11-26T09:00:00+09:00', contentHash: 'n' }));
    store.articles.setTopics(newer, [{ id: 'xr', weight: 0 }]);
    expect(
      store.articles.search({ text: { all: [], none: [] }, topics: ['xr'], limit: 5 }).map((c) => c.articleId),
    ).toEqual([newer]);
    const window = store.articles.listPublishedBetween('2026-11-24T15:00:00Z', '2026-11-26T14:59:59Z');
    expect(window.map((a) => a.id)).toEqual([newer, older]);
    expect(store.articles.latestPublishedAt()).toBe('2026-11-26T09:00:00+09:00');
    expect(store.articles.findByContentHash('o')?.id).toBe(older);
    store.close();
  });
});

describe('destinations', () => {
  const channel = {
    key: 'slack:C1',
    platform: 'slack',
    workspace: null,
    channel: 'C1',
    user: null,
    kind: 'channel' as const,
    lang: null,
    timeZone: null,
    digestTime: '09:00',
    weekdays: [],
    enabled: true,
    pausedReason: null,
    lastDigestAt: null,
  };

  it('creates a destination once and changes only the settings asked', () => {
    const store = openSqliteStore(join(tempDir(), 'nb.db'));
    const first = store.destinations.ensure(channel);
    const again = store.destinations.ensure({ ...channel, digestTime: '07:00' });
    expect(again.id).toBe(first.id);
    expect(again.digestTime).toBe('09:00');
    expect(store.destinations.update('slack:C1', { workspace: 'T1', weekdays: [6, 7], lang: 'en' })).toBe(true);
    expect(store.destinations.update('slack:C2', { lang: 'en' })).toBe(false);
    expect(store.destinations.get('slack:C1')).toMatchObject({
      workspace: 'T1',
      weekdays: [6, 7],
      lang: 'en',
      digestTime: '09:00',
      timeZone: null,
    });
    store.destinations.update('slack:C1', { enabled: false, pausedReason: 'channel_not_found' });
    expect(store.destinations.list()).toMatchObject([
      { key: 'slack:C1', enabled: false, pausedReason: 'channel_not_found' },
    ]);
    store.close();
  });

  it('carries the schedules of a version 4 database over', () => {
    const path = join(tempDir(), 'old.db');
    const db = openDatabase(
      path,
      MIGRATIONS.filter((m) => m.version <= 4),
    );
    db.prepare(
      "INSERT INTO schedules (channel, time_of_day, time_zone, lang, last_digest_at, enabled) VALUES ('console:local', '08:30', 'Asia/Seoul', 'ko', '2026-11-26T00:00:00.000Z', 1)",
    ).run();
    db.close();
    const store = openSqliteStore(path);
    expect(store.destinations.get('console:local')).toMatchObject({
      platform: 'console',
      channel: 'local',
      kind: 'channel',
      digestTime: '08:30',
      timeZone: 'Asia/Seoul',
      lang: 'ko',
      lastDigestAt: '2026-11-26T00:00:00.000Z',
    });
    store.close();
  });
});
