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
  /**
   * A PostgreSQL database (`postgres://…`, from NEWSBRIEF_DATABASE_URL) instead of the SQLite file; only
   * `openAppOn` takes it, since connecting is asynchronous.
   */
  databaseUrl?: string | null;
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
  /** The SQLite file; on PostgreSQL, the config's (unused) one. */
  dbPath: string;
  /** The PostgreSQL database in use, null on SQLite. */
  databaseUrl: string | null;
  /** What the engine reads and writes through. */
  storage: AsyncStore;
  topics: TopicLookup;
  ingestor: Ingestor;
  commands: CommandHandler;
  /** The one API adapters call. */
  engine: Engine;
  now: () => Date;
  close(): void | Promise<void>;
}

/** The app over a SQLite file, whose synchronous repositories tests and single-process tools also use. */
export interface SqliteApp extends App {
  /** The synchronous repositories over the same connection as `storage`. */
  store: Store;
  close(): void;
}

/** The app over the SQLite file (synchronous: the tools and the tests that read the file directly). */
export function openApp(options: AppOptions = {}): SqliteApp {
  const { config, path: configPath } = loadConfig(options.configPath ?? null);
  const dbPath = options.dbPath ?? config.database;
  const topicServices = loadTopicServices(TOPIC_CATALOG_PATH, config.topics);
  // One clock for everything: a pinned clock (the demo's, a test's) also stamps what the store records.
  const store = openSqliteStore(dbPath, stampClock(options));
  try {
    store.topics.sync(topicServices.records);
  } catch (error) {
    store.close();
    throw error;
  }
  const app = assemble(options, config, configPath, topicServices, store.async);
  return { ...app, dbPath, store, close: () => store.close() };
}

/**
 * The app over PostgreSQL when `databaseUrl` names one (connected and migrated), else over the SQLite file.
 * The PostgreSQL driver is loaded only then: a SQLite instance never needs it.
 */
export async function openAppOn(options: AppOptions = {}): Promise<App> {
  const url = options.databaseUrl?.trim();
  if (!url) return openApp(options);
  const { config, path: configPath } = loadConfig(options.configPath ?? null);
  const topicServices = loadTopicServices(TOPIC_CATALOG_PATH, config.topics);
  const { openPostgresStore, DatabaseVersionError } = await import('../storage/postgres/index.ts');
  const { connectionFailure, parseTargetUrl } = await import('../storage/postgres/copyTarget.ts');
  const target = parseTargetUrl(url);
  let store: Awaited<ReturnType<typeof openPostgresStore>>;
  try {
    store = await openPostgresStore(url, stampClock(options));
  } catch (error) {
    if (error instanceof DatabaseVersionError) throw error;
    // one sentence naming the server, never the password (pg's own message may hold the URL)
    throw new Error(`NEWSBRIEF_DATABASE_URL: ${connectionFailure(error, target).message}`);
  }
  try {
    await store.topics.sync(topicServices.records);
  } catch (error) {
    await store.close();
    throw error;
  }
  const app = assemble(options, config, configPath, topicServices, store);
  return { ...app, databaseUrl: url, close: () => store.close() };
}

function stampClock(options: AppOptions): { now?: () => string } {
  const pinned = options.now;
  return pinned ? { now: () => pinned().toISOString() } : {};
}

type Assembled = Omit<App, 'close' | 'databaseUrl'> & { databaseUrl: null };

function assemble(
  options: AppOptions,
  config: NewsbriefConfig,
  configPath: string | null,
  topicServices: ReturnType<typeof loadTopicServices>,
  storage: AsyncStore,
): Assembled {
  const now = options.now ?? (() => new Date());
  const llm = llmSettingsFrom(config.summaries?.llm, options.env ?? process.env);
  const commands = new CommandHandler({
    store: storage,
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
    store: storage,
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
    dbPath: options.dbPath ?? config.database,
    databaseUrl: null,
    storage,
    topics: topicServices.lookup,
    ingestor: new Ingestor(storage, topicServices.tagger),
    commands,
    engine,
    now,
  };
}
