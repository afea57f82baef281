/**
 * Field fallbacks and the empty feed: what parseFeed reads when a feed leaves out the usual element.
 */
import { describe, expect, it } from 'vitest';
import { FeedParseError, parseFeed } from '../../src/feeds/index.ts';

describe('parseFeed: a well-formed feed with nothing in it', () => {
  it('gives an empty RSS feed when no element is one it reads (items of custom elements only)', () => {
    const xml = `<rss version="2.0"><channel><item><x-rating>5</x-rating><x-region>kr</x-region></item></channel></rss>`;
    expect(parseFeed(xml)).toEqual({ format: 'rss', title: null, link: null, language: null, items: [] });
  });

  it('gives an empty Atom 0.3 feed when it states only a copyright', () => {
    const xml = `<?xml version="1.0"?>
<feed version="0.3" xmlns="http://purl.org/atom/ns#"><copyright>© 2026 Hanbit Notes</copyright></feed>`;
    expect(parseFeed(xml)).toEqual({ format: 'atom', title: null, link: null, language: null, items: [] });
  });

  it('gives an empty RDF feed for a bare channel', () => {
    const xml = `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
      <channel rdf:about="https://notes.example/rss"></channel></rdf:RDF>`;
    expect(parseFeed(xml)).toMatchObject({ format: 'rdf', items: [] });
  });

  it('still refuses a download cut off before its first entry: repairing it salvages nothing', () => {
    const cut = '<?xml version="1.0"?><rss version="2.0"><channel><item><title>Half a ti';
    expect(() => parseFeed(cut)).toThrow(FeedParseError);
  });
});

describe('parseFeed: author fallbacks', () => {
  const atom = `<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Chip Desk</title><author><email>desk@chips.example</email></author>
  <entry><id>1</id><title>Mail only</title><updated>2026-01-05T10:00:00Z</updated>
    <author><email>reporter@chips.example</email></author></entry>
  <entry><id>2</id><title>Name and mail</title><updated>2026-01-05T10:00:00Z</updated>
    <author><name>Yoon Seo</name><email>yoon@chips.example</email></author></entry>
  <entry><id>3</id><title>Inherits</title><updated>2026-01-05T10:00:00Z</updated></entry>
</feed>`;

  it('uses an Atom author e-mail when no name is given, the name when it is, and inherits the feed author', () => {
    expect(parseFeed(atom).items.map((i) => i.author)).toEqual([
      'reporter@chips.example',
      'Yoon Seo',
      'desk@chips.example',
    ]);
  });

  it('uses an embedded atom:author e-mail in RSS when nothing names the author', () => {
    const xml = `<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>t</title>
      <item><title>a</title><atom:author><atom:email>tips@wire.example</atom:email></atom:author></item>
    </channel></rss>`;
    expect(parseFeed(xml).items[0]?.author).toBe('tips@wire.example');
  });
});

describe('parseFeed: dc:date as the updated date', () => {
  const rss = `<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel><title>Fab Weekly</title>
    <item><title>Only dc:date</title><dc:date>2026-03-04T05:06:07+09:00</dc:date></item>
    <item><title>pubDate and dc:date</title><pubDate>Tue, 03 Mar 2026 00:00:00 GMT</pubDate>
      <dc:date>2026-03-04T00:00:00Z</dc:date></item>
    <item><title>atom:updated wins</title><dc:date>2026-03-01T00:00:00Z</dc:date>
      <atom:updated>2026-03-02T12:00:00Z</atom:updated></item>
    <item><title>pubDate only</title><pubDate>Tue, 03 Mar 2026 00:00:00 GMT</pubDate></item>
  </channel></rss>`;

  it('reads dc:date as published and, when nothing more specific is given, as updated', () => {
    expect(parseFeed(rss).items.map((i) => [i.published, i.updated])).toEqual([
      ['2026-03-03T20:06:07Z', '2026-03-03T20:06:07Z'],
      ['2026-03-03T00:00:00Z', '2026-03-04T00:00:00Z'],
      ['2026-03-01T00:00:00Z', '2026-03-02T12:00:00Z'],
      ['2026-03-03T00:00:00Z', null],
    ]);
  });
});

