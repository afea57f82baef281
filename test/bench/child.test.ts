import { describe, expect, it } from 'vitest';
import { failureReason, lastJson, runNode } from '../../bench/lib/child.ts';

describe('runNode', () => {
  it('collects stdout lines with their times and finds the last JSON line', async () => {
    const run = await runNode([
      '-e',
      'console.log("working"); console.log(JSON.stringify({ ms: 12 })); console.log("")',
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.lines).toEqual(['working', '{"ms":12}', '']);
    expect(run.lineTimes).toHaveLength(3);
    expect(lastJson<{ ms: number }>(run)).toEqual({ ms: 12 });
  });

  it('names the error line of a failed child', async () => {
    const run = await runNode([
      '-e',
      'console.error("at x"); console.error("SqliteError: no such column: version"); process.exit(3)',
    ]);
    expect(failureReason(run)).toBe('exit 3: SqliteError: no such column: version');
    expect(lastJson(run)).toBeNull();
  });

  it('kills a child that runs past its time limit and keeps what it printed', async () => {
    const run = await runNode(['-e', 'console.log("{\\"run\\":1}"); setTimeout(() => {}, 60000)'], { timeoutMs: 1500 });
    expect(run.timedOut).toBe(true);
    expect(failureReason(run)).toBe('timed out');
    expect(lastJson(run)).toEqual({ run: 1 });
  });
});
