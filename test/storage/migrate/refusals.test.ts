/**
 * What `newsbrief migrate` refuses, each in one sentence with exit 1 (never a stack trace), and never showing the
 * URL's password: a file that is missing, a folder, not SQLite, not newsbrief's or of another schema version; a
 * URL that is not PostgreSQL's; a server that is unreachable, silent, or refuses the user, the password or the
 * database; a database holding another instance's data (or data not copied at all), or being copied into by
 * another run; and counts that differ at the end.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFromSqlite } from '../../../storage/postgres/copyFromSqlite.ts';
import { COPY_LOCK_KEY } from '../../../storage/postgres/copyProgress.ts';
import { COPIED_TABLES } from '../../../storage/postgres/copyTables.ts';
import { openPostgresStore } from '../../../storage/postgres/index.ts';
import { migrate } from '../../../storage/sqlite/database.ts';
import { openSqliteStore } from '../../../storage/sqlite/index.ts';
import { MIGRATIONS } from '../../../storage/sqlite/migrations.ts';
import { buildInstance, instanceCopy, POSTGRES_AVAILABLE, runMain, usePostgres } from './fixture.ts';

/** The password every URL here carries, with characters that must be percent-encoded. */
const PASSWORD = 'Pw:n0t/Sh0wn@42';
const ENCODED = encodeURIComponent(PASSWORD);

/** `url` with `user` and the password in it. */
function withPassword(url: string, user = 'postgres'): string {
  const u = new URL(url);
  u.username = user;
  u.password = ENCODED;
  return u.toString();
}

const outputs: string[] = [];

/** Runs the CLI, keeps its output for the password check, and expects one sentence and exit 1. */
async function refused(args: string[], env: Record<string, string> = {}): Promise<string> {
  const result = await runMain(['migrate', ...args], env);
  outputs.push(result.stdout, result.stderr);
  expect(result.status, result.stderr).toBe(1);
  const errors = result.stderr.split('\n').filter((line) => line.startsWith('newsbrief: '));
  expect(errors, result.stderr).toHaveLength(1);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  return (errors[0] as string).slice('newsbrief: '.length);
}

