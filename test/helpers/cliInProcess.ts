/** The CLI run in the test's own process: its io in memory. */
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../cli/io.ts';
import { main } from '../../cli/main.ts';

/** A CLI io in memory: no input, and what is written to stdout and stderr, read back as text. */
export function memoryIo(env: Record<string, string | undefined> = {}): {
  io: CliIo;
  stdout: () => string;
  stderr: () => string;
} {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  return { io: { stdin: new PassThrough(), stdout, stderr, env }, stdout: () => out, stderr: () => err };
}

/** Runs the CLI in this process (a test's servers keep serving meanwhile), with `env` as its whole environment. */
export async function runMainInProcess(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ status: number; stdout: string; stderr: string }> {
  const memory = memoryIo(env);
  const status = await main(args, memory.io);
  return { status, stdout: memory.stdout(), stderr: memory.stderr() };
}
