import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractHtmlArticle } from '../../src/extract/index.ts';
import { type IngestBatch, Ingestor, siteSource } from '../../src/ingest/ingest.ts';
import type { ParsedArticle } from '../../src/model.ts';
import { SAMPLE_NEWS_PATH, TOPIC_CATALOG_PATH } from '../../src/paths.ts';
import { StoryIndexer, storyKeyFor } from '../../src/stories/indexer.ts';
import { decodeDocument } from '../../src/text/charset.ts';
import { loadTopicServices } from '../../src/topics/services.ts';
import type { Store } from '../../storage/repositories.ts';
import { openSqliteStore, type SqliteStore } from '../../storage/sqlite/index.ts';
import { patchedTransactions } from '../helpers/failingStore.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();
const topics = loadTopicServices(TOPIC_CATALOG_PATH);

const PAGES = join(SAMPLE_NEWS_PATH, 'pages');
const page = (path: string) => join(PAGES, path);
const XR_WIRE = page('hanbit-wire.example/HBW20261123000101.html');
const XR_WIRE_URL = 'https://hanbit-wire.example/view/HBW20261123000101';
const XR_NURI_COPY = page('nuri-news.example/48213.html');
const XR_TECHPLUS_COPY = page('techplus.example/2026-11-23-samsung-meta-xr-headset.html');
const XR_ENGLISH = page('thecircuit.example/2026-11-23-samsung-meta-xr-headset.html');
const LG_CHIP = page('digitaltoday-k.example/20261123110031.html');
const LG_WEBOS = page('hanbit-wire.example/HBW20261124000305.html');
const SAMSUNG_HBM4 = page('nuri-news.example/48402.html');
const SKHYNIX_HBM4 = page('hanbit-wire.example/HBW20261124000214.html');

function openStore(): { store: SqliteStore; ingestor: Ingestor } {
  const store = openSqliteStore(join(tempDir(), 'nb.db'));
  store.topics.sync(topics.records);
  return { store, ingestor: new Ingestor(store.async, topics.tagger) };
}

async function ingestPage(ingestor: Ingestor, path: string): Promise<number> {
  const [outcome] = await ingestor.ingestFile(path, 'page');
  if (outcome?.articleId === undefined) throw new Error(`${path}: ${outcome?.error}`);
  return outcome.articleId;
}

/** `ingestPage` inside a batch: the page read and extracted as `Ingestor.ingestFile` does, then stored. */
async function ingestPageIn(batch: IngestBatch, path: string): Promise<number> {
  const article = extractHtmlArticle(decodeDocument(readFileSync(path)).text, { url: null });
  const outcome = await batch.ingestArticle(article, siteSource(article, 'page'), path);
  if (outcome.articleId === undefined) throw new Error(`${path}: ${outcome.error}`);
  return outcome.articleId;
}

function storyOf(store: Store, articleId: number): number {
  const member = store.stories.membership(articleId);
  if (!member) throw new Error(`article ${articleId} has no story`);
  return member.storyId;
}

describe('near-duplicates at ingestion', async () => {
  it('links a portal copy (own header, ending cut) and a full republication to the wire original', async () => {
    const { store, ingestor } = openStore();
    const wire = await ingestPage(ingestor, XR_WIRE);
    const nuri = await ingestPage(ingestor, XR_NURI_COPY);
    const techplus = await ingestPage(ingestor, XR_TECHPLUS_COPY);
    const english = await ingestPage(ingestor, XR_ENGLISH);
    const linked = (id: number) => store.duplicates.links(id).map((l) => l.otherId);
    expect(linked(wire).sort()).toEqual([nuri, techplus].sort());
    expect(linked(nuri)).toContain(wire);
    expect(linked(english)).toEqual([]);
    // the copies join the original's story without adding to its profile
    expect(storyOf(store, nuri)).toBe(storyOf(store, wire));
    expect(store.stories.membership(nuri)?.copyOf).not.toBeNull();
    expect(store.stories.membership(wire)?.copyOf).toBeNull();
    store.close();
  });

  it('does not link a copy published more than three days from the original', async () => {
    const { store, ingestor } = openStore();
    const wire = await ingestPage(ingestor, XR_WIRE);
    const stored = store.articles.get(wire);
    if (!stored) throw new Error('not stored');
    const late: ParsedArticle = {
      title: stored.title,
      deck: [],
      paragraphs: stored.paragraphs,
      byline: null,
      source: '늦은뉴스',
      publishedAt: '2026-12-03T09:30:00+09:00',
      updatedAt: null,
      lang: 'ko',
      url: 'https://late.example/xr',
    };
    const outcome = await ingestor.ingestArticle(
      late,
      { key: 'site:late.example', name: '늦은뉴스', kind: 'page', url: null },
      'test',
    );
    expect(store.duplicates.links(outcome.articleId as number)).toEqual([]);
    expect(storyOf(store, outcome.articleId as number)).not.toBe(storyOf(store, wire));
    store.close();
  });
});

