/**
 * What only the PostgreSQL queue can show: several queues (processes) on one database. Two workers never run one
 * job at once; one key sent from two queues at once is one job; a worker killed with SIGKILL mid-job loses
 * nothing (another takes the job after its expiry and completes it once); a worker frozen past its job's expiry
 * cannot, on waking, record over the try that took its job over.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { PgBossJobQueue } from '../../runtime/jobs/pgBossQueue.ts';
import type { JobQueue } from '../../runtime/jobs/queue.ts';
import { keepChildOutput } from '../helpers/secrets.ts';
import {
  eventually,
  FAST,
  FAST_PG,
  memoryLog,
  POSTGRES_UNAVAILABLE,
  pgBossBackend,
  postgresDatabase,
  sleep,
} from './backends.ts';

const ROOT = join(import.meta.dirname, '../..');
const db = postgresDatabase();
const backend = pgBossBackend(db);

/** The tests' measurements, printed at the end of the file (the report quotes them). */
const figures: string[] = [];

const suite = POSTGRES_UNAVAILABLE ? describe.skip : describe;

suite(`pg-boss across processes${POSTGRES_UNAVAILABLE ? ` (${POSTGRES_UNAVAILABLE})` : ''}`, () => {
  const children: Worker[] = [];
  afterEach(async () => {
    for (const { process: child } of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    await backend.reset();
    if (figures.length) process.stdout.write(`${figures.splice(0).join('\n')}\n`);
  });

  it('two queues on one database never run the same job at once, and run each job once', async () => {
    const a = await backend.open();
    const b = await backend.open();
    const ids = Array.from({ length: 24 }, (_, i) => i + 1);
    for (const sourceId of ids) await a.send('fetch', { sourceId });
    const running = new Set<number>();
    const runs = new Map<number, number>();
    const overlaps: number[] = [];
    const by = { a: 0, b: 0 };
    const handler =
      (who: 'a' | 'b') =>
      async ({ sourceId }: { sourceId: number }) => {
        if (running.has(sourceId)) overlaps.push(sourceId);
        running.add(sourceId);
        runs.set(sourceId, (runs.get(sourceId) ?? 0) + 1);
        by[who]++;
        await sleep(60);
        running.delete(sourceId);
      };
    await Promise.all([
      a.work('fetch', handler('a'), { concurrency: 3 }),
      b.work('fetch', handler('b'), { concurrency: 3 }),
    ]);
    await eventually(() => (ids.every((id) => runs.has(id)) && running.size === 0 ? true : undefined));
    await sleep(800); // a second run of anything would have started by now
    expect(overlaps).toEqual([]);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(runs.size).toBe(ids.length);
    expect(by.a).toBeGreaterThan(0);
    expect(by.b).toBeGreaterThan(0);
  });

  it('several queues starting at once on an empty database all start (a deploy of several workers)', async () => {
    const queues = await Promise.all([backend.open(), backend.open(), backend.open()]);
    const { id } = await (queues[2] as JobQueue).send('fetch', { sourceId: 1 });
    expect((await (queues[0] as JobQueue).job('fetch', id))?.state).toBe('queued');
  });

  it('survives its connections being cut mid-statement (a server restart): the job is retried and completes', async () => {
    const log = memoryLog();
    const queue = await backend.open({ log });
    const tries: number[] = [];
    let release!: () => void;
    await queue.work('fetch', async (_payload, { attempt }) => {
      tries.push(attempt);
      if (attempt === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const { id } = await queue.send('fetch', { sourceId: 4 });
    await eventually(() => (tries.length === 1 ? true : undefined));
    const admin = new pg.Client({ connectionString: db.url() });
    await admin.connect();
    try {
      // hold the job's row, so that the worker's report of its outcome waits on a checked-out connection
      await admin.query('BEGIN');
      await admin.query(`SELECT 1 FROM ${schemaOf(queue)}.job WHERE id = $1 FOR UPDATE`, [id]);
      release();
      await sleep(300);
      const { rowCount } = await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'newsbrief-jobs' AND datname = current_database()",
      );
      expect(rowCount).toBeGreaterThan(0);
      await admin.query('ROLLBACK');
    } finally {
      await admin.end();
    }
    const done = await eventually(async () => {
      const job = await queue.job('fetch', id);
      return job?.state === 'completed' ? job : undefined;
    }, 15_000);
    expect(done.attempts).toBe(2);
    expect(tries).toEqual([1, 2]);
    expect(log.lines.some((l) => l.includes('could not record a job outcome'))).toBe(true);
  }, 20_000);

  it('a connection cut while checked out between statements is reported, not an uncaught error', async () => {
    const log = memoryLog();
    const schema = `jobs_cut_${process.pid}`;
    const admin = new pg.Client({ connectionString: db.url() });
    await admin.connect();
    try {
      // pg-boss installs its schema under this advisory lock: held here, the queue's start waits inside it,
      // with its start lock's connection checked out and idle
      await admin.query('BEGIN');
      await admin.query(
        "SELECT pg_advisory_xact_lock(('x' || encode(sha224((current_database() || '.pgboss.' || $1)::bytea), 'hex'))::bit(64)::bigint)",
        [schema],
      );
      const queue = new PgBossJobQueue(db.url(), { ...FAST_PG, schema, policies: FAST, log });
      const starting = queue.start();
      starting.catch(() => {});
      await eventually(async () => {
        // (pg_stat_activity is a snapshot per transaction: cleared to see the start's progress)
        const { rows } = await admin.query(
          "SELECT pg_stat_clear_snapshot(), count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'newsbrief-jobs' AND wait_event_type = 'Lock'",
        );
        return rows[0].n > 0 ? true : undefined;
      });
      await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'newsbrief-jobs' AND datname = current_database()",
      );
      await expect(starting).rejects.toThrow();
      await admin.query('ROLLBACK');
    } finally {
      await admin.end();
    }
    expect(log.lines.some((l) => l.includes('connection lost'))).toBe(true);
    // a new start on the same schema works
    const again = new PgBossJobQueue(db.url(), { ...FAST_PG, schema, policies: FAST });
    await again.start();
    expect((await again.send('fetch', { sourceId: 1 })).queued).toBe(true);
    await again.stop();
  });

  it('one key sent from two queues at once is one job', async () => {
    const a = await backend.open();
    const b = await backend.open();
    const sends = Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).send('deliver', { ledgerEntryId: 9 }));
    const results = await Promise.all(sends);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => r.queued)).toHaveLength(1);
    expect(await countJobs(db.url(), schemaOf(a), 'deliver')).toBe(1);
  });

  it('a worker killed with SIGKILL mid-job loses nothing: another takes the job after its expiry and completes it once', async () => {
    const log = memoryLog();
    const queue = await backend.open({ log });
    const { id } = await queue.send('fetch', { sourceId: 11 });
    const child = startWorker(db.url(), schemaOf(queue));
    children.push(child);
    const started = await child.line(/^started /);
    expect(started).toBe(`started ${id} 1`);
    child.process.kill('SIGKILL');
    const killedAt = Date.now();
    expect(await child.exited).toBe('SIGKILL');
    expect((await queue.job('fetch', id))?.state).toBe('running');

    const tries: { attempt: number; at: number }[] = [];
    await queue.work('fetch', async (_payload, { attempt }) => {
      tries.push({ attempt, at: Date.now() });
    });
    const done = await eventually(async () => {
      const job = await queue.job('fetch', id);
      return job?.state === 'completed' ? job : undefined;
    }, 15_000);
    expect(done.attempts).toBe(2);
    await sleep(2500); // longer than an expiry and a poll: a second completion would show
    expect(tries.map((t) => t.attempt)).toEqual([2]);
    expect((await queue.job('fetch', id))?.state).toBe('completed');
    expect(log.lines).toEqual([]);
    figures.push(
      `jobs: a SIGKILLed worker's job was taken again ${(tries[0] as { at: number }).at - killedAt} ms after the kill ` +
        '(expiry 2 s, maintenance every 1 s, first retry after 1–2 s, poll 0.5 s)',
    );
    keepChildOutput(child.stderr());
  }, 30_000);

  it('a worker frozen past its expiry cannot, on waking, record over the try that took its job over', async () => {
    const log = memoryLog();
    const queue = await backend.open({ log });
    const { id } = await queue.send('fetch', { sourceId: 12 });
    const child = startWorker(db.url(), schemaOf(queue));
    children.push(child);
    expect(await child.line(/^started /)).toBe(`started ${id} 1`);
    child.process.kill('SIGSTOP');

    let release!: () => void;
    const tries: number[] = [];
    await queue.work('fetch', async (_payload, { attempt }) => {
      tries.push(attempt);
      if (attempt === 2) await new Promise<void>((resolve) => (release = resolve));
    });
    await eventually(() => (tries.includes(2) ? true : undefined), 15_000);
    // the frozen worker wakes: its try's expiry has long passed, so it gives up and tries to fail the job
    child.process.kill('SIGCONT');
    const warning = await child.errLine(/taken over/);
    expect(warning).toMatch(/"attempt":1/);
    expect((await queue.job('fetch', id))?.state).toBe('running');
    release();
    const done = await eventually(async () => {
      const job = await queue.job('fetch', id);
      return job?.state === 'completed' ? job : undefined;
    });
    expect(done.attempts).toBe(2);
    await sleep(1500);
    expect(tries).toEqual([2]);
    expect(log.lines).toEqual([]);
    keepChildOutput(child.stderr());
  }, 30_000);
});

