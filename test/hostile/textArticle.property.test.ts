/**
 * Hostile saved text: random text and the 16 saved-text fixtures (12 Korean outlets and portals, 4 English wire and
 * tech sites) mutated, through parseTextArticle. Each call returns a well-formed article within PER_INPUT_MS, and a
 * junk line between two body paragraphs never loses the paragraphs around it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTextArticle } from '../../src/extract/index.ts';
import type { ParsedArticle } from '../../src/model.ts';
import { countInputs, mutatedArb, randomTextArb, runs, timed } from './mutate.ts';

const DIR = path.resolve(import.meta.dirname, '../fixtures/saved-text');
const NAMES = readdirSync(DIR)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => f.slice(0, -4));
const SEEDS = NAMES.map((name) => readFileSync(path.join(DIR, `${name}.txt`), 'utf8'));
const EXPECTED = NAMES.map(
  (name) => JSON.parse(readFileSync(path.join(DIR, `${name}.expected.json`), 'utf8')) as { paragraphs: string[] },
);

function parse(text: string): ParsedArticle {
  const article = timed('parseTextArticle', () => parseTextArticle(text, { url: 'https://outlet.example/a/1' }));
  expect(typeof article.title).toBe('string');
  for (const p of [...article.paragraphs, ...article.deck]) {
    expect(typeof p).toBe('string');
    expect(p.length).toBeGreaterThan(0);
  }
  for (const date of [article.publishedAt, article.updatedAt]) {
    if (date !== null) expect(Number.isNaN(Date.parse(date)), date).toBe(false);
  }
  return article;
}

const count = countInputs('hostile saved text');

describe('parseTextArticle on random and mutated text', () => {
  it('returns a well-formed article for random text', () => {
    fc.assert(
      fc.property(randomTextArb, (text) => {
        count('random');
        parse(text);
      }),
      runs(500, 3000),
    );
  });

  it('returns a well-formed article for mutated saved pages of 16 outlets', () => {
    expect(SEEDS.length).toBe(16);
    fc.assert(
      fc.property(mutatedArb(SEEDS), (text) => {
        count('mutated');
        parse(text);
      }),
      runs(500, 5000),
    );
  });

  it('reads huge single lines and 10,000 short lines in time', () => {
    for (const unit of ['1.', 'a-', '가', 'x', '2024.03.05 ', '기자 ', '[서울=뉴시스] ']) {
      parse(`제목입니다\n\n${unit.repeat(200_000 / unit.length)}\n\n본문 문단입니다.`);
    }
    // linear, about 35 µs a line (every line goes through the boilerplate patterns); real pages have hundreds
    parse('줄\n'.repeat(10_000));
  });
});

/** A line a saved page may carry by mistake: binary junk, markup, a bare URL, stray punctuation, a lone syllable. */
const junkLineArb = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }),
  fc.constantFrom('<div class="ad">', '</p>', '&nbsp;&amp;&#0;', '\u0000\u0001\ufffd', '💥💥', '|', '※', '▶'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
);

describe('a junk line never loses the body paragraphs around it', () => {
  it('keeps every expected paragraph of the 16 outlets with a junk line between two of them', () => {
    fc.assert(
      fc.property(fc.nat(SEEDS.length - 1), fc.nat(), junkLineArb, (which, at, junk) => {
        const seed = SEEDS[which] as string;
        const expected = (EXPECTED[which] as { paragraphs: string[] }).paragraphs;
        fc.pre(expected.length >= 2);
        // a line that only reads as a heading or page chrome (`▶`, a lone word) may end the body there: that is
        // what a "most read" heading does; the property is about junk, so the line must not be all letters
        fc.pre(!/^[\p{L}\s]+$/u.test(junk.trim()) && junk.trim().length > 0);
        count('junk line');
        // between two paragraphs in the body's first half (after the dateline paragraph)
        const i = 1 + (at % Math.max(1, Math.floor(expected.length / 2)));
        const before = expected[i - 1] as string;
        const pos = seed.indexOf(before.slice(-20));
        fc.pre(pos !== -1);
        const lineEnd = seed.indexOf('\n', pos);
        fc.pre(lineEnd !== -1);
        const text = `${seed.slice(0, lineEnd)}\n\n${junk.replace(/[\r\n]/g, ' ')}\n${seed.slice(lineEnd)}`;
        const body = parse(text).paragraphs.join('\n');
        for (const p of expected) expect(body, `${NAMES[which]}: ${JSON.stringify(junk)}`).toContain(p);
      }),
      runs(300, 5000),
    );
  });
});
