import type { SyntheticArticle } from './generate.ts';

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`);
}

function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/**
 * An RSS 2.0 feed carrying the articles in full (`content:encoded`, one `<p>` per paragraph), the way many
 * Korean and English publishers ship theirs: what the feed path of ingestion parses and cleans.
 */
export function rssFeed(title: string, link: string, lang: string, items: readonly SyntheticArticle[]): string {
  const entries = items.map(({ article }) => {
    const html = article.paragraphs.map((p) => `<p>${escapeXml(p)}</p>`).join('\n');
    const date = new Date(article.publishedAt ?? 0).toUTCString();
    return [
      '<item>',
      `<title>${escapeXml(article.title)}</title>`,
      `<link>${escapeXml(article.url ?? '')}</link>`,
      `<guid isPermaLink="true">${escapeXml(article.url ?? '')}</guid>`,
      `<pubDate>${date}</pubDate>`,
      article.byline ? `<dc:creator>${escapeXml(article.byline)}</dc:creator>` : '',
      `<description>${escapeXml(article.paragraphs[0] ?? '')}</description>`,
      `<content:encoded>${cdata(html)}</content:encoded>`,
      '</item>',
    ].join('');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    `<channel><title>${escapeXml(title)}</title><link>${escapeXml(link)}</link><language>${lang}</language>`,
    ...entries,
    '</channel></rss>',
  ].join('\n');
}
