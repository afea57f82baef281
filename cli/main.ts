import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type App, openAppOn } from '../src/app.ts';
import { ConfigError } from '../src/config/config.ts';
import { PACKAGE_ROOT } from '../src/paths.ts';
import { runDigest, runIngest, runSearch } from './archiveCommands.ts';
import { runBackup } from './backupCommand.ts';
import { runDiscord } from './discordCommands.ts';
import { runExtract, runParseFeed, runSummarize } from './documentCommands.ts';
import { type CliIo, processIo, UsageError, writeLine } from './io.ts';
import { runStart } from './start.ts';

const USAGE = `usage: newsbrief <command> [options]

commands:
  start [--once] [--commands] [--health-port N] [--role web,worker,scheduler]
                                            run the bot: a service until SIGTERM/SIGINT (no tokens and no
                                            config: the offline demo); --once fetches what is due, prints the
                                            digest and exits; --commands reads console commands from a pipe;
                                            --role runs only those roles, the others in other processes on
                                            the same PostgreSQL (NEWSBRIEF_DATABASE_URL)
  ingest [-v] [--allow-address CIDR]... SOURCE...
                                            store feeds, pages (.html, .html.gz) and text articles, folders of them,
                                            or http(s) URLs of feeds and pages (fetched; private addresses refused
                                            unless allowed with --allow-address, e.g. 127.0.0.1 or 10.0.0.0/8)
  search [--since 7d] [--limit N] [--json] QUERY...
                                            search the archive (Korean and English, topic aliases)
  digest [--since 24h] [--json]             print the digest of a window
  backup [--force] FILE                     a consistent copy of the database, also while the bot runs and
                                            writes (SQLite online backup); an existing FILE only with --force
  migrate [--from FILE] [--to URL] [--batch N]
                                            copy the SQLite instance (default: --db) into PostgreSQL (--to
                                            postgres://…, default NEWSBRIEF_DATABASE_URL); run it again to go on
                                            after a stop; checks that both sides hold the same rows
  extract [--url URL] FILE...               parse saved pages or text articles, one JSON line per file
  parse-feed FILE...                        parse RSS/Atom/RDF/JSON Feed files, one JSON line per file
  summarize [--sentences N] FILE...         summarize articles, one JSON line per file
  discord register [--guild ID]             register the slash commands (DISCORD_TOKEN): on one server at
                                            once, or globally for every server
  discord invite                            print the link that adds the bot to a server
  discord-proxy [--port N] [--host ADDR] [--allow-public-host]
                                            the one REST proxy that keeps Discord's rate limits for every process
                                            posting with one bot token (they set DISCORD_API_BASE to it); port
                                            DISCORD_PROXY_PORT or 8080, host 127.0.0.1 (private addresses only)

options for every command:
  --db PATH          SQLite file (default: NEWSBRIEF_DB, the config's "database", or data/newsbrief.db)
  --config PATH      config file (default: NEWSBRIEF_CONFIG or ./newsbrief.yaml when it exists)
  -h, --help         this text`;

