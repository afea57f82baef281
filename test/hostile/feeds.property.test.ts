/**
 * Hostile feeds: random and mutated documents in every layout parseFeed reads (RSS 2.0, Atom, RDF/RSS 1.0, JSON
 * Feed, Korean RSS in EUC-KR), as text and as bytes with and without a Content-Type. parseFeed gives a feed or a
 * FeedParseError, never anything else, each call within PER_INPUT_MS; and one corrupted item in the middle never
 * loses the good items around it.
 */
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { FeedParseError, parseFeed } from '../../src/feeds/index.ts';
import type { ParsedFeed } from '../../src/model.ts';
import {
  applyMutation,
  countInputs,
  mutatedArb,
  mutatedBytesArb,
  mutationArb,
  randomTextArb,
  runs,
  timed,
} from './mutate.ts';

type Layout = 'rss' | 'atom' | 'rdf' | 'json' | 'korean';

interface Entry {
  n: number;
  cdata: boolean;
}

const title = (layout: Layout, n: number) => (layout === 'korean' ? `삼성전자 반도체 소식 ${n}호` : `Good story ${n}`);
const link = (n: number) => `https://outlet.example/news/${n}`;

function xmlItem(layout: Layout, { n, cdata }: Entry): string {
  const body = cdata ? `<![CDATA[<p>Body of ${n} & more</p>]]>` : `Body of ${n} &amp; more`;
  switch (layout) {
    case 'atom':
      return `<entry><title type="html">${title(layout, n)}</title><id>tag:outlet.example,2026:${n}</id><link rel="alternate" href="${link(n)}"/><updated>2026-11-2${n % 10}T08:00:00Z</updated><author><name>Writer ${n}</name></author><summary type="html">${body}</summary></entry>`;
    case 'rdf':
      return `<item rdf:about="${link(n)}"><title>${title(layout, n)}</title><link>${link(n)}</link><description>${body}</description><dc:date>2026-11-2${n % 10}T08:00:00+09:00</dc:date><dc:creator>Writer ${n}</dc:creator></item>`;
    default:
      return `<item><title>${title(layout, n)}</title><link>${link(n)}</link><guid isPermaLink="false">id-${n}</guid><pubDate>Thu, 26 Nov 2026 0${n % 10}:00:00 +0900</pubDate><description>${body}</description><dc:creator>기자 ${n}</dc:creator><content:encoded>${body}</content:encoded></item>`;
  }
}

/** A whole document around `items` (already written), in the layout's usual shape. */
function xmlDocument(layout: Exclude<Layout, 'json'>, items: string[]): string {
  switch (layout) {
    case 'atom':
      return `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>Outlet</title><id>tag:outlet.example,2026:feed</id><link href="https://outlet.example/"/><updated>2026-11-26T08:00:00Z</updated>\n${items.join('\n')}\n</feed>\n`;
    case 'rdf':
      return `<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="https://outlet.example/"><title>Outlet</title><link>https://outlet.example/</link><description>d</description><dc:language>en</dc:language></channel>\n${items.join('\n')}\n</rdf:RDF>\n`;
    case 'korean':
      return `<?xml version="1.0" encoding="EUC-KR"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>전자신문 - 전체기사</title><link>https://outlet.example/</link><language>ko</language><description>기사</description>\n${items.join('\n')}\n</channel></rss>\n`;
    default:
      return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Outlet</title><link>https://outlet.example/</link><atom:link href="https://outlet.example/rss" rel="self"/><language>en</language><description>All news</description>\n${items.join('\n')}\n</channel></rss>\n`;
  }
}

function jsonItem(n: number): Record<string, unknown> {
  return {
    id: `id-${n}`,
    url: link(n),
    title: title('json', n),
    content_html: `<p>Body of ${n}</p>`,
    date_published: '2026-11-26T08:00:00+09:00',
    authors: [{ name: `Writer ${n}` }],
  };
}

function jsonDocument(items: unknown[]): string {
  return JSON.stringify(
    { version: 'https://jsonfeed.org/version/1.1', title: 'Outlet', home_page_url: 'https://outlet.example/', items },
    null,
    1,
  );
}

