import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { openApp } from '../../src/app.ts';
import { SAMPLE_NEWS_PATH } from '../../src/paths.ts';
import { converseWith } from '../helpers/console.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** An OpenAI-compatible stand-in on 127.0.0.1 that answers every request with `status` and `content`. */
async function standIn(status: number, content: string): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(status === 200 ? JSON.stringify({ choices: [{ message: { role: 'assistant', content } }] }) : '{}');
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, requests: () => requests };
}

async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string }> {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (c: Buffer) => {
    text += c.toString('utf8');
  });
  const code = await main(args, { stdin: new PassThrough(), stdout, stderr: new PassThrough(), env });
  return { code, stdout: text };
}

const SUMMARY = '여러 매체가 이 소식을 함께 전했다.';

describe('digest summaries through a configured language model', () => {
  it('uses the model when it answers, and the extractive summary when it fails', async () => {
    const db = join(tempDir(), 'nb.db');
    expect((await cli(['ingest', '--db', db, SAMPLE_NEWS_PATH], {})).code).toBe(0);

    const good = await standIn(200, SUMMARY);
    const env = { NEWSBRIEF_LLM_BASE_URL: good.url, NEWSBRIEF_LLM_MODEL: 'stand-in', NEWSBRIEF_CONFIG: '' };
    const withModel = JSON.parse((await cli(['digest', '--db', db, '--json', '--since', '2w'], env)).stdout);
    expect(good.requests()).toBeGreaterThan(0);
    expect(withModel.stories.some((s: { summary: string[] }) => s.summary.join(' ') === SUMMARY)).toBe(true);

    const broken = await standIn(500, '');
    const fallbackEnv = { ...env, NEWSBRIEF_LLM_BASE_URL: broken.url, NEWSBRIEF_LLM_MODEL: 'other-model' };
    const result = await cli(['digest', '--db', db, '--json', '--since', '2w'], fallbackEnv);
    expect(result.code).toBe(0);
    const fallback = JSON.parse(result.stdout);
    expect(broken.requests()).toBeGreaterThan(0);
    expect(fallback.stories.length).toBe(withModel.stories.length);
    for (const story of fallback.stories) {
      expect(story.summary.join(' ')).not.toBe(SUMMARY);
      expect(story.summary.length).toBeGreaterThan(0);
    }
  });

  it('rewrites the summary that opens a /news answer about a topic', async () => {
    const good = await standIn(200, SUMMARY);
    const env = { NEWSBRIEF_LLM_BASE_URL: good.url, NEWSBRIEF_LLM_MODEL: 'stand-in' };
    const app = openApp({ dbPath: join(tempDir(), 'nb.db'), configPath: null, env });
    await app.ingestor.ingestPaths([SAMPLE_NEWS_PATH]);
    // a Korean channel (no terminal locale): the model's Korean summary is in the reader's language
    const text = await converseWith(app, ['/news samsung', '/news help'], null);
    app.close();
    const [search, help] = text.split('newsbrief 명령:');
    expect(search?.split('\n')[1]).toBe(`   ${SUMMARY}`);
    expect(help).toBeDefined();
    expect(good.requests()).toBe(1);
  });
});
