/**
 * The job queue over PostgreSQL: pg-boss 10 (the last major for Node 20; 11+ needs Node 22), its tables in a
 * schema of their own (`newsbrief_jobs` by default), beside the store's tables and migrations, which it never
 * touches.
 *
 * What is pg-boss's, and what is ours:
 * - pg-boss: the schema and its migrations, queues with retry/backoff/expiry settings, `send`, `fetch` (FOR UPDATE
 *   SKIP LOCKED: two workers never take the same job), `complete`/`fail` with its retry and backoff rules, and the
 *   maintenance that fails a job still active past its expiry (a killed worker's), so another worker retries it.
 * - ours (the worker loop in workerPool.ts, instead of pg-boss's `work`): pg-boss 10's `work` does not await its
 *   `complete`/`fail` calls (a lost connection at that moment is an unhandled rejection, which ends the process)
 *   and has no way to fail one job for good; ours awaits them and logs.
 * - ours, three statements on pg-boss's job table (a pinned version: an upgrade must recheck them):
 *   1. `send` looks for a pending job of the same kind and key under an advisory lock, so one key is one job while
 *      it is queued, running or waiting to retry. pg-boss 10's own key policies do not cover that span (`short`:
 *      queued only; `singleton`: running only), and `stately`, the nearest, blocks a whole queue's fetching once
 *      two jobs of one key would both be due (pg-boss issues #535 and #492).
 *   2. settling a try first locks the job and checks it is still this try's (active, same retry count), so a try
 *      that outlived its expiry cannot complete the retry another worker is running.
 *   3. a bad payload's job gets its retry limit set to its retry count before `fail`, so it fails for good.
 *   4. `counts` reads every kind's jobs by state in one statement: pg-boss 10's `getQueueSize` counts only the jobs
 *      below a state, one kind a call, so it can neither count failed jobs nor answer a health probe in one trip.
 */
import pg from 'pg';
import PgBoss from 'pg-boss';
import {
  checkPolicy,
  DEFAULT_POLICIES,
  defaultJobKey,
  JOB_KINDS,
  type JobCounts,
  type JobHandler,
  type JobKind,
  type JobLog,
  type JobOutput,
  type JobPayload,
  type JobQueue,
  type JobRecord,
  type JobState,
  parsePayload,
  type RetryPolicy,
  type SendOptions,
  type SendResult,
  SILENT_LOG,
  type StopOptions,
  type WorkOptions,
  zeroJobCounts,
} from './queue.ts';
import { type ClaimedJob, describeError, type FailureReport, type JobBackend, WorkerPool } from './workerPool.ts';

export interface PgBossQueueOptions {
  /** The schema pg-boss's tables live in; default `newsbrief_jobs`. Letters, digits and `_` only. */
  schema?: string;
  /** Per kind: attempts, backoff and expiry (default DEFAULT_POLICIES). Applies to jobs sent after `start`. */
  policies?: Partial<Record<JobKind, RetryPolicy>>;
  /** How often an idle worker looks for jobs, in seconds; default 2, at least 0.5 (pg-boss's minimum). */
  pollIntervalSeconds?: number;
  /**
   * How often expired jobs are failed (and so retried), in seconds; default 30, at least 1. One process of all that
   * share the schema does it each interval.
   */
  maintenanceIntervalSeconds?: number;
  /**
   * Seconds a completed or failed job stays in the live job table before pg-boss moves it to its archive (where
   * `job()` still finds it, for 7 days); default 3600. Short keeps `send`'s look-up for a pending key cheap.
   */
  archiveAfterSeconds?: number;
  /** Connections of this queue's pool; default 4, at least 2 (a worker holds one only while it takes or settles a job). */
  maxConnections?: number;
  log?: JobLog;
}

const PG_STATE: Record<string, JobState> = {
  created: 'queued',
  retry: 'retry',
  active: 'running',
  completed: 'completed',
  cancelled: 'cancelled',
  failed: 'failed',
};

/** pg-boss's job states `counts` reads, as the fields they are counted in. */
const COUNTED_STATE: Record<string, keyof JobCounts> = {
  created: 'queued',
  retry: 'retrying',
  active: 'active',
  failed: 'failed',
};

type Db = PgBoss.Db;

export class PgBossJobQueue implements JobQueue, JobBackend {
  private readonly schema: string;
  private readonly policies: Record<JobKind, RetryPolicy>;
  private readonly log: JobLog;
  private readonly pool: pg.Pool;
  private readonly boss: PgBoss;
  private readonly workers: WorkerPool;
  private state: 'new' | 'starting' | 'started' | 'stopped' = 'new';
  private stopping: Promise<void> | null = null;

