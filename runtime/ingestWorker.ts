/**
 * The ingest thread: fetching, parsing, tagging and story indexing run here, on a connection of their own, so
 * that the main thread's event loop stays free to answer commands and keep platform gateways alive. Everything
 * is read and written through the app's `AsyncStore` (`app.storage`), never fetching inside a transaction.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openAppOn } from '../src/app.ts';
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

const app = await openAppOn({
  dbPath: data.dbPath,
  databaseUrl: data.databaseUrl ?? null,
  configPath: data.configPath,
});
const { config, storage } = app;
const fetcher = new HttpFetcher({ allowAddresses: config.fetch.allowAddresses });
const remote = new RemoteIngestor(storage, app.ingestor, {
  fetcher,
  feeds: config.feeds,
  minIntervalSeconds: config.fetch.minIntervalSeconds,
});
await remote.syncConfiguredFeeds();

async function placePendingStories(): Promise<void> {
  const placed = await app.ingestor.indexPendingStories();
  if (placed > 0) log('info', { articles: placed }, 'placed articles without a story');
}

/** When each polled source is due (its stored `nextFetchAt`), as the poller asks for it: read at start and after each fetch. */
const dueTimes = new Map<string, string | null>();
async function readDueTime(url: string): Promise<void> {
  dueTimes.set(url, (await storage.sources.findByKey(feedKey(url)))?.nextFetchAt ?? null);
}

