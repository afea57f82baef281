/**
 * The ledger's posts under way (`claim(…, underWay)`, `takeUnderWay`): the key and reply of a post to a platform
 * whose posts are idempotent, kept while the entry is `sending`, taken once by whoever finds it left there.
 */
import { expect, it } from 'vitest';
import type { NewLedgerEntry } from '../../../storage/repositories.ts';
import { describeBackends, manualClock, postgresBackend, sqliteBackend } from './backends.ts';

const BACKENDS = [sqliteBackend(), postgresBackend()];

function digest(destination: string): NewLedgerEntry {
  return {
    destination,
    slot: 'digest:2026-12-02',
    kind: 'digest',
    localDate: '2026-12-02',
    dueAt: '2026-12-01T23:30:00.000Z',
    state: 'pending',
  };
}

const BODY = JSON.stringify({ kind: 'digest', digest: { stories: [{ key: 's-1' }] } });

describeBackends(BACKENDS, (backend) => {
  it('keeps a post under way from its claim, and gives it to one taker only, renewing the claim', async () => {
    const clock = manualClock('2026-12-01T23:30:01.000Z');
    const a = await backend.open(clock);
    const b = await backend.open(clock);
    const { entry } = await a.ledger.plan(digest('discord:G1:C1'));
    expect(await a.ledger.claim(entry.id, ['pending'], { key: 'k3y', body: BODY })).toBe(true);
    clock.set('2026-12-01T23:31:00.000Z');
    const taken = await Promise.all([a.ledger.takeUnderWay(entry.id), b.ledger.takeUnderWay(entry.id)]);
    expect(taken.filter((t) => t !== null)).toEqual([
      { key: 'k3y', body: BODY, startedAt: '2026-12-01T23:30:01.000Z' },
    ]);
    // still being posted, now by the taker: a fresh claim, which a stale-claim check leaves alone
    expect(await a.ledger.get(entry.id)).toMatchObject({ state: 'sending', updatedAt: '2026-12-01T23:31:00.000Z' });
    expect(await b.ledger.takeUnderWay(entry.id)).toBeNull();
  });

  it('has no post under way for a claim without one, nor once the entry is recorded', async () => {
    const { ledger } = await backend.open();
    const plain = (await ledger.plan(digest('slack:T1:C1'))).entry;
    await ledger.claim(plain.id, ['pending']);
    expect(await ledger.takeUnderWay(plain.id)).toBeNull();

    const sent = (await ledger.plan(digest('discord:G1:C2'))).entry;
    await ledger.claim(sent.id, ['pending'], { key: 'k1', body: BODY });
    await ledger.markSent(sent.id, { messageId: 'm1', contentHash: 'h', storyKeys: ['s-1'] });
    expect(await ledger.takeUnderWay(sent.id)).toBeNull();

    // a failure ends the attempt: its retry, claimed without one, has none
    const failed = (await ledger.plan(digest('discord:G1:C3'))).entry;
    await ledger.claim(failed.id, ['pending'], { key: 'k1', body: BODY });
    await ledger.markFailed(failed.id, 'transient', 'HTTP 502', '2026-12-01T23:40:00.000Z');
    expect(await ledger.takeUnderWay(failed.id)).toBeNull();
    await ledger.claim(failed.id, ['failed']);
    expect(await ledger.takeUnderWay(failed.id)).toBeNull();

    const skipped = (await ledger.plan(digest('discord:G1:C4'))).entry;
    await ledger.claim(skipped.id, ['pending'], { key: 'k1', body: BODY });
    await ledger.markSkipped(skipped.id, 'empty');
    expect(await ledger.takeUnderWay(skipped.id)).toBeNull();
  });

  it('keeps a post under way across a stop, for the next store opened', async () => {
    const clock = manualClock('2026-12-01T23:30:01.000Z');
    const first = await backend.open(clock);
    const { entry } = await first.ledger.plan(digest('discord:G1:C1'));
    await first.ledger.claim(entry.id, ['pending'], { key: 'k3y', body: BODY });
    await backend.close();
    const { ledger } = await backend.open(clock);
    expect(await ledger.takeUnderWay(entry.id)).toEqual({
      key: 'k3y',
      body: BODY,
      startedAt: '2026-12-01T23:30:01.000Z',
    });
  });
});
