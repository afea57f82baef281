/**
 * A threaded digest's messages in the ledger: planned before the first is posted, each moved planned → sending →
 * sent (or interrupted) by a conditional update, so a resumed thread posts what it began with, once.
 */
import { expect, it } from 'vitest';
import { describeBackends, manualClock, postgresBackend, sqliteBackend } from './backends.ts';

const BACKENDS = [sqliteBackend(), postgresBackend()];

const THREAD = [
  { part: 0, storyKey: null, body: '{"parent":true}' },
  { part: 1, storyKey: 'story-a', body: '{"story":"a"}' },
  { part: 2, storyKey: 'story-b', body: '{"story":"b"}' },
];

describeBackends(BACKENDS, (backend) => {
  const planned = async (ledger: Awaited<ReturnType<typeof backend.open>>['ledger']) => {
    const { entry } = await ledger.plan({
      destination: 'slack:T1:C1',
      slot: 'digest:2026-12-02',
      kind: 'digest',
      localDate: '2026-12-02',
      dueAt: '2026-12-01T23:30:00.000Z',
      state: 'pending',
    });
    return entry.id;
  };

  it("plans a thread's messages in order, and has none for an entry without a thread", async () => {
    const clock = manualClock('2026-12-01T23:30:01.000Z');
    const { ledger } = await backend.open(clock);
    const id = await planned(ledger);
    expect(await ledger.parts(id)).toEqual([]);
    await ledger.planParts(id, [...THREAD].reverse());
    expect(await ledger.parts(id)).toEqual(
      THREAD.map((p) => ({
        ...p,
        entryId: id,
        state: 'planned',
        messageId: null,
        threadId: null,
        updatedAt: '2026-12-01T23:30:01.000Z',
      })),
    );
  });

  it('stamps a part with the time it moved: a part sending tells when its post began', async () => {
    const clock = manualClock('2026-12-01T23:30:01.000Z');
    const { ledger } = await backend.open(clock);
    const id = await planned(ledger);
    await ledger.planParts(id, THREAD);
    clock.set('2026-12-01T23:30:05.000Z');
    await ledger.markPart(id, 0, ['planned'], 'sending');
    expect((await ledger.parts(id)).map((p) => [p.state, p.updatedAt])).toEqual([
      ['sending', '2026-12-01T23:30:05.000Z'],
      ['planned', '2026-12-01T23:30:01.000Z'],
      ['planned', '2026-12-01T23:30:01.000Z'],
    ]);
  });

  it('moves a part only from the states asked for, with the message posted', async () => {
    const a = await backend.open();
    const b = await backend.open();
    const id = await planned(a.ledger);
    await a.ledger.planParts(id, THREAD);
    expect(await a.ledger.markPart(id, 0, [], 'sending')).toBe(false);
    const claims = await Promise.all([
      a.ledger.markPart(id, 0, ['planned'], 'sending'),
      b.ledger.markPart(id, 0, ['planned'], 'sending'),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await a.ledger.markPart(id, 0, ['sending'], 'sent', '1733.0001')).toBe(true);
    await a.ledger.setThread(id, '1733.0001');
    expect(await a.ledger.markPart(id, 0, ['planned', 'sending'], 'sent', 'other')).toBe(false);
    expect(await a.ledger.markPart(id, 7, ['planned'], 'sending')).toBe(false);
    // without a message id, the one recorded stays
    await a.ledger.markPart(id, 1, ['planned'], 'sending', 'reply-1');
    await a.ledger.markPart(id, 1, ['sending'], 'interrupted');
    const parts = await b.ledger.parts(id);
    expect(parts.map((p) => [p.part, p.state, p.messageId, p.threadId])).toEqual([
      [0, 'sent', '1733.0001', '1733.0001'],
      [1, 'interrupted', 'reply-1', null],
      [2, 'planned', null, null],
    ]);
  });

  it('plans anew what was only planned, and keeps the parts already begun', async () => {
    const { ledger } = await backend.open();
    const id = await planned(ledger);
    await ledger.planParts(id, THREAD);
    await ledger.markPart(id, 0, ['planned'], 'sending');
    await ledger.markPart(id, 0, ['sending'], 'sent', 'parent');
    await ledger.planParts(id, [
      { part: 0, storyKey: null, body: '{"parent":"new"}' },
      { part: 1, storyKey: 'story-c', body: '{"story":"c"}' },
    ]);
    expect((await ledger.parts(id)).map((p) => [p.part, p.storyKey, p.body, p.state])).toEqual([
      [0, null, '{"parent":true}', 'sent'],
      [1, 'story-c', '{"story":"c"}', 'planned'],
    ]);
    await ledger.planParts(id, []);
    expect((await ledger.parts(id)).map((p) => p.part)).toEqual([0]);
  });
});
