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
  {
    version: 2,
    name: 'per-source fetch state',
    sql: `
      -- Conditional GET validators from the last full response, and when to fetch next (backoff after failures).
      ALTER TABLE sources ADD COLUMN etag TEXT;
      ALTER TABLE sources ADD COLUMN last_modified TEXT;
      ALTER TABLE sources ADD COLUMN last_attempt_at TEXT;
      ALTER TABLE sources ADD COLUMN next_fetch_at TEXT;
      -- the interval chosen on the last full response (feed ttl / Cache-Control), reused after a 304
      ALTER TABLE sources ADD COLUMN poll_interval_s INTEGER;
    `,
  },
  {
    version: 3,
    name: 'near-duplicate index and stories',
    sql: `
      -- MinHash signature (128 × uint32) of each article's cleaned text, and its LSH band keys.
      CREATE TABLE article_signatures (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        time_ms INTEGER NOT NULL,
        shingles INTEGER NOT NULL,
        minhash BLOB NOT NULL
      );
      CREATE TABLE article_bands (
        band INTEGER NOT NULL,
        time_ms INTEGER NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        PRIMARY KEY (band, time_ms, article_id)
      ) WITHOUT ROWID;
      CREATE INDEX article_bands_article ON article_bands(article_id);
      -- confirmed copies, stored in both directions
      CREATE TABLE duplicate_links (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        other_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        jaccard REAL NOT NULL,
        containment REAL NOT NULL,
        PRIMARY KEY (article_id, other_id)
      ) WITHOUT ROWID;
      CREATE INDEX duplicate_links_other ON duplicate_links(other_id);

      -- document frequencies of the words and #topics story clustering compares; term '' counts documents
      CREATE TABLE story_terms (
        term TEXT PRIMARY KEY,
        df INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE stories (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        first_ms INTEGER NOT NULL,
        last_ms INTEGER NOT NULL,
        article_count INTEGER NOT NULL DEFAULT 0,
        -- bumped on every change, so a cached profile can be checked cheaply
        version INTEGER NOT NULL DEFAULT 0,
        profile TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX stories_last_ms ON stories(last_ms);
      CREATE TABLE story_articles (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        copy_of INTEGER,
        time_ms INTEGER NOT NULL,
        features TEXT NOT NULL,
        assigned_at TEXT NOT NULL
      );
      CREATE INDEX story_articles_story ON story_articles(story_id);
      -- what a story is found by: subjects (@id), topics (#id) and its strongest words
      CREATE TABLE story_keys (
        key TEXT NOT NULL,
        story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        last_ms INTEGER NOT NULL,
        PRIMARY KEY (key, story_id)
      ) WITHOUT ROWID;
      CREATE INDEX story_keys_story ON story_keys(story_id);
      CREATE INDEX story_keys_recent ON story_keys(key, last_ms);

      -- summaries written by a language model, per story or topic and language
      CREATE TABLE llm_summaries (
        subject TEXT NOT NULL,
        lang TEXT NOT NULL,
        input_hash TEXT NOT NULL,
        sentences TEXT NOT NULL,
        model TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (subject, lang)
      ) WITHOUT ROWID;

      CREATE INDEX deliveries_story ON deliveries(channel, story_key);
    `,
  },
  {
    version: 4,
    name: 'near-duplicate bands and story keys indexed in memory',
    sql: `
      -- Band keys are computed from the stored signatures and indexed in memory (src/stories/bandIndex.ts), which
      -- reads the signatures of a window of time.
      DROP TABLE article_bands;
      CREATE INDEX article_signatures_time ON article_signatures(time_ms);
      -- Story keys are looked up in memory (src/stories/storyKeyIndex.ts), read by story (stories.last_ms).
      DROP INDEX story_keys_recent;
    `,
  },
  {
    version: 5,
    name: 'destinations: channels and people, with their language, zone and digest settings',
    sql: `
      -- A destination is a channel (platform, workspace, channel) or a person (platform, workspace, user, for DMs).
      -- Subscriptions and deliveries refer to it by its key ('slack:C123', 'discord:123', 'slack:user:U1').
      CREATE TABLE destinations (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        platform TEXT NOT NULL,
        workspace TEXT,
        channel TEXT,
        user_id TEXT,
        kind TEXT NOT NULL CHECK (kind IN ('channel', 'person')),
        lang TEXT,
        time_zone TEXT,
        digest_time TEXT,
        weekdays TEXT NOT NULL DEFAULT '',
        enabled INTEGER NOT NULL DEFAULT 1,
        paused_reason TEXT,
        last_digest_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      INSERT INTO destinations (key, platform, channel, kind, lang, time_zone, digest_time, enabled, last_digest_at,
                                created_at, updated_at)
        SELECT channel, substr(channel, 1, instr(channel, ':') - 1), substr(channel, instr(channel, ':') + 1),
               'channel', lang, time_zone, time_of_day, enabled, last_digest_at,
               strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        FROM schedules WHERE instr(channel, ':') > 0;
      DROP TABLE schedules;
    `,
  },
  {
    version: 6,
    name: "the delivery ledger, leases, and when a destination's schedule was set",
    sql: `
      -- Every planned post, written before it is sent. (destination, slot) is unique, so a digest can be planned,
      -- and so sent, once: 'digest:2026-12-02' for a scheduled local date.
      CREATE TABLE ledger (
        id INTEGER PRIMARY KEY,
        destination TEXT NOT NULL,
        slot TEXT NOT NULL,
        kind TEXT NOT NULL,
        local_date TEXT,
        due_at TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
        content_hash TEXT,
        story_keys TEXT NOT NULL DEFAULT '[]',
        message_id TEXT,
        failure TEXT,
        detail TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (destination, slot)
      );
      CREATE INDEX ledger_destination_due ON ledger(destination, due_at);
      CREATE INDEX ledger_retry ON ledger(state, next_attempt_at);

      -- A named lease held by one process at a time (the scheduler), renewed while it runs.
      CREATE TABLE leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );

      ALTER TABLE destinations ADD COLUMN schedule_set_at TEXT;
      ALTER TABLE destinations ADD COLUMN skip_empty INTEGER NOT NULL DEFAULT 0;
      UPDATE destinations SET schedule_set_at = created_at WHERE digest_time IS NOT NULL;
    `,
  },
  {
    version: 7,
    name: 'sources added from chat',
    sql: `
      -- Who added a source: NULL for the config and the command line, else the destination that added it in chat
      -- (chat-added feeds are polled beside the configured ones until removed).
      ALTER TABLE sources ADD COLUMN added_by TEXT;
      ALTER TABLE sources ADD COLUMN removed_at TEXT;
      -- A scheduler tick reads the latest ledger entry of every destination within its look-back.
      CREATE INDEX ledger_kind_due ON ledger(kind, due_at);
    `,
  },
  {
    version: 8,
    name: 'personal alerts',
    sql: `
      -- On: each new story matching the destination's topics comes as a message of its own (once per story).
      ALTER TABLE destinations ADD COLUMN alerts INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 9,
    name: 'when a source started failing',
    sql: `
      -- Set at the first failure after a success, cleared by the next success: the incident a notice is about.
      ALTER TABLE sources ADD COLUMN failing_since TEXT;
      UPDATE sources SET failing_since = last_attempt_at WHERE consecutive_failures > 0;
    `,
  },
  {
    version: 10,
    name: 'saved queries',
    sql: `
      -- A destination's saved queries in the query language ('삼성 hbm -루머'): their stories join its digest.
      CREATE TABLE saved_queries (
        destination TEXT NOT NULL,
        query TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (destination, query)
      );
    `,
  },
  {
    version: 11,
    name: 'per-destination caps',
    sql: `
      -- Most stories in one of its digests and most alerts in one of its local days; NULL: the configured ones.
      ALTER TABLE destinations ADD COLUMN story_limit INTEGER;
      ALTER TABLE destinations ADD COLUMN alert_cap INTEGER;
    `,
  },
  {
    version: 12,
    name: 'backlog held from digests',
    sql: `
      -- 1: a feed's backlog when it was added in chat, kept for search but left out of digests and alerts.
      ALTER TABLE articles ADD COLUMN digest_held INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX articles_held_source ON articles(source_id, published_ms) WHERE digest_held = 1;
    `,
  },
  {
    version: 13,
    name: 'subscription mentions',
    sql: `
      -- Who a new story on the topic notifies in the channel, as the bot writes it: 'role:<id>' (Discord),
      -- 'group:<id>' or 'here' (Slack); NULL: nobody.
      ALTER TABLE subscriptions ADD COLUMN notify TEXT;
    `,
  },
  {
    version: 14,
    name: 'threaded digests',
    sql: `
      -- 'single': a digest is one message; 'thread': a parent message with one reply per story in its thread.
      ALTER TABLE destinations ADD COLUMN digest_layout TEXT NOT NULL DEFAULT 'single';
      -- The messages of a threaded digest (0: the parent, then its stories), planned before the first is posted:
      -- a restart goes on from the first part not sent, into the same thread, with the same replies.
      CREATE TABLE ledger_parts (
        entry_id INTEGER NOT NULL REFERENCES ledger(id) ON DELETE CASCADE,
        part INTEGER NOT NULL,
        story_key TEXT,
        body TEXT NOT NULL,
        state TEXT NOT NULL,
        message_id TEXT,
        thread_id TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (entry_id, part)
      );
    `,
  },
  {
    version: 15,
    name: 'slack installations',
    sql: `
      -- The Slack app's installations (multi-workspace OAuth), shared by every receiver: 'enterprise:<id>' for an
      -- org-wide install, else 'team:<id>'; data is what the OAuth flow gave, tokens included, as JSON.
      CREATE TABLE installations (
        install_key TEXT PRIMARY KEY,
        enterprise_id TEXT,
        team_id TEXT,
        enterprise_install INTEGER NOT NULL,
        data TEXT NOT NULL,
        installed_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 16,
    name: 'slack deliveries taken',
    sql: `
      -- Slack deliveries some receiver took ('trigger:<team>:<id>', 'event:<team>:<id>'): the first insert wins, so a
      -- retry landing on another receiver is dropped. Rows older than Slack's retry window are pruned.
      CREATE TABLE slack_deliveries (
        delivery_key TEXT PRIMARY KEY,
        first_seen_at TEXT NOT NULL
      );
      CREATE INDEX slack_deliveries_first_seen ON slack_deliveries(first_seen_at);
    `,
  },
  {
    version: 17,
    name: 'posts under way on platforms whose posts can be sent again safely',
    sql: `
      -- While an entry is 'sending' to a platform with idempotent posts: the idempotency key its messages
      -- carry, the reply being posted (JSON) and when the attempt began, so that a process that finds it left
      -- there by a stop can post the same reply with the same key; cleared once the entry is recorded.
      ALTER TABLE ledger ADD COLUMN post_key TEXT;
      ALTER TABLE ledger ADD COLUMN post_body TEXT;
      ALTER TABLE ledger ADD COLUMN post_started_at TEXT;
    `,
  },
  {
    version: 18,
    name: 'workspaces covered by an org-wide slack install',
    sql: `
      -- The workspaces an org-wide (Enterprise Grid) install covers, learned from the requests it authorized: a
      -- workspace there has no installation of its own, and its posts take the org's bot token. Gone with it.
      CREATE TABLE installation_teams (
        team_id TEXT PRIMARY KEY,
        install_key TEXT NOT NULL REFERENCES installations(install_key) ON DELETE CASCADE
      );
      CREATE INDEX installation_teams_install ON installation_teams(install_key);
    `,
  },
];
