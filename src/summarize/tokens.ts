/**
 * Tokens for comparing sentences of one article (TF-IDF, centrality, redundancy). Korean is written in eojeols
 * that glue particles to nouns (`삼성전자가`), so Hangul runs become overlapping character bigrams
 * (`삼성전자가` → `삼성 성전 전자 자가`), which match across particles without a morphological analyser.
 * Latin and number runs stay whole words. Text is NFKC-normalised and lowercased; runs are split at script
 * boundaries (`SK하이닉스는` → `sk`, `하이`, `이닉`, `닉스`, `스는`).
 */

/** Function words that say nothing about what an English sentence is about. */
const ENGLISH_STOPWORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have he her his i if in into is it ' +
    'its it’s me more most my no not of on or our she so than that the their them then there these they this to ' +
    'too us was we were what when where which while who will with would you your also about after over said says'
  ).split(' '),
);

const RUN = /(\p{Script=Hangul}+)|((?:(?!\p{Script=Hangul})[\p{L}\p{N}])+)/gu;

/** The tokens the summarizer compares: Hangul character bigrams plus Latin/number words (stopwords dropped). */
export function summaryTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.normalize('NFKC').toLowerCase().matchAll(RUN)) {
    const hangul = match[1];
    if (hangul !== undefined) {
      if (hangul.length === 1) tokens.push(hangul);
      for (let i = 0; i + 1 < hangul.length; i++) tokens.push(hangul.slice(i, i + 2));
    } else if (!ENGLISH_STOPWORDS.has(match[0])) {
      tokens.push(match[0]);
    }
  }
  return tokens;
}

/**
 * Word tokens that keep Hangul, for ROUGE and trigram checks: NFKC, lowercase, runs of letters/digits split at
 * script boundaries (`SK하이닉스는` → `sk`, `하이닉스는`). Korean eojeols keep their particles; the published
 * `rouge_score` tokenizer keeps only `[a-z0-9]` and would score Korean as empty.
 */
export function wordTokens(text: string): string[] {
  return Array.from(text.normalize('NFKC').toLowerCase().matchAll(RUN), (match) => match[0]);
}
