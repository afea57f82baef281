/**
 * What `/healthz` and `/metrics` add for a process run apart: the shared queue's jobs of each kind (queued,
 * retrying, active, failed) and, for a scheduler, whether it leads. Load balancers probe often and several
 * processes share the database, so the counts (one statement) are read at most once per `maxAgeMs`; probes and
 * scrapes in between get that reading. Leadership is what the last tick found: reading it costs nothing.
 */
import type { Registry } from 'prom-client';
import type { HealthReport } from '../src/ops/healthServer.ts';
import { addJobGauge, addLeaderGauge } from '../src/ops/metrics.ts';
import type { JobCounts, JobKind, JobQueue } from './jobs/queue.ts';
import type { SchedulerTicks } from './schedulerTicks.ts';

export interface RoleHealthOptions {
  /** How long one reading of the counts serves; default 5 s. */
  maxAgeMs?: number;
  now?: () => number;
}

export type QueueHealth = { ok: true; jobs: Record<JobKind, JobCounts> } | { ok: false; error: string };

export interface SchedulerHealth {
  /** Whether this process held the scheduler's lease at its last tick; null before its first. */
  leader: boolean | null;
  lastTickAt: string | null;
}

export class RoleHealth {
  private queue: JobQueue | null = null;
  private ticks: Pick<SchedulerTicks, 'lastTick'> | null = null;
  private reading: { at: number; counts: Promise<Record<JobKind, JobCounts>> } | null = null;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(
    private readonly registry: Registry,
    options: RoleHealthOptions = {},
  ) {
    this.maxAgeMs = options.maxAgeMs ?? 5_000;
    this.now = options.now ?? Date.now;
  }

  /** Shows this (started) queue's jobs from now on. */
  watchQueue(queue: JobQueue): void {
    this.queue = queue;
    addJobGauge(this.registry, () => this.counts());
  }

  /** Shows whether this scheduler leads from now on. */
  watchScheduler(ticks: Pick<SchedulerTicks, 'lastTick'>): void {
    this.ticks = ticks;
    addLeaderGauge(this.registry, () => ticks.lastTick?.leader ?? null);
  }

  /** `report` with the queue and the scheduler added; a queue that cannot be counted makes it `degraded`. */
  async extend(report: HealthReport): Promise<HealthReport> {
    const extended: HealthReport = { ...report };
    if (this.queue) {
      const queue = await this.queueHealth();
      extended.queue = queue;
      if (!queue.ok && extended.status === 'ok') extended.status = 'degraded';
    }
    if (this.ticks) {
      const last = this.ticks.lastTick;
      const scheduler: SchedulerHealth = { leader: last?.leader ?? null, lastTickAt: last?.at ?? null };
      extended.scheduler = scheduler;
    }
    return extended;
  }

  private async queueHealth(): Promise<QueueHealth> {
    try {
      return { ok: true, jobs: await this.counts() };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }

  private counts(): Promise<Record<JobKind, JobCounts>> {
    const queue = this.queue;
    if (!queue) return Promise.reject(new Error('no queue is watched'));
    const now = this.now();
    if (!this.reading || now - this.reading.at >= this.maxAgeMs) {
      const counts = queue.counts();
      const reading = { at: now, counts };
      this.reading = reading;
      // a failed reading is not kept: the next probe asks again
      counts.catch(() => {
        if (this.reading === reading) this.reading = null;
      });
    }
    return this.reading.counts;
  }
}
