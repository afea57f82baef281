import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApp } from '../../src/app.ts';
import { SAMPLE_NEWS_PATH } from '../../src/paths.ts';
import { parseQuery } from '../../src/search/query.ts';
import { searchArchive } from '../../src/search/search.ts';
import { SAMPLE_NOW, SEED_PATH, SEED_PRESENT } from '../helpers/sample.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();
const SAMPLE_ARTICLES = 49;

async function search(app: ReturnType<typeof openApp>, text: string, limit = 50) {
  return (await searchArchive(app.storage, app.topics, parseQuery(text), { limit, now: SAMPLE_NOW })).hits;
}

describe('the bundled sample news, ingested end to end', () => {
  it('stores every article once, and re-ingesting changes nothing', async () => {
    const dbPath = join(tempDir(), 'nb.db');
    const app = openApp({ dbPath, configPath: null });
    const first = await app.ingestor.ingestPaths([SAMPLE_NEWS_PATH]);
    expect(first.counts).toMatchObject({ added: SAMPLE_ARTICLES, updated: 0, unchanged: 0, failed: 0 });
    // the 한빛통신 feed lists one item twice
    expect(first.counts.duplicate).toBe(1);
    expect(app.store.articles.count()).toBe(SAMPLE_ARTICLES);
    const second = await app.ingestor.ingestPaths([SAMPLE_NEWS_PATH]);
    expect(second.counts).toMatchObject({ added: 0, updated: 0, unchanged: SAMPLE_ARTICLES, failed: 0 });
    expect(app.store.articles.count()).toBe(SAMPLE_ARTICLES);
    app.close();
  });

  it('keeps everything in a reopened database', async () => {
    const dbPath = join(tempDir(), 'nb.db');
    let app = openApp({ dbPath, configPath: null });
    await app.ingestor.ingestPaths([SAMPLE_NEWS_PATH]);
    const before = (await search(app, 'ai')).map((h) => h.article.id);
    app.close();
    app = openApp({ dbPath, configPath: null });
    expect(app.store.articles.count()).toBe(SAMPLE_ARTICLES);
    expect((await search(app, 'ai')).map((h) => h.article.id)).toEqual(before);
    expect(before.length).toBeGreaterThan(3);
    app.close();
  });

  it('merges a feed teaser with its page into one full article', async () => {
    const app = openApp({ dbPath: join(tempDir(), 'nb.db'), configPath: null });
    await app.ingestor.ingestPaths([SAMPLE_NEWS_PATH]);
    const article = app.store.articles.findByKey('https://hanbit-wire.example/view/HBW20261123000101');
    expect(article?.sourceName).toBe('한빛통신');
    expect(article?.paragraphs.length).toBeGreaterThan(4);
    expect(article?.paragraphs.join(' ')).not.toMatch(/무단 전재|페이스북|@hanbit-wire\.example/);
    expect(article?.paragraphs[0]).not.toMatch(/^\[서울=한빛통신\]/);
    app.close();
  });

  it('reads the EUC-KR feed as Hangul and strips tracking parameters from keys', async () => {
    const app = openApp({ dbPath: join(tempDir(), 'nb.db'), configPath: null });
    await app.ingestor.ingestPaths([SAMPLE_NEWS_PATH]);
    const nuri = await search(app, 'source:누리뉴스');
    expect(nuri.length).toBeGreaterThan(2);
    for (const hit of nuri) {
      expect(hit.article.title).toMatch(/[가-힣]/);
      expect(hit.article.title).not.toContain('\uFFFD');
    }
    const keys = (await search(app, 'lang:en')).map((h) => h.article.key);
    expect(keys.some((k) => k.includes('utm_'))).toBe(false);
    app.close();
  });

  it.skipIf(!SEED_PRESENT)('finds the seed and Samsung news in both languages for samsung and 삼성', async () => {
    const app = openApp({ dbPath: join(tempDir(), 'nb.db'), configPath: null });
    await app.ingestor.ingestPaths([SAMPLE_NEWS_PATH, SEED_PATH]);
    for (const query of ['samsung', '삼성']) {
      const hits = await search(app, query, 20);
      const seed = hits.find((h) => h.article.title.startsWith('저커버그, 尹대통령 29일 접견'));
      expect(seed, `${query} finds the seed`).toBeDefined();
      expect(seed?.article.sourceName).toBe('뉴시스');
      const langs = new Set(
        hits.filter((h) => h.article.topics.some((t) => t.id === 'samsung-electronics')).map((h) => h.article.lang),
      );
      expect(langs).toEqual(new Set(['ko', 'en']));
    }
    const en = (await search(app, 'samsung', 20)).map((h) => h.article.id);
    const ko = (await search(app, '삼성', 20)).map((h) => h.article.id);
    expect(ko[0]).toBe(en[0]);
    app.close();
  });
});
