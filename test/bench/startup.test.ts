import { describe, expect, it } from 'vitest';
import { digestLineIndex } from '../../bench/speed/startup.ts';

describe('digestLineIndex', () => {
  it('finds the digest after the demo’s ingest lines', () => {
    const demo = [
      'newsbrief demo: ingesting …',
      '49 added, 0 updated',
      '',
      '오늘의 테크 뉴스 · 2026-11-26',
      '',
      '1. …',
    ];
    expect(digestLineIndex(demo)).toBe(3);
  });

  it('finds the digest of a configured start, which begins with the blank line', () => {
    expect(digestLineIndex(['', 'Tech news digest · 2026-11-28 · 0 stories'])).toBe(1);
  });

  it('is -1 when nothing follows a blank line', () => {
    expect(digestLineIndex(['only one line'])).toBe(-1);
    expect(digestLineIndex(['x', '', ''])).toBe(-1);
  });
});
