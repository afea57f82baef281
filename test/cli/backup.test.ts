import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CONSOLE_TARGET } from '../../adapters/console/consoleBot.ts';
import { newDestination } from '../../src/engine/destinations.ts';
import { openSqliteStore } from '../../storage/sqlite/index.ts';
import { runCli } from '../helpers/cli.ts';
import { runMainInProcess } from '../helpers/cliInProcess.ts';
import { openSampleApp } from '../helpers/sample.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();
const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/newsbrief.js');
const WRITER = join(ROOT, 'test/storage/writerProcess.ts');

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function spawnChild(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, DISCORD_TOKEN: '', SLACK_BOT_TOKEN: '', SLACK_APP_TOKEN: '', LANG: 'en_US.UTF-8', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function until(what: string, probe: () => boolean, timeoutMs = 30_000, said = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${said()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The CLI in this process (the refusals need no child process each), its output captured. */
function runMain(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ status: number; stdout: string; stderr: string }> {
  return runMainInProcess(args, { NEWSBRIEF_CONFIG: '', ...env });
}

/** What the backup must keep: every row of the tables people would miss, as sorted lines. */
function committedRows(path: string) {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const lines = (sql: string) => (db.prepare(sql).raw().all() as unknown[][]).map((row) => row.join('|'));
    return {
      articles: lines('SELECT id, key, content_hash FROM articles ORDER BY id'),
      subscriptions: lines('SELECT channel, topic_id FROM subscriptions ORDER BY channel, topic_id'),
      savedQueries: lines('SELECT destination, query FROM saved_queries ORDER BY destination, query'),
      destinations: lines('SELECT key, digest_time, time_zone, weekdays, enabled FROM destinations ORDER BY key'),
      ledger: lines('SELECT id, destination, slot, state, message_id FROM ledger ORDER BY id'),
    };
  } finally {
    db.close();
  }
}

/** The sample archive, with the console channel's schedule, topics, a saved search and a sent digest. */
async function seedDatabase(dir: string): Promise<string> {
  const app = await openSampleApp(dir);
  const { store } = app;
  store.destinations.ensure(newDestination(CONSOLE_TARGET));
  store.destinations.update(CONSOLE_TARGET.key, {
    digestTime: '07:45',
    timeZone: 'Asia/Seoul',
    weekdays: [1, 2, 3, 4, 5],
  });
  store.subscriptions.add(CONSOLE_TARGET.key, 'nvidia');
  store.subscriptions.add(CONSOLE_TARGET.key, 'samsung-electronics');
  store.subscriptions.addQuery(CONSOLE_TARGET.key, 'hbm4 -루머');
  const { entry } = store.ledger.plan({
    destination: CONSOLE_TARGET.key,
    slot: 'digest:2026-11-26',
    kind: 'digest',
    localDate: '2026-11-26',
    dueAt: '2026-11-25T22:45:00.000Z',
    state: 'pending',
  });
  store.ledger.claim(entry.id, ['pending']);
  store.ledger.markSent(entry.id, { messageId: 'console-1', contentHash: 'abc', storyKeys: [] });
  app.close();
  return join(dir, 'nb.db');
}

describe('newsbrief backup', () => {
  it('copies a database another process keeps writing to: the copy is intact, holds every row committed before, and a restored bot finds it all', async () => {
    const dir = tempDir();
    const db = await seedDatabase(dir);
    // A read that stays open from before the writes (as a long query would) keeps every write in the WAL: no
    // checkpoint can pass it, so a copy of the database file alone would miss all of them.
    const longRead = new Database(db, { readonly: true });
    longRead.prepare('BEGIN').run();
    longRead.prepare('SELECT count(*) FROM articles').get();
    const writer = spawnChild([join(ROOT, 'bin/run-ts.js'), WRITER, db]);
    await until('the writer', () => writer.stdout().includes('ready'));
    await new Promise((resolve) => setTimeout(resolve, 300));

    const before = committedRows(db);
    const backupFile = join(dir, 'backups', 'nb-copy.db');
    mkdirSync(join(dir, 'backups'));
    const backup = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const run = spawnChild([BIN, 'backup', '--db', db, backupFile]);
      void run.exited.then((code) => resolve({ code, out: run.stdout() }));
    });
    const after = committedRows(db);
    writer.child.kill('SIGKILL');
    await writer.exited;
    longRead.prepare('COMMIT').run();
    longRead.close();

    expect(backup.code).toBe(0);
    expect(backup.out).toContain(`to ${backupFile}`);
    expect(backup.out).toMatch(/integrity ok/);
    // the writer went on writing while the backup ran (else this proves nothing about a live database)
    expect(after.articles.length).toBeGreaterThan(before.articles.length);
    expect(before.ledger.length).toBeGreaterThan(10);
    // one file: no journal left beside it
    expect(readdirSync(join(dir, 'backups'))).toEqual(['nb-copy.db']);

    const copy = new Database(backupFile, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();
    const copied = committedRows(backupFile);
    for (const table of Object.keys(before) as (keyof typeof before)[]) {
      const missing = before[table].filter((row) => !new Set(copied[table]).has(row));
      expect(missing, table).toEqual([]);
      // and nothing that was never committed: the copy is the database at one instant, between the two reads
      expect(copied[table].length, table).toBeLessThanOrEqual(after[table].length);
    }
    const counts =
      /(\d+) articles, \d+ stories, \d+ sources, (\d+) destinations \((\d+) with a digest time\), (\d+) subscriptions, (\d+) saved searches, (\d+) ledger entries/.exec(
        backup.out,
      );
    expect(counts?.slice(1).map(Number)).toEqual([
      copied.articles.length,
      copied.destinations.length,
      copied.destinations.filter((d) => d.split('|')[1] !== '').length,
      copied.subscriptions.length,
      copied.savedQueries.length,
      copied.ledger.length,
    ]);

    // Restore: the real bot started on the copy answers from it.
    const configPath = join(dir, 'restored.yaml');
    writeFileSync(configPath, [`database: ${JSON.stringify(backupFile)}`, 'lang: en'].join('\n'));
    const bot = spawnChild([BIN, 'start', '--commands', '--config', configPath], { LOG_LEVEL: 'warn' });
    const lastWriter = before.articles.filter((a) => a.includes('writer.example')).length - 1;
    bot.child.stdin?.write(`/news topics\n/news status\n/news hbm4 samsung\n/news ${writerWord(0)}\n`);
    const said = () => `${bot.stdout()}\n${bot.stderr()}`;
    await until('the status', () => bot.stdout().includes('Digest: 07:45 Asia/Seoul, weekdays'), 30_000, said);
    await until('the saved search', () => bot.stdout().includes('hbm4 -루머'), 30_000, said);
    await until(
      'the first writer article',
      () => bot.stdout().includes(`Writer report ${writerWord(0)}`),
      30_000,
      said,
    );
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(bot.stdout()).toMatch(/Subscribed: .*NVIDIA \(nvidia\).*Samsung Electronics \(samsung-electronics\)/);
    expect(bot.stdout()).toMatch(/Samsung.*HBM4/);

    // the last article committed before the backup began, through `newsbrief search`
    const found = runCli(['search', '--db', backupFile, '--json', writerWord(lastWriter)]);
    expect(found.status).toBe(0);
    const titles = (JSON.parse(found.stdout) as { results: { title: string }[] }).results.map((r) => r.title);
    expect(titles).toEqual([`Writer report ${writerWord(lastWriter)} on chip packaging`]);
  }, 120_000);

  it('refuses to overwrite without --force, to write where it cannot, and to copy what is not there', async () => {
    const dir = tempDir();
    const db = join(dir, 'nb.db');
    const store = openSqliteStore(db);
    store.destinations.ensure(newDestination(CONSOLE_TARGET));
    store.subscriptions.add(CONSOLE_TARGET.key, 'nvidia');
    store.subscriptions.add(CONSOLE_TARGET.key, 'openai');
    store.close();
    const target = join(dir, 'existing.db');
    writeFileSync(target, 'not yet a backup');

    const refused = await runMain(['backup', '--db', db, target]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`${target} exists: give --force to replace it`);
    expect(readFileSync(target, 'utf8')).toBe('not yet a backup');

    // a stale journal of whatever was at the path before must not be replayed onto the copy
    writeFileSync(`${target}-wal`, 'stale');
    const forced = await runMain(['backup', '--db', db, '--force', target]);
    expect(forced.status).toBe(0);
    expect(existsSync(`${target}-wal`)).toBe(false);
    const copy = new Database(target, { readonly: true });
    expect(copy.prepare('SELECT count(*) AS n FROM subscriptions').get()).toEqual({ n: 2 });
    copy.close();

    const cases: [string[], string][] = [
      [[join(dir, 'no-such-folder', 'b.db')], `the folder ${join(dir, 'no-such-folder')} does not exist`],
      [[join(target, 'b.db')], `${target} is not a folder`],
      [[dir], `${dir} is a folder: name the backup file`],
      [['--force', db], 'is the database itself'],
    ];
    for (const [args, message] of cases) {
      const r = await runMain(['backup', '--db', db, ...args]);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toContain(message);
      expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    }
    const missing = await runMain(['backup', '--db', join(dir, 'none.db'), join(dir, 'out.db')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`no database at ${join(dir, 'none.db')}`);
    expect(existsSync(join(dir, 'none.db'))).toBe(false);
    expect(existsSync(join(dir, 'out.db'))).toBe(false);
    // the database the config names, as start finds it
    const configPath = join(dir, 'newsbrief.yaml');
    writeFileSync(configPath, `database: ${JSON.stringify(db)}\n`);
    // (an empty NEWSBRIEF_DB is unset, not a path: SQLite would take it for a temporary database)
    const viaConfig = await runMain(['backup', '--config', configPath, join(dir, 'from-config.db')], {
      NEWSBRIEF_DB: '',
    });
    expect(viaConfig.stdout).toContain(`Backed up ${db} to ${join(dir, 'from-config.db')}`);
    expect(viaConfig.status).toBe(0);
    // nothing half written left behind by any refusal
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
    expect((await runMain(['backup', '--db', db])).status).toBe(2);
  });
});

/** The writer's word for its article number (as test/storage/writerProcess.ts makes it). */
function writerWord(n: number): string {
  let word = '';
  let rest = n;
  do {
    word = String.fromCharCode(97 + (rest % 26)) + word;
    rest = Math.floor(rest / 26);
  } while (rest > 0);
  return `zq${word}`;
}
