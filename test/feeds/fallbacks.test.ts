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
