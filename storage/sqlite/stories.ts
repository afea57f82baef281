import type {
  ArticleFeaturesRecord,
  CachedSummary,
  DuplicateLink,
  DuplicateRepository,
  DuplicateSignature,
  StoryDeliveries,
  StoryHeader,
  StoryKeys,
  StoryMember,
  StoryRecord,
  StoryRepository,
  SummaryCacheRepository,
  TermStatisticsRepository,
  WindowMember,
} from '../repositories.ts';
import { type StoryRow as Row, type StoryMemberRow, toStoryHeader, toStoryMember } from '../rows.ts';
import type { SqliteDatabase } from './database.ts';

/** Large `IN` lists go through one JSON parameter (`json_each`), never through string-built SQL. */
const json = (values: readonly unknown[]) => JSON.stringify(values);

/**
 * Runs `work` atomically: in a transaction of its own, or as part of the caller's (ingestion indexes each
 * article inside one; a savepoint per call would cost more than the statements).
 */
function atomic<A extends unknown[], R>(db: SqliteDatabase, work: (...args: A) => R): (...args: A) => R {
  const inTransaction = db.transaction(work);
  return (...args: A) => (db.inTransaction ? work(...args) : inTransaction(...args));
}

export function createDuplicateRepository(db: SqliteDatabase): DuplicateRepository {
  const putSignature = db.prepare(
    'INSERT OR REPLACE INTO article_signatures (article_id, time_ms, shingles, minhash) VALUES (?, ?, ?, ?)',
  );
  const signaturesBetween = db.prepare<
    [number, number],
    { article_id: number; time_ms: number; shingles: number; minhash: Buffer }
  >(
    'SELECT article_id, time_ms, shingles, minhash FROM article_signatures WHERE time_ms BETWEEN ? AND ? ORDER BY article_id',
  );
  const deleteLinks = db.prepare('DELETE FROM duplicate_links WHERE article_id = ? OR other_id = ?');
  const insertLink = db.prepare(
    'INSERT OR REPLACE INTO duplicate_links (article_id, other_id, jaccard, containment) VALUES (?, ?, ?, ?)',
  );
  const links = db.prepare<[number], { other_id: number; jaccard: number; containment: number }>(
    'SELECT other_id, jaccard, containment FROM duplicate_links WHERE article_id = ? ORDER BY other_id',
  );
  const linksFrom = db.prepare<[string], { article_id: number; other_id: number }>(`
    SELECT article_id, other_id FROM duplicate_links
    WHERE article_id IN (SELECT value FROM json_each(?)) AND article_id < other_id`);
  const has = db.prepare<[number], { one: number }>('SELECT 1 AS one FROM article_signatures WHERE article_id = ?');

  return {
    putSignature: (signature: DuplicateSignature) => {
      putSignature.run(signature.articleId, signature.timeMs, signature.shingleCount, Buffer.from(signature.minhash));
    },
    signaturesBetween: (fromMs, toMs): DuplicateSignature[] =>
      signaturesBetween.all(fromMs, toMs).map((r) => ({
        articleId: r.article_id,
        timeMs: r.time_ms,
        shingleCount: r.shingles,
        minhash: new Uint8Array(r.minhash),
      })),
    setLinks: atomic(db, (articleId: number, found: readonly DuplicateLink[]) => {
      deleteLinks.run(articleId, articleId);
      for (const link of found) {
        insertLink.run(articleId, link.otherId, link.jaccard, link.containment);
        insertLink.run(link.otherId, articleId, link.jaccard, link.containment);
      }
    }),
    links: (articleId) =>
      links.all(articleId).map((r) => ({ otherId: r.other_id, jaccard: r.jaccard, containment: r.containment })),
    linksAmong: (articleIds) => {
      if (articleIds.length < 2) return [];
      // Two json_each sets in one WHERE make SQLite rescan one per row: filter the other end here instead.
      const wanted = new Set(articleIds);
      return linksFrom
        .all(json(articleIds))
        .filter((r) => wanted.has(r.other_id))
        .map((r): [number, number] => [r.article_id, r.other_id]);
    },
    hasSignature: (articleId) => has.get(articleId) !== undefined,
  };
}

