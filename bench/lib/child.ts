import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { PACKAGE_ROOT } from '../../src/paths.ts';

export interface ChildRun {
  /** Lines the child printed on stdout. */
  lines: string[];
  /** ms from spawn to each stdout line. */
  lineTimes: number[];
  exitCode: number | null;
  timedOut: boolean;
  /** The last lines the child wrote to stderr (for error messages). */
  stderrTail: string[];
  /** ms from spawn to exit. */
  elapsedMs: number;
}

const STDERR_TAIL_LINES = 40;

export interface ChildOptions {
  timeoutMs?: number;
  /** Pass the child's stderr through to ours as it comes (progress of workers). */
  forwardStderr?: boolean;
  onLine?: (line: string, atMs: number) => void;
}

/**
 * Runs `node ARGS…` from the package root and collects its stdout lines with their arrival times. On timeout
 * the child (only the one this call started) is killed and the lines so far are returned.
 */
export function runNode(args: readonly string[], options: ChildOptions = {}): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: PACKAGE_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    const lines: string[] = [];
    const lineTimes: number[] = [];
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? null
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, options.timeoutMs);
    if (!child.stdout) throw new Error('no stdout pipe');
    createInterface({ input: child.stdout }).on('line', (line) => {
      const at = performance.now() - start;
      lines.push(line);
      lineTimes.push(at);
      options.onLine?.(line, at);
    });
    const stderrTail: string[] = [];
    if (child.stderr) {
      createInterface({ input: child.stderr }).on('line', (line) => {
        if (options.forwardStderr) process.stderr.write(`${line}\n`);
        stderrTail.push(line);
        if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
      });
    }
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode) => {
      if (timer) clearTimeout(timer);
      resolve({ lines, lineTimes, exitCode, timedOut, stderrTail, elapsedMs: performance.now() - start });
    });
  });
}

/** Runs a TypeScript worker script (through bin/run-ts.js) with arguments. */
export function runWorker(script: string, args: readonly string[], options: ChildOptions = {}): Promise<ChildRun> {
  return runNode(['bin/run-ts.js', script, ...args], { forwardStderr: true, ...options });
}

/** Why a child failed, in one line: its exit code and the last error line it printed. */
export function failureReason(run: ChildRun): string {
  if (run.timedOut) return 'timed out';
  const error = [...run.stderrTail].reverse().find((line) => /^\w*(Error|Exception)\b|^Error:/.test(line.trim()));
  return `exit ${run.exitCode}${error ? `: ${error.trim()}` : ''}`;
}

/** The JSON object a line holds, or null when it holds none. */
export function parseJsonLine<T>(line: string): T | null {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return null;
  try {
    return JSON.parse(trimmed) as T;
  } catch {
    return null;
  }
}

/** The JSON object on the last line a worker printed that parses as one. */
export function lastJson<T>(run: ChildRun): T | null {
  for (let i = run.lines.length - 1; i >= 0; i--) {
    const parsed = parseJsonLine<T>(run.lines[i] ?? '');
    if (parsed) return parsed;
  }
  return null;
}
