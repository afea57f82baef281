/**
 * Ingestion over HTTP: fetches feeds (with per-source state: validators, failures, when due) and pages, and for
 * feed items that carry only a teaser, fetches the linked page and stores its full text under the item's key.
 * A source that fails records its error and backs off; it never stops the other sources or touches stored
 * articles. The store failing is not the source's failure: that error is thrown, the source's health untouched,
 * for the caller to try the fetch again (the job queue, the poller). Everything is fetched first and stored after:
 * no transaction is open while a request is.
 */
import pLimit from 'p-limit';
import type { AsyncStore, AsyncTransaction } from '../../storage/asyncStore.ts';
import type { StoredArticle, StoredSource } from '../../storage/repositories.ts';
import { isTransientStorageError } from '../../storage/transientErrors.ts';
import { extractHtmlArticle } from '../extract/index.ts';
import { FetchError, type FetchErrorCode, type FetchResult, HostLimiter, type HttpFetcher } from '../fetch/index.ts';
import { decodeDocument } from '../text/charset.ts';
import { isHtml, readFetchedDocument } from './fetchedDocument.ts';
import { addSeconds, backoffSeconds, feedTtlMinutes, pollIntervalSeconds } from './fetchSchedule.ts';
import {
  type IngestOutcome,
  type Ingestor,
  type IngestReport,
  type SourceInfo,
  siteSource,
  summarizeOutcomes,
} from './ingest.ts';
import { isTeaser } from './teaser.ts';

/** A feed to keep fetching, as configured (`feeds:` in newsbrief.yaml). */
export interface FeedSource {
  url: string;
  name?: string | undefined;
  lang?: 'ko' | 'en' | undefined;
}

export interface SourceFetchOutcome {
  url: string;
  /** What the URL turned out to be; null when nothing was read. */
  kind: 'feed' | 'page' | null;
  status: 'fetched' | 'not-modified' | 'failed';
  error: string | null;
  /** Why it failed, for a person: the fetch error's code, `not-a-feed`, or `failed` (anything else). */
  errorCode?: FetchErrorCode | 'not-a-feed' | 'failed';
  /** One per stored article (feed items, then the pages fetched for teasers). */
  outcomes: IngestOutcome[];
  /** When the source is due again; null for pages, which keep no fetch state. */
  nextFetchAt: string | null;
}

export interface RefreshReport {
  /** The feeds that were due, in config order. */
  sources: SourceFetchOutcome[];
  /** Configured feeds not due yet. */
  notDue: number;
  report: IngestReport;
}

export interface RemoteIngestOptions {
  fetcher: HttpFetcher;
  /** The configured feeds that `refreshDueSources` keeps fresh. */
  feeds?: readonly FeedSource[];
  /** Shared by feeds and pages; default: 2 requests per host, 8 overall. */
  limiter?: HostLimiter;
  /** For backoff jitter; tests pin it. */
  random?: () => number;
  /** Teaser pages fetched per feed fetch at most (the rest keep their teaser). */
  maxPagesPerFeed?: number;
  /** Teaser pages of one feed fetched at once. */
  pageConcurrency?: number;
  /** The shortest polling interval, whatever a feed asks (default 5 minutes; the config's `fetch.minInterval`). */
  minIntervalSeconds?: number;
}

const PAGE_ACCEPT = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.1';

/** A feed source's key: its URL in normal form, so `HTTPS://Example.com:443/rss` and `https://example.com/rss` match. */
export function feedKey(url: string): string {
  try {
    return new URL(url.trim()).href;
  } catch {
    return url.trim();
  }
}

