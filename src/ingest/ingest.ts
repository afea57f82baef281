import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { AsyncStore, AsyncTransaction } from '../../storage/asyncStore.ts';
import type { ArticleRecord, StoredArticle, TopicTag } from '../../storage/repositories.ts';
import { isTransientStorageError } from '../../storage/transientErrors.ts';
import { extractHtmlArticle, htmlToParagraphs, parseTextArticle } from '../extract/index.ts';
import { parseFeed } from '../feeds/index.ts';
import type { FeedItem, Lang, ParsedArticle, ParsedFeed } from '../model.ts';
import { type IndexableArticle, type StoryBatch, StoryIndexer } from '../stories/indexer.ts';
import { decodeDocument } from '../text/charset.ts';
import { cleanParagraphs } from '../text/koreanNews.ts';
import { detectLang } from '../text/lang.ts';
import { canonicalUrl } from './canonicalUrl.ts';
import { contentHash } from './contentHash.ts';
import { type DocumentKind, listLocalDocuments } from './localFiles.ts';
import { mergeArticle } from './merge.ts';

export type IngestStatus = 'added' | 'updated' | 'unchanged' | 'duplicate' | 'failed';

export interface IngestOutcome {
  status: IngestStatus;
  /** The file or URL the article came from. */
  origin: string;
  title?: string;
  articleId?: number;
  /** Another stored article with exactly the same text (a wire copy on another site). */
  copyOf?: number;
  error?: string;
}

export interface IngestReport {
  outcomes: IngestOutcome[];
  counts: Record<IngestStatus, number>;
}

/** Finds the topics an article is about; the engine's view of the topic tagger. */
export interface TopicTagger {
  /** Mentioned topics with their counts, plus (weight 0) the parents of mentioned topics. */
  tagsOf(text: string): TopicTag[];
}

export interface IngestorOptions {
  /**
   * Place each article in its story as it is stored (default). Without, articles are stored, tagged and indexed
   * for search only; `indexPendingStories` (which the service runs after every poll) places them later.
   */
  indexStories?: boolean;
}

/** What `Ingestor.batch` hands its work. */
export interface IngestBatch {
  /** `Ingestor.ingestArticle` inside the batch (in a nested transaction: a failed article is undone alone). */
  ingestArticle(
    parsed: ParsedArticle,
    source: SourceInfo,
    origin: string,
    fallbackKey?: string,
  ): Promise<IngestOutcome>;
}

/** Where stored articles come from: becomes (or updates) a row of the sources table. */
export interface SourceInfo {
  key: string;
  name: string;
  kind: DocumentKind;
  url: string | null;
}

const MAX_FILE_BYTES = 20 * 1024 * 1024;
/** Feed items stored per transaction. */
const BATCH_ARTICLES = 10;
/** Articles without a story placed per `indexPendingStories` call, unless asked otherwise. */
const PENDING_STORIES_LIMIT = 20_000;

function emptyCounts(): Record<IngestStatus, number> {
  return { added: 0, updated: 0, unchanged: 0, duplicate: 0, failed: 0 };
}

const PRECEDENCE: IngestStatus[] = ['added', 'updated', 'unchanged'];

/**
 * Counts articles, not encounters: an article met several times in one run (its feed item, then its page)
 * counts once, as `added` if any encounter added it, else `updated`, else `unchanged`. Repeats inside one
 * document count as `duplicate`, failures per file or item.
 */
export function summarizeOutcomes(outcomes: IngestOutcome[]): IngestReport {
  const counts = emptyCounts();
  const perArticle = new Map<number, IngestStatus>();
  for (const o of outcomes) {
    if (o.status === 'failed' || o.status === 'duplicate' || o.articleId === undefined) {
      counts[o.status]++;
      continue;
    }
    const previous = perArticle.get(o.articleId);
    if (!previous || PRECEDENCE.indexOf(o.status) < PRECEDENCE.indexOf(previous)) perArticle.set(o.articleId, o.status);
  }
  for (const status of perArticle.values()) counts[status]++;
  return { outcomes, counts };
}