/** Sources whose fetch under way is their first successful one: what it adds is a backlog, not news to alert. */
const firstFetches = new Set<string>();
const pollFetcher = {
  refreshFeed: async (feed: { url: string; name?: string | undefined; lang?: 'ko' | 'en' | undefined }, now?: Date) => {
    if (!(await storage.sources.findByKey(feedKey(feed.url)))?.lastSuccessAt) firstFetches.add(feed.url);
    else firstFetches.delete(feed.url);
    const outcome = await remote.refreshFeed(feed, now);
    await readDueTime(feed.url);
    // Placed before the fetch is reported, as the sources' articles are.
    if (outcome.outcomes.some((o) => o.status === 'added' || o.status === 'updated')) await placePendingStories();
    return outcome;
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
const chatFeeds = (await storage.sources.addedInChat())
  .filter((s) => s.url !== null && !configured.has(s.key))
  .map((s) => ({ url: s.url as string, name: s.name }));

for (const feed of [...config.feeds, ...chatFeeds]) await readDueTime(feed.url);
const poller = new SourcePoller({
  fetcher: pollFetcher,
  feeds: [...config.feeds, ...chatFeeds],
  dueAt: (feed) => dueTimes.get(feed.url) ?? null,
  onFetched: (feed, outcome, ms) => send({ type: 'fetched', event: fetchEvent(feed.url, outcome, ms) }),
  onError: (feed, error) => log('error', { url: feed.url, err: String(error) }, 'source fetch threw'),
});

const PROBLEMS: Record<string, SourceProblem> = {
  refused: 'blocked',
  'bad-url': 'blocked',
  timeout: 'timeout',
  network: 'unreachable',
  'not-a-feed': 'not-a-feed',
};

async function isFollowed(url: string): Promise<boolean> {
  const key = feedKey(url);
  const known = await storage.sources.findByKey(key);
  return configured.has(key) || (known?.addedBy != null && known.removedAt === null);
}

/** A feed that could not be read is not kept as a source: the row the attempt stored is marked removed. */
async function forgetAttempt(url: string): Promise<void> {
  const key = feedKey(url);
  const tried = await storage.sources.findByKey(key);
  if (tried && !configured.has(key)) await storage.sources.setAddedBy(tried.id, null);
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
 *
 * Safe to run again after it was cut off (a worker killed mid-job, a retried job): the feed is fetched whole (no
 * 304), so the items an earlier try stored are held like new ones; and the feed is marked followed in the same
 * transaction that holds and releases its backlog, so a try that got that far makes a second one `already`.
 */
async function addSource(url: string, addedBy: string, backlog: number): Promise<SourceAddResult> {
  if (await isFollowed(url)) return { ok: false, problem: 'already' };
  let feedUrl = url;
  let foundOn: string | null = null;
  const whole = { unconditional: true };
  let outcome = await remote.refreshFeed({ url }, new Date(), whole);
  if (outcome.status === 'failed' && outcome.errorCode === 'not-a-feed') {
    const link = (await feedLinksOf(url))[0];
    if (link) {
      await forgetAttempt(url);
      if (await isFollowed(link)) return { ok: false, problem: 'already' };
      feedUrl = link;
      foundOn = url;
      outcome = await remote.refreshFeed({ url: link }, new Date(), whole);
    }
  }
  if (outcome.status === 'failed') {
    await forgetAttempt(feedUrl);
    const notFound = outcome.errorCode === 'http-status' && /\b(404|410)\b/.test(outcome.error ?? '');
    return { ok: false, problem: notFound ? 'not-found' : (PROBLEMS[outcome.errorCode ?? ''] ?? 'failed') };
  }
  const source = await storage.sources.findByKey(feedKey(feedUrl));
  if (!source) return { ok: false, problem: 'failed' };
  const stored = await storage.articles.getMany([
    ...new Set(outcome.outcomes.filter((o) => o.articleId !== undefined).map((o) => o.articleId as number)),
  ]);
  // the feed's own items, new or stored by an earlier try (an item stored under another source is not its to hold)
  const added = stored
    .filter((a) => a.sourceId === source.id)
    .map((a) => a.id)
    .filter((id) => outcome.outcomes.some((o) => o.articleId === id && TAKEN.has(o.status)));
  const released = await storage.transaction(async (tx) => {
    await tx.articles.holdFromDigests(added);
    const letIn = backlog > 0 ? await tx.articles.releaseHeld(source.id, backlog) : [];
    await tx.sources.setAddedBy(source.id, addedBy);
    return letIn;
  });
  await readDueTime(feedUrl);
  poller.add({ url: feedUrl, name: source.name }, 60_000);
  await placePendingStories();
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

/** The outcomes of the feed's items that adding it takes in (a duplicate is another article's). */
const TAKEN: ReadonlySet<string> = new Set(['added', 'updated', 'unchanged']);

function mostCommon(values: readonly string[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

/** Only the destination that added a feed lets its backlog into digests. */
async function releaseBacklog(sourceId: number, count: number, by: string): Promise<number | null> {
  const source = (await storage.sources.addedInChat()).find((s) => s.id === sourceId);
  if (!source || source.addedBy !== by) return null;
  return (await storage.articles.releaseHeld(source.id, count)).length;
}

/** Only the destination that added a feed removes it: another workspace's feed is never its to stop. */
async function removeSource(url: string, by: string): Promise<boolean> {
  const source = await storage.sources.findByKey(feedKey(url));
  if (!source?.addedBy || source.removedAt !== null || source.addedBy !== by) return false;
  await storage.sources.setAddedBy(source.id, null);
  poller.remove(source.url ?? url);
  poller.remove(url);
  return true;
}

/**
 * A worker's fetch job: the source by id, fetched now if it is still polled (configured, or added in chat and not
 * removed), reported like a poll; the poller of this thread is not running then (the scheduler decides when).
 */
async function fetchSource(sourceId: number): Promise<FetchEvent['status'] | null> {
  const source = await storage.sources.get(sourceId);
  if (!source?.url || source.kind !== 'feed' || !(await isFollowed(source.url))) return null;
  const configuredFeed = config.feeds.find((f) => feedKey(f.url) === source.key);
  const feed = configuredFeed ?? { url: source.url, name: source.name };
  const started = performance.now();
  const outcome = await pollFetcher.refreshFeed(feed);
  send({ type: 'fetched', event: fetchEvent(feed.url, outcome, performance.now() - started) });
  return outcome.status;
}

async function answer(request: IngestRequest): Promise<unknown> {
  switch (request.type) {
    case 'initialRound':
      return poller.initialRound();
    case 'refresh':
      return poller.refresh(request.url);
    case 'fetchSource':
      return fetchSource(request.sourceId);
    case 'addSource':
      return addSource(request.url, request.addedBy, request.backlog);
    case 'releaseBacklog':
      return releaseBacklog(request.source, request.count, request.by);
    case 'removeSource':
      return removeSource(request.url, request.by);
    case 'ingestPaths': {
      const report = await app.ingestor.ingestPaths(request.paths);
      await placePendingStories();
      return report.counts;
    }
    case 'stop':
      await poller.stop();
      await fetcher.close();
      await app.close();
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

await placePendingStories();
if (data.poll) poller.start();
send({ type: 'ready', sources: config.feeds.length + chatFeeds.length });
