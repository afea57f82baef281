/**
 * Runs the parser over the shared reference corpora when they are present (../shared/corpora, see its README).
 * They are other people's data and are never copied into the project.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../src/feeds/index.ts';

const koreanRoot = fileURLToPath(new URL('../../../shared/corpora/feeds/euc-kr/tests', import.meta.url));
const present = existsSync(koreanRoot);
if (!present) console.warn(`corpora.test.ts: skipped, ${koreanRoot} not found`);

describe.skipIf(!present)('Korean feeds from chardet (EUC-KR / CP949)', () => {
  const files = present
    ? ['EUC-KR', 'CP949'].flatMap((dir) =>
        readdirSync(join(koreanRoot, dir))
          .filter((f) => f.endsWith('.xml'))
          .map((f) => join(koreanRoot, dir, f)),
      )
    : [];

  it('finds all 29 feeds', () => {
    expect(files).toHaveLength(29);
  });

  it.each(files.map((f) => [f.slice(koreanRoot.length + 1), f]))('%s: readable Hangul, dates parsed', (_name, file) => {
    const feed = parseFeed(readFileSync(file));
    expect(feed.items.length).toBeGreaterThan(0);
    expect(JSON.stringify(feed)).not.toContain('\ufffd');
    const titles = [feed.title, ...feed.items.map((i) => i.title)];
    expect(titles.some((t) => /[\uac00-\ud7a3]/.test(t ?? ''))).toBe(true);
    const raw = readFileSync(file, 'latin1');
    if (/<(?:pubDate|dc:date)>/i.test(raw)) expect(feed.items.filter((i) => !i.published)).toEqual([]);
  });
});
