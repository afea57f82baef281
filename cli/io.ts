import type { Readable, Writable } from 'node:stream';

/** The streams a CLI command talks to; tests pass their own. */
export interface CliIo {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable;
  env: NodeJS.ProcessEnv;
}

export const processIo = (): CliIo => ({
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});

/** A wrong invocation: main prints the message and the usage, and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function writeLine(stream: Writable, text = ''): void {
  stream.write(`${text}\n`);
}
