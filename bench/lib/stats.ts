/** The statistics every benchmark figure is reported with. */

/** A figure measured several times: the median, with the smallest and largest run. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number;
}

function sorted(values: readonly number[]): number[] {
  if (values.length === 0) throw new Error('no values');
  if (values.some((v) => Number.isNaN(v))) throw new Error('NaN among values');
  return [...values].sort((a, b) => a - b);
}

/**
 * The p-th percentile (0–100) by linear interpolation between the closest ranks (numpy's default, Hyndman & Fan
 * type 7): p50 of [1, 2, 3, 4] is 2.5, p100 is the largest value.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is not in [0, 100]`);
  const s = sorted(values);
  const rank = (p / 100) * (s.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lo = s[low] as number;
  return lo + ((s[high] as number) - lo) * (rank - low);
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function spread(values: readonly number[]): Spread {
  const s = sorted(values);
  return { median: median(s), min: s[0] as number, max: s.at(-1) as number, runs: s.length };
}

export interface Latencies {
  p50: number;
  p95: number;
  p99: number;
}

export function latencies(samples: readonly number[]): Latencies {
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), p99: percentile(samples, 99) };
}

/** A spread of per-pass latency percentiles: each pass over a query mix gives one p50, p95 and p99. */
export function latencySpreads(passes: readonly (readonly number[])[]): Record<keyof Latencies, Spread> {
  const perPass = passes.map(latencies);
  return {
    p50: spread(perPass.map((l) => l.p50)),
    p95: spread(perPass.map((l) => l.p95)),
    p99: spread(perPass.map((l) => l.p99)),
  };
}

/** Applies `f` to a spread's values; `f` must be monotonic (rates from times swap min and max). */
export function mapSpread(s: Spread, f: (value: number) => number): Spread {
  const a = f(s.min);
  const b = f(s.max);
  return { median: f(s.median), min: Math.min(a, b), max: Math.max(a, b), runs: s.runs };
}
