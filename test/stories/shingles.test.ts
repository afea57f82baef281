import { describe, expect, it } from 'vitest';
import { HASH_FAMILY, minhashSignature, NUM_HASHES } from '../../src/stories/minhash.ts';
import {
  distinctShingleHashes,
  hashedShingles,
  overlap,
  shingleHashes,
  shingles,
  sortShingles,
} from '../../src/stories/shingles.ts';

/** The exact, slow form: shingle strings of code points, hashed one by one. */
const reference = (text: string) => [...shingleHashes(shingles(text))];

describe('shingle hashes', () => {
  it('are the hashes of the shingle strings, each once', () => {
    const texts = [
      '삼성전자가 메타와 확장현실(XR) 헤드셋을 공개했다. 삼성전자가 메타와 확장현실(XR) 헤드셋을 공개했다.',
      'Nvidia’s “H200” — shipped in Q3, said the company.',
      'ＯｐｅｎＡＩ ＧＰＴ-５', // NFKC: full-width forms become ASCII
      'abc',
      '',
    ];
    for (const text of texts) {
      expect([...hashedShingles(text)]).toEqual(reference(text));
      expect([...sortShingles(distinctShingleHashes(text))]).toEqual(reference(text));
    }
  });

  it('drops emoji like punctuation and takes letters beyond the BMP whole', () => {
    expect([...hashedShingles('삼성전자 😀 메타 🚀 XR')]).toEqual(reference('삼성전자메타XR'));
    // U+20000 is a letter outside the BMP: a code-unit window would split it.
    const astral = '삼성𠀀전자 메타';
    expect([...hashedShingles(astral)]).toEqual(reference(astral));
    expect(shingles(astral).has('삼성𠀀전자')).toBe(true);
  });

  it('measures overlap on sorted sets as on plain sets', () => {
    const a = hashedShingles('삼성전자가 메타와 함께 만든 확장현실 헤드셋을 공개했다');
    const b = hashedShingles('삼성전자가 메타와 함께 만든 헤드셋을 공개');
    const setA = new Set(a);
    const shared = [...b].filter((h) => setA.has(h)).length;
    expect(overlap(a, b)).toEqual({
      jaccard: shared / (a.length + b.length - shared),
      containment: shared / Math.min(a.length, b.length),
    });
    expect(overlap(a, new Uint32Array(0))).toEqual({ jaccard: 0, containment: 0 });
  });
});

describe('MinHash signature', () => {
  it('is the minimum of every hash function, computed four at a time', () => {
    const hashes = hashedShingles('SK하이닉스가 엔비디아에 HBM4를 공급한다. Samsung follows with HBM4E next year.');
    const { multipliers, offsets } = HASH_FAMILY;
    const expected = Array.from({ length: NUM_HASHES }, (_, i) =>
      Math.min(...[...hashes].map((v) => (Math.imul(v, multipliers[i] as number) + (offsets[i] as number)) >>> 0)),
    );
    expect([...minhashSignature(hashes)]).toEqual(expected);
    expect([...minhashSignature(new Uint32Array(0))]).toEqual(Array(NUM_HASHES).fill(0xffffffff));
  });
});
