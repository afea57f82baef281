export type { FeedFormat, FeedItem, ParsedFeed } from '../model.ts';
export { type DecodedDocument, type DecodeOptions, decodeDocument } from '../text/charset.ts';
export { detectFeedFormat } from './detectFormat.ts';
export { FeedParseError, type ParseFeedOptions, parseFeed } from './parseFeed.ts';
