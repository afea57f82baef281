/** Feeds and pages the remote-ingest tests serve, invented for them (no real outlet's text). */

export interface FixtureItem {
  title: string;
  link: string;
  guid?: string;
  pubDate?: string;
  description: string;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function rssFeed(options: {
  title: string;
  link: string;
  items: FixtureItem[];
  ttl?: number;
  encoding?: string;
}) {
  const declaration = options.encoding
    ? `<?xml version="1.0" encoding="${options.encoding}"?>`
    : '<?xml version="1.0"?>';
  const items = options.items
    .map(
      (item) => `
    <item>
      <title>${escapeXml(item.title)}</title>
      <link>${escapeXml(item.link)}</link>
      <guid>${escapeXml(item.guid ?? item.link)}</guid>
      ${item.pubDate ? `<pubDate>${item.pubDate}</pubDate>` : ''}
      <description>${escapeXml(item.description)}</description>
    </item>`,
    )
    .join('');
  return `${declaration}
<rss version="2.0">
  <channel>
    <title>${escapeXml(options.title)}</title>
    <link>${escapeXml(options.link)}</link>
    ${options.ttl !== undefined ? `<ttl>${options.ttl}</ttl>` : ''}
    ${items}
  </channel>
</rss>`;
}

/** A full paragraph of invented English news text, long enough that a feed carrying it is not a teaser. */
export const FULL_PARAGRAPHS = [
  'Hanbit Semiconductor said on Tuesday that it had started mass production of its fifth-generation high-bandwidth memory, two quarters ahead of the schedule it gave investors in the spring.',
  'The company said the new stacks run twenty percent faster than the previous generation while drawing less power, and that its first customers are accelerator makers building chips for large data centres.',
  'Analysts said the early start could help the company win back orders it lost last year, although yields on the new process remain lower than on the older one and supply will stay tight into next year.',
  'Shares of the company rose three percent in morning trading in Seoul, while the broader market was flat.',
];

export function articlePage(options: { title: string; paragraphs: string[]; byline?: string; canonical?: string }) {
  const body = options.paragraphs.map((p) => `<p>${escapeXml(p)}</p>`).join('\n        ');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>${escapeXml(options.title)} | The Circuit</title>
    <meta property="og:site_name" content="The Circuit">
    ${options.canonical ? `<link rel="canonical" href="${options.canonical}">` : ''}
  </head>
  <body>
    <header><nav><a href="/">Home</a> <a href="/chips">Chips</a></nav></header>
    <article>
      <h1>${escapeXml(options.title)}</h1>
      ${options.byline ? `<p class="byline">By ${escapeXml(options.byline)}</p>` : ''}
      <div class="article-body">
        ${body}
      </div>
    </article>
    <footer>Copyright The Circuit. All rights reserved.</footer>
  </body>
</html>`;
}
