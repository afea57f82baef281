/**
 * newsbrief as a service: the store and the engine on the main thread, the ingest thread polling the configured
 * sources, the adapters the environment asks for, and the optional health endpoint. Runs until `stop()`. With
 * roles (runtime/roles.ts), only those, the rest of the work shared with other processes through the job queue.
 */

import type { Readable, Writable } from 'node:stream';
import { CONSOLE_TARGET, terminalLocale } from '../adapters/console/consoleBot.ts';
import { type App, openAppOn } from '../src/app.ts';
import { DigestScheduler, type PostEvent } from '../src/delivery/digestScheduler.ts';
import { applyConfiguredChannels } from '../src/engine/configuredChannels.ts';
import { newDestination } from '../src/engine/destinations.ts';
import type { CommandEvent } from '../src/engine/engine.ts';
import type { PlatformAdapter } from '../src/engine/port.ts';
import { sharedDeliveriesOver } from '../src/engine/sharedDeliveries.ts';
import type { SourceControl } from '../src/engine/sources.ts';
import { feedKey } from '../src/ingest/remote.ts';
import { catalogLang, messages } from '../src/messages/catalog.ts';
import { type HealthReport, type HealthServer, startHealthServer } from '../src/ops/healthServer.ts';
import { createLogger, type Logger, secretsFromEnv } from '../src/ops/logger.ts';
import { createMetrics, type Metrics } from '../src/ops/metrics.ts';
import { chooseAdapters } from './adapters.ts';
import type { FetchEvent } from './ingestProtocol.ts';
import { IngestThread } from './ingestThread.ts';
import { holderStoppedOnThisHost, leaseHolder } from './leaseHolder.ts';
import { RoleHealth } from './roleHealth.ts';
import { openRoleQueue, queueDueFetches, queuedDelivery, type Role, workOnJobs } from './roles.ts';
import { SchedulerTicks } from './schedulerTicks.ts';
import { slackInstallations } from './slackInstallations.ts';
import { queuedSourceAdd } from './sourceAddJob.ts';

export interface ServiceOptions {
  dbPath: string | null;
  configPath: string | null;
  env: Record<string, string | undefined>;
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  /** Where logs go (stderr: stdout is the console's). */
  logTo: Writable & { isTTY?: boolean };
  /** Read console commands even when the input is not a terminal. */
  readCommands: boolean;
  /** `/healthz` and `/metrics` on 127.0.0.1 at this port; null: none. */
  healthPort: number | null;
  /** Post scheduled digests (off for `--once`). */
  schedule: boolean;
  /**
   * The roles this process runs apart from the others, sharing their work through PostgreSQL's job queue
   * (`--role`); null: one process doing everything itself, on either backend.
   */
  roles?: readonly Role[] | null;
}

export interface Service {
  app: App;
  log: Logger;
  /** Resolves when the console's input ends on a terminal (`exit`, Ctrl-D): the user asked to stop. */
  consoleClosed: Promise<void> | null;
  /** Resolves once every source due at start was fetched. */
  initialRound(): Promise<void>;
  /** Prints the console's digest (for `--once`). */
  printDigest(): Promise<void>;
  /** Stops taking work, lets what is under way finish (at most `timeoutMs`), closes the database. */
  stop(timeoutMs?: number): Promise<void>;
}

const STOP_TIMEOUT_MS = 8_000;

