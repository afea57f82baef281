import { parseRssFeed } from 'feedsmith';
import { describe, expect, it } from 'vitest';
import { cleanInlineText } from '../../src/feeds/feedText.ts';
import { FeedParseError, parseFeed } from '../../src/feeds/index.ts';
import { closeTruncatedXml, repairXml } from '../../src/feeds/repairXml.ts';
import { fixture } from './fixtures.ts';

function parseError(input: string | Uint8Array): FeedParseError {
  try {
    parseFeed(input);
  } catch (error) {
    if (error instanceof FeedParseError) return error;
    throw error;
  }
  throw new Error('parseFeed did not throw');
}

describe('parseFeed: broken and hostile input', () => {
  it('throws FeedParseError with a one-line reason for mismatched tags', () => {
    const error = parseError(fixture('malformed-mismatched.xml'));
    expect(error.name).toBe('FeedParseError');
    expect(error.message).toBe('Malformed XML: Unexpected end of title');
  });

  it('says what the document is when it is not a feed', () => {
    expect(parseError('<!DOCTYPE html><html><body>Moved</body></html>').message).toBe(
      'Not a feed: the document is an HTML page',
    );
    expect(parseError('<head><title>Document Moved</title></head>').message).toBe(
      'Not a feed: the document is an HTML page',
    );
    expect(parseError('just text').message).toBe('Not a feed: no <rss>, <rdf:RDF>, <feed> root or JSON Feed object');
    expect(parseError('   ').message).toBe('Empty document');
    expect(parseError(new Uint8Array()).message).toBe('Empty document');
    expect(parseError('{"items": [').message).toMatch(/^Invalid JSON: /);
    expect(parseError('{"hello": "world"}').message).toBe(
      'Not a JSON Feed: no title with items, version or home_page_url',
    );
  });

  it('repairs bare `<` and `&` when the parser refuses the feed', () => {
    const text = fixture('repairable.xml').toString('utf8');
    expect(() => parseRssFeed(text)).toThrow();
    expect(parseFeed(text)).toEqual({
      format: 'rss',
      title: 'Q&A Weekly',
      link: 'https://qa.example/?a=1&b=2',
      language: null,
      items: [
        {
          id: null,
          title: 'Is a <= b? AT&T says < 3',
          link: 'https://qa.example/p?id=7&ref=rss',
          published: null,
          updated: null,
          author: null,
          summary: 'Keep &amp; and <b>tags</b> as written',
          content: null,
        },
      ],
    });
  });

  it('keeps the complete entries of a feed cut off mid-download', () => {
    const full = fixture('rss2-content-encoded.xml').toString('utf8');
    const cut = full.slice(0, full.indexOf('Short teaser'));
    const feed = parseFeed(cut);
    expect(feed.title).toBe('Byte Street & Co. — Engineering');
    expect(feed.items.map((i) => i.link)).toEqual(['https://bytestreet.example/blog/faster-builds']);
  });

  it('drops control characters', () => {
    const xml =
      '<rss version="2.0"><channel><title>Ti\u0001tle\u0008</title><item><title>a\u000bb</title></item></channel></rss>';
    const feed = parseFeed(xml);
    expect(feed.title).toBe('Title');
    expect(feed.items[0]?.title).toBe('ab');
  });

  it('does not expand DOCTYPE entities (billion laughs)', () => {
    const xml = `<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss version="2.0"><channel><title>&lol4;</title><item><title>&lol; &amp; &lol4;</title></item></channel></rss>`;
    const started = Date.now();
    const feed = parseFeed(xml);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(feed.title).toBe('&lol4;');
    expect(feed.items[0]?.title).toBe('&lol; & &lol4;');
  });

  it('refuses absurdly deep nesting instead of overflowing the stack', () => {
    const xml = `<rss version="2.0"><channel><title>d</title>${'<x>'.repeat(20000)}${'</x>'.repeat(20000)}</channel></rss>`;
    expect(parseError(xml).message).toBe('Malformed XML: Maximum nested tags exceeded');
  });

  it('stays fast on large inputs full of bare markup characters', () => {
    const started = Date.now();
    const feed = parseFeed(`<rss version="2.0"><channel><title>${'&'.repeat(1_000_000)}<!-- </title></channel></rss>`);
    expect(feed.title).toBe('&'.repeat(1_000_000));
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('repairXml', () => {
  it('escapes bare & and < outside CDATA and comments, and closes an unterminated CDATA section', () => {
    expect(repairXml('<t>AT&T &amp; &#38; &#x26; &nbsp; x < y <![CDATA[a & b < c]]><!-- & < --></t>')).toBe(
      '<t>AT&amp;T &amp; &#38; &#x26; &nbsp; x &lt; y <![CDATA[a & b < c]]><!-- & < --></t>',
    );
    expect(repairXml('<t><![CDATA[cut & off')).toBe('<t><![CDATA[cut & off]]>');
  });
});

describe('closeTruncatedXml', () => {
  it('cuts after the last complete entry and closes what is open there', () => {
    expect(closeTruncatedXml('<rss><channel><title>t</title><item><b>1</b></item><item><title>cut he')).toBe(
      '<rss><channel><title>t</title><item><b>1</b></item></channel></rss>',
    );
    expect(closeTruncatedXml('<feed><entry><x a="1>2"/></entry><entry><title>cut')).toBe(
      '<feed><entry><x a="1>2"/></entry></feed>',
    );
    expect(closeTruncatedXml('<rss><channel><title>t</title></channel></rss>')).toBe(
      '<rss><channel><title>t</title></channel></rss>',
    );
  });
});

describe('cleanInlineText', () => {
  it('strips known inline tags, decodes entities and collapses whitespace', () => {
    expect(cleanInlineText('  <b>K</b>orea&#8217;s <em>chip</em>&nbsp;exports<br/>rise &amp; fall ')).toBe(
      'Korea’s chip exports rise & fall',
    );
    expect(cleanInlineText('Vector<int> and Map<K, V>')).toBe('Vector<int> and Map<K, V>');
    expect(cleanInlineText('<b>bold</b>', { html: false })).toBe('<b>bold</b>');
    expect(cleanInlineText('AT&T &unknown; ?a=1&b=2')).toBe('AT&T &unknown; ?a=1&b=2');
    expect(cleanInlineText(' <br> ')).toBeNull();
  });
});
