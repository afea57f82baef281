import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Bytes of a file in test/fixtures/feeds. */
export function fixture(name: string): Buffer {
  return readFileSync(fileURLToPath(new URL(`../fixtures/feeds/${name}`, import.meta.url)));
}
