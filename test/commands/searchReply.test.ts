import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteApp } from '../../src/app.ts';
import type { CommandContext } from '../../src/commands/handle.ts';
import type { ReplyBody } from '../../src/commands/reply.ts';
import { openSampleApp } from '../helpers/sample.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();
const CONTEXT: CommandContext = { channel: 'console:test', lang: 'ko', timeZone: 'Asia/Seoul' };
let app: SqliteApp;

beforeAll(async () => {
  app = await openSampleApp(tempDir());
});
afterAll(() => app.close());

async function search(query: string, lang: 'ko' | 'en' = 'ko'): Promise<Extract<ReplyBody, { kind: 'search' }>> {
  const reply = await app.commands.search(query, { ...CONTEXT, lang });
  if (reply.kind !== 'search') throw new Error(`expected a search reply, got ${reply.kind}`);
  return reply;
}

describe('the topic summary of a search reply', () => {
  it('sums up a topic query in two sentences taken from the top stories found', async () => {
    const reply = await search('samsung');
    expect(reply.expandedTopics.map((t) => t.id)).toContain('samsung-electronics');
    expect(reply.topicSummary).toHaveLength(2);
    const topIds = reply.stories.slice(0, 3).map((s) => s.articleId);
    for (const sentence of reply.topicSummary) {
      expect(topIds).toContain(sentence.articleId);
      const article = app.store.articles.getMany([sentence.articleId as number])[0];
      // Verbatim from its article (datelines aside), never invented.
      expect(article?.paragraphs.join(' ')).toContain(sentence.text.slice(-30));
    }
    expect(reply.topicSummary[0]?.text).not.toBe(reply.topicSummary[1]?.text);
  });

  it('prefers sentences in the reader’s language', async () => {
    const english = await search('samsung', 'en');
    const langs = english.topicSummary.map(
      (s) => app.store.articles.getMany([s.articleId as number])[0]?.lang as string,
    );
    expect(langs.length).toBeGreaterThan(0);
    expect(langs.every((lang) => lang === 'en')).toBe(true);
  });

  it('is empty for plain words that name no topic, and for nothing found', async () => {
    expect((await search('"first quarter"')).topicSummary).toEqual([]);
    expect((await search('samsung zzyzx')).topicSummary).toEqual([]);
  });
});
