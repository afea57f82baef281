/** Feeds and saved files: their identity, who added them in chat, and their fetch state. */
import { expect, it } from 'vitest';
import type { SourceRecord } from '../../../storage/repositories.ts';
import { describeBackends, postgresBackend, sqliteBackend } from './backends.ts';

const BACKENDS = [sqliteBackend(), postgresBackend()];

const FEED: SourceRecord = {
  key: 'https://wire.example/rss',
  name: '한빛통신',
  kind: 'feed',
  url: 'https://wire.example/rss',
};

describeBackends(BACKENDS, (backend) => {
  it('creates a source once per key and updates its name and URL', async () => {
    const a = await backend.open();
    const b = await backend.open();
    const id = await a.sources.upsert(FEED);
    expect(await b.sources.upsert({ ...FEED, name: '한빛통신 IT', url: 'https://wire.example/rss?it' })).toBe(id);
    const other = await a.sources.upsert({ key: 'file:sample', name: 'Sample', kind: 'text', url: null });
    expect(other).not.toBe(id);
    expect(await a.sources.get(id)).toEqual({
      id,
      key: FEED.key,
      name: '한빛통신 IT',
      kind: 'feed',
      url: 'https://wire.example/rss?it',
      lastSuccessAt: null,
      consecutiveFailures: 0,
      lastError: null,
      etag: null,
      lastModified: null,
      lastAttemptAt: null,
      nextFetchAt: null,
      pollIntervalSeconds: null,
      addedBy: null,
      removedAt: null,
      failingSince: null,
    });
    expect((await a.sources.findByKey('file:sample'))?.id).toBe(other);
    expect(await a.sources.findByKey('file:nothing')).toBeNull();
    expect(await a.sources.get(other + id + 100)).toBeNull();
    expect((await b.sources.list()).map((s) => s.id)).toEqual([id, other]);
  });

  it('keeps who added a source in chat until it is removed', async () => {
    const clock = { now: () => '2026-12-01T00:00:00.000Z' };
    const { sources } = await backend.open(clock);
    const id = await sources.upsert(FEED);
    const config = await sources.upsert({ ...FEED, key: 'https://other.example/feed' });
    expect(await sources.addedInChat()).toEqual([]);
    await sources.setAddedBy(id, 'slack:T1:C1');
    expect((await sources.addedInChat()).map((s) => [s.id, s.addedBy, s.removedAt])).toEqual([
      [id, 'slack:T1:C1', null],
    ]);
    await sources.setAddedBy(id, null);
    expect(await sources.addedInChat()).toEqual([]);
    expect(await sources.get(id)).toMatchObject({ addedBy: null, removedAt: '2026-12-01T00:00:00.000Z' });
    await sources.setAddedBy(id, 'slack:T1:C2');
    expect(await sources.get(id)).toMatchObject({ addedBy: 'slack:T1:C2', removedAt: null });
    expect((await sources.get(config))?.addedBy).toBeNull();
  });

  it('counts failures from when they began, and forgets them at the next success', async () => {
    const { sources } = await backend.open();
    const id = await sources.upsert(FEED);
    await sources.recordFailure(id, '2026-12-01T00:00:00.000Z', 'ECONNRESET', '2026-12-01T00:05:00.000Z');
    await sources.recordFailure(id, '2026-12-01T00:05:00.000Z', `HTTP 503 ${'x'.repeat(2000)}`);
    const failing = await sources.get(id);
    expect(failing).toMatchObject({
      consecutiveFailures: 2,
      lastAttemptAt: '2026-12-01T00:05:00.000Z',
      failingSince: '2026-12-01T00:00:00.000Z',
      // not given: the backoff chosen before stays
      nextFetchAt: '2026-12-01T00:05:00.000Z',
      lastSuccessAt: null,
    });
    expect(failing?.lastError).toHaveLength(1000);
    await sources.recordFailure(id, '2026-12-01T00:10:00.000Z', 'timeout', null);
    expect(await sources.get(id)).toMatchObject({ nextFetchAt: null, lastError: 'timeout', consecutiveFailures: 3 });
    await sources.recordSuccess(id, '2026-12-01T00:20:00.000Z');
    expect(await sources.get(id)).toMatchObject({
      consecutiveFailures: 0,
      lastError: null,
      failingSince: null,
      lastSuccessAt: '2026-12-01T00:20:00.000Z',
      lastAttemptAt: '2026-12-01T00:20:00.000Z',
      nextFetchAt: null,
    });
  });

  it('keeps the validators of the last full response, and those a 304 does not repeat', async () => {
    const { sources } = await backend.open();
    const id = await sources.upsert(FEED);
    await sources.recordSuccess(id, '2026-12-01T00:00:00.000Z', {
      etag: '"v1"',
      lastModified: 'Tue, 01 Dec 2026 00:00:00 GMT',
      nextFetchAt: '2026-12-01T00:30:00.000Z',
      pollIntervalSeconds: 1800,
    });
    await sources.recordSuccess(id, '2026-12-01T00:30:00.000Z', { nextFetchAt: '2026-12-01T01:00:00.000Z' });
    expect(await sources.get(id)).toMatchObject({
      etag: '"v1"',
      lastModified: 'Tue, 01 Dec 2026 00:00:00 GMT',
      nextFetchAt: '2026-12-01T01:00:00.000Z',
      pollIntervalSeconds: 1800,
    });
    await sources.recordSuccess(id, '2026-12-01T01:00:00.000Z', {
      etag: null,
      nextFetchAt: '2026-12-01T01:10:00.000Z',
      pollIntervalSeconds: null,
    });
    expect(await sources.get(id)).toMatchObject({
      etag: null,
      lastModified: 'Tue, 01 Dec 2026 00:00:00 GMT',
      pollIntervalSeconds: null,
    });
  });

  it('gives two stores upserting the same new source at once the one id', async () => {
    const a = await backend.open();
    const b = await backend.open();
    const ids = await Promise.all([a.sources.upsert(FEED), b.sources.upsert(FEED), a.sources.upsert(FEED)]);
    expect(new Set(ids).size).toBe(1);
    expect((await b.sources.list()).map((s) => [s.id, s.key])).toEqual([[ids[0], FEED.key]]);
  });

  it('keeps the next fetch time and validators through a success that brings no fetch', async () => {
    const { sources } = await backend.open();
    const id = await sources.upsert(FEED);
    await sources.recordSuccess(id, '2026-12-01T00:00:00.000Z', {
      etag: '"v1"',
      lastModified: null,
      nextFetchAt: '2026-12-01T00:30:00.000Z',
      pollIntervalSeconds: 600,
    });
    await sources.recordFailure(id, '2026-12-01T00:30:00.000Z', 'ECONNRESET');
    expect(await sources.get(id)).toMatchObject({ nextFetchAt: '2026-12-01T00:30:00.000Z', consecutiveFailures: 1 });
    await sources.recordSuccess(id, '2026-12-01T00:40:00.000Z');
    expect(await sources.get(id)).toMatchObject({
      etag: '"v1"',
      lastModified: null,
      nextFetchAt: '2026-12-01T00:30:00.000Z',
      pollIntervalSeconds: 600,
      consecutiveFailures: 0,
      lastSuccessAt: '2026-12-01T00:40:00.000Z',
    });
    // a source that is not stored: nothing happens, nothing throws
    await sources.recordSuccess(id + 100, '2026-12-01T00:40:00.000Z');
    await sources.recordFailure(id + 100, '2026-12-01T00:40:00.000Z', 'gone');
    expect(await sources.list()).toHaveLength(1);
  });
});
