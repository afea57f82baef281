/**
 * Start-up time of the bot, `newsbrief start --once`, timed from spawn to the digest's first line and to exit,
 * in two setups: the demo (no tokens, no config file: it re-reads the bundled sample into its database, then
 * prints the sample's newest day) and a configured bot on an already-filled database (a config file, the
 * sample ingested beforehand: open, migrate, build today's digest). The first demo run fills the database.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { failureReason, runNode } from '../lib/child.ts';
import { progress } from '../lib/progress.ts';
import { type Spread, spread } from '../lib/stats.ts';

export interface StartupSetup {
  toDigestMs: Spread;
  toExitMs: Spread;
}

export interface StartupTimes {
  /** The first demo start, on an empty database (it ingests the sample). */
  firstStartMs: number;
  demo: StartupSetup;
  configured: StartupSetup;
}

/**
 * `start` prints a blank line and then the digest (after the demo's ingest lines, if any): the digest's first
 * line is the first non-empty line after an empty one.
 */
export function digestLineIndex(lines: readonly string[]): number {
  const blank = lines.findIndex((line) => line.trim() === '');
  if (blank < 0) return -1;
  return lines.findIndex((line, i) => i > blank && line.trim() !== '');
}

async function startOnce(args: string[]): Promise<{ toDigestMs: number; toExitMs: number }> {
  const run = await runNode(['bin/newsbrief.js', 'start', '--once', ...args], { timeoutMs: 120_000 });
  if (run.timedOut || run.exitCode !== 0) throw new Error(`newsbrief start --once failed (${failureReason(run)})`);
  const line = digestLineIndex(run.lines);
  if (line < 0) throw new Error('newsbrief start --once printed no digest');
  return { toDigestMs: run.lineTimes[line] as number, toExitMs: run.elapsedMs };
}

async function timeSetup(name: string, args: string[], runs: number): Promise<StartupSetup> {
  const times: { toDigestMs: number; toExitMs: number }[] = [];
  for (let i = 0; i < runs; i++) {
    times.push(await startOnce(args));
    progress(`  ${name} start ${i + 1}/${runs}: ${Math.round(times.at(-1)?.toExitMs ?? 0)} ms`);
  }
  return { toDigestMs: spread(times.map((t) => t.toDigestMs)), toExitMs: spread(times.map((t) => t.toExitMs)) };
}

/** `runs` timed starts of the configured bot; the slower demo gets at least 3. */
export async function measureStartup(dir: string, runs: number): Promise<StartupTimes> {
  const dbPath = join(dir, 'startup.db');
  const configPath = join(dir, 'startup.yaml');
  writeFileSync(configPath, `database: ${JSON.stringify(dbPath)}\ntimeZone: Asia/Seoul\n`);
  // An absent --config path keeps the demo even when the checkout has a newsbrief.yaml of its own.
  const demoArgs = ['--db', dbPath, '--config', join(dir, 'absent.yaml')];
  const first = await startOnce(demoArgs);
  return {
    firstStartMs: first.toExitMs,
    demo: await timeSetup('demo', demoArgs, Math.min(runs, 3)),
    configured: await timeSetup('configured', ['--db', dbPath, '--config', configPath], runs),
  };
}