/** SQLite keeps profiles, tags and features as JSON text. */
type StoryRow = Row<string>;
type MemberRow = StoryMemberRow<string>;
const toHeader = (row: Omit<StoryRow, 'profile'>): StoryHeader =>
  toStoryHeader(row, JSON.parse(row.tags) as StoryHeader['tags']);
const toMember = (row: MemberRow): StoryMember => toStoryMember(row, JSON.parse(row.features) as ArticleFeaturesRecord);

function toStory(row: StoryRow): StoryRecord {
  return { ...toHeader(row), profile: JSON.parse(row.profile) as StoryRecord['profile'] };
}

export function createStoryRepository(db: SqliteDatabase, now: () => string): StoryRepository {
  const insert = db.prepare(`
    INSERT INTO stories (key, first_ms, last_ms, article_count, profile, tags, created_at, updated_at)
    VALUES (@key, @firstMs, @lastMs, 0, @profile, @tags, @now, @now)`);
  const byId = db.prepare<[number], StoryRow>('SELECT * FROM stories WHERE id = ?');
  const byIds = db.prepare<[string], StoryRow>('SELECT * FROM stories WHERE id IN (SELECT value FROM json_each(?))');
  const headers = db.prepare<[string], Omit<StoryRow, 'profile'>>(`
    SELECT id, key, first_ms, last_ms, article_count, version, tags, created_at, updated_at FROM stories
    WHERE id IN (SELECT value FROM json_each(?))`);
  const byKey = db.prepare<[string], StoryRow>('SELECT * FROM stories WHERE key = ?');
  const update = db.prepare(`
    UPDATE stories SET first_ms = @firstMs, last_ms = @lastMs, article_count = @articleCount, profile = @profile,
      tags = @tags, updated_at = @now, version = version + 1 WHERE id = @id`);
  const versionOf = db.prepare<[number], { version: number }>('SELECT version FROM stories WHERE id = ?');
  const remove = db.prepare('DELETE FROM stories WHERE id = ?');
  const deleteKey = db.prepare('DELETE FROM story_keys WHERE key = ? AND story_id = ?');
  const keysOf = db.prepare<[number], { key: string }>('SELECT key FROM story_keys WHERE story_id = ?');
  const touchKeys = db.prepare('UPDATE story_keys SET last_ms = ? WHERE story_id = ? AND last_ms <> ?');
  const insertKey = db.prepare('INSERT OR IGNORE INTO story_keys (key, story_id, last_ms) VALUES (?, ?, ?)');
  const keysBetween = db.prepare<[number, number], { id: number; last_ms: number; key: string }>(`
    SELECT s.id, s.last_ms, k.key FROM stories s JOIN story_keys k ON k.story_id = s.id
    WHERE s.last_ms >= ? AND s.last_ms < ? ORDER BY s.id`);
  const membership = db.prepare<[number], MemberRow>('SELECT * FROM story_articles WHERE article_id = ?');
  const storyIds = db.prepare<[string], { article_id: number; story_id: number }>(
    'SELECT article_id, story_id FROM story_articles WHERE article_id IN (SELECT value FROM json_each(?))',
  );
  const members = db.prepare<[number], MemberRow>(
    'SELECT * FROM story_articles WHERE story_id = ? ORDER BY time_ms, article_id',
  );
  const upsertMember = db.prepare(`
    INSERT INTO story_articles (article_id, story_id, copy_of, time_ms, features, assigned_at)
    VALUES (@articleId, @storyId, @copyOf, @timeMs, @features, @now)
    ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, copy_of = excluded.copy_of,
      time_ms = excluded.time_ms, features = excluded.features, assigned_at = excluded.assigned_at`);
  const removeMember = db.prepare('DELETE FROM story_articles WHERE article_id = ?');
  const windowMembers = db.prepare<
    [number, number],
    {
      id: number;
      story_id: number;
      copy_of: number | null;
      title: string;
      source_name: string | null;
      url: string | null;
      published_at: string | null;
      published_ms: number;
      lang: string;
    }
  >(`
    SELECT a.id, m.story_id, m.copy_of, a.title, a.source_name, a.url, a.published_at, a.published_ms, a.lang
    FROM articles a JOIN story_articles m ON m.article_id = a.id
    WHERE a.published_ms BETWEEN ? AND ? AND a.digest_held = 0`);
  const unassignedAll = db.prepare<[number], { id: number }>(`
    SELECT a.id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM story_articles m WHERE m.article_id = a.id)
    ORDER BY a.published_ms IS NULL, a.published_ms, a.id LIMIT ?`);
  const unassignedBetween = db.prepare<[number, number, number], { id: number }>(`
    SELECT a.id FROM articles a
    WHERE a.published_ms BETWEEN ? AND ? AND NOT EXISTS (SELECT 1 FROM story_articles m WHERE m.article_id = a.id)
    ORDER BY a.published_ms, a.id LIMIT ?`);
  const delivered = db.prepare<[number], { one: number }>('SELECT 1 AS one FROM deliveries WHERE article_id = ?');
  const deliveredStories = db.prepare<
    [string, string],
    { story_key: string; article_id: number; delivered_at: string }
  >(`
    SELECT story_key, article_id, delivered_at FROM deliveries
    WHERE channel = ? AND story_key IN (SELECT value FROM json_each(?))
    ORDER BY delivered_at, article_id`);

  const params = (story: StoryRecord) => ({
    id: story.id,
    firstMs: story.firstMs,
    lastMs: story.lastMs,
    articleCount: story.articleCount,
    profile: JSON.stringify(story.profile),
    tags: JSON.stringify(story.tags),
    now: now(),
  });

  const updateOne = (story: StoryRecord): number => {
    update.run(params(story));
    return versionOf.get(story.id)?.version ?? story.version;
  };
  const setKeys = (storyId: number, keys: readonly string[], lastMs: number): void => {
    // Usually only the story's newest time moved, or a key or two changed: only those rows are written.
    const wanted = new Set(keys);
    const stored = new Set(keysOf.all(storyId).map((r) => r.key));
    for (const key of stored) if (!wanted.has(key)) deleteKey.run(key, storyId);
    touchKeys.run(lastMs, storyId, lastMs);
    for (const key of wanted) if (!stored.has(key)) insertKey.run(key, storyId, lastMs);
  };

  return {
    create: (story) => {
      const id = Number(
        insert.run({
          key: story.key,
          firstMs: story.firstMs,
          lastMs: story.lastMs,
          profile: JSON.stringify(story.profile),
          tags: JSON.stringify(story.tags),
          now: now(),
        }).lastInsertRowid,
      );
      return toStory(byId.get(id) as StoryRow);
    },
    get: (id) => {
      const row = byId.get(id);
      return row ? toStory(row) : null;
    },
    getMany: (ids) => (ids.length === 0 ? [] : byIds.all(json(ids)).map(toStory)),
    headers: (ids) => (ids.length === 0 ? [] : headers.all(json(ids)).map(toHeader)),
    findByKey: (key) => {
      const row = byKey.get(key);
      return row ? toStory(row) : null;
    },
    update: updateOne,
    updateMany: atomic(db, (stories: readonly StoryRecord[]) => stories.map(updateOne)),
    delete: (id) => {
      remove.run(id);
    },
    setKeys: atomic(db, setKeys),
    setKeysMany: atomic(db, (entries: readonly { storyId: number; keys: readonly string[]; lastMs: number }[]) => {
      for (const { storyId, keys, lastMs } of entries) setKeys(storyId, keys, lastMs);
    }),
    keysBetween: (sinceMs, beforeMs) => {
      const out: StoryKeys[] = [];
      for (const row of keysBetween.iterate(sinceMs, beforeMs)) {
        const last = out.at(-1);
        if (last?.storyId === row.id) last.keys.push(row.key);
        else out.push({ storyId: row.id, keys: [row.key], lastMs: row.last_ms });
      }
      return out;
    },
    membership: (articleId) => {
      const row = membership.get(articleId);
      return row ? toMember(row) : null;
    },
    storyIds: (articleIds) =>
      new Map(articleIds.length === 0 ? [] : storyIds.all(json(articleIds)).map((r) => [r.article_id, r.story_id])),
    members: (storyId) => members.all(storyId).map(toMember),
    addMember: (member) => {
      upsertMember.run({ ...member, features: JSON.stringify(member.features), now: now() });
    },
    removeMember: (articleId) => {
      removeMember.run(articleId);
    },
    windowMembers: (fromMs, toMs): WindowMember[] =>
      windowMembers.all(fromMs, toMs).map((r) => ({
        articleId: r.id,
        storyId: r.story_id,
        copyOf: r.copy_of,
        title: r.title,
        sourceName: r.source_name,
        url: r.url,
        publishedAt: r.published_at,
        publishedMs: r.published_ms,
        lang: r.lang as WindowMember['lang'],
      })),
    unassigned: (limit, fromMs, toMs) =>
      (fromMs !== undefined && toMs !== undefined
        ? unassignedBetween.all(fromMs, toMs, limit)
        : unassignedAll.all(limit)
      ).map((r) => r.id),
    wasDelivered: (articleId) => delivered.get(articleId) !== undefined,
    deliveredStories: (channel, storyKeys) => {
      const out = new Map<string, StoryDeliveries>();
      if (storyKeys.length === 0) return out;
      for (const row of deliveredStories.all(channel, json(storyKeys))) {
        const entry = out.get(row.story_key);
        if (entry) {
          entry.articleIds.push(row.article_id);
          entry.lastAt = row.delivered_at;
        } else {
          out.set(row.story_key, { articleIds: [row.article_id], firstAt: row.delivered_at, lastAt: row.delivered_at });
        }
      }
      return out;
    },
  };
}

