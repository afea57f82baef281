import type { ParsedArticle } from '../model.ts';

function textLength(article: Pick<ParsedArticle, 'paragraphs'>): number {
  let n = 0;
  for (const p of article.paragraphs) n += p.length;
  return n;
}

function later(a: string | null, b: string | null): string | null {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/**
 * Combines what is already stored under a key with a new reading of the same article. The fuller body wins
 * (a page's full text is never replaced by its feed teaser); missing fields are filled from either side; the
 * publication time is kept once known, since feeds that rewrite dates must not move an article around.
 */
export function mergeArticle(existing: ParsedArticle, incoming: ParsedArticle): ParsedArticle {
  const incomingIsFuller = textLength(incoming) > textLength(existing);
  const base = incomingIsFuller ? incoming : existing;
  const other = incomingIsFuller ? existing : incoming;
  return {
    title: base.title || other.title,
    deck: base.deck.length > 0 ? base.deck : other.deck,
    paragraphs: base.paragraphs,
    byline: base.byline ?? other.byline,
    source: base.source ?? other.source,
    publishedAt: existing.publishedAt ?? incoming.publishedAt,
    updatedAt: later(existing.updatedAt, incoming.updatedAt),
    lang: base.lang !== 'und' ? base.lang : other.lang,
    url: existing.url ?? incoming.url,
  };
}