/** Whether a source is polled: a configured feed, or one added in chat and not removed. */
export function isPolledSource(
  source: Pick<StoredSource, 'kind' | 'key' | 'addedBy' | 'removedAt'>,
  configuredFeeds: ReadonlySet<string>,
): boolean {
  return (
    source.kind === 'feed' &&
    (configuredFeeds.has(source.key) || (source.addedBy !== null && source.removedAt === null))
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

interface FetchPlan {
  /** Only feeds are acceptable (a configured feed); otherwise a page is stored too. */
  expectFeed: boolean;
  name?: string | undefined;
  lang?: 'ko' | 'en' | undefined;
  /** Fetch without the stored validators: the whole feed, never a 304. */
  unconditional?: boolean;
}

export class RemoteIngestor {
  private readonly fetcher: HttpFetcher;
  private readonly feeds: readonly FeedSource[];
  private readonly limiter: HostLimiter;
  private readonly random: () => number;
  private readonly maxPagesPerFeed: number;
  private readonly pageConcurrency: number;
  private readonly minIntervalSeconds: number | undefined;

  constructor(
    private readonly store: AsyncStore,
    private readonly ingestor: Ingestor,
    options: RemoteIngestOptions,
  ) {
    this.fetcher = options.fetcher;
    this.feeds = options.feeds ?? [];
    this.limiter = options.limiter ?? new HostLimiter({ perHost: 2, total: 8 });
    this.random = options.random ?? Math.random;
    this.maxPagesPerFeed = options.maxPagesPerFeed ?? 50;
    this.pageConcurrency = options.pageConcurrency ?? 4;
    this.minIntervalSeconds = options.minIntervalSeconds;
  }

  /** Stores every configured feed as a source (new ones are due at once), so they are listed before their first fetch. */
  syncConfiguredFeeds(): Promise<void> {
    return this.store.transaction(async (tx) => {
      for (const feed of this.feeds) {
        const key = feedKey(feed.url);
        const known = await tx.sources.findByKey(key);
        await this.registerFeed(key, feed.name ?? known?.name ?? hostOf(key), tx);
      }
    });
  }

  /** Fetches a URL given by hand (`newsbrief ingest URL`): a feed (state kept, as for configured feeds) or a page. */
  ingestUrl(url: string, now = new Date()): Promise<SourceFetchOutcome> {
    return this.fetchSource(url, { expectFeed: false }, now);
  }

  /**
   * Fetches one feed now, whether due or not; `unconditional`: without the stored validators, so that every item the
   * feed holds is in the outcomes (adding a feed, whose items an earlier try may have stored already).
   */
  refreshFeed(feed: FeedSource, now = new Date(), { unconditional = false } = {}): Promise<SourceFetchOutcome> {
    return this.fetchSource(feed.url, { expectFeed: true, name: feed.name, lang: feed.lang, unconditional }, now);
  }

  /** Fetches every configured feed whose `nextFetchAt` has passed (or that was never fetched), concurrently. */
  async refreshDueSources(now = new Date()): Promise<RefreshReport> {
    const keys = new Set<string>();
    const due: FeedSource[] = [];
    let notDue = 0;
    for (const feed of this.feeds) {
      const key = feedKey(feed.url);
      if (keys.has(key)) continue;
      keys.add(key);
      const next = (await this.store.sources.findByKey(key))?.nextFetchAt;
      if (next && Date.parse(next) > now.getTime()) notDue++;
      else due.push(feed);
    }
    const sources = await Promise.all(due.map((feed) => this.refreshFeed(feed, now)));
    return { sources, notDue, report: summarizeOutcomes(sources.flatMap((s) => s.outcomes)) };
  }

  private async fetchSource(url: string, plan: FetchPlan, now: Date): Promise<SourceFetchOutcome> {
    const key = feedKey(url);
    let source: StoredSource | null = null;
    try {
      const known = await this.store.sources.findByKey(key);
      source = known?.kind === 'feed' ? known : null;
      if (plan.expectFeed) source = await this.registerFeed(key, plan.name ?? source?.name ?? hostOf(key));
      let result: FetchResult;
      try {
        result = await this.limiter.run(url, () =>
          this.fetcher.fetch({
            url,
            etag: plan.unconditional ? null : (source?.etag ?? null),
            lastModified: plan.unconditional ? null : (source?.lastModified ?? null),
          }),
        );
      } catch (error) {
        return this.failed(url, source, error, now);
      }
      if (result.kind === 'not-modified') return await this.notModified(url, source, result.maxAgeSeconds, now);

      let document: ReturnType<typeof readFetchedDocument>;
      try {
        document = readFetchedDocument(result.bytes, result.contentType, result.finalUrl);
      } catch (error) {
        return await this.failed(url, source, error, now);
      }
      if (document.kind === 'page') {
        if (plan.expectFeed) {
          return await this.failed(url, source, new Error('not a feed: the URL serves an HTML page'), now);
        }
        if (document.article.paragraphs.length === 0) {
          return await this.failed(url, source, new Error('no article text found on the page'), now);
        }
        const outcome = await this.ingestor.ingestDocument(document.article, siteSource(document.article, 'page'), url);
        return { url, kind: 'page', status: 'fetched', error: null, outcomes: [outcome], nextFetchAt: null };
      }

      const feed = document.feed;
      if (plan.lang) feed.language = plan.lang;
      const name = plan.name ?? feed.title ?? source?.name ?? hostOf(key);
      source = await this.registerFeed(key, name);
      const info: SourceInfo = { key, name, kind: 'feed', url: key };
      const outcomes = await this.ingestor.ingestFeed(feed, url, key, { name, url: key });
      const itemsFailed = outcomes.some((o) => o.status === 'failed');
      outcomes.push(...(await this.fetchTeaserPages(outcomes, info)));
      const interval = pollIntervalSeconds(
        { ttlMinutes: feedTtlMinutes(result.bytes), maxAgeSeconds: result.maxAgeSeconds },
        this.minIntervalSeconds,
      );
      const nextFetchAt = addSeconds(now, interval);
      // Validators are stored only once every item is in: a 304 must never hide items that failed to store.
      await this.store.sources.recordSuccess(source.id, now.toISOString(), {
        etag: itemsFailed ? null : result.etag,
        lastModified: itemsFailed ? null : result.lastModified,
        nextFetchAt,
        pollIntervalSeconds: interval,
      });
      return { url, kind: 'feed', status: 'fetched', error: null, outcomes, nextFetchAt };
    } catch (error) {
      // A deadlock or a lost connection is no fault of the feed: counted against it, it would back off for minutes.
      if (isTransientStorageError(error)) throw error;
      // Any other storage error or a bug: report it for this source only, never let it stop the others.
      return await this.failed(url, source, error, now);
    }
  }

  /** Stores the feed as a source (in `tx`, when given) and reads it back. */
  private async registerFeed(key: string, name: string, tx: AsyncTransaction = this.store): Promise<StoredSource> {
    const id = await tx.sources.upsert({ key, name, kind: 'feed', url: key });
    const stored = await tx.sources.get(id);
    if (!stored) throw new Error(`source ${key} was not stored`);
    return stored;
  }

  private async notModified(
    url: string,
    source: StoredSource | null,
    maxAge: number | null,
    now: Date,
  ): Promise<SourceFetchOutcome> {
    if (!source) return { url, kind: null, status: 'not-modified', error: null, outcomes: [], nextFetchAt: null };
    const interval =
      source.pollIntervalSeconds ?? pollIntervalSeconds({ maxAgeSeconds: maxAge }, this.minIntervalSeconds);
    const nextFetchAt = addSeconds(now, interval);
    await this.store.sources.recordSuccess(source.id, now.toISOString(), { nextFetchAt });
    return { url, kind: 'feed', status: 'not-modified', error: null, outcomes: [], nextFetchAt };
  }

  private async failed(
    url: string,
    source: StoredSource | null,
    error: unknown,
    now: Date,
  ): Promise<SourceFetchOutcome> {
    const message = errorMessage(error);
    let nextFetchAt: string | null = null;
    if (source) {
      try {
        const current = (await this.store.sources.get(source.id)) ?? source;
        const retryAfter = error instanceof FetchError ? error.details.retryAfterSeconds : null;
        nextFetchAt = addSeconds(now, backoffSeconds(current.consecutiveFailures + 1, this.random, retryAfter));
        await this.store.sources.recordFailure(source.id, now.toISOString(), message, nextFetchAt);
      } catch {
        // The failure itself could not be recorded (storage gone): the report still says what happened.
      }
    }
    const errorCode =
      error instanceof FetchError ? error.code : message.startsWith('not a feed') ? 'not-a-feed' : 'failed';
    return {
      url,
      kind: source ? 'feed' : null,
      status: 'failed',
      error: message,
      errorCode,
      outcomes: [{ status: 'failed', origin: url, error: message }],
      nextFetchAt,
    };
  }

  /** Articles added or changed by this fetch whose stored body is still a teaser: their pages are fetched. */
  private async teaserArticles(outcomes: readonly IngestOutcome[]): Promise<StoredArticle[]> {
    const ids = new Set<number>();
    for (const o of outcomes) {
      if ((o.status === 'added' || o.status === 'updated') && o.articleId !== undefined) ids.add(o.articleId);
    }
    const articles = await this.store.articles.getMany([...ids]);
    return articles.filter((a) => a.url !== null && isTeaser(a)).slice(0, this.maxPagesPerFeed);
  }

  private async fetchTeaserPages(outcomes: readonly IngestOutcome[], source: SourceInfo): Promise<IngestOutcome[]> {
    const articles = await this.teaserArticles(outcomes);
    if (articles.length === 0) return [];
    const limit = pLimit(this.pageConcurrency);
    return Promise.all(articles.map((article) => limit(() => this.fetchPage(article, source))));
  }

  /** Fetches a teaser's page and stores its text under the feed item's key, so the two merge into one article. */
  private async fetchPage(article: StoredArticle, source: SourceInfo): Promise<IngestOutcome> {
    const url = article.url as string;
    try {
      const result = await this.limiter.run(url, () => this.fetcher.fetch({ url, accept: PAGE_ACCEPT }));
      if (result.kind !== 'document')
        return { status: 'unchanged', origin: url, title: article.title, articleId: article.id };
      const { text } = decodeDocument(result.bytes, { contentType: result.contentType });
      if (!isHtml(result.contentType, text)) {
        return { status: 'failed', origin: url, title: article.title, error: 'page not stored: not an HTML page' };
      }
      const page = extractHtmlArticle(text, { url: result.finalUrl });
      return await this.ingestor.ingestDocument({ ...page, url }, source, url);
    } catch (error) {
      return { status: 'failed', origin: url, title: article.title, error: `page not fetched: ${errorMessage(error)}` };
    }
  }
}
