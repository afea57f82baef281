import { existsSync } from 'node:fs';
import { CONSOLE_TARGET, ConsoleAdapter, terminalLocale } from '../adapters/console/consoleBot.ts';
import { platformsInEnv } from '../runtime/adapters.ts';
import { ROLES, type Role } from '../runtime/roles.ts';
import { startService } from '../runtime/service.ts';
import { openApp, type SqliteApp } from '../src/app.ts';
import { newDestination } from '../src/engine/destinations.ts';
import { catalogLang, messages } from '../src/messages/catalog.ts';
import { SAMPLE_NEWS_PATH } from '../src/paths.ts';
import { dayBounds, localDay } from '../src/text/formatTime.ts';
import { printIngestReport } from './archiveCommands.ts';
import { type CliIo, UsageError, writeLine } from './io.ts';

export interface StartOptions {
  dbPath: string | null;
  configPath: string | null;
  /** Fetch what is due, print the digest and exit. */
  once: boolean;
  /** Read commands from stdin even when it is not a terminal (scripts, tests). */
  readCommands: boolean;
  /** `--health-port` (else `HEALTH_PORT`): `/healthz` and `/metrics` on 127.0.0.1. */
  healthPort: string | null;
  /** `--role` (each may list several, comma-separated); empty: every role in this one process. */
  roles: readonly string[];
}

const DEMO_DB = 'data/demo.db';
/** After a stop signal, the process exits by this time whatever is still under way. */
const EXIT_DEADLINE_MS = 9_500;
const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * `newsbrief start`. With no config file, no NEWSBRIEF_DATABASE_URL and no platform tokens: the demo on the bundled sample news. Otherwise
 * the service, which runs until SIGTERM or SIGINT (or `exit` at its terminal prompt).
 */
export async function runStart(io: CliIo, options: StartOptions): Promise<number> {
  const healthPort = parsePort(options.healthPort ?? io.env.HEALTH_PORT ?? null);
  const noConfig = options.configPath === null || !existsSync(options.configPath);
  const noDatabase = !io.env.NEWSBRIEF_DATABASE_URL?.trim();
  const roles = parseRoles(options.roles);
  if (roles !== null && options.once) throw new UsageError('--once runs every role in one process: leave out --role');
  if (noConfig && noDatabase && roles === null && platformsInEnv(io.env).length === 0 && healthPort === null) {
    return runDemo(io, options);
  }
  return runService(io, options, healthPort, roles);
}

function parseRoles(values: readonly string[]): Role[] | null {
  const names = values.flatMap((value) => value.split(',')).map((name) => name.trim());
  if (names.length === 0) return null;
  const unknown = names.find((name) => !(ROLES as readonly string[]).includes(name));
  if (unknown !== undefined) {
    throw new UsageError(`--role takes ${ROLES.join(', ')} (or several, comma-separated), not "${unknown}"`);
  }
  return [...new Set(names as Role[])];
}

function parsePort(text: string | null): number | null {
  if (text === null || text === '') return null;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UsageError(`--health-port (or HEALTH_PORT) takes a port number from 0 to 65535, not "${text}"`);
  }
  return port;
}

async function runService(
  io: CliIo,
  options: StartOptions,
  healthPort: number | null,
  roles: Role[] | null,
): Promise<number> {
  const service = await startService({
    dbPath: options.dbPath,
    configPath: options.configPath,
    env: io.env,
    stdin: io.stdin,
    stdout: io.stdout,
    logTo: io.stderr,
    readCommands: options.readCommands,
    healthPort,
    schedule: !options.once,
    roles,
  });
  if (options.once) {
    try {
      await service.initialRound();
      writeLine(io.stdout);
      await service.printDigest();
    } finally {
      await service.stop();
    }
    return 0;
  }
  const signal = await new Promise<string>((resolve) => {
    const onSignal = (name: string) => resolve(name);
    for (const name of SIGNALS) process.once(name, onSignal);
    void service.consoleClosed?.then(() => resolve('console'));
  });
  service.log.info({ signal }, 'stop requested');
  // A second signal, or a stop that overruns the deadline, ends the process at once.
  const force = () => process.exit(0);
  for (const name of SIGNALS) process.once(name, force);
  setTimeout(force, EXIT_DEADLINE_MS).unref();
  await service.stop();
  return 0;
}

/**
 * The demo: the bundled sample news is ingested (offline, into its own database file), today's digest (the
 * sample's newest day) is printed, and the console adapter answers `/news …` commands until end of input.
 */
async function runDemo(io: CliIo, options: StartOptions): Promise<number> {
  // The demo's clock stands at the end of the sample's newest day (once ingested), so `24h` and `7d` mean what
  // they say there.
  let demoNow: Date | null = null;
  const app: SqliteApp = openApp({
    dbPath: options.dbPath ?? DEMO_DB,
    configPath: null,
    env: io.env,
    now: () => demoNow ?? new Date(),
  });
  try {
    const locale = terminalLocale(io.env);
    const m = messages(catalogLang(locale) ?? app.config.lang);
    writeLine(io.stdout, m.console.demoIngest(app.dbPath));
    printIngestReport(io, await app.ingestor.ingestPaths([SAMPLE_NEWS_PATH]), 'summary');
    const newest = app.store.articles.latestPublishedAt();
    const window = newest ? dayBounds(localDay(newest, app.config.timeZone), app.config.timeZone) : undefined;
    if (window) demoNow = window.to;
    app.store.destinations.ensure(newDestination(CONSOLE_TARGET));
    const interactive = io.stdin.isTTY === true && io.stdout.isTTY === true;
    const console = new ConsoleAdapter({
      input: io.stdin,
      output: io.stdout,
      interactive,
      readCommands: !options.once && (interactive || options.readCommands),
      locale,
      greeting: m.console.greeting,
    });
    const reply = await app.engine.digestFor(CONSOLE_TARGET.key, { window, locale });
    writeLine(io.stdout);
    if (reply) await console.post(CONSOLE_TARGET, reply);
    await console.start(app.engine);
    await console.inputClosed;
    return 0;
  } finally {
    app.close();
  }
}
