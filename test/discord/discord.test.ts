import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordAdapter } from '../../adapters/discord/discordBot.ts';
import { inert } from '../../adapters/discord/render.ts';
import type { SqliteApp } from '../../src/app.ts';
import type { Reply } from '../../src/commands/reply.ts';
import type { PostTarget } from '../../src/engine/port.ts';
import { openSampleApp, SAMPLE_NOW } from '../helpers/sample.ts';
import { syntheticDigest } from './replies.ts';
import {
  channelTarget,
  DiscordStandin,
  limitErrors,
  memoryLog,
  P,
  type StandinChannel,
  snowflake,
  TOKEN,
  until,
} from './standin.ts';

const postTarget = (channel: StandinChannel) => channelTarget(standin, channel);

const HOSTILE_TITLE = '@everyone <@&123> # Big **news**';
const STRING = 3;
const SUBCOMMAND = 1;

let dir: string;
let app: SqliteApp;
let standin: DiscordStandin;
let adapter: DiscordAdapter;
let news: StandinChannel;
let log: ReturnType<typeof memoryLog>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'newsbrief-discord-'));
  app = await openSampleApp(dir);
  // an article whose title tries to ping everyone and a role, and to format itself
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
    expect(standin.identifies).toEqual([{ token: TOKEN, intents: 1, shard: [0, 1] }]);
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
    expect(labels?.some((l) => l?.endsWith('in my DMs'))).toBe(true);
    expect(labels?.some((l) => l?.startsWith('Follow'))).toBe(false);
    expect(ko?.data?.components?.[0]?.components.map((c) => c.label)).toContain('내 DM으로 삼성전자 받기');
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

const postsTo = (channel: StandinChannel) => standin.messages.filter((m) => m.channelId === channel.id);
const postRequests = (id: string) => standin.requests.filter((r) => r.path === `/channels/${id}/messages`);

