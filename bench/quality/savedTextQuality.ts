/**
 * Saved-text extraction on the team's fixtures in other outlets' layouts (`test/fixtures/saved-text`): exact-field
 * accuracy of `parseTextArticle` against each fixture's `.expected.json` (title, byline, source, published and
 * updated times, and the body as `newsbrief extract` prints it).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseTextArticle } from '../../src/extract/index.ts';
import { formatNumber, type Section, valueRow } from '../lib/table.ts';

export const SAVED_TEXT_FIXTURES = resolve(import.meta.dirname, '../../test/fixtures/saved-text');

const FIELDS = ['title', 'byline', 'source', 'publishedAt', 'updatedAt', 'text'] as const;
type Field = (typeof FIELDS)[number];

export interface SavedTextQuality {
  articles: number;
  /** Fields right over all fields of all articles. */
  accuracy: number;
  /** Articles with every field right. */
  exactArticles: number;
  byField: Record<Field, number>;
  /** `file: field, field` for every article with a wrong field. */
  misses: string[];
}

interface Expected {
  title: string;
  byline: string | null;
  source: string | null;
  publishedAt: string | null;
  updatedAt: string | null;
  paragraphs: string[];
}

export function measureSavedTextQuality(dir: string = SAVED_TEXT_FIXTURES): SavedTextQuality {
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort();
  const byField = Object.fromEntries(FIELDS.map((f) => [f, 0])) as Record<Field, number>;
  const misses: string[] = [];
  let exactArticles = 0;
  for (const name of names) {
    const expected = JSON.parse(readFileSync(join(dir, name.replace(/\.txt$/, '.expected.json')), 'utf8')) as Expected;
    const a = parseTextArticle(readFileSync(join(dir, name), 'utf8'));
    const actual: Record<Field, string | null> = { ...a, text: a.paragraphs.join('\n\n') };
    const want: Record<Field, string | null> = { ...expected, text: expected.paragraphs.join('\n\n') };
    const wrong = FIELDS.filter((f) => actual[f] !== want[f]);
    for (const f of FIELDS) if (!wrong.includes(f)) byField[f]++;
    if (wrong.length === 0) exactArticles++;
    else misses.push(`${name}: ${wrong.join(', ')}`);
  }
  const right = Object.values(byField).reduce((s, n) => s + n, 0);
  return {
    articles: names.length,
    accuracy: names.length ? right / (names.length * FIELDS.length) : 0,
    exactArticles,
    byField,
    misses,
  };
}

export function savedTextSection(q: SavedTextQuality): Section {
  const of = (n: number) => `${n}/${q.articles}`;
  return {
    title: 'Saved text from other outlets (test/fixtures/saved-text, exact fields)',
    rows: [
      valueRow('exact-field accuracy', formatNumber(q.accuracy, 3), `${q.articles} articles × ${FIELDS.length} fields`),
      valueRow('articles with every field right', of(q.exactArticles), q.misses.join('; ')),
      ...FIELDS.map((f) => valueRow(`  ${f}`, of(q.byField[f]))),
    ],
  };
}
