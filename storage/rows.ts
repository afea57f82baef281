/**
 * Rows as both backends read them, and the records they become: the columns that have the same type in SQLite and
 * PostgreSQL share one shape and one mapping here. (A column whose type differs, such as the ledger's story keys,
 * JSON text in SQLite and text[] in PostgreSQL, is decoded by its backend first.)
 */
import type {
  ArticleFeaturesRecord,
  LedgerEntry,
  LedgerPart,
  LedgerPartState,
  LedgerState,
  StoredArticle,
  StoredDestination,
  StoredSource,
  StoryHeader,
  StoryMember,
} from './repositories.ts';

export interface SourceRow {
  id: number;
  key: string;
  name: string;
  kind: StoredSource['kind'];
  url: string | null;
  last_success_at: string | null;
  consecutive_failures: number;
  last_error: string | null;
  etag: string | null;
  last_modified: string | null;
  last_attempt_at: string | null;
  next_fetch_at: string | null;
  poll_interval_s: number | null;
  added_by: string | null;
  removed_at: string | null;
  failing_since: string | null;
}

export function toSource(row: SourceRow): StoredSource {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    kind: row.kind,
    url: row.url,
    lastSuccessAt: row.last_success_at,
    consecutiveFailures: row.consecutive_failures,
    lastError: row.last_error,
    etag: row.etag,
    lastModified: row.last_modified,
    lastAttemptAt: row.last_attempt_at,
    nextFetchAt: row.next_fetch_at,
    pollIntervalSeconds: row.poll_interval_s,
    addedBy: row.added_by,
    removedAt: row.removed_at,
    failingSince: row.failing_since,
  };
}

/** A ledger row; `Keys` is how the backend stores its story keys. */
export interface LedgerRow<Keys> {
  id: number;
  destination: string;
  slot: string;
  kind: string;
  local_date: string | null;
  due_at: string;
  state: string;
  content_hash: string | null;
  story_keys: Keys;
  message_id: string | null;
  failure: string | null;
  detail: string | null;
  attempts: number;
  next_attempt_at: string | null;
  created_at: string;
  updated_at: string;
}

export function toLedgerEntry(row: LedgerRow<unknown>, storyKeys: string[]): LedgerEntry {
  return {
    id: row.id,
    destination: row.destination,
    slot: row.slot,
    kind: row.kind as LedgerEntry['kind'],
    localDate: row.local_date,
    dueAt: row.due_at,
    state: row.state as LedgerState,
    contentHash: row.content_hash,
    storyKeys,
    messageId: row.message_id,
    failure: row.failure,
    detail: row.detail,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface LedgerPartRow {
  entry_id: number;
  part: number;
  story_key: string | null;
  body: string;
  state: string;
  message_id: string | null;
  thread_id: string | null;
  updated_at: string;
}

export function toLedgerPart(row: LedgerPartRow): LedgerPart {
  return {
    entryId: row.entry_id,
    part: row.part,
    storyKey: row.story_key,
    body: row.body,
    state: row.state as LedgerPartState,
    messageId: row.message_id,
    threadId: row.thread_id,
    updatedAt: row.updated_at,
  };
}

/** An article row; `Deck` and `Topics` are how the backend stores the deck lines and the topic tags. */
export interface ArticleRow<Deck, Topics> {
  id: number;
  key: string;
  url: string | null;
  source_id: number | null;
  source_name: string | null;
  title: string;
  deck: Deck;
  body: string;
  byline: string | null;
  lang: string;
  published_at: string | null;
  updated_at: string | null;
  content_hash: string;
  first_seen_at: string;
  last_seen_at: string;
  topics: Topics;
}

/** An article record from its row, with the deck and the topics (id, weight; most mentioned first) decoded. */
export function toStoredArticle(
  row: ArticleRow<unknown, unknown>,
  deck: string[],
  topics: readonly [string, number][],
): StoredArticle {
  return {
    id: row.id,
    key: row.key,
    url: row.url,
    sourceId: row.source_id,
    sourceName: row.source_name,
    title: row.title,
    deck,
    paragraphs: row.body === '' ? [] : row.body.split('\n\n'),
    byline: row.byline,
    lang: row.lang as StoredArticle['lang'],
    publishedAt: row.published_at,
    updatedAt: row.updated_at,
    contentHash: row.content_hash,
    topics: topics.map(([id, weight]) => ({ id, weight })),
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
  };
}

/** A story row; `Json` is how the backend stores its profile and tags (JSON text, or parsed). */
export interface StoryRow<Json> {
  id: number;
  key: string;
  first_ms: number;
  last_ms: number;
  article_count: number;
  version: number;
  profile: Json;
  tags: Json;
  created_at: string;
  updated_at: string;
}

export function toStoryHeader(row: Omit<StoryRow<unknown>, 'profile'>, tags: StoryHeader['tags']): StoryHeader {
  return {
    id: row.id,
    key: row.key,
    firstMs: row.first_ms,
    lastMs: row.last_ms,
    articleCount: row.article_count,
    version: row.version,
    tags,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** An article's place in a story; `Json` as for stories. */
export interface StoryMemberRow<Json> {
  article_id: number;
  story_id: number;
  copy_of: number | null;
  time_ms: number;
  features: Json;
}

export function toStoryMember(row: StoryMemberRow<unknown>, features: ArticleFeaturesRecord): StoryMember {
  return {
    articleId: row.article_id,
    storyId: row.story_id,
    copyOf: row.copy_of,
    timeMs: row.time_ms,
    features,
  };
}

/** A destination row; `Flag` and `Days` are how the backend stores its switches and weekdays. */
export interface DestinationRow<Flag, Days> {
  id: number;
  key: string;
  platform: string;
  workspace: string | null;
  channel: string | null;
  user_id: string | null;
  kind: string;
  lang: string | null;
  time_zone: string | null;
  digest_time: string | null;
  weekdays: Days;
  enabled: Flag;
  paused_reason: string | null;
  last_digest_at: string | null;
  schedule_set_at: string | null;
  skip_empty: Flag;
  alerts: Flag;
  story_limit: number | null;
  alert_cap: number | null;
  digest_layout: string;
  created_at: string;
  updated_at: string;
}

/** A destination record from its row, with the weekdays and the switches decoded by `flag`. */
export function toStoredDestination<Flag>(
  row: DestinationRow<Flag, unknown>,
  weekdays: number[],
  flag: (value: Flag) => boolean,
): StoredDestination {
  return {
    id: row.id,
    key: row.key,
    platform: row.platform,
    workspace: row.workspace,
    channel: row.channel,
    user: row.user_id,
    kind: row.kind as StoredDestination['kind'],
    lang: row.lang as StoredDestination['lang'],
    timeZone: row.time_zone,
    digestTime: row.digest_time,
    weekdays,
    enabled: flag(row.enabled),
    pausedReason: row.paused_reason,
    lastDigestAt: row.last_digest_at,
    skipEmpty: flag(row.skip_empty),
    alerts: flag(row.alerts),
    storyLimit: row.story_limit,
    alertCap: row.alert_cap,
    digestLayout: row.digest_layout === 'thread' ? 'thread' : 'single',
    scheduleSetAt: row.schedule_set_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
