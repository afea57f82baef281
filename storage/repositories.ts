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
  /**
   * The topic each `all` group names (same order; null for a plain word). A group that names a topic matches
   * only articles tagged with it (mentioned, or through a child topic), which its text alternatives then rank;
   * when every group names one, articles tagged with all of them match even where the text does not.
   */
  allTopics?: (string | null)[];
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
  /**
   * When the text matches more articles than this, only the most recently stored this many are ranked (a news
   * archive is stored roughly in publication order), so a query for a very common word stays fast.
   */
  rankWindow?: number;
  limit: number;
}

export interface SearchCandidate {
  articleId: number;
  /**
   * Text relevance in [0, 1], higher is better: each query group counts 3 in the title, 1 in the body, over 3 ×
   * groups. 0 when no words were asked, or the article matched through its topic tags only.
   */
  textScore: number;
  /** The publication instant in epoch milliseconds, when known. */
  publishedMs?: number | null;
}

export interface SaveOptions {
  /**
   * Leave the article out of full-text search until `flushSearchIndex` (a batch that saves many articles writes
   * their entries together before it commits; much cheaper than one at a time).
   */
  deferSearchIndex?: boolean;
}

export interface ArticleRepository {
  findByKey(key: string): StoredArticle | null;
  findByContentHash(hash: string): StoredArticle | null;
  /** `findByKey` of several keys together: the articles stored under them, in no particular order. */
  findByKeys(keys: readonly string[]): StoredArticle[];
  /** `findByContentHash` of several hashes together, its article's id only: hash → id, for the hashes stored. */
  firstIdsByContentHash(hashes: readonly string[]): Map<string, number>;
  get(id: number): StoredArticle | null;
  getMany(ids: readonly number[]): StoredArticle[];
  /** Inserts or replaces the article stored under `record.key`; returns its id. */
  save(record: ArticleRecord, options?: SaveOptions): number;
  /** Writes the full-text entries of the articles saved with `deferSearchIndex` (inside the caller's transaction). */
  flushSearchIndex(): void;
  setTopics(articleId: number, topics: readonly TopicTag[]): void;
  /** Marks the article as seen again without changing it. */
  touch(articleId: number): void;
  search(query: ArticleSearch): SearchCandidate[];
  /** Articles published in [from, to], newest first. */
  listPublishedBetween(from: string, to: string, limit?: number): StoredArticle[];
  /** The newest publication instant stored, or null when there are no articles. */
  latestPublishedAt(): string | null;
  /** Keeps these articles out of digests (a feed's backlog when added); search still finds them. */
  holdFromDigests(ids: readonly number[]): void;
  /** Lets the newest `count` held articles of a source into digests again; returns their ids. */
  releaseHeld(sourceId: number, count: number): number[];
  count(): number;
  /**
   * Articles stored after article `afterId` (ids only grow), lowest id first, at most `limit`: what was stored since
   * a reader last looked. On PostgreSQL ids are taken before commit, so one committed after a higher id was read
   * can be passed over.
   */
  storedAfter(afterId: number, limit: number): { id: number; sourceId: number | null }[];
  /** The highest article id stored, or null when there are no articles. */
  newestId(): number | null;
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
  /** Validators from the last full response, sent back for a conditional GET. */
  etag: string | null;
  lastModified: string | null;
  /** When it was last fetched, successfully or not. */
  lastAttemptAt: string | null;
  /** When it is due again (ISO 8601); null: as soon as possible. */
  nextFetchAt: string | null;
  /** The polling interval chosen on the last full response (feed ttl, Cache-Control), seconds. */
  pollIntervalSeconds: number | null;
  /** The destination that added it in chat; null for the config and the command line. */
  addedBy: string | null;
  /** When it was removed in chat (no longer polled); null while it is kept. */
  removedAt: string | null;
  /** When its current run of failures began; null while it works. */
  failingSince: string | null;
}

/** What a successful fetch leaves behind. Omitted validators are kept as they were (a 304 may not repeat them). */
export interface FetchSuccess {
  etag?: string | null;
  lastModified?: string | null;
  nextFetchAt: string;
  pollIntervalSeconds?: number | null;
}

