import { describe, expect, it } from 'vitest';
import {
  addInto,
  cosine,
  emptyRecord,
  fromRecord,
  normalize,
  strongest,
  strongestTerms,
  toRecord,
} from '../../src/text/vectors.ts';

describe('sparse vectors', () => {
  it('computes cosine similarity, 0 for empty or disjoint vectors', () => {
    const a = fromRecord({ samsung: 3, hbm: 4 });
    const b = fromRecord({ samsung: 3, hbm: 4, nvidia: 0 });
    expect(cosine(a, b)).toBeCloseTo(1, 12);
    expect(cosine(a, fromRecord({ samsung: 1 }))).toBeCloseTo(0.6, 12);
    expect(cosine(a, fromRecord({ apple: 1 }))).toBe(0);
    expect(cosine(fromRecord({}), a)).toBe(0);
  });

  it('normalizes to length 1 and leaves an empty vector empty', () => {
    const unit = normalize(fromRecord({ a: 3, b: 4 }));
    expect([...unit]).toEqual([
      ['a', 0.6],
      ['b', 0.8],
    ]);
    expect(normalize(fromRecord({})).size).toBe(0);
  });

  it('adds in place and drops terms that cancel out', () => {
    const target = fromRecord({ a: 1, b: 2 });
    addInto(target, fromRecord({ a: -1, c: 1 }), 1);
    expect(toRecord(target)).toEqual({ b: 2, c: 1 });
  });

  it('keeps the strongest entries in the order a record of them would have', () => {
    const vector = fromRecord({ chip: 0.5, '2026': 0.2, hbm: 0.9, '02': 0.7, tiny: 0.00001, zero: 0 });
    const top = strongest(vector, 5);
    // A record puts array-index keys first, ascending; '02' is not one.
    expect([...top.keys()]).toEqual(['2026', 'hbm', '02', 'chip', 'tiny']);
    expect([...top.keys()]).toEqual(Object.keys(toRecord(top)));
    // A weight that rounds to 0 is kept as the smallest stored weight, not dropped.
    expect(top.get('tiny')).toBe(0.0001);
    expect(strongestTerms(vector, 3)).toEqual(['hbm', '02', 'chip']);
  });

  it('breaks weight ties by term so the choice is deterministic', () => {
    expect(strongestTerms(fromRecord({ b: 1, a: 1, c: 1 }), 2)).toEqual(['a', 'b']);
  });

  it('makes records without a prototype, so no key is special', () => {
    const record = emptyRecord();
    const key = '__proto__';
    record[key] = 1;
    expect(Object.keys(record)).toEqual([key]);
    expect(JSON.stringify(record)).toBe('{"__proto__":1}');
  });
});
