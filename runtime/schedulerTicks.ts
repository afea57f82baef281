import cron, { type ScheduledTask } from 'node-cron';
import type { DigestScheduler, TickReport } from '../src/delivery/digestScheduler.ts';
import type { Logger } from '../src/ops/logger.ts';

/**
 * The scheduler's clock: node-cron fires once a minute, a couple of seconds past the minute (a tick a hair
 * before the minute would plan that minute's digest one tick late); each destination's due time in its own zone
 * is computed by the scheduler, not by a cron expression (which skips a day when the time falls in a DST gap).
 * A tick never overlaps the one before.
 */
export class SchedulerTicks {
  private task: ScheduledTask | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private waitingSaid = false;
  private busy = false;
  private last: { leader: boolean; at: string } | null = null;

  constructor(
    private readonly scheduler: DigestScheduler,
    private readonly log: Logger,
    /** Runs after each tick, before the next can start (the scheduler role queues due fetches there). */
    private readonly afterTick: ((report: TickReport) => Promise<void>) | null = null,
  ) {}

  start(): void {
    this.task = cron.schedule('2 * * * * *', () => this.tick(), { noOverlap: true, name: 'digest-scheduler' });
    // The first tick at once: a digest missed while the bot was down goes out now, not a minute later.
    void this.tick();
  }

  private tick(): Promise<unknown> {
    // The first tick (started at once, outside node-cron's noOverlap) may still run when the cron fires: that
    // fire is skipped like any other that would overlap the tick under way.
    if (this.busy) return this.running;
    this.busy = true;
    this.running = this.scheduler.tick().then(
      async (report) => {
        this.last = { leader: report.leader, at: new Date().toISOString() };
        if (!report.leader && !this.waitingSaid) {
          this.waitingSaid = true;
          this.log.warn(
            {},
            'another newsbrief process is posting the scheduled digests from this database; this one waits and takes over if that one stops',
          );
        } else if (report.leader) {
          if (this.waitingSaid) this.log.info({}, 'this process now posts the scheduled digests');
          this.waitingSaid = false;
          if (report.planned + report.skipped > 0) this.log.info({ ...report }, 'scheduler tick');
        }
        await this.afterTick?.(report).catch((error: unknown) => this.log.error({ err: error }, 'after the tick'));
      },
      (error: unknown) => this.log.error({ err: error }, 'scheduler tick failed'),
    );
    this.running = this.running.finally(() => {
      this.busy = false;
    });
    return this.running;
  }

  /** What the last tick that ran found: whether this process holds the scheduler's lease, and when; null before. */
  get lastTick(): { leader: boolean; at: string } | null {
    return this.last;
  }

  /** Stops ticking, lets the tick under way finish its posts, and hands the lease back. */
  async stop(): Promise<void> {
    await this.task?.stop();
    await this.task?.destroy();
    await this.running;
    await this.scheduler.release();
  }
}
