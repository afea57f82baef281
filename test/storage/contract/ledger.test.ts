/**
 * The delivery ledger's contract: a post is planned once per (destination, slot), whichever store plans it
 * first, and moves pending → sending → sent | failed | skipped only through conditional updates.
 */
import { expect, it } from 'vitest';
import type { NewLedgerEntry } from '../../../storage/repositories.ts';
import { describeBackends, manualClock, postgresBackend, sqliteBackend } from './backends.ts';

const BACKENDS = [sqliteBackend(), postgresBackend()];

function digest(destination: string, localDate: string, dueAt: string): NewLedgerEntry {
  return { destination, slot: `digest:${localDate}`, kind: 'digest', localDate, dueAt, state: 'pending' };
}

function notice(destination: string, slot: string): NewLedgerEntry {
  return { destination, slot, kind: 'notice', localDate: null, dueAt: '2026-12-01T00:00:00.000Z', state: 'pending' };
}

describeBackends(BACKENDS, (backend) => {
  it('plans an entry once per destination and slot, and says which call inserted it', async () => {
    const clock = manualClock('2026-12-01T23:00:00.000Z');
    const { ledger } = await backend.open(clock);
    const first = await ledger.plan(digest('slack:T1:C1', '2026-12-02', '2026-12-01T23:30:00.000Z'));
    expect(first.inserted).toBe(true);
    expect(first.entry).toMatchObject({
      destination: 'slack:T1:C1',
      slot: 'digest:2026-12-02',
      kind: 'digest',
      localDate: '2026-12-02',
      dueAt: '2026-12-01T23:30:00.000Z',
      state: 'pending',
      contentHash: null,
      storyKeys: [],
      messageId: null,
      failure: null,
      detail: null,
      attempts: 0,
      nextAttemptAt: null,
      createdAt: '2026-12-01T23:00:00.000Z',
      updatedAt: '2026-12-01T23:00:00.000Z',
    });
    clock.set('2026-12-01T23:01:00.000Z');
    const again = await ledger.plan({ ...digest('slack:T1:C1', '2026-12-02', '2026-12-02T00:00:00.000Z') });
    expect(again.inserted).toBe(false);
    expect(again.entry).toEqual(first.entry);
    // the same slot of another destination is another entry
    const other = await ledger.plan(digest('slack:T1:C2', '2026-12-02', '2026-12-01T23:30:00.000Z'));
    expect(other.inserted).toBe(true);
    expect(other.entry.id).not.toBe(first.entry.id);
    expect(await ledger.get(first.entry.id)).toEqual(first.entry);
    expect(await ledger.get(first.entry.id + other.entry.id + 1000)).toBeNull();
  });

  it('plans a skipped entry with its reason', async () => {
    const { ledger } = await backend.open();
    const { entry } = await ledger.plan({
      ...digest('discord:1:2', '2026-12-02', '2026-12-01T23:30:00.000Z'),
      state: 'skipped',
      failure: 'missed-grace',
      detail: 'planned 3 hours late',
    });
    expect(entry).toMatchObject({ state: 'skipped', failure: 'missed-grace', detail: 'planned 3 hours late' });
    const bare = await ledger.plan({
      ...digest('discord:1:2', '2026-12-03', '2026-12-02T23:30:00.000Z'),
      state: 'skipped',
      failure: 'paused',
    });
    expect(bare.entry).toMatchObject({ state: 'skipped', failure: 'paused', detail: null });
  });

  it('inserts exactly once when two stores plan the same slots at the same time', async () => {
    const a = await backend.open();
    const b = await backend.open();
    const entries = Array.from({ length: 20 }, (_, i) =>
      digest(`slack:T1:C${i}`, '2026-12-02', '2026-12-01T23:30:00.000Z'),
    );
    const results = await Promise.all(entries.flatMap((e) => [a.ledger.plan(e), b.ledger.plan(e)]));
    for (let i = 0; i < entries.length; i++) {
      const [fromA, fromB] = [results[2 * i], results[2 * i + 1]];
      expect([fromA?.inserted, fromB?.inserted].filter(Boolean)).toHaveLength(1);
      expect(fromA?.entry.id).toBe(fromB?.entry.id);
    }
    expect((await a.ledger.recent('slack:T1:C7', 10)).map((e) => e.slot)).toEqual(['digest:2026-12-02']);
  });

  it('lets one claim of an entry win, from the states asked for only', async () => {
    const clock = manualClock();
    const a = await backend.open(clock);
    const b = await backend.open(clock);
    const { entry } = await a.ledger.plan(digest('slack:T1:C1', '2026-12-02', '2026-12-01T23:30:00.000Z'));
    expect(await a.ledger.claim(entry.id, [])).toBe(false);
    expect(await a.ledger.claim(entry.id, ['failed'])).toBe(false);
    clock.set('2026-12-01T23:30:01.000Z');
    const claims = await Promise.all([a.ledger.claim(entry.id, ['pending']), b.ledger.claim(entry.id, ['pending'])]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await b.ledger.get(entry.id)).toMatchObject({ state: 'sending', updatedAt: '2026-12-01T23:30:01.000Z' });
    expect(await b.ledger.claim(entry.id, ['pending'])).toBe(false);
    expect(await b.ledger.claim(entry.id + 1000, ['pending'])).toBe(false);
  });

  it('races many claims of many entries from two stores: each entry is claimed once', async () => {
    const a = await backend.open();
    const b = await backend.open();
    const ids: number[] = [];
    for (let i = 0; i < 15; i++) {
      ids.push((await a.ledger.plan(digest(`slack:T1:C${i}`, '2026-12-02', '2026-12-01T23:30:00.000Z'))).entry.id);
    }
    const wins = await Promise.all(
      ids.flatMap((id) => [a.ledger.claim(id, ['pending', 'failed']), b.ledger.claim(id, ['pending', 'failed'])]),
    );
    expect(wins.filter(Boolean)).toHaveLength(ids.length);
    expect((await a.ledger.interrupted()).map((e) => e.id)).toEqual(ids);
  });

  it('records a sent post with its message, content and stories, counting the attempt', async () => {
    const clock = manualClock();
    const { ledger } = await backend.open(clock);
    const { entry } = await ledger.plan(digest('slack:T1:C1', '2026-12-02', '2026-12-01T23:30:00.000Z'));
    await ledger.claim(entry.id, ['pending']);
    await ledger.markFailed(entry.id, 'transient', 'socket hang up', '2026-12-01T23:35:00.000Z');
    await ledger.claim(entry.id, ['failed']);
    clock.set('2026-12-01T23:35:02.000Z');
    await ledger.markSent(entry.id, { messageId: '1733.0001', contentHash: 'h1', storyKeys: ['s-1', 's-2'] });
    expect(await ledger.get(entry.id)).toMatchObject({
      state: 'sent',
      messageId: '1733.0001',
      contentHash: 'h1',
      storyKeys: ['s-1', 's-2'],
      failure: null,
      detail: null,
      attempts: 2,
      nextAttemptAt: null,
      updatedAt: '2026-12-01T23:35:02.000Z',
      createdAt: '2026-12-01T00:00:00.000Z',
    });
  });

  it('records a failure with its detail (cut to 500 characters) and when to try again', async () => {
    const { ledger } = await backend.open();
    const { entry } = await ledger.plan(digest('slack:T1:C1', '2026-12-02', '2026-12-01T23:30:00.000Z'));
    await ledger.claim(entry.id, ['pending']);
    await ledger.markFailed(entry.id, 'rateLimited', 'x'.repeat(600), '2026-12-01T23:31:00.000Z');
    expect(await ledger.get(entry.id)).toMatchObject({
      state: 'failed',
      failure: 'rateLimited',
      detail: 'x'.repeat(500),
      attempts: 1,
      nextAttemptAt: '2026-12-01T23:31:00.000Z',
    });
    await ledger.claim(entry.id, ['failed']);
    await ledger.markFailed(entry.id, 'forbidden', 'missing_scope', null);
    expect(await ledger.get(entry.id)).toMatchObject({ state: 'failed', attempts: 2, nextAttemptAt: null });
  });

  it('records a skip with its reason, without counting an attempt', async () => {
    const { ledger } = await backend.open();
    const { entry } = await ledger.plan(digest('slack:T1:C1', '2026-12-02', '2026-12-01T23:30:00.000Z'));
    await ledger.claim(entry.id, ['pending']);
    await ledger.markFailed(entry.id, 'transient', 'timeout', '2026-12-01T23:31:00.000Z');
    await ledger.markSkipped(entry.id, 'empty', 'nothing new');
    expect(await ledger.get(entry.id)).toMatchObject({
      state: 'skipped',
      failure: 'empty',
      detail: 'nothing new',
      attempts: 1,
      nextAttemptAt: null,
    });
    await ledger.markSkipped(entry.id, 'paused');
    expect(await ledger.get(entry.id)).toMatchObject({ failure: 'paused', detail: null });
  });

  it('lists the failures due for a retry, soonest first, up to the limit', async () => {
    const { ledger } = await backend.open();
    const ids: number[] = [];
    const retries = ['2026-12-02T00:05:00.000Z', '2026-12-02T00:01:00.000Z', null, '2026-12-02T00:03:00.000Z'];
    for (const [i, retryAt] of retries.entries()) {
      const { entry } = await ledger.plan(digest(`slack:T1:C${i}`, '2026-12-02', '2026-12-01T23:30:00.000Z'));
      await ledger.claim(entry.id, ['pending']);
      await ledger.markFailed(entry.id, 'transient', 'timeout', retryAt);
      ids.push(entry.id);
    }
    const due = async (at: string, limit: number) => (await ledger.retriesDue(at, limit)).map((e) => e.id);
    expect(await due('2026-12-02T00:00:59.000Z', 10)).toEqual([]);
    expect(await due('2026-12-02T00:03:00.000Z', 10)).toEqual([ids[1], ids[3]]);
    expect(await due('2026-12-03T00:00:00.000Z', 10)).toEqual([ids[1], ids[3], ids[0]]);
    expect(await due('2026-12-03T00:00:00.000Z', 2)).toEqual([ids[1], ids[3]]);
    // a retry being sent is no longer due
    await ledger.claim(ids[1] as number, ['failed']);
    expect(await due('2026-12-03T00:00:00.000Z', 10)).toEqual([ids[3], ids[0]]);
  });

  it('lists the pending entries due, earliest first, and the ones left sending', async () => {
    const { ledger } = await backend.open();
    const late = await ledger.plan(digest('slack:T1:C1', '2026-12-02', '2026-12-02T01:00:00.000Z'));
    const early = await ledger.plan(digest('slack:T1:C2', '2026-12-02', '2026-12-01T22:00:00.000Z'));
    const middle = await ledger.plan(digest('slack:T1:C3', '2026-12-02', '2026-12-01T23:00:00.000Z'));
    await ledger.plan({
      ...digest('slack:T1:C4', '2026-12-02', '2026-12-01T21:00:00.000Z'),
      state: 'skipped',
      failure: 'paused',
    });
    const pending = async (at: string, limit: number) => (await ledger.pendingDue(at, limit)).map((e) => e.id);
    expect(await pending('2026-12-01T23:00:00.000Z', 10)).toEqual([early.entry.id, middle.entry.id]);
    expect(await pending('2026-12-03T00:00:00.000Z', 2)).toEqual([early.entry.id, middle.entry.id]);
    expect(await ledger.interrupted()).toEqual([]);
    await ledger.claim(middle.entry.id, ['pending']);
    await ledger.claim(late.entry.id, ['pending']);
    expect(await pending('2026-12-03T00:00:00.000Z', 10)).toEqual([early.entry.id]);
    expect((await ledger.interrupted()).map((e) => e.id)).toEqual([late.entry.id, middle.entry.id]);
  });

  it("tells each destination's latest planned entry of a kind since a time", async () => {
    const { ledger } = await backend.open();
    await ledger.plan(digest('slack:T1:C1', '2026-11-30', '2026-11-29T23:30:00.000Z'));
    await ledger.plan(digest('slack:T1:C1', '2026-12-01', '2026-11-30T23:30:00.000Z'));
    await ledger.plan(digest('slack:T1:C2', '2026-12-01', '2026-12-01T08:00:00.000Z'));
    await ledger.plan(digest('slack:T1:C3', '2026-11-20', '2026-11-19T23:30:00.000Z'));
    await ledger.plan(notice('slack:T1:C4', 'source-down:1:2026-11-30T00:00:00.000Z'));
    const latest = await ledger.latestPlanned('digest', '2026-11-25T00:00:00.000Z');
    expect(Object.fromEntries(latest)).toEqual({
      'slack:T1:C1': { dueAt: '2026-11-30T23:30:00.000Z', localDate: '2026-12-01' },
      'slack:T1:C2': { dueAt: '2026-12-01T08:00:00.000Z', localDate: '2026-12-01' },
    });
    expect((await ledger.latestPlanned('digest', '2026-12-01T08:00:00.000Z')).size).toBe(0);
    expect([...(await ledger.latestPlanned('notice', '2026-11-01T00:00:00.000Z')).keys()]).toEqual(['slack:T1:C4']);
  });

  it('finds the last sent entry of a kind, and counts the sent ones since a time', async () => {
    const clock = manualClock('2026-12-01T01:00:00.000Z');
    const { ledger } = await backend.open(clock);
    expect(await ledger.lastSent('slack:T1:C1', 'digest')).toBeNull();
    const send = async (entry: NewLedgerEntry, at: string) => {
      const { entry: planned } = await ledger.plan(entry);
      await ledger.claim(planned.id, ['pending']);
      clock.set(at);
      await ledger.markSent(planned.id, { messageId: `m-${planned.id}`, contentHash: 'h', storyKeys: [] });
      return planned.id;
    };
    const alert = (slot: string): NewLedgerEntry => ({ ...notice('slack:T1:C1', slot), kind: 'alert' });
    const older = await send(
      digest('slack:T1:C1', '2026-11-30', '2026-11-29T23:30:00.000Z'),
      '2026-11-29T23:30:05.000Z',
    );
    const newer = await send(
      digest('slack:T1:C1', '2026-12-01', '2026-11-30T23:30:00.000Z'),
      '2026-11-30T23:30:05.000Z',
    );
    await ledger.plan(digest('slack:T1:C1', '2026-12-02', '2026-12-01T23:30:00.000Z'));
    expect((await ledger.lastSent('slack:T1:C1', 'digest'))?.id).toBe(newer);
    expect(await ledger.lastSent('slack:T1:C2', 'digest')).toBeNull();
    await send(alert('alert:story-1'), '2026-12-01T03:00:00.000Z');
    await send(alert('alert:story-2'), '2026-12-01T04:00:00.000Z');
    await ledger.plan(alert('alert:story-3'));
    expect(await ledger.countSent('slack:T1:C1', 'alert', '2026-12-01T00:00:00.000Z')).toBe(2);
    expect(await ledger.countSent('slack:T1:C1', 'alert', '2026-12-01T04:00:00.000Z')).toBe(1);
    expect(await ledger.countSent('slack:T1:C1', 'alert', '2026-12-01T04:00:00.001Z')).toBe(0);
    expect(await ledger.countSent('slack:T1:C1', 'digest', '2026-11-01T00:00:00.000Z')).toBe(2);
    expect(await ledger.countSent('slack:T1:C2', 'alert', '2026-11-01T00:00:00.000Z')).toBe(0);
    expect(older).toBeLessThan(newer);
  });

  it('lists the outages people were told of and not yet told are over', async () => {
    const { ledger } = await backend.open();
    const sent = async (entry: NewLedgerEntry) => {
      const { entry: planned } = await ledger.plan(entry);
      await ledger.claim(planned.id, ['pending']);
      await ledger.markSent(planned.id, { messageId: 'm', contentHash: 'h', storyKeys: [] });
      return planned.id;
    };
    const down = 'source-down:7:2026-11-30T10:00:00.000Z';
    const toldC1 = await sent(notice('slack:T1:C1', down));
    const toldC2 = await sent(notice('slack:T1:C2', down));
    await ledger.plan(notice('slack:T1:C3', down)); // planned, never sent: nobody was told
    await sent(notice('slack:T1:C1', 'source-down:8:2026-11-30T11:00:00.000Z'));
    await sent(notice('slack:T1:C1', 'source-up:8:2026-11-30T11:00:00.000Z'));
    // the up notice of another incident of source 7 does not close this one
    await sent(notice('slack:T1:C2', 'source-up:7:2026-11-01T00:00:00.000Z'));
    expect((await ledger.openOutages()).map((e) => e.id)).toEqual([toldC1, toldC2]);
    // an up notice planned (not yet sent) closes it
    await ledger.plan(notice('slack:T1:C2', 'source-up:7:2026-11-30T10:00:00.000Z'));
    expect((await ledger.openOutages()).map((e) => [e.id, e.slot])).toEqual([[toldC1, down]]);
  });

  it("lists a destination's recent entries, latest due first", async () => {
    const { ledger } = await backend.open();
    const ids: number[] = [];
    for (const date of ['2026-11-28', '2026-11-30', '2026-11-29']) {
      ids.push((await ledger.plan(digest('slack:T1:C1', date, `${date}T00:00:00.000Z`))).entry.id);
    }
    await ledger.plan(digest('slack:T1:C2', '2026-12-01', '2026-12-01T00:00:00.000Z'));
    expect((await ledger.recent('slack:T1:C1', 10)).map((e) => e.id)).toEqual([ids[1], ids[2], ids[0]]);
    expect((await ledger.recent('slack:T1:C1', 1)).map((e) => e.localDate)).toEqual(['2026-11-30']);
    expect(await ledger.recent('slack:T9:C9', 5)).toEqual([]);
  });

  it('keeps what was written after every store is closed, for the next store opened', async () => {
    const first = await backend.open();
    const { entry } = await first.ledger.plan(digest('slack:T1:C1', '2026-12-02', '2026-12-01T23:30:00.000Z'));
    await first.ledger.claim(entry.id, ['pending']);
    await backend.close();
    const { ledger } = await backend.open();
    expect(await ledger.get(entry.id)).toMatchObject({ state: 'sending', slot: 'digest:2026-12-02' });
    const again = await ledger.plan(digest('slack:T1:C1', '2026-12-02', '2026-12-01T23:30:00.000Z'));
    expect(again).toMatchObject({ inserted: false, entry: { id: entry.id } });
  });
});
