/**
 * vitest globalSetup: every log line the suite writes (through createLogger, in this process, the workers and
 * any child process, which inherit NEWSBRIEF_LOG_COPY) is copied to a folder, and at the end each line is
 * scanned for the registered secrets (test/helpers/secrets.ts) and for anything shaped like a token. A leak
 * fails the run and names the file and line. So does a scan that saw too little to mean anything.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Leak, leaksIn } from './secrets.ts';

let dir = '';
const SEVERAL_FILES = 5;
const MANY_FILES = 20;
const MIN_FILES_WITH_LINES = 3;

export function setup(): void {
  dir = mkdtempSync(join(tmpdir(), 'newsbrief-logscan-'));
  process.env.NEWSBRIEF_LOG_SCAN_DIR = dir;
  process.env.NEWSBRIEF_LOG_COPY = join(dir, 'unattributed.log');
}

export function teardown(): void {
  const leaks: (Leak & { file: string; lineNo: number })[] = [];
  const withLines = new Set<string>();
  let lines = 0;
  const all = readdirSync(dir).sort();
  const ran = all.filter((f) => f.endsWith('.ran')).length;
  for (const file of all.filter((f) => !f.endsWith('.ran'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    text.split('\n').forEach((line, i) => {
      if (!line.trim()) return;
      lines++;
      withLines.add(file.replace(/\.log(\.child)?$/, ''));
      for (const leak of leaksIn(line)) leaks.push({ ...leak, file: join(dir, file), lineNo: i + 1 });
    });
  }
  if (leaks.length > 0) {
    // vitest reports an error thrown here but still exits 0: the exit status has to be set as well
    process.exitCode = 1;
    const shown = leaks.slice(0, 20).map((l) => `  ${l.file}:${l.lineNo}: ${l.what}\n    ${l.line.slice(0, 400)}`);
    throw new Error(
      `secret scan: ${leaks.length} leak(s) in the suite's log lines (copies kept in ${dir}):\n${shown.join('\n')}`,
    );
  }
  // A scan that read nothing proves nothing: a run of several test files must have logged, a run of many from
  // several files (one file alone may log nothing at all).
  const needed = ran >= MANY_FILES ? MIN_FILES_WITH_LINES : ran >= SEVERAL_FILES ? 1 : 0;
  if (withLines.size < needed) {
    process.exitCode = 1;
    throw new Error(
      `secret scan: ${ran} test files ran but only ${withLines.size} left log lines in ${dir}; NEWSBRIEF_LOG_COPY is not reaching the loggers`,
    );
  }
  process.stdout.write(
    `secret scan: ${lines} log lines from ${withLines.size} of ${ran} test files, no secret and no token shape\n`,
  );
  rmSync(dir, { recursive: true, force: true });
}
