/** Slack deliveries taken: the first insert of a key wins across processes; old keys are pruned by age. */
import { expect, it } from 'vitest';
import { describeBackends, postgresBackend, sqliteBackend } from './backends.ts';

const BACKENDS = [sqliteBackend(), postgresBackend()];

const T0 = '2026-12-01T00:00:00.000Z';
const T1 = '2026-12-01T00:01:00.000Z';
const T2 = '2026-12-01T00:31:00.000Z';

describeBackends(BACKENDS, (backend) => {
  it('lets the first process to take a delivery have it, and no other', async () => {
    const a = await backend.open();
    const b = await backend.open();
    expect(await a.slackDeliveries.take('trigger:T1:1.2.3', T0)).toBe(true);
    expect(await b.slackDeliveries.take('trigger:T1:1.2.3', T1)).toBe(false);
    expect(await a.slackDeliveries.take('trigger:T1:1.2.3', T1)).toBe(false);
    expect(await b.slackDeliveries.take('trigger:T2:1.2.3', T1)).toBe(true);
    expect(await b.slackDeliveries.take('event:T1:Ev1', T1)).toBe(true);
  });

  it('gives a delivery taken at once by several processes to exactly one', async () => {
    const stores = await Promise.all([backend.open(), backend.open(), backend.open()]);
    for (let round = 0; round < 5; round++) {
      const key = `trigger:T1:${round}.0.0`;
      const taken = await Promise.all(
        stores.flatMap((store) => [store.slackDeliveries.take(key, T0), store.slackDeliveries.take(key, T0)]),
      );
      expect(taken.filter(Boolean)).toHaveLength(1);
    }
  });

  it('forgets deliveries first taken before the given time, and only those', async () => {
    const a = await backend.open();
    const b = await backend.open();
    await a.slackDeliveries.take('old', T0);
    await a.slackDeliveries.take('recent', T2);
    expect(await b.slackDeliveries.prune(T1)).toBe(1);
    expect(await b.slackDeliveries.prune(T1)).toBe(0);
    expect(await a.slackDeliveries.take('old', T2)).toBe(true);
    expect(await a.slackDeliveries.take('recent', T2)).toBe(false);
  });
});
