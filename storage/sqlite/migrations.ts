/**
 * Forward-only schema migrations. A migration is never edited once released: add a new one instead.
 * Each runs in its own transaction and bumps `PRAGMA user_version`.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('feed', 'page', 'text')),
        url TEXT,
        created_at TEXT NOT NULL,
        last_success_at TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
      );

      CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        url TEXT,
        source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,
        source_name TEXT,
        title TEXT NOT NULL,
        deck TEXT NOT NULL DEFAULT '[]',
        body TEXT NOT NULL,
        byline TEXT,
        lang TEXT NOT NULL,
        published_at TEXT,
        -- the publication instant in epoch milliseconds, for range queries across zones
        published_ms INTEGER,
        updated_at TEXT,
        content_hash TEXT NOT NULL,
        first_seen_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL
      );
      CREATE INDEX articles_published_ms ON articles(published_ms);
      CREATE INDEX articles_content_hash ON articles(content_hash);

      -- Pre-tokenized text (see src/text/searchTokens.ts); the original text lives in articles.
      CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, body,
        content = '', contentless_delete = 1,
        tokenize = 'porter unicode61 remove_diacritics 2'
      );

      CREATE TABLE topics (
        id TEXT PRIMARY KEY,
        name_en TEXT NOT NULL,
        name_ko TEXT NOT NULL,
        kind TEXT NOT NULL,
        parent_id TEXT
      ) WITHOUT ROWID;

      CREATE TABLE article_topics (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        topic_id TEXT NOT NULL,
        -- mentions in the article; 0 when the topic is only inherited from a mentioned child (갤럭시 → 삼성전자)
        weight INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (article_id, topic_id)
      ) WITHOUT ROWID;
      CREATE INDEX article_topics_topic ON article_topics(topic_id, article_id);

      CREATE TABLE subscriptions (
        channel TEXT NOT NULL,
        topic_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (channel, topic_id)
      ) WITHOUT ROWID;

      CREATE TABLE schedules (
        channel TEXT PRIMARY KEY,
        time_of_day TEXT NOT NULL,
        time_zone TEXT NOT NULL,
        lang TEXT,
        last_digest_at TEXT,
        enabled INTEGER NOT NULL DEFAULT 1
      ) WITHOUT ROWID;

      CREATE TABLE deliveries (
        channel TEXT NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        story_key TEXT NOT NULL,
        delivered_at TEXT NOT NULL,
        PRIMARY KEY (channel, article_id)
      ) WITHOUT ROWID;
    `,
  },
];
