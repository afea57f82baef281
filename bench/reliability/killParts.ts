/**
 * The parts of the kill -9 loops (bench/reliability/killLoop.ts): the real `newsbrief start` in a child process
 * with its JSON log lines, and a read-only look at the database from a connection of its own (what was
 * committed, and whether the file is intact).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { PACKAGE_ROOT } from '../../src/paths.ts';

export type LogLine = Record<string, unknown> & { msg?: string };

export interface ServiceChild {
  child: ChildProcess;
  /** performance.now() at spawn. */
  spawnedAt: number;
  logs: LogLine[];
  stdout(): string;
  /** Lines on stderr that are not JSON (a start-up error). */
  plainErrors(): string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once a log line matches; rejects on timeout or when the child exits first. */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs: number, what: string): Promise<LogLine>;
}

/** `newsbrief start ARGS` (the real binary), logging JSON at info level to stderr. */
export function startService(args: readonly string[], env: Record<string, string>): ServiceChild {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'bin/newsbrief.js'), 'start', ...args], {
    cwd: PACKAGE_ROOT,
    env: {
      ...process.env,
      NEWSBRIEF_CONFIG: '',
      DISCORD_TOKEN: '',
      SLACK_BOT_TOKEN: '',
      SLACK_APP_TOKEN: '',
      SLACK_SIGNING_SECRET: '',
      HEALTH_PORT: '',
      LANG: 'en_US.UTF-8',
      LC_ALL: '',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  const plain: string[] = [];
  let out = '';
  let pending = '';
  const waiters: { match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const text of lines) {
      if (!text.startsWith('{')) {
        if (text.trim()) plain.push(text);
        continue;
      }
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        continue;
      }
      logs.push(line);
      for (const w of waiters.splice(0)) {
        if (w.match(line)) w.resolve(line);
        else waiters.push(w);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  const waitForLog = (match: (line: LogLine) => boolean, timeoutMs: number, what: string) =>
    new Promise<LogLine>((resolve, reject) => {
      const seen = logs.find(match);
      if (seen) return resolve(seen);
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${what}: ${plain.join(' | ')}`)),
        timeoutMs,
      );
      const done = (line: LogLine) => {
        clearTimeout(timer);
        resolve(line);
      };
      waiters.push({ match, resolve: done });
      void exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`newsbrief exited (${code ?? signal}) before ${what}: ${plain.join(' | ')}`));
      });
    });
  return { child, spawnedAt, logs, stdout: () => out, plainErrors: () => plain, exited, waitForLog };
}

/** What must survive a crash: each committed row as one line, by table. */
export interface Committed {
  articles: Set<string>;
  subscriptions: Set<string>;
  /** Destinations with a digest time. */
  schedules: Set<string>;
  ledger: Set<string>;
}

export const KINDS = ['articles', 'subscriptions', 'schedules', 'ledger'] as const;
export type RowKind = (typeof KINDS)[number];

function readOnly<T>(path: string, work: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return work(db);
  } finally {
    db.close();
  }
}

/** Every committed row the loops check, read in one transaction from a connection of its own. */
export function committedRows(path: string): Committed {
  return readOnly(path, (db) =>
    db.transaction(() => {
      const lines = (sql: string) => new Set((db.prepare(sql).raw().all() as unknown[][]).map((r) => r.join('|')));
      return {
        articles: lines('SELECT id, key FROM articles'),
        subscriptions: lines(
          "SELECT channel, topic_id FROM subscriptions UNION ALL SELECT destination, 'query:' || query FROM saved_queries",
        ),
        schedules: lines('SELECT key FROM destinations WHERE digest_time IS NOT NULL'),
        ledger: lines('SELECT id, destination, slot FROM ledger'),
      };
    })(),
  );
}

/** Rows of `before` that `after` no longer has, by kind. */
export function lostRows(before: Committed, after: Committed): Record<RowKind, number> {
  const lost = {} as Record<RowKind, number>;
  for (const kind of KINDS) lost[kind] = [...before[kind]].filter((row) => !after[kind].has(row)).length;
  return lost;
}

/** `PRAGMA integrity_check`: 'ok', or what it found. */
export function integrityCheck(path: string): string {
  return readOnly(path, (db) =>
    (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; '),
  );
}

export interface LedgerRow {
  id: number;
  destination: string;
  slot: string;
  kind: string;
  localDate: string | null;
  state: string;
  failure: string | null;
  messageId: string | null;
}

export function ledgerRows(path: string): LedgerRow[] {
  return readOnly(
    path,
    (db) =>
      db
        .prepare(
          'SELECT id, destination, slot, kind, local_date AS localDate, state, failure, message_id AS messageId FROM ledger',
        )
        .all() as LedgerRow[],
  );
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
