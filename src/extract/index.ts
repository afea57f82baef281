/** Parsers for saved articles: HTML pages and text saved from a page, both into one `ParsedArticle`. */

import type { ParsedArticle } from '../model.ts';
import { extractHtmlArticle } from './htmlArticle.ts';
import { parseTextArticle } from './textArticle.ts';

export { isBinaryText } from './budget.ts';
export { htmlToParagraphs } from './dom.ts';
export type { HtmlArticleOptions } from './htmlArticle.ts';
export { extractHtmlArticle } from './htmlArticle.ts';
export type { TextArticleOptions } from './textArticle.ts';
export { parseTextArticle, textToParagraphs } from './textArticle.ts';

export type ArticleKind = 'html' | 'text';

export interface ExtractOptions {
  url?: string | null;
  /** Publisher name to use when a text article names none (HTML pages carry their own). */
  source?: string | null;
}

export function extractArticle(content: string, kind: ArticleKind, options: ExtractOptions = {}): ParsedArticle {
  if (kind === 'html') {
    const article = extractHtmlArticle(content, { url: options.url ?? null });
    return article.source || !options.source ? article : { ...article, source: options.source };
  }
  return parseTextArticle(content, options);
}
