/**
 * HTTP interactions end to end: the real adapter (discord.js underneath) behind its endpoint, and the stand-in
 * POSTing signed interactions to it as Discord does and taking the HTTP answer as the first response. The same
 * commands go over the gateway to a second adapter on the same stand-in, so the answers can be compared.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordAdapter } from '../../adapters/discord/discordBot.ts';
import type { SqliteApp } from '../../src/app.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { messages } from '../../src/messages/catalog.ts';
import { openSampleApp } from '../helpers/sample.ts';
import {
  DiscordStandin,
  type HttpAnswer,
  type InteractionRecord,
  type InteractionSpec,
  memoryLog,
  P,
  type StandinChannel,
  snowflake,
  TOKEN,
  until,
} from './standin.ts';

const HOSTILE_TITLE = '@everyone <@&123> # Big **news**';
const STRING = 3;
const SUBCOMMAND = 1;
const BODY_TIMEOUT_MS = 800;

let dir: string;
let app: SqliteApp;
let standin: DiscordStandin;
let adapter: DiscordAdapter;
let gateway: DiscordAdapter;
let news: StandinChannel;
let url: string;
const calls = { handle: 0, suggestTopics: 0 };

/** The app's engine, counting what the adapter asks of it. */
function counting(engine: Engine): Engine {
  return new Proxy(engine, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      if (prop === 'handle' || prop === 'suggestTopics') {
        return (...args: unknown[]) => {
          calls[prop]++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'newsbrief-discord-http-'));
  app = await openSampleApp(dir);
  const feed = join(dir, 'hostile.rss.xml');
  writeFileSync(
    feed,
    `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Hostile Wire</title>
<link>https://hostile.example/</link><item><title>${HOSTILE_TITLE.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</title>
<link>https://hostile.example/zorblat</link><pubDate>Thu, 26 Nov 2026 09:00:00 +0900</pubDate>
<description>The zorblat chip maker said on Thursday it would ship its first zorblat accelerator next year, ahead of rivals.</description>
</item></channel></rss>`,
  );
  await app.ingestor.ingestPaths([feed]);
  standin = await new DiscordStandin().start();
  news = standin.addChannel('news');
  adapter = new DiscordAdapter({
    token: TOKEN,
    apiBase: standin.apiBase,
    log: memoryLog(),
    interactions: { publicKey: standin.publicKeyHex, port: 0, host: '127.0.0.1', bodyTimeoutMs: BODY_TIMEOUT_MS },
  });
  await adapter.start(counting(app.engine));
  url = `http://127.0.0.1:${adapter.interactionsPort}/discord/interactions`;
  // the same app over the gateway, on the same stand-in: for comparing answers
  gateway = new DiscordAdapter({ token: TOKEN, apiBase: standin.apiBase, log: memoryLog() });
  await gateway.start(app.engine);
});

