import type { Statement } from 'better-sqlite3';
import type { ArticleRecord, ArticleRepository, SaveOptions, StoredArticle, TopicTag } from '../repositories.ts';
import { type ArticleRow as Row, toStoredArticle } from '../rows.ts';
import { createArticleSearch } from './articleSearch.ts';
import type { SqliteDatabase } from './database.ts';
import { ftsDocument } from './ftsQuery.ts';

const SELECT = `
  SELECT a.*, (SELECT json_group_array(json_array(topic_id, weight)) FROM
    (SELECT topic_id, weight FROM article_topics t WHERE t.article_id = a.id ORDER BY weight DESC, topic_id)) AS topics
  FROM articles a`;

/** SQLite keeps the deck and the topics (the query's JSON array) as JSON text. */
type ArticleRow = Row<string, string | null>;
const toArticle = (row: ArticleRow): StoredArticle =>
  toStoredArticle(row, JSON.parse(row.deck) as string[], JSON.parse(row.topics ?? '[]') as [string, number][]);

/**
 * Runs `work` atomically: in a transaction of its own, or as part of the caller's (ingestion saves each article
 * inside one; a savepoint per call would cost more than the statements, and makes the full-text index flush).
 */
function atomic<A extends unknown[], R>(db: SqliteDatabase, work: (...args: A) => R): (...args: A) => R {
  const inTransaction = db.transaction(work);
  return (...args: A) => (db.inTransaction ? work(...args) : inTransaction(...args));
}

/** The text columns of an article row, and its paragraphs. */
interface StoredText {
  title: string;
  /** As stored: JSON. */
  deck: string;
  body: string;
  paragraphs: readonly string[];
}

