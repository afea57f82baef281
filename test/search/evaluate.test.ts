import { beforeAll, describe, expect, it } from 'vitest';
import {
  evaluateSampleQueries,
  formatQualityReport,
  judgeRanking,
  parseQueryLabels,
  parseWireGroups,
  type QualityReport,
} from '../../src/search/evaluate.ts';

const set = (...ids: number[]) => new Set(ids);

describe('judgeRanking', () => {
  it('counts a hit as relevant when its lead or a copy is relevant', () => {
    const j = judgeRanking([[1], [2, 3], [4]], set(3, 4), set());
    expect(j.grades).toEqual(['not relevant', 'relevant', 'relevant']);
    expect(j.precision).toBeCloseTo(2 / 3);
    expect(j.recall).toBe(1);
  });

  it('neither rewards nor punishes partial hits', () => {
    const j = judgeRanking([[9], [1], [8], [2]], set(1, 2), set(8, 9));
    expect(j.grades).toEqual(['partial', 'relevant', 'partial', 'relevant']);
    expect(j.precision).toBe(1);
    expect(j.recall).toBe(1);
    // only partial hits in the first five while relevant ones exist: passing mentions ranked above the subject
    expect(judgeRanking([[9], [8]], set(1), set(8, 9)).precision).toBe(0);
  });

  it('lets partial hits take no place in the first ten for recall', () => {
    const partial = Array.from({ length: 10 }, (_, i) => [100 + i]);
    const j = judgeRanking([...partial, [1]], set(1), set(...partial.flat()));
    expect(j.recall).toBe(1);
    const irrelevant = Array.from({ length: 10 }, (_, i) => [200 + i]);
    expect(judgeRanking([...irrelevant, [1]], set(1), set()).recall).toBe(0);
  });

  it('counts wire copies as one unit, and caps the recall denominator at ten', () => {
    const unitOf = (id: number) => (id === 2 || id === 3 ? 'wire' : String(id));
    const j = judgeRanking([[1], [2]], set(1, 2, 3), set(), unitOf);
    expect(j.relevantUnits).toBe(2);
    expect(j.recall).toBe(1);
    const many = Array.from({ length: 14 }, (_, i) => i + 1);
    const top10 = many.slice(0, 10).map((id) => [id]);
    expect(judgeRanking(top10, set(...many), set()).recall).toBe(1);
  });

  it('scores an empty result 0, or 1 when nothing is relevant', () => {
    expect(judgeRanking([], set(1), set()).precision).toBe(0);
    expect(judgeRanking([], set(), set()).precision).toBe(1);
    expect(judgeRanking([], set(), set()).recall).toBe(1);
  });
});

describe('label files', () => {
  it('reads queries, partial lists and clocks, and the wire groups', () => {
    const labels = parseQueryLabels(
      '- query: "samsung 24h"\n  now: "2026-11-26T23:59:59+09:00"\n  window_hours: 24\n  relevant: [a]\n- query: x\n  relevant:\n  partial: [b]\n',
    );
    expect(labels).toEqual([
      { query: 'samsung 24h', relevant: ['a'], partial: [], now: '2026-11-26T23:59:59+09:00', note: null },
      { query: 'x', relevant: [], partial: ['b'], now: null, note: null },
    ]);
    expect(parseWireGroups('stories: []\nwire_groups:\n  - [a, b]\n')).toEqual([['a', 'b']]);
    expect(() => parseQueryLabels('- relevant: [a]\n')).toThrow();
  });
});

describe('the labelled sample queries', () => {
  let report: QualityReport;
  beforeAll(async () => {
    report = await evaluateSampleQueries();
  });

  it('resolves every labelled article', () => {
    expect(report.queries.length).toBeGreaterThanOrEqual(40);
    expect(report.queries.flatMap((q) => q.missing)).toEqual([]);
  });

  it('meets the floors: P@5 ≥ 0.9, R@10 ≥ 0.95, one top story per English/Korean pair', () => {
    expect(report.overall.precision).toBeGreaterThanOrEqual(0.9);
    expect(report.overall.recall).toBeGreaterThanOrEqual(0.95);
    expect(report.crossLanguage.map((c) => [c.pair, c.same])).toEqual(report.crossLanguage.map((c) => [c.pair, true]));
  });

  it('prints a report with every class and pair', () => {
    const text = formatQualityReport(report);
    for (const c of report.byClass) expect(text).toContain(c.queryClass);
    expect(text).toContain('overall');
    expect(text).toContain('samsung / 삼성');
  });
});
