/** Destinations: channels and people with their digest settings, and the schedules a scheduler tick reads. */
import { expect, it } from 'vitest';
import type { DestinationRecord, DestinationSettings } from '../../../storage/repositories.ts';
import { describeBackends, manualClock, postgresBackend, sqliteBackend } from './backends.ts';

const BACKENDS = [sqliteBackend(), postgresBackend()];

function channel(key: string, overrides: Partial<DestinationRecord> = {}): DestinationRecord {
  const [platform = 'slack', id = 'C1'] = key.split(':');
  return {
    key,
    platform,
    workspace: null,
    channel: id,
    user: null,
    kind: 'channel',
    lang: null,
    timeZone: null,
    digestTime: null,
    weekdays: [],
    enabled: true,
    pausedReason: null,
    lastDigestAt: null,
    ...overrides,
  };
}

describeBackends(BACKENDS, (backend) => {
  it('creates a destination once, with its settings and defaults', async () => {
    const clock = manualClock('2026-12-01T09:00:00.000Z');
    const { destinations } = await backend.open(clock);
    expect(await destinations.get('slack:C1')).toBeNull();
    const created = await destinations.ensure(
      channel('slack:C1', { digestTime: '09:00', timeZone: 'Asia/Seoul', weekdays: [1, 2, 3], lang: 'ko' }),
    );
    expect(created).toMatchObject({
      key: 'slack:C1',
      platform: 'slack',
      workspace: null,
      channel: 'C1',
      user: null,
      kind: 'channel',
      lang: 'ko',
      timeZone: 'Asia/Seoul',
      digestTime: '09:00',
      weekdays: [1, 2, 3],
      enabled: true,
      pausedReason: null,
      lastDigestAt: null,
      skipEmpty: false,
      alerts: false,
      storyLimit: null,
      alertCap: null,
      digestLayout: 'single',
      scheduleSetAt: '2026-12-01T09:00:00.000Z',
      createdAt: '2026-12-01T09:00:00.000Z',
      updatedAt: '2026-12-01T09:00:00.000Z',
    });
    clock.set('2026-12-01T10:00:00.000Z');
    const again = await destinations.ensure(channel('slack:C1', { digestTime: '07:00', lang: 'en' }));
    expect(again).toEqual(created);
    expect(await destinations.get('slack:C1')).toEqual(created);
  });

  it('creates a person, and a destination without a schedule', async () => {
    const { destinations } = await backend.open();
    const person = await destinations.ensure({
      ...channel('slack:user:U1'),
      platform: 'slack',
      workspace: 'T1',
      channel: null,
      user: 'U1',
      kind: 'person',
      skipEmpty: true,
      digestLayout: 'thread',
    });
    expect(person).toMatchObject({ kind: 'person', user: 'U1', channel: null, workspace: 'T1', skipEmpty: true });
    expect(person.digestLayout).toBe('thread');
    expect(person.scheduleSetAt).toBeNull();
  });

  it('changes only the settings asked, and says when there is no such destination', async () => {
    const clock = manualClock('2026-12-01T09:00:00.000Z');
    const { destinations } = await backend.open(clock);
    const created = await destinations.ensure(channel('slack:C1', { digestTime: '09:00' }));
    clock.set('2026-12-01T10:00:00.000Z');
    expect(await destinations.update('slack:C1', { workspace: 'T1', weekdays: [6, 7], lang: 'en' })).toBe(true);
    expect(await destinations.update('slack:C2', { lang: 'en' })).toBe(false);
    expect(await destinations.update('slack:C2', {})).toBe(false);
    expect(await destinations.update('slack:C1', {})).toBe(true);
    expect(await destinations.update('slack:C1', { lang: undefined, timeZone: undefined })).toBe(true);
    expect(await destinations.get('slack:C1')).toEqual({
      ...created,
      workspace: 'T1',
      weekdays: [6, 7],
      lang: 'en',
      scheduleSetAt: '2026-12-01T10:00:00.000Z',
      updatedAt: '2026-12-01T10:00:00.000Z',
    });
    await destinations.update('slack:C1', {
      enabled: false,
      pausedReason: 'channel_not_found',
      skipEmpty: true,
      alerts: true,
      storyLimit: 5,
      alertCap: 3,
      digestLayout: 'thread',
    });
    expect(await destinations.get('slack:C1')).toMatchObject({
      enabled: false,
      pausedReason: 'channel_not_found',
      skipEmpty: true,
      alerts: true,
      storyLimit: 5,
      alertCap: 3,
      digestLayout: 'thread',
    });
    await destinations.update('slack:C1', { enabled: true, pausedReason: null, storyLimit: null, digestTime: null });
    expect(await destinations.get('slack:C1')).toMatchObject({
      enabled: true,
      pausedReason: null,
      storyLimit: null,
      digestTime: null,
      alertCap: 3,
    });
  });

  it('moves when the schedule was set only when its time, zone or days really change', async () => {
    const clock = manualClock('2026-12-01T09:00:00.000Z');
    const { destinations } = await backend.open(clock);
    await destinations.ensure(channel('slack:C1'));
    expect((await destinations.get('slack:C1'))?.scheduleSetAt).toBeNull();
    const setAt = async () => (await destinations.get('slack:C1'))?.scheduleSetAt;
    clock.set('2026-12-01T10:00:00.000Z');
    await destinations.update('slack:C1', { digestTime: '08:30', timeZone: 'Asia/Seoul' });
    expect(await setAt()).toBe('2026-12-01T10:00:00.000Z');
    // the config applies the same schedule again at every start: not a change
    clock.set('2026-12-01T11:00:00.000Z');
    await destinations.update('slack:C1', { digestTime: '08:30', timeZone: 'Asia/Seoul', weekdays: [] });
    expect(await setAt()).toBe('2026-12-01T10:00:00.000Z');
    // other settings are not the schedule
    await destinations.update('slack:C1', { lang: 'en', enabled: false, alerts: true });
    expect(await setAt()).toBe('2026-12-01T10:00:00.000Z');
    const changes: [string, DestinationSettings][] = [
      ['2026-12-01T12:00:00.000Z', { weekdays: [1, 2, 3, 4, 5] }],
      ['2026-12-01T13:00:00.000Z', { timeZone: 'Europe/Berlin' }],
      ['2026-12-01T14:00:00.000Z', { digestTime: '08:00', lang: 'ko' }],
    ];
    for (const [at, change] of changes) {
      clock.set(at);
      await destinations.update('slack:C1', change);
      expect(await setAt()).toBe(at);
    }
    expect(await destinations.get('slack:C1')).toMatchObject({ updatedAt: '2026-12-01T14:00:00.000Z' });
  });

  it('lists every destination by key, and the scheduled ones that are on and not paused', async () => {
    const clock = manualClock('2026-12-01T09:00:00.000Z');
    const { destinations } = await backend.open(clock);
    await destinations.ensure(channel('slack:C3', { digestTime: '07:00', weekdays: [1] }));
    await destinations.ensure(channel('discord:9', { digestTime: '08:00', timeZone: 'Asia/Seoul' }));
    await destinations.ensure(channel('slack:C1'));
    await destinations.ensure(channel('slack:C2', { digestTime: '09:00' }));
    await destinations.ensure(channel('slack:C4', { digestTime: '10:00' }));
    await destinations.ensure(channel('slack:Ca', { digestTime: '10:00' }));
    await destinations.update('slack:C2', { enabled: false });
    await destinations.update('slack:C4', { pausedReason: 'not_in_channel' });
    expect((await destinations.list()).map((d) => d.key)).toEqual([
      'discord:9',
      'slack:C1',
      'slack:C2',
      'slack:C3',
      'slack:C4',
      'slack:Ca',
    ]);
    expect(await destinations.scheduled()).toEqual([
      {
        key: 'discord:9',
        digestTime: '08:00',
        timeZone: 'Asia/Seoul',
        weekdays: [],
        scheduleSetAt: '2026-12-01T09:00:00.000Z',
      },
      {
        key: 'slack:C3',
        digestTime: '07:00',
        timeZone: null,
        weekdays: [1],
        scheduleSetAt: '2026-12-01T09:00:00.000Z',
      },
      { key: 'slack:Ca', digestTime: '10:00', timeZone: null, weekdays: [], scheduleSetAt: '2026-12-01T09:00:00.000Z' },
    ]);
  });

  it('records when the last digest went out', async () => {
    const clock = manualClock('2026-12-01T09:00:00.000Z');
    const { destinations } = await backend.open(clock);
    await destinations.ensure(channel('slack:C1', { digestTime: '09:00' }));
    clock.set('2026-12-02T00:00:05.000Z');
    await destinations.markDigestSent('slack:C1', '2026-12-02T00:00:01.000Z');
    await destinations.markDigestSent('slack:C9', '2026-12-02T00:00:01.000Z');
    expect(await destinations.get('slack:C1')).toMatchObject({
      lastDigestAt: '2026-12-02T00:00:01.000Z',
      updatedAt: '2026-12-02T00:00:05.000Z',
    });
    expect(await destinations.get('slack:C9')).toBeNull();
  });

  it('creates a destination once when two stores ensure it at the same time', async () => {
    const a = await backend.open();
    const b = await backend.open();
    const made = await Promise.all([
      a.destinations.ensure(channel('slack:C1', { digestTime: '09:00' })),
      b.destinations.ensure(channel('slack:C1', { digestTime: '07:00' })),
    ]);
    expect(made[0]?.id).toBe(made[1]?.id);
    expect(made[0]?.digestTime).toBe(made[1]?.digestTime);
    expect(await a.destinations.list()).toHaveLength(1);
  });
});
