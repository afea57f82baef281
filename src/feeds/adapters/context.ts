import type { MediaNs } from 'feedsmith';
import { cleanInlineText } from '../feedText.ts';

/** What every format adapter needs from the caller: where the document came from and how to read its dates. */
export interface AdapterContext {
  /** The URL the feed was fetched from, when known; the last base for relative links. */
  url: string | null;
  /**
   * A date reader for a feed in `language` (its declared language, or null): ISO 8601 UTC, or null when the text
   * is not a date.
   */
  dateReader(language: string | null): DateReader;
}

export type DateReader = (raw: string | null | undefined) => string | null;

/**
 * Resolves `href` against `base`. An absolute href is returned as written (normalising it, e.g. adding a trailing
 * slash, is canonicalisation's job, not the parser's); a relative one without a usable base stays as is.
 */
export function resolveUrl(href: string | null | undefined, base: string | null | undefined): string | null {
  const value = href?.trim();
  if (!value) return null;
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return value;
  try {
    return new URL(value, base ?? undefined).href;
  } catch {
    return value;
  }
}

/** An absolute URL usable as a base, or null. */
export function absoluteUrl(href: string | null | undefined, base: string | null | undefined): string | null {
  const resolved = resolveUrl(href, base);
  if (!resolved) return null;
  try {
    return new URL(resolved).href;
  } catch {
    return null;
  }
}

/** The first value that is a non-blank string. */
export function firstText(...values: Array<string | null | undefined>): string | null {
  for (const v of values) if (v?.trim()) return v;
  return null;
}

/** The first date among `raws` the reader can parse (a feed may give `pubDate` junk but a good `dc:date`). */
export function firstDate(read: DateReader, ...raws: Array<string | null | undefined>): string | null {
  for (const raw of raws) {
    const iso = read(raw);
    if (iso) return iso;
  }
  return null;
}

type Links = Array<{ href?: string; rel?: string; type?: string }> | undefined;

/** The `rel="alternate"` (or rel-less) link, preferring HTML. */
export function alternateHref(links: Links): string | null {
  const alternates = (links ?? []).filter((l) => l.href && (!l.rel || l.rel.toLowerCase() === 'alternate'));
  const html = alternates.find((l) => !l.type || /html/i.test(l.type));
  return (html ?? alternates[0])?.href ?? null;
}

/**
 * The channel's link and the base its items' relative links resolve against: the channel's `xml:base` (itself
 * relative to the document's URL), else the channel's own link, else the document's URL.
 */
export function channelBases(
  ctx: AdapterContext,
  xmlBaseAttribute: string | null | undefined,
  linkHref: string | null | undefined,
): { link: string | null; itemBase: string | null } {
  const docBase = absoluteUrl(ctx.url, null);
  const xmlBase = absoluteUrl(xmlBaseAttribute, docBase);
  const link = resolveUrl(linkHref, xmlBase ?? docBase);
  return { link, itemBase: xmlBase ?? absoluteUrl(link, null) ?? docBase };
}

/**
 * The Media RSS title (`media:title`) of an item whose only title is there (video and photo feeds): its own,
 * else its media groups' (`<media:group>`, as YouTube writes them) and their contents', else its contents'.
 * `type="html"` titles may carry markup; plain ones (the default) are text.
 */
export function mediaTitle(media: MediaNs.ItemOrFeed | undefined): string | null {
  if (!media) return null;
  const titles = [
    media.title,
    ...(media.groups ?? []).flatMap((group) => [group.title, ...(group.contents ?? []).map((c) => c.title)]),
    ...(media.contents ?? []).map((content) => content.title),
  ];
  for (const title of titles) {
    const text = cleanInlineText(title?.value, { html: title?.type?.trim().toLowerCase() === 'html' });
    if (text) return text;
  }
  return null;
}
