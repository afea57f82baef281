import { extractHtmlArticle } from '../extract/index.ts';
import { detectFeedFormat, parseFeed } from '../feeds/index.ts';
import type { ParsedArticle, ParsedFeed } from '../model.ts';
import { decodeDocument } from '../text/charset.ts';

/** A fetched body that is neither a feed nor an HTML page, or a page where a feed was expected. */
export class UnreadableDocumentError extends Error {
  override name = 'UnreadableDocumentError';
}

export type FetchedDocument = { kind: 'feed'; feed: ParsedFeed } | { kind: 'page'; article: ParsedArticle };

function mediaType(contentType: string | null): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

const HTML_START = /^\s*(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b/i;

/** Whether the body is meant as an HTML page, by its media type or, when servers mislabel it, by how it starts. */
export function isHtml(contentType: string | null, text: string): boolean {
  const type = mediaType(contentType);
  return type === 'text/html' || type === 'application/xhtml+xml' || HTML_START.test(text.slice(0, 2048));
}

/**
 * Reads fetched bytes by what they are, not by what the URL or the header claims: a document whose root is a feed
 * (RSS, RDF, Atom, JSON Feed) is a feed even when served as `text/html`, and an HTML document is a page. The charset
 * comes from the bytes, the Content-Type and the document's own declarations (see src/text/charset.ts).
 */
export function readFetchedDocument(bytes: Uint8Array, contentType: string | null, url: string): FetchedDocument {
  const { text } = decodeDocument(bytes, { contentType });
  if (detectFeedFormat(text) !== null) return { kind: 'feed', feed: parseFeed(bytes, { url, contentType }) };
  if (isHtml(contentType, text)) return { kind: 'page', article: extractHtmlArticle(text, { url }) };
  const type = mediaType(contentType) || 'no content type';
  throw new UnreadableDocumentError(`neither a feed nor an HTML page (${type})`);
}
