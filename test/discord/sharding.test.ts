/**
 * Gateway sharding: the adapter runs as many shards as Discord recommends (`GET /gateway/bot`), and a guild's
 * commands, which Discord sends on that guild's shard only, are answered once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordAdapter } from '../../adapters/discord/discordBot.ts';
import type { SqliteApp } from '../../src/app.ts';
import { openSampleApp } from '../helpers/sample.ts';
import { useTempDir } from '../helpers/tempDir.ts';
import { DiscordStandin, memoryLog, TOKEN, until } from './standin.ts';

const SHARDS = 3;
const STRING = 3;
const tempDir = useTempDir();

let app: SqliteApp;
let standin: DiscordStandin;
let adapter: DiscordAdapter;

beforeAll(async () => {
  app = await openSampleApp(tempDir());
  standin = await new DiscordStandin({ shards: SHARDS }).start();
  adapter = new DiscordAdapter({ token: TOKEN, apiBase: standin.apiBase, log: memoryLog() });
  await adapter.start(app.engine);
});

afterAll(async () => {
  await adapter?.stop();
  await standin?.close();
  app?.close();
});

describe('Discord gateway sharding', () => {
  it('identifies every shard Discord recommends, once each, with only the Guilds intent', () => {
    const shards = standin.identifies.map((identify) => identify.shard).sort((a, b) => a[0] - b[0]);
    expect(shards).toEqual(Array.from({ length: SHARDS }, (_, i) => [i, SHARDS]));
    expect(standin.identifies.every((identify) => identify.intents === 1 && identify.token === TOKEN)).toBe(true);
    expect(adapter.isConnected()).toBe(true);
  });

  it('answers a command sent on the guild’s shard, once', async () => {
    const news = standin.addChannel('news');
    const record = standin.interact({
      type: 2,
      channel: news,
      locale: 'en-US',
      data: standin.command('news', [{ name: 'query', type: STRING, value: 'samsung' }]),
    });
    await until(() => record.callbacks[0], 5000, 'a reply');
    expect(record.callbacks[0]?.data?.content).toContain('Results for "samsung"');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(record.callbacks).toHaveLength(1);
    expect(record.errors).toEqual([]);
  });
});
