/** A small flag parser for the benchmark scripts: `--json`, `--name value`, `--name=value`. */
export interface ParsedArgs {
  flags: Set<string>;
  values: Map<string, string>;
}

export class ArgsError extends Error {}

export function parseArgs(argv: readonly string[], valueNames: readonly string[], flagNames: readonly string[]) {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [name, inline] = arg.startsWith('--') ? arg.slice(2).split(/=(.*)/s, 2) : [null, undefined];
    if (name === null || name === undefined) throw new ArgsError(`unexpected argument ${arg}`);
    if (flagNames.includes(name) && inline === undefined) flags.add(name);
    else if (valueNames.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new ArgsError(`--${name} needs a value`);
      values.set(name, value);
    } else throw new ArgsError(`unknown option --${name}`);
  }
  return { flags, values } satisfies ParsedArgs;
}

/** A positive integer option, with `_` or `,` allowed as digit separators (`100_000`). */
export function positiveInt(text: string, name: string): number {
  const n = Number(text.replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < 1) throw new ArgsError(`--${name} must be a positive integer, got ${text}`);
  return n;
}

/**
 * Runs a benchmark's `main` as its script: a wrong argument exits 2 with its message, any other error 1 with its
 * stack, and `cleanUp` runs whatever happened (throwaway clusters, child processes, temporary folders).
 */
export async function runBenchmark(main: () => Promise<void>, cleanUp: () => unknown): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof ArgsError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    }
  } finally {
    await cleanUp();
  }
}
