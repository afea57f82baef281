/**
 * A search's text conditions as `tsquery` text over `articles.search_vector` (each article's search tokens as
 * lexemes, migration 7). One `@@` decides a row, where one array operator per alternative unpacked the row's
 * TOASTed tokens once each, and the GIN index answers the whole condition, prefixes included.
 */

/** One alternative of a group as FTS5 matches it: a phrase of terms, or a prefix (a lone Hangul/Han character). */
export type Alternative = { prefix: string; terms: null } | { prefix: null; terms: string[] };

/** A query group split by where it is decided: alternatives exact in SQL, and phrases checked on the rows read. */
export interface Group {
  /** One-term alternatives and prefixes: SQL says exactly whether an article holds one. */
  exact: Alternative[];
  /** Phrases of two or more terms: SQL finds the articles holding all their terms, a check the phrase. */
  phrases: string[][];
}

/** A tsvector's lexemes are shorter than 2 KiB: the store leaves longer terms out, so no article holds one. */
export const MAX_LEXEME_BYTES = 2047;

export function storableTerm(term: string): boolean {
  return term !== '' && Buffer.byteLength(term, 'utf8') <= MAX_LEXEME_BYTES;
}

/** A term as a quoted tsquery lexeme (quotes and backslashes doubled, as tsquery input reads them). */
function lexeme(term: string): string {
  return `'${term.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** One of the parts holds. */
export const anyOf = (parts: readonly string[]) =>
  parts.length === 1 ? (parts[0] as string) : `(${parts.join(' | ')})`;
const allOf = (parts: readonly string[]) => (parts.length === 1 ? (parts[0] as string) : `(${parts.join(' & ')})`);

/** Holds exactly for the rows holding one of the one-term alternatives or prefixes; null when none can match. */
export function exactQuery(exact: readonly Alternative[]): string | null {
  const parts = exact.flatMap((a) => {
    if (a.prefix !== null) return storableTerm(a.prefix) ? [`${lexeme(a.prefix)}:*`] : [];
    const term = a.terms[0] as string;
    return storableTerm(term) ? [lexeme(term)] : [];
  });
  return parts.length > 0 ? anyOf(parts) : null;
}

/**
 * Holds for every row one of the group's phrases matches (and for some it does not): all the terms of a phrase. A
 * phrase holding a one-term alternative of the group, or every term of another phrase, adds no row to that and is
 * left out (its check on the rows read stays). Null when no phrase can match.
 */
export function phraseSupersetQuery(group: Group): string | null {
  const singles = new Set(group.exact.flatMap((a) => (a.prefix === null ? a.terms : [])));
  const sets = group.phrases.map((terms) => [...new Set(terms)]).filter((set) => set.every(storableTerm));
  const holds = (set: readonly string[], other: readonly string[]) => other.every((t) => set.includes(t));
  const kept = sets.filter(
    (set, i) =>
      !set.some((t) => singles.has(t)) &&
      !sets.some((other, j) => j !== i && holds(set, other) && (other.length < set.length || j < i)),
  );
  return kept.length > 0 ? anyOf(kept.map((set) => allOf(set.map(lexeme)))) : null;
}

/** Holds for every row that may match the group (exactly, unless it has phrases); null when no row can. */
export function groupQuery(group: Group): string | null {
  const parts = [exactQuery(group.exact), phraseSupersetQuery(group)].filter((p): p is string => p !== null);
  return parts.length > 0 ? anyOf(parts) : null;
}

/** Every part holds; `negated` parts hold for none. */
export function conjunction(parts: readonly string[], negated: readonly string[] = []): string {
  return allOf([...parts, ...negated.map((part) => `!${part}`)]);
}
