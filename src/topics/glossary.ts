/**
 * The glossary: everyday tech-news words that mean the same in Korean and English (`headset` = 헤드셋,
 * `interpreter` = 통역). Unlike topics they tag nothing; a query word found here is searched in all its
 * languages, so `/news 갤럭시 통역` also finds the English articles about Galaxy's interpreter mode.
 */

import { aliasKey, charClass, HANGUL, isKoreanSuffix } from './normalize.ts';

export interface Glossary {
  /** All words of the entry the term belongs to (a trailing Korean particle is tolerated), or null. */
  translate(term: string): string[] | null;
}

export function createGlossary(entries: readonly (readonly string[])[]): Glossary {
  const byKey = new Map<string, readonly string[]>();
  for (const entry of entries) for (const word of entry) byKey.set(aliasKey(word), entry);
  return {
    translate(term) {
      const key = aliasKey(term);
      if (key === '') return null;
      let entry = byKey.get(key);
      // `헤드셋을` → `헤드셋`: drop a trailing particle when what remains is in the glossary.
      for (let cut = 1; entry === undefined && cut < key.length; cut++) {
        const tail = key.slice(key.length - cut);
        if (charClass(tail.charCodeAt(0)) !== HANGUL || !isKoreanSuffix(tail)) continue;
        entry = byKey.get(key.slice(0, key.length - cut));
      }
      return entry ? [...entry] : null;
    },
  };
}
