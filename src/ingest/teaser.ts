import type { ParsedArticle } from '../model.ts';

/** A feed body shorter than this (title excluded) is taken as a teaser: the article itself is on the page. */
export const TEASER_CHARS = 600;

/** How feeds mark a cut-off body: an ellipsis, `[…]` (WordPress), or a "read more" link text left in the summary. */
const CUT_MARK =
  /(?:…|\.\.\.|\[(?:…|\.\.\.)\]|read more|continue reading|more »|기사 ?전문|더 ?보기|계속 ?읽기|\(계속\))\s*$/i;

/** Whether the article's body is only a teaser of the page it links to. */
export function isTeaser(article: Pick<ParsedArticle, 'paragraphs'>, minChars = TEASER_CHARS): boolean {
  let length = 0;
  for (const p of article.paragraphs) length += p.length;
  if (length < minChars) return true;
  const last = article.paragraphs.at(-1) ?? '';
  return CUT_MARK.test(last);
}
