import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gofeedChecks, measureGofeed, rssParserChecks } from '../../bench/quality/feedCorpora.ts';
import {
  COMMON_CHECKS,
  commonFields,
  isoOrNull,
  loadCandidates,
  sumChecks,
} from '../../bench/quality/parserComparison.ts';
import { parseFeed } from '../../src/feeds/index.ts';
import type { ParsedFeed } from '../../src/model.ts';

const failed = (checks: { name: string; ok: boolean }[]) => checks.filter((c) => !c.ok).map((c) => c.name);

function withLink(link: string | null): ParsedFeed {
  return { format: 'rss', title: null, link, language: null, items: [] };
}

describe('gofeedChecks: links', () => {
  const links = ['https://a.example/', 'https://b.example/', 'https://c.example/'];
  const repeated = { feedType: 'rss', link: 'https://c.example/', links };

  it("takes gofeed's pick (the last `<link>`) or the first when an RSS feed repeats `<link>`, nothing else", () => {
    expect(failed(gofeedChecks(repeated, withLink('https://c.example/')))).toEqual([]);
    expect(failed(gofeedChecks(repeated, withLink('https://a.example/')))).toEqual([]);
    expect(failed(gofeedChecks(repeated, withLink('https://b.example/')))).toEqual(['feed.link']);
    expect(failed(gofeedChecks(repeated, withLink(null)))).toEqual(['feed.link']);
    expect(failed(gofeedChecks({ ...repeated, feedType: 'atom' }, withLink('https://a.example/')))).toEqual([
      'feed.link',
    ]);
  });

  it('compares links as URLs', () => {
    const single = { feedType: 'rss', link: 'http://example.org', links: ['http://example.org'] };
    expect(failed(gofeedChecks(single, withLink('http://example.org/')))).toEqual([]);
    expect(failed(gofeedChecks(single, withLink('http://example.org/a')))).toEqual(['feed.link']);
  });
});

describe('rssParserChecks: U+FFFD in the reference', () => {
  it('stands for a no-break space that reads as a space, as well as for a non-ASCII letter', () => {
    const expected = { feed: { items: [{ title: 'Caf\ufffd ferm\ufffd\ufffdtomorrow' }] } };
    const actual = (title: string): ParsedFeed => ({
      ...withLink(null),
      items: [
        { id: null, title, link: null, published: null, updated: null, author: null, summary: null, content: null },
      ],
    });
    expect(failed(rssParserChecks(expected, actual('Café fermé tomorrow')))).toEqual([]);
    expect(failed(rssParserChecks(expected, actual('Cafe ferme tomorrow')))).toEqual(['item[0].title']);
  });
});

