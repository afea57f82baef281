import type { RssFeed } from 'feedsmith';
import type { FeedItem, ParsedFeed } from '../../model.ts';
import { cleanInlineText } from '../feedText.ts';
import {
  type AdapterContext,
  absoluteUrl,
  alternateHref,
  channelBases,
  firstDate,
  firstText,
  mediaTitle,
  resolveUrl,
} from './context.ts';

type Feed = RssFeed.Feed<string>;
type Item = RssFeed.Item<string>;

/** RSS 0.9x / 2.0, including the Dublin Core, content and Atom extensions feeds mix in. */
export function adaptRss(feed: Feed, ctx: AdapterContext): ParsedFeed {
  const language = firstText(feed.language, feed.dc?.languages?.[0], feed.xml?.lang)?.trim() ?? null;
  const read = ctx.dateReader(language);
  const { link, itemBase: channelBase } = channelBases(
    ctx,
    feed.xml?.base,
    firstText(feed.link, alternateHref(feed.atom?.links)),
  );

  const items = (feed.items ?? []).map((item): FeedItem => {
    const base = absoluteUrl(item.xml?.base, channelBase) ?? channelBase;
    return {
      id: item.guid?.value?.trim() || null,
      title:
        cleanInlineText(firstText(item.title, item.dc?.titles?.[0], item.atom?.title?.value)) ?? mediaTitle(item.media),
      link: resolveUrl(itemLink(item), base),
      published: firstDate(read, item.pubDate, item.dc?.dates?.[0], item.dcterms?.issued?.[0], item.atom?.published),
      // dc:date is Dublin Core's one undifferentiated date; with no more specific modification date it is also the
      // latest date the feed states for the item (feedparser and gofeed read it as `updated` too).
      updated: firstDate(read, item.atom?.updated, item.dcterms?.modified?.[0], item.dc?.dates?.[0]),
      author: cleanInlineText(
        firstText(
          item.authors?.[0]?.name,
          item.dc?.creators?.[0],
          item.atom?.authors?.[0]?.name,
          item.itunes?.author,
          item.authors?.[0]?.email,
          item.atom?.authors?.[0]?.email,
        ),
      ),
      summary: firstText(item.description, item.dc?.descriptions?.[0], item.atom?.summary?.value, item.itunes?.summary),
      content: firstText(item.content?.encoded, item.atom?.content?.value) ?? null,
    };
  });

  return {
    format: 'rss',
    title: cleanInlineText(firstText(feed.title, feed.dc?.titles?.[0])),
    link,
    language,
    items,
  };
}

/** `<link>`, else an Atom alternate link, else a permalink `<guid>` (isPermaLink defaults to true in RSS 2.0). */
function itemLink(item: Item): string | null {
  const guid = item.guid;
  const permalink = guid?.value && guid.isPermaLink !== false && /^https?:\/\//i.test(guid.value.trim());
  return firstText(item.link, alternateHref(item.atom?.links), permalink ? guid.value : null);
}
