/**
 * What `newsbrief migrate` copies from SQLite to PostgreSQL, table by table: the columns of SQLite's schema
 * version `COPIED_SQLITE_VERSION` (storage/sqlite/migrations.ts) and how each becomes its PostgreSQL column
 * (storage/postgres/migrations.ts, version `COPIED_POSTGRES_VERSION`). Most are the same value; SQLite's 0/1 become booleans, its JSON text arrays and
 * comma lists become arrays, its JSON objects json (its key order kept). The FTS5 index is not copied: PostgreSQL's articles carry
 * their search tokens in a column, made from the article's text as the PostgreSQL store makes them.
 *
 * The order is the order of the copy: every table after the tables it refers to (sources → articles → …,
 * stories → story_articles, ledger → ledger_parts), so each batch satisfies PostgreSQL's foreign keys as it lands.
 */
import { articleSearchTokens } from './searchTokens.ts';

/** The SQLite schema version these tables are (PRAGMA user_version). */
export const COPIED_SQLITE_VERSION = 18;
/** The PostgreSQL schema version they are written into (schema_migrations). */
export const COPIED_POSTGRES_VERSION = 8;

/** A row as better-sqlite3 reads it. */
export type SqliteRow = Record<string, unknown>;

export interface CopiedColumn {
  /** The column's name, the same on both sides. */
  name: string;
  /** Its PostgreSQL type, as the INSERT casts the parameter. */
  type: string;
  /** SQLite's value → PostgreSQL's (the same value when absent). Throws on a value it cannot convert. */
  convert?: (value: unknown) => unknown;
}

export interface DerivedColumn {
  /** A PostgreSQL column SQLite has no column for. */
  name: string;
  type: string;
  from: (row: SqliteRow) => unknown;
}

export interface CopiedTable {
  name: string;
  /** The primary key: the order of the copy (keyset pagination) and the conflict target of its INSERT. */
  key: readonly string[];
  /** The identity column whose sequence moves past the copied ids at the end. */
  identity?: string;
  /** SQLite's columns, every one of them. */
  columns: readonly CopiedColumn[];
  derived?: readonly DerivedColumn[];
}

/** 0/1 → false/true. */
function boolean(value: unknown): boolean {
  if (value === 0 || value === 1) return value === 1;
  throw new Error(`expected 0 or 1, found ${JSON.stringify(value)}`);
}

/** A JSON array of strings, as SQLite keeps decks, story keys and summary sentences → text[]. */
function jsonStrings(value: unknown): string[] {
  const parsed: unknown = JSON.parse(String(value));
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
    throw new Error(`expected a JSON array of strings, found ${String(value).slice(0, 40)}`);
  }
  return parsed;
}

/** ISO weekdays as SQLite keeps them ('1,2,3'; '' for every day) → smallint[]. */
function weekdays(value: unknown): number[] {
  const text = String(value);
  if (text === '') return [];
  const days = text.split(',').map(Number);
  if (!days.every((day) => Number.isInteger(day) && day >= 1 && day <= 7)) {
    throw new Error(`expected weekdays such as 1,2,3, found ${text.slice(0, 40)}`);
  }
  return days;
}

/** JSON text, checked here, so a broken value names its row instead of failing the whole batch. */
function json(value: unknown): string {
  const text = String(value);
  JSON.parse(text);
  return text;
}

/** A blob → bytea. */
function bytes(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  throw new Error(`expected a blob, found ${typeof value}`);
}

const text = (name: string): CopiedColumn => ({ name, type: 'text' });
const integer = (name: string): CopiedColumn => ({ name, type: 'integer' });
const bigint = (name: string): CopiedColumn => ({ name, type: 'bigint' });
const real = (name: string): CopiedColumn => ({ name, type: 'double precision' });
const flag = (name: string): CopiedColumn => ({ name, type: 'boolean', convert: boolean });
const strings = (name: string): CopiedColumn => ({ name, type: 'text[]', convert: jsonStrings });
/** As `json`, not `jsonb`: jsonb would reorder an object's keys, and the engine reads them back in stored order. */
const jsonText = (name: string): CopiedColumn => ({ name, type: 'json', convert: json });

