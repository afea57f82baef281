/**
 * `newsbrief migrate`: a real newsbrief SQLite file (the sample news and rows of every other table) copied into a
 * real PostgreSQL, whole, stopped part-way (inside a batch, after one, and by SIGKILL) and resumed, and run again
 * once complete. Both sides are compared by count, by key, and row for row through the repositories.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDestination } from '../../../src/engine/destinations.ts';
import { searchTokens } from '../../../src/text/searchTokens.ts';
import { type CopyProgressEvent, copyFromSqlite } from '../../../storage/postgres/copyFromSqlite.ts';
import { COPIED_TABLES, isSqliteOnlyTable } from '../../../storage/postgres/copyTables.ts';
import { openPostgresStore } from '../../../storage/postgres/index.ts';
import { articleSearchTokens, queryTerms } from '../../../storage/postgres/searchTokens.ts';
import { openSqliteStore } from '../../../storage/sqlite/index.ts';
import { keepChildOutput } from '../../helpers/secrets.ts';
import { buildInstance, POSTGRES_AVAILABLE, runMain, usePostgres } from './fixture.ts';

const ROOT = join(import.meta.dirname, '../../..');
const BIN = join(ROOT, 'bin/newsbrief.js');

/** The rows of `table` on the SQLite side, keys first, as PostgreSQL returns them (for comparing). */
function sqliteKeys(path: string, table: string): string[] {
  const plan = COPIED_TABLES.find((t) => t.name === table);
  if (!plan) throw new Error(table);
  const db = new Database(path, { readonly: true });
  try {
    const order = plan.key.map((k) => `"${k}"`).join(', ');
    return (db.prepare(`SELECT ${order} FROM "${table}" ORDER BY ${order}`).raw().all() as unknown[][]).map((r) =>
      JSON.stringify(r),
    );
  } finally {
    db.close();
  }
}