describe('stories at ingestion', async () => {
  it('puts Korean and English coverage of one event in one story', async () => {
    const { store, ingestor } = openStore();
    const korean = await ingestPage(ingestor, XR_WIRE);
    const english = await ingestPage(ingestor, XR_ENGLISH);
    expect(storyOf(store, english)).toBe(storyOf(store, korean));
    const story = store.stories.get(storyOf(store, korean));
    expect(story?.articleCount).toBe(2);
    expect(Object.keys(story?.profile.text ?? {}).sort()).toEqual(['en', 'ko']);
    expect(story?.tags['samsung-electronics']).toBeGreaterThan(0);
    store.close();
  });

  it('keeps apart two stories about one company, and two rivals’ stories about one product', async () => {
    const { store, ingestor } = openStore();
    const lgChip = await ingestPage(ingestor, LG_CHIP);
    const lgWebos = await ingestPage(ingestor, LG_WEBOS);
    const skhynix = await ingestPage(ingestor, SKHYNIX_HBM4);
    const samsung = await ingestPage(ingestor, SAMSUNG_HBM4);
    expect(storyOf(store, lgWebos)).not.toBe(storyOf(store, lgChip));
    expect(storyOf(store, samsung)).not.toBe(storyOf(store, skhynix));
    store.close();
  });

  it('gives a story a key from its first article that does not change as articles join', async () => {
    const { store, ingestor } = openStore();
    const wire = await ingestPage(ingestor, XR_WIRE);
    const story = store.stories.get(storyOf(store, wire));
    expect(story?.key).toBe(storyKeyFor('https://hanbit-wire.example/view/HBW20261123000101'));
    await ingestPage(ingestor, XR_ENGLISH);
    await ingestPage(ingestor, XR_NURI_COPY);
    expect(store.stories.get(storyOf(store, wire))?.key).toBe(story?.key);
    expect(store.stories.get(storyOf(store, wire))?.articleCount).toBe(3);
    store.close();
  });

  it('places a feed teaser, then places the article again when its full page arrives', async () => {
    const { store, ingestor } = openStore();
    await ingestor.ingestFile(join(SAMPLE_NEWS_PATH, 'feeds/hanbit-wire.rss.xml'), 'feed');
    const teaser = store.articles.findByKey('https://hanbit-wire.example/view/HBW20261123000101');
    if (!teaser) throw new Error('teaser not stored');
    const before = store.stories.membership(teaser.id);
    expect(before).not.toBeNull();
    const english = await ingestPage(ingestor, XR_ENGLISH);
    expect(await ingestPage(ingestor, XR_WIRE)).toBe(teaser.id);
    const after = store.stories.membership(teaser.id);
    expect(Object.keys(after?.features.terms ?? {}).length).toBeGreaterThan(
      Object.keys(before?.features.terms ?? {}).length,
    );
    expect(storyOf(store, teaser.id)).toBe(storyOf(store, english));
    store.close();
  });

  it('keeps an article that was posted to a channel in its story when its text changes', async () => {
    const { store, ingestor } = openStore();
    const wire = await ingestPage(ingestor, XR_WIRE);
    const storyId = storyOf(store, wire);
    const key = store.stories.get(storyId)?.key as string;
    store.deliveries.record('console:local', key, wire, '2026-11-23T12:00:00Z');
    // the same URL now carries another story entirely
    const chip = store.articles.get(await ingestPage(ingestor, LG_CHIP));
    const rewritten: ParsedArticle = {
      title: chip?.title ?? '',
      deck: [],
      paragraphs: chip?.paragraphs ?? [],
      byline: null,
      source: '한빛통신',
      publishedAt: '2026-11-23T09:30:00+09:00',
      updatedAt: '2026-11-23T12:30:00+09:00',
      lang: 'ko',
      url: 'https://hanbit-wire.example/view/HBW20261123000101',
    };
    const outcome = await ingestor.ingestArticle(
      rewritten,
      { key: 'site:hanbit-wire.example', name: '한빛통신', kind: 'page', url: null },
      'test',
    );
    expect(outcome.status).toBe('updated');
    expect(storyOf(store, wire)).toBe(storyId);
    store.close();
  });

  it('indexes articles stored without a story, oldest first, and reports nothing to do afterwards', async () => {
    const store = openSqliteStore(join(tempDir(), 'nb.db'));
    store.topics.sync(topics.records);
    const base = {
      url: null,
      sourceId: null,
      deck: [],
      byline: null,
      updatedAt: null,
      lang: 'ko' as const,
    };
    const first = store.articles.save({
      ...base,
      key: 'a',
      sourceName: '가',
      title: '삼성전자, 새 폴더블폰 공개',
      paragraphs: ['삼성전자가 새 폴더블폰을 공개했다. 화면이 더 커지고 무게는 줄었다고 회사는 밝혔다.'],
      publishedAt: '2026-11-24T09:00:00+09:00',
      contentHash: 'h1',
    });
    const second = store.articles.save({
      ...base,
      key: 'b',
      sourceName: '나',
      title: '카카오, 새 AI 에이전트 출시',
      paragraphs: ['카카오가 카카오톡 안에서 쓰는 AI 에이전트를 정식 출시했다고 26일 밝혔다.'],
      publishedAt: '2026-11-23T09:00:00+09:00',
      contentHash: 'h2',
    });
    expect(store.stories.unassigned(10)).toEqual([second, first]);
    const indexer = new StoryIndexer(store.async, topics.tagger);
    expect(await indexer.indexPending()).toBe(2);
    expect(store.stories.unassigned(10)).toEqual([]);
    expect(await indexer.indexPending()).toBe(0);
    store.close();
  });

  it('never throws: a missing article gives null, a failing store an error message', async () => {
    const { store } = openStore();
    const indexer = new StoryIndexer(store.async, topics.tagger);
    expect(await indexer.index(12345)).toBeNull();
    expect(indexer.lastError).toBeNull();
    store.close();
    expect(await indexer.index(1)).toBeNull();
    expect(indexer.lastError).toMatch(/article 1:/);
  });
});