/** The row counting documents: no real term is empty. */
const DOCUMENTS = '';

export function createTermStatisticsRepository(db: SqliteDatabase): TermStatisticsRepository {
  const get = db.prepare<[string], { df: number }>('SELECT df FROM story_terms WHERE term = ?');
  const many = db.prepare<[string], { term: string; df: number }>(
    'SELECT term, df FROM story_terms WHERE term IN (SELECT value FROM json_each(?))',
  );
  const bump = db.prepare(`
    INSERT INTO story_terms (term, df) VALUES (?, ?)
    ON CONFLICT (term) DO UPDATE SET df = max(0, df + excluded.df)`);
  return {
    documentCount: () => get.get(DOCUMENTS)?.df ?? 0,
    frequencies: (terms) => {
      const out = new Map<string, number>();
      if (terms.length === 0) return out;
      for (const row of many.all(json(terms))) out.set(row.term, row.df);
      return out;
    },
    apply: atomic(db, (deltas: ReadonlyMap<string, number>, documents: number) => {
      for (const [term, delta] of deltas) if (delta !== 0 && term !== DOCUMENTS) bump.run(term, delta);
      if (documents !== 0) bump.run(DOCUMENTS, documents);
    }),
  };
}

export function createSummaryCacheRepository(db: SqliteDatabase): SummaryCacheRepository {
  const get = db.prepare<[string, string, string], { sentences: string; model: string; created_at: string }>(
    'SELECT sentences, model, created_at FROM llm_summaries WHERE subject = ? AND lang = ? AND input_hash = ?',
  );
  const put = db.prepare(`
    INSERT OR REPLACE INTO llm_summaries (subject, lang, input_hash, sentences, model, created_at)
    VALUES (?, ?, ?, ?, ?, ?)`);
  return {
    get: (subject, lang, inputHash): CachedSummary | null => {
      const row = get.get(subject, lang, inputHash);
      if (!row) return null;
      const sentences = JSON.parse(row.sentences) as unknown;
      if (!Array.isArray(sentences) || !sentences.every((s) => typeof s === 'string')) return null;
      return { sentences, model: row.model, createdAt: row.created_at };
    },
    put: (subject, lang, inputHash, summary) => {
      put.run(subject, lang, inputHash, JSON.stringify(summary.sentences), summary.model, summary.createdAt);
    },
  };
}
