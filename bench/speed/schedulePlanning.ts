/**
 * Planning one scheduler tick (`planTick`, src/schedule/) for 10,000 destinations spread over 50 zones (New York,
 * Berlin, Seoul, Lord Howe and 46 seeded picks from Intl's list), random times of day and weekday sets, each with
 * its last ledger row as a running bot would have it. The ticks are consecutive minutes from 2026-03-08 06:55Z
 * (New York's spring-forward minute is among them); the first runs with the zone cache emptied, as after a
 * start (usually the worst); after each tick the planned slots become the ledger's last rows (not timed).
 *
 *   node bin/run-ts.js bench/speed/schedulePlanning.ts [--json]   (this row alone; `npm run bench` prints it too)
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  clearZoneCache,
  type DigestSchedule,
  type PlanDestination,
  planTick,
  type Slot,
  slotsBetween,
} from '../../src/schedule/index.ts';
import { type Spread, spread } from '../lib/stats.ts';
import { formatNumber, renderTables, type Section, spreadRow } from '../lib/table.ts';
import { timeMs } from '../lib/timing.ts';
import { Rng } from '../synthetic/random.ts';

export interface SchedulePlanningFigure {
  destinations: number;
  zones: number;
  /** One timed tick per run; the first with an empty zone cache. */
  ms: Spread;
  /** The same ticks in CPU time of this process (less disturbed by other processes on the machine). */
  cpuMs: Spread;
  coldMs: number;
  /** Slots planned over all runs. */
  due: number;
  skipped: number;
}

const FIXED_ZONES = ['America/New_York', 'Europe/Berlin', 'Asia/Seoul', 'Australia/Lord_Howe'];
const START = Date.parse('2026-03-08T06:55:00Z');
const DAY = 86_400_000;
const WEEKDAY_SETS: readonly (readonly number[])[] = [[], [], [], [1, 2, 3, 4, 5], [1, 3, 5], [6, 7], [1]];

function pickZones(rng: Rng, count: number): string[] {
  const zones = new Set(FIXED_ZONES);
  const all = Intl.supportedValuesOf('timeZone');
  while (zones.size < Math.min(count, all.length)) zones.add(rng.pick(all));
  return [...zones];
}

function destinations(count: number, zones: readonly string[], rng: Rng): PlanDestination<number>[] {
  return Array.from({ length: count }, (_, id) => {
    const minute = rng.int(0, 1439);
    const schedule: DigestSchedule = {
      time: `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`,
      timeZone: rng.pick(zones),
      weekdays: rng.pick(WEEKDAY_SETS),
    };
    // 5% are new (created within the last day, nothing in the ledger); the rest have their last slot planned.
    if (rng.chance(0.05)) return { id, schedule, lastPlanned: null, createdAtMs: START - rng.int(0, DAY) };
    const createdAtMs = START - 30 * DAY;
    const lastPlanned = slotsBetween(schedule, START - 8 * DAY, START).at(-1) ?? null;
    return { id, schedule, lastPlanned, createdAtMs };
  });
}

/** `runs` ticks a minute apart over `count` destinations; the first tick starts from an empty zone cache. */
export function measureSchedulePlanning(count = 10_000, zoneCount = 50, runs = 15, seed = 42): SchedulePlanningFigure {
  const rng = new Rng(seed);
  const zones = pickZones(rng, zoneCount);
  const list = destinations(count, zones, rng);
  const index = new Map(list.map((d, i) => [d.id, i]));
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let due = 0;
  let skipped = 0;
  clearZoneCache();
  for (let run = 0; run < runs; run++) {
    const now = START + run * 60_000;
    let plan: ReturnType<typeof planTick<number>> | undefined;
    const cpu = process.cpuUsage();
    times.push(timeMs(() => (plan = planTick(list, now))));
    const used = process.cpuUsage(cpu);
    cpuTimes.push((used.user + used.system) / 1000);
    if (!plan || plan.invalid.length > 0) throw new Error('planTick rejected a generated schedule');
    for (const p of [...plan.skipped, ...plan.due]) {
      const i = index.get(p.destinationId) as number;
      const d = list[i] as PlanDestination<number>;
      const last: Slot | null = d.lastPlanned;
      if (!last || p.slot.dueAtMs > last.dueAtMs) list[i] = { ...d, lastPlanned: p.slot };
    }
    due += plan.due.length;
    skipped += plan.skipped.length;
  }
  return {
    destinations: count,
    zones: zones.length,
    ms: spread(times),
    cpuMs: spread(cpuTimes),
    coldMs: times[0] as number,
    due,
    skipped,
  };
}

/** The row `npm run bench` prints. */
export function schedulePlanningSection(f: SchedulePlanningFigure): Section {
  const k = f.destinations >= 1000 ? `${formatNumber(f.destinations / 1000, 0)}k` : String(f.destinations);
  return {
    title: 'Digest scheduling (planTick, pure: no storage)',
    rows: [
      spreadRow(
        `plan one tick, ${k} destinations`,
        f.ms,
        'ms',
        `${f.zones} zones, consecutive minutes; CPU time median ${formatNumber(f.cpuMs.median)} ms; first tick (empty zone cache, cold JIT) ${formatNumber(f.coldMs)} ms; ${f.due} due, ${f.skipped} skipped; budget 100 ms`,
      ),
    ],
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const figure = measureSchedulePlanning();
  const json = process.argv.includes('--json');
  process.stdout.write(
    json ? `${JSON.stringify(figure, null, 2)}\n` : `${renderTables([schedulePlanningSection(figure)])}\n`,
  );
}
