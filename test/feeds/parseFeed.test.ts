import { describe, expect, it } from 'vitest';
import { detectFeedFormat, parseFeed } from '../../src/feeds/index.ts';
import { fixture } from './fixtures.ts';

describe('parseFeed: RSS 2.0', () => {
  const feed = parseFeed(fixture('rss2-content-encoded.xml'));

  it('reads the channel', () => {
    expect(feed.format).toBe('rss');
    expect(feed.title).toBe('Byte Street & Co. — Engineering');
    expect(feed.link).toBe('https://bytestreet.example/blog/');
    expect(feed.language).toBe('en-us');
    expect(feed.items).toHaveLength(3);
  });

  it('keeps a non-permalink guid as the id, content:encoded as content and the description as summary', () => {
    expect(feed.items[0]).toEqual({
      id: 'bytestreet-post-1042',
      title: 'Shipping faster builds & smaller images',
      link: 'https://bytestreet.example/blog/faster-builds',
      published: '2024-02-27T08:38:39Z',
      updated: null,
      author: 'Mina Park',
      summary: '<p>We cut CI time in half.</p>',
      content: '<p>We cut CI time in half by <a href="/blog/cache">caching layers</a>.</p>',
    });
  });

  it('collapses whitespace, decodes double-escaped entities and resolves relative links against the feed link', () => {
    expect(feed.items[1]).toMatchObject({
      id: 'https://bytestreet.example/blog/posts/rust-edge',
      title: 'Rust at the edge: a & b',
      link: 'https://bytestreet.example/blog/posts/rust-edge',
      published: '2024-02-26T09:00:00Z',
      author: 'Mina Park',
      summary: 'Short teaser',
      content: null,
    });
  });

  it('uses a permalink guid as the link and reads zone-less dates as UTC in an English feed', () => {
    expect(feed.items[2]).toMatchObject({
      link: 'https://bytestreet.example/blog/permalink-only',
      published: '2024-02-25T08:15:00Z',
    });
  });

  it('falls back to options.url for relative links when the feed has no absolute base', () => {
    const xml =
      '<rss version="2.0"><channel><title>t</title><item><title>a</title><link>/p/1</link></item></channel></rss>';
    expect(parseFeed(xml, { url: 'https://site.example/feed.xml' }).items[0]?.link).toBe('https://site.example/p/1');
    expect(parseFeed(xml).items[0]?.link).toBe('/p/1');
  });

  it('takes the link from an atom:link alternate when <link> is missing', () => {
    const xml = `<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>t</title>
      <atom:link rel="self" href="https://x.example/feed"/><atom:link rel="alternate" href="https://x.example/"/>
      </channel></rss>`;
    expect(parseFeed(xml).link).toBe('https://x.example/');
  });
});

describe('parseFeed: RSS 1.0 (RDF)', () => {
  const feed = parseFeed(fixture('rdf-dc-date.xml'));

  it('reads channel, rdf:about ids and dc:date (as both published and updated)', () => {
    expect(feed).toMatchObject({
      format: 'rdf',
      title: 'Slash Notes',
      link: 'https://slashnotes.example/',
      language: 'en',
    });
    expect(feed.items).toEqual([
      {
        id: 'https://slashnotes.example/2024/03/01/kernel',
        title: 'Kernel 6.8 lands',
        link: 'https://slashnotes.example/2024/03/01/kernel',
        published: '2024-03-01T09:20:30Z',
        updated: '2024-03-01T09:20:30Z',
        author: 'Ada',
        summary: 'Scheduler changes explained.',
        content: null,
      },
      {
        id: 'https://slashnotes.example/2024/03/02/compilers',
        title: 'Compilers weekly',
        link: 'https://slashnotes.example/2024/03/02/compilers',
        published: '2024-03-02T07:00:00Z',
        updated: '2024-03-02T07:00:00Z',
        author: null,
        summary: null,
        content: '<p>Three papers.</p>',
      },
    ]);
  });
});

