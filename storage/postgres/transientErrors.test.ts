/**
 * Which PostgreSQL errors are the database's passing trouble (storage/transientErrors.ts), on errors a real server
 * raised: a deadlock, a lock timeout, a connection its server ended, against a duplicate key and text it refuses.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../../test/helpers/postgres.ts';
import { isTransientStorageError } from '../transientErrors.ts';

const clusterUrl = process.env[TEST_DATABASE_URL];

describe.skipIf(!clusterUrl && !process.env.CI)('transient storage errors on PostgreSQL', () => {
  let database: TestDatabase;
  const clients: pg.Client[] = [];
  const connect = async () => {
    const client = new pg.Client({ connectionString: database.url });
    client.on('error', () => {});
    await client.connect();
    clients.push(client);
    return client;
  };
  const failureOf = (query: Promise<unknown>) =>
    query.then(
      () => {
        throw new Error('the statement succeeded');
      },
      (error: unknown) => error,
    );

  beforeAll(async () => {
    if (!clusterUrl) throw new Error(`${TEST_DATABASE_URL} is not set`);
    database = await createTestDatabase(clusterUrl);
    const setup = await connect();
    await setup.query('CREATE TABLE notes (id integer PRIMARY KEY, text text)');
    await setup.query("INSERT INTO notes VALUES (1, 'one'), (2, 'two')");
  });
  afterAll(async () => {
    for (const client of clients) await client.end().catch(() => {});
    await database?.drop();
  });

  it('a deadlock and a lock timeout are', async () => {
    const [a, b] = [await connect(), await connect()];
    await a.query('BEGIN');
    await b.query('BEGIN');
    await a.query('UPDATE notes SET text = $1 WHERE id = 1', ['a']);
    await b.query('UPDATE notes SET text = $1 WHERE id = 2', ['b']);
    // each waits for the row the other holds: the server ends one of them
    const crossed = await Promise.allSettled([
      a.query('UPDATE notes SET text = $1 WHERE id = 2', ['a']),
      b.query('UPDATE notes SET text = $1 WHERE id = 1', ['b']),
    ]);
    const deadlock = crossed.find((r) => r.status === 'rejected')?.reason;
    expect(deadlock).toMatchObject({ code: '40P01' });
    expect(isTransientStorageError(deadlock)).toBe(true);
    await a.query('ROLLBACK');
    await b.query('ROLLBACK');

    await a.query('BEGIN');
    await a.query('LOCK TABLE notes');
    await b.query("SET lock_timeout = '50ms'");
    const timeout = await failureOf(b.query('SELECT * FROM notes'));
    expect(timeout).toMatchObject({ code: '55P03' });
    expect(isTransientStorageError(timeout)).toBe(true);
    await a.query('ROLLBACK');
  });

  it('a connection the server ended is', async () => {
    const [victim, admin] = [await connect(), await connect()];
    const { rows } = await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    await admin.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
    const lost = await failureOf(victim.query('SELECT 1'));
    expect(isTransientStorageError(lost)).toBe(true);
  });

  it('what the data did is not: a duplicate key, text PostgreSQL refuses', async () => {
    const client = await connect();
    const duplicate = await failureOf(client.query("INSERT INTO notes VALUES (1, 'again')"));
    expect(duplicate).toMatchObject({ code: '23505' });
    expect(isTransientStorageError(duplicate)).toBe(false);
    const nul = await failureOf(client.query('INSERT INTO notes VALUES (3, $1)', ['a\u0000b']));
    expect(nul).toMatchObject({ code: '22021' });
    expect(isTransientStorageError(nul)).toBe(false);
    expect(isTransientStorageError(new Error('not a feed'))).toBe(false);
  });
});
