import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordAdapter } from '../../adapters/discord/discordBot.ts';
import type { App } from '../../src/app.ts';
import { openSampleApp } from '../helpers/sample.ts';
import { BOT_OK, DiscordStandin, memoryLog, P, type StandinChannel, snowflake, TOKEN, until } from './standin.ts';

const STRING = 3;
const SUBCOMMAND = 1;

let dir: string;
let app: App;
let standin: DiscordStandin;
let adapter: DiscordAdapter;
let news: StandinChannel;
let log: ReturnType<typeof memoryLog>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'newsbrief-discord-'));
  app = openSampleApp(dir);
  standin = await new DiscordStandin().start();
  news = standin.addChannel('news');
  log = memoryLog();
  adapter = new DiscordAdapter({ token: TOKEN, apiBase: standin.apiBase, log });
  await adapter.start(app.engine);
});

afterAll(async () => {
  await adapter?.stop();
  await standin?.close();
  app?.close();
  rmSync(dir, { recursive: true, force: true });
});

function search(query: string, extra: { locale?: string; channel?: StandinChannel; permissions?: bigint } = {}) {
  return standin.interact({
    type: 2,
    channel: extra.channel ?? news,
    locale: extra.locale ?? 'en-US',
    ...(extra.permissions !== undefined ? { permissions: extra.permissions } : {}),
    data: standin.command('news', [{ name: 'query', type: STRING, value: query }]),
  });
}

describe('Discord adapter against the stand-in', () => {
  it('logs in with only the Guilds intent and is connected', () => {
    expect(standin.identifies).toEqual([{ token: TOKEN, intents: 1 }]);
    expect(adapter.isConnected()).toBe(true);
  });

  it('answers /news query:samsung with up to 5 story embeds, the same top story as query:삼성', async () => {
    const english = search('samsung');
    const korean = search('삼성', { locale: 'ko' });
    for (const record of [english, korean]) await until(() => record.callbacks[0], 5000, 'a reply');
    const [en, ko] = [english, korean].map((r) => r.callbacks[0]);
    expect(en?.type).toBe(4);
    const embeds = en?.data?.embeds ?? [];
    expect(embeds.length).toBeGreaterThan(0);
    expect(embeds.length).toBeLessThanOrEqual(5);
    for (const embed of embeds) {
      expect(embed.url).toMatch(/^https?:\/\//);
      expect(embed.title?.length).toBeGreaterThan(0);
      expect(embed.footer?.text).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d/);
    }
    expect(en?.data?.content).toContain('Results for "samsung"');
    expect(ko?.data?.content).toContain('"삼성"');
    expect(ko?.data?.embeds?.[0]?.url).toBe(embeds[0]?.url);
    // a search concerns the caller: shown to them only, and never pings
    expect(en?.data?.flags).toBe(64);
    expect(en?.data?.allowed_mentions).toEqual({ parse: [] });
    // next page and follow buttons: the caller is no manager, so only the personal alert
    const labels = en?.data?.components?.[0]?.components.map((c) => c.label);
    expect(labels?.some((l) => l?.startsWith('Alert me about'))).toBe(true);
    expect(labels?.some((l) => l?.startsWith('Follow'))).toBe(false);
    expect(ko?.data?.components?.[0]?.components.map((c) => c.label)).toContain('삼성전자 새 소식 알림 받기');
  });

  it('turns to the next page with the button, editing the message it is on', async () => {
    const first = search('ai');
    await until(() => first.callbacks[0]);
    const next = first.callbacks[0]?.data?.components?.[0]?.components.find((c) => c.label === 'Next page');
    expect(next?.custom_id).toBe('nb:p:2:ai');
    const press = standin.interact({
      type: 3,
      channel: news,
      data: { custom_id: next?.custom_id, component_type: 2 },
      message: { id: snowflake(), channel_id: news.id, content: '', flags: 64, type: 20, author: {}, embeds: [] },
    });
    await until(() => press.callbacks[0]);
    expect(press.callbacks[0]?.type).toBe(7);
    const firstUrls = first.callbacks[0]?.data?.embeds?.map((e) => e.url);
    const pageTwo = press.callbacks[0]?.data?.embeds?.map((e) => e.url) ?? [];
    expect(pageTwo.length).toBeGreaterThan(0);
    for (const url of pageTwo) expect(firstUrls).not.toContain(url);
  });

  it('suggests topic names while typing, in either language, at most 25, at once', async () => {
    const typing = (value: string, locale = 'en-US') =>
      standin.interact({
        type: 4,
        channel: news,
        locale,
        data: standin.command('news', [{ name: 'query', type: STRING, value, focused: true }]),
      });
    const en = typing('sam');
    const ko = typing('삼', 'ko');
    const empty = typing('');
    const inQuery = typing('hbm nvi');
    for (const r of [en, ko, empty, inQuery]) await until(() => r.callbacks[0]);
    const names = (r: typeof en) => r.callbacks[0]?.data?.choices?.map((c) => c.name) ?? [];
    expect(en.callbacks[0]?.type).toBe(8);
    expect(names(en)).toContain('Samsung Electronics');
    expect(names(ko)).toContain('삼성전자');
    expect(names(empty).length).toBeGreaterThan(5);
    expect(names(empty).length).toBeLessThanOrEqual(25);
    expect(names(inQuery)[0]).toMatch(/^hbm NVIDIA/);
    for (const r of [en, ko, empty, inQuery]) expect(r.callbacks[0]?.at).toBeLessThan(3000);
  });
});
