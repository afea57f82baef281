/**
 * The job queue contract (runtime/jobs/queue.ts), the same on the in-process queue and on pg-boss: one pending
 * job per key, retries with backoff then failure, bad payloads failed for good, expiry, stop.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { awaitJob } from '../../runtime/jobs/awaitJob.ts';
import { JobPayloadError } from '../../runtime/jobs/queue.ts';
import {
  eventually,
  inProcessBackend,
  memoryLog,
  pgBossBackend,
  postgresDatabase,
  type QueueBackend,
  sleep,
} from './backends.ts';

const db = postgresDatabase();
const BACKENDS = [inProcessBackend(), pgBossBackend(db)];

for (const backend of BACKENDS) {
  const suite = backend.unavailable ? describe.skip : describe;
  suite(`${backend.name}${backend.unavailable ? ` (${backend.unavailable})` : ''}`, () => contract(backend));
}

function contract(backend: QueueBackend): void {
  afterEach(() => backend.reset());

  it('queues the same key once while it is pending, and again once it completed', async () => {
    const queue = await backend.open();
    const first = await queue.send('fetch', { sourceId: 7 });
    const again = await queue.send('fetch', { sourceId: 7 });
    const explicit = await queue.send('fetch', { sourceId: 8 }, { key: 'source:7' });
    expect(first.queued).toBe(true);
    expect(again).toEqual({ id: first.id, queued: false });
    expect(explicit).toEqual({ id: first.id, queued: false });
    // other keys, and the other kind, are jobs of their own
    const other = await queue.send('fetch', { sourceId: 9 });
    const deliver = await queue.send('deliver', { destination: 'slack:T1/C1', slot: 'digest:2026-12-02' });
    expect(other.queued && deliver.queued).toBe(true);
    expect(new Set([first.id, other.id, deliver.id]).size).toBe(3);
    expect((await queue.job('fetch', first.id))?.key).toBe('source:7');
    expect((await queue.job('deliver', deliver.id))?.key).toBe('slot:slack:T1/C1:digest:2026-12-02');

    // still one job while it runs
    let release!: () => void;
    const ran: number[] = [];
    await queue.work('fetch', async ({ sourceId }) => {
      ran.push(sourceId);
      if (sourceId === 7) await new Promise<void>((resolve) => (release = resolve));
    });
    await eventually(() => (ran.includes(7) ? true : undefined));
    expect(await queue.send('fetch', { sourceId: 7 })).toEqual({ id: first.id, queued: false });
    release();
    await eventually(async () => ((await queue.job('fetch', first.id))?.state === 'completed' ? true : undefined));
    const next = await queue.send('fetch', { sourceId: 7 });
    expect(next.queued).toBe(true);
    expect(next.id).not.toBe(first.id);
    await eventually(() => (ran.filter((id) => id === 7).length === 2 ? true : undefined));
    expect(ran.filter((id) => id === 7)).toHaveLength(2);
  });

  it('keeps what a handler resolves to as the completed job’s output, for the sender waiting on it', async () => {
    const queue = await backend.open();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await queue.work('addSource', async ({ url, addedBy, backlog }) => {
      await released;
      return { ok: true, url, addedBy, backlog, newest: { title: '삼성 ships', publishedAt: null } };
    });
    await queue.work('fetch', async () => {});
    const payload = { url: 'https://news.example/feed.xml', addedBy: 'slack:T1:C1', backlog: 3 };
    const sent = await queue.send('addSource', payload);
    // the same destination adding the same URL while it runs waits for the same job; another destination does not
    expect(await queue.send('addSource', payload)).toEqual({ id: sent.id, queued: false });
    const other = await queue.send('addSource', { ...payload, addedBy: 'slack:T1:C2' });
    expect(other.queued).toBe(true);
    expect((await queue.job('addSource', sent.id))?.key).toBe('add:slack:T1:C1:https://news.example/feed.xml');

    // the wait ends at its deadline while the job runs, and the job goes on
    expect(await awaitJob(queue, 'addSource', sent.id, { timeoutMs: 300, pollMs: 50 })).toBeNull();
    release();
    const done = await awaitJob(queue, 'addSource', sent.id, { timeoutMs: 10_000, pollMs: 50 });
    expect(done).toMatchObject({ state: 'completed', error: null });
    expect(done?.output).toEqual({ ...payload, ok: true, newest: { title: '삼성 ships', publishedAt: null } });
    // a handler that leaves nothing leaves no output
    const fetched = await queue.send('fetch', { sourceId: 11 });
    expect(await awaitJob(queue, 'fetch', fetched.id, { timeoutMs: 10_000, pollMs: 50 })).toMatchObject({
      state: 'completed',
      output: null,
    });
  }, 20_000);

  it('refuses a bad payload on send with a clear error', async () => {
    const queue = await backend.open();
    await expect(queue.send('fetch', { sourceId: -1 })).rejects.toThrow(JobPayloadError);
    await expect(queue.send('fetch', { sourceId: 'x' } as never)).rejects.toThrow(/bad fetch payload.*sourceId/);
    await expect(queue.send('deliver', { ledgerEntryId: 1, slot: 'x' } as never)).rejects.toThrow(/bad deliver/);
    await expect(queue.send('addSource', { url: 'https://a.example/', addedBy: '', backlog: 0 })).rejects.toThrow(
      /bad addSource payload.*addedBy/,
    );
  });

  it('retries a handler that throws, with backoff, and fails the job after its attempts', async () => {
    const queue = await backend.open({
      policies: { deliver: { attempts: 3, backoffSeconds: 1, expireSeconds: 5 } },
    });
    const tries: { attempt: number; at: number }[] = [];
    await queue.work('deliver', async (_payload, { attempt }) => {
      tries.push({ attempt, at: Date.now() });
      throw new Error(`platform down (try ${attempt})`);
    });
    const { id } = await queue.send('deliver', { ledgerEntryId: 42 });
    const failed = await eventually(async () => {
      const job = await queue.job('deliver', id);
      return job?.state === 'failed' ? job : undefined;
    }, 15_000);
    expect(failed).toMatchObject({ attempts: 3, error: 'platform down (try 3)', key: 'ledger:42' });
    expect(tries.map((t) => t.attempt)).toEqual([1, 2, 3]);
    // retry n waits between 1·2^(n-1) and 1·2^n seconds (plus polling)
    const [a, b, c] = tries.map((t) => t.at) as [number, number, number];
    expect(b - a).toBeGreaterThanOrEqual(950);
    expect(c - b).toBeGreaterThanOrEqual(1950);
    expect(c - b).toBeLessThan(8000);
    // no fourth try
    await sleep(1500);
    expect(tries).toHaveLength(3);
    // a failed job no longer holds its key
    expect((await queue.send('deliver', { ledgerEntryId: 42 })).queued).toBe(true);
  }, 20_000);

  it('fails a bad payload for good with a clear error, and goes on with the next job', async () => {
    const log = memoryLog();
    const queue = await backend.open({ log });
    const done: number[] = [];
    await queue.work('fetch', async ({ sourceId }) => {
      done.push(sourceId);
    });
    const bad = [
      await backend.injectUnchecked('fetch', { sourceId: "1'; DROP TABLE articles; --" }),
      await backend.injectUnchecked('fetch', { sourceId: 1, extra: true }),
      await backend.injectUnchecked('fetch', {}),
      await backend.injectUnchecked('fetch', [1, 2]),
      await backend.injectUnchecked('fetch', null),
    ];
    const good = await queue.send('fetch', { sourceId: 5 });
    await eventually(async () => ((await queue.job('fetch', good.id))?.state === 'completed' ? true : undefined));
    expect(done).toEqual([5]);
    for (const id of bad) {
      const job = await eventually(async () => {
        const j = await queue.job('fetch', id);
        return j?.state === 'failed' ? j : undefined;
      });
      // one try only: a payload that does not fit now never will
      expect(job.attempts).toBe(1);
      expect(job.error).toMatch(/^bad fetch payload: /);
    }
    expect((await queue.job('fetch', bad[0] as string))?.error).toMatch(/sourceId/);
    expect((await queue.job('fetch', bad[1] as string))?.error).toMatch(/extra/);
    expect(log.lines.filter((l) => l.includes('bad payload'))).toHaveLength(5);
  }, 15_000);

  it('gives up on a try that runs past its expiry: aborts its signal and retries the job', async () => {
    const queue = await backend.open({ policies: { fetch: { attempts: 2, backoffSeconds: 1, expireSeconds: 1 } } });
    const seen: { attempt: number; aborted: boolean }[] = [];
    await queue.work('fetch', async (_payload, { attempt, signal }) => {
      const entry = { attempt, aborted: false };
      seen.push(entry);
      if (attempt === 1) {
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        entry.aborted = true;
        await sleep(60_000); // ignores the abort: nothing it does now is recorded
      }
    });
    const { id } = await queue.send('fetch', { sourceId: 3 });
    await eventually(async () => ((await queue.job('fetch', id))?.state === 'completed' ? true : undefined), 10_000);
    expect(seen).toEqual([
      { attempt: 1, aborted: true },
      { attempt: 2, aborted: false },
    ]);
    expect((await queue.job('fetch', id))?.attempts).toBe(2);
  }, 15_000);

  it('stop waits for running jobs, and takes no new ones', async () => {
    const queue = await backend.open();
    let release!: () => void;
    const started: number[] = [];
    const finished: number[] = [];
    await queue.work(
      'fetch',
      async ({ sourceId }) => {
        started.push(sourceId);
        await new Promise<void>((resolve) => (release = resolve));
        finished.push(sourceId);
      },
      { concurrency: 1 },
    );
    const a = await queue.send('fetch', { sourceId: 1 });
    await queue.send('fetch', { sourceId: 2 });
    await eventually(() => (started.length === 1 ? true : undefined));
    let stopped = false;
    const stopping = queue.stop({ graceful: true, timeoutMs: 10_000 }).then(() => {
      stopped = true;
    });
    await sleep(700);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(finished).toEqual([1]);
    expect(started).toEqual([1]);
    // what it finished is recorded (on PostgreSQL: a second queue on the same schema sees it)
    const again = await backend.open();
    expect((await again.job('fetch', a.id))?.state).toBe('completed');
  }, 15_000);

  it('a graceful stop that times out fails the running job, to be retried, and aborts its signal', async () => {
    const queue = await backend.open();
    let aborted = false;
    let started = false;
    await queue.work('fetch', async (_payload, { signal }) => {
      started = true;
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      aborted = true;
    });
    const { id } = await queue.send('fetch', { sourceId: 1 });
    await eventually(() => (started ? true : undefined));
    const t0 = Date.now();
    await queue.stop({ graceful: true, timeoutMs: 300 });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(aborted).toBe(true);
    const again = await backend.open();
    expect(await again.job('fetch', id)).toMatchObject({
      state: 'retry',
      attempts: 1,
      error: 'the worker stopped before the job finished',
    });
  });
}
