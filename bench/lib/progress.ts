/**
 * Progress on stderr, so stdout carries only the table (or the JSON). Workers inherit the benchmark's start
 * time through NEWSBRIEF_BENCH_T0, so every line counts seconds from the same start.
 */
const T0_VARIABLE = 'NEWSBRIEF_BENCH_T0';
const inherited = Number(process.env[T0_VARIABLE]);
const t0 = Number.isFinite(inherited) && inherited > 0 ? inherited : Date.now();
process.env[T0_VARIABLE] = String(t0);

export function progress(message: string): void {
  const seconds = ((Date.now() - t0) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[${seconds}s] ${message}\n`);
}
