import { isSingleCjkChar, searchTokens } from '../../src/text/searchTokens.ts';

/**
 * Turns one alternative (a word or phrase in either language) into an FTS5 expression over the pre-tokenized
 * columns: a phrase of its tokens (`삼성전자` → `"삼성" + "성전" + "전자"`), or a prefix query for a lone
 * Hangul/Han character, which the index only holds inside bigrams. Returns null when nothing is searchable.
 */
function alternativeExpression(alternative: string): string | null {
  const trimmed = alternative.trim();
  if (isSingleCjkChar(trimmed)) return `"${trimmed.normalize('NFKC')}"*`;
  const tokens = searchTokens(trimmed);
  if (tokens.length === 0) return null;
  return tokens.map((t) => `"${t}"`).join(' + ');
}

/** `[[a, b], [c]]` → `(a OR b) AND (c)`; null when no group has a searchable alternative. */
export function ftsMatchExpression(groups: readonly (readonly string[])[]): string | null {
  const parts: string[] = [];
  for (const group of groups) {
    const alternatives = [...new Set(group.map(alternativeExpression).filter((e): e is string => e !== null))];
    if (alternatives.length > 0) parts.push(`(${alternatives.join(' OR ')})`);
  }
  return parts.length > 0 ? parts.join(' AND ') : null;
}

/** The document side: the same tokens, space-joined for FTS5's unicode61 tokenizer. */
export function ftsDocument(text: string): string {
  return searchTokens(text).join(' ');
}
