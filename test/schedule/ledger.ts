/**
 * A test double of the delivery ledger: one row per (destination, local date), as the storage's unique key
 * would keep it, fed by planTick tick after tick. Rows planned twice are counted, not overwritten.
 */
import { type DigestSchedule, type PlanOptions, planTick, type Slot } from '../../src/schedule/index.ts';

export interface LedgerRow {
  slot: Slot;
  state: 'due' | 'skipped';
  reason?: string;
  plannedAtMs: number;
}

export class FakeLedger {
  readonly rows = new Map<string, LedgerRow>();
  /** Slots planned again for a local date the ledger already held (the unique key would refuse them). */
  readonly duplicates: { slot: Slot; plannedAtMs: number }[] = [];
  /** Ticks that planned more than one due slot for the destination. */
  readonly multiDueTicks: number[] = [];
  last: Slot | null = null;

  constructor(
    public schedule: DigestSchedule,
    public createdAtMs: number,
    private readonly options: PlanOptions = {},
  ) {}

  tick(nowMs: number): void {
    const plan = planTick(
      [{ id: 'd', schedule: this.schedule, lastPlanned: this.last, createdAtMs: this.createdAtMs }],
      nowMs,
      this.options,
    );
    if (plan.invalid.length > 0) throw new Error(plan.invalid[0]?.error);
    if (plan.due.length > 1) this.multiDueTicks.push(nowMs);
    for (const s of plan.skipped) this.insert(s.slot, 'skipped', nowMs, s.reason);
    for (const d of plan.due) this.insert(d.slot, 'due', nowMs);
  }

  /** Ticks at every whole minute in [fromMs, toMs]. */
  tickEveryMinute(fromMs: number, toMs: number): void {
    for (let t = Math.ceil(fromMs / 60_000) * 60_000; t <= toMs; t += 60_000) this.tick(t);
  }

  private insert(slot: Slot, state: LedgerRow['state'], plannedAtMs: number, reason?: string): void {
    if (this.rows.has(slot.localDate)) {
      this.duplicates.push({ slot, plannedAtMs });
      return;
    }
    this.rows.set(slot.localDate, reason ? { slot, state, reason, plannedAtMs } : { slot, state, plannedAtMs });
    if (!this.last || slot.dueAtMs > this.last.dueAtMs) this.last = slot;
  }

  sortedRows(): LedgerRow[] {
    return [...this.rows.values()].sort((a, b) => a.slot.dueAtMs - b.slot.dueAtMs);
  }
}
