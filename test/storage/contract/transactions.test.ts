/** `AsyncStore.transaction`: what the engine groups is committed together or not at all, on both backends. */
import { expect, it } from 'vitest';
import { describeBackends, postgresBackend, sqliteBackend } from './backends.ts';

const BACKENDS = [sqliteBackend(), postgresBackend()];

const topic = (id: string) => ({ id, nameEn: id, nameKo: id, kind: 'tech', parentId: null });

/** Resolves after other waiting work (timers, I/O) had its turn. */
const aMoment = () => new Promise((resolve) => setTimeout(resolve, 20));

describeBackends(BACKENDS, (backend) => {
  it('commits what the work wrote when it resolves, and shows it to nobody before', async () => {
    const store = await backend.open();
    const other = await backend.open();
    const result = await store.transaction(async (tx) => {
      await tx.subscriptions.add('slack:C1', 'xr');
      await tx.subscriptions.add('slack:C1', 'hbm');
      expect(await tx.subscriptions.list('slack:C1')).toEqual(['hbm', 'xr']);
      expect(await other.subscriptions.list('slack:C1')).toEqual([]);
      return 'done';
    });
    expect(result).toBe('done');
    expect(await other.subscriptions.list('slack:C1')).toEqual(['hbm', 'xr']);
  });

  it('rolls everything back when the work throws, and rethrows', async () => {
    const store = await backend.open();
    await store.subscriptions.add('slack:C1', 'nvidia');
    await expect(
      store.transaction(async (tx) => {
        await tx.subscriptions.add('slack:C1', 'xr');
        await tx.subscriptions.remove('slack:C1', 'nvidia');
        // a repository's own grouped write (a savepoint inside the transaction) goes too
        await tx.topics.sync([topic('xr')]);
        throw new Error('posting failed');
      }),
    ).rejects.toThrow('posting failed');
    expect(await store.subscriptions.list('slack:C1')).toEqual(['nvidia']);
    expect(await store.topics.list()).toEqual([]);
  });

  it('keeps calls from outside the transaction out of it, though they run while it is open', async () => {
    const store = await backend.open();
    let outside: Promise<boolean> | null = null;
    await expect(
      store.transaction(async (tx) => {
        await tx.subscriptions.add('slack:C1', 'xr');
        outside = store.subscriptions.add('slack:C2', 'hbm');
        await aMoment();
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await outside).toBe(true);
    expect(await store.subscriptions.list('slack:C1')).toEqual([]);
    expect(await store.subscriptions.list('slack:C2')).toEqual(['hbm']);
  });

  it('nests: an inner transaction that throws is undone alone, the outer one commits', async () => {
    const store = await backend.open();
    await store.transaction(async (tx) => {
      await tx.subscriptions.add('slack:C1', 'xr');
      await expect(
        tx.transaction(async (inner) => {
          await inner.subscriptions.add('slack:C1', 'hbm');
          throw new Error('inner');
        }),
      ).rejects.toThrow('inner');
      await tx.transaction(async (inner) => {
        await inner.subscriptions.add('slack:C1', 'nvidia');
      });
    });
    expect(await store.subscriptions.list('slack:C1')).toEqual(['nvidia', 'xr']);
  });

  it('takes calls made at once inside a transaction, grouped writes among them', async () => {
    const store = await backend.open();
    await store.transaction(async (tx) => {
      await Promise.all([
        tx.subscriptions.add('slack:C1', 'xr'),
        tx.topics.sync([topic('xr'), topic('hbm')]),
        tx.subscriptions.add('slack:C1', 'hbm'),
        tx.topics.list(),
      ]);
    });
    expect(await store.subscriptions.list('slack:C1')).toEqual(['hbm', 'xr']);
    expect((await store.topics.list()).map((t) => t.id).sort()).toEqual(['hbm', 'xr']);
  });

  it('keeps a call made at once with a grouped write that fails out of that write’s rollback', async () => {
    const store = await backend.open();
    await store.transaction(async (tx) => {
      const [synced, added] = await Promise.all([
        tx.topics.sync([topic('xr'), topic('xr')]).then(
          () => 'synced',
          () => 'refused',
        ),
        tx.subscriptions.add('slack:C1', 'hbm'),
      ]);
      expect([synced, added]).toEqual(['refused', true]);
    });
    expect(await store.subscriptions.list('slack:C1')).toEqual(['hbm']);
    expect(await store.topics.list()).toEqual([]);
  });

  it('runs two transactions at once one after the other, neither losing the other’s writes', async () => {
    const store = await backend.open();
    // Two SQLite connections in one thread would wait for each other's lock with the thread blocked: a process
    // has one (the ingest thread another, in its own thread), so here they share it.
    const other = backend.name === 'sqlite' ? store : await backend.open();
    const count = async (tx: { subscriptions: { list(key: string): Promise<string[]> } }) =>
      (await tx.subscriptions.list('slack:C1')).length;
    await Promise.all(
      ['a', 'b', 'c', 'd'].map((id, i) =>
        (i % 2 === 0 ? store : other).transaction(async (tx) => {
          const before = await count(tx);
          await aMoment();
          await tx.subscriptions.add('slack:C1', id);
          expect(await count(tx)).toBeGreaterThan(before);
        }),
      ),
    );
    expect(await store.subscriptions.list('slack:C1')).toEqual(['a', 'b', 'c', 'd']);
  });
});
