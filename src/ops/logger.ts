import { openSync, writeSync } from 'node:fs';
import pino, { type DestinationStream, type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';

export type { Logger } from 'pino';

/** Any writable stream (process.stderr, a file stream) or a plain object with `write`. */
export interface LogDestination {
  write(line: string): unknown;
  isTTY?: boolean;
}

export interface LoggerOptions {
  /** A pino level; else env LOG_LEVEL; else `info`. */
  level?: string;
  /** Where lines go; default process.stdout (written synchronously). */
  destination?: LogDestination;
  /** Human-readable lines instead of JSON; default: iff the destination is a TTY. */
  pretty?: boolean;
  /** Secret values to blank out wherever they appear in a line (see secretsFromEnv). */
  secrets?: readonly string[];
  name?: string;
  /** A file every line is also appended to, as JSON after redaction; default env NEWSBRIEF_LOG_COPY. */
  copyTo?: string;
}

export const REDACTED = '[redacted]';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Keys whose values are secrets whatever they hold. */
const SECRET_KEYS = [
  'token',
  'accessToken',
  'refreshToken',
  'botToken',
  'appToken',
  'signingSecret',
  'clientSecret',
  'secret',
  'apiKey',
  'api_key',
  'password',
  'authorization',
  'Authorization',
  'cookie',
];

/**
 * pino's wildcards match exactly one level (`*.token` misses `a.b.token`), so each key is listed at the
 * top and under one to three levels of nesting; deeper secrets are still caught by value redaction.
 */
const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]);

/** Secrets shorter than this are ignored: blanking "1234" everywhere would destroy ordinary text. */
const MIN_SECRET_LENGTH = 8;

const SECRET_ENV_NAMES = [
  'DISCORD_TOKEN',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  'NEWSBRIEF_LLM_API_KEY',
  'PGPASSWORD',
];
/** Connection URLs whose password is a secret (`postgres://user:password@host/db`). */
const DATABASE_URL_NAMES = ['NEWSBRIEF_DATABASE_URL', 'DATABASE_URL'];
const SECRET_ENV_SUFFIX = /_(TOKEN|SECRET|KEY|PASSWORD)$/i;

/** The values of the environment variables that hold secrets (known names and *_TOKEN, *_SECRET, *_KEY, *_PASSWORD). */
export function secretsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value && (SECRET_ENV_NAMES.includes(name) || SECRET_ENV_SUFFIX.test(name))) values.add(value);
    if (value && DATABASE_URL_NAMES.includes(name)) {
      const password = passwordOf(value);
      if (password) values.add(password);
    }
  }
  return [...values];
}

function passwordOf(url: string): string | null {
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : null;
  } catch {
    return null;
  }
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = resolveLevel(options.level ?? process.env.LOG_LEVEL);
  const destination = options.destination ?? pino.destination({ dest: 1, sync: true });
  const isTTY = (options.destination ?? process.stdout).isTTY === true;
  const pretty = options.pretty ?? isTTY;
  const redactSecrets = secretRedactor(options.secrets ?? []);
  const output = pretty ? prettyStream(destination, isTTY) : destination;
  const copyTo = options.copyTo ?? process.env.NEWSBRIEF_LOG_COPY;

  return pino(
    {
      level,
      name: options.name,
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      ...(redactSecrets ? { hooks: { streamWrite: redactSecrets } } : {}),
    },
    copyTo ? teeStream(output, copyTo) : output,
  );
}

/** Appending descriptors by path: every logger of a process shares one, and lines from several processes interleave whole. */
const copyFiles = new Map<string, number>();

/** Writes each (already redacted) JSON line to `path` as well, before it goes on to `output`. */
function teeStream(output: LogDestination, path: string): DestinationStream {
  let fd = copyFiles.get(path);
  if (fd === undefined) {
    fd = openSync(path, 'a');
    copyFiles.set(path, fd);
  }
  const copy = fd;
  return {
    write: (line: string) => {
      writeSync(copy, line);
      return void output.write(line);
    },
  };
}

/** Milliseconds since `startNs` (from `process.hrtime.bigint()`), to three decimals. */
export function durationMs(startNs: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - startNs) / 1000) / 1000;
}

function resolveLevel(raw: string | undefined): string {
  const level = raw?.trim().toLowerCase();
  if (!level) return 'info';
  if ((LEVELS as readonly string[]).includes(level)) return level;
  throw new Error(`Unknown log level "${raw}" (LOG_LEVEL or the level option): use one of ${LEVELS.join(', ')}`);
}

/**
 * Formats each JSON line as it is written. prettyFactory instead of pino-pretty's stream: that stream is
 * an asynchronous transform, and a line logged just before process.exit would be lost.
 */
function prettyStream(destination: LogDestination, colorize: boolean): DestinationStream {
  const format = prettyFactory({ colorize, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
  return { write: (line: string) => void destination.write(format(line)) };
}

/**
 * Runs on the final JSON line, so a secret is caught in messages, stacks, URLs and nested values alike.
 * Each secret is also matched as JSON escapes it and as a URL component encodes it.
 */
function secretRedactor(secrets: readonly string[]): ((line: string) => string) | undefined {
  const needles = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    needles.add(secret);
    needles.add(JSON.stringify(secret).slice(1, -1));
    needles.add(encodeURIComponent(secret));
  }
  if (needles.size === 0) return undefined;
  // Longest first, so a secret that contains another is blanked whole.
  const alternatives = [...needles].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(alternatives.join('|'), 'g');
  return (line) => line.replace(pattern, REDACTED);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
