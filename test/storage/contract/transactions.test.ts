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

// Two SQLite connections in one thread cannot both hold a transaction (the second would block the thread), and
// SQLite's writers take turns anyway: what `serializeOn` adds is PostgreSQL's.
describeBackends([postgresBackend()], (backend) => {
  /** Runs a transaction that holds on for a while, recording when its work began and ended. */
  const timed = async (store: Awaited<ReturnType<typeof backend.open>>, serializeOn: string | undefined) => {
    const times = { began: 0, ended: 0 };
    await store.transaction(
      async (tx) => {
        times.began = performance.now();
        await tx.subscriptions.add('slack:C1', `topic-${serializeOn}-${times.began}`);
        await new Promise((resolve) => setTimeout(resolve, 300));
        times.ended = performance.now();
      },
      serializeOn === undefined ? {} : { serializeOn },
    );
    return times;
  };

  it('runs transactions serialized on one name one after another, in two processes, and others alongside', async () => {
    const a = await backend.open();
    const b = await backend.open();
    const first = timed(a, 'story-index');
    await aMoment();
    const [one, two] = await Promise.all([first, timed(b, 'story-index')]);
    expect(two.began).toBeGreaterThanOrEqual(one.ended);

    const third = timed(a, 'story-index');
    await aMoment();
    const [three, other] = await Promise.all([third, timed(b, 'something-else')]);
    expect(other.began).toBeLessThan(three.ended);
    const [four, plain] = await Promise.all([timed(a, 'story-index'), timed(b, undefined)]);
    expect(Math.max(four.began, plain.began)).toBeLessThan(Math.min(four.ended, plain.ended));
  });

  it('serializes from a nested transaction’s savepoint to the end of the outer one', async () => {
    const a = await backend.open();
    const b = await backend.open();
    let innerTaken = 0;
    let outerEnded = 0;
    const outer = a.transaction(async (tx) => {
      await tx.transaction(
        async (inner) => {
          innerTaken = performance.now();
          await inner.subscriptions.add('slack:C2', 'xr');
        },
        { serializeOn: 'story-index' },
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      outerEnded = performance.now();
    });
    await aMoment();
    const [, later] = await Promise.all([outer, timed(b, 'story-index')]);
    expect(innerTaken).toBeGreaterThan(0);
    expect(later.began).toBeGreaterThanOrEqual(outerEnded);
  });
});