  constructor(url: string, options: PgBossQueueOptions = {}) {
    this.schema = options.schema ?? 'newsbrief_jobs';
    if (!/^[a-z_][a-z0-9_]{0,49}$/.test(this.schema)) throw new Error(`bad job queue schema name: ${this.schema}`);
    this.policies = { ...DEFAULT_POLICIES, ...options.policies };
    for (const kind of JOB_KINDS) checkPolicy(kind, this.policies[kind]);
    this.log = options.log ?? SILENT_LOG;
    const pollIntervalSeconds = options.pollIntervalSeconds ?? 2;
    if (!(pollIntervalSeconds >= 0.5)) throw new RangeError('pollIntervalSeconds must be at least 0.5');
    this.pool = new pg.Pool({
      connectionString: url,
      max: Math.max(2, options.maxConnections ?? 4),
      application_name: 'newsbrief-jobs',
    });
    // Without a listener an idle connection's error (the server restarted) would end the process.
    this.pool.on('error', (error) => this.log.warn({ err: describeError(error) }, 'job queue: idle connection lost'));
    this.boss = new PgBoss({
      db: { executeSql: (text, values) => this.execute(text, values) },
      schema: this.schema,
      migrate: true,
      supervise: true,
      schedule: false,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 30,
      archiveCompletedAfterSeconds: options.archiveAfterSeconds ?? 3600,
    });
    // An EventEmitter's 'error' with no listener throws: report it instead (maintenance that failed, say).
    this.boss.on('error', (error) => this.log.error({ err: describeError(error) }, 'job queue: pg-boss error'));
    this.workers = new WorkerPool(this, this.log, pollIntervalSeconds * 1000);
  }

  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error(`the job queue cannot start: it is ${this.state}`);
    this.state = 'starting';
    try {
      // Several workers deployed at once would race pg-boss's schema install and its queue creation (each queue
      // is a partition attached to one table: concurrent creations deadlock). One starts at a time, under a
      // session lock held on a connection of its own (released with it, should the process die).
      await this.withSessionLock(`${this.schema}:start`, async () => {
        await this.boss.start();
        for (const kind of JOB_KINDS) {
          const p = this.policies[kind];
          const settings = {
            policy: 'standard' as const,
            retryLimit: p.attempts - 1,
            retryDelay: p.backoffSeconds,
            retryBackoff: true,
            expireInSeconds: p.expireSeconds,
          };
          await this.boss.createQueue(kind, { name: kind, ...settings });
          // createQueue leaves an existing queue as it was: this applies changed settings to new jobs.
          await this.boss.updateQueue(kind, { name: kind, ...settings });
        }
      });
      this.state = 'started';
    } catch (error) {
      this.state = 'stopped';
      await this.boss.stop({ graceful: false, close: false }).catch(() => {});
      await this.pool.end().catch(() => {});
      throw error;
    }
  }

  stop(options: StopOptions = {}): Promise<void> {
    if (!this.stopping) this.stopping = this.shutDown(options);
    return this.stopping;
  }

  private async shutDown(options: StopOptions): Promise<void> {
    const wasStarted = this.state === 'started';
    this.state = 'stopped';
    if (!wasStarted) {
      await this.pool.end().catch(() => {});
      return;
    }
    await this.workers.stop(options);
    await this.boss.stop({ graceful: false, close: false, wait: true });
    await this.pool.end();
  }

  async send<K extends JobKind>(kind: K, payload: JobPayload<K>, options: SendOptions = {}): Promise<SendResult> {
    this.assertStarted();
    const data = parsePayload(kind, payload);
    const key = options.key ?? defaultJobKey(kind, data);
    const result = await this.transaction(async (client, db) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${this.schema}:${kind}:${key}`]);
      const pending = await client.query<{ id: string }>(
        `SELECT id FROM ${this.schema}.job WHERE name = $1 AND singleton_key = $2 AND state < 'completed' LIMIT 1`,
        [kind, key],
      );
      const existing = pending.rows[0]?.id;
      if (existing) return { id: existing, queued: false };
      const id = await this.boss.send(kind, data as object, {
        singletonKey: key,
        ...(options.startAfter ? { startAfter: options.startAfter } : {}),
        db,
      });
      if (!id) throw new Error(`pg-boss did not queue the ${kind} job (is the queue created?)`);
      return { id, queued: true };
    });
    if (result.queued) this.workers.wake(kind);
    return result;
  }

  async work<K extends JobKind>(kind: K, handler: JobHandler<K>, options: WorkOptions = {}): Promise<void> {
    this.assertStarted();
    this.workers.work(kind, handler, options.concurrency ?? 1);
  }

  async job(kind: JobKind, id: string): Promise<JobRecord | null> {
    this.assertStarted();
    const job = await this.boss.getJobById<unknown>(kind, id, { includeArchive: true });
    if (!job) return null;
    const output = job.output as (JobOutput & { message?: unknown }) | null;
    const state = PG_STATE[job.state] ?? 'failed';
    return {
      id: job.id,
      kind,
      key: job.singletonKey,
      state,
      attempts: job.retryCount + (job.startedOn ? 1 : 0),
      error: (state === 'failed' || state === 'retry') && typeof output?.message === 'string' ? output.message : null,
      // the {} `complete` stores for a handler that left nothing (workerPool.ts keeps no empty output)
      output: state === 'completed' && output && Object.keys(output).length > 0 ? output : null,
    };
  }

  async counts(): Promise<Record<JobKind, JobCounts>> {
    this.assertStarted();
    const { rows } = await this.withClient((client) =>
      client.query<{ name: string; state: string; count: number }>(
        `SELECT name, state::text AS state, count(*)::int AS count FROM ${this.schema}.job
         WHERE state IN ('created', 'retry', 'active', 'failed') GROUP BY name, state`,
      ),
    );
    const counts = zeroJobCounts();
    for (const { name, state, count } of rows) {
      const field = COUNTED_STATE[state];
      if (field && Object.hasOwn(counts, name)) counts[name as JobKind][field] = count;
    }
    return counts;
  }

  // JobBackend: what the worker pool calls.

  async claim(kind: JobKind): Promise<ClaimedJob | null> {
    if (this.workers.isStopping) return null;
    const [job] = await this.boss.fetch<unknown>(kind, { batchSize: 1, includeMetadata: true });
    if (!job) return null;
    return {
      id: job.id,
      kind,
      key: job.singletonKey ?? '',
      data: job.data,
      attempt: job.retryCount + 1,
      expireSeconds: Number(job.expireInSeconds),
      token: job.retryCount,
    };
  }

  complete(job: ClaimedJob, output: JobOutput | null): Promise<boolean> {
    return this.settle(job, async (_client, db) => {
      await this.boss.complete(job.kind, job.id, output ?? {}, { db });
    });
  }

  fail(job: ClaimedJob, failure: FailureReport, final: boolean): Promise<boolean> {
    return this.settle(job, async (client, db) => {
      if (final) {
        await client.query(`UPDATE ${this.schema}.job SET retry_limit = retry_count WHERE name = $1 AND id = $2`, [
          job.kind,
          job.id,
        ]);
      }
      await this.boss.fail(job.kind, job.id, { ...failure }, { db });
    });
  }

  /** Runs `action` on the job only while it is still the try the worker took (see the header, 2). */
  private settle(job: ClaimedJob, action: (client: pg.PoolClient, db: Db) => Promise<void>): Promise<boolean> {
    return this.transaction(async (client, db) => {
      const mine = await client.query(
        `SELECT 1 FROM ${this.schema}.job WHERE name = $1 AND id = $2 AND state = 'active' AND retry_count = $3 FOR UPDATE`,
        [job.kind, job.id, job.token],
      );
      if (mine.rowCount !== 1) return false;
      await action(client, db);
      return true;
    });
  }

  private async transaction<T>(body: (client: pg.PoolClient, db: Db) => Promise<T>): Promise<T> {
    return this.withClient(async (client) => {
      const db: Db = { executeSql: (text, values) => client.query(text, values) };
      await client.query('BEGIN');
      const result = await body(client, db);
      await client.query('COMMIT');
      return result;
    });
  }

  private async withSessionLock<T>(name: string, body: () => Promise<T>): Promise<T> {
    return this.withClient(async (client) => {
      await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [name]);
      try {
        return await body();
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [name]);
      }
    });
  }

  /**
   * pg-boss's statements. Some are several statements in one string (`BEGIN; …; COMMIT`): one that fails midway
   * would leave its connection inside an aborted transaction, so `withClient` rolls it back before it returns to
   * the pool.
   */
  private execute(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> {
    return this.withClient((client) => client.query(text, values));
  }

  /**
   * A connection of the pool for `body`. The pool listens for a connection's errors only while it is idle: one
   * lost while checked out (the server restarted) would be an uncaught 'error' event, so it is listened to here.
   * After a failure the connection is rolled back, or dropped when even that fails.
   */
  private async withClient<T>(body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let lost: Error | undefined;
    const onError = (error: Error) => {
      lost = error;
      this.log.warn({ err: describeError(error) }, 'job queue: connection lost');
    };
    client.on('error', onError);
    try {
      return await body(client);
    } catch (error) {
      if (!lost) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          lost = rollbackError;
        });
      }
      throw error;
    } finally {
      client.off('error', onError);
      client.release(lost ?? false);
    }
  }

  private assertStarted(): void {
    if (this.state !== 'started') throw new Error(`the job queue is ${this.state}, not started`);
  }
}