describe('posting digests and alerts', () => {
  it('posts the scheduled digest of a channel: a header, then a heading and an embed per story', async () => {
    const channel = standin.addChannel('digest');
    await app.engine.handle({
      platform: 'discord',
      workspace: standin.guildId,
      channel: channel.id,
      user: 'u1',
      isManager: true,
      command: { kind: 'subscribe', topic: 'samsung-electronics' },
    });
    const key = `discord:${channel.id}`;
    const reply = await app.engine.digestFor(key, {
      window: { from: new Date('2026-11-19T00:00:00+09:00'), to: SAMPLE_NOW },
    });
    if (reply?.kind !== 'digest') throw new Error('no digest');
    expect(reply.digest.stories.length).toBeGreaterThan(0);
    const result = await adapter.post(postTarget(channel), reply);
    expect(result.ok).toBe(true);
    const posted = postsTo(channel);
    expect(result).toEqual({ ok: true, messageId: posted[0]?.id });
    expect(posted[0]?.body.content).toMatch(/^\*\*오늘의 테크 뉴스\*\* · 2026-11-26 · 기사 \d+건 중 \d+개 이야기/);
    const titles = posted.flatMap((m) => m.body.embeds ?? []).map((e) => e.title ?? '');
    for (const [i, story] of reply.digest.stories.entries()) {
      expect(titles.filter((t) => t.startsWith(`${i + 1}. `))).toHaveLength(1);
      expect(titles.some((t) => t.includes(story.title.slice(0, 20).replace(/[*_`~|\\<]/g, '')))).toBe(true);
    }
    for (const m of posted) expect(m.body.allowed_mentions).toEqual({ parse: [] });
    const logged = log.lines.find((l) => l.message === 'posted' && l.fields.destination === key);
    expect(logged?.fields).toMatchObject({ outcome: 'ok', messages: posted.length });
    expect(typeof logged?.fields.ms).toBe('number');
  });

  it('splits a digest over every Discord limit into valid messages, cut with an ellipsis, no story dropped', async () => {
    const channel = standin.addChannel('big');
    const reply = syntheticDigest(23, { long: true });
    const result = await adapter.post(postTarget(channel), reply);
    expect(result.ok).toBe(true);
    const posted = postsTo(channel);
    // 24 embeds (a heading and 23 stories), each near 4000 characters: at most one per 6000
    expect(posted.length).toBeGreaterThanOrEqual(12);
    const embeds = posted.flatMap((m) => m.body.embeds ?? []);
    expect(embeds).toHaveLength(24);
    for (let i = 0; i < 23; i++)
      expect(embeds.filter((e) => e.title?.startsWith(`${i + 1}. Story ${i} `))).toHaveLength(1);
    for (const m of posted) {
      expect(limitErrors(m.body)).toEqual([]);
      expect(m.body.embeds?.length ?? 0).toBeLessThanOrEqual(10);
    }
    const story = embeds[1];
    expect(story?.title?.endsWith('…')).toBe(true);
    expect(Array.from(story?.title ?? '')).toHaveLength(256);
    expect(story?.description?.endsWith('…')).toBe(true);
    // a cut never splits an emoji's surrogate pair
    expect(story?.title).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);

    // many short stories: ten embeds a message
    const many = standin.addChannel('many');
    expect((await adapter.post(postTarget(many), syntheticDigest(25))).ok).toBe(true);
    expect(postsTo(many).map((m) => m.body.embeds?.length)).toEqual([10, 10, 6]);
  });

  it('posts an article titled to ping and format harmlessly, in the title field with its link', async () => {
    const channel = standin.addChannel('hostile');
    const reply = syntheticDigest(1, { title: () => HOSTILE_TITLE });
    expect((await adapter.post(postTarget(channel), reply)).ok).toBe(true);
    const [message] = postsTo(channel);
    expect(message?.body.allowed_mentions).toEqual({ parse: [] });
    const embed = message?.body.embeds?.find((e) => e.url === 'https://example.com/0/0');
    expect(embed?.title).toBe('1. @\u200beveryone \\<@&123> # Big \\*\\*news\\*\\*');

    // and as a search result, from the interaction to the recorded reply
    const found = search('zorblat');
    await until(() => found.callbacks[0]);
    const data = found.callbacks[0]?.data;
    expect(data?.allowed_mentions).toEqual({ parse: [] });
    const hit = data?.embeds?.find((e) => e.url === 'https://hostile.example/zorblat');
    expect(hit?.title).toBe('@\u200beveryone \\<@&123> # Big \\*\\*news\\*\\*');
    expect(JSON.stringify(data)).not.toMatch(/(?<![\\\u200b])(@everyone|<@&|\*\*news)/);
  });

  it('reports a removed channel as gone after one request, and a missing permission as forbidden', async () => {
    const removed = standin.addChannel('removed');
    standin.removeChannel(removed.id);
    const gone = await adapter.post(postTarget(removed), syntheticDigest(1));
    expect(gone).toMatchObject({ ok: false, failure: { kind: 'gone' } });
    expect(!gone.ok && gone.failure.detail).toContain('10003');
    expect(postRequests(removed.id)).toHaveLength(1);
    expect(log.lines.find((l) => l.fields.destination === `discord:${removed.id}`)?.fields).toMatchObject({
      outcome: 'gone',
    });

    const muted = standin.addChannel('muted', P.ViewChannel);
    const refused = await adapter.post(postTarget(muted), syntheticDigest(1));
    expect(refused).toMatchObject({ ok: false, failure: { kind: 'forbidden' } });
    expect(!refused.ok && refused.failure.detail).toContain('50013');
    expect(postRequests(muted.id)).toHaveLength(1);

    const hidden = standin.addChannel('hidden', 0n);
    const noAccess = await adapter.post(postTarget(hidden), syntheticDigest(1));
    expect(!noAccess.ok && noAccess.failure).toMatchObject({
      kind: 'forbidden',
      detail: expect.stringContaining('50001'),
    });
  });

  it('opens a DM for a personal alert, and reports a user who blocks DMs as forbidden without retrying', async () => {
    const reader = snowflake();
    const person: PostTarget = {
      key: `discord:user:${reader}`,
      kind: 'person',
      platform: 'discord',
      workspace: null,
      channel: null,
      user: reader,
    };
    const ok = await adapter.post(person, syntheticDigest(2));
    expect(ok.ok).toBe(true);
    const dm = [...standin.channels.values()].find((c) => c.recipient === reader);
    expect(dm).toBeDefined();
    expect(postsTo(dm as StandinChannel)).toHaveLength(1);

    const blocker = snowflake();
    standin.blockedDms.add(blocker);
    const blocked = await adapter.post(
      { ...person, key: `discord:user:${blocker}`, user: blocker },
      syntheticDigest(1),
    );
    expect(blocked).toMatchObject({ ok: false, failure: { kind: 'forbidden' } });
    expect(!blocked.ok && blocked.failure.detail).toContain('50007');
    const blockedDm = [...standin.channels.values()].find((c) => c.recipient === blocker);
    expect(postRequests(blockedDm?.id ?? '')).toHaveLength(1);
  });

  it('waits out a short 429 (Retry-After) and reports a long one as rateLimited', async () => {
    const channel = standin.addChannel('busy');
    standin.rateLimit(`/channels/${channel.id}/messages`, 0.4);
    const started = Date.now();
    const result = await adapter.post(postTarget(channel), syntheticDigest(1));
    expect(result.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(postRequests(channel.id).map((r) => r.status)).toEqual([429, 200]);

    const slow = standin.addChannel('slow');
    standin.rateLimit(`/channels/${slow.id}/messages`, 90);
    const before = Date.now();
    const limited = await adapter.post(postTarget(slow), syntheticDigest(1));
    expect(Date.now() - before).toBeLessThan(3000);
    expect(limited).toMatchObject({ ok: false, failure: { kind: 'rateLimited' } });
    expect(
      !limited.ok && limited.failure.kind === 'rateLimited' && limited.failure.retryAfterMs,
    ).toBeGreaterThanOrEqual(90_000);
    expect(postRequests(slow.id)).toHaveLength(1);
  });
});

describe('settings commands', () => {
  const newsbrief = (sub: string, options: { name: string; type: number; value: string }[] = []) =>
    standin.command('newsbrief', [{ name: sub, type: SUBCOMMAND, options }]);
  const subscriptions = (channel: StandinChannel) => app.store.subscriptions.list(`discord:${channel.id}`);

  it('refuses a settings command to a member without Manage Server, whatever Discord let through', async () => {
    const channel = standin.addChannel('members');
    const record = standin.interact({
      type: 2,
      channel,
      permissions: P.ViewChannel | P.SendMessages,
      data: newsbrief('subscribe', [{ name: 'topic', type: STRING, value: 'nvidia' }]),
    });
    await until(() => record.callbacks[0]);
    expect(record.callbacks[0]?.data).toMatchObject({
      content: 'Only a manager of this workspace or server can change its digest settings.',
      flags: 64,
    });
    expect(subscriptions(channel)).toEqual([]);
  });

  it('subscribes a channel for a manager, in public, and says which permission the bot lacks elsewhere', async () => {
    const channel = standin.addChannel('managed');
    const ok = standin.interact({
      type: 2,
      channel,
      permissions: P.ManageGuild | P.ViewChannel,
      data: newsbrief('subscribe', [{ name: 'topic', type: STRING, value: 'nvidia' }]),
    });
    await until(() => ok.callbacks[0]);
    expect(ok.callbacks[0]?.data?.content).toBe('Subscribed to NVIDIA.');
    expect(ok.callbacks[0]?.data?.flags ?? 0).toBe(0);
    expect(subscriptions(channel)).toEqual(['nvidia']);

    const locked = standin.addChannel('no-embeds', P.ViewChannel | P.SendMessages);
    const refused = standin.interact({
      type: 2,
      channel: locked,
      locale: 'ko',
      permissions: P.ManageGuild,
      data: newsbrief('schedule', [{ name: 'time', type: STRING, value: '08:30' }]),
    });
    await until(() => refused.callbacks[0]);
    expect(refused.callbacks[0]?.data?.content).toContain('**링크 첨부**');
    expect(refused.callbacks[0]?.data?.flags).toBe(64);
    expect(app.store.destinations.get(`discord:${locked.id}`)?.digestTime ?? null).toBeNull();

    const badTime = standin.interact({
      type: 2,
      channel,
      permissions: P.ManageGuild,
      data: newsbrief('schedule', [{ name: 'time', type: STRING, value: '25:00' }]),
    });
    await until(() => badTime.callbacks[0]);
    expect(badTime.callbacks[0]?.data?.content).toMatch(/^usage: \/news time HH:MM/);
  });

  it('sets the schedule with days and zone, shows the status to the caller, and pauses in public', async () => {
    const channel = standin.addChannel('scheduled');
    const run = async (sub: string, options: { name: string; type: number; value: string }[] = []) => {
      const record = standin.interact({ type: 2, channel, permissions: P.ManageGuild, data: newsbrief(sub, options) });
      await until(() => record.callbacks[0]);
      return record.callbacks[0]?.data;
    };
    const set = await run('schedule', [
      { name: 'time', type: STRING, value: '7:45' },
      { name: 'timezone', type: STRING, value: 'America/New_York' },
      { name: 'days', type: STRING, value: 'mon-fri' },
    ]);
    expect(set?.content).toMatch(/^Digest set for 07:45 \(America\/New\\_York\), /);
    expect(set?.flags ?? 0).toBe(0);
    const stored = app.store.destinations.get(`discord:${channel.id}`);
    expect(stored).toMatchObject({ digestTime: '07:45', timeZone: 'America/New_York', weekdays: [1, 2, 3, 4, 5] });

    const status = await run('status');
    expect(status?.flags).toBe(64);
    expect(status?.content?.split('\n')[0]).toBe('**newsbrief status**');
    expect(status?.content).toContain('07:45');

    const paused = await run('pause');
    expect(paused?.content).toBe('Scheduled digests are paused here. /news resume starts them again.');
    expect(paused?.flags ?? 0).toBe(0);
    expect(app.store.destinations.get(`discord:${channel.id}`)?.enabled).toBe(false);
  });

  it('posts one story to a Korean and an English channel under each one’s own headline, the other second', async () => {
    const run = async (
      channel: StandinChannel,
      sub: string,
      options: { name: string; type: number; value: string }[],
    ) => {
      const record = standin.interact({ type: 2, channel, permissions: P.ManageGuild, data: newsbrief(sub, options) });
      await until(() => record.callbacks[0]);
      return record.callbacks[0]?.data;
    };
    const korean = standin.addChannel('korean');
    const english = standin.addChannel('english');
    const window = { from: new Date('2026-11-19T00:00:00+09:00'), to: SAMPLE_NOW };
    const posted: Record<string, { title: string; description: string }[]> = {};
    const digests: Record<string, Reply> = {};
    for (const [channel, lang] of [
      [korean, 'ko'],
      [english, 'en'],
    ] as const) {
      await run(channel, 'subscribe', [{ name: 'topic', type: STRING, value: 'samsung-electronics' }]);
      const set = await run(channel, 'language', [{ name: 'lang', type: STRING, value: lang }]);
      // told in the caller's language (their Discord locale is English)
      expect(set?.content).toBe(`Digests and notices here are now in ${lang === 'ko' ? 'Korean' : 'English'}.`);
      const reply = await app.engine.digestFor(`discord:${channel.id}`, { window });
      if (reply?.kind !== 'digest') throw new Error('no digest');
      digests[lang] = reply;
      expect((await adapter.post(postTarget(channel), reply)).ok).toBe(true);
      posted[lang] = postsTo(channel)
        .flatMap((m) => m.body.embeds ?? [])
        .map((e) => ({ title: e.title ?? '', description: e.description ?? '' }));
    }
    const ko = digests.ko as Extract<Reply, { kind: 'digest' }>;
    const en = digests.en as Extract<Reply, { kind: 'digest' }>;
    const shared = ko.digest.stories.filter((s) => s.otherTitle !== null);
    expect(shared.length).toBeGreaterThan(0);
    const plainOf = (text: string) => text.replace(/[\\*_`~|]/g, '');
    for (const story of shared) {
      const other = en.digest.stories.find((s) => s.key === story.key);
      if (!other) throw new Error(`no English counterpart of ${story.key}`);
      const inKorean = posted.ko?.find((e) => plainOf(e.title).includes(plainOf(story.title).slice(0, 30)));
      const inEnglish = posted.en?.find((e) => plainOf(e.title).includes(plainOf(other.title).slice(0, 30)));
      expect(inKorean?.description.split('\n')[0]).toBe(`*EN: ${inert(other.title)}*`);
      expect(inEnglish?.description.split('\n')[0]).toBe(`*KO: ${inert(story.title)}*`);
    }
  });

  it('previews the next digest only to the caller, saying when it is posted, and posts nothing', async () => {
    const channel = standin.addChannel('preview');
    const before = standin.messages.length;
    const record = standin.interact({
      type: 2,
      channel,
      locale: 'en-US',
      permissions: P.ManageGuild,
      data: newsbrief('preview'),
    });
    await until(() => record.callbacks[0]);
    const first = record.callbacks[0]?.data;
    expect(first?.flags).toBe(64);
    expect(first?.content?.split('\n')[0]).toMatch(/^\*미리보기 \(나만 보임\): /);
    expect(standin.messages.length).toBe(before);
    expect(app.store.ledger.recent(`discord:${channel.id}`, 5)).toEqual([]);
  });

  it('explains why an article was not posted, its hostile title kept inert', async () => {
    const record = standin.interact({
      type: 2,
      channel: news,
      data: newsbrief('why', [{ name: 'url', type: STRING, value: 'https://hostile.example/zorblat' }]),
    });
    await until(() => record.callbacks[0]);
    const content = record.callbacks[0]?.data?.content ?? '';
    expect(content.split('\n')[0]).toBe('“@\u200beveryone \\<@&123> # Big \\*\\*news\\*\\*” (Hostile Wire)');
    expect(content).toContain('Not posted here');
    expect(record.callbacks[0]?.data?.flags).toBe(64);
  });

  it('turns on a personal alert from the button for anyone', async () => {
    const reader = snowflake();
    const press = standin.interact({
      type: 3,
      channel: news,
      user: reader,
      data: { custom_id: 'nb:fm:nvidia', component_type: 2 },
      message: { id: snowflake(), channel_id: news.id, content: '', flags: 64, type: 20, author: {}, embeds: [] },
    });
    await until(() => press.callbacks[0]);
    expect(press.callbacks[0]?.data).toMatchObject({
      content: expect.stringContaining('Subscribed to NVIDIA. Your own digest of your topics comes by direct message'),
      flags: 64,
    });
    expect(app.store.subscriptions.list(`discord:user:${reader}`)).toEqual(['nvidia']);
  });
});