function schemaOf(queue: JobQueue): string {
  return (queue as unknown as { schema: string }).schema;
}

async function countJobs(url: string, schema: string, kind: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.job WHERE name = $1`, [
      kind,
    ]);
    return Number(rows[0]?.n);
  } finally {
    await client.end();
  }
}

interface Worker {
  process: ChildProcessWithoutNullStreams;
  /** The first stdout (stderr) line matching `pattern`; waits for it, 20 s at most. */
  line(pattern: RegExp): Promise<string>;
  errLine(pattern: RegExp): Promise<string>;
  stderr(): string;
  /** The signal that ended it, or its exit code. */
  exited: Promise<NodeJS.Signals | number | null>;
}

/** test/jobs/workerProcess.ts in a child process, through bin/run-ts.js as the other child-process tests do. */
function startWorker(url: string, schema: string): Worker {
  const child = spawn(process.execPath, ['bin/run-ts.js', 'test/jobs/workerProcess.ts', url, schema], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? code)),
  );
  const waitFor = async (text: () => string, pattern: RegExp) =>
    eventually(() => {
      const found = text()
        .split('\n')
        .find((l) => pattern.test(l));
      if (found) return found;
      if (child.exitCode !== null) throw new Error(`worker exited (${child.exitCode}): ${err}`);
      return undefined;
    }, 20_000).catch((error: Error) => {
      throw new Error(`${error.message}; worker stdout: ${out}; stderr: ${err}`);
    });
  return {
    process: child,
    line: (pattern) => waitFor(() => out, pattern),
    errLine: (pattern) => waitFor(() => err, pattern),
    stderr: () => err,
    exited,
  };
}
