import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.ts';
import {
  acceptAnswer,
  createLlmSummarizer,
  type LlmSettings,
  type SummaryRequest,
} from '../../src/summarize/abstractive.ts';
import { llmSettingsFrom } from '../../src/summarize/llmSettings.ts';
import { CANARY } from '../helpers/secrets.ts';

type Handler = (body: Record<string, unknown>, req: IncomingMessage, res: ServerResponse) => void;

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => {
      s.closeAllConnections();
      return new Promise((resolve) => s.close(resolve));
    }),
  );
});

/** A stand-in for an OpenAI-compatible endpoint on 127.0.0.1. */
async function standIn(handler: Handler): Promise<string> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {}
      handler(body, req, res);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

function answer(res: ServerResponse, content: string): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content } }] }));
}

const REQUEST: SummaryRequest = {
  kind: 'story',
  lang: 'ko',
  title: 'SK하이닉스, 엔비디아에 HBM4 공급',
  sources: [
    { title: 'SK하이닉스, 엔비디아에 HBM4 공급', text: 'SK하이닉스가 엔비디아에 12단 HBM4를 2027년까지 공급한다.' },
  ],
  sentences: 2,
};
const GOOD = 'SK하이닉스가 엔비디아에 12단 HBM4를 공급한다. 계약은 2027년까지 이어진다.';

function settings(baseUrl: string, overrides: Partial<LlmSettings> = {}): LlmSettings {
  return { baseUrl, model: 'stand-in', apiKey: CANARY.llmApiKey, timeoutMs: 2000, concurrency: 2, ...overrides };
}

describe('createLlmSummarizer', () => {
  it('asks for a grounded summary in the channel language and returns its sentences', async () => {
    let seen: { body: Record<string, unknown>; auth: string | undefined; path: string | undefined } | null = null;
    const url = await standIn((body, req, res) => {
      seen = { body, auth: req.headers.authorization, path: req.url };
      answer(res, GOOD);
    });
    const result = await createLlmSummarizer(settings(url)).summarize(REQUEST);
    expect(result).toEqual(['SK하이닉스가 엔비디아에 12단 HBM4를 공급한다.', '계약은 2027년까지 이어진다.']);
    const request = seen as unknown as {
      body: { model: string; messages: { content: string }[] };
      auth: string;
      path: string;
    };
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.auth).toBe(`Bearer ${CANARY.llmApiKey}`);
    expect(request.body.model).toBe('stand-in');
    expect(request.body.messages[0]?.content).toContain('Korean');
    expect(request.body.messages[1]?.content).toContain('12단 HBM4를 2027년까지');
  });

  it('gives null on a timeout, an HTTP error or a malformed answer, without throwing', async () => {
    const slow = await standIn((_b, _q, res) => setTimeout(() => answer(res, GOOD), 1500));
    const started = Date.now();
    expect(await createLlmSummarizer(settings(slow, { timeoutMs: 200 })).summarize(REQUEST)).toBeNull();
    expect(Date.now() - started).toBeLessThan(1200);

    const failing = await standIn((_b, _q, res) => {
      res.writeHead(500);
      res.end('upstream down');
    });
    expect(await createLlmSummarizer(settings(failing)).summarize(REQUEST)).toBeNull();

    const garbled = await standIn((_b, _q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"choices": [');
    });
    expect(await createLlmSummarizer(settings(garbled)).summarize(REQUEST)).toBeNull();

    expect(await createLlmSummarizer(settings('http://127.0.0.1:9/v1')).summarize(REQUEST)).toBeNull();
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    let active = 0;
    let most = 0;
    const url = await standIn((_b, _q, res) => {
      active++;
      most = Math.max(most, active);
      setTimeout(() => {
        active--;
        answer(res, GOOD);
      }, 40);
    });
    const summarizer = createLlmSummarizer(settings(url, { concurrency: 2 }));
    const results = await Promise.all(Array.from({ length: 6 }, () => summarizer.summarize(REQUEST)));
    expect(results.every((r) => r !== null)).toBe(true);
    expect(most).toBe(2);
  });
});

describe('acceptAnswer', () => {
  it('strips list markers and code fences', () => {
    expect(acceptAnswer(`\`\`\`\n- ${GOOD}\n\`\`\``, REQUEST)).toHaveLength(2);
  });

  it('rejects numbers the sources never state, the wrong language and rambling', () => {
    expect(acceptAnswer('SK하이닉스가 엔비디아에 16단 HBM4를 공급한다.', REQUEST)).toBeNull();
    expect(acceptAnswer('SK Hynix will supply HBM4 to Nvidia.', REQUEST)).toBeNull();
    expect(
      acceptAnswer('가격이 올랐다. 엔비디아가 답했다. 업계가 놀랐다. 시장이 반응했다. 주가가 뛰었다.', REQUEST),
    ).toBeNull();
    expect(acceptAnswer('   ', REQUEST)).toBeNull();
  });
});

describe('llmSettingsFrom', () => {
  it('reads the endpoint from the config or the environment and the key from the environment only', () => {
    const config = parseConfig('summaries:\n  llm:\n    baseUrl: http://127.0.0.1:8080/v1\n    model: qwen\n');
    expect(llmSettingsFrom(config.summaries.llm, {})).toEqual({
      baseUrl: 'http://127.0.0.1:8080/v1',
      model: 'qwen',
      apiKey: null,
      timeoutMs: 20_000,
      concurrency: 2,
    });
    const env = { NEWSBRIEF_LLM_MODEL: 'gpt-x', NEWSBRIEF_LLM_API_KEY: CANARY.llmApiKey };
    expect(llmSettingsFrom(config.summaries.llm, env)).toMatchObject({ model: 'gpt-x', apiKey: CANARY.llmApiKey });
    expect(llmSettingsFrom(undefined, {})).toBeNull();
    expect(llmSettingsFrom(undefined, { NEWSBRIEF_LLM_BASE_URL: 'file:///etc', NEWSBRIEF_LLM_MODEL: 'x' })).toBeNull();
    expect(() =>
      parseConfig('summaries:\n  llm:\n    baseUrl: http://x.example\n    model: m\n    apiKey: k\n'),
    ).toThrow(/apiKey/);
  });
});