export const COPIED_TABLES: readonly CopiedTable[] = [
  {
    name: 'sources',
    key: ['id'],
    identity: 'id',
    columns: [
      bigint('id'),
      text('key'),
      text('name'),
      text('kind'),
      text('url'),
      text('created_at'),
      text('last_success_at'),
      integer('consecutive_failures'),
      text('last_error'),
      text('etag'),
      text('last_modified'),
      text('last_attempt_at'),
      text('next_fetch_at'),
      integer('poll_interval_s'),
      text('added_by'),
      text('removed_at'),
      text('failing_since'),
    ],
  },
  {
    name: 'articles',
    key: ['id'],
    identity: 'id',
    columns: [
      bigint('id'),
      text('key'),
      text('url'),
      bigint('source_id'),
      text('source_name'),
      text('title'),
      strings('deck'),
      text('body'),
      text('byline'),
      text('lang'),
      text('published_at'),
      bigint('published_ms'),
      text('updated_at'),
      text('content_hash'),
      text('first_seen_at'),
      text('last_seen_at'),
      flag('digest_held'),
    ],
    derived: [
      {
        name: 'search_tokens',
        type: 'text[]',
        // as the store makes them (searchTokens.ts), from the article as SQLite holds it (storage/sqlite/articles.ts)
        from: (row) =>
          articleSearchTokens({
            title: String(row.title),
            deck: jsonStrings(row.deck),
            paragraphs: row.body === '' ? [] : String(row.body).split('\n\n'),
          }),
      },
    ],
  },
  {
    name: 'topics',
    key: ['id'],
    columns: [text('id'), text('name_en'), text('name_ko'), text('kind'), text('parent_id')],
  },
  {
    name: 'article_topics',
    key: ['article_id', 'topic_id'],
    columns: [bigint('article_id'), text('topic_id'), integer('weight')],
  },
  {
    name: 'article_signatures',
    key: ['article_id'],
    columns: [
      bigint('article_id'),
      bigint('time_ms'),
      integer('shingles'),
      { name: 'minhash', type: 'bytea', convert: bytes },
    ],
  },
  {
    name: 'duplicate_links',
    key: ['article_id', 'other_id'],
    columns: [bigint('article_id'), bigint('other_id'), real('jaccard'), real('containment')],
  },
  {
    name: 'stories',
    key: ['id'],
    identity: 'id',
    columns: [
      bigint('id'),
      text('key'),
      bigint('first_ms'),
      bigint('last_ms'),
      integer('article_count'),
      integer('version'),
      jsonText('profile'),
      jsonText('tags'),
      text('created_at'),
      text('updated_at'),
    ],
  },
  {
    name: 'story_articles',
    key: ['article_id'],
    columns: [
      bigint('article_id'),
      bigint('story_id'),
      bigint('copy_of'),
      bigint('time_ms'),
      jsonText('features'),
      text('assigned_at'),
    ],
  },
  {
    name: 'story_keys',
    key: ['key', 'story_id'],
    columns: [text('key'), bigint('story_id'), bigint('last_ms')],
  },
  {
    name: 'story_terms',
    key: ['term'],
    columns: [text('term'), bigint('df')],
  },
  {
    name: 'llm_summaries',
    key: ['subject', 'lang'],
    columns: [
      text('subject'),
      text('lang'),
      text('input_hash'),
      strings('sentences'),
      text('model'),
      text('created_at'),
    ],
  },
  {
    name: 'destinations',
    key: ['id'],
    identity: 'id',
    columns: [
      bigint('id'),
      text('key'),
      text('platform'),
      text('workspace'),
      text('channel'),
      text('user_id'),
      text('kind'),
      text('lang'),
      text('time_zone'),
      text('digest_time'),
      { name: 'weekdays', type: 'smallint[]', convert: weekdays },
      flag('enabled'),
      text('paused_reason'),
      text('last_digest_at'),
      text('created_at'),
      text('updated_at'),
      text('schedule_set_at'),
      flag('skip_empty'),
      flag('alerts'),
      integer('story_limit'),
      integer('alert_cap'),
      text('digest_layout'),
    ],
  },
  {
    name: 'subscriptions',
    key: ['channel', 'topic_id'],
    columns: [text('channel'), text('topic_id'), text('created_at'), text('notify')],
  },
  {
    name: 'saved_queries',
    key: ['destination', 'query'],
    columns: [text('destination'), text('query'), text('created_at')],
  },
  {
    name: 'deliveries',
    key: ['channel', 'article_id'],
    columns: [text('channel'), bigint('article_id'), text('story_key'), text('delivered_at')],
  },
  {
    name: 'ledger',
    key: ['id'],
    identity: 'id',
    columns: [
      bigint('id'),
      text('destination'),
      text('slot'),
      text('kind'),
      text('local_date'),
      text('due_at'),
      text('state'),
      text('content_hash'),
      strings('story_keys'),
      text('message_id'),
      text('failure'),
      text('detail'),
      integer('attempts'),
      text('next_attempt_at'),
      text('created_at'),
      text('updated_at'),
      text('post_key'),
      text('post_body'),
      text('post_started_at'),
    ],
  },
  {
    name: 'ledger_parts',
    key: ['entry_id', 'part'],
    columns: [
      bigint('entry_id'),
      integer('part'),
      text('story_key'),
      text('body'),
      text('state'),
      text('message_id'),
      text('thread_id'),
      text('updated_at'),
    ],
  },
  {
    name: 'leases',
    key: ['name'],
    columns: [text('name'), text('holder'), text('expires_at')],
  },
  {
    name: 'installations',
    key: ['install_key'],
    columns: [
      text('install_key'),
      text('enterprise_id'),
      text('team_id'),
      flag('enterprise_install'),
      { name: 'data', type: 'jsonb', convert: json },
      text('installed_at'),
      text('updated_at'),
    ],
  },
  {
    name: 'installation_teams',
    key: ['team_id'],
    columns: [text('team_id'), text('install_key')],
  },
  {
    name: 'slack_deliveries',
    key: ['delivery_key'],
    columns: [text('delivery_key'), text('first_seen_at')],
  },
];

/** SQLite tables that are not copied as such: the FTS5 index (its shadow tables too). */
export function isSqliteOnlyTable(name: string): boolean {
  return name === 'articles_fts' || name.startsWith('articles_fts_') || name.startsWith('sqlite_');
}