function feedLang(language: string | null): Lang | null {
  if (!language) return null;
  const l = language.toLowerCase();
  if (l.startsWith('ko')) return 'ko';
  if (l.startsWith('en')) return 'en';
  return null;
}

/** A feed item as an article: full content when the feed carries it, else its summary (a teaser). */
export function feedItemToArticle(item: FeedItem, feed: ParsedFeed): ParsedArticle {
  const html = item.content && item.content.length >= (item.summary?.length ?? 0) ? item.content : item.summary;
  const cleaned = cleanParagraphs(html ? htmlToParagraphs(html) : []);
  const paragraphs = cleaned.paragraphs;
  const title = item.title?.trim() || paragraphs[0]?.slice(0, 120) || '(untitled)';
  const text = `${title}\n${paragraphs.join('\n')}`;
  return {
    title,
    deck: [],
    paragraphs,
    byline: item.author ?? cleaned.byline,
    source: feed.title ?? cleaned.source,
    publishedAt: item.published ?? item.updated,
    updatedAt: item.updated,
    lang: feedLang(feed.language) ?? detectLang(text),
    url: item.link,
  };
}

/** The source of a standalone page or text article: its site, else its publisher's name. */
export function siteSource(article: ParsedArticle, kind: DocumentKind): SourceInfo {
  const host = article.url ? new URL(article.url).hostname : null;
  const name = article.source ?? host ?? 'saved articles';
  return {
    key: host ? `site:${host}` : `file:${name}`,
    name,
    kind,
    url: host ? `https://${host}/` : null,
  };
}

function sameDetails(stored: ArticleRecord, merged: ParsedArticle, sourceName: string): boolean {
  return (
    stored.sourceName === sourceName &&
    stored.byline === merged.byline &&
    stored.lang === merged.lang &&
    stored.publishedAt === merged.publishedAt &&
    stored.updatedAt === merged.updatedAt &&
    stored.deck.join('\n') === merged.deck.join('\n')
  );
}

