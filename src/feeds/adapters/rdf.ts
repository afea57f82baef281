import type { RdfFeed } from 'feedsmith';
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

type Feed = RdfFeed.Feed<string>;

/** RSS 0.90 / 1.0 (RDF): dates and authors come from Dublin Core, ids from `rdf:about`. */
export function adaptRdf(feed: Feed, ctx: AdapterContext): ParsedFeed {
  const language = firstText(feed.dc?.languages?.[0], feed.xml?.lang)?.trim() ?? null;
  const read = ctx.dateReader(language);
  const { link, itemBase: channelBase } = channelBases(
    ctx,
    feed.xml?.base,
    firstText(feed.link, alternateHref(feed.atom?.links)),
  );

  const items = (feed.items ?? []).map((item): FeedItem => {
    const base = absoluteUrl(item.xml?.base, channelBase) ?? channelBase;
    const link = resolveUrl(firstText(item.link, item.rdf?.about, alternateHref(item.atom?.links)), base);
    return {
      id: firstText(item.rdf?.about, item.dc?.identifiers?.[0])?.trim() ?? null,
      title: cleanInlineText(firstText(item.title, item.dc?.titles?.[0])) ?? mediaTitle(item.media),
      link,
      published: firstDate(read, item.dc?.dates?.[0], item.dcterms?.issued?.[0], item.atom?.published),
      // dc:date doubles as the modification date when nothing more specific is given, as in the RSS adapter.
      updated: firstDate(read, item.dcterms?.modified?.[0], item.atom?.updated, item.dc?.dates?.[0]),
      author: cleanInlineText(firstText(item.dc?.creators?.[0], item.atom?.authors?.[0]?.name)),
      summary: firstText(item.description, item.dc?.descriptions?.[0]) ?? null,
      content: firstText(item.content?.encoded) ?? null,
    };
  });

  return {
    format: 'rdf',
    title: cleanInlineText(firstText(feed.title, feed.dc?.titles?.[0])),
    link,
    language,
    items,
  };
}