export async function startService(options: ServiceOptions): Promise<Service> {
  const interactive = options.stdin.isTTY === true && options.stdout.isTTY === true;
  const log = createLogger({
    destination: options.logTo,
    secrets: secretsFromEnv(options.env),
    // At a terminal prompt every command's log line would bury the answers: only problems, unless asked.
    level: options.env.LOG_LEVEL || (interactive ? 'warn' : 'info'),
    name: 'newsbrief',
  });
  const roles = options.roles ?? null;
  const runs = (role: Role) => roles === null || roles.includes(role);
  const databaseUrl = options.env.NEWSBRIEF_DATABASE_URL?.trim() || null;
  if (roles !== null && databaseUrl === null) {
    throw new Error(
      'the roles run apart only on PostgreSQL, through its job queue: set NEWSBRIEF_DATABASE_URL, or start one process without --role (it runs every role)',
    );
  }
  if (roles !== null && runs('web') && options.env.DISCORD_TOKEN?.trim() && !options.env.DISCORD_PUBLIC_KEY?.trim()) {
    // every web process on the gateway would get every command, and all of them would answer it
    throw new Error(
      'a web process takes Discord commands as HTTP interactions: set DISCORD_PUBLIC_KEY (the application’s public key) and point the Interactions Endpoint URL at the web processes',
    );
  }
  const metrics = createMetrics();
  const roleHealth = new RoleHealth(metrics.registry);
  let ingest: IngestThread | null = null;
  let scheduler: DigestScheduler | null = null;
  /** Apart, a worker adds the feed (a job): the web process answering chat never fetches an outside URL. */
  let addQueued: SourceControl['add'] | null = null;
  const sources: SourceControl = {
    add: async (url, by, options) => {
      if (roles !== null) return addQueued ? addQueued(url, by, options) : { ok: false, problem: 'failed' };
      return ingest ? ingest.addSource(url, by, options.backlog) : { ok: false, problem: 'failed' };
    },
    releaseBacklog: async (source, count, by) => (ingest ? ingest.releaseBacklog(source, count, by) : null),
    remove: async (url, by) => (ingest ? ingest.removeSource(url, by) : false),
  };
  const app = await openAppOn({
    sources,
    dbPath: options.dbPath,
    databaseUrl,
    configPath: options.configPath,
    env: options.env,
    log,
    onCommand: (event) => observeCommand(log, metrics, event),
  });
  const closers: (() => Promise<void> | void)[] = [() => app.close()];
  const stopAll = async () => {
    for (const close of closers.splice(0).reverse()) {
      try {
        await close();
      } catch (error) {
        log.error({ err: error }, 'error while stopping');
      }
    }
  };
  try {
    await applyConfiguredChannels(app.storage, app.config, app.topics);
    const lang = catalogLang(terminalLocale(options.env)) ?? app.config.lang;
    const choice = chooseAdapters({
      env: options.env,
      io: options,
      log,
      readCommands: options.readCommands,
      lang,
      receive: runs('web'),
      slack: {
        installations: slackInstallations(app.storage, options.env, log),
        // several receivers on one database: a retry may land on another one (one process remembers in memory)
        ...(app.storage.backend === 'postgres' ? { deliveries: sharedDeliveriesOver(app.storage) } : {}),
      },
    });
    if (choice.console) await app.storage.destinations.ensure(newDestination(CONSOLE_TARGET));
    for (const platform of choice.unavailable) {
      log.warn({ platform }, `${platform} tokens are set, but this version has no ${platform} adapter yet`);
    }
    let lastSuccessfulPoll = await latestSuccess(app);
    let ingestAlive = true;
    const thread = await IngestThread.start(
      // apart, the scheduler decides when a source is fetched and a worker fetches it
      { dbPath: app.dbPath, databaseUrl: app.databaseUrl, configPath: app.configPath, poll: roles === null },
      {
        onFetched: (event) => {
          if (event.status !== 'failed') lastSuccessfulPoll = new Date().toISOString();
          scheduler?.noteNewArticles(event.addedIds);
          observeFetch(log, metrics, event);
        },
        onLog: (level, fields, message) => log[level]({ ...fields, thread: 'ingest' }, message),
        onExit: (error) => {
          ingestAlive = false;
          log.error({ err: error }, 'the ingest thread stopped; feeds are no longer polled');
        },
      },
    );
    ingest = thread;
    let stopTimeout = STOP_TIMEOUT_MS;
    closers.push(() => thread.stop(stopTimeout));

    const queue = roles !== null && app.databaseUrl !== null ? openRoleQueue(app.databaseUrl, app.config, log) : null;
    if (queue) {
      await queue.start();
      closers.push(() => queue.stop({ graceful: true, timeoutMs: Math.max(1_000, stopTimeout - 2_000) }));
      if (runs('worker') || runs('scheduler')) roleHealth.watchQueue(queue);
      if (runs('web')) addQueued = queuedSourceAdd(queue, app.config.jobs.addSourceWaitSeconds * 1000, log);
    }

    const started: PlatformAdapter[] = [];
    closers.push(async () => {
      await Promise.all(started.map((a) => a.stop()));
    });
    for (const adapter of choice.adapters) {
      await adapter.start(app.engine);
      started.push(adapter);
      log.info({ adapter: adapter.name }, 'adapter started');
    }

    let health: HealthServer | null = null;
    if (options.healthPort !== null) {
      health = await startHealthServer({
        port: options.healthPort,
        logger: log,
        health: async () => roleHealth.extend(await healthReport(app, started, lastSuccessfulPoll, ingestAlive)),
        metrics: {
          render: () => {
            if (lastSuccessfulPoll) metrics.ingestLagSeconds.set((Date.now() - Date.parse(lastSuccessfulPoll)) / 1000);
            return metrics.render();
          },
        },
      });
      const server = health;
      closers.push(() => server.close());
      log.info({ port: health.port }, 'health endpoint listening on 127.0.0.1');
    }

    const configuredFeeds = new Set(app.config.feeds.map((feed) => feedKey(feed.url)));
    scheduler = new DigestScheduler({
      store: app.storage,
      engine: app.engine,
      post: (target, reply, options) =>
        started.find((a) => a.name === target.platform)?.post(target, reply, options) ?? null,
      openThread: (target, parent, name) =>
        started.find((a) => a.name === target.platform)?.openThread(target, parent, name) ?? null,
      idempotentPostsMs: (platform) => started.find((a) => a.name === platform)?.idempotentPostsMs ?? 0,
      defaultTimeZone: app.config.timeZone,
      graceMs: app.config.digest.graceMinutes * 60_000,
      holder: leaseHolder(),
      holderStopped: (holder) => holderStoppedOnThisHost(holder),
      log,
      onPost: (event) => observePost(log, metrics, event),
      alerts: app.config.alerts,
      sourceNoticeAfterMs: app.config.fetch.noticeAfterHours * 3_600_000,
      configuredFeeds,
      ...(queue ? queuedDelivery(queue, app.config) : {}),
    });
    if (queue && runs('worker')) await workOnJobs(queue, thread, scheduler, log);
    if (options.schedule && runs('scheduler')) {
      // posts a stopped process left half-done are reconciled at this process's first tick as leader
      const ticks = new SchedulerTicks(
        scheduler,
        log,
        queue ? queueDueFetches(app.storage, queue, configuredFeeds, log) : null,
      );
      closers.push(() => ticks.stop());
      roleHealth.watchScheduler(ticks);
      ticks.start();
    }

    const m = messages(lang);
    const adapterNames = started.map((a) => a.name).join(', ') || '-';
    const articles = await app.storage.articles.count();
    log.info(
      {
        sources: thread.sources,
        articles,
        adapters: adapterNames,
        database: app.storage.backend,
        roles: roles?.join(',') ?? 'all',
      },
      'running',
    );
    if (choice.console && (interactive || options.readCommands)) {
      options.stdout.write(`${m.console.running(thread.sources, articles, adapterNames)}\n`);
    }

    return {
      app,
      log,
      consoleClosed: choice.console && interactive ? choice.console.inputClosed : null,
      initialRound: () => thread.initialRound(),
      printDigest: async () => {
        const reply = await app.engine.digestFor('console:local', { locale: terminalLocale(options.env) });
        if (reply && choice.console) await choice.console.post(CONSOLE_TARGET, reply);
      },
      stop: async (timeoutMs = STOP_TIMEOUT_MS) => {
        stopTimeout = timeoutMs;
        log.info({}, 'stopping');
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The newest successful fetch of any source, so `/healthz` knows it after a restart too. */
async function latestSuccess(app: App): Promise<string | null> {
  let latest: string | null = null;
  for (const source of await app.storage.sources.list()) {
    if (source.lastSuccessAt && (!latest || source.lastSuccessAt > latest)) latest = source.lastSuccessAt;
  }
  return latest;
}

async function healthReport(
  app: App,
  adapters: readonly PlatformAdapter[],
  lastSuccessfulPoll: string | null,
  ingestAlive: boolean,
): Promise<HealthReport> {
  let database: HealthReport['database'];
  try {
    // an index lookup, not a count: load balancers probe often, and a count reads the whole table on PostgreSQL
    await app.storage.articles.newestId();
    database = { ok: true };
  } catch (error) {
    database = { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  const connected = adapters.map((a) => ({ name: a.name, connected: a.isConnected() }));
  const status = !database.ok || !ingestAlive ? 'down' : connected.some((a) => !a.connected) ? 'degraded' : 'ok';
  return { status, database, adapters: connected, lastSuccessfulPoll, ingest: { running: ingestAlive } };
}

function observeCommand(log: Logger, metrics: Metrics, event: CommandEvent): void {
  metrics.commands.inc({ platform: event.platform, command: event.command, outcome: event.outcome });
  metrics.commandSeconds.observe({ platform: event.platform, command: event.command }, event.ms / 1000);
  log.info(
    {
      platform: event.platform,
      destination: event.destination,
      command: event.command,
      outcome: event.outcome,
      ms: Math.round(event.ms),
    },
    'command',
  );
}

function observePost(log: Logger, metrics: Metrics, event: PostEvent): void {
  if (event.outcome !== 'skipped' && event.outcome !== 'no-adapter') {
    metrics.posts.inc({ platform: event.platform, outcome: event.outcome });
  }
  const fields = {
    destination: event.destination,
    slot: event.slot,
    outcome: event.outcome,
    ms: Math.round(event.ms),
    detail: event.detail,
  };
  if (event.outcome === 'ok' || event.outcome === 'skipped') log.info(fields, 'post');
  else log.warn(fields, 'post failed');
}

function observeFetch(log: Logger, metrics: Metrics, event: FetchEvent): void {
  metrics.fetches.inc({ outcome: event.status });
  if (event.added + event.updated > 0) metrics.articlesIngested.inc(event.added + event.updated);
  if (event.status !== 'failed') metrics.lastPollTimestamp.setToCurrentTime();
  const fields = {
    source: event.url,
    name: event.name,
    status: event.status,
    added: event.added,
    updated: event.updated,
    ms: event.ms,
    next: event.nextFetchAt,
  };
  if (event.status === 'failed') log.warn({ ...fields, error: event.error }, 'fetch failed');
  else log.info(fields, 'fetched');
}
