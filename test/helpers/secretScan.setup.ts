/**
 * Runs before each test file (vitest setupFiles): the file's log lines, and those of the processes it starts,
 * go to a copy of their own in the scan folder, named after the test file (see secretScan.global.ts).
 */
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'vitest';

const dir = process.env.NEWSBRIEF_LOG_SCAN_DIR;
const testPath = expect.getState().testPath;
if (dir && testPath) {
  const name = relative(process.cwd(), testPath).replace(/[^A-Za-z0-9._-]+/g, '_');
  process.env.NEWSBRIEF_LOG_COPY = join(dir, `${name}.log`);
  // so the scan knows how many test files ran, logging or not
  writeFileSync(join(dir, `${name}.ran`), '');
}
