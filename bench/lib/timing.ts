/** Wall-clock timing helpers; all times in milliseconds. */

export function elapsedMs(start: number): number {
  return performance.now() - start;
}

export function timeMs(work: () => unknown): number {
  const start = performance.now();
  work();
  return elapsedMs(start);
}

/** Runs `work` `runs` times (after `warmup` untimed runs) and returns each run's time. */
export function timeRuns(runs: number, work: () => unknown, warmup = 1): number[] {
  for (let i = 0; i < warmup; i++) work();
  return Array.from({ length: runs }, () => timeMs(work));
}

export function peakRssMb(): number {
  // maxRSS is in kilobytes.
  return process.resourceUsage().maxRSS / 1024;
}
