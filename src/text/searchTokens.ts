/**
 * Tokens for full-text search that finds Korean (the Lucene CJK-bigram approach): NFKC and lower case, split
 * at script boundaries, Hangul (and Han) runs of two or more characters become overlapping bigrams
 * (`삼성전자` → `삼성 성전 전자`), a lone syllable stays, Latin and number words stay whole. Queries are
 * tokenized the same way, so `삼성` finds `삼성전자가` without any particle stripping.
 */

const RUN = /(\p{Script=Hangul}+)|(\p{Script=Han}+)|([[\p{L}\p{N}\p{M}]--[\p{Script=Hangul}\p{Script=Han}]]+)/gv;

function bigrams(run: string, out: string[]): void {
  const chars = Array.from(run);
  if (chars.length === 1) {
    out.push(run);
    return;
  }
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + (chars[i + 1] as string));
}

export function normalizeForSearch(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Splits text into search tokens; every call on the same text gives the same tokens. */
export function searchTokens(text: string): string[] {
  const out: string[] = [];
  for (const m of normalizeForSearch(text).matchAll(RUN)) {
    if (m[1] !== undefined) bigrams(m[1], out);
    else if (m[2] !== undefined) bigrams(m[2], out);
    else if (m[3] !== undefined) out.push(m[3]);
  }
  return out;
}

/** True when the term is a single Hangul or Han character, which is only found as a prefix of bigrams. */
export function isSingleCjkChar(term: string): boolean {
  return /^[\p{Script=Hangul}\p{Script=Han}]$/u.test(term.normalize('NFKC'));
}