const LAYOUTS: Layout[] = ['rss', 'atom', 'rdf', 'json', 'korean'];

function seedText(layout: Layout, count = 3): string {
  const entries = Array.from({ length: count }, (_, i) => ({ n: i + 1, cdata: i % 2 === 1 }));
  if (layout === 'json') return jsonDocument(entries.map((e) => jsonItem(e.n)));
  return xmlDocument(
    layout,
    entries.map((e) => xmlItem(layout, e)),
  );
}

const TEXT_SEEDS = LAYOUTS.map((layout) => seedText(layout));
/** The Korean seed as its outlet serves it (CP949 bytes), beside the UTF-8 encodings of every seed. */
const BYTE_SEEDS = [
  ...TEXT_SEEDS.map((text) => new Uint8Array(Buffer.from(text, 'utf8'))),
  new Uint8Array(iconv.encode(seedText('korean'), 'cp949')),
];
const CONTENT_TYPES = [
  null,
  'application/rss+xml',
  'text/xml; charset=utf-8',
  'text/xml; charset=EUC-KR',
  'application/atom+xml; charset="ks_c_5601-1987"',
  'text/html; charset=iso-8859-1',
  'application/json; charset=utf-16',
  'text/xml; charset=bogus-charset',
];

/** The one contract: a feed (well-formed model) or a FeedParseError with a one-line message. */
function parseOrError(input: string | Uint8Array, contentType: string | null = null): ParsedFeed | FeedParseError {
  try {
    const feed = timed('parseFeed', () => parseFeed(input, { url: 'https://outlet.example/rss', contentType }));
    expect(Array.isArray(feed.items)).toBe(true);
    for (const item of feed.items) {
      for (const key of ['id', 'title', 'link', 'published', 'updated', 'author'] as const) {
        const value = item[key];
        if (value !== null) expect(typeof value, key).toBe('string');
      }
      if (item.published !== null) expect(Number.isNaN(Date.parse(item.published))).toBe(false);
    }
    return feed;
  } catch (error) {
    if (!(error instanceof FeedParseError)) throw error;
    expect(error.message).not.toMatch(/\n/);
    expect(error.message.length).toBeGreaterThan(0);
    return error;
  }
}

const count = countInputs('hostile feeds');

describe('parseFeed on random and mutated input', () => {
  it('returns a feed or a FeedParseError for random text and bytes', () => {
    fc.assert(
      fc.property(
        fc.oneof(randomTextArb, fc.uint8Array({ maxLength: 400 })),
        fc.constantFrom(...CONTENT_TYPES),
        (input, contentType) => {
          count('random');
          parseOrError(input, contentType);
        },
      ),
      runs(400, 4000),
    );
  });

  it('returns a feed or a FeedParseError for mutated RSS, Atom, RDF, JSON Feed and Korean seeds', () => {
    for (const seed of TEXT_SEEDS) expect(parseOrError(seed)).not.toBeInstanceOf(FeedParseError);
    fc.assert(
      fc.property(mutatedArb(TEXT_SEEDS), (text) => {
        count('mutated text');
        parseOrError(text);
      }),
      runs(600, 5000),
    );
  });

  it('returns a feed or a FeedParseError for seeds with flipped, cut and inserted bytes, under any label', () => {
    fc.assert(
      fc.property(mutatedBytesArb(BYTE_SEEDS), fc.constantFrom(...CONTENT_TYPES), (bytes, contentType) => {
        count('mutated bytes');
        parseOrError(bytes, contentType);
      }),
      runs(400, 4000),
    );
  });
});

