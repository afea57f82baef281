/**
 * The job queues the tests run on: the in-process one, and pg-boss on a throwaway PostgreSQL database.
 *
 * PostgreSQL comes from the run's cluster (NEWSBRIEF_TEST_DATABASE_URL, set by `.ci/run` or by the suite's
 * globalSetup). A run of these files alone (`npx vitest run test/jobs`) may have none, since the globalSetup
 * starts a cluster only for the storage tests it names: then this file starts a throwaway cluster of its own when
 * the server is installed. With neither, the PostgreSQL tests are skipped, except under CI, where they fail.
 */
import PgBoss from 'pg-boss';
import { afterAll, beforeAll } from 'vitest';
import { InProcessJobQueue } from '../../runtime/jobs/inProcessQueue.ts';
import { PgBossJobQueue, type PgBossQueueOptions } from '../../runtime/jobs/pgBossQueue.ts';
import type { JobKind, JobLog, JobQueue, RetryPolicy } from '../../runtime/jobs/queue.ts';
import {
  type Cluster,
  createTestDatabase,
  serverBinaries,
  startCluster,
  TEST_DATABASE_URL,
  type TestDatabase,
} from '../helpers/postgres.ts';

export const FAST: Record<JobKind, RetryPolicy> = {
  fetch: { attempts: 3, backoffSeconds: 1, expireSeconds: 2 },
  deliver: { attempts: 3, backoffSeconds: 1, expireSeconds: 2 },
  addSource: { attempts: 3, backoffSeconds: 1, expireSeconds: 2 },
};

/** A log the tests read: every warning and error, as lines. */
export function memoryLog(): JobLog & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    warn: (fields, message) => lines.push(`warn ${message} ${JSON.stringify(fields)}`),
    error: (fields, message) => lines.push(`error ${message} ${JSON.stringify(fields)}`),
  };
}

export interface QueueBackend {
  name: string;
  /** Why it cannot run here (its tests are then skipped), or null. */
  unavailable: string | null;
  /** A started queue; within a test, every call shares one queue store (one schema on PostgreSQL). */
  open(options?: { policies?: Partial<Record<JobKind, RetryPolicy>>; log?: JobLog }): Promise<JobQueue>;
  /** Puts a job with any data in the current test's queue, bypassing `send`'s check. */
  injectUnchecked(kind: JobKind, data: unknown): Promise<string>;
  /** Stops every queue opened in the test; the next test starts from an empty queue store. */
  reset(): Promise<void>;
}

export function inProcessBackend(): QueueBackend {
  let queue: InProcessJobQueue | null = null;
  return {
    name: 'in-process',
    unavailable: null,
    async open(options = {}) {
      // one process: one queue (a second `open` in a test is the same queue)
      if (!queue) {
        queue = new InProcessJobQueue({
          policies: { ...FAST, ...options.policies },
          ...(options.log ? { log: options.log } : {}),
        });
        await queue.start();
      }
      return queue;
    },
    async injectUnchecked(kind, data) {
      if (!queue) throw new Error('open the queue first');
      return queue.injectUnchecked(kind, data);
    },
    async reset() {
      await queue?.stop({ graceful: false });
      queue = null;
    },
  };
}

const bin = process.env[TEST_DATABASE_URL] ? null : serverBinaries();

/** Why PostgreSQL tests cannot run here, or null (under CI never: they fail instead). */
export const POSTGRES_UNAVAILABLE =
  process.env[TEST_DATABASE_URL] || bin || process.env.CI
    ? null
    : `no PostgreSQL for the tests (${TEST_DATABASE_URL} is not set and no server is installed)`;

/**
 * A database of this test file's own (dropped after the file). Call at the top of a test file; `url()` is valid
 * in tests.
 */
export function postgresDatabase(): { url(): string } {
  let cluster: Cluster | null = null;
  let database: TestDatabase | null = null;
  beforeAll(async () => {
    if (POSTGRES_UNAVAILABLE) return;
    let clusterUrl = process.env[TEST_DATABASE_URL];
    if (!clusterUrl) {
      if (!bin) throw new Error(`${TEST_DATABASE_URL} is not set and no PostgreSQL server is installed`);
      cluster = await startCluster(bin);
      clusterUrl = cluster.url;
    }
    database = await createTestDatabase(clusterUrl);
  }, 60_000);
  afterAll(async () => {
    await database?.drop();
    cluster?.stop();
  });
  return {
    url() {
      if (!database) throw new Error('no test database (PostgreSQL unavailable)');
      return database.url;
    },
  };
}

let schemas = 0;

/** Settings that keep the tests short: pg-boss 10's minimums (poll 0.5 s, maintenance 1 s). */
export const FAST_PG: PgBossQueueOptions = { pollIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1 };

export function pgBossBackend(db: { url(): string }): QueueBackend {
  let schema = '';
  const queues: PgBossJobQueue[] = [];
  return {
    name: 'pg-boss',
    unavailable: POSTGRES_UNAVAILABLE,
    async open(options = {}) {
      schema ||= `jobs_${process.pid}_${++schemas}`;
      const queue = new PgBossJobQueue(db.url(), {
        ...FAST_PG,
        schema,
        policies: { ...FAST, ...options.policies },
        ...(options.log ? { log: options.log } : {}),
      });
      await queue.start();
      queues.push(queue);
      return queue;
    },
    async injectUnchecked(kind, data) {
      const boss = new PgBoss({
        connectionString: db.url(),
        schema,
        supervise: false,
        schedule: false,
        migrate: false,
      });
      boss.on('error', () => {});
      await boss.start();
      try {
        // as JSON text: pg would turn a JS array into a PostgreSQL array literal
        const json = JSON.stringify(data) as unknown as object;
        const id = await boss.send(kind, json, { singletonKey: `unchecked:${Math.random()}` });
        if (!id) throw new Error('not queued');
        return id;
      } finally {
        await boss.stop({ graceful: false });
      }
    },
    async reset() {
      await Promise.all(queues.splice(0).map((q) => q.stop({ graceful: false })));
      schema = '';
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await sleep(50);
  }
}
