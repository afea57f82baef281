/**
 * The ingest thread: fetching, parsing, tagging and story indexing run here, on a connection of their own, so
 * that the main thread's event loop stays free to answer commands and keep platform gateways alive.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openApp } from '../src/app.ts';
import { HttpFetcher } from '../src/fetch/index.ts';
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
  };
}

const poller = new SourcePoller({
  fetcher: remote,
  feeds: config.feeds,
  dueAt: (feed) => app.store.sources.findByKey(feedKey(feed.url))?.nextFetchAt ?? null,
  onFetched: (feed, outcome, ms) => {
    send({ type: 'fetched', event: fetchEvent(feed.url, outcome, ms) });
    if (outcome.outcomes.some((o) => o.status === 'added' || o.status === 'updated')) placePendingStories();
  },
  onError: (feed, error) => log('error', { url: feed.url, err: String(error) }, 'source fetch threw'),
});

async function answer(request: IngestRequest): Promise<unknown> {
  switch (request.type) {
    case 'initialRound':
      return poller.initialRound();
    case 'refresh':
      return poller.refresh(request.url);
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
send({ type: 'ready', sources: config.feeds.length });
