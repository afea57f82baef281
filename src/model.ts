/**
 * The engine's shared data model. Every source format (feed item, saved page, saved text) converts into
 * these shapes at the edge; everything after works on them.
 */

export type Lang = 'ko' | 'en' | 'und';

/** An article as parsed from one document, before it is stored. */
export interface ParsedArticle {
  title: string;
  /** Lines printed under the title (sub-headlines), kept apart from the body. */
  deck: string[];
  /** Clean body paragraphs: no dateline, photo captions, share buttons, sign-offs or "most read" lists. */
  paragraphs: string[];
  /** Reporter, e.g. `오동현 기자` or `Jane Doe`. */
  byline: string | null;
  /** Publisher name, e.g. `뉴시스`. */
  source: string | null;
  /** ISO 8601 with the publisher's zone offset, e.g. `2024-02-27T17:38:39+09:00`. */
  publishedAt: string | null;
  updatedAt: string | null;
  lang: Lang;
  /** Canonical URL when the document names one. */
  url: string | null;
}

export type FeedFormat = 'rss' | 'atom' | 'rdf' | 'json';

export interface FeedItem {
  id: string | null;
  title: string | null;
  link: string | null;
  /** ISO 8601 in UTC (`…Z`) or null. */
  published: string | null;
  updated: string | null;
  author: string | null;
  summary: string | null;
  content: string | null;
}

export interface ParsedFeed {
  format: FeedFormat;
  title: string | null;
  link: string | null;
  language: string | null;
  items: FeedItem[];
}
