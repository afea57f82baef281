/** The queue's choice of implementation, its policy limits (pg-boss 10's minimums) and its default keys. */
import { describe, expect, it } from 'vitest';
import {
  backoffDelaySeconds,
  checkPolicy,
  defaultJobKey,
  InProcessJobQueue,
  isPostgresUrl,
  openJobQueue,
  PgBossJobQueue,
  parsePayload,
} from '../../runtime/jobs/index.ts';

describe('job queue', () => {
  it('is pg-boss on a postgres:// URL and in-process otherwise', () => {
    expect(openJobQueue('postgres://u@127.0.0.1:1/db')).toBeInstanceOf(PgBossJobQueue);
    expect(openJobQueue('postgresql://u@127.0.0.1:1/db')).toBeInstanceOf(PgBossJobQueue);
    expect(openJobQueue('data/newsbrief.db')).toBeInstanceOf(InProcessJobQueue);
    expect(openJobQueue(null)).toBeInstanceOf(InProcessJobQueue);
    expect(isPostgresUrl('file:postgres://x')).toBe(false);
  });

  it('refuses settings below pg-boss 10 minimums, and bad schema names', () => {
    const ok = { attempts: 1, backoffSeconds: 1, expireSeconds: 1 };
    expect(checkPolicy('fetch', ok)).toBe(ok);
    expect(() => checkPolicy('fetch', { ...ok, attempts: 0 })).toThrow(/attempts/);
    expect(() => checkPolicy('fetch', { ...ok, backoffSeconds: 0.5 })).toThrow(/backoffSeconds/);
    expect(() => checkPolicy('fetch', { ...ok, expireSeconds: 0 })).toThrow(/expireSeconds/);
    expect(() => checkPolicy('fetch', { ...ok, expireSeconds: 86_400 })).toThrow(/expireSeconds/);
    expect(() => new PgBossJobQueue('postgres://x/db', { pollIntervalSeconds: 0.2 })).toThrow(/0\.5/);
    expect(() => new PgBossJobQueue('postgres://x/db', { schema: 'jobs; DROP' })).toThrow(/schema/);
    expect(() => new InProcessJobQueue({ policies: { deliver: { ...ok, attempts: 1.5 } } })).toThrow(/attempts/);
  });

  it('backs off exponentially with jitter, as pg-boss 10 does', () => {
    const policy = { attempts: 5, backoffSeconds: 10, expireSeconds: 60 };
    expect([1, 2, 3].map((n) => backoffDelaySeconds(policy, n, 0))).toEqual([10, 20, 40]);
    expect([1, 2, 3].map((n) => backoffDelaySeconds(policy, n, 0.999_999))).toEqual([
      expect.closeTo(20, 3),
      expect.closeTo(40, 3),
      expect.closeTo(80, 3),
    ]);
  });

  it('keys a job by its source, ledger entry or destination and slot', () => {
    expect(defaultJobKey('fetch', { sourceId: 3 })).toBe('source:3');
    expect(defaultJobKey('deliver', { ledgerEntryId: 12 })).toBe('ledger:12');
    expect(defaultJobKey('deliver', { destination: 'discord:1/2', slot: 'digest:2026-12-02' })).toBe(
      'slot:discord:1/2:digest:2026-12-02',
    );
    expect(() => parsePayload('nope' as never, {})).toThrow(/unknown job kind "nope"/);
    expect(() => parsePayload('toString' as never, {})).toThrow(/unknown job kind/);
  });
});
