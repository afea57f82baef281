import { describe, expect, it } from 'vitest';
import {
  BANDS,
  bandKeys,
  estimateContainment,
  estimateJaccard,
  minhashSignature,
  NUM_HASHES,
  signatureFromBytes,
  signatureToBytes,
} from '../../src/stories/minhash.ts';
import { hashedShingles, isCopy, overlap, shingles } from '../../src/stories/shingles.ts';

const base = Array.from(
  { length: 60 },
  (_, i) => `문장 ${i}번: 삼성전자가 메타와 확장현실 헤드셋을 만든다 ${i * 7}.`,
).join(' ');

function signatureOf(text: string): Uint32Array {
  return minhashSignature(hashedShingles(text));
}

describe('shingles', () => {
  it('ignores case, spacing and punctuation', () => {
    expect(shingles('Samsung, Meta!')).toEqual(shingles('samsung meta'));
    expect(hashedShingles('삼성전자 · 메타')).toEqual(hashedShingles('삼성전자메타'));
  });

  it('hashes the same shingles as the string form', () => {
    const text = 'SK하이닉스가 엔비디아에 HBM4를 공급한다.';
    expect(hashedShingles(text).length).toBe(shingles(text).size);
  });

  it('applies the copy rule: Jaccard 0.7, or containment 0.8 of a text that is not a mere line', () => {
    const full = hashedShingles(base);
    const cut = hashedShingles(base.slice(0, Math.floor(base.length * 0.6)));
    const found = overlap(full, cut);
    expect(found.jaccard).toBeLessThan(0.7);
    expect(found.containment).toBeGreaterThan(0.95);
    expect(isCopy(found, Math.min(full.length, cut.length))).toBe(true);
    const line = hashedShingles('삼성전자가 메타와');
    expect(isCopy(overlap(full, line), line.length)).toBe(false);
  });
});

describe('MinHash', () => {
  it('gives identical texts identical signatures and band keys', () => {
    expect(signatureOf(base)).toEqual(signatureOf(`${base}`));
    expect(bandKeys(signatureOf(base))).toEqual(bandKeys(signatureOf(base)));
    expect(bandKeys(signatureOf(base))).toHaveLength(BANDS);
    for (const key of bandKeys(signatureOf(base))) expect(Number.isSafeInteger(key) && key >= 0).toBe(true);
  });

  it('estimates Jaccard and containment close to the exact values', () => {
    const a = base;
    const b = base.replace(/헤드셋/g, '안경').slice(0, 1500);
    const exact = overlap(hashedShingles(a), hashedShingles(b));
    const estimate = estimateJaccard(signatureOf(a), signatureOf(b));
    expect(Math.abs(estimate - exact.jaccard)).toBeLessThan(0.12);
    const containment = estimateContainment(estimate, hashedShingles(a).length, hashedShingles(b).length);
    expect(Math.abs(containment - exact.containment)).toBeLessThan(0.15);
  });

  it('puts near copies in a shared band and unrelated texts in none', () => {
    const copy = `[누리뉴스 제휴 기사] ${base.slice(0, Math.floor(base.length * 0.8))}`;
    const other = Array.from({ length: 40 }, (_, i) => `Nvidia reported revenue of ${i * 13} billion dollars.`).join(
      ' ',
    );
    const shared = (x: string, y: string) => {
      const keys = new Set(bandKeys(signatureOf(x)));
      return bandKeys(signatureOf(y)).filter((k) => keys.has(k)).length;
    };
    expect(shared(base, copy)).toBeGreaterThan(0);
    expect(shared(base, other)).toBe(0);
  });

  it('round-trips a signature through bytes', () => {
    const signature = signatureOf(base);
    expect(signatureFromBytes(signatureToBytes(signature))).toEqual(signature);
    expect(signatureToBytes(signature).byteLength).toBe(NUM_HASHES * 4);
  });
});
