/** A channel's topics, who a new story on each notifies, and its saved searches. */
import { expect, it } from 'vitest';
import { describeBackends, manualClock, postgresBackend, sqliteBackend } from './backends.ts';

const BACKENDS = [sqliteBackend(), postgresBackend()];

describeBackends(BACKENDS, (backend) => {
  it("adds and removes a channel's topics, each once", async () => {
    const a = await backend.open();
    const b = await backend.open();
    expect(await a.subscriptions.list('slack:C1')).toEqual([]);
    expect(await a.subscriptions.add('slack:C1', 'xr')).toBe(true);
    expect(await a.subscriptions.add('slack:C1', 'nvidia')).toBe(true);
    expect(await b.subscriptions.add('slack:C1', 'xr')).toBe(false);
    expect(await a.subscriptions.add('slack:C2', 'xr')).toBe(true);
    expect(await b.subscriptions.list('slack:C1')).toEqual(['nvidia', 'xr']);
    expect(await a.subscriptions.remove('slack:C1', 'xr')).toBe(true);
    expect(await a.subscriptions.remove('slack:C1', 'xr')).toBe(false);
    expect(await b.subscriptions.list('slack:C1')).toEqual(['nvidia']);
    expect(await b.subscriptions.list('slack:C2')).toEqual(['xr']);
    const added = await Promise.all([a.subscriptions.add('slack:C3', 'hbm'), b.subscriptions.add('slack:C3', 'hbm')]);
    expect(added.filter(Boolean)).toHaveLength(1);
  });

  it('keeps who each subscription notifies, per channel and for every channel at once', async () => {
    const { subscriptions } = await backend.open();
    await subscriptions.add('discord:1:2', 'nvidia');
    await subscriptions.add('discord:1:2', 'xr');
    await subscriptions.add('slack:C1', 'nvidia');
    await subscriptions.add('slack:C2', 'hbm');
    expect(await subscriptions.setNotify('discord:1:2', 'nvidia', { kind: 'role', id: '123456789012345678' })).toBe(
      true,
    );
    expect(await subscriptions.setNotify('slack:C1', 'nvidia', { kind: 'group', id: 'S0123' })).toBe(true);
    expect(await subscriptions.setNotify('slack:C2', 'hbm', { kind: 'here' })).toBe(true);
    expect(await subscriptions.setNotify('slack:C1', 'apple', { kind: 'here' })).toBe(false);
    expect(Object.fromEntries(await subscriptions.notifications('discord:1:2'))).toEqual({
      nvidia: { kind: 'role', id: '123456789012345678' },
    });
    const all = await subscriptions.allNotifications();
    expect([...all.keys()]).toEqual(['discord:1:2', 'slack:C1', 'slack:C2']);
    expect(Object.fromEntries(all.get('slack:C2') ?? [])).toEqual({ hbm: { kind: 'here' } });
    expect(await subscriptions.setNotify('slack:C2', 'hbm', null)).toBe(true);
    expect((await subscriptions.notifications('slack:C2')).size).toBe(0);
    expect([...(await subscriptions.allNotifications()).keys()]).toEqual(['discord:1:2', 'slack:C1']);
    // unsubscribing forgets the mention
    await subscriptions.remove('slack:C1', 'nvidia');
    await subscriptions.add('slack:C1', 'nvidia');
    expect((await subscriptions.notifications('slack:C1')).size).toBe(0);
  });

  it('keeps saved searches in the order saved, each once', async () => {
    const clock = manualClock('2026-12-01T00:00:00.000Z');
    const { subscriptions } = await backend.open(clock);
    expect(await subscriptions.addQuery('slack:C1', '삼성 hbm -루머')).toBe(true);
    clock.set('2026-12-01T00:01:00.000Z');
    expect(await subscriptions.addQuery('slack:C1', '"on-device AI" lang:en')).toBe(true);
    expect(await subscriptions.addQuery('slack:C1', 'b second at the same time')).toBe(true);
    expect(await subscriptions.addQuery('slack:C1', 'a first at the same time')).toBe(true);
    expect(await subscriptions.addQuery('slack:C1', '삼성 hbm -루머')).toBe(false);
    expect(await subscriptions.addQuery('slack:C2', '엔비디아')).toBe(true);
    expect(await subscriptions.queries('slack:C1')).toEqual([
      '삼성 hbm -루머',
      '"on-device AI" lang:en',
      'a first at the same time',
      'b second at the same time',
    ]);
    expect(await subscriptions.removeQuery('slack:C1', '삼성 hbm -루머')).toBe(true);
    expect(await subscriptions.removeQuery('slack:C1', '삼성 hbm -루머')).toBe(false);
    expect(await subscriptions.queries('slack:C2')).toEqual(['엔비디아']);
    // saved searches are not topics
    expect(await subscriptions.list('slack:C1')).toEqual([]);
  });
});