describe('short articles', async () => {
  it('are not copies because their titles look alike', async () => {
    const { store, ingestor } = openStore();
    const article = (title: string, body: string, url: string): ParsedArticle => ({
      title,
      deck: [],
      paragraphs: [body],
      byline: null,
      source: 'X',
      publishedAt: '2026-11-26T09:00:00+09:00',
      updatedAt: null,
      lang: 'en',
      url,
    });
    const source = { key: 'site:x.example', name: 'X', kind: 'page' as const, url: null };
    const a = await ingestor.ingestArticle(article('Nvidia new', 'Nvidia today.', 'https://x.example/1'), source, 't');
    const b = await ingestor.ingestArticle(
      article('Nvidia newer', 'Nvidia tonight.', 'https://x.example/2'),
      source,
      't',
    );
    expect(store.duplicates.links(a.articleId as number)).toEqual([]);
    expect(store.duplicates.links(b.articleId as number)).toEqual([]);
    store.close();
  });
});

describe('indexing in batches', async () => {
  const PAGE_FILES = [
    XR_WIRE,
    LG_WEBOS,
    SKHYNIX_HBM4,
    XR_NURI_COPY,
    page('meridian-wire.example/nvidia-sk-hynix-hbm4-supply-2026-11-24.html'),
    page('bytedaily.example/nvidia-sk-hynix-hbm4-supply-deal.html'),
    XR_ENGLISH,
    LG_CHIP,
    SAMSUNG_HBM4,
    XR_TECHPLUS_COPY,
  ];

  /** Each article's story as the set of article keys it shares a story with, and how it joined. */
  function storiesByKey(store: Store): Map<string, string> {
    const out = new Map<string, string>();
    const members = new Map<number, string[]>();
    const keyOf = (id: number) => store.articles.get(id)?.key as string;
    const rows: { key: string; storyId: number; copy: boolean }[] = [];
    for (let id = 1; store.articles.get(id); id++) {
      const member = store.stories.membership(id);
      if (!member) continue;
      rows.push({ key: keyOf(id), storyId: member.storyId, copy: member.copyOf !== null });
      members.set(member.storyId, [...(members.get(member.storyId) ?? []), keyOf(id)]);
    }
    for (const row of rows) {
      out.set(row.key, `${row.copy ? 'copy' : 'own'} ${(members.get(row.storyId) ?? []).sort().join(' ')}`);
    }
    return out;
  }

  it('leaves the rest of a batch as it would be without an article whose indexing failed', async () => {
    // The first article of its story: the story it starts is rolled back with it, and the next article about
    // the same news starts it instead.
    const failing = 'https://hanbit-wire.example/view/HBW20261124000214';
    const { store } = openStore();
    const failingStore = patchedTransactions(store.async, (tx) => ({
      stories: {
        ...tx.stories,
        addMember: async (member) => {
          await tx.stories.addMember(member);
          if ((await tx.articles.get(member.articleId))?.key === failing) throw new Error('disk full');
        },
      },
    }));
    const ingestor = new Ingestor(failingStore, topics.tagger);
    await ingestor.batch(async (batch) => {
      for (const file of PAGE_FILES) await ingestPageIn(batch, file);
    });
    const failed = store.articles.findByKey(failing);
    expect(failed).not.toBeNull();
    expect(store.stories.membership(failed?.id as number)).toBeNull();
    expect(store.duplicates.hasSignature(failed?.id as number)).toBe(false);

    const clean = openStore();
    await clean.ingestor.batch(async (batch) => {
      for (const file of PAGE_FILES) if (file !== SKHYNIX_HBM4) await ingestPageIn(batch, file);
    });
    expect(storiesByKey(store)).toEqual(storiesByKey(clean.store));
    expect(store.storyTerms.documentCount()).toBe(clean.store.storyTerms.documentCount());
    const storyOfWire = (s: Store) => s.stories.get(storyOf(s, s.articles.findByKey(XR_WIRE_URL)?.id as number));
    expect(storyOfWire(store)?.articleCount).toBe(storyOfWire(clean.store)?.articleCount);
    expect(storyOfWire(store)?.profile).toEqual(storyOfWire(clean.store)?.profile);
    // The failed article is placed when indexing is tried again.
    expect(await new StoryIndexer(store.async, topics.tagger).indexPending()).toBe(1);
    expect(store.stories.membership(failed?.id as number)).not.toBeNull();
    store.close();
    clean.store.close();
  });

  it('sees what another process stored between its batches', async () => {
    const path = join(tempDir(), 'nb.db');
    const first = openSqliteStore(path);
    first.topics.sync(topics.records);
    const second = openSqliteStore(path);
    const mine = new Ingestor(first.async, topics.tagger);
    const theirs = new Ingestor(second.async, topics.tagger);
    const wire = await ingestPage(mine, XR_WIRE);
    const english = await ingestPage(theirs, XR_ENGLISH);
    const copy = await ingestPage(mine, XR_NURI_COPY);
    expect(storyOf(first, english)).toBe(storyOf(first, wire));
    expect(storyOf(first, copy)).toBe(storyOf(first, wire));
    // Written from stale memory, the story would have lost the article the other process added.
    expect(first.stories.get(storyOf(first, wire))?.articleCount).toBe(3);
    expect(Object.keys(first.stories.get(storyOf(first, wire))?.profile.text ?? {}).sort()).toEqual(['en', 'ko']);
    first.close();
    second.close();
  });

  it('can store, tag and index articles for search and leave their stories for later', async () => {
    const store = openSqliteStore(join(tempDir(), 'nb.db'));
    store.topics.sync(topics.records);
    const ingestor = new Ingestor(store.async, topics.tagger, { indexStories: false });
    const wire = await ingestPage(ingestor, XR_WIRE);
    const english = await ingestPage(ingestor, XR_ENGLISH);
    expect(store.stories.membership(wire)).toBeNull();
    expect(store.articles.get(wire)?.topics.map((t) => t.id)).toContain('samsung-electronics');
    expect(store.articles.search({ text: { all: [['헤드셋']], none: [] }, limit: 5 }).map((c) => c.articleId)).toEqual([
      wire,
    ]);
    expect(await new StoryIndexer(store.async, topics.tagger).indexPending()).toBe(2);
    expect(storyOf(store, english)).toBe(storyOf(store, wire));
    store.close();
  });
});
