import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ingestor, type SourceInfo } from '../../src/ingest/ingest.ts';
import type { ParsedArticle } from '../../src/model.ts';
import { TOPIC_CATALOG_PATH } from '../../src/paths.ts';
import { loadTopicServices } from '../../src/topics/services.ts';
import type { ArticleRecord, Store } from '../../storage/repositories.ts';
import { openSqliteStore, type SqliteStore } from '../../storage/sqlite/index.ts';
import { patchedTransactions } from '../helpers/failingStore.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();
const topics = loadTopicServices(TOPIC_CATALOG_PATH);
const SOURCE: SourceInfo = { key: 'site:news.example', name: '뉴스', kind: 'page', url: null };

function openStore(): SqliteStore {
  const store = openSqliteStore(join(tempDir(), 'nb.db'));
  store.topics.sync(topics.records);
  return store;
}

function article(url: string, title: string, body: string): ParsedArticle {
  return {
    title,
    deck: [],
    paragraphs: [body],
    byline: null,
    source: '뉴스',
    publishedAt: '2026-11-26T09:00:00+09:00',
    updatedAt: null,
    lang: 'ko',
    url,
  };
}

const found = (store: Store, word: string) =>
  store.articles.search({ text: { all: [[word]], none: [] }, limit: 10 }).map((c) => c.articleId);

describe('full-text entries written once per batch', async () => {
  it('makes every article of a batch searchable once the batch ends, the newest version of each once', async () => {
    const store = openStore();
    const ingestor = new Ingestor(store.async, topics.tagger);
    let first = 0;
    let second = 0;
    await ingestor.batch(async (batch) => {
      first = (
        await batch.ingestArticle(
          article('https://news.example/1', '오로라 칩 공개', '오로라 칩이 나왔다.'),
          SOURCE,
          't',
        )
      ).articleId as number;
      second = (
        await batch.ingestArticle(
          article('https://news.example/2', '보레알 폰 출시', '보레알 폰이 나왔다.'),
          SOURCE,
          't',
        )
      ).articleId as number;
      // the first article again, rewritten
      ingestor.beginDocument();
      await batch.ingestArticle(
        article('https://news.example/1', '오로라 칩 공개', '네뷸라 칩으로 이름을 바꿨다.'),
        SOURCE,
        't',
      );
      expect(found(store, '보레알')).toEqual([]);
    });
    expect(found(store, '보레알')).toEqual([second]);
    expect(found(store, '네뷸라')).toEqual([first]);
    expect(found(store, '오로라')).toEqual([first]);
    expect(found(store, '나왔다')).toEqual([second]);
    store.close();
  });

  it('leaves out an article whose storing failed, and keeps the entry of an earlier version', async () => {
    const store = openStore();
    const kept = await new Ingestor(store.async, topics.tagger).ingestArticle(
      article('https://news.example/1', '오로라 칩', '오로라 칩이 나왔다.'),
      SOURCE,
      't',
    );
    const failing = patchedTransactions(store.async, (tx) => ({
      articles: {
        ...tx.articles,
        setTopics: async (id, tags) => {
          await tx.articles.setTopics(id, tags);
          if ((await tx.articles.get(id))?.paragraphs.join(' ').includes('실패')) throw new Error('disk full');
        },
      },
    }));
    const ingestor = new Ingestor(failing, topics.tagger);
    const outcomes = await ingestor.batch(async (batch) => [
      await batch.ingestArticle(article('https://news.example/2', '보레알 폰', '보레알 폰 실패.'), SOURCE, 't'),
      await batch.ingestArticle(
        article('https://news.example/1', '오로라 칩', '네뷸라 칩으로 이름을 바꿨지만 실패.'),
        SOURCE,
        't',
      ),
      await batch.ingestArticle(article('https://news.example/3', '코메타 TV', '코메타 TV가 나왔다.'), SOURCE, 't'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['failed', 'failed', 'added']);
    expect(found(store, '보레알')).toEqual([]);
    expect(found(store, '네뷸라')).toEqual([]);
    expect(found(store, '오로라')).toEqual([kept.articleId]);
    expect(found(store, '코메타')).toEqual([outcomes[2]?.articleId]);
    store.close();
  });

  it('indexes at once what is saved without deferring, even over a deferred version', async () => {
    const store = openStore();
    const base: ArticleRecord = {
      key: 'a',
      url: null,
      sourceId: null,
      sourceName: null,
      title: '오로라 칩',
      deck: [],
      paragraphs: ['오로라 칩이 나왔다.'],
      byline: null,
      lang: 'ko',
      publishedAt: null,
      updatedAt: null,
      contentHash: 'h1',
    };
    const id = store.transaction(() => {
      const saved = store.articles.save(base, { deferSearchIndex: true });
      store.articles.save({ ...base, paragraphs: ['네뷸라 칩이 나왔다.'], contentHash: 'h2' });
      expect(found(store, '네뷸라')).toEqual([saved]);
      store.articles.flushSearchIndex();
      return saved;
    });
    expect(found(store, '네뷸라')).toEqual([id]);
    expect(found(store, '오로라')).toEqual([id]);
    expect(found(store, '나왔다')).toEqual([id]);
    expect(store.articles.search({ text: { all: [['칩']], none: [] }, limit: 10 })).toHaveLength(1);
    store.close();
  });
});
