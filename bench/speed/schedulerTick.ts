/**
 * One scheduler tick as the service runs it (`DigestScheduler.tick`: the lease, the scheduled destinations and
 * their latest ledger entries read from SQLite, `planTick`, the ledger writes), for 10,000 destinations over five
 * zones with times spread over the day. The first tick plans a day's worth of digests (posted to a platform that
 * answers at once) and records the missed ones as skipped; the later ticks, a minute apart, are the steady state.
 *
 *   node bin/run-ts.js bench/speed/schedulerTick.ts [--json]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openApp } from '../../src/app.ts';
import { DigestScheduler } from '../../src/delivery/digestScheduler.ts';
import { newDestination } from '../../src/engine/destinations.ts';
import { type Spread, spread } from '../lib/stats.ts';
import { formatNumber, renderTables, type Section, spreadRow } from '../lib/table.ts';

export interface SchedulerTickFigure {
  destinations: number;
  firstTickMs: number;
  firstTick: { planned: number; skipped: number };
  steadyMs: Spread;
}

const ZONES = ['Asia/Seoul', 'America/New_York', 'Europe/Berlin', 'UTC', 'Australia/Lord_Howe'];

export async function measureSchedulerTick(destinations = 10_000, ticks = 10): Promise<SchedulerTickFigure> {
  const dir = mkdtempSync(join(tmpdir(), 'newsbrief-tick-'));
  const clock = { ms: Date.parse('2026-03-01T00:00:00Z') };
  const app = openApp({ dbPath: join(dir, 'tick.db'), configPath: null, now: () => new Date(clock.ms) });
  try {
    app.store.transaction(() => {
      for (let i = 0; i < destinations; i++) {
        app.store.destinations.ensure({
          ...newDestination({ platform: 'bench', workspace: 'W', channel: `C${i}`, user: null }),
          digestTime: `${String(i % 24).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}`,
          timeZone: ZONES[i % ZONES.length] as string,
        });
      }
    });
    const scheduler = new DigestScheduler({
      store: app.storage,
      engine: app.engine,
      post: async () => ({ ok: true, messageId: 'bench' }),
      defaultTimeZone: 'UTC',
      now: () => new Date(clock.ms),
      holder: 'bench',
    });
    clock.ms = Date.parse('2026-03-02T00:00:30Z');
    let started = performance.now();
    const first = await scheduler.tick();
    const firstTickMs = performance.now() - started;
    const steady: number[] = [];
    for (let i = 0; i < ticks; i++) {
      clock.ms += 60_000;
      started = performance.now();
      await scheduler.tick();
      steady.push(performance.now() - started);
    }
    return {
      destinations,
      firstTickMs,
      firstTick: { planned: first.planned, skipped: first.skipped },
      steadyMs: spread(steady),
    };
  } finally {
    app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function schedulerTickSection(f: SchedulerTickFigure): Section {
  const k = `${formatNumber(f.destinations / 1000, 0)}k`;
  return {
    title: 'Scheduler tick with the ledger (DigestScheduler.tick on SQLite)',
    rows: [
      spreadRow(
        `one tick, ${k} scheduled destinations`,
        f.steadyMs,
        'ms',
        `steady state, a minute apart; the first tick (${f.firstTick.planned} digests planned and posted to a stand-in, ${f.firstTick.skipped} missed ones recorded) ${formatNumber(f.firstTickMs, 0)} ms`,
      ),
    ],
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const figure = await measureSchedulerTick();
  process.stdout.write(
    process.argv.includes('--json')
      ? `${JSON.stringify(figure, null, 2)}\n`
      : `${renderTables([schedulerTickSection(figure)])}\n`,
  );
}
