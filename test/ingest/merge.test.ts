import { describe, expect, it } from 'vitest';
import { mergeArticle } from '../../src/ingest/merge.ts';
import type { ParsedArticle } from '../../src/model.ts';

const teaser: ParsedArticle = {
  title: 'Samsung shows XR headset',
  deck: [],
  paragraphs: ['Samsung showed a headset.'],
  byline: null,
  source: 'The Circuit',
  publishedAt: '2026-11-26T00:10:00Z',
  updatedAt: null,
  lang: 'en',
  url: 'https://thecircuit.example/a',
};

const page: ParsedArticle = {
  ...teaser,
  deck: ['A first look'],
  paragraphs: ['Samsung showed a headset built with Meta.', 'It ships next year.'],
  byline: 'Jane Doe',
  publishedAt: '2026-11-26T09:10:00+09:00',
  updatedAt: '2026-11-26T11:00:00+09:00',
};

describe('mergeArticle', () => {
  it('keeps the fuller body whichever arrives first', () => {
    expect(mergeArticle(teaser, page).paragraphs).toEqual(page.paragraphs);
    expect(mergeArticle(page, teaser).paragraphs).toEqual(page.paragraphs);
    expect(mergeArticle(page, teaser).byline).toBe('Jane Doe');
  });

  it('keeps the first known publication time and the latest update', () => {
    const rewritten = { ...teaser, publishedAt: '2026-11-27T00:00:00Z', updatedAt: '2026-11-27T01:00:00Z' };
    const merged = mergeArticle(page, rewritten);
    expect(merged.publishedAt).toBe('2026-11-26T09:10:00+09:00');
    expect(merged.updatedAt).toBe('2026-11-27T01:00:00Z');
  });
});