describe('parseFeed: Atom 1.0', () => {
  const feed = parseFeed(fixture('atom10-xml-base.xml'), { url: 'https://devlog.example/feeds/atom.xml' });

  it('resolves the feed link against xml:base and strips markup from an html title', () => {
    expect(feed).toMatchObject({
      format: 'atom',
      title: 'Dev Log',
      link: 'https://devlog.example/site/home/',
      language: 'en-GB',
    });
  });

  it('picks the alternate link and resolves it through nested xml:base', () => {
    expect(feed.items[0]).toEqual({
      id: 'tag:devlog.example,2024:1',
      title: 'Generics in Go: Vector<T>',
      link: 'https://devlog.example/site/posts/generics.html',
      published: '2024-04-01T07:30:00Z',
      updated: '2024-04-02T11:00:00Z',
      author: 'Jane Doe',
      summary: '<p>Type parameters, finally.</p>',
      content: '<p>Body &amp; soul</p>',
    });
  });

  it('inherits the feed author, uses updated when published is missing and treats a rel-less link as alternate', () => {
    expect(feed.items[1]).toEqual({
      id: 'tag:devlog.example,2024:2',
      title: 'Second entry',
      link: 'https://devlog.example/about',
      published: '2024-03-30T08:00:00Z',
      updated: '2024-03-30T08:00:00Z',
      author: 'Feed Author',
      summary: null,
      content: '<p>Hello</p>',
    });
  });
});

describe('parseFeed: Atom 0.3', () => {
  it('maps issued/modified and escaped content', () => {
    const feed = parseFeed(fixture('atom03.xml'));
    expect(feed).toEqual({
      format: 'atom',
      title: 'Old Atom Blog',
      link: 'http://oldatom.example/',
      language: 'en',
      items: [
        {
          id: 'tag:oldatom.example,2005:entry-1',
          title: 'Atom 0.3 entry',
          link: 'http://oldatom.example/2005/07/entry',
          published: '2005-07-31T12:29:29Z',
          updated: '2005-08-01T00:00:00Z',
          author: 'Sam Ruby',
          summary: 'A summary',
          content: '<p>Escaped content</p>',
        },
      ],
    });
  });
});

describe('parseFeed: JSON Feed 1.1', () => {
  const feed = parseFeed(fixture('jsonfeed-1.1.json'));

  it('reads the feed and items', () => {
    expect(feed).toMatchObject({
      format: 'json',
      title: 'Micro & Macro',
      link: 'https://micro.example/',
      language: 'en',
    });
    expect(feed.items).toEqual([
      {
        id: '2',
        title: 'JSON Feed 1.1 notes',
        link: 'https://micro.example/2024/05/02/json',
        published: '2024-05-02T15:00:00Z',
        updated: '2024-05-03T00:00:00Z',
        author: 'Lee Min',
        summary: 'What changed in 1.1',
        content: '<p>authors is now an array</p>',
      },
      {
        id: '1',
        title: null,
        link: 'https://micro.example/2024/05/01/hello',
        published: '2024-05-01T12:00:00Z',
        updated: null,
        author: 'Feed Writer',
        summary: null,
        content: 'Plain text hello',
      },
    ]);
  });
});

describe('detectFeedFormat', () => {
  it('names the format by the root element, past prolog, comments and DOCTYPE', () => {
    expect(detectFeedFormat('\ufeff<?xml version="1.0"?><!-- c --><!DOCTYPE rss [<!ENTITY a "b">]><rss>')).toBe('rss');
    expect(detectFeedFormat('<feed xmlns="http://www.w3.org/2005/Atom">')).toBe('atom');
    expect(detectFeedFormat('<rdf:RDF xmlns:rdf="x">')).toBe('rdf');
    expect(detectFeedFormat('  {"version": "https://jsonfeed.org/version/1.1"}')).toBe('json');
    expect(detectFeedFormat('<html><body>')).toBeNull();
    expect(detectFeedFormat('hello')).toBeNull();
  });

  it('is not fooled by an Atom entry quoting RSS markup', () => {
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom"><title>About feeds</title>
      <entry><id>1</id><title>RSS explained</title><updated>2024-01-01T00:00:00Z</updated>
      <content type="html"><![CDATA[<pre><rss version="2.0"><channel></pre>]]></content></entry></feed>`;
    const feed = parseFeed(xml);
    expect(feed.format).toBe('atom');
    expect(feed.items.map((i) => i.title)).toEqual(['RSS explained']);
  });
});