const COMMON = {
  db: { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

function parse<T extends OptionSpec>(args: string[], options: T) {
  try {
    return parseArgs({ args, options: { ...COMMON, ...options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * The arguments with every query word after `--`: a query word starting with `-` (`삼성 -특허`, `samsung -xr`)
 * leaves something out of the query and is no option. The command's options (and their values) stay in front,
 * so they still work anywhere on the line; an unknown `--option` is still an error.
 */
function queryWordsLast(args: readonly string[], options: OptionSpec): string[] {
  const spec: OptionSpec = { ...COMMON, ...options };
  const kind = new Map<string, 'string' | 'boolean'>();
  for (const [name, option] of Object.entries(spec)) {
    kind.set(`--${name}`, option.type);
    if (option.short) kind.set(`-${option.short}`, option.type);
  }
  const front: string[] = [];
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      words.push(...args.slice(i + 1));
      break;
    }
    const type = kind.get(arg.split('=', 1)[0] as string);
    if (type !== undefined) {
      front.push(arg);
      if (type === 'string' && !arg.includes('=') && i + 1 < args.length) front.push(args[++i] as string);
    } else if (arg.startsWith('--')) front.push(arg);
    else words.push(arg);
  }
  return [...front, '--', ...words];
}

function positiveInt(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${name} takes a whole number from 1 to ${max}`);
  return n;
}

function requireFiles(files: string[], command: string): string[] {
  if (files.length === 0) throw new UsageError(`${command} needs at least one FILE`);
  return files;
}

function configPath(io: CliIo, value: string | undefined): string | null {
  return value ?? io.env.NEWSBRIEF_CONFIG ?? 'newsbrief.yaml';
}

function dbPath(io: CliIo, value: string | undefined): string | null {
  // An empty NEWSBRIEF_DB (`NEWSBRIEF_DB=` in a unit file) is unset: as a path, SQLite would open a temporary
  // database and everything stored would be gone at exit.
  return value ?? (io.env.NEWSBRIEF_DB || null);
}

function version(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

async function dispatch(io: CliIo, argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    writeLine(command === undefined ? io.stderr : io.stdout, USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-V') {
    writeLine(io.stdout, version());
    return 0;
  }
  const withApp = async (values: { db?: string; config?: string }, work: (app: App) => number | Promise<number>) => {
    const app = await openAppOn({
      dbPath: dbPath(io, values.db),
      databaseUrl: io.env.NEWSBRIEF_DATABASE_URL ?? null,
      configPath: configPath(io, values.config),
      env: io.env,
    });
    try {
      return await work(app);
    } finally {
      await app.close();
    }
  };
  switch (command) {
    case 'extract': {
      const { values, positionals } = parse(rest, { url: { type: 'string' } });
      if (values.help) return usage(io);
      return runExtract(io, requireFiles(positionals, 'extract'), values.url ?? null);
    }
    case 'parse-feed': {
      const { values, positionals } = parse(rest, {});
      if (values.help) return usage(io);
      return runParseFeed(io, requireFiles(positionals, 'parse-feed'));
    }
    case 'summarize': {
      const { values, positionals } = parse(rest, { sentences: { type: 'string' } });
      if (values.help) return usage(io);
      const sentences = positiveInt(values.sentences, '--sentences', 3, 20);
      return runSummarize(io, requireFiles(positionals, 'summarize'), sentences);
    }
    case 'ingest': {
      const { values, positionals } = parse(rest, {
        verbose: { type: 'boolean', short: 'v' },
        'allow-address': { type: 'string', multiple: true },
      });
      if (values.help) return usage(io);
      const sources = requireFiles(positionals, 'ingest');
      const allowAddresses = values['allow-address'] ?? [];
      return withApp(values, (app) =>
        runIngest(io, app, { sources, verbose: values.verbose === true, allowAddresses }),
      );
    }
    case 'search': {
      const options = {
        since: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean' },
      } as const;
      const { values, positionals } = parse(queryWordsLast(rest, options), options);
      if (values.help) return usage(io);
      if (positionals.length === 0) throw new UsageError('search needs a QUERY');
      const limit = positiveInt(values.limit, '--limit', 20, 100);
      return withApp(values, (app) =>
        runSearch(io, app, {
          query: positionals.join(' '),
          since: values.since ?? null,
          limit,
          json: values.json === true,
        }),
      );
    }
    case 'digest': {
      const { values, positionals } = parse(rest, { since: { type: 'string' }, json: { type: 'boolean' } });
      if (values.help) return usage(io);
      if (positionals.length > 0) throw new UsageError(`digest takes no arguments (got "${positionals[0]}")`);
      return withApp(values, (app) => runDigest(io, app, values.since ?? '24h', values.json === true));
    }
    case 'start': {
      const { values, positionals } = parse(rest, {
        once: { type: 'boolean' },
        commands: { type: 'boolean' },
        'health-port': { type: 'string' },
        role: { type: 'string', multiple: true },
      });
      if (values.help) return usage(io);
      if (positionals.length > 0) throw new UsageError(`start takes no arguments (got "${positionals[0]}")`);
      return runStart(io, {
        dbPath: dbPath(io, values.db),
        configPath: configPath(io, values.config),
        once: values.once === true,
        readCommands: values.commands === true,
        healthPort: values['health-port'] ?? null,
        roles: values.role ?? [],
      });
    }
    case 'backup': {
      const { values, positionals } = parse(rest, { force: { type: 'boolean' } });
      if (values.help) return usage(io);
      if (positionals.length !== 1) throw new UsageError('backup takes one FILE: where the copy goes');
      return runBackup(io, {
        dbPath: dbPath(io, values.db),
        configPath: configPath(io, values.config),
        file: positionals[0] as string,
        force: values.force === true,
      });
    }
    case 'migrate': {
      const { values, positionals } = parse(rest, {
        from: { type: 'string' },
        to: { type: 'string' },
        batch: { type: 'string' },
      });
      if (values.help) return usage(io);
      if (positionals.length > 0) throw new UsageError(`migrate takes no arguments (got "${positionals[0]}")`);
      if (values.from !== undefined && values.db !== undefined && values.from !== values.db) {
        throw new UsageError('migrate takes the SQLite file once: --from FILE (or --db FILE)');
      }
      // loaded only for this command: the service itself never needs the PostgreSQL driver
      const { runMigrate } = await import('./migrateCommand.ts');
      return runMigrate(io, {
        from: values.from ?? dbPath(io, values.db),
        configPath: configPath(io, values.config),
        to: values.to ?? null,
        batchSize: positiveInt(values.batch, '--batch', 1_000, 10_000),
      });
    }
    case 'discord': {
      const { values, positionals } = parse(rest, { guild: { type: 'string' } });
      if (values.help) return usage(io);
      if (positionals.length > 1) throw new UsageError(`discord takes one command (got "${positionals[1]}")`);
      return runDiscord(io, positionals[0], values.guild ?? null);
    }
    case 'discord-proxy': {
      const { values, positionals } = parse(rest, {
        port: { type: 'string' },
        host: { type: 'string' },
        'allow-public-host': { type: 'boolean' },
      });
      if (values.help) return usage(io);
      if (positionals.length > 0) throw new UsageError(`discord-proxy takes no arguments (got "${positionals[0]}")`);
      const { runDiscordProxy } = await import('./discordProxyCommand.ts');
      return runDiscordProxy(io, {
        port: values.port ?? null,
        host: values.host ?? null,
        allowPublicHost: values['allow-public-host'] === true,
      });
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

function usage(io: CliIo): number {
  writeLine(io.stdout, USAGE);
  return 0;
}

/** Runs the CLI; returns the exit code. Wrong arguments print usage and give 2; nothing escapes as a stack trace. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    return await dispatch(io, argv);
  } catch (error) {
    if (error instanceof UsageError) {
      writeLine(io.stderr, `newsbrief: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof ConfigError) {
      writeLine(io.stderr, `newsbrief: ${error.message}`);
      return 1;
    }
    const text = error instanceof Error ? error.message : String(error);
    writeLine(io.stderr, `newsbrief: ${text}`);
    if (io.env.NEWSBRIEF_DEBUG && error instanceof Error && error.stack) writeLine(io.stderr, error.stack);
    return 1;
  }
}
