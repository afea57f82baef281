import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteApp } from '../../src/app.ts';
import { parseQuery } from '../../src/search/query.ts';
import { type SearchHit, type SearchResult, searchArchive } from '../../src/search/search.ts';
import { normalizeForSearch } from '../../src/text/searchTokens.ts';
import type { StoredArticle } from '../../storage/repositories.ts';
import { openSampleApp, SAMPLE_NOW } from '../helpers/sample.ts';

let dir: string;
let app: SqliteApp;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'newsbrief-search-'));
  app = await openSampleApp(dir);
});
afterAll(() => {
  app.close();
  rmSync(dir, { recursive: true, force: true });
});

async function search(text: string, limit = 10): Promise<SearchResult> {
  return await searchArchive(app.storage, app.topics, parseQuery(text), { limit, now: SAMPLE_NOW });
}

function articlesOf(hits: readonly SearchHit[]): StoredArticle[] {
  return hits.flatMap((h) => [h.article, ...h.storyArticles]);
}

function fullText(article: StoredArticle): string {
  return normalizeForSearch([article.title, ...article.deck, ...article.paragraphs].join('\n'));
}

describe('searching the sample news', () => {
  it('expands a company word to its names in both languages: samsung = 삼성 = 삼전 = 삼성전자', async () => {
    const ids = async (text: string) => (await search(text)).hits.map((h) => h.article.id);
    const samsung = await ids('samsung');
    // Every story about Samsung in the sample: XR headset, offline translation, HBM4 shipments, 2nm order (not
    // the SK hynix HBM4 deal, which names Samsung in one of its six headlines and in passing elsewhere).
    expect(samsung.length).toBe(4);
    for (const other of ['삼성', '삼전', '삼성전자', 'Samsung Electronics']) expect(await ids(other)).toEqual(samsung);
    const langs = new Set(articlesOf((await search('samsung')).hits).map((a) => a.lang));
    expect(langs).toEqual(new Set(['ko', 'en']));
  });

  it('puts the same story first for every English/Korean pair', async () => {
    for (const [en, ko] of [
      ['samsung', '삼성'],
      ['nvidia', '엔비디아'],
      ['lg', '엘지'],
      ['openai', '오픈AI'],
    ] as const) {
      expect((await search(en)).hits[0]?.article.id, `${en} / ${ko}`).toBe((await search(ko)).hits[0]?.article.id);
    }
  });

  it('marks the alias inside a Korean word in the snippet (삼성전자가 marks 삼성전자)', async () => {
    // Korean articles lead in lang:ko; the English query word still marks the Korean name.
    const segments = (await search('samsung lang:ko')).hits.flatMap((h) => h.snippet);
    const i = segments.findIndex(
      (s, k) => s.match && s.text === '삼성전자' && /^[가는와의]/.test(segments[k + 1]?.text ?? ''),
    );
    expect(i).toBeGreaterThanOrEqual(0);
    for (const hit of (await search('samsung')).hits) {
      expect(hit.snippet.some((s) => s.match)).toBe(true);
      expect(hit.snippet.map((s) => s.text).join('').length).toBeLessThanOrEqual(240);
    }
  });

  it('leaves out articles that mention an excluded word or any name of its topic', async () => {
    const hits = (await search('samsung -xr')).hits;
    expect(hits.length).toBeGreaterThanOrEqual(3);
    for (const article of articlesOf(hits)) {
      expect(fullText(article)).not.toMatch(/\bxr\b|확장현실|확장 현실/);
    }
    expect(articlesOf((await search('samsung')).hits).some((a) => /\bxr\b/.test(fullText(a)))).toBe(true);
  });

  it('keeps to a relative window measured from the clock, and to since/until days', async () => {
    const day = (await search('samsung 24h')).hits;
    expect(day.length).toBeGreaterThanOrEqual(2);
    expect(articlesOf(day).length).toBeGreaterThan(2);
    for (const a of articlesOf(day)) {
      expect(Date.parse(a.publishedAt ?? '')).toBeGreaterThanOrEqual(SAMPLE_NOW.getTime() - 24 * 3_600_000);
    }
    const range = articlesOf((await search('nvidia since:2026-11-25 until:2026-11-25')).hits);
    expect(range.length).toBeGreaterThan(0);
    for (const a of range) {
      const ms = Date.parse(a.publishedAt ?? '');
      expect(ms).toBeGreaterThanOrEqual(Date.parse('2026-11-25T00:00:00+09:00'));
      expect(ms).toBeLessThanOrEqual(Date.parse('2026-11-25T23:59:59+09:00'));
    }
  });

  it('filters by language, source and topic', async () => {
    const en = articlesOf((await search('삼성 lang:en')).hits);
    expect(en.length).toBeGreaterThan(2);
    expect(en.every((a) => a.lang === 'en')).toBe(true);
    const nuri = (await search('source:누리뉴스')).hits;
    expect(nuri.length).toBeGreaterThan(2);
    expect(nuri.every((h) => h.article.sourceName === '누리뉴스')).toBe(true);
    expect((await search('source:The_Circuit galaxy')).hits.map((h) => h.article.sourceName)).toEqual(['The Circuit']);
    const hbm = (await search('topic:hbm')).hits;
    expect(hbm.length).toBeGreaterThan(3);
    expect(hbm.every((h) => h.article.topics.some((t) => t.id === 'hbm'))).toBe(true);
  });

  it('collapses wire copies into one result with all their sources', async () => {
    const hits = (await search('삼성 메타 XR')).hits;
    const wire = hits.find(
      (h) => h.article.sourceName === '한빛통신' || h.copies.some((c) => c.sourceName === '한빛통신'),
    );
    const sources = [wire?.article, ...(wire?.copies ?? [])].map((a) => a?.sourceName);
    expect(sources).toEqual(expect.arrayContaining(['한빛통신', '누리뉴스', '테크플러스']));
    const ids = articlesOf(hits).map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('answers with stories: one result per story, its other sources and languages folded in', async () => {
    // The Galaxy offline-translation update ran in three outlets in two languages; the digest knows it is one
    // story, and so does search.
    for (const query of ['samsung', '삼성', '갤럭시 통역', 'ai']) {
      const hits = (await search(query, 5)).hits;
      const stories = hits.map((h) => h.storyId);
      expect(
        stories.every((id) => id !== null),
        query,
      ).toBe(true);
      expect(new Set(stories).size, query).toBe(hits.length);
      for (const hit of hits) {
        for (const article of [hit.article, ...hit.storyArticles]) {
          expect(app.store.stories.membership(article.id)?.storyId, query).toBe(hit.storyId);
        }
      }
    }
    // Other sources, once each: the XR headset story has two articles from The Circuit and two from 한빛통신.
    const hits = (await search('samsung', 5)).hits;
    for (const hit of hits) {
      const sources = hit.copies.map((c) => c.sourceName);
      expect(new Set([hit.article.sourceName, ...sources]).size).toBe(sources.length + 1);
      for (const copy of hit.copies) expect(hit.storyArticles).toContain(copy);
    }
    const xr = hits.find((h) => /XR|헤드셋|headset/i.test(h.article.title));
    expect(xr?.storyArticles.length).toBeGreaterThan(xr?.copies.length ?? 0);
    const translation = hits.find((h) => /offline|오프라인|translation/i.test(h.article.title));
    const folded = [translation?.article, ...(translation?.storyArticles ?? [])];
    expect(folded.length).toBeGreaterThanOrEqual(3);
    expect(new Set(folded.map((a) => a?.lang))).toEqual(new Set(['ko', 'en']));
    expect(new Set(folded.map((a) => a?.sourceName)).size).toBe(folded.length);
  });

  it('matches a quoted phrase as written, without expanding it', async () => {
    const hits = (await search('"AI 반도체"')).hits;
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) expect(fullText(hit.article)).toMatch(/ai ?반도체/);
    expect((await search('"AI 반도체"')).expandedTopics).toEqual([]);
    expect((await search('AI 반도체')).expandedTopics).toEqual(['ai-chips']);
  });

  it('finds English articles for Korean everyday words through the glossary (갤럭시 통역)', async () => {
    const langs = articlesOf((await search('갤럭시 통역')).hits).map((a) => a.lang);
    expect(langs).toContain('en');
    expect(langs).toContain('ko');
  });

  it('treats unknown syntax as words and suggests a broader query when nothing matches', async () => {
    const unknown = await search('samsung lang:fr');
    expect(unknown.hits).toEqual([]);
    expect(unknown.broaderQueries).toEqual(['samsung']);
    const late = await search('qualcomm 24h');
    expect(late.hits).toEqual([]);
    expect(late.broaderQueries).toEqual(['qualcomm']);
    const apart = await search('qualcomm 카카오톡');
    expect(apart.hits).toEqual([]);
    expect(apart.broaderQueries).toEqual(['카카오톡', 'qualcomm']);
    expect(apart.suggestions).not.toContain('qualcomm');
    expect(apart.suggestions).toContain('kakao');
  });

  it('suggests close topic names for typos and prefixes when nothing matches', async () => {
    expect((await search('nvidai')).suggestions).toEqual(['nvidia']);
    expect((await search('samsng')).suggestions[0]).toBe('samsung-electronics');
    expect((await search('qualcom')).suggestions[0]).toBe('qualcomm');
    expect((await search('zzqxv')).suggestions).toEqual([]);
  });

  it('answers hostile or odd input without an error', async () => {
    const odd = [
      '"',
      '""',
      '-',
      '--',
      '***',
      'NEAR(samsung nvidia)',
      'samsung OR',
      "'; DROP TABLE articles; --",
      'since:9999-99-99 until:0000-00-00',
      'lang: topic: source:',
      '😀 🚀',
      '칩',
      'a',
      `${'삼성 '.repeat(200)}`,
      '\u0000\u0001',
    ];
    for (const text of odd) {
      const result = await search(text);
      expect(Array.isArray(result.hits), text).toBe(true);
    }
    expect((await search("'; DROP TABLE articles; --")).hits).toEqual([]);
    expect(app.store.articles.count()).toBe(49);
  });

  it('gives the same order every time', async () => {
    const first = (await search('ai', 10)).hits.map((h) => [h.article.id, h.score]);
    expect((await search('ai', 10)).hits.map((h) => [h.article.id, h.score])).toEqual(first);
    expect(first.length).toBe(10);
  });
});
