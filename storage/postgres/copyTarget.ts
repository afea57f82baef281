/**
 * The PostgreSQL side of `newsbrief migrate` before any row moves: the URL (read, shown without its password),
 * the first connection (reachable? authenticated? does the database exist?) and every failure said in one
 * sentence that never holds the password.
 */
import pg from 'pg';
import { DatabaseVersionError } from './database.ts';

/** A failure of the copy, said in one sentence (no stack trace, no password). */
export class CopyError extends Error {
  override name = 'CopyError';
}

export interface TargetUrl {
  /** The URL as pg takes it. */
  url: string;
  /** What may be shown: `postgres://user@host:port/database`, never the password. */
  display: string;
  host: string;
  user: string;
  database: string;
  /** The password's spellings (as typed and decoded), to take out of any text that might hold them. */
  secrets: string[];
}

/** Reads a `postgres://` URL, refusing anything else in one sentence that does not repeat it. */
export function parseTargetUrl(url: string): TargetUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CopyError(
      'the PostgreSQL URL is not valid: write it as postgres://user:password@host:5432/database ' +
        '(with any special character of the password percent-encoded)',
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new CopyError(
      `the PostgreSQL URL must start with postgres:// or postgresql:// (it starts with ${parsed.protocol}//)`,
    );
  }
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  // pg also takes a password from the query string (`?password=…`): hidden as well, and never shown
  const typed = [parsed.password, decode(parsed.password), parsed.searchParams.get('password') ?? ''];
  const secrets = [...new Set(typed.filter((secret) => secret.length > 0))];
  const user = decode(parsed.username) || process.env.PGUSER || process.env.USER || 'postgres';
  const host = parsed.hostname || 'localhost';
  const database = decode(parsed.pathname.replace(/^\//, '')) || user;
  const shown = new URL(url);
  shown.password = '';
  const display = shown.toString().replace(/\?.*$/, '');
  return { url, display, host: parsed.port ? `${host}:${parsed.port}` : host, user, database, secrets };
}

/** `text` with every spelling of the password replaced. */
export function hidePassword(text: string, target: Pick<TargetUrl, 'secrets'>): string {
  let hidden = text;
  for (const secret of target.secrets) if (secret.length > 0) hidden = hidden.split(secret).join('***');
  return hidden;
}

export interface PgFailure {
  code?: string;
  message?: string;
  detail?: string;
}

const CONNECTION_LOST = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED', '57P01', '57P02', '57P03']);

export function isConnectionLoss(error: PgFailure): boolean {
  return (
    CONNECTION_LOST.has(error.code ?? '') ||
    (error.code ?? '').startsWith('08') ||
    /Connection terminated|connection timeout|timeout expired/i.test(error.message ?? '')
  );
}

/** Why the first connection failed, as one sentence. */
export function connectionFailure(error: unknown, target: TargetUrl): CopyError {
  const e = (error ?? {}) as PgFailure;
  const message = hidePassword(e.message ?? String(error), target);
  const at = `PostgreSQL at ${target.host}`;
  switch (e.code) {
    case 'ECONNREFUSED':
      return new CopyError(`cannot reach ${at}: the connection was refused (is the server running, on that port?)`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new CopyError(`cannot reach ${at}: no such host (check the host name in the URL)`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new CopyError(`cannot reach ${at}: the network cannot get there`);
    case '28P01':
      return new CopyError(`${at} refused the password of user "${target.user}" (authentication failed)`);
    case '28000':
      return new CopyError(`${at} refused user "${target.user}": ${message}`);
    case '3D000':
      return new CopyError(
        `${at} has no database "${target.database}": create it first (createdb ${target.database}), then migrate again`,
      );
    case '53300':
      return new CopyError(`${at} has too many connections open: try again when some have closed`);
  }
  if (/password must be a string/i.test(message)) {
    return new CopyError(
      `${at} asks user "${target.user}" for a password and none was given (put it in the URL or in PGPASSWORD)`,
    );
  }
  if (/timeout/i.test(message)) {
    return new CopyError(`cannot reach ${at}: it did not answer in time (check the host, port and firewall)`);
  }
  if (/ssl|tls|certificate/i.test(message)) {
    return new CopyError(`cannot connect to ${at}: ${message} (see sslmode in the URL)`);
  }
  return new CopyError(`cannot connect to ${at}: ${message}`);
}

/** Why PostgreSQL's migrations (the schema newsbrief copies into) could not be applied, as one sentence. */
export function migrationFailure(error: unknown, target: TargetUrl): CopyError {
  if (error instanceof DatabaseVersionError) return new CopyError(`the PostgreSQL database's ${error.message}`);
  const e = (error ?? {}) as PgFailure;
  if (!(error instanceof pg.DatabaseError) || isConnectionLoss(e) || (e.code ?? '').startsWith('28')) {
    return connectionFailure(error, target);
  }
  return new CopyError(
    `PostgreSQL at ${target.host} could not take newsbrief's schema: ${hidePassword(e.message ?? String(error), target)}`,
  );
}

/** Connects once and lets go: reachability, authentication and the database's existence, with a timeout. */
export async function probe(target: TargetUrl, timeoutMs: number): Promise<void> {
  const client = new pg.Client({ connectionString: target.url, connectionTimeoutMillis: timeoutMs });
  // a failure after connect (the server going away) must not end the process
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw connectionFailure(error, target);
  } finally {
    await client.end().catch(() => {});
  }
}
