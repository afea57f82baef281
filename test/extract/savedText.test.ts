import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTextArticle } from '../../src/extract/index.ts';

/**
 * Text saved from the pages of many outlets and portals (written by the team in their layouts, with invented
 * stories): navigation above the headline, meta lines in each outlet's shape, tool rows, datelines and tails.
 */
const dir = path.resolve(import.meta.dirname, '../fixtures/saved-text');
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => f.replace(/\.txt$/, ''))
  .sort();

interface Expected {
  title: string;
  byline: string | null;
  source: string | null;
  publishedAt: string | null;
  updatedAt: string | null;
  paragraphs: string[];
}

describe('parseTextArticle on pages saved as text from other outlets', () => {
  it('has fixtures in the layouts of at least 10 Korean and 4 English outlets', () => {
    const english = names.filter((n) => ['reuters', 'ap', 'techcrunch', 'verge'].includes(n));
    expect(names.length - english.length).toBeGreaterThanOrEqual(10);
    expect(english).toHaveLength(4);
  });

  it.each(names)('%s: headline, byline, source, dates and body without chrome', (name) => {
    const expected = JSON.parse(readFileSync(path.join(dir, `${name}.expected.json`), 'utf8')) as Expected;
    const article = parseTextArticle(readFileSync(path.join(dir, `${name}.txt`), 'utf8'));
    expect({
      title: article.title,
      byline: article.byline,
      source: article.source,
      publishedAt: article.publishedAt,
      updatedAt: article.updatedAt,
      paragraphs: article.paragraphs,
    }).toEqual(expected);
  });
});
