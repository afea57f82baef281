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

/**
 * The whole text condition in one FTS5 expression: every `all` group and none of the `none` groups
 * (`(a OR b) AND (c) NOT ((d))`), so exclusions are applied inside the index instead of by a scan of every
 * excluded match. Null when no `all` group is searchable (FTS5's NOT cannot stand alone).
 */
export function ftsSearchExpression(
  all: readonly (readonly string[])[],
  none: readonly (readonly string[])[],
): string | null {
  const positive = ftsMatchExpression(all);
  if (positive === null) return null;
  const negative = none.map((group) => ftsMatchExpression([group])).filter((e): e is string => e !== null);
  return negative.length > 0 ? `(${positive}) NOT (${negative.join(' OR ')})` : positive;
}

/** The document side: the same tokens, space-joined for FTS5's unicode61 tokenizer. */
export function ftsDocument(text: string): string {
  return searchTokens(text).join(' ');
}

/** Approximates the index's Porter stemming for the endings that matter in titles (`models`, `chips`, `shipping`). */
function stem(token: string): string {
  if (!/^[a-z]+$/.test(token)) return token;
  const stemmed = token.replace(/(?:ies|es|s|ing|ed)$/, '');
  return stemmed.length >= 3 ? stemmed : token;
}

/** A text's tokens as `createPhraseMatcher` compares them: the index's tokens, English words stemmed. */
export function matchTokens(text: string): string[] {
  return searchTokens(text).map(stem);
}

/**
 * Whether a text's tokens (`matchTokens`) contain one of the alternatives as the index would match it: the same
 * tokens in a row, English words compared by stem, a lone Hangul/Han character as the start of a bigram.
 */
export function createPhraseMatcher(alternatives: readonly string[]): (tokens: readonly string[]) => boolean {
  const phrases = alternatives
    .map((alternative) => {
      const trimmed = alternative.trim();
      if (isSingleCjkChar(trimmed)) return { prefix: trimmed.normalize('NFKC'), tokens: [] as string[] };
      return { prefix: null, tokens: matchTokens(trimmed) };
    })
    .filter((p) => p.prefix !== null || p.tokens.length > 0);
  return (tokens) =>
    phrases.some(({ prefix, tokens: phrase }) => {
      if (prefix !== null) return tokens.some((t) => t.startsWith(prefix));
      for (let i = 0; i + phrase.length <= tokens.length; i++) {
        if (phrase.every((p, j) => tokens[i + j] === p)) return true;
      }
      return false;
    });
}
