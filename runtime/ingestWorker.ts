/**
 * The ingest thread: fetching, parsing, tagging and story indexing run here, on a connection of their own, so
 * that the main thread's event loop stays free to answer commands and keep platform gateways alive.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openApp } from '../src/app.ts';
import type { SourceAddResult, SourceProblem } from '../src/engine/sources.ts';
import { HttpFetcher } from '../src/fetch/index.ts';
import { discoverFeedLinks } from '../src/ingest/feedDiscovery.ts';
import { SourcePoller } from '../src/ingest/poller.ts';
import { feedKey, RemoteIngestor, type SourceFetchOutcome } from '../src/ingest/remote.ts';
import type { FetchEvent, IngestMessage, IngestRequest, IngestWorkerData } from './ingestProtocol.ts';

const port = parentPort;
if (!port) throw new Error('runtime/ingestWorker.ts runs as a worker thread');
const data = workerData as IngestWorkerData;
const send = (message: IngestMessage) => port.postMessage(message);
const log = (level: 'info' | 'warn' | 'error', fields: Record<string, unknown>, message: string) =>
  send({ type: 'log', level, fields, message });

const app = openApp({ dbPath: data.dbPath, configPath: data.configPath });
const { config } = app;
const fetcher = new HttpFetcher({ allowAddresses: config.fetch.allowAddresses });
const remote = new RemoteIngestor(app.store, app.ingestor, {
  fetcher,
  feeds: config.feeds,
  minIntervalSeconds: config.fetch.minIntervalSeconds,
});
remote.syncConfiguredFeeds();

function placePendingStories(): void {
  const placed = app.ingestor.indexPendingStories();
  if (placed > 0) log('info', { articles: placed }, 'placed articles without a story');
}

/** Sources whose fetch under way is their first successful one: what it adds is a backlog, not news to alert. */
const firstFetches = new Set<string>();
const pollFetcher = {
  refreshFeed: async (feed: { url: string; name?: string | undefined; lang?: 'ko' | 'en' | undefined }, now?: Date) => {
    if (!app.store.sources.findByKey(feedKey(feed.url))?.lastSuccessAt) firstFetches.add(feed.url);
    else firstFetches.delete(feed.url);
    return remote.refreshFeed(feed, now);
  },
};

function fetchEvent(url: string, outcome: SourceFetchOutcome, ms: number): FetchEvent {
  const count = (status: string) => outcome.outcomes.filter((o) => o.status === status).length;
  return {
    url,
    name: config.feeds.find((f) => f.url === url)?.name ?? null,
    status: outcome.status,
    error: outcome.error,
    added: count('added'),
    updated: count('updated'),
    failedItems: count('failed'),
    nextFetchAt: outcome.nextFetchAt,
    ms: Math.round(ms),
    addedIds: firstFetches.has(url)
      ? []
      : outcome.outcomes
          .filter((o) => o.status === 'added' && o.articleId !== undefined)
          .map((o) => o.articleId as number),
  };
}

/** What is polled: the configured feeds, then those added in chat (and not removed). */
const configured = new Set(config.feeds.map((f) => feedKey(f.url)));
const chatFeeds = app.store.sources
  .addedInChat()
  .filter((s) => s.url !== null && !configured.has(s.key))
  .map((s) => ({ url: s.url as string, name: s.name }));

const poller = new SourcePoller({
  fetcher: pollFetcher,
  feeds: [...config.feeds, ...chatFeeds],
  dueAt: (feed) => app.store.sources.findByKey(feedKey(feed.url))?.nextFetchAt ?? null,
  onFetched: (feed, outcome, ms) => {
    send({ type: 'fetched', event: fetchEvent(feed.url, outcome, ms) });
    if (outcome.outcomes.some((o) => o.status === 'added' || o.status === 'updated')) placePendingStories();
  },
  onError: (feed, error) => log('error', { url: feed.url, err: String(error) }, 'source fetch threw'),
});

const PROBLEMS: Record<string, SourceProblem> = {
  refused: 'blocked',
  'bad-url': 'blocked',
  timeout: 'timeout',
  network: 'unreachable',
  'not-a-feed': 'not-a-feed',
};

function isFollowed(url: string): boolean {
  const key = feedKey(url);
  const known = app.store.sources.findByKey(key);
  return configured.has(key) || (known?.addedBy != null && known.removedAt === null);
}

/** A feed that could not be read is not kept as a source: the row the attempt stored is marked removed. */
function forgetAttempt(url: string): void {
  const key = feedKey(url);
  const tried = app.store.sources.findByKey(key);
  if (tried && !configured.has(key)) app.store.sources.setAddedBy(tried.id, null);
}

