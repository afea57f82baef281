import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding newsbrief's package.json, whether running from src/ (tsx) or dist/ (compiled). */
function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'config'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(start, '..');
    dir = parent;
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
export const TOPIC_CATALOG_PATH = join(PACKAGE_ROOT, 'config', 'topics.yaml');
export const SAMPLE_NEWS_PATH = join(PACKAGE_ROOT, 'config', 'sample');