function epochMs(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

export function createArticleRepository(db: SqliteDatabase, now: () => string): ArticleRepository {
  const byKey = db.prepare<[string], ArticleRow>(`${SELECT} WHERE a.key = ?`);
  const byHash = db.prepare<[string], ArticleRow>(`${SELECT} WHERE a.content_hash = ? ORDER BY a.id LIMIT 1`);
  const byId = db.prepare<[number], ArticleRow>(`${SELECT} WHERE a.id = ?`);
  const byKeys = db.prepare<[string], ArticleRow>(`${SELECT} WHERE a.key IN (SELECT value FROM json_each(?))`);
  const firstByHashes = db.prepare<[string], { content_hash: string; id: number }>(`
    SELECT content_hash, min(id) AS id FROM articles WHERE content_hash IN (SELECT value FROM json_each(?))
    GROUP BY content_hash`);
  const insert = db.prepare(`
    INSERT INTO articles (key, url, source_id, source_name, title, deck, body, byline, lang, published_at,
      published_ms, updated_at, content_hash, first_seen_at, last_seen_at)
    VALUES (@key, @url, @sourceId, @sourceName, @title, @deck, @body, @byline, @lang, @publishedAt,
      @publishedMs, @updatedAt, @contentHash, @now, @now)`);
  const update = db.prepare(`
    UPDATE articles SET url = @url, source_id = @sourceId, source_name = @sourceName, title = @title,
      deck = @deck, body = @body, byline = @byline, lang = @lang, published_at = @publishedAt,
      published_ms = @publishedMs, updated_at = @updatedAt, content_hash = @contentHash, last_seen_at = @now
    WHERE id = @id`);
  const ftsDelete = db.prepare('DELETE FROM articles_fts WHERE rowid = ?');
  const ftsInsert = db.prepare('INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)');
  const touch = db.prepare('UPDATE articles SET last_seen_at = ? WHERE id = ?');
  const deleteTopics = db.prepare('DELETE FROM article_topics WHERE article_id = ?');
  // All of an article's topics in one statement (a statement per count of topics, made on first use).
  const insertTopicStatements = new Map<number, Statement>();
  const insertTopics = (count: number): Statement => {
    let statement = insertTopicStatements.get(count);
    if (!statement) {
      const rows = Array(count).fill('(?, ?, ?)').join(', ');
      statement = db.prepare(`INSERT OR REPLACE INTO article_topics (article_id, topic_id, weight) VALUES ${rows}`);
      insertTopicStatements.set(count, statement);
    }
    return statement;
  };
  const between = db.prepare<[number, number, number], ArticleRow>(
    `${SELECT} WHERE a.published_ms BETWEEN ? AND ? ORDER BY a.published_ms DESC, a.id DESC LIMIT ?`,
  );
  const latest = db.prepare<[], { published_at: string }>(
    'SELECT published_at FROM articles WHERE published_ms IS NOT NULL ORDER BY published_ms DESC LIMIT 1',
  );
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM articles');
  const storedAfter = db.prepare<[number, number], { id: number; sourceId: number | null }>(
    'SELECT id, source_id AS sourceId FROM articles WHERE id > ? ORDER BY id LIMIT ?',
  );
  const newestId = db.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM articles');
  const hold = db.prepare('UPDATE articles SET digest_held = 1 WHERE id IN (SELECT value FROM json_each(?))');
  const newestHeld = db.prepare<[number, number], { id: number }>(`
    SELECT id FROM articles WHERE source_id = ? AND digest_held = 1
    ORDER BY published_ms IS NULL, published_ms DESC, id DESC LIMIT ?`);
  const release = db.prepare('UPDATE articles SET digest_held = 0 WHERE id IN (SELECT value FROM json_each(?))');

  const idByKey = db.prepare<[string], { id: number }>('SELECT id FROM articles WHERE key = ?');
  const storedText = db.prepare<[string], { id: number; title: string; deck: string; body: string }>(
    'SELECT id, title, deck, body FROM articles WHERE id IN (SELECT value FROM json_each(?))',
  );
  const indexText = (id: number, title: string, deck: readonly string[], paragraphs: readonly string[]) => {
    ftsInsert.run(id, ftsDocument(title), ftsDocument([...deck, ...paragraphs].join('\n')));
  };

  /**
   * Full-text entries of articles saved with `deferSearchIndex`, written together by `flushSearchIndex`: an
   * entry written per article makes the FTS index flush a segment at every savepoint (one per article when a
   * batch ingests them). Every version saved is kept, because a version whose savepoint rolled back must not be
   * indexed: the flush indexes the version the row holds.
   */
  const pendingText = new Map<number, { replaces: boolean; versions: StoredText[] }>();

  const save = atomic(db, (record: ArticleRecord, options: SaveOptions = {}): number => {
    const text: StoredText = {
      title: record.title,
      deck: JSON.stringify(record.deck),
      body: record.paragraphs.join('\n\n'),
      paragraphs: record.paragraphs,
    };
    const params = {
      ...record,
      deck: text.deck,
      body: text.body,
      publishedMs: epochMs(record.publishedAt),
      now: now(),
    };
    const existing = idByKey.get(record.key);
    const id = existing ? existing.id : Number(insert.run(params).lastInsertRowid);
    if (existing) update.run({ ...params, id });
    const pending = pendingText.get(id);
    if (options.deferSearchIndex) {
      if (pending) pending.versions.push(text);
      else pendingText.set(id, { replaces: existing !== undefined, versions: [text] });
      return id;
    }
    if (existing) ftsDelete.run(id);
    // Its entry is in the index now: a pending version written later must replace it.
    if (pending) pending.replaces = true;
    indexText(id, record.title, record.deck, record.paragraphs);
    return id;
  });

  const flushSearchIndex = () => {
    if (pendingText.size === 0) return;
    const ids = [...pendingText.keys()];
    const rows = new Map<number, { title: string; deck: string; body: string }>();
    for (const row of storedText.all(JSON.stringify(ids))) rows.set(row.id, row);
    for (const [id, pending] of pendingText) {
      const row = rows.get(id);
      const stored = row
        ? pending.versions.findLast((v) => v.title === row.title && v.deck === row.deck && v.body === row.body)
        : undefined;
      if (!stored) continue;
      if (pending.replaces) ftsDelete.run(id);
      indexText(id, stored.title, JSON.parse(stored.deck) as string[], stored.paragraphs);
    }
    pendingText.clear();
  };

  const setTopics = atomic(db, (articleId: number, topics: readonly TopicTag[]) => {
    deleteTopics.run(articleId);
    if (topics.length === 0) return;
    const params: (string | number)[] = [];
    for (const topic of topics) params.push(articleId, topic.id, topic.weight);
    insertTopics(topics.length).run(params);
  });

  const search = createArticleSearch(db);

  return {
    findByKey: (key) => {
      const row = byKey.get(key);
      return row ? toArticle(row) : null;
    },
    findByContentHash: (hash) => {
      const row = byHash.get(hash);
      return row ? toArticle(row) : null;
    },
    findByKeys: (keys) => (keys.length === 0 ? [] : byKeys.all(JSON.stringify(keys)).map(toArticle)),
    firstIdsByContentHash: (hashes) =>
      new Map(hashes.length === 0 ? [] : firstByHashes.all(JSON.stringify(hashes)).map((r) => [r.content_hash, r.id])),
    get: (id) => {
      const row = byId.get(id);
      return row ? toArticle(row) : null;
    },
    getMany: (ids) => {
      if (ids.length === 0) return [];
      const rows = db
        .prepare(`${SELECT} WHERE a.id IN (SELECT value FROM json_each(?))`)
        .all(JSON.stringify(ids)) as ArticleRow[];
      const byArticleId = new Map(rows.map((r) => [r.id, toArticle(r)]));
      return ids.map((id) => byArticleId.get(id)).filter((a): a is StoredArticle => a !== undefined);
    },
    save,
    flushSearchIndex: atomic(db, flushSearchIndex),
    setTopics,
    touch: (articleId) => {
      touch.run(now(), articleId);
    },
    search,
    listPublishedBetween: (fromIso, toIso, limit = 100_000) => {
      const fromMs = epochMs(fromIso);
      const toMs = epochMs(toIso);
      if (fromMs === null || toMs === null) return [];
      return between.all(fromMs, toMs, limit).map(toArticle);
    },
    latestPublishedAt: () => latest.get()?.published_at ?? null,
    count: () => count.get()?.n ?? 0,
    storedAfter: (afterId, limit) => storedAfter.all(afterId, Math.max(0, limit)),
    newestId: () => newestId.get()?.id ?? null,
    holdFromDigests: (ids) => {
      if (ids.length > 0) hold.run(JSON.stringify(ids));
    },
    releaseHeld: (sourceId, limit) => {
      const ids = newestHeld.all(sourceId, Math.max(0, limit)).map((r) => r.id);
      if (ids.length > 0) release.run(JSON.stringify(ids));
      return ids;
    },
  };
}
