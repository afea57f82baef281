import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteApp } from '../../src/app.ts';
import { buildDigest, type Digest } from '../../src/digest/digest.ts';
import { rewriteDigestSummaries } from '../../src/digest/llmDigest.ts';
import { createLlmSummarizer } from '../../src/summarize/abstractive.ts';
import { openSampleApp } from '../helpers/sample.ts';

let dir: string;
let app: SqliteApp;
let digest: Digest;
const servers: Server[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'newsbrief-llm-'));
  app = await openSampleApp(dir);
  const window = { from: new Date('2026-11-26T00:00:00+09:00'), to: new Date('2026-11-27T00:00:00+09:00') };
  digest = await buildDigest(app.storage, { ...window, limit: 5, lang: 'ko' });
});

afterAll(() => {
  app.close();
  rmSync(dir, { recursive: true, force: true });
});

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => {
      s.closeAllConnections();
      return new Promise((resolve) => s.close(resolve));
    }),
  );
});

/** A stand-in model on 127.0.0.1 that answers in Korean, saying whether it was asked about a story or a topic. */
async function standIn(options: { fail?: boolean } = {}): Promise<{ url: string; calls: () => number }> {
  let calls = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      calls++;
      if (options.fail) {
        res.writeHead(503);
        res.end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { messages: { content: string }[] };
      const headline = body.messages[1]?.content.match(/^Title: (.*)$/m)?.[1] ?? '';
      const answer = body.messages[0]?.content.includes('Translate the news headline')
        ? `번역된 제목 ${headline.match(/\d+(?:[.,]\d+)*/)?.[0] ?? ''}`.trim()
        : null;
      const kind = body.messages[0]?.content.includes('share a topic') ? '주제' : '기사';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          choices: [
            { message: { content: answer ?? `요약: 이 ${kind}의 소식을 정리했다. 자세한 내용은 원문에 있다.` } },
          ],
        }),
      );
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, calls: () => calls };
}

const settings = (baseUrl: string) => ({ baseUrl, model: 'stand-in', apiKey: null, timeoutMs: 2000, concurrency: 2 });

describe('summaries rewritten by a language model', () => {
  it('replaces each summary, keeps the extractive sentences for tracing, and caches per story', async () => {
    const model = await standIn();
    const summarizer = createLlmSummarizer(settings(model.url));
    const rewritten = await rewriteDigestSummaries(app.storage, digest, summarizer);
    expect(rewritten.stories.length).toBe(digest.stories.length);
    for (const [i, story] of rewritten.stories.entries()) {
      expect(story.summaryBy).toBe('llm');
      expect(story.summary[0]).toMatch(/^요약: /);
      expect(story.sentences).toEqual(digest.stories[i]?.sentences);
    }
    const withTopicSummary = digest.sections.filter((s) => s.summary.length > 0).length;
    expect(withTopicSummary).toBeGreaterThan(0);
    const topics = rewritten.sections.filter((s) => s.summaryBy === 'llm');
    expect(topics).toHaveLength(withTopicSummary);
    for (const section of topics) expect(section.summary[0]).toContain('주제');
    const englishOnly = digest.stories.filter((s) => s.otherTitle === null && s.articles[0]?.lang === 'en');
    const calls = model.calls();
    expect(calls).toBe(digest.stories.length + withTopicSummary + englishOnly.length);

    const again = await rewriteDigestSummaries(app.storage, digest, summarizer);
    expect(model.calls()).toBe(calls);
    expect(again.stories.map((s) => s.summary)).toEqual(rewritten.stories.map((s) => s.summary));
  });

  it('translates the headline of a story with no Korean source, marked, the original kept as the second line', async () => {
    const model = await standIn();
    const rewritten = await rewriteDigestSummaries(app.storage, digest, createLlmSummarizer(settings(model.url)));
    const englishOnly = digest.stories.filter((s) => s.otherTitle === null && s.articles[0]?.lang === 'en');
    expect(englishOnly.length).toBeGreaterThan(0);
    for (const [i, before] of digest.stories.entries()) {
      const after = rewritten.stories[i];
      if (englishOnly.includes(before)) {
        expect(after?.title).toMatch(/^번역된 제목/);
        expect(after?.titleTranslated).toBe(true);
        expect(after?.otherTitle).toEqual({ lang: 'en', title: before.title });
      } else {
        // a story with Korean coverage keeps its Korean source's headline
        expect(after?.title).toBe(before.title);
        expect(after?.titleTranslated).toBe(false);
        expect(after?.otherTitle).toEqual(before.otherTitle);
      }
    }
  });

  it('keeps the extractive summaries when the model fails', async () => {
    const model = await standIn({ fail: true });
    const fresh = { ...digest, stories: digest.stories.map((s) => ({ ...s, key: `${s.key}-other` })) };
    const result = await rewriteDigestSummaries(app.storage, fresh, createLlmSummarizer(settings(model.url)));
    expect(model.calls()).toBeGreaterThan(0);
    expect(result.stories.map((s) => s.summary)).toEqual(fresh.stories.map((s) => s.summary));
    expect(result.stories.every((s) => s.summaryBy === 'extractive')).toBe(true);
    expect(result.stories.map((s) => [s.title, s.titleTranslated])).toEqual(fresh.stories.map((s) => [s.title, false]));
  });

  it('is what /news digest gives with a summarizer configured', async () => {
    const model = await standIn();
    const handler = new (app.commands.constructor as typeof import('../../src/commands/handle.ts').CommandHandler)({
      store: app.storage,
      topics: app.topics,
      now: app.now,
      searchLimit: 5,
      digestLimit: 3,
      digestWindowHours: 24,
      summarizer: createLlmSummarizer(settings(model.url)),
    });
    const reply = await handler.digest({ channel: 'test:llm', lang: 'ko', timeZone: 'Asia/Seoul' });
    if (reply.kind !== 'digest') throw new Error(reply.kind);
    expect(reply.digest.stories.length).toBeGreaterThan(0);
    expect(reply.digest.stories.every((s) => s.summaryBy === 'llm')).toBe(true);
  });
});
