import type { JsonFeed } from 'feedsmith';
import type { FeedItem, ParsedFeed } from '../../model.ts';
import { cleanInlineText } from '../feedText.ts';
import { type AdapterContext, absoluteUrl, firstDate, firstText, resolveUrl } from './context.ts';

type Feed = JsonFeed.Feed<string>;

/** JSON Feed 1.0 / 1.1 (feedsmith folds 1.0's `author` into `authors`). */
export function adaptJson(feed: Feed, ctx: AdapterContext): ParsedFeed {
  const language = feed.language?.trim() || null;
  const read = ctx.dateReader(language);
  const docBase = absoluteUrl(ctx.url, null) ?? absoluteUrl(feed.feed_url, null);
  const link = resolveUrl(feed.home_page_url, docBase);
  const base = absoluteUrl(link, null) ?? docBase;
  const feedAuthor = feed.authors?.[0]?.name;

  const items = (feed.items ?? []).map(
    (item): FeedItem => ({
      id: item.id == null ? null : String(item.id).trim() || null,
      title: cleanInlineText(item.title),
      link: resolveUrl(firstText(item.url, item.external_url), base),
      published: firstDate(read, item.date_published),
      updated: firstDate(read, item.date_modified),
      author: cleanInlineText(firstText(item.authors?.[0]?.name, feedAuthor)),
      summary: item.summary ?? null,
      content: firstText(item.content_html, item.content_text) ?? null,
    }),
  );

  return { format: 'json', title: cleanInlineText(feed.title), link, language, items };
}