/** The feeds the HTML page at `url` links to (autodiscovery); empty when it is no page or names none. */
async function feedLinksOf(url: string): Promise<string[]> {
  try {
    const page = await fetcher.fetch({ url, accept: 'text/html, application/xhtml+xml;q=0.9' });
    if (page.kind !== 'document') return [];
    return discoverFeedLinks(new TextDecoder('utf-8').decode(page.bytes), page.finalUrl);
  } catch {
    return [];
  }
}

/**
 * Fetches a feed named in chat once (through the same SSRF guard as every fetch) and polls it from then on. A page
 * that is no feed is searched for the feed it links to. Of the items already in the feed, only the newest `backlog`
 * go into digests: the rest are stored for search but held back, so that adding a feed never floods a digest.
 */
async function addSource(url: string, addedBy: string, backlog: number): Promise<SourceAddResult> {
  if (isFollowed(url)) return { ok: false, problem: 'already' };
  let feedUrl = url;
  let foundOn: string | null = null;
  let outcome = await remote.refreshFeed({ url });
  if (outcome.status === 'failed' && outcome.errorCode === 'not-a-feed') {
    const link = (await feedLinksOf(url))[0];
    if (link) {
      forgetAttempt(url);
      if (isFollowed(link)) return { ok: false, problem: 'already' };
      feedUrl = link;
      foundOn = url;
      outcome = await remote.refreshFeed({ url: link });
    }
  }
  if (outcome.status === 'failed') {
    forgetAttempt(feedUrl);
    const notFound = outcome.errorCode === 'http-status' && /\b(404|410)\b/.test(outcome.error ?? '');
    return { ok: false, problem: notFound ? 'not-found' : (PROBLEMS[outcome.errorCode ?? ''] ?? 'failed') };
  }
  const source = app.store.sources.findByKey(feedKey(feedUrl));
  if (!source) return { ok: false, problem: 'failed' };
  app.store.sources.setAddedBy(source.id, addedBy);
  const added = outcome.outcomes
    .filter((o) => o.status === 'added' && o.articleId !== undefined)
    .map((o) => o.articleId as number);
  const released = app.store.transaction(() => {
    app.store.articles.holdFromDigests(added);
    return backlog > 0 ? app.store.articles.releaseHeld(source.id, backlog) : [];
  });
  poller.add({ url: feedUrl, name: source.name }, 60_000);
  placePendingStories();
  const stored = app.store.articles.getMany(
    outcome.outcomes.filter((o) => o.articleId !== undefined).map((o) => o.articleId as number),
  );
  const newest = [...stored].sort((a, b) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? ''))[0];
  return {
    ok: true,
    url: feedUrl,
    foundOn,
    sourceId: source.id,
    name: source.name,
    items: stored.length,
    added: added.length,
    held: added.filter((id) => !released.includes(id)).length,
    lang: mostCommon(stored.map((a) => a.lang)),
    newest: newest ? { title: newest.title, publishedAt: newest.publishedAt } : null,
  };
}

function mostCommon(values: readonly string[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

/** Only the destination that added a feed lets its backlog into digests. */
function releaseBacklog(sourceId: number, count: number, by: string): number | null {
  const source = app.store.sources.addedInChat().find((s) => s.id === sourceId);
  if (!source || source.addedBy !== by) return null;
  return app.store.articles.releaseHeld(source.id, count).length;
}

/** Only the destination that added a feed removes it: another workspace's feed is never its to stop. */
function removeSource(url: string, by: string): boolean {
  const source = app.store.sources.findByKey(feedKey(url));
  if (!source?.addedBy || source.removedAt !== null || source.addedBy !== by) return false;
  app.store.sources.setAddedBy(source.id, null);
  poller.remove(source.url ?? url);
  poller.remove(url);
  return true;
}

async function answer(request: IngestRequest): Promise<unknown> {
  switch (request.type) {
    case 'initialRound':
      return poller.initialRound();
    case 'refresh':
      return poller.refresh(request.url);
    case 'addSource':
      return addSource(request.url, request.addedBy, request.backlog);
    case 'releaseBacklog':
      return releaseBacklog(request.source, request.count, request.by);
    case 'removeSource':
      return removeSource(request.url, request.by);
    case 'ingestPaths': {
      const report = app.ingestor.ingestPaths(request.paths);
      placePendingStories();
      return report.counts;
    }
    case 'stop':
      await poller.stop();
      await fetcher.close();
      app.close();
      return null;
  }
}

port.on('message', (request: IngestRequest) => {
  answer(request).then(
    (result) => {
      send({ type: 'done', id: request.id, result });
      if (request.type === 'stop') port.close();
    },
    (error: unknown) =>
      send({ type: 'done', id: request.id, error: error instanceof Error ? error.message : String(error) }),
  );
});

placePendingStories();
if (data.poll) poller.start();
send({ type: 'ready', sources: config.feeds.length + chatFeeds.length });
