/** Leases: one holder at a time (the digest scheduler), renewed while it runs, taken over when it stopped. */
import { expect, it } from 'vitest';
import { describeBackends, postgresBackend, sqliteBackend } from './backends.ts';

const BACKENDS = [sqliteBackend(), postgresBackend()];

const T0 = '2026-12-01T00:00:00.000Z';
const T1 = '2026-12-01T00:01:00.000Z';
const T2 = '2026-12-01T00:02:00.000Z';
const T3 = '2026-12-01T00:03:00.000Z';

describeBackends(BACKENDS, (backend) => {
  it('is held by one holder until it expires, and renewed by that holder only', async () => {
    const a = await backend.open();
    const b = await backend.open();
    expect(await a.leases.current('scheduler')).toBeNull();
    expect(await a.leases.acquire('scheduler', 'process-a', T0, T2)).toBe(true);
    expect(await b.leases.current('scheduler')).toEqual({ holder: 'process-a', expiresAt: T2 });
    expect(await b.leases.acquire('scheduler', 'process-b', T1, T3)).toBe(false);
    expect(await a.leases.acquire('scheduler', 'process-a', T1, T3)).toBe(true);
    expect(await b.leases.current('scheduler')).toEqual({ holder: 'process-a', expiresAt: T3 });
    // expired (at its expiry instant, not only after it): anyone may take it
    expect(await b.leases.acquire('scheduler', 'process-b', T2, T3)).toBe(false);
    expect(await b.leases.acquire('scheduler', 'process-b', T3, '2026-12-01T00:05:00.000Z')).toBe(true);
    expect(await a.leases.current('scheduler')).toEqual({ holder: 'process-b', expiresAt: '2026-12-01T00:05:00.000Z' });
    expect(await a.leases.acquire('scheduler', 'process-a', T3, T3)).toBe(false);
  });

  it('keeps leases of different names apart', async () => {
    const { leases } = await backend.open();
    expect(await leases.acquire('scheduler', 'process-a', T0, T2)).toBe(true);
    expect(await leases.acquire('alerts', 'process-b', T0, T2)).toBe(true);
    expect(await leases.current('alerts')).toEqual({ holder: 'process-b', expiresAt: T2 });
  });

  it('is released by its holder only', async () => {
    const a = await backend.open();
    const b = await backend.open();
    await a.leases.acquire('scheduler', 'process-a', T0, T2);
    await b.leases.release('scheduler', 'process-b');
    expect((await b.leases.current('scheduler'))?.holder).toBe('process-a');
    await a.leases.release('scheduler', 'process-a');
    expect(await b.leases.current('scheduler')).toBeNull();
    expect(await b.leases.acquire('scheduler', 'process-b', T0, T2)).toBe(true);
  });

  it('is taken over from a holder known to have stopped, by the first process to try', async () => {
    const a = await backend.open();
    const b = await backend.open();
    const c = await backend.open();
    await a.leases.acquire('scheduler', 'process-a', T0, T3);
    expect(await b.leases.takeOver('scheduler', 'process-x', 'process-b', T3)).toBe(false);
    const takes = await Promise.all([
      b.leases.takeOver('scheduler', 'process-a', 'process-b', T3),
      c.leases.takeOver('scheduler', 'process-a', 'process-c', T3),
    ]);
    expect(takes.filter(Boolean)).toHaveLength(1);
    const winner = takes[0] ? 'process-b' : 'process-c';
    expect(await a.leases.current('scheduler')).toEqual({ holder: winner, expiresAt: T3 });
    // the stopped holder cannot renew what was taken from it
    expect(await a.leases.acquire('scheduler', 'process-a', T1, T3)).toBe(false);
    expect(await a.leases.takeOver('nothing', 'process-a', 'process-b', T3)).toBe(false);
    expect(await a.leases.current('nothing')).toBeNull();
  });

  it('goes to exactly one of several stores acquiring it at once', async () => {
    const stores = await Promise.all([backend.open(), backend.open(), backend.open()]);
    for (let round = 0; round < 5; round++) {
      const name = `lease-${round}`;
      const wins = await Promise.all(stores.map((s, i) => s.leases.acquire(name, `process-${i}`, T0, T2)));
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect((await stores[0]?.leases.current(name))?.holder).toBe(`process-${wins.indexOf(true)}`);
    }
    // and of an expired one, to exactly one of the others
    const takes = await Promise.all(stores.map((s, i) => s.leases.acquire('lease-0', `late-${i}`, T2, T3)));
    expect(takes.filter(Boolean)).toHaveLength(1);
  });
});