afterAll(async () => {
  await adapter?.stop();
  await gateway?.stop();
  await standin?.close();
  app?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Sends an interaction over HTTP (or the gateway) and waits for its first response. */
async function send(spec: InteractionSpec, over: 'http' | 'gateway' = 'http'): Promise<InteractionRecord> {
  standin.useHttpInteractions(over === 'http' ? url : null);
  const record = standin.interact(spec);
  standin.useHttpInteractions(url);
  if (over === 'http') await until(() => record.http, 5000, 'the HTTP answer');
  else await until(() => record.callbacks[0], 5000, 'the gateway answer');
  return record;
}

const search = (query: string, extra: Partial<InteractionSpec> = {}): InteractionSpec => ({
  type: 2,
  channel: news,
  locale: 'en-US',
  data: standin.command('news', [{ name: 'query', type: STRING, value: query }]),
  ...extra,
});

/** What the HTTP answer says, as the callback Discord would have read from it. */
const answerOf = (record: InteractionRecord) => record.http?.json as { type: number; data?: Record<string, unknown> };
/** REST callbacks for this interaction: there must be none, the HTTP body is the answer. */
const restCallbacks = (record: InteractionRecord) =>
  standin.requests.filter((r) => r.path.startsWith(`/interactions/${record.id}/`));

function report(what: string, answer: HttpAnswer | undefined): void {
  console.info(`[http interactions] ${what}: HTTP ${answer?.status} in ${answer?.ms} ms`);
}

describe('Discord HTTP interactions: the endpoint', () => {
  it('answers without a gateway connection: REST checked once, no IDENTIFY, connected', async () => {
    expect(adapter.isConnected()).toBe(true);
    // one IDENTIFY: the gateway adapter's; the HTTP adapter asked REST who it is and never opened the gateway
    expect(standin.identifies).toEqual([{ token: TOKEN, intents: 1, shard: [0, 1] }]);
    expect(standin.requests.filter((r) => r.path === '/applications/@me')).toEqual([
      expect.objectContaining({ method: 'GET', status: 200 }),
    ]);
    expect(standin.requests.filter((r) => r.path === '/gateway/bot')).toHaveLength(1);
  });

  it('answers PING with {"type":1}', async () => {
    const pong = await standin.ping({ url });
    report('PING', pong);
    expect(pong.status).toBe(200);
    expect(pong.body).toBe('{"type":1}');
    expect(pong.headers['content-type']).toBe('application/json');
    expect(pong.ms).toBeLessThan(3000);
  });

  it('answers /news query:samsung in the HTTP body, exactly as over the gateway', async () => {
    const before = calls.handle;
    const overHttp = await send(search('samsung'));
    report('/news query:samsung', overHttp.http);
    expect(calls.handle).toBe(before + 1);
    expect(overHttp.http?.status).toBe(200);
    expect(overHttp.http?.headers['content-type']).toBe('application/json');
    expect(overHttp.http?.ms).toBeLessThan(3000);
    const answer = answerOf(overHttp);
    expect(answer.type).toBe(4);
    const data = answer.data as { content: string; flags: number; embeds: unknown[]; allowed_mentions: unknown };
    expect(data.content).toContain('Results for "samsung"');
    expect(data.flags).toBe(64);
    expect(data.allowed_mentions).toEqual({ parse: [] });
    expect(data.embeds.length).toBeGreaterThan(0);
    expect(data.embeds.length).toBeLessThanOrEqual(5);
    // the stand-in took the HTTP answer as the response; nothing went over the REST callback route
    expect(overHttp.callbacks).toHaveLength(1);
    expect(overHttp.callbacks[0]?.data).toEqual(answer.data);
    expect(overHttp.errors).toEqual([]);
    expect(restCallbacks(overHttp)).toEqual([]);

    const overGateway = await send(search('samsung'), 'gateway');
    expect(overGateway.http).toBeUndefined();
    expect(overGateway.callbacks[0]?.type).toBe(4);
    expect(overGateway.callbacks[0]?.data).toEqual(answer.data);
  });

  it('answers a Korean search in Korean, with the same top story', async () => {
    const english = answerOf(await send(search('samsung'))).data as { embeds: { url: string }[] };
    const korean = answerOf(await send(search('삼성', { locale: 'ko' }))).data as {
      content: string;
      embeds: { url: string }[];
    };
    expect(korean.content).toContain('"삼성"');
    expect(korean.embeds[0]?.url).toBe(english.embeds[0]?.url);
  });

  it('refuses a manager-only command to a member in the HTTP body, without asking the engine', async () => {
    const before = calls.handle;
    const spec: InteractionSpec = {
      type: 2,
      channel: news,
      data: standin.command('newsbrief', [
        { name: 'subscribe', type: SUBCOMMAND, options: [{ name: 'topic', type: STRING, value: 'nvidia' }] },
      ]),
    };
    const record = await send(spec);
    report('/newsbrief subscribe by a member', record.http);
    expect(record.http?.status).toBe(200);
    expect(answerOf(record)).toEqual({
      type: 4,
      data: {
        content: messages('en').notice.needsManager({}),
        tts: false,
        enforce_nonce: false,
        allowed_mentions: { parse: [] },
        flags: 64,
      },
    });
    expect(calls.handle).toBe(before);
    const overGateway = await send(spec, 'gateway');
    expect(overGateway.callbacks[0]?.data).toEqual(answerOf(record).data);
  });

  it('lets a manager change a setting, which the channel sees', async () => {
    const channel = standin.addChannel('managed');
    const record = await send({
      type: 2,
      channel,
      permissions: P.ManageGuild | P.ViewChannel | P.SendMessages,
      data: standin.command('newsbrief', [
        {
          name: 'subscribe',
          type: SUBCOMMAND,
          options: [{ name: 'topic', type: STRING, value: 'samsung-electronics' }],
        },
      ]),
    });
    const answer = answerOf(record);
    expect(answer.type).toBe(4);
    expect(answer.data?.flags).toBeUndefined();
    expect(answer.data?.content).toMatch(/Samsung Electronics/);
    expect(app.store.subscriptions.list(`discord:${channel.id}`)).toEqual(['samsung-electronics']);
  });

  it('turns to the next page with the button: an update in the HTTP body', async () => {
    const first = answerOf(await send(search('ai'))).data as {
      embeds: { url: string }[];
      components: { components: { label: string; custom_id: string }[] }[];
    };
    const next = first.components[0]?.components.find((c) => c.label === 'Next page');
    expect(next?.custom_id).toBe('nb:p:2:ai');
    const press = await send({
      type: 3,
      channel: news,
      data: { custom_id: next?.custom_id, component_type: 2 },
      message: { id: snowflake(), channel_id: news.id, content: '', flags: 64, type: 20, author: {}, embeds: [] },
    });
    report('next page button', press.http);
    const answer = answerOf(press);
    expect(answer.type).toBe(7);
    const pageTwo = ((answer.data?.embeds ?? []) as { url: string }[]).map((e) => e.url);
    expect(pageTwo.length).toBeGreaterThan(0);
    for (const link of pageTwo) expect(first.embeds.map((e) => e.url)).not.toContain(link);
    expect(restCallbacks(press)).toEqual([]);
  });

  it('suggests topic names while typing, in the HTTP body, at once', async () => {
    const typing = (value: string, locale = 'en-US'): InteractionSpec => ({
      type: 4,
      channel: news,
      locale,
      data: standin.command('news', [{ name: 'query', type: STRING, value, focused: true }]),
    });
    const en = await send(typing('sam'));
    const ko = await send(typing('삼', 'ko'));
    report('autocomplete', en.http);
    const names = (r: InteractionRecord) =>
      ((answerOf(r).data?.choices ?? []) as { name: string }[]).map((c) => c.name);
    expect(answerOf(en).type).toBe(8);
    expect(names(en)).toContain('Samsung Electronics');
    expect(names(ko)).toContain('삼성전자');
    expect(names(en).length).toBeLessThanOrEqual(25);
    expect(en.http?.ms).toBeLessThan(3000);
  });

  it('keeps @everyone in an article inert in the HTTP answer', async () => {
    const record = await send(search('zorblat'));
    const data = answerOf(record).data as { allowed_mentions: unknown; embeds: { url: string; title: string }[] };
    expect(data.allowed_mentions).toEqual({ parse: [] });
    const hit = data.embeds.find((e) => e.url === 'https://hostile.example/zorblat');
    expect(hit?.title).toBe('@\u200beveryone \\<@&123> # Big \\*\\*news\\*\\*');
    expect(record.http?.body).not.toMatch(/(?<![\\\u200b])(@everyone|<@&|\*\*news)/);
  });
});

describe('Discord HTTP interactions: refusals', () => {
  /** A signed command body, not sent; and the engine's calls before. */
  function prepared() {
    const { record, payload } = standin.prepare(search('samsung'));
    return { record, body: JSON.stringify(payload), before: { ...calls } };
  }

  function nothingHandled(record: InteractionRecord, before: typeof calls) {
    expect(calls).toEqual(before);
    expect(record.callbacks).toEqual([]);
    expect(restCallbacks(record)).toEqual([]);
  }

  it('refuses a forged signature, a missing one, a wrong key and a stale or future timestamp with 401', async () => {
    const stranger = generateKeyPairSync('ed25519');
    const now = Math.floor(Date.now() / 1000);
    const cases = {
      forged: { signature: 'ab'.repeat(64) },
      missing: { signature: null },
      malformed: { signature: 'not-hex' },
      wrongKey: { key: stranger.privateKey },
      stale: { timestamp: String(now - 301) },
      future: { timestamp: String(now + 301) },
      notANumber: { timestamp: 'yesterday' },
    };
    for (const [name, options] of Object.entries(cases)) {
      const { record, body, before } = prepared();
      const answer = await standin.signedPost(body, { url, ...options });
      report(`refused (${name})`, answer);
      expect({ name, status: answer.status, body: answer.body }).toEqual({ name, status: 401, body: '' });
      nothingHandled(record, before);
    }
    // the same body signed properly, four minutes old: accepted
    const { record, body } = prepared();
    const fresh = await standin.signedPost(body, { url, timestamp: String(now - 240) });
    expect(fresh.status).toBe(200);
    expect((fresh.json as { type: number }).type).toBe(4);
    expect(record.callbacks).toEqual([]);
  });

  it('refuses a signature over another body (one byte changed) with 401', async () => {
    const { record, body, before } = prepared();
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = sign(null, Buffer.from(timestamp + body), standin.interactionKeys.privateKey).toString('hex');
    const tampered = body.replace('"samsung"', '"samsunh"');
    expect(tampered).not.toBe(body);
    const answer = await standin.signedPost(tampered, { url, timestamp, signature });
    expect(answer.status).toBe(401);
    nothingHandled(record, before);
    // the signature is good for the body it was made for
    expect((await standin.signedPost(body, { url, timestamp, signature })).status).toBe(200);
  });

  it('refuses a body over 1 MiB with 413, signed or not', async () => {
    const before = { ...calls };
    const big = JSON.stringify({ type: 2, padding: 'x'.repeat(1024 * 1024) });
    const answer = await standin.signedPost(big, { url });
    report('refused (1 MiB body)', answer);
    expect(answer.status).toBe(413);
    // a body whose length is not declared up front is cut at the cap as well
    const chunked = await standin.signedPost(big, { url, headers: { 'transfer-encoding': 'chunked' } });
    expect(chunked.status).toBe(413);
    expect(calls).toEqual(before);
  });

  it('answers 400 to a signed body that is not JSON or not an interaction', async () => {
    const before = { ...calls };
    for (const body of ['{"type":2,', 'null', '[]', '"ping"', '{"type":"2"}', '{"type":2,"id":"1","token":"t"}']) {
      const answer = await standin.signedPost(body, { url });
      expect({ body, status: answer.status }).toEqual({ body, status: 400 });
    }
    expect(calls).toEqual(before);
  });

  it('answers 404 to another path and 405 to another method', async () => {
    const { body } = prepared();
    const elsewhere = await standin.signedPost(body, { url: url.replace('/discord/interactions', '/discord/other') });
    expect(elsewhere.status).toBe(404);
    const got = await standin.signedPost(body, { url, method: 'PUT' });
    expect(got.status).toBe(405);
    expect(got.headers.allow).toBe('POST');
  });

  it('answers 408 to a body that never ends, within the body timeout', async () => {
    const { body, before } = prepared();
    const started = performance.now();
    const status = await new Promise<string>((resolve) => {
      const socket = connect(adapter.interactionsPort as number, '127.0.0.1', () => {
        const timestamp = String(Math.floor(Date.now() / 1000));
        socket.write(
          `POST /discord/interactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
            `Content-Length: ${body.length}\r\nX-Signature-Ed25519: ${'ab'.repeat(64)}\r\n` +
            `X-Signature-Timestamp: ${timestamp}\r\n\r\n${body.slice(0, 20)}`,
        );
      });
      let received = '';
      socket.on('data', (chunk) => {
        received += String(chunk);
      });
      socket.on('close', () => resolve(received.split('\r\n')[0] ?? ''));
      socket.on('error', () => resolve(received.split('\r\n')[0] ?? ''));
    });
    const ms = Math.round(performance.now() - started);
    console.info(`[http interactions] refused (slow body): ${status} after ${ms} ms`);
    expect(status).toBe('HTTP/1.1 408 Request Timeout');
    expect(ms).toBeGreaterThanOrEqual(BODY_TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(BODY_TIMEOUT_MS + 2000);
    expect(calls).toEqual(before);
  });

  it('answers one interaction once: the same signed request again is refused with 409', async () => {
    const { record, body, before } = prepared();
    const timestamp = String(Math.floor(Date.now() / 1000));
    const first = await standin.signedPost(body, { url, timestamp });
    const again = await standin.signedPost(body, { url, timestamp });
    expect(first.status).toBe(200);
    expect(again.status).toBe(409);
    expect(calls.handle).toBe(before.handle + 1);
    expect(record.errors).toEqual([]);
  });

  it('is still up after all of it', async () => {
    expect((await standin.ping({ url })).body).toBe('{"type":1}');
    expect(adapter.isConnected()).toBe(true);
  });
});