async function postgresKeys(client: pg.Client, table: string): Promise<string[]> {
  const plan = COPIED_TABLES.find((t) => t.name === table);
  if (!plan) throw new Error(table);
  const order = plan.key.map((k) => `"${k}"`).join(', ');
  const { rows } = await client.query({ text: `SELECT ${order} FROM "${table}"`, rowMode: 'array' });
  const numeric = plan.key.map((k) =>
    ['bigint', 'integer'].includes(plan.columns.find((c) => c.name === k)?.type ?? ''),
  );
  return (rows as unknown[][])
    .map((r) => r.map((v, i) => (numeric[i] ? Number(v) : v)))
    .map((r) => JSON.stringify(r))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Every table's keys on both sides are the same set: nothing missing, nothing twice. */
async function expectSameKeys(path: string, url: string): Promise<void> {
  await withClient(url, async (client) => {
    for (const table of COPIED_TABLES) {
      const ours = sqliteKeys(path, table.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      expect(await postgresKeys(client, table.name), table.name).toEqual(ours);
    }
  });
}

describe.skipIf(!POSTGRES_AVAILABLE)('newsbrief migrate', () => {
  const postgres = usePostgres();
  let dir = '';
  let source = '';
  let counts: Record<string, number> = {};
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'newsbrief-migrate-'));
    source = await buildInstance(dir);
    const db = new Database(source, { readonly: true });
    counts = Object.fromEntries(
      COPIED_TABLES.map((t) => [
        t.name,
        (db.prepare(`SELECT count(*) AS n FROM "${t.name}"`).get() as { n: number }).n,
      ]),
    );
    db.close();
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('knows every table of both schemas (a table added to either needs its place in copyTables.ts)', async () => {
    const db = new Database(source, { readonly: true });
    const sqliteTables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]
    )
      .map((r) => r.name)
      .filter((name) => !isSqliteOnlyTable(name));
    db.close();
    const names = COPIED_TABLES.map((t) => t.name).sort();
    expect(sqliteTables).toEqual(names);
    const { url } = await postgres.fresh();
    const store = await openPostgresStore(url);
    try {
      const { rows } = await store.pool.query<{ name: string }>(
        "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_migrations' ORDER BY 1",
      );
      expect(rows.map((r) => r.name)).toEqual(names);
    } finally {
      await store.close();
    }
  });

  it('copies every table with its ids, row for row, and moves the sequences past them; a second run copies nothing', async () => {
    const { url } = await postgres.fresh();
    const events: CopyProgressEvent[] = [];
    const report = await copyFromSqlite({ from: source, to: url, batchSize: 100, onProgress: (e) => events.push(e) });
    expect(report.outcome).toBe('copied');
    expect(report.equal).toBe(true);
    expect(report.skipped).toEqual([]);
    expect(report.tables.map((t) => t.table)).toEqual(COPIED_TABLES.map((t) => t.name));
    for (const t of report.tables) {
      expect(t.sqlite, t.table).toBe(counts[t.table]);
      expect(t.postgres, t.table).toBe(counts[t.table]);
      expect(t.copied, t.table).toBe(counts[t.table]);
    }
    // every table has rows, so every conversion ran
    expect(Object.entries(counts).filter(([, n]) => n === 0)).toEqual([]);
    // progress: in order, per table, up to its count
    const finished = events.filter((e) => e.finished);
    expect(finished.map((e) => e.table)).toEqual(COPIED_TABLES.map((t) => t.name));
    for (const e of finished) expect(e.done).toBe(counts[e.table]);
    expect(events.filter((e) => e.table === 'story_terms').length).toBeGreaterThan(10);
    await expectSameKeys(source, url);

    // row for row, through the repositories the service will use
    const lite = openSqliteStore(source);
    const store = await openPostgresStore(url);
    try {
      expect(await store.destinations.list()).toEqual(lite.destinations.list());
      expect(await store.topics.list()).toEqual(lite.topics.list());
      expect(await store.topics.articleCounts()).toEqual(lite.topics.articleCounts());
      for (const d of lite.destinations.list()) {
        expect(await store.subscriptions.list(d.key)).toEqual(lite.subscriptions.list(d.key));
        expect(await store.subscriptions.queries(d.key)).toEqual(lite.subscriptions.queries(d.key));
        expect(await store.subscriptions.notifications(d.key)).toEqual(lite.subscriptions.notifications(d.key));
        expect(await store.ledger.recent(d.key, 100)).toEqual(lite.ledger.recent(d.key, 100));
      }
      const threaded = lite.ledger.recent('slack:C1', 1)[0];
      expect(threaded && (await store.ledger.parts(threaded.id))).toEqual(threaded && lite.ledger.parts(threaded.id));
      expect(await store.leases.current('scheduler')).toEqual(lite.leases.current('scheduler'));
      // stories read back with their profiles' keys in stored order (the engine ranks equal weights by it)
      const storyIds = (lite.stories.headers([1, 2, 3, 4, 5]) ?? []).map((h) => h.id);
      expect(storyIds.length).toBeGreaterThan(0);
      for (const id of storyIds) {
        const copied = await store.stories.get(id);
        expect(JSON.stringify(copied)).toBe(JSON.stringify(lite.stories.get(id)));
      }

      // the columns whose type changes: arrays, booleans, jsonb, bytea, and the search tokens
      const db = new Database(source, { readonly: true });
      try {
        const articles = db
          .prepare('SELECT id, key, deck, digest_held, published_ms, title, body FROM articles')
          .all() as {
          id: number;
          key: string;
          deck: string;
          digest_held: number;
          published_ms: number | null;
          title: string;
          body: string;
        }[];
        const copied = new Map(
          (
            await store.pool.query<{
              id: number;
              key: string;
              deck: string[];
              digest_held: boolean;
              published_ms: number | null;
              search_tokens: string[];
            }>('SELECT id, key, deck, digest_held, published_ms, search_tokens FROM articles')
          ).rows.map((r) => [r.id, r]),
        );
        for (const a of articles) {
          const c = copied.get(a.id);
          expect(c && { ...c, search_tokens: undefined }).toEqual({
            id: a.id,
            key: a.key,
            deck: JSON.parse(a.deck),
            digest_held: a.digest_held === 1,
            published_ms: a.published_ms,
            search_tokens: undefined,
          });
          expect(c?.search_tokens).toEqual(
            articleSearchTokens({ title: a.title, deck: JSON.parse(a.deck), paragraphs: a.body.split('\n\n') }),
          );
        }
        expect(articles.filter((a) => a.digest_held === 1)).toHaveLength(2);
        // PostgreSQL's tokens find what SQLite's FTS5 index finds
        for (const word of ['삼성', '반도체', '엔비디아', 'hbm', 'Samsung', 'chips', 'shipping']) {
          const tokens = searchTokens(word);
          const fts = (
            db
              .prepare('SELECT rowid AS id FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid')
              .all(tokens.map((t) => `"${t}"`).join(' ')) as { id: number }[]
          ).map((r) => r.id);
          const { rows } = await store.pool.query<{ id: number }>(
            'SELECT id FROM articles WHERE search_tokens @> $1::text[] ORDER BY id',
            [queryTerms(word)],
          );
          expect(fts.length, word).toBeGreaterThan(0);
          expect(
            rows.map((r) => r.id),
            word,
          ).toEqual(fts);
        }
        const signature = db.prepare('SELECT article_id, minhash FROM article_signatures LIMIT 1').get() as {
          article_id: number;
          minhash: Buffer;
        };
        const { rows: minhash } = await store.pool.query<{ minhash: Buffer }>(
          'SELECT minhash FROM article_signatures WHERE article_id = $1',
          [signature.article_id],
        );
        expect(minhash[0]?.minhash.equals(signature.minhash)).toBe(true);
        const stories = db.prepare('SELECT id, profile, tags FROM stories').all() as {
          id: number;
          profile: string;
          tags: string;
        }[];
        const { rows: profiles } = await store.pool.query<{ id: number; profile: unknown; tags: unknown }>(
          'SELECT id, profile, tags FROM stories ORDER BY id',
        );
        expect(profiles).toEqual(
          stories.map((s) => ({ id: s.id, profile: JSON.parse(s.profile), tags: JSON.parse(s.tags) })),
        );
        const summary = await store.pool.query('SELECT sentences FROM llm_summaries');
        expect(summary.rows).toEqual([{ sentences: ['삼성전자가 HBM4를 출하했다.', '엔비디아에 공급된다.'] }]);
        const terms = db.prepare('SELECT term, df FROM story_terms ORDER BY term').all();
        const { rows: pgTerms } = await store.pool.query('SELECT term, df FROM story_terms ORDER BY term COLLATE "C"');
        expect(pgTerms).toEqual(terms);
      } finally {
        db.close();
      }

      // new rows get ids after the copied ones
      const maxLedger = Math.max(
        ...lite.destinations.list().flatMap((d) => lite.ledger.recent(d.key, 100).map((e) => e.id)),
      );
      const planned = await store.ledger.plan({
        destination: 'slack:C1',
        slot: 'digest:2026-11-27',
        kind: 'digest',
        localDate: '2026-11-27',
        dueAt: '2026-11-26T23:30:00.000Z',
        state: 'pending',
      });
      expect(planned.entry.id).toBe(maxLedger + 1);
      const maxDestination = Math.max(...lite.destinations.list().map((d) => d.id));
      const added = await store.destinations.ensure(
        newDestination({ platform: 'discord', workspace: 'G2', channel: '99', user: null }),
      );
      expect(added.id).toBe(maxDestination + 1);
      await store.pool.query("DELETE FROM ledger WHERE slot = 'digest:2026-11-27'");
      await store.pool.query("DELETE FROM destinations WHERE key = 'discord:99'");
    } finally {
      lite.close();
      await store.close();
    }

    // again: nothing to copy, and the CLI says so
    const again = await copyFromSqlite({ from: source, to: url });
    expect(again.outcome).toBe('complete');
    expect(again.equal).toBe(true);
    expect(again.completedAt).toBe(report.completedAt);
    expect(again.tables.every((t) => t.copied === 0)).toBe(true);
    const cli = await runMain(['migrate', '--from', source, '--to', url]);
    expect(cli.stderr).not.toMatch(/differ/);
    expect(cli.status).toBe(0);
    expect(cli.stdout).toMatch(/^Nothing to copy: .* was copied completely to postgres:\/\/.* on \d{4}-/);
    expect(cli.stdout).toMatch(new RegExp(`articles +${counts.articles} +${counts.articles} +0`));
    await expectSameKeys(source, url);
  });

  it('goes on where it stopped, after a batch or inside one, and never copies a row twice', async () => {
    const { url } = await postgres.fresh();
    const stopAt = (batch: number, committed: boolean) => async (e: { batch: number; committed: boolean }) => {
      if (e.batch === batch && e.committed === committed) throw new Error(`stopped at batch ${batch}`);
    };
    /** Rows the progress records say are copied, rows PostgreSQL holds, tables not finished. */
    const state = () =>
      withClient(url, async (client) => {
        const progress = await client.query<{ n: string }>(
          'SELECT coalesce(sum(rows_copied), 0) AS n FROM migrate_progress',
        );
        const open = await client.query('SELECT 1 FROM migrate_progress WHERE NOT done');
        let rows = 0;
        for (const t of COPIED_TABLES) {
          rows += Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${t.name}"`)).rows[0]?.n);
        }
        return { recorded: Number(progress.rows[0]?.n), rows, open: open.rowCount ?? 0 };
      });
    const total = Object.values(counts).reduce((a, b) => a + b, 0);

    // stopped right after batch 9 was committed: its rows and its progress are there, nothing more
    await expect(copyFromSqlite({ from: source, to: url, batchSize: 60, onBatch: stopAt(9, true) })).rejects.toThrow(
      /stopped at batch 9/,
    );
    const first = await state();
    expect(first.rows).toBe(first.recorded);
    expect(first.rows).toBeGreaterThan(0);
    expect(first.rows).toBeLessThanOrEqual(9 * 60);
    expect(first.open).toBe(1);

    // stopped inside its 5th batch, before the commit: its rows are not there, nor its progress
    let inserted = 0;
    await expect(
      copyFromSqlite({
        from: source,
        to: url,
        batchSize: 60,
        onBatch: async (e) => {
          if (e.batch === 5 && !e.committed) {
            inserted = await withClient(url, async (c) => Number((await c.query('SELECT 1')).rowCount));
            throw new Error('stopped at batch 5');
          }
        },
      }),
    ).rejects.toThrow(/stopped at batch 5/);
    expect(inserted).toBe(1);
    const second = await state();
    expect(second.rows).toBe(second.recorded);
    expect(second.rows).toBeGreaterThan(first.rows);
    expect(second.rows).toBeLessThanOrEqual(first.rows + 4 * 60);

    const report = await copyFromSqlite({ from: source, to: url, batchSize: 60 });
    expect(report.outcome).toBe('resumed');
    expect(report.equal).toBe(true);
    expect(report.tables.reduce((sum, t) => sum + t.copied, 0)).toBe(total - second.rows);
    expect(await state()).toEqual({ recorded: total, rows: total, open: 0 });
    await expectSameKeys(source, url);
  });

  it('resumes a copy killed with SIGKILL in the middle, with the same result', async () => {
    const { url } = await postgres.fresh();
    const child = spawn(process.execPath, [BIN, 'migrate', '--from', source, '--to', url, '--batch', '10'], {
      cwd: ROOT,
      env: { ...process.env, NEWSBRIEF_CONFIG: '', NEWSBRIEF_DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // killed once a good part is copied: some tables finished, the copy still going
    const copied = await withClient(url, async (client) => {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const n = await client
          .query<{ n: string | null }>('SELECT sum(rows_copied) AS n FROM migrate_progress')
          .then((r) => Number(r.rows[0]?.n ?? 0))
          .catch(() => 0);
        if (n >= 1_000) {
          child.kill('SIGKILL');
          return n;
        }
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no progress to kill in: ${err}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    });
    expect(await exited).toBe(null);
    keepChildOutput(err);
    const left = await withClient(url, async (client) => {
      const { rows } = await client.query<{ n: string }>('SELECT sum(rows_copied) AS n FROM migrate_progress');
      const { rows: open } = await client.query('SELECT 1 FROM migrate_progress WHERE NOT done');
      const { rows: complete } = await client.query('SELECT completed_at FROM migrate_sources');
      return { n: Number(rows[0]?.n), open: open.length, completed: complete[0]?.completed_at };
    });
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(left.n).toBeGreaterThanOrEqual(copied);
    expect(left.n).toBeLessThan(total);
    expect(left.completed).toBe(null);

    const cli = await runMain(['migrate', '--from', source, '--to', url]);
    expect(cli.status).toBe(0);
    expect(cli.stdout).toMatch(/^Resumed the copy of .* and copied the remaining [\d,]+ rows/);
    expect(cli.stdout).toMatch(/the same on both sides/);
    await expectSameKeys(source, url);
  });
});