/** The article as `ArticleRepository.get` reads it back (topics in stored order), so indexing need not read it. */
function asStored(id: number, record: ArticleRecord, topics: readonly TopicTag[]): IndexableArticle {
  return {
    id,
    key: record.key,
    title: record.title,
    paragraphs: storedParagraphs(record.paragraphs),
    lang: record.lang,
    publishedAt: record.publishedAt,
    topics: [...topics].sort((a, b) => b.weight - a.weight || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  };
}

/** Paragraphs as read back from the stored body (joined by blank lines): the same when none holds a line break. */
function storedParagraphs(paragraphs: string[]): string[] {
  if (paragraphs.length === 1 && paragraphs[0] === '') return [];
  if (!paragraphs.some((p) => p.includes('\n'))) return paragraphs;
  const body = paragraphs.join('\n\n');
  return body === '' ? [] : body.split('\n\n');
}

/** The key an article is stored under: its canonical URL, else the feed's id for it, else its text's hash. */
function articleKey(parsed: ParsedArticle, fallbackKey: string | undefined): string {
  const url = parsed.url ? canonicalUrl(parsed.url) : null;
  return url ?? fallbackKey ?? `sha256:${contentHash(parsed.title, parsed.paragraphs)}`;
}

/**
 * What a batch read ahead for the articles it is given (`Ingestor.ingestFeed`), instead of once per article: the
 * articles stored under their keys (null: none), each answering once (a later article with the same key reads
 * what the first stored), and the first stored article of their texts' hashes (null: none), until an article
 * of the batch is saved with or away from that hash.
 */
interface ReadAhead {
  articles: Map<string, StoredArticle | null>;
  firstIdsByHash: Map<string, number | null>;
}

async function readAhead(
  tx: AsyncTransaction,
  articles: readonly { article: ParsedArticle; fallbackKey: string | undefined }[],
): Promise<ReadAhead> {
  const keys = [...new Set(articles.map(({ article, fallbackKey }) => articleKey(article, fallbackKey)))];
  const hashes = [...new Set(articles.map(({ article }) => contentHash(article.title, article.paragraphs)))];
  const stored = new Map((await tx.articles.findByKeys(keys)).map((article) => [article.key, article]));
  const firstIds = await tx.articles.firstIdsByContentHash(hashes);
  return {
    articles: new Map(keys.map((key) => [key, stored.get(key) ?? null])),
    firstIdsByHash: new Map(hashes.map((hash) => [hash, firstIds.get(hash) ?? null])),
  };
}

function nothingReadAhead(): ReadAhead {
  return { articles: new Map(), firstIdsByHash: new Map() };
}

function readBytes(path: string): Uint8Array {
  const raw = readFileSync(path);
  if (raw.byteLength > MAX_FILE_BYTES) throw new Error(`file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`);
  return path.toLowerCase().endsWith('.gz') ? gunzipSync(raw, { maxOutputLength: MAX_FILE_BYTES }) : raw;
}

function failedOutcome(origin: string, title: string, error: unknown): IngestOutcome {
  return { status: 'failed', origin, title, error: errorMessage(error) };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Stores parsed articles: one row per canonical URL (or content hash for saved files without one), merged
 * with what is already stored, tagged with topics and indexed. Statuses: `added`; `updated` (new text or
 * fields); `unchanged` (stored before, nothing new); `duplicate` (the same article again in one document, a
 * feed that lists an item twice: skipped); `failed`. An exact copy under another URL (a wire story on a
 * portal) is stored as its own article, noted with `copyOf`, so the digest can list every source.
 *
 * Reading files and parsing happen before a batch opens; a batch is one transaction (`StoryIndexer.batch`), and
 * batches take turns.
 */
export class Ingestor {
  /**
   * Keys met in the document being ingested (the one begun last): a second meeting is a duplicate listing. A
   * feed or file ingested while another is holds a document of its own.
   */
  private document = new Set<string>();
  /** Near-duplicate links and the story of every article saved. */
  private readonly stories: StoryIndexer;

  private readonly indexStories: boolean;

  constructor(
    storage: AsyncStore,
    private readonly tagger: TopicTagger,
    options: IngestorOptions = {},
  ) {
    this.stories = new StoryIndexer(storage, tagger);
    this.indexStories = options.indexStories ?? true;
  }

  /** Stores one article in a batch of its own, as part of the document begun by `beginDocument`. */
  async ingestArticle(
    parsed: ParsedArticle,
    source: SourceInfo,
    origin: string,
    fallbackKey?: string,
  ): Promise<IngestOutcome> {
    try {
      return await this.batch((batch) => batch.ingestArticle(parsed, source, origin, fallbackKey));
    } catch (error) {
      // The batch's own commit failed: nothing of it was stored.
      return failedOutcome(origin, parsed.title, error);
    }
  }

  /** Stores one standalone article (a page) as a document of its own (`beginDocument`, then `ingestArticle`). */
  async ingestDocument(parsed: ParsedArticle, source: SourceInfo, origin: string): Promise<IngestOutcome> {
    const document = this.newDocument();
    try {
      return await this.inBatch(
        () => document,
        (ingestArticle) => ingestArticle(parsed, source, origin),
      );
    } catch (error) {
      return failedOutcome(origin, parsed.title, error);
    }
  }

  /**
   * Runs many articles (`batch.ingestArticle`, of the document begun by `beginDocument`) in one transaction: one
   * commit instead of one per article, the full-text entries written together, and the story index writing what
   * it keeps in memory between articles once (see `StoryIndexer.batch`). Each article still rolls back alone when
   * it fails (a nested transaction). `work` must not wait on anything slow (no fetching): the transaction is open.
   */
  batch<T>(work: (batch: IngestBatch) => Promise<T>): Promise<T> {
    return this.inBatch(
      () => this.document,
      (ingestArticle) => work({ ingestArticle }),
    );
  }

  /**
   * A batch whose articles are of the document whose keys `seen` gives; `ahead`, the articles it will be given
   * when they are known (what storing them reads is then read for all of them at once).
   */
  private inBatch<T>(
    seen: () => Set<string>,
    work: (
      ingestArticle: (
        parsed: ParsedArticle,
        source: SourceInfo,
        origin: string,
        fallbackKey?: string,
      ) => Promise<IngestOutcome>,
    ) => Promise<T>,
    ahead: readonly { article: ParsedArticle; fallbackKey: string | undefined }[] = [],
  ): Promise<T> {
    return this.stories.batch(async (stories) => {
      /** Sources stored in this batch: identity (key, name, kind, URL) → id. */
      const sourceIds = new Map<string, number>();
      const known = ahead.length > 0 ? await readAhead(stories.tx, ahead) : nothingReadAhead();
      const result = await work(async (parsed, source, origin, fallbackKey) => {
        try {
          return await stories.tx.transaction((tx) =>
            this.storeArticle({ tx, stories, sourceIds, seen: seen(), known }, parsed, source, origin, fallbackKey),
          );
        } catch (error) {
          // The database's trouble, not the article's: the whole batch is to be tried again, not this one dropped.
          if (isTransientStorageError(error)) throw error;
          // A source stored with the article is gone with it.
          sourceIds.clear();
          return failedOutcome(origin, parsed.title, error);
        }
      });
      await stories.tx.articles.flushSearchIndex();
      return result;
    });
  }

  private async storeArticle(
    at: ArticleContext,
    parsed: ParsedArticle,
    source: SourceInfo,
    origin: string,
    fallbackKey?: string,
  ): Promise<IngestOutcome> {
    const url = parsed.url ? canonicalUrl(parsed.url) : null;
    const key = articleKey(parsed, fallbackKey);
    const articles = at.tx.articles;
    const prefetched = at.known.articles.get(key);
    at.known.articles.delete(key);
    const existing = prefetched !== undefined ? prefetched : await articles.findByKey(key);
    const merged = existing
      ? mergeArticle({ ...existing, source: existing.sourceName }, { ...parsed, url })
      : { ...parsed, url };
    const hash = contentHash(merged.title, merged.paragraphs);
    const seenBefore = at.seen.has(key);
    at.seen.add(key);
    const sourceName = merged.source ?? source.name;
    // Same text, and nothing the new reading adds (a feed's date for an article first stored from its page).
    if (existing && existing.contentHash === hash && (seenBefore || sameDetails(existing, merged, sourceName))) {
      await articles.touch(existing.id);
      const status = seenBefore ? 'duplicate' : 'unchanged';
      return { status, origin, title: existing.title, articleId: existing.id } as const;
    }
    const twinId = existing ? null : await this.firstIdWithHash(at, hash);
    const sourceId = await this.sourceId(at, source);
    const record: ArticleRecord = {
      key,
      url,
      sourceId: existing?.sourceId ?? sourceId,
      sourceName,
      title: merged.title,
      deck: merged.deck,
      paragraphs: merged.paragraphs,
      byline: merged.byline,
      lang: merged.lang,
      publishedAt: merged.publishedAt,
      updatedAt: merged.updatedAt,
      contentHash: hash,
    };
    at.known.firstIdsByHash.delete(hash);
    if (existing) at.known.firstIdsByHash.delete(existing.contentHash);
    // Every article is saved inside a batch, whose end writes the full-text entries.
    const id = await articles.save(record, { deferSearchIndex: true });
    const topics = this.tagger.tagsOf([merged.title, ...merged.deck, ...merged.paragraphs].join('\n'));
    await articles.setTopics(id, topics);
    if (this.indexStories) await at.stories.index(id, asStored(id, record, topics), at.tx);
    const outcome: IngestOutcome = {
      status: existing ? 'updated' : 'added',
      origin,
      title: merged.title,
      articleId: id,
    };
    if (twinId !== null) outcome.copyOf = twinId;
    return outcome;
  }

  /** The first stored article with this text (`ArticleRepository.findByContentHash`), read ahead or now. */
  private async firstIdWithHash(at: ArticleContext, hash: string): Promise<number | null> {
    const prefetched = at.known.firstIdsByHash.get(hash);
    if (prefetched !== undefined) return prefetched;
    return (await at.tx.articles.findByContentHash(hash))?.id ?? null;
  }

  /** The source's id, stored (or updated) once per batch rather than with every article of a feed. */
  private async sourceId(at: ArticleContext, source: SourceInfo): Promise<number> {
    const { key, name, kind, url } = source;
    const identity = JSON.stringify([key, name, kind, url]);
    let id = at.sourceIds.get(identity);
    if (id === undefined) {
      id = await at.tx.sources.upsert({ key, name, kind, url });
      at.sourceIds.set(identity, id);
    }
    return id;
  }

  /**
   * Places stored articles that have no story yet (stored with `indexStories: false`, before stories existed, or
   * whose indexing failed), oldest first, at most `limit`; returns how many were placed.
   */
  indexPendingStories(options: { fromMs?: number; toMs?: number; limit?: number } = {}): Promise<number> {
    return this.stories.indexPending({ limit: PENDING_STORIES_LIMIT, ...options });
  }

  /** Starts a new document: an article met again after this is not a duplicate listing. */
  beginDocument(): void {
    this.newDocument();
  }

  private newDocument(): Set<string> {
    this.document = new Set();
    return this.document;
  }

  /**
   * Stores a feed's items, as a document of its own; `source` overrides the name and URL taken from the feed (a
   * configured feed's own).
   */
  async ingestFeed(
    feed: ParsedFeed,
    origin: string,
    feedKey: string,
    source: Partial<Pick<SourceInfo, 'name' | 'url'>> = {},
  ): Promise<IngestOutcome[]> {
    const info: SourceInfo = {
      key: feedKey,
      name: source.name ?? feed.title ?? feedKey,
      kind: 'feed',
      url: source.url !== undefined ? source.url : feed.link,
    };
    const document = this.newDocument();
    const outcomes: IngestOutcome[] = [];
    // Batches of a few articles, not the whole feed: a write transaction blocks every other writer (the main
    // thread's commands) until it commits, so it must stay short.
    for (let first = 0; first < feed.items.length; first += BATCH_ARTICLES) {
      const articles = feed.items.slice(first, first + BATCH_ARTICLES).map((item) => ({
        article: feedItemToArticle(item, feed),
        fallbackKey: item.id ? `guid:${feedKey}#${item.id}` : undefined,
      }));
      const stored = await this.inBatch(
        () => document,
        async (ingestArticle) => {
          const batch: IngestOutcome[] = [];
          for (const { article, fallbackKey } of articles) {
            batch.push(await ingestArticle(article, info, origin, fallbackKey));
          }
          return batch;
        },
        articles,
      );
      outcomes.push(...stored);
    }
    return outcomes;
  }

  /** Ingests one local file of any supported kind. */
  async ingestFile(path: string, kind: DocumentKind, options: { url?: string | null } = {}): Promise<IngestOutcome[]> {
    this.beginDocument();
    let bytes: Uint8Array;
    try {
      bytes = readBytes(path);
    } catch (error) {
      return [{ status: 'failed', origin: path, error: errorMessage(error) }];
    }
    try {
      if (kind === 'feed') {
        const feed = parseFeed(bytes, { url: options.url ?? null });
        return await this.ingestFeed(feed, path, feed.link ?? `file:${basename(path)}`);
      }
      const { text } = decodeDocument(bytes);
      const article =
        kind === 'page'
          ? extractHtmlArticle(text, { url: options.url ?? null })
          : parseTextArticle(text, { url: options.url ?? null });
      return [await this.ingestDocument(article, siteSource(article, kind), path)];
    } catch (error) {
      return [{ status: 'failed', origin: path, error: errorMessage(error) }];
    }
  }

  /** Ingests files and folders (recursively); unreadable or unknown files are reported as failed. */
  async ingestPaths(paths: readonly string[]): Promise<IngestReport> {
    const { documents, problems } = listLocalDocuments(paths);
    const outcomes: IngestOutcome[] = problems.map((p) => ({ status: 'failed', origin: p.path, error: p.error }));
    for (const doc of documents) outcomes.push(...(await this.ingestFile(doc.path, doc.kind)));
    return summarizeOutcomes(outcomes);
  }
}

/**
 * What storing one article works with: its nested transaction, the batch's story index and sources, its document's
 * keys.
 */
interface ArticleContext {
  tx: AsyncTransaction;
  stories: StoryBatch;
  sourceIds: Map<string, number>;
  seen: Set<string>;
  known: ReadAhead;
}
