import { loadConfig } from '../src/config/config.ts';
import {
  type CopyProgressEvent,
  type CopyReport,
  copyFromSqlite,
  parseTargetUrl,
} from '../storage/postgres/copyFromSqlite.ts';
import { type CliIo, UsageError, writeLine } from './io.ts';

export interface MigrateArgs {
  /** `--from` (or `--db`, NEWSBRIEF_DB); else the config's `database`, as `start` finds it. */
  from: string | null;
  configPath: string | null;
  /** `--to`; else NEWSBRIEF_DATABASE_URL. */
  to: string | null;
  batchSize: number;
}

/** The environment variable a URL may come from instead of `--to`, which keeps its password out of `ps`. */
export const DATABASE_URL_VARIABLE = 'NEWSBRIEF_DATABASE_URL';

/** Progress lines of one table come at most this often (and once when it is finished). */
const PROGRESS_EVERY_MS = 1_000;

const count = (n: number) => n.toLocaleString('en-US');

/**
 * `newsbrief migrate --from FILE --to postgres://…`: copies the SQLite instance into PostgreSQL (see
 * storage/postgres/copyFromSqlite.ts). Progress goes to stderr, the summary to stdout; exit 0 when both sides hold
 * the same number of rows in every table, 1 otherwise or on any failure (one sentence, through main).
 */
export async function runMigrate(io: CliIo, args: MigrateArgs): Promise<number> {
  const to = args.to ?? (io.env[DATABASE_URL_VARIABLE] || null);
  if (!to) throw new UsageError(`migrate needs --to postgres://… (or ${DATABASE_URL_VARIABLE})`);
  const from = args.from ?? loadConfig(args.configPath).config.database;
  const target = parseTargetUrl(to);
  writeLine(io.stderr, `Copying ${from} to ${target.display}`);
  const lastLine = new Map<string, number>();
  const progress = (event: CopyProgressEvent) => {
    const at = Date.now();
    if (!event.finished && at - (lastLine.get(event.table) ?? 0) < PROGRESS_EVERY_MS) return;
    lastLine.set(event.table, at);
    writeLine(
      io.stderr,
      `  ${event.table}: ${count(event.done)} of ${count(event.total)} rows${event.finished ? '' : ' …'}`,
    );
  };
  const report = await copyFromSqlite({
    from,
    to,
    batchSize: args.batchSize,
    onProgress: progress,
    onMigration: (version, name) => writeLine(io.stderr, `  PostgreSQL schema: applied migration ${version} (${name})`),
  });
  if (report.skipped.length > 0) {
    writeLine(io.stderr, `  not copied: ${report.skipped.join(', ')} (not part of newsbrief's schema)`);
  }
  writeLine(io.stdout, headline(report));
  writeLine(io.stdout, summaryTable(report));
  if (report.equal) return 0;
  const differing = report.tables.filter((t) => t.sqlite !== t.postgres);
  const which = differing.map((t) => `${t.table}: ${count(t.sqlite)} in SQLite, ${count(t.postgres)} in PostgreSQL`);
  const why =
    report.outcome === 'complete'
      ? `newsbrief has written to one side since the copy was completed`
      : `was newsbrief writing to ${report.from} between runs? Stop it (or copy a newsbrief backup of it) and copy into a new, empty database`;
  writeLine(
    io.stderr,
    `newsbrief: the two sides differ in ${differing.length} of ${report.tables.length} tables (${which.join('; ')}): ${why}`,
  );
  return 1;
}

function headline(report: CopyReport): string {
  const rows = report.tables.reduce((sum, t) => sum + t.sqlite, 0);
  const copied = report.tables.reduce((sum, t) => sum + t.copied, 0);
  const seconds = `${report.seconds.toFixed(1)} s`;
  const same = report.equal ? 'the same on both sides' : 'NOT the same on both sides';
  switch (report.outcome) {
    case 'complete':
      return `Nothing to copy: ${report.from} was copied completely to ${report.to} on ${report.completedAt}; ${count(rows)} rows in ${report.tables.length} tables, ${same}`;
    case 'resumed':
      return `Resumed the copy of ${report.from} to ${report.to} (begun ${report.startedAt}) and copied the remaining ${count(copied)} rows in ${seconds}: ${count(rows)} rows in ${report.tables.length} tables, ${same}`;
    case 'copied':
      return `Copied ${report.from} to ${report.to} in ${seconds}: ${count(rows)} rows in ${report.tables.length} tables, ${same}`;
  }
}

function summaryTable(report: CopyReport): string {
  const header = ['table', 'SQLite', 'PostgreSQL', 'copied now'];
  const lines = report.tables.map((t) => [
    t.table,
    count(t.sqlite),
    count(t.postgres),
    count(t.copied),
    t.sqlite === t.postgres ? '' : '≠',
  ]);
  const width = (i: number) => Math.max(header[i]?.length ?? 0, ...lines.map((l) => l[i]?.length ?? 0));
  const format = (cells: readonly string[]) =>
    `  ${(cells[0] ?? '').padEnd(width(0))}  ${[1, 2, 3].map((i) => (cells[i] ?? '').padStart(width(i))).join('  ')}${cells[4] ? `  ${cells[4]}` : ''}`;
  return [format(header), ...lines.map(format)].join('\n');
}