/** Ways one entry gets broken in the wild (or by a hostile publisher) without breaking the document around it. */
const XML_CORRUPTIONS: ((item: string) => string)[] = [
  // a mismatched end tag
  (item) => item.replace('</title>', '</titl>'),
  // an element never closed
  (item) => item.replace('</title>', ''),
  // a stray end tag
  (item) => item.replace('<title>', '</link><title>'),
  // the entry's own end tag missing
  (item) => item.replace(/<\/(item|entry)>$/, ''),
  // an unterminated attribute value
  (item) => item.replace(/^<(item|entry)/, '<$1 x="unterminated'),
  // an unterminated processing instruction
  (item) => item.replace('<title>', '<?php echo <title>'),
  // a DOCTYPE with entities where none may be
  (item) => item.replace('<title>', '<!DOCTYPE x [<!ENTITY a "b">]><title>&a;&lol;&#0;&#xFFFFFFFF;'),
  // a bare ampersand and less-than (repairable)
  (item) => item.replace('</title>', ' AT&T < 3</title>'),
  // the same elements twice
  (item) => item.replace(/<title>[^<]*<\/title>/, '$&$&'),
  // binary junk
  (item) => item.replace('</title>', '\u0000\u0007\uffff\ud800</title>'),
];

describe('a bad item never loses the good items around it', () => {
  it('keeps every good RSS, Atom, RDF and EUC-KR entry around one corrupted or randomly mutated entry', () => {
    const xmlLayouts = LAYOUTS.filter((l): l is Exclude<Layout, 'json'> => l !== 'json');
    fc.assert(
      fc.property(
        fc.constantFrom(...xmlLayouts),
        fc.integer({ min: 2, max: 6 }),
        fc.nat(),
        fc.oneof(
          fc.constantFrom(...XML_CORRUPTIONS),
          // a random mutation of the bad entry (no CDATA in it: an unterminated CDATA section legitimately swallows
          // everything after it)
          fc
            .array(
              mutationArb.filter((m) => m.kind !== 'insert' || !/CDATA|<!--/.test(m.text)),
              { minLength: 1, maxLength: 3 },
            )
            .map((ms) => (item: string) => ms.reduce(applyMutation, item)),
        ),
        fc.boolean(),
        (layout, good, at, corrupt, asBytes) => {
          count('bad item');
          const goods = Array.from({ length: good }, (_, i) => ({ n: i + 1, cdata: i % 2 === 0 }));
          const bad = corrupt(xmlItem(layout, { n: 99, cdata: false }));
          const items = goods.map((e) => xmlItem(layout, e));
          items.splice(1 + (at % (good - 1)), 0, bad);
          const text = xmlDocument(layout, items);
          const input = asBytes
            ? new Uint8Array(layout === 'korean' ? iconv.encode(text, 'cp949') : Buffer.from(text))
            : text;
          const feed = parseOrError(input);
          if (feed instanceof FeedParseError) throw new Error(`lost every item: ${feed.message}\n${text}`);
          const kept = feed.items.filter((i) => i.title !== title(layout, 99));
          const keptTitles = kept.map((i) => i.title).filter((t) => goods.some((g) => t === title(layout, g.n)));
          expect(keptTitles, text).toEqual(goods.map((g) => title(layout, g.n)));
          for (const g of goods) expect(feed.items.find((i) => i.title === title(layout, g.n))?.link).toBe(link(g.n));
        },
      ),
      runs(500, 6000),
    );
  });

  it('keeps every good JSON Feed item around one item of the wrong shape', () => {
    const badItems: unknown[] = [
      null,
      42,
      'item',
      [],
      { id: {}, title: 5, url: 7, content_html: [], date_published: 'yesterday', authors: 'me' },
      { id: null, title: null, url: null },
      { ...jsonItem(99), authors: [null, 5] },
      { ...jsonItem(99), title: '\u0000\ud800' },
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }),
        fc.nat(),
        fc.oneof(fc.constantFrom(...badItems), fc.jsonValue()),
        (good, at, bad) => {
          count('bad JSON item');
          const items: unknown[] = Array.from({ length: good }, (_, i) => jsonItem(i + 1));
          items.splice(1 + (at % (good - 1)), 0, bad);
          const feed = parseOrError(jsonDocument(items));
          if (feed instanceof FeedParseError) throw new Error(`lost every item: ${feed.message}`);
          const titles = feed.items.map((i) => i.title);
          for (let n = 1; n <= good; n++) expect(titles).toContain(title('json', n));
        },
      ),
      runs(300, 3000),
    );
  });
});

