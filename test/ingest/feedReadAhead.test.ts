/**
 * A feed's batch reads what storing its items needs (the articles under their keys, the first article of their
 * texts) once for the batch: the outcomes are those of storing the same items one at a time.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { feedItemToArticle, type IngestOutcome, Ingestor, type SourceInfo } from '../../src/ingest/ingest.ts';
import type { FeedItem, ParsedArticle, ParsedFeed } from '../../src/model.ts';
import { TOPIC_CATALOG_PATH } from '../../src/paths.ts';
import { loadTopicServices } from '../../src/topics/services.ts';
import { openSqliteStore, type SqliteStore } from '../../storage/sqlite/index.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();
const topics = loadTopicServices(TOPIC_CATALOG_PATH);
const FEED_KEY = 'https://feed.example/rss';

const TEXTS = {
  t1: ['삼성전자, XR 헤드셋 공개', '삼성전자가 새 XR 헤드셋을 공개했다. 무게를 줄였다고 회사는 밝혔다.'],
  t2: ['LG전자, 새 TV 운영체제', 'LG전자가 새 webOS를 내놓았다. 다른 회사 TV에도 쓸 수 있다.'],
  t3: ['SK하이닉스, HBM4 양산', 'SK하이닉스가 HBM4 양산을 시작했다고 밝혔다. 엔비디아에 먼저 공급한다.'],
  // the longest: an article stored with another text takes this one (the fuller body wins)
  t4: [
    '카카오, AI 에이전트 출시',
    '카카오가 카카오톡 안에서 쓰는 AI 에이전트를 정식 출시했다. 일정과 예약을 대신 처리한다고 회사는 밝혔다.',
  ],
} as const;

function item(id: string, text: keyof typeof TEXTS): FeedItem {
  const [title, body] = TEXTS[text];
  return {
    id,
    title,
    link: `https://news.example/${id}`,
    published: '2026-11-26T00:00:00Z',
    updated: null,
    author: null,
    summary: null,
    content: `<p>${body}</p>`,
  };
}

const FEED: ParsedFeed = {
  format: 'rss',
  title: '뉴스',
  link: 'https://news.example/',
  language: 'ko',
  items: [
    item('a', 't1'),
    item('b', 't1'), // the same text as a, stored just before in the same batch
    item('a', 't1'), // listed twice
    item('c', 't2'), // the same text as an article stored before
    item('y', 't4'), // an article stored before, with another text now
    item('e', 't3'), // the text y had
    item('f', 't4'), // the text y has now
    item('g', 't2'),
    item('h', 't3'),
    item('i', 't1'),
    item('j', 't4'), // the next batch
    item('y', 't3'), // listed again, with its old text
  ],
};

function openStore(name: string): SqliteStore {
  const store = openSqliteStore(join(tempDir(), name));
  store.topics.sync(topics.records);
  return store;
}

/** Two articles stored before the feed: one with text t2, and `y` with text t3. */
async function storeEarlier(ingestor: Ingestor): Promise<void> {
  const source: SourceInfo = { key: 'site:other.example', name: '다른 뉴스', kind: 'page', url: null };
  const page = (url: string, text: keyof typeof TEXTS): ParsedArticle => ({
    ...feedItemToArticle(item('x', text), FEED),
    url,
  });
  await ingestor.ingestDocument(page('https://other.example/x', 't2'), source, 'x.html');
  await ingestor.ingestDocument(page('https://news.example/y', 't3'), source, 'y.html');
}

const summary = (outcomes: IngestOutcome[]) =>
  outcomes.map((o) => ({ status: o.status, articleId: o.articleId, copyOf: o.copyOf }));

describe('a feed stored in batches', async () => {
  it('gives the outcomes of storing its items one at a time', async () => {
    const batched = openStore('batched.db');
    const single = openStore('single.db');
    const inBatches = new Ingestor(batched.async, topics.tagger);
    const oneAtATime = new Ingestor(single.async, topics.tagger);
    await storeEarlier(inBatches);
    await storeEarlier(oneAtATime);

    const outcomes = await inBatches.ingestFeed(FEED, 'feed.xml', FEED_KEY);
    oneAtATime.beginDocument();
    const expected: IngestOutcome[] = [];
    const source: SourceInfo = { key: FEED_KEY, name: '뉴스', kind: 'feed', url: FEED.link };
    for (const feedItem of FEED.items) {
      const parsed = feedItemToArticle(feedItem, FEED);
      expected.push(await oneAtATime.ingestArticle(parsed, source, 'feed.xml', `guid:${FEED_KEY}#${feedItem.id}`));
    }
    expect(summary(outcomes)).toEqual(summary(expected));
    // What the items exercise: a copy stored earlier in the batch, a repeat, a copy stored before, an article
    // that changed its text, and copies of its old and new texts.
    expect(outcomes.map((o) => o.status)).toEqual([
      'added',
      'added',
      'duplicate',
      'added',
      'updated',
      'added',
      'added',
      'added',
      'added',
      'added',
      'added',
      'duplicate',
    ]);
    const idOf = (i: number) => outcomes[i]?.articleId;
    expect(outcomes[1]?.copyOf).toBe(idOf(0));
    expect(outcomes[3]?.copyOf).toBe(1);
    expect(outcomes[5]?.copyOf).toBeUndefined();
    expect(outcomes[6]?.copyOf).toBe(idOf(4));
    expect(outcomes[8]?.copyOf).toBe(idOf(5));
    batched.close();
    single.close();
  });
});
