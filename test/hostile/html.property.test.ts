/**
 * Hostile HTML pages: random and mutated pages (seeds in the layouts of a Korean outlet, an English wire page, a
 * JSON-LD-only page and a Next.js page) through extractHtmlArticle, and through readFetchedDocument as bytes under
 * any label. Each call returns a well-formed article within PER_INPUT_MS; junk in a page's furniture (a broken
 * script, entity soup, deep nesting, binary) never loses the article's paragraphs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { MAX_DEPTH } from '../../src/extract/budget.ts';
import { extractHtmlArticle } from '../../src/extract/index.ts';
import { readFetchedDocument, UnreadableDocumentError } from '../../src/ingest/fetchedDocument.ts';
import type { ParsedArticle } from '../../src/model.ts';
import { countInputs, INJECTIONS, mutatedArb, mutatedBytesArb, randomTextArb, runs, timed } from './mutate.ts';

const fixture = (name: string) => readFileSync(path.resolve(import.meta.dirname, '../fixtures/extract', name), 'utf8');
const SEEDS = ['ko-news.html', 'en-news.html', 'ld-body-only.html', 'next-data.html'].map(fixture);
const URL = 'https://www.outlet.example/news/1';

function extract(html: string): ParsedArticle {
  const article = timed('extractHtmlArticle', () => extractHtmlArticle(html, { url: URL }));
  expect(typeof article.title).toBe('string');
  expect(Array.isArray(article.paragraphs)).toBe(true);
  for (const p of [...article.paragraphs, ...article.deck]) {
    expect(typeof p).toBe('string');
    expect(p.length).toBeGreaterThan(0);
  }
  for (const date of [article.publishedAt, article.updatedAt]) {
    if (date !== null) expect(Number.isNaN(Date.parse(date)), date).toBe(false);
  }
  return article;
}

const count = countInputs('hostile HTML');

describe('extractHtmlArticle on random and mutated pages', () => {
  it('returns a well-formed article for random text', () => {
    fc.assert(
      fc.property(randomTextArb, (text) => {
        count('random');
        extract(text);
      }),
      runs(300, 3000),
    );
  });

  it('returns a well-formed article for mutated pages', () => {
    for (const seed of SEEDS) expect(extract(seed).paragraphs.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(mutatedArb(SEEDS), (html) => {
        count('mutated');
        extract(html);
      }),
      runs(250, 6000),
    );
  });

  it('reads fetched bytes (flipped, cut, EUC-KR, under any label) as a page, a feed or an UnreadableDocumentError', () => {
    const bytes = [
      ...SEEDS.map((s) => new Uint8Array(Buffer.from(s))),
      new Uint8Array(iconv.encode(SEEDS[0]?.replace('charset="utf-8"', 'charset="euc-kr"') ?? '', 'cp949')),
    ];
    const types = [
      null,
      'text/html',
      'text/html; charset=euc-kr',
      'text/html; charset=utf-8',
      'application/octet-stream',
    ];
    fc.assert(
      fc.property(mutatedBytesArb(bytes), fc.constantFrom(...types), (body, contentType) => {
        count('fetched bytes');
        try {
          timed('readFetchedDocument', () => readFetchedDocument(body, contentType, URL));
        } catch (error) {
          // a body that happens to start like a feed is read as one (and may fail as one)
          if (!(error instanceof UnreadableDocumentError) && (error as Error).name !== 'FeedParseError') throw error;
        }
      }),
      runs(150, 4000),
    );
  });
});

/** Junk that legitimately swallows what follows (an unclosed comment, script, textarea …) is left out. */
const SWALLOWING =
  /<!--|<!\[CDATA\[|<(?:script|style|textarea|title|xmp|plaintext|noscript|template|iframe|noembed|noframes|select|option|table|svg|math)\b|["']/i;

/** Junk as a short description (so a failure prints small), made into markup by `junkHtml`. */
type Junk =
  | { kind: 'text' | 'soup' | 'jsonLd' | 'nextData'; text: string }
  | { kind: 'nest' | 'refs' | 'run'; n: number };

const junkArb: fc.Arbitrary<Junk> = fc.oneof(
  fc.record({ kind: fc.constant('text' as const), text: fc.string({ unit: 'binary', maxLength: 200 }) }),
  fc.record({
    kind: fc.constant('soup' as const),
    text: fc.array(fc.constantFrom(...INJECTIONS), { maxLength: 40 }).map((parts) => parts.join('')),
  }),
  fc.record({ kind: fc.constant('jsonLd' as const), text: fc.string({ maxLength: 200 }) }),
  fc.record({ kind: fc.constant('nextData' as const), text: fc.string({ maxLength: 100 }) }),
  // nesting under the markup budget's depth (deeper pages are read without a DOM: see the explicit cases)
  fc.record({ kind: fc.constant('nest' as const), n: fc.integer({ min: 1, max: MAX_DEPTH - 20 }) }),
  fc.record({ kind: fc.constant('refs' as const), n: fc.integer({ min: 1, max: 30_000 }) }),
  fc.record({ kind: fc.constant('run' as const), n: fc.integer({ min: 1, max: 20_000 }) }),
);

function junkHtml(junk: Junk): string {
  switch (junk.kind) {
    case 'text':
    case 'soup':
      return junk.text;
    case 'jsonLd':
      return `<script type="application/ld+json">{"@type":"NewsArticle","headline":${junk.text}</script>`;
    case 'nextData':
      return `<script id="__NEXT_DATA__" type="application/json">${junk.text}</script>`;
    case 'nest':
      return `${'<div>'.repeat(junk.n)}x${'</div>'.repeat(junk.n)}`;
    case 'refs':
      return `<span>${'&lt;&amp;&#x41;'.repeat(junk.n)}</span>`;
    case 'run':
      return `<p>${'1.'.repeat(junk.n)}</p>`;
  }
}

describe('junk in the page furniture never loses the article', () => {
  it('keeps every paragraph of the article with junk before, after or inside the navigation and footer', () => {
    const baselines = SEEDS.map((seed) => extract(seed).paragraphs);
    fc.assert(
      fc.property(
        fc.nat(SEEDS.length - 1),
        fc.constantFrom('<body>', '</nav>', '</header>', '<footer>', '</body>'),
        junkArb.map(junkHtml).filter((junk) => !SWALLOWING.test(junk)),
        (which, where, junk) => {
          // The JSON-LD-only and Next.js pages show a "loading" stub and carry the article in a script: visible text
          // of 120 characters or more is taken for the article before any script is read (a heuristic, not a
          // crash), so those pages get short junk only.
          fc.pre(which < 2 || junk.length < 100);
          count('junk in furniture');
          const seed = SEEDS[which] as string;
          const at = seed.indexOf(where);
          const page = at === -1 ? seed : seed.slice(0, at + where.length) + junk + seed.slice(at + where.length);
          const paragraphs = extract(page).paragraphs.join('\n');
          for (const p of baselines[which] as string[]) expect(paragraphs, junk.slice(0, 100)).toContain(p);
        },
      ),
      runs(150, 6000),
    );
  });
});

describe('explicit hostile pages', () => {
  const article = (inner: string) =>
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Cap test</title></head><body><article><p>The real first paragraph of the article says what happened, in full sentences.</p>${inner}<p>The real last paragraph of the article ends the story, also in full sentences.</p></article></body></html>`;
  const kept = (a: ParsedArticle) => [a.paragraphs[0], a.paragraphs.at(-1)];
  const ENDS = [
    'The real first paragraph of the article says what happened, in full sentences.',
    'The real last paragraph of the article ends the story, also in full sentences.',
  ];

  it('reads long runs that once made an e-mail pattern quadratic (1.1.1.…, a-a-a-…, 2024.2024.…) in linear time', () => {
    for (const unit of ['1.', 'a-', '2024.', 'x_', '1']) {
      const a = extract(article(`<p>${unit.repeat(200_000 / unit.length)}</p>`));
      expect(kept(a)).toEqual(ENDS);
    }
  });

  it('reads a page of 300,000 character references (each one a DOM node) without building that DOM', () => {
    const a = extract(article(`<p>${'&lt;&amp;&#8217;'.repeat(100_000)}</p>`));
    expect(kept(a)).toEqual(ENDS);
  });

  it('never expands entities: a billion-laughs DOCTYPE, SYSTEM and parameter entities stay text or vanish', () => {
    const laughs =
      '<!DOCTYPE html [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY % p SYSTEM "http://127.0.0.1:1/x.dtd">%p;]>';
    const a = extract(
      `${laughs}${article('<p>Entities &lol2; &xxe; &p; stay as they were written here in text.</p>')}`,
    );
    const text = a.paragraphs.join('\n');
    expect(text).not.toContain('lollol');
    expect(text).not.toContain('root:');
    expect(kept(a)).toEqual(ENDS);
  });

  it('reads a Next.js page with a chain of wrappers just under and far over the depth budget, in time', () => {
    const next = SEEDS[3] as string;
    for (const n of [MAX_DEPTH - 10, MAX_DEPTH + 10, 1_900]) {
      const page = next.replace('<body>', `<body>${'<div>'.repeat(n)}x${'</div>'.repeat(n)}`);
      const a = extract(page);
      if (n < MAX_DEPTH) expect(a.paragraphs[0]).toMatch(/^Quillbyte, a three-year-old startup/);
    }
  });

  it('reads 100,000 levels of nesting (the flat reader) and keeps the text', () => {
    const a = extract(article(`${'<div><span>'.repeat(50_000)}deep text${'</span></div>'.repeat(50_000)}`));
    expect(a.paragraphs.join('\n')).toContain('The real first paragraph');
    expect(a.paragraphs.join('\n')).toContain('deep text');
  });
});
