/**
 * The storage contract the engine depends on. The engine sees only these interfaces; `storage/sqlite/` is
 * the one backend today, and a PostgreSQL backend can be added beside it without touching the engine.
 */
import type { Lang } from '../src/model.ts';

export interface ArticleRecord {
  /** Canonical URL without tracking parameters, or `sha256:<hex>` of the content for saved files. */
  key: string;
  url: string | null;
  sourceId: number | null;
  sourceName: string | null;
  title: string;
  deck: string[];
  paragraphs: string[];
  byline: string | null;
  lang: Lang;
  /** ISO 8601 with the publisher's offset. */
  publishedAt: string | null;
  updatedAt: string | null;
  /** Hash of the normalised title and body: equal hashes mean nothing worth storing changed. */
  contentHash: string;
}

/** A topic an article is tagged with; weight 0 means inherited from a mentioned child topic only. */
export interface TopicTag {
  id: string;
  weight: number;
}

export interface StoredArticle extends ArticleRecord {
  id: number;
  /** Most mentioned first. */
  topics: TopicTag[];
  firstSeenAt: string;
  lastSeenAt: string;
}

/**
 * A full-text condition. Each inner array is a group of alternatives (a word or a phrase, in either language);
 * an article matches when every `all` group has a matching alternative and no `none` group has one.
 */
export interface TextQuery {
  all: string[][];
  none: string[][];
}

export interface ArticleSearch {
  text: TextQuery;
  /** Inclusive bounds on the publication instant, ISO 8601. */
  since?: string | null;
  until?: string | null;
  lang?: string | null;
  /** Source names, compared case-insensitively. */
  sources?: string[];
  /** Topic ids; an article must carry at least one. */
  topics?: string[];
  limit: number;
}

export interface SearchCandidate {
  articleId: number;
  /** Text relevance, higher is better (BM25 with the title weighted above the body); 0 when no text was asked. */
  textScore: number;
}

export interface ArticleRepository {
  findByKey(key: string): StoredArticle | null;
  findByContentHash(hash: string): StoredArticle | null;
  get(id: number): StoredArticle | null;
  getMany(ids: readonly number[]): StoredArticle[];
  /** Inserts or replaces the article stored under `record.key`; returns its id. */
  save(record: ArticleRecord): number;
  setTopics(articleId: number, topics: readonly TopicTag[]): void;
  /** Marks the article as seen again without changing it. */
  touch(articleId: number): void;
  search(query: ArticleSearch): SearchCandidate[];
  /** Articles published in [from, to], newest first. */
  listPublishedBetween(from: string, to: string, limit?: number): StoredArticle[];
  /** The newest publication instant stored, or null when there are no articles. */
  latestPublishedAt(): string | null;
  count(): number;
}

export interface SourceRecord {
  /** Stable identity: a feed URL, or `file:<name>` for bundled and saved files. */
  key: string;
  name: string;
  kind: 'feed' | 'page' | 'text';
  url: string | null;
}

export interface StoredSource extends SourceRecord {
  id: number;
  lastSuccessAt: string | null;
  consecutiveFailures: number;
  lastError: string | null;
}

export interface SourceRepository {
  /** Creates the source or updates its name and URL; returns its id. */
  upsert(source: SourceRecord): number;
  get(id: number): StoredSource | null;
  findByKey(key: string): StoredSource | null;
  list(): StoredSource[];
  recordSuccess(id: number, at: string): void;
  recordFailure(id: number, at: string, error: string): void;
}

export interface TopicRecord {
  id: string;
  nameEn: string;
  nameKo: string;
  kind: string;
  parentId: string | null;
}

export interface TopicRepository {
  /** Replaces the stored catalog with these topics (links to removed topics are kept: history is not lost). */
  sync(topics: readonly TopicRecord[]): void;
  list(): TopicRecord[];
  /** How many articles carry each topic. */
  articleCounts(): Map<string, number>;
}

/** A channel on a platform: `console:local`, `slack:T123:C456`, `discord:123…:456…`. */
export type ChannelKey = string;

export interface SubscriptionRepository {
  add(channel: ChannelKey, topicId: string): boolean;
  remove(channel: ChannelKey, topicId: string): boolean;
  list(channel: ChannelKey): string[];
}

export interface ScheduleRecord {
  channel: ChannelKey;
  /** `HH:MM`, 24-hour, in `timeZone`. */
  timeOfDay: string;
  /** IANA zone, e.g. `Asia/Seoul`. */
  timeZone: string;
  lang: Lang | null;
  lastDigestAt: string | null;
  enabled: boolean;
}

export interface ScheduleRepository {
  get(channel: ChannelKey): ScheduleRecord | null;
  put(schedule: ScheduleRecord): void;
  list(): ScheduleRecord[];
  markDigestSent(channel: ChannelKey, at: string): void;
}

export interface DeliveryRepository {
  /** Records that the article was posted to the channel; false when it already was (no duplicate posts). */
  record(channel: ChannelKey, storyKey: string, articleId: number, at: string): boolean;
  wasDelivered(channel: ChannelKey, articleId: number): boolean;
}

/** Everything the engine needs from storage. */
export interface Store {
  articles: ArticleRepository;
  sources: SourceRepository;
  topics: TopicRepository;
  subscriptions: SubscriptionRepository;
  schedules: ScheduleRepository;
  deliveries: DeliveryRepository;
  /** Runs `work` atomically. */
  transaction<T>(work: () => T): T;
  close(): void;
}