describe('explicit hostile feeds', () => {
  const rss = (inner: string, prolog = '<?xml version="1.0"?>') =>
    `${prolog}<rss version="2.0"><channel><title>T</title>${inner}<item><title>After</title><link>https://x.example/a</link></item></channel></rss>`;

  it('never resolves an external entity, a SYSTEM DOCTYPE or a parameter entity', () => {
    const docs = [
      rss('<item><title>&xxe;</title></item>', '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'),
      rss('<item><title>&xxe;</title></item>', '<!DOCTYPE rss SYSTEM "http://127.0.0.1:1/rss.dtd">'),
      rss(
        '<item><title>&all;</title></item>',
        '<!DOCTYPE rss [<!ENTITY % file SYSTEM "file:///etc/passwd"><!ENTITY % dtd SYSTEM "http://127.0.0.1:1/x.dtd">%dtd;]>',
      ),
    ];
    for (const doc of docs) {
      const feed = parseOrError(doc);
      const text = JSON.stringify(feed instanceof FeedParseError ? feed.message : feed);
      expect(text).not.toContain('root:');
      if (!(feed instanceof FeedParseError)) expect(feed.items.map((i) => i.title)).toContain('After');
    }
  });

  it('does not expand a quadratic blow-up (one huge entity referenced many times)', () => {
    const big = 'x'.repeat(100_000);
    const doc = rss(`<item><title>${'&big;'.repeat(10_000)}</title></item>`, `<!DOCTYPE rss [<!ENTITY big "${big}">]>`);
    const feed = parseOrError(doc);
    expect(JSON.stringify(feed).length).toBeLessThan(doc.length);
  });

  it('reads an EUC-KR feed labelled UTF-8, a UTF-8 feed labelled EUC-KR, and a BOM that contradicts the header', () => {
    const korean = seedText('korean');
    const cp949 = new Uint8Array(iconv.encode(korean, 'cp949'));
    const utf8 = new Uint8Array(Buffer.from(korean.replace('EUC-KR', 'UTF-8')));
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]);
    const cases: [Uint8Array, string | null][] = [
      [cp949, 'application/rss+xml; charset=utf-8'],
      [utf8, 'application/rss+xml; charset=euc-kr'],
      [bom, 'text/xml; charset=euc-kr'],
      [new Uint8Array(Buffer.from(korean.replace('EUC-KR', 'UTF-8'), 'utf16le')), 'text/xml; charset=utf-8'],
    ];
    for (const [bytes, contentType] of cases) {
      const feed = parseOrError(bytes, contentType);
      if (feed instanceof FeedParseError) throw feed;
      expect(feed.title, contentType ?? '').toBe('전자신문 - 전체기사');
      expect(feed.items.map((i) => i.title)).toEqual([1, 2, 3].map((n) => title('korean', n)));
    }
  });

  it('reads invalid UTF-8 in one item as replacement characters and keeps the other items', () => {
    const text = seedText('rss', 4);
    const bytes = Buffer.from(text);
    const at = bytes.indexOf('Good story 2');
    bytes[at] = 0xff;
    bytes[at + 1] = 0xc3;
    const feed = parseOrError(new Uint8Array(bytes), 'application/rss+xml; charset=utf-8');
    if (feed instanceof FeedParseError) throw feed;
    expect(feed.items.map((i) => i.title)).toEqual([
      'Good story 1',
      '\ufffd\ufffdod story 2',
      'Good story 3',
      'Good story 4',
    ]);
  });

  it('stays bounded on 100,000 levels of nesting and on a million entity references', () => {
    const deep = rss(`<item><title>d</title>${'<x>'.repeat(100_000)}${'</x>'.repeat(100_000)}</item>`);
    parseOrError(deep);
    const refs = rss(`<item><title>${'&amp;&lt;&#x41;&lol;'.repeat(250_000)}</title></item>`);
    parseOrError(refs);
    const tags = rss('<item><title>a</title></item>'.repeat(50_000));
    const feed = parseOrError(tags);
    expect(feed instanceof FeedParseError ? 0 : feed.items.length).toBe(50_001);
  });
});
