import type { AsyncStore } from '../storage/asyncStore.ts';
import type { Store } from '../storage/repositories.ts';
import { openSqliteStore } from '../storage/sqlite/index.ts';
import { CommandHandler } from './commands/handle.ts';
import { loadConfig, type NewsbriefConfig } from './config/config.ts';
import { type CommandEvent, Engine, type EngineLog } from './engine/engine.ts';
import type { SourceControl } from './engine/sources.ts';
import { Ingestor } from './ingest/ingest.ts';
import { feedKey } from './ingest/remote.ts';
import { TOPIC_CATALOG_PATH } from './paths.ts';
import type { TopicLookup } from './search/search.ts';
import { createLlmSummarizer } from './summarize/abstractive.ts';
import { llmSettingsFrom } from './summarize/llmSettings.ts';
import { loadTopicServices } from './topics/services.ts';

export interface AppOptions {
  dbPath?: string | null;
  configPath?: string | null;
  /** The clock for searches and digests; the demo pins it to the sample's newest day. */
  now?: () => Date;
  /** Where secrets come from (the LLM key); process.env by default. */
  env?: Record<string, string | undefined>;
  log?: EngineLog | null;
  onCommand?: ((event: CommandEvent) => void) | null;
  /** Adding and removing feeds from chat (the service's ingest thread). */
  sources?: SourceControl | null;
}

/** newsbrief's parts wired together: storage, topics, ingestion and the command handler. */
export interface App {
  config: NewsbriefConfig;
  configPath: string | null;
  dbPath: string;
  /** The synchronous SQLite repositories, for what has not moved to `storage` yet and for tests. */
  store: Store;
  /** What the engine reads and writes through (the same database as `store`). */
  storage: AsyncStore;
  topics: TopicLookup;
  ingestor: Ingestor;
  commands: CommandHandler;
  /** The one API adapters call. */
  engine: Engine;
  now: () => Date;
  close(): void;
}

export function openApp(options: AppOptions = {}): App {
  const { config, path: configPath } = loadConfig(options.configPath ?? null);
  const dbPath = options.dbPath ?? config.database;
  const topicServices = loadTopicServices(TOPIC_CATALOG_PATH, config.topics);
  const pinned = options.now;
  // One clock for everything: a pinned clock (the demo's, a test's) also stamps what the store records.
  const store = openSqliteStore(dbPath, pinned ? { now: () => pinned().toISOString() } : {});
  try {
    store.topics.sync(topicServices.records);
  } catch (error) {
    store.close();
    throw error;
  }
  const now = pinned ?? (() => new Date());
  const llm = llmSettingsFrom(config.summaries?.llm, options.env ?? process.env);
  const commands = new CommandHandler({
    store: store.async,
    topics: topicServices.lookup,
    now,
    searchLimit: config.search.maxResults,
    digestLimit: config.digest.maxStories,
    digestWindowHours: config.digest.windowHours,
    configuredFeeds: new Set(config.feeds.map((feed) => feedKey(feed.url))),
    defaultDigestTime: config.digest.time,
    alertSettings: config.alerts,
    summarizer: llm ? createLlmSummarizer(llm) : null,
  });
  const engine = new Engine({
    store: store.async,
    commands,
    topics: topicServices.lookup,
    defaults: { lang: config.lang, timeZone: config.timeZone },
    log: options.log ?? null,
    onCommand: options.onCommand ?? null,
    sources: options.sources ?? null,
  });
  return {
    config,
    configPath,
    dbPath,
    store,
    storage: store.async,
    topics: topicServices.lookup,
    ingestor: new Ingestor(store.async, topicServices.tagger),
    commands,
    engine,
    now,
    close: () => store.close(),
  };
}