describe('parseFeed: Atom 0.3 links resolve as Atom 1.0 ones do', () => {
  const roots = {
    '1.0': (attrs: string) => `<feed xmlns="http://www.w3.org/2005/Atom"${attrs}>`,
    '0.3': (attrs: string) => `<feed version="0.3" xmlns="http://purl.org/atom/ns#"${attrs}>`,
  };
  /** One shape of links, written in either version, and what must come out. */
  const shapes: { name: string; attrs?: string; body: string; feed: string | null; items: (string | null)[] }[] = [
    {
      name: 'absolute, the HTML alternate among other links',
      body:
        '<link rel="alternate" type="text/html" href="https://notes.example/"/>' +
        '<entry><title>a</title><link rel="service.edit" type="application/x.atom+xml" href="https://notes.example/edit/1"/>' +
        '<link rel="alternate" type="application/atom+xml" href="https://notes.example/1.atom"/>' +
        '<link rel="alternate" type="text/html" href="https://notes.example/1"/></entry>',
      feed: 'https://notes.example/',
      items: ['https://notes.example/1'],
    },
    {
      name: 'relative to the feed’s link',
      body:
        '<link rel="alternate" type="text/html" href="https://notes.example/blog/"/>' +
        '<entry><title>a</title><link rel="alternate" type="text/html" href="2026/05/first"/></entry>' +
        '<entry><title>b</title><link rel="alternate" type="text/html" href="/about"/></entry>',
      feed: 'https://notes.example/blog/',
      items: ['https://notes.example/blog/2026/05/first', 'https://notes.example/about'],
    },
    {
      name: 'nested xml:base, itself relative to the document',
      attrs: ' xml:base="/blog/"',
      body:
        '<link rel="alternate" type="text/html" href="./"/>' +
        '<entry xml:base="2026/"><title>a</title><link rel="alternate" type="text/html" href="05/first"/></entry>',
      feed: 'https://notes.example/blog/',
      items: ['https://notes.example/blog/2026/05/first'],
    },
    {
      name: 'relative to the document when nothing else is given, rel-less links as alternates',
      body: '<entry><title>a</title><link type="text/html" href="posts/1"/></entry>',
      feed: null,
      items: ['https://notes.example/feeds/posts/1'],
    },
  ];

  for (const shape of shapes) {
    it(shape.name, () => {
      for (const [version, root] of Object.entries(roots)) {
        const feed = parseFeed(`${root(shape.attrs ?? '')}<title>Notes</title>${shape.body}</feed>`, {
          url: 'https://notes.example/feeds/atom.xml',
        });
        expect(feed.format, version).toBe('atom');
        expect(feed.link, version).toBe(shape.feed);
        expect(
          feed.items.map((i) => i.link),
          version,
        ).toEqual(shape.items);
      }
    });
  }
});

describe('parseFeed: titles given only in Media RSS', () => {
  const MEDIA = 'xmlns:media="http://search.yahoo.com/mrss/"';

  it('keeps an RSS item’s media:title, on the item, in its media:content or in its media:group', () => {
    const xml = `<rss version="2.0" ${MEDIA}><channel><title>Clips</title>
      <item><media:title>On the item</media:title><link>https://clips.example/1</link></item>
      <item><media:content url="https://clips.example/2.mp4"><media:title>In the content</media:title></media:content></item>
      <item><media:group><media:title>In the group</media:title><media:content url="https://clips.example/3.mp4"/></media:group></item>
      <item><media:group><media:content url="https://clips.example/4.mp4"><media:title>Deep in the group</media:title></media:content></media:group></item>
      <item><title>The item title</title><media:title>Not this one</media:title></item>
      <item><media:title type="html">&lt;b&gt;삼성&lt;/b&gt; 갤럭시 &amp;amp; XR</media:title></item>
      <item><media:title type="plain">Vector&lt;int&gt; &lt;b&gt; tips</media:title></item>
    </channel></rss>`;
    expect(parseFeed(xml).items.map((i) => i.title)).toEqual([
      'On the item',
      'In the content',
      'In the group',
      'Deep in the group',
      'The item title',
      '삼성 갤럭시 & XR',
      'Vector<int> <b> tips',
    ]);
  });

  it('keeps media:title in Atom entries (video feeds group it) and RDF items', () => {
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom" ${MEDIA}><title>Channel</title>
      <entry><id>v1</id><link href="https://video.example/v1"/><media:group><media:title>신제품 발표 영상</media:title></media:group></entry>
      <entry><id>v2</id><title>Own title</title><media:title>Not this one</media:title></entry>
    </feed>`;
    expect(parseFeed(atom).items.map((i) => i.title)).toEqual(['신제품 발표 영상', 'Own title']);
    const rdf = `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" ${MEDIA}>
      <channel rdf:about="https://photos.example/"><title>Photos</title><link>https://photos.example/</link></channel>
      <item rdf:about="https://photos.example/1"><link>https://photos.example/1</link><media:title>Photo of the day</media:title></item>
    </rdf:RDF>`;
    expect(parseFeed(rdf).items.map((i) => i.title)).toEqual(['Photo of the day']);
  });
});
