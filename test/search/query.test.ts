import { describe, expect, it } from 'vitest';
import { isEmptyQuery, parseQuery } from '../../src/search/query.ts';

describe('parseQuery', () => {
  it('reads words, quoted phrases and exclusions in both languages', () => {
    const q = parseQuery('엔비디아 "AI 반도체" -gaming -"data center"');
    expect(q.terms).toEqual([
      { text: '엔비디아', quoted: false },
      { text: 'AI 반도체', quoted: true },
    ]);
    expect(q.excluded).toEqual([
      { text: 'gaming', quoted: false },
      { text: 'data center', quoted: true },
    ]);
  });

  it('reads relative windows in lower case and leaves `3D` a word', () => {
    expect(parseQuery('hbm 24h').withinHours).toBe(24);
    expect(parseQuery('hbm 7d').withinHours).toBe(168);
    expect(parseQuery('hbm 2w').withinHours).toBe(336);
    const q = parseQuery('3D 프린터');
    expect(q.withinHours).toBeNull();
    expect(q.terms.map((t) => t.text)).toEqual(['3D', '프린터']);
  });

  it('reads since/until as Korean-time days, and filters', () => {
    const q = parseQuery('samsung since:2026-11-24 until:2026-11-25 lang:en source:The_Circuit topic:XR');
    expect(q.since).toBe('2026-11-23T15:00:00.000Z');
    expect(q.until).toBe('2026-11-25T14:59:59.000Z');
    expect(q.lang).toBe('en');
    expect(q.sources).toEqual(['The Circuit']);
    expect(q.topics).toEqual(['xr']);
    expect(q.terms.map((t) => t.text)).toEqual(['samsung']);
  });

  it('treats unknown or malformed syntax as words, never an error', () => {
    const q = parseQuery('lang:fr since:yesterday http://x.example "unclosed phrase');
    expect(q.lang).toBeNull();
    expect(q.since).toBeNull();
    expect(q.terms.map((t) => t.text)).toEqual(['lang:fr', 'since:yesterday', 'http://x.example', 'unclosed phrase']);
    expect(parseQuery('-').terms).toEqual([{ text: '-', quoted: false }]);
  });

  it('bounds hostile input', () => {
    const q = parseQuery('word '.repeat(1000));
    expect(q.terms.length).toBeLessThanOrEqual(16);
    expect(isEmptyQuery(parseQuery('   '))).toBe(true);
    expect(isEmptyQuery(parseQuery('7d'))).toBe(false);
  });
});
