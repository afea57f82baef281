import { describe, expect, it } from 'vitest';
import { broaderQueries, isEmptyQuery, parseQuery } from '../../src/search/query.ts';

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

describe('parseQuery, the rest of the language', () => {
  it('mixes Korean and English words and phrases freely', () => {
    const q = parseQuery('삼성 "on-device AI" hbm “거대 언어 모델” -"AI 반도체"');
    expect(q.terms).toEqual([
      { text: '삼성', quoted: false },
      { text: 'on-device AI', quoted: true },
      { text: 'hbm', quoted: false },
      { text: '거대 언어 모델', quoted: true },
    ]);
    expect(q.excluded).toEqual([{ text: 'AI 반도체', quoted: true }]);
  });

  it('keeps a minus inside a word and a lone window after a word', () => {
    const q = parseQuery('gpt-5.5 on-device 48h');
    expect(q.terms.map((t) => t.text)).toEqual(['gpt-5.5', 'on-device']);
    expect(q.withinHours).toBe(48);
  });

  it('reads filter keys in any case, and several sources and topics', () => {
    const q = parseQuery('LANG:KO Source:누리뉴스 source:The_Circuit Topic:NVIDIA topic:hbm');
    expect(q.lang).toBe('ko');
    expect(q.sources).toEqual(['누리뉴스', 'The Circuit']);
    expect(q.topics).toEqual(['nvidia', 'hbm']);
    expect(q.terms).toEqual([]);
  });

  it('takes since: with a time and zone, and an empty filter value as a word', () => {
    expect(parseQuery('since:2026-11-24T09:00+09:00').since).toBe('2026-11-24T00:00:00.000Z');
    expect(parseQuery('lang: source:').terms.map((t) => t.text)).toEqual(['lang:', 'source:']);
  });
});

describe('broaderQueries', () => {
  it('drops the window first, then each filter or exclusion, then each word', () => {
    expect(broaderQueries('nvidia 삼성 24h lang:en -xr')).toEqual([
      'nvidia 삼성 lang:en -xr',
      'nvidia 삼성 24h -xr',
      'nvidia 삼성 24h lang:en',
      '삼성 24h lang:en -xr',
      'nvidia 24h lang:en -xr',
    ]);
  });

  it('keeps quoted phrases quoted and never offers the empty query', () => {
    expect(broaderQueries('"AI 반도체" since:2026-11-25')).toEqual(['"AI 반도체"']);
    expect(broaderQueries('samsung')).toEqual([]);
    expect(broaderQueries('7d')).toEqual([]);
  });
});
