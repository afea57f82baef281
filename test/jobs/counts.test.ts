/**
 * `JobQueue.counts` (what `/healthz` and `/metrics` show of the queue), the same on the in-process queue and on
 * pg-boss: jobs waiting, waiting to retry, running and failed for good, per kind.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { JOB_KINDS } from '../../runtime/jobs/queue.ts';
import { eventually, inProcessBackend, pgBossBackend, postgresDatabase, type QueueBackend } from './backends.ts';

const db = postgresDatabase();
const BACKENDS = [inProcessBackend(), pgBossBackend(db)];

for (const backend of BACKENDS) {
  const suite = backend.unavailable ? describe.skip : describe;
  suite(`${backend.name}${backend.unavailable ? ` (${backend.unavailable})` : ''}`, () => counts(backend));
}

function counts(backend: QueueBackend): void {
  afterEach(() => backend.reset());

  it('counts each kind’s jobs queued, waiting to retry, running and failed for good', async () => {
    const queue = await backend.open({
      policies: {
        // a failed fetch waits a minute or more for its retry; a failed delivery is failed for good
        fetch: { attempts: 2, backoffSeconds: 60, expireSeconds: 60 },
        deliver: { attempts: 1, backoffSeconds: 1, expireSeconds: 60 },
      },
    });
    expect(await queue.counts()).toEqual(
      Object.fromEntries(JOB_KINDS.map((kind) => [kind, { queued: 0, retrying: 0, active: 0, failed: 0 }])),
    );
    const running = await queue.send('fetch', { sourceId: 1 });
    const retrying = await queue.send('fetch', { sourceId: 2 });
    await queue.send('fetch', { sourceId: 3 }, { startAfter: new Date(Date.now() + 3_600_000) });
    await queue.send('fetch', { sourceId: 4 }, { startAfter: new Date(Date.now() + 3_600_000) });
    const failed = await queue.send('deliver', { ledgerEntryId: 5 });

    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await queue.work(
      'fetch',
      async ({ sourceId }) => {
        if (sourceId === 1) await held;
        else throw new Error('the store was away');
      },
      { concurrency: 2 },
    );
    await queue.work('deliver', async () => {
      throw new Error('the platform said no');
    });
    const states = async () =>
      [
        (await queue.job('fetch', running.id))?.state,
        (await queue.job('fetch', retrying.id))?.state,
        (await queue.job('deliver', failed.id))?.state,
      ].join(' ');
    await eventually(async () => ((await states()) === 'running retry failed' ? true : undefined));

    const counted = await queue.counts();
    expect(counted.fetch).toEqual({ queued: 2, retrying: 1, active: 1, failed: 0 });
    expect(counted.deliver).toEqual({ queued: 0, retrying: 0, active: 0, failed: 1 });
    for (const kind of JOB_KINDS.filter((k) => k !== 'fetch' && k !== 'deliver')) {
      expect(counted[kind]).toEqual({ queued: 0, retrying: 0, active: 0, failed: 0 });
    }
    release();
    await eventually(async () => ((await queue.job('fetch', running.id))?.state === 'completed' ? true : undefined));
    expect((await queue.counts()).fetch).toEqual({ queued: 2, retrying: 1, active: 0, failed: 0 });
  });
}
