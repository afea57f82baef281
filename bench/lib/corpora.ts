import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.ts';

/**
 * The shared reference corpora (other people's data, never copied into the project): `../shared/corpora`
 * beside the checkout, or NEWSBRIEF_CORPORA.
 */
export const CORPORA_ROOT = process.env.NEWSBRIEF_CORPORA ?? join(PACKAGE_ROOT, '..', 'shared', 'corpora');

/** The path of a part of the corpora, or null when it is absent. */
export function corpusPart(...parts: string[]): string | null {
  const path = join(CORPORA_ROOT, ...parts);
  return existsSync(path) ? path : null;
}
