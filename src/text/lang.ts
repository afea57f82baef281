import type { Lang } from '../model.ts';

/** Korean tech news is full of Latin words (AI, CEO, LLM, 'GPT-4'); a quarter of Hangul letters is already Korean. */
const MIN_HANGUL_SHARE = 0.25;
const MIN_LATIN_SHARE = 0.6;
const MIN_LETTERS = 3;

/**
 * The language of a text by its letters: 'ko' when Hangul is a meaningful share of them, 'en' when they are
 * mostly Latin, 'und' for too little text or other scripts (Japanese, Chinese, Cyrillic …).
 */
export function detectLang(text: string | null | undefined): Lang {
  if (!text) return 'und';
  const letters = count(text, /\p{L}/gu);
  const hangul = count(text, /\p{Script=Hangul}/gu);
  const latin = count(text, /\p{Script=Latin}/gu);
  if (letters < MIN_LETTERS) return 'und';
  if (hangul / letters >= MIN_HANGUL_SHARE) return 'ko';
  if (latin / letters >= MIN_LATIN_SHARE) return 'en';
  return 'und';
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}
