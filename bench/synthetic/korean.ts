/**
 * Korean particles that depend on the word before them (이/가, 은/는, 을/를, 과/와, 으로/로). The choice follows
 * the last sound: a Hangul syllable's final consonant, a Latin letter or digit as it is read aloud (LG → 엘지,
 * no final consonant: LG가; IBM → 아이비엠: IBM이; 5G → 파이브지: 5G가).
 */

type Final = 'none' | 'rieul' | 'other';

const LATIN_FINALS: Record<string, Final> = { l: 'rieul', m: 'other', n: 'other' };
const DIGIT_FINALS: Record<string, Final> = {
  '0': 'other',
  '1': 'rieul',
  '3': 'other',
  '6': 'other',
  '7': 'rieul',
  '8': 'rieul',
};

function finalSound(word: string): Final {
  const chars = Array.from(word.replace(/[^\p{L}\p{N}]+$/u, ''));
  const last = chars.at(-1);
  if (!last) return 'none';
  const code = last.codePointAt(0) ?? 0;
  if (code >= 0xac00 && code <= 0xd7a3) {
    const jong = (code - 0xac00) % 28;
    if (jong === 0) return 'none';
    return jong === 8 ? 'rieul' : 'other';
  }
  const lower = last.toLowerCase();
  return LATIN_FINALS[lower] ?? DIGIT_FINALS[lower] ?? 'none';
}

const PAIRS: Record<string, [withFinal: string, withoutFinal: string]> = {
  이: ['이', '가'],
  가: ['이', '가'],
  은: ['은', '는'],
  는: ['은', '는'],
  을: ['을', '를'],
  를: ['을', '를'],
  과: ['과', '와'],
  와: ['과', '와'],
  이다: ['이다', '다'],
};

/** `word` followed by the right form of `particle` (given in either form); other endings are appended as is. */
export function withParticle(word: string, particle: string): string {
  const sound = finalSound(word);
  if (particle === '으로' || particle === '로') return word + (sound === 'other' ? '으로' : '로');
  const pair = PAIRS[particle];
  if (!pair) return word + particle;
  return word + (sound === 'none' ? pair[1] : pair[0]);
}
