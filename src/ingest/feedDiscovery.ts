import { decodeHTML } from 'entities';

/** Feed types a page announces with `<link rel="alternate" type="…">`, best first. */
const FEED_TYPES = ['application/rss+xml', 'application/atom+xml', 'application/feed+json', 'application/json'];

/** Only the start of a page is read: feed links sit in its head. */
const HEAD_CHARS = 256 * 1024;

const LINK_TAG = /<link\b([^>]*)>/gi;
const ATTRIBUTE = /([^\s=/>]+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;

function attributesOf(tag: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const m of tag.matchAll(ATTRIBUTE)) {
    const name = (m[1] as string).toLowerCase();
    if (!attributes.has(name)) attributes.set(name, decodeHTML(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return attributes;
}

/**
 * The feeds an HTML page links to (`<link rel="alternate" type="application/rss+xml" href="…">`, the autodiscovery
 * convention browsers and feed readers follow), as absolute http(s) URLs: RSS first, then Atom, then JSON Feed, each
 * in page order. Empty when the page names none.
 */
export function discoverFeedLinks(html: string, pageUrl: string): string[] {
  const found: { url: string; rank: number; order: number }[] = [];
  let order = 0;
  for (const m of html.slice(0, HEAD_CHARS).matchAll(LINK_TAG)) {
    const attributes = attributesOf(m[1] ?? '');
    const rel = (attributes.get('rel') ?? '').toLowerCase().split(/\s+/);
    const type = (attributes.get('type') ?? '').toLowerCase().split(';')[0]?.trim() ?? '';
    const href = attributes.get('href')?.trim();
    const rank = FEED_TYPES.indexOf(type);
    if (!rel.includes('alternate') || rank < 0 || !href) continue;
    let url: URL;
    try {
      url = new URL(href, pageUrl);
    } catch {
      continue;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
    if (!found.some((f) => f.url === url.href)) found.push({ url: url.href, rank, order: order++ });
  }
  return found.sort((a, b) => a.rank - b.rank || a.order - b.order).map((f) => f.url);
}