/** A TCP server on 127.0.0.1 that answers PostgreSQL's startup with `answer`, or never answers. */
async function fakeServer(answer: 'password refused' | 'silent'): Promise<{ url: string; close: () => void }> {
  const sockets = new Set<Socket>();
  const field = (code: string, text: string) => Buffer.from(`${code}${text}\0`, 'utf8');
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    if (answer === 'silent') return;
    socket.once('data', () => {
      const body = Buffer.concat([
        field('S', 'FATAL'),
        field('V', 'FATAL'),
        field('C', '28P01'),
        field('M', 'password authentication failed for user "alice"'),
        Buffer.from([0]),
      ]);
      const header = Buffer.alloc(5);
      header.write('E', 0);
      header.writeInt32BE(body.length + 4, 1);
      socket.end(Buffer.concat([header, body]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `postgres://alice:${ENCODED}@127.0.0.1:${port}/newsbrief`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 1;
}

let dir = '';
let instance = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'newsbrief-migrate-refusals-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('migrate refuses a file that is not a newsbrief database of this version', () => {
  const to = `postgres://postgres:${ENCODED}@127.0.0.1:1/newsbrief`;

  it('a missing file, a folder, a file that is not SQLite, an empty or foreign SQLite database', async () => {
    expect(await refused(['--from', join(dir, 'nowhere.db'), '--to', to])).toMatch(
      /^no database at .*nowhere\.db: name the SQLite file with --from PATH$/,
    );
    mkdirSync(join(dir, 'folder.db'));
    expect(await refused(['--from', join(dir, 'folder.db'), '--to', to])).toMatch(/folder\.db is a folder/);
    writeFileSync(join(dir, 'notes.db'), 'these are my notes, not a database\n'.repeat(40));
    expect(await refused(['--from', join(dir, 'notes.db'), '--to', to])).toMatch(/notes\.db is not a SQLite database$/);
    writeFileSync(join(dir, 'empty.db'), '');
    expect(await refused(['--from', join(dir, 'empty.db'), '--to', to])).toMatch(
      /empty\.db is an empty SQLite database, not a newsbrief one$/,
    );
    const other = new Database(join(dir, 'other.db'));
    other.exec('CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)');
    other.close();
    expect(await refused(['--from', join(dir, 'other.db'), '--to', to])).toMatch(
      /other\.db is a SQLite database but not a newsbrief one/,
    );
  });

  it('an older schema (start newsbrief once on it first) and a newer one (upgrade)', async () => {
    const latest = MIGRATIONS.length;
    const [before, after] = [latest - 1, latest + 1];
    const older = new Database(join(dir, `v${before}.db`));
    migrate(older, MIGRATIONS.slice(0, before));
    older.close();
    expect(await refused(['--from', join(dir, `v${before}.db`), '--to', to])).toMatch(
      new RegExp(
        `v${before}\\.db has schema version ${before}, older than this newsbrief's ${latest}: start newsbrief once on it \\(newsbrief start --once --db .*v${before}\\.db\\) to bring it up to date, then migrate$`,
      ),
    );
    const newer = new Database(join(dir, `v${after}.db`));
    migrate(newer, MIGRATIONS);
    newer.pragma(`user_version = ${after}`);
    newer.close();
    expect(await refused(['--from', join(dir, `v${after}.db`), '--to', to])).toMatch(
      new RegExp(
        `v${after}\\.db has schema version ${after}, newer than this newsbrief knows \\(${latest}\\): upgrade newsbrief, then migrate$`,
      ),
    );
  });
});

describe('migrate refuses a URL that is not PostgreSQL, and a server it cannot use', () => {
  let source = '';
  beforeAll(() => {
    source = join(dir, 'small.db');
    const store = openSqliteStore(source);
    store.sources.upsert({
      key: 'feed:https://news.example/rss',
      name: 'Example',
      kind: 'feed',
      url: 'https://news.example/rss',
    });
    store.close();
  });

  it('a URL of another scheme or none, and no URL at all', async () => {
    expect(await refused(['--from', source, '--to', `mysql://root:${ENCODED}@db.example/newsbrief`])).toBe(
      'the PostgreSQL URL must start with postgres:// or postgresql:// (it starts with mysql://)',
    );
    expect(await refused(['--from', source, '--to', `postgres://root:${PASSWORD}@db.example/newsbrief`])).toMatch(
      /^the PostgreSQL URL is not valid: write it as postgres:\/\/user:password@host:5432\/database/,
    );
    const none = await runMain(['migrate', '--from', source]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/migrate needs --to postgres:\/\/… \(or NEWSBRIEF_DATABASE_URL\)/);
  });

  it('a server that is not there, that refuses the password, or that never answers', async () => {
    const port = await closedPort();
    expect(
      await refused(['--from', source, '--to', `postgres://postgres:${ENCODED}@127.0.0.1:${port}/newsbrief`]),
    ).toBe(
      `cannot reach PostgreSQL at 127.0.0.1:${port}: the connection was refused (is the server running, on that port?)`,
    );
    const strict = await fakeServer('password refused');
    try {
      // the URL may also come from the environment, which keeps it out of the process list
      expect(await refused(['--from', source], { NEWSBRIEF_DATABASE_URL: strict.url })).toMatch(
        /^PostgreSQL at 127\.0\.0\.1:\d+ refused the password of user "alice" \(authentication failed\)$/,
      );
    } finally {
      strict.close();
    }
    const silent = await fakeServer('silent');
    try {
      const started = Date.now();
      await expect(copyFromSqlite({ from: source, to: silent.url, connectTimeoutMs: 300 })).rejects.toThrow(
        /^cannot reach PostgreSQL at 127\.0\.0\.1:\d+: it did not answer in time \(check the host, port and firewall\)$/,
      );
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      silent.close();
    }
  });
});

describe.skipIf(!POSTGRES_AVAILABLE)('migrate refuses a PostgreSQL database it must not copy into', () => {
  const postgres = usePostgres();
  beforeAll(async () => {
    instance = await buildInstance(join(dir, 'instance'));
  }, 30_000);

  it('an unknown user and a database that does not exist', async () => {
    const { url } = await postgres.fresh();
    expect(await refused(['--from', instance, '--to', withPassword(url, 'nobody')])).toMatch(
      /^PostgreSQL at 127\.0\.0\.1:\d+ refused user "nobody": role "nobody" does not exist$/,
    );
    const missing = new URL(withPassword(url));
    missing.pathname = '/no_such_db';
    expect(await refused(['--from', instance, '--to', missing.toString()])).toMatch(
      /^PostgreSQL at 127\.0\.0\.1:\d+ has no database "no_such_db": create it first \(createdb no_such_db\), then migrate again$/,
    );
  });

  it("another instance's copy, data not copied at all, and a copy already running", async () => {
    const { url } = await postgres.fresh();
    const copied = await runMain(['migrate', '--from', instance, '--to', withPassword(url)]);
    outputs.push(copied.stdout, copied.stderr);
    expect(copied.status, copied.stderr).toBe(0);
    // the same instance from another file (moved, or a backup of it) is recognised: nothing to copy
    const moved = await runMain([
      'migrate',
      '--from',
      instanceCopy(instance, dir, 'moved.db'),
      '--to',
      withPassword(url),
    ]);
    outputs.push(moved.stdout, moved.stderr);
    expect(moved.status, moved.stderr).toBe(0);
    expect(moved.stdout).toMatch(/^Nothing to copy/);
    // a different instance is not
    const other = join(dir, 'other-instance.db');
    const store = openSqliteStore(other);
    store.sources.upsert({
      key: 'feed:https://other.example/rss',
      name: 'Other',
      kind: 'feed',
      url: 'https://other.example/rss',
    });
    store.close();
    expect(await refused(['--from', other, '--to', withPassword(url)])).toMatch(
      /^postgres:\/\/postgres@127\.0\.0\.1:\d+\/\w+ already holds newsbrief data copied from another instance \(.*nb\.db, started \d{4}-.*\): migrate .*other-instance\.db into an empty database instead$/,
    );

    // a database newsbrief has run on (its topics synced), not filled by migrate
    const used = await postgres.fresh();
    const pgStore = await openPostgresStore(used.url);
    try {
      await pgStore.topics.sync([
        { id: 'nvidia', nameEn: 'NVIDIA', nameKo: '엔비디아', kind: 'company', parentId: null },
      ]);
    } finally {
      await pgStore.close();
    }
    expect(await refused(['--from', instance, '--to', withPassword(used.url)])).toMatch(
      /already holds newsbrief data that was not copied from .*nb\.db \(rows in topics\): migrate into an empty database instead$/,
    );

    // another migrate holds the copy lock
    const busy = await postgres.fresh();
    const holder = new pg.Client({ connectionString: busy.url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [COPY_LOCK_KEY]);
      expect(await refused(['--from', instance, '--to', withPassword(busy.url)])).toMatch(
        /^another newsbrief migrate is copying into postgres:\/\/postgres@.* right now: let it finish \(or stop it\) first$/,
      );
    } finally {
      await holder.end();
    }

    // what migrate stores holds no password either
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT * FROM migrate_sources');
      const { rows: progress } = await client.query('SELECT * FROM migrate_progress');
      outputs.push(JSON.stringify(rows), JSON.stringify(progress));
      expect(rows).toHaveLength(1);
    } finally {
      await client.end();
    }
  });

  it('fails with exit 1 when the counts differ at the end', async () => {
    const { url } = await postgres.fresh();
    const copied = await copyFromSqlite({ from: instance, to: url });
    expect(copied.equal).toBe(true);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query("INSERT INTO leases (name, holder, expires_at) VALUES ('other', 'x', '2026-01-01T00:00:00Z')");
    } finally {
      await client.end();
    }
    const result = await runMain(['migrate', '--from', instance, '--to', withPassword(url)]);
    outputs.push(result.stdout, result.stderr);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/NOT the same on both sides/);
    expect(result.stdout).toMatch(/leases +1 +2 +0 +≠/);
    expect(result.stderr).toMatch(
      new RegExp(
        `^newsbrief: the two sides differ in 1 of ${COPIED_TABLES.length} tables \\(leases: 1 in SQLite, 2 in PostgreSQL\\): newsbrief has written to one side since the copy was completed$`,
        'm',
      ),
    );
  });
});

describe('the password', () => {
  it('appears in nothing migrate printed or stored above, as typed or as encoded', () => {
    const printed = outputs.join('\n');
    expect(outputs.length).toBeGreaterThan(20);
    expect(printed).toContain('postgres://');
    expect(printed).not.toContain(PASSWORD);
    expect(printed).not.toContain(ENCODED);
    expect(printed).not.toContain('n0t/Sh0wn');
  });
});
