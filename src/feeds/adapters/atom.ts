import type { AtomFeed } from 'feedsmith';
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

type Feed = AtomFeed.Feed<string>;

/** Atom 1.0 and 0.3 (feedsmith maps 0.3's `issued`/`modified`/`tagline` onto the 1.0 names). */
export function adaptAtom(feed: Feed, ctx: AdapterContext): ParsedFeed {
  const language = firstText(feed.xml?.lang, feed.dc?.languages?.[0])?.trim() ?? null;
  const read = ctx.dateReader(language);
  // xml:base nests: an entry's base is relative to the feed's, which is relative to the document URL. Without
  // xml:base, relative entry links are read against the site (the feed's link) before the feed's own URL, as for
  // RSS: publishers who write relative links mean pages of their site, wherever the feed file lives.
  const { link, itemBase: entryFallbackBase } = channelBases(ctx, feed.xml?.base, alternateHref(feed.links));
  const feedAuthor = feed.authors?.[0];

  const items = (feed.entries ?? []).map((entry): FeedItem => {
    const base = absoluteUrl(entry.xml?.base, entryFallbackBase) ?? entryFallbackBase;
    return {
      id: entry.id?.trim() || null,
      title: atomText(entry.title) ?? mediaTitle(entry.media),
      link: resolveUrl(alternateHref(entry.links), base),
      published: firstDate(read, entry.published, entry.dc?.dates?.[0], entry.dcterms?.issued?.[0]),
      updated: firstDate(read, entry.updated, entry.dcterms?.modified?.[0]),
      // RFC 4287 §4.2.1: an entry without an author inherits the feed's. An author given only by `<email>` still
      // says who wrote the entry, so the address stands in for a missing name.
      author: cleanInlineText(
        firstText(
          entry.authors?.[0]?.name,
          entry.dc?.creators?.[0],
          entry.authors?.[0]?.email,
          feedAuthor?.name,
          feedAuthor?.email,
        ),
      ),
      summary: entry.summary?.value ?? null,
      // Out-of-line content (`src=`) is a link, not content.
      content: entry.content?.src ? null : (entry.content?.value ?? null),
    };
  });

  return { format: 'atom', title: atomText(feed.title), link, language, items };
}

/** Atom text constructs: `text` is plain (a `<` in it is a character); `html` and `xhtml` carry markup. */
function atomText(text: AtomFeed.Text | undefined): string | null {
  if (!text) return null;
  const type = text.type?.toLowerCase();
  const html = type === 'html' || type === 'xhtml' || type === 'text/html' || type === 'application/xhtml+xml';
  return cleanInlineText(text.value, { html });
}