describe('measureGofeed with another reader', () => {
  const root = mkdtempSync(join(tmpdir(), 'nb-gofeed-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'rss'));
  mkdirSync(join(root, 'atom'));
  writeFileSync(join(root, 'rss', 'a.xml'), '<rss version="2.0"><channel><title>Chips</title></channel></rss>');
  writeFileSync(join(root, 'rss', 'a.json'), JSON.stringify({ feedType: 'rss', title: 'Chips', items: [] }));
  writeFileSync(join(root, 'atom', 'b.xml'), '<feed xmlns="http://www.w3.org/2005/Atom"><title>Fabs</title></feed>');
  writeFileSync(join(root, 'atom', 'b.json'), JSON.stringify({ feedType: 'atom', title: 'Fabs', items: [] }));

  it('counts what the reader parses and checks its output', () => {
    const ours = measureGofeed(root);
    expect(ours).toMatchObject({ total: 2, parsed: 2, passed: 2, checks: { passed: 2, total: 2 } });
    const rssOnly = measureGofeed(root, (bytes, path) => (path.endsWith('a.xml') ? parseFeed(bytes) : null));
    expect(rssOnly).toMatchObject({ total: 2, parsed: 1, passed: 1, checks: { passed: 1, total: 3 } });
    expect(sumChecks(rssOnly, COMMON_CHECKS.gofeed)).toEqual({ passed: 1, total: 2 });
  });
});

describe('the parser comparison', () => {
  it('reads dates as ISO instants and keeps only the fields all parsers give', () => {
    expect(isoOrNull(new Date('2026-01-02T03:04:05+09:00'))).toBe('2026-01-01T18:04:05.000Z');
    expect(isoOrNull('Fri, 02 Jan 2026 03:04:05 GMT')).toBe('2026-01-02T03:04:05.000Z');
    expect(isoOrNull('')).toBeNull();
    expect(isoOrNull('2004-05-25 오후 11:23:17')).toBeNull();
    const feed = parseFeed(
      '<rss version="2.0"><channel><title>T</title><item><title>a</title><author>x@y.example</author>' +
        '<atom:updated xmlns:atom="http://www.w3.org/2005/Atom">2026-01-02T00:00:00Z</atom:updated></item></channel></rss>',
    );
    expect(commonFields(feed).items).toEqual([
      {
        id: null,
        title: 'a',
        link: null,
        published: '2026-01-02T00:00:00Z',
        updated: null,
        author: null,
        summary: null,
        content: null,
      },
    ]);
  });

  it('maps every library onto the same model for RSS and Atom', async () => {
    const { candidates, missing } = await loadCandidates();
    expect(missing).toEqual([]);
    expect(candidates.map((c) => c.name)).toEqual([
      'newsbrief (feedsmith)',
      '@rowanmanning/feed-parser',
      'rss-parser',
      '@extractus/feed-extractor',
    ]);
    const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>Wafer Watch</title>
      <link>https://wafer.example/</link>
      <item><title>HBM4 samples</title><link>https://wafer.example/hbm4</link>
        <pubDate>Tue, 24 Nov 2026 08:00:00 GMT</pubDate></item>
      <item><title>EUV tools</title><link>https://wafer.example/euv</link>
        <pubDate>Mon, 23 Nov 2026 08:00:00 GMT</pubDate></item></channel></rss>`;
    // Only `<updated>`, Atom's required date: @extractus/feed-extractor prefers it to `<published>`, so giving both
    // would tell the libraries apart rather than test the mapping.
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><title>Fab Log</title><id>urn:fab</id>
      <link href="https://fab.example/"/><updated>2026-11-24T08:00:00Z</updated>
      <entry><id>urn:fab:1</id><title>Line 3 restarts</title><link href="https://fab.example/line-3"/>
        <updated>2026-11-24T08:00:00Z</updated></entry></feed>`;
    for (const candidate of candidates) {
      const read = async (text: string) =>
        commonFields(await candidate.parse({ bytes: new TextEncoder().encode(text), text }));
      const fromRss = await read(rss);
      expect({ name: candidate.name, title: fromRss.title, link: fromRss.link }).toEqual({
        name: candidate.name,
        title: 'Wafer Watch',
        link: 'https://wafer.example/',
      });
      expect(fromRss.items.map((i) => [i.title, i.link, isoOrNull(i.published)])).toEqual([
        ['HBM4 samples', 'https://wafer.example/hbm4', '2026-11-24T08:00:00.000Z'],
        ['EUV tools', 'https://wafer.example/euv', '2026-11-23T08:00:00.000Z'],
      ]);
      const fromAtom = await read(atom);
      expect(fromAtom.title).toBe('Fab Log');
      expect(fromAtom.items.map((i) => [i.title, i.link, isoOrNull(i.published)])).toEqual([
        ['Line 3 restarts', 'https://fab.example/line-3', '2026-11-24T08:00:00.000Z'],
      ]);
    }
  });

  it('lets every library reject a document that is not a feed', async () => {
    const { candidates } = await loadCandidates();
    for (const candidate of candidates) {
      const text = '<!DOCTYPE html><html><body>Moved</body></html>';
      await expect(
        (async () => candidate.parse({ bytes: new TextEncoder().encode(text), text }))(),
        candidate.name,
      ).rejects.toThrow();
    }
  });
});