export interface SourceRepository {
  /** Creates the source or updates its name and URL; returns its id. */
  upsert(source: SourceRecord): number;
  get(id: number): StoredSource | null;
  findByKey(key: string): StoredSource | null;
  list(): StoredSource[];
  /** Marks the source as added in chat by `destination` (polled until removed), or removed (`destination` null). */
  setAddedBy(id: number, destination: string | null): void;
  /** Sources added in chat and not removed. */
  addedInChat(): StoredSource[];
  /** Clears the failure count and error; with `fetch`, also stores the validators and the next fetch time. */
  recordSuccess(id: number, at: string, fetch?: FetchSuccess): void;
  /** Counts one more consecutive failure and keeps its error; `nextFetchAt` is the backoff the caller chose. */
  recordFailure(id: number, at: string, error: string, nextFetchAt?: string | null): void;
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

/**
 * Who a channel subscription notifies when a new story on its topic breaks: a Discord role, a Slack user group, or
 * Slack's `@here`. Always written by the bot from this record, never taken from article text.
 */
export type Mention = { kind: 'role'; id: string } | { kind: 'group'; id: string } | { kind: 'here' };

export interface SubscriptionRepository {
  add(channel: ChannelKey, topicId: string): boolean;
  /** Sets (or with null clears) who the subscription notifies; false when there is no such subscription. */
  setNotify(channel: ChannelKey, topicId: string, mention: Mention | null): boolean;
  /** The channel's subscriptions that notify someone, topic id → mention. */
  notifications(channel: ChannelKey): Map<string, Mention>;
  /** Every channel's subscriptions that notify someone, in one read: channel → topic id → mention. */
  allNotifications(): Map<ChannelKey, Map<string, Mention>>;
  remove(channel: ChannelKey, topicId: string): boolean;
  list(channel: ChannelKey): string[];
  /** Saved queries (the query language's text), in the order saved. */
  addQuery(channel: ChannelKey, query: string): boolean;
  removeQuery(channel: ChannelKey, query: string): boolean;
  queries(channel: ChannelKey): string[];
}

/** Where a channel or a person is on its platform. */
export interface DestinationAddress {
  platform: string;
  /** Slack team id, Discord guild id; null until the platform first names it (a channel listed in the config). */
  workspace: string | null;
  channel: string | null;
  /** For a person (DMs). */
  user: string | null;
}

export type DestinationKind = 'channel' | 'person';

/** A channel or a person newsbrief talks to, with the settings its digests use. */
export interface DestinationRecord extends DestinationAddress {
  /** `slack:C123`, `discord:456`, `slack:user:U1`, `console:local`: what subscriptions and deliveries refer to. */
  key: ChannelKey;
  kind: DestinationKind;
  /** Language of its digests and replies; null: the configured default. */
  lang: Lang | null;
  /** IANA zone; null: the configured default. */
  timeZone: string | null;
  /** `HH:MM`, 24-hour, in its zone; null: no scheduled digest. */
  digestTime: string | null;
  /** ISO weekdays (1 = Monday) it gets digests on; empty: every day. */
  weekdays: number[];
  enabled: boolean;
  /** Why posting to it stopped (channel gone, permission missing); null while it works. */
  pausedReason: string | null;
  lastDigestAt: string | null;
  /** A digest with nothing new is skipped instead of saying so. */
  skipEmpty?: boolean;
  /** Each new story about its topics comes as a message of its own (a person's alerts). */
  alerts?: boolean;
  /** Most stories in one digest; null: the configured `digest.maxStories`. */
  storyLimit?: number | null;
  /** Most alerts in one local day; null: the configured `alerts.dailyCap`. */
  alertCap?: number | null;
  /** `single`: a digest is one message; `thread`: a parent message with a reply per story in its thread. */
  digestLayout?: DigestLayout;
}

export type DigestLayout = 'single' | 'thread';

export interface StoredDestination extends DestinationRecord {
  id: number;
  skipEmpty: boolean;
  alerts: boolean;
  storyLimit: number | null;
  alertCap: number | null;
  digestLayout: DigestLayout;
  /** When its digest time, zone or days last changed (slots due before are not its own); null: no schedule. */
  scheduleSetAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What planning needs of a destination with a schedule. */
export interface ScheduledDestination {
  key: ChannelKey;
  digestTime: string;
  timeZone: string | null;
  weekdays: number[];
  /** When its schedule was set (else when it was created). */
  scheduleSetAt: string;
}

export type DestinationSettings = Partial<
  Pick<
    DestinationRecord,
    | 'workspace'
    | 'lang'
    | 'timeZone'
    | 'digestTime'
    | 'weekdays'
    | 'enabled'
    | 'pausedReason'
    | 'skipEmpty'
    | 'alerts'
    | 'storyLimit'
    | 'alertCap'
    | 'digestLayout'
  >
>;

export interface DestinationRepository {
  get(key: ChannelKey): StoredDestination | null;
  /** The destination under `record.key`, created with these settings when it does not exist yet. */
  ensure(record: DestinationRecord): StoredDestination;
  /** Changes the given settings; returns false when there is no such destination. */
  update(key: ChannelKey, settings: DestinationSettings): boolean;
  list(): StoredDestination[];
  /** The destinations with a digest time that are on and not paused: what a scheduler tick reads. */
  scheduled(): ScheduledDestination[];
  markDigestSent(key: ChannelKey, at: string): void;
}

export interface DeliveryRepository {
  /** Records that the article was posted to the channel; false when it already was (no duplicate posts). */
  record(channel: ChannelKey, storyKey: string, articleId: number, at: string): boolean;
  wasDelivered(channel: ChannelKey, articleId: number): boolean;
}

export type LedgerState = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';

/** A planned post: written before it is sent, then marked sent, failed or skipped. */
export interface LedgerEntry {
  id: number;
  destination: ChannelKey;
  /** Unique per destination: `digest:2026-12-02` for the scheduled digest of that local date. */
  slot: string;
  kind: 'digest' | 'alert' | 'notice';
  localDate: string | null;
  dueAt: string;
  state: LedgerState;
  /** What was posted: a hash of its stories and articles. */
  contentHash: string | null;
  storyKeys: string[];
  /** The platform's id of the (first) message. */
  messageId: string | null;
  /** The typed failure (`gone`, `forbidden`, `rateLimited`, `tooLarge`, `transient`, `interrupted`) or skip reason. */
  failure: string | null;
  detail: string | null;
  attempts: number;
  /** When a failed post is tried again; null: never. */
  nextAttemptAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export type NewLedgerEntry = Pick<LedgerEntry, 'destination' | 'slot' | 'kind' | 'localDate' | 'dueAt'> &
  ({ state: 'pending' } | { state: 'skipped'; failure: string; detail?: string | null });

/**
 * A post under way to a platform whose posts are idempotent: the key its messages carry, the reply (JSON) and when
 * the attempt began (the claim). Kept while the entry is `sending`, so that a process finding it left there by a
 * stop can post the same reply with the same key while the platform still knows the key.
 */
export interface PostUnderWay {
  key: string;
  body: string;
  startedAt: string;
}

export type LedgerPartState = 'planned' | 'sending' | 'sent' | 'interrupted';

/** One message of a threaded digest: its parent (part 0) or a story's reply (1…n), as planned and as posted. */
export interface LedgerPart {
  entryId: number;
  part: number;
  storyKey: string | null;
  /** The reply it posts (JSON), fixed when the thread was planned: a resumed thread posts what it began with. */
  body: string;
  /** `interrupted`: left `sending` by a stop, so maybe posted; never sent again. */
  state: LedgerPartState;
  messageId: string | null;
  /** On the parent: the thread its replies go in, once opened. */
  threadId: string | null;
  /** When it last moved: for a part `sending`, when its post began. */
  updatedAt: string;
}

/**
 * The delivery ledger. Every statement is a single-row insert or a conditional update, the same on SQLite and
 * PostgreSQL (`INSERT … ON CONFLICT DO NOTHING`, `UPDATE … WHERE state IN (…)`), so it holds across processes.
 */
export interface LedgerRepository {
  /** Inserts the entry unless its (destination, slot) exists; says whether this call inserted it. */
  plan(entry: NewLedgerEntry): { entry: LedgerEntry; inserted: boolean };
  /**
   * Moves the entry to `sending` if it is still in one of `from`; false when another process got there first. With
   * `underWay`, the post's key and reply are kept with the claim's time (see `PostUnderWay`); without, none is.
   */
  claim(id: number, from: readonly LedgerState[], underWay?: Pick<PostUnderWay, 'key' | 'body'>): boolean;
  /**
   * Takes the post under way of an entry left `sending`, once: the first call gets it and renews the claim (a live
   * process is posting it again), any later one null, as does an entry claimed without one or no longer `sending`.
   */
  takeUnderWay(id: number): PostUnderWay | null;
  /** Records the entry sent (and its post under way, if any, done with). */
  markSent(id: number, sent: { messageId: string; contentHash: string; storyKeys: readonly string[] }): void;
  /** Counts an attempt, its post under way done with; `nextAttemptAt` null: not tried again. */
  markFailed(id: number, failure: string, detail: string, nextAttemptAt: string | null): void;
  markSkipped(id: number, reason: string, detail?: string | null): void;
  get(id: number): LedgerEntry | null;
  /**
   * For every destination with entries of `kind` due after `since`: the latest due time and local date among them
   * (one read: a scheduler tick needs all of them, and nothing older than its look-back).
   */
  latestPlanned(kind: LedgerEntry['kind'], since: string): Map<ChannelKey, { dueAt: string; localDate: string | null }>;
  lastSent(destination: ChannelKey, kind: LedgerEntry['kind']): LedgerEntry | null;
  /**
   * `source-down:<source id>:<since>` notices sent to a destination with no `source-up:` notice after them: the
   * outages people were told of and not yet told are over.
   */
  openOutages(): LedgerEntry[];
  /** How many entries of `kind` were sent to the destination since `since` (a daily cap). */
  countSent(destination: ChannelKey, kind: LedgerEntry['kind'], since: string): number;
  /** Failed entries due to be tried again by `at`. */
  retriesDue(at: string, limit: number): LedgerEntry[];
  /** Entries left `sending`: a process stopped between sending and recording. */
  interrupted(): LedgerEntry[];
  /** Entries left `pending` (planned, never claimed) due by `at`. */
  pendingDue(at: string, limit: number): LedgerEntry[];
  recent(destination: ChannelKey, limit: number): LedgerEntry[];
  /** A threaded digest's messages in order; empty when the entry has none planned. */
  parts(entryId: number): LedgerPart[];
  /**
   * Plans a thread's messages, replacing parts still only planned (a retry before anything was posted plans anew);
   * parts past `planned` stay as they are.
   */
  planParts(entryId: number, parts: readonly Pick<LedgerPart, 'part' | 'storyKey' | 'body'>[]): void;
  /** Moves a part from one of `from` to `to`, with the message posted; false when it was not in one of `from`. */
  markPart(
    entryId: number,
    part: number,
    from: readonly LedgerPartState[],
    to: LedgerPartState,
    messageId?: string | null,
  ): boolean;
  /** Records the thread opened under the entry's parent message. */
  setThread(entryId: number, threadId: string): void;
}

/** A named lease that one process holds at a time (the digest scheduler), renewed while it runs. */
export interface LeaseRepository {
  /** Takes or renews the lease for `holder` until `expiresAt`, unless another holder's lease is still valid. */
  acquire(name: string, holder: string, now: string, expiresAt: string): boolean;
  release(name: string, holder: string): void;
  current(name: string): { holder: string; expiresAt: string } | null;
  /**
   * Hands the lease from `from` (a holder known to have stopped) to `holder` until `expiresAt`; false when it is
   * no longer `from`'s (another process took it first).
   */
  takeOver(name: string, from: string, holder: string, expiresAt: string): boolean;
}

/** One article in the near-duplicate index: its MinHash signature (its LSH band keys are computed from it). */
export interface DuplicateSignature {
  articleId: number;
  /** Where the article sits in time (publication, else first seen), epoch milliseconds. */
  timeMs: number;
  /** Distinct shingles of its cleaned text. */
  shingleCount: number;
  /** The MinHash signature as bytes (128 unsigned 32-bit integers, little-endian). */
  minhash: Uint8Array;
}

/** A confirmed copy relation between two articles (stored in both directions). */
export interface DuplicateLink {
  otherId: number;
  jaccard: number;
  containment: number;
}

export interface DuplicateRepository {
  /** Stores or replaces an article's signature. */
  putSignature(signature: DuplicateSignature): void;
  /** The signatures of the articles placed within [fromMs, toMs] (the engine keeps their band index). */
  signaturesBetween(fromMs: number, toMs: number): DuplicateSignature[];
  /** Replaces the article's copy links (in both directions). */
  setLinks(articleId: number, links: readonly DuplicateLink[]): void;
  links(articleId: number): DuplicateLink[];
  /** The copy links between articles of the given set, each pair once (`[smaller id, larger id]`). */
  linksAmong(articleIds: readonly number[]): [number, number][];
  hasSignature(articleId: number): boolean;
}

/** A story's centroid as stored: summed vectors (term → weight) per language, topics, subjects, numbers. */
export interface StoryProfileRecord {
  text: Record<string, Record<string, number>>;
  topics: Record<string, number>;
  subjects: Record<string, number>;
  neutral: Record<string, number>;
}

/** What clustering stored about one article (see src/stories/features.ts). */
export interface ArticleFeaturesRecord {
  lang: Lang;
  terms: Record<string, number>;
  topics: Record<string, number>;
  subjects: Record<string, number>;
  /** Numbers and acronyms, the words Korean and English coverage share. */
  neutral: Record<string, number>;
  /** The article's topic tags (id → mentions; 0 when only inherited), summed into the story's tags. */
  tags: Record<string, number>;
}

/** A story without its profile: what a digest needs to rank it. */
export interface StoryHeader {
  id: number;
  /** Stable identity shown to channels, derived from the key of the article that started the story. */
  key: string;
  firstMs: number;
  lastMs: number;
  articleCount: number;
  /** Bumped on every change. */
  version: number;
  /** Topic tags of its articles: id → summed mentions (0: only inherited from a mentioned child topic). */
  tags: Record<string, number>;
  createdAt: string;
  updatedAt: string;
}

export interface StoryRecord extends StoryHeader {
  profile: StoryProfileRecord;
}

export type NewStory = Pick<StoryRecord, 'key' | 'firstMs' | 'lastMs' | 'profile' | 'tags'>;

export interface StoryMember {
  articleId: number;
  storyId: number;
  /**
   * The member it joined through a copy link (its vectors then stay out of the story's profile: stories cluster
   * groups of copies, not raw articles); null when it was placed by content.
   */
  copyOf: number | null;
  timeMs: number;
  features: ArticleFeaturesRecord;
}

/** An article published in a window, with its story: what a digest ranks, without article bodies. */
export interface WindowMember {
  articleId: number;
  storyId: number;
  copyOf: number | null;
  title: string;
  sourceName: string | null;
  url: string | null;
  publishedAt: string | null;
  publishedMs: number;
  lang: Lang;
}

export interface StoryDeliveries {
  /** Articles of the story already posted to the channel. */
  articleIds: number[];
  firstAt: string;
  lastAt: string;
}

/** The keys a story is found by, and its newest article's time. */
export interface StoryKeys {
  storyId: number;
  keys: string[];
  lastMs: number;
}

export interface StoryRepository {
  create(story: NewStory): StoryRecord;
  get(id: number): StoryRecord | null;
  getMany(ids: readonly number[]): StoryRecord[];
  /** Headers only (no profile), for ranking many stories. */
  headers(ids: readonly number[]): StoryHeader[];
  findByKey(key: string): StoryRecord | null;
  /** Saves time span, article count, profile and tags; returns the story's new version. */
  update(story: StoryRecord): number;
  /** `update` of several stories (each once) together; their new versions, in the order given. */
  updateMany(stories: readonly StoryRecord[]): number[];
  delete(id: number): void;
  /** Replaces the keys the story is found by (subjects, topics, strongest words). */
  setKeys(storyId: number, keys: readonly string[], lastMs: number): void;
  /** `setKeys` of several stories (each once) together. */
  setKeysMany(entries: readonly { storyId: number; keys: readonly string[]; lastMs: number }[]): void;
  /** The keys of the stories whose newest article is in [sinceMs, beforeMs) (for an index kept in memory). */
  keysBetween(sinceMs: number, beforeMs: number): StoryKeys[];
  membership(articleId: number): StoryMember | null;
  /** The story of each of these articles that belongs to one (article id → story id), without features. */
  storyIds(articleIds: readonly number[]): Map<number, number>;
  members(storyId: number): StoryMember[];
  /** Adds the article to a story, or moves it. */
  addMember(member: StoryMember): void;
  removeMember(articleId: number): void;
  /** Articles published in [fromMs, toMs] that belong to a story. */
  windowMembers(fromMs: number, toMs: number): WindowMember[];
  /** Stored articles without a story (stored before stories existed, or whose indexing failed), oldest first. */
  unassigned(limit: number, fromMs?: number, toMs?: number): number[];
  /** True when the article was posted to any channel (its story must then stay put). */
  wasDelivered(articleId: number): boolean;
  /** For each story key posted to the channel before: which of its articles, and when. */
  deliveredStories(channel: ChannelKey, storyKeys: readonly string[]): Map<string, StoryDeliveries>;
}

/** Document frequencies of the terms story clustering compares (words and `#topic` ids). */
export interface TermStatisticsRepository {
  documentCount(): number;
  frequencies(terms: readonly string[]): Map<string, number>;
  /** Adds `deltas` (term → change, may be negative) to the frequencies and `documents` to the document count. */
  apply(deltas: ReadonlyMap<string, number>, documents: number): void;
}

export interface CachedSummary {
  sentences: string[];
  model: string;
  createdAt: string;
}

/** Summaries written by a language model, cached per subject (`story:<key>`, `topic:<id>`) and language. */
export interface SummaryCacheRepository {
  /** The cached summary when it was made from the same input (`inputHash`). */
  get(subject: string, lang: string, inputHash: string): CachedSummary | null;
  put(subject: string, lang: string, inputHash: string, summary: CachedSummary): void;
}

/**
 * Which installation of the Slack app (multi-workspace OAuth) a request or a post needs: an org-wide install by
 * its enterprise id, any other by its workspace's team id.
 */
export interface InstallationKey {
  enterpriseId: string | null;
  teamId: string | null;
  enterpriseInstall: boolean;
}

export interface StoredInstallation extends InstallationKey {
  /** What the OAuth flow gave (Bolt's `Installation`: tokens, scopes, ids, names), as a JSON object. */
  data: Record<string, unknown>;
  installedAt: string;
  /** When it was last stored (a reinstall, new scopes, a refreshed token). */
  updatedAt: string;
}

/** The Slack app's installations, one per workspace or enterprise org, shared by every process. */
export interface InstallationRepository {
  /** Stores the installation under its key, replacing what was there but keeping when it was first installed. */
  save(key: InstallationKey, data: Record<string, unknown>): void;
  find(key: InstallationKey): StoredInstallation | null;
  /**
   * The installation that posts to workspace `teamId`: the workspace's own, else the org-wide install that
   * covers it (as `cover` recorded); null when there is neither.
   */
  findForTeam(teamId: string): StoredInstallation | null;
  /**
   * Records that the org-wide install of `enterpriseId` covers workspace `teamId` (a workspace moved to another
   * org is moved with it); false, recording nothing, when that org has no installation stored.
   */
  cover(enterpriseId: string, teamId: string): boolean;
  /** Forgets the installation (the app was uninstalled) and the workspaces it covered; false when there was none. */
  delete(key: InstallationKey): boolean;
}

/**
 * Slack deliveries (a command, a button press, an event) some receiver has taken: Slack's retries of one may land
 * on any receiver behind the load balancer, and only the first to take it answers.
 */
export interface SlackDeliveryRepository {
  /** Takes the delivery for the caller: true for the first call with `key` in any process, false for every later one. */
  take(key: string, at: string): boolean;
  /** Forgets the deliveries first taken before `before`; returns how many. */
  prune(before: string): number;
}

/** What a backup copy holds, read back from the copy itself. */
export interface BackupReport {
  /** The copy's size in bytes. */
  bytes: number;
  /** The copy's schema version (its migrations). */
  schemaVersion: number;
  /** `ok`, or the first problems the copy's integrity check found. */
  check: string;
  rows: {
    articles: number;
    sources: number;
    destinations: number;
    /** Destinations with a digest time. */
    schedules: number;
    subscriptions: number;
    savedQueries: number;
    ledger: number;
    stories: number;
  };
}

/** Everything the engine needs from storage. */
export interface Store {
  articles: ArticleRepository;
  sources: SourceRepository;
  topics: TopicRepository;
  subscriptions: SubscriptionRepository;
  destinations: DestinationRepository;
  deliveries: DeliveryRepository;
  ledger: LedgerRepository;
  leases: LeaseRepository;
  duplicates: DuplicateRepository;
  stories: StoryRepository;
  storyTerms: TermStatisticsRepository;
  summaries: SummaryCacheRepository;
  installations: InstallationRepository;
  slackDeliveries: SlackDeliveryRepository;
  /** Runs `work` atomically. */
  transaction<T>(work: () => T): T;
  /**
   * Writes a consistent copy of the whole database, as of one instant, to `file` (a new, empty or missing file
   * in an existing folder), while other connections and processes go on reading and writing; resolves with what
   * the copy holds. A backend with no such copy rejects saying what to use instead (PostgreSQL: `pg_dump`).
   */
  backupTo(file: string): Promise<BackupReport>;
  close(): void;
}
