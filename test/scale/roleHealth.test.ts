/**
 * `/healthz` and `/metrics` of processes run apart (issue 17): the real `newsbrief start --role …` on PostgreSQL
 * shows the shared queue's jobs per kind and state, and whether its scheduler leads: the first scheduler does, a
 * second one started beside it waits.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFailed } from 'vitest';
import { PgBossJobQueue } from '../../runtime/jobs/pgBossQueue.ts';
import { TEST_DATABASE_URL } from '../helpers/postgres.ts';
import { freePort, killAll, printStderr, type Running, startService, until } from '../helpers/serviceProcess.ts';
import { useTempDir } from '../helpers/tempDir.ts';
import { useTestDatabase } from '../helpers/testDatabase.ts';

const tempDir = useTempDir();
const clusterUrl = process.env[TEST_DATABASE_URL];

interface Health {
  status: string;
  queue?: { ok: boolean; jobs?: Record<string, Record<string, number>> };
  scheduler?: { leader: boolean | null; lastTickAt: string | null };
}

async function get(port: number, path: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return response.text();
}

/** The process's health once its scheduler has ticked (it reports who leads from its first tick on). */
async function healthAfterATick(port: number): Promise<Health> {
  for (let tries = 0; ; tries++) {
    const health = JSON.parse(await get(port, '/healthz')) as Health;
    if (health.scheduler?.lastTickAt) return health;
    if (tries > 400) throw new Error(`no scheduler tick: ${JSON.stringify(health)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!clusterUrl && !process.env.CI)('the health of processes run apart', () => {
  const testDatabase = useTestDatabase();
  const processes: Running[] = [];
  let queue: PgBossJobQueue | null = null;
  afterAll(async () => {
    await queue?.stop({ graceful: false });
    await killAll(processes);
  });

  it('shows the queue’s jobs per kind and state, and which scheduler leads, on /healthz and /metrics', async () => {
    const database = testDatabase();
    onTestFailed(() => printStderr(processes));
    // jobs due in an hour: queued, and left alone by the worker
    queue = new PgBossJobQueue(database.url);
    await queue.start();
    const later = new Date(Date.now() + 3_600_000);
    for (const ledgerEntryId of [901, 902, 903]) await queue.send('deliver', { ledgerEntryId }, { startAfter: later });
    await queue.send('fetch', { sourceId: 77 }, { startAfter: later });

    const dir = tempDir();
    const configPath = join(dir, 'newsbrief.yaml');
    writeFileSync(configPath, `database: ${JSON.stringify(join(dir, 'unused.db'))}\nlang: en\n`);
    const env = { NEWSBRIEF_DATABASE_URL: database.url };
    const start = async (roles: string) => {
      const port = await freePort();
      const running = startService(['--role', roles, '--config', configPath, '--health-port', String(port)], env);
      processes.push(running);
      await until(`${roles} running`, () => running.logs().find((l) => l.msg === 'running'), 60_000);
      return port;
    };

    const leading = await start('worker,scheduler');
    const first = await healthAfterATick(leading);
    expect(first.status).toBe('ok');
    expect(first.scheduler?.leader).toBe(true);
    expect(first.queue?.ok).toBe(true);
    expect(first.queue?.jobs?.deliver).toEqual({ queued: 3, retrying: 0, active: 0, failed: 0 });
    expect(first.queue?.jobs?.fetch).toEqual({ queued: 1, retrying: 0, active: 0, failed: 0 });
    const metrics = await get(leading, '/metrics');
    expect(metrics).toContain('newsbrief_jobs{kind="deliver",state="queued"} 3');
    expect(metrics).toContain('newsbrief_jobs{kind="fetch",state="queued"} 1');
    expect(metrics).toContain('newsbrief_jobs{kind="deliver",state="failed"} 0');
    expect(metrics).toMatch(/^newsbrief_scheduler_leader 1$/m);

    const waiting = await start('scheduler');
    const second = await healthAfterATick(waiting);
    expect(second.scheduler?.leader).toBe(false);
    expect(second.queue?.jobs?.deliver).toEqual({ queued: 3, retrying: 0, active: 0, failed: 0 });
    expect(await get(waiting, '/metrics')).toMatch(/^newsbrief_scheduler_leader 0$/m);
  }, 120_000);
});
