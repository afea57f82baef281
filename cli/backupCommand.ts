import { closeSync, existsSync, openSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { loadConfig } from '../src/config/config.ts';
import { openSqliteStore } from '../storage/sqlite/index.ts';
import { type CliIo, writeLine } from './io.ts';

export interface BackupArgs {
  /** `--db` (or NEWSBRIEF_DB); else the config's `database`, as `start` finds it. */
  dbPath: string | null;
  configPath: string | null;
  /** Where the copy goes. */
  file: string;
  /** Replace `file` when it exists. */
  force: boolean;
}

/**
 * `newsbrief backup FILE`: a consistent copy of the database, taken while the service may be running and writing.
 * The copy is written next to FILE under a temporary name and renamed onto FILE only once it is complete and
 * checked, so FILE is never half written; an existing FILE is replaced only with `--force`.
 */
export async function runBackup(io: CliIo, args: BackupArgs): Promise<number> {
  const source = args.dbPath ?? loadConfig(args.configPath).config.database;
  if (!existsSync(source)) {
    throw new Error(`no database at ${source}: name it with --db PATH (or the config's "database")`);
  }
  const target = resolve(args.file);
  let existing: ReturnType<typeof statSync>;
  try {
    existing = statSync(target, { throwIfNoEntry: false });
  } catch (error) {
    throw new Error(`cannot write the backup to ${args.file}: ${whyUnwritable(error, dirname(target))}`);
  }
  if (existing?.isDirectory()) {
    throw new Error(`${args.file} is a folder: name the backup file, e.g. ${join(args.file, 'newsbrief-backup.db')}`);
  }
  if (existing && realpathSync(target) === realpathSync(source)) {
    throw new Error(`${args.file} is the database itself: name another file for the backup`);
  }
  if (existing && !args.force) throw new Error(`${args.file} exists: give --force to replace it`);

  const partial = join(dirname(target), `.${basename(target)}.${process.pid}.partial`);
  try {
    closeSync(openSync(partial, 'wx'));
  } catch (error) {
    throw new Error(`cannot write the backup to ${args.file}: ${whyUnwritable(error, dirname(target))}`);
  }
  let store: ReturnType<typeof openSqliteStore> | null = null;
  try {
    try {
      store = openSqliteStore(source);
    } catch (error) {
      throw new Error(`cannot open ${source}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const report = await store.backupTo(partial);
    if (report.check !== 'ok') {
      throw new Error(
        `the copy of ${source} failed its integrity check (${report.check}); ${args.file} was not written`,
      );
    }
    // The journals of a database that was at FILE before would be replayed onto the copy: they go with it.
    for (const journal of ['-wal', '-shm', '-journal']) rmSync(`${target}${journal}`, { force: true });
    renameSync(partial, target);
    const r = report.rows;
    writeLine(
      io.stdout,
      `Backed up ${source} to ${target}: ${formatBytes(report.bytes)}, schema version ${report.schemaVersion}, integrity ok`,
    );
    writeLine(
      io.stdout,
      `  ${r.articles} articles, ${r.stories} stories, ${r.sources} sources, ${r.destinations} destinations ` +
        `(${r.schedules} with a digest time), ${r.subscriptions} subscriptions, ${r.savedQueries} saved searches, ` +
        `${r.ledger} ledger entries`,
    );
    return 0;
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    store?.close();
  }
}

function whyUnwritable(error: unknown, dir: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return `the folder ${dir} does not exist`;
    case 'ENOTDIR':
      return `${dir} is not a folder`;
    case 'EACCES':
    case 'EPERM':
      return `no permission to write in ${dir}`;
    case 'EROFS':
      return `${dir} is on a read-only file system`;
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
