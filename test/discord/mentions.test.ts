import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordAdapter } from '../../adapters/discord/discordBot.ts';
import type { SqliteApp } from '../../src/app.ts';
import { DigestScheduler } from '../../src/delivery/digestScheduler.ts';
import { openSampleApp, SAMPLE_NOW } from '../helpers/sample.ts';
import { DiscordStandin, memoryLog, P, type StandinChannel, snowflake, TOKEN, until } from './standin.ts';

const STRING = 3;
const ROLE = 8;
const SUBCOMMAND = 1;
const HOSTILE = '@everyone Samsung Electronics ships HBM4 <@&111111111111111111> to [everyone](https://evil.example)';

let dir: string;
let app: SqliteApp;
let standin: DiscordStandin;
let adapter: DiscordAdapter;
let articleIds: number[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'newsbrief-mentions-'));
  app = await openSampleApp(dir);
  standin = await new DiscordStandin().start();
  adapter = new DiscordAdapter({ token: TOKEN, apiBase: standin.apiBase, log: memoryLog() });
  await adapter.start(app.engine);
  const feed = join(dir, 'breaking.rss.xml');
  const when = new Date(SAMPLE_NOW.getTime() - 3_600_000).toUTCString();
  writeFileSync(
    feed,
    `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>@here Wire</title>
<link>https://breaking.example/</link><item><title>${HOSTILE.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</title>
<link>https://breaking.example/hbm4</link><pubDate>${when}</pubDate>
<description>Samsung Electronics said on Thursday it had started shipping its zorblat HBM4 memory chips to a large customer, months ahead of rivals.</description>
</item></channel></rss>`,
  );
  await app.ingestor.ingestPaths([feed]);
  await app.ingestor.indexPendingStories();
  articleIds = app.store.articles
    .listPublishedBetween(new Date(SAMPLE_NOW.getTime() - 2 * 3_600_000).toISOString(), SAMPLE_NOW.toISOString())
    .filter((a) => a.url === 'https://breaking.example/hbm4')
    .map((a) => a.id);
});

afterAll(async () => {
  await adapter?.stop();
  await standin?.close();
  app?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function settings(
  channel: StandinChannel,
  sub: string,
  options: { name: string; type: number; value: string }[],
) {
  const record = standin.interact({
    type: 2,
    channel,
    permissions: P.ManageGuild,
    data: standin.command('newsbrief', [{ name: sub, type: SUBCOMMAND, options }]),
  });
  await until(() => record.callbacks.find((c) => c.type === 4)?.data ?? record.edits[0], 10_000);
  return record.callbacks.find((c) => c.type === 4)?.data ?? record.edits[0];
}

describe('a mention when a watched story breaks', () => {
  it('pings only the role a manager attached, once per story, while the article’s own mentions stay inert', async () => {
    expect(articleIds).toHaveLength(1);
    const watched = standin.addChannel('memory-news');
    const quiet = standin.addChannel('general-news');
    const role = snowflake();
    const set = await settings(watched, 'subscribe', [
      { name: 'topic', type: STRING, value: 'samsung-electronics' },
      { name: 'notify', type: ROLE, value: role },
    ]);
    expect(set?.content).toContain(`now notifies the role ${role} here, once per story`);
    // a channel subscribed to the topic without a mention, alerts off: it waits for its digest
    await settings(quiet, 'subscribe', [{ name: 'topic', type: STRING, value: 'samsung-electronics' }]);

    const listed = await settings(watched, 'subscriptions', []);
    expect(listed?.content).toContain(`A new story on `);
    expect(listed?.content).toContain(`notifies the role ${role}`);

    const scheduler = new DigestScheduler({
      store: app.storage,
      engine: app.engine,
      post: (target, reply) => adapter.post(target, reply),
      defaultTimeZone: 'Asia/Seoul',
      // daytime in Seoul, outside the default quiet hours
      now: () => new Date(SAMPLE_NOW.getTime() - 10 * 3_600_000),
      holder: 'mentions-test',
      alerts: { quietHours: null, dailyCap: 10 },
    });
    const before = standin.messages.length;
    for (let i = 0; i < 3; i++) {
      scheduler.noteNewArticles(articleIds);
      await scheduler.tick();
    }
    const posted = standin.messages.slice(before);
    const toWatched = posted.filter((m) => m.channelId === watched.id);
    expect(toWatched).toHaveLength(1);
    expect(posted.filter((m) => m.channelId === quiet.id)).toHaveLength(0);
    const alert = toWatched[0]?.body;
    expect(alert?.content?.startsWith(`<@&${role}> `)).toBe(true);
    expect(alert?.allowed_mentions).toEqual({ parse: [], roles: [role] });
    // the article's @everyone and role mention never reach the content, the only part of a message that pings;
    // in the embed's title (which Discord neither formats nor pings from) @everyone is broken anyway
    const mentions = alert?.content?.match(/<@&\d+>/g) ?? [];
    expect(mentions).toEqual([`<@&${role}>`]);
    expect(alert?.content).not.toMatch(/@everyone|@here|evil\.example/);
    expect(alert?.embeds?.[0]?.title ?? '').toContain('@\u200beveryone');
  });

  it('stops notifying once the mention is taken off, and refuses a role in a direct message', async () => {
    const channel = standin.addChannel('memory-two');
    const role = snowflake();
    await settings(channel, 'subscribe', [
      { name: 'topic', type: STRING, value: 'samsung-electronics' },
      { name: 'notify', type: ROLE, value: role },
    ]);
    expect(app.store.subscriptions.notifications(`discord:${channel.id}`).get('samsung-electronics')).toEqual({
      kind: 'role',
      id: role,
    });
    const discordChannel = { platform: 'discord', workspace: standin.guildId, channel: channel.id, user: 'u1' };
    const discordDm = { platform: 'discord', workspace: null, channel: null, user: 'u2' };
    const slackChannel = { platform: 'slack', workspace: 'T1', channel: 'C1', user: 'U1' };
    const say = (where: typeof discordChannel | typeof discordDm, text: string, isManager = true) =>
      app.engine.handle({ ...where, locale: 'en-US', isManager, text });
    expect(await say(discordChannel, 'subscribe samsung-electronics notify:off')).toMatchObject({
      notice: { code: 'notifyCleared' },
    });
    expect(app.store.subscriptions.notifications(`discord:${channel.id}`).size).toBe(0);
    expect(await say(discordDm, `subscribe samsung-electronics notify:<@&${role}>`)).toMatchObject({
      notice: { code: 'notifyChannelsOnly' },
    });
    // a role is Discord's; Slack names user groups and @here
    expect(await say(slackChannel, `subscribe samsung-electronics notify:<@&${role}>`)).toMatchObject({
      notice: { code: 'usageNotify' },
    });
    expect(
      await say(slackChannel, 'subscribe samsung-electronics notify:<!subteam^S0MEMORY|@memory-team>'),
    ).toMatchObject({
      notice: { code: 'notifySet', params: { who: { kind: 'group', id: 'S0MEMORY' } } },
    });
    expect(
      await say({ ...slackChannel, user: 'U2' }, 'subscribe samsung-electronics notify:@here', false),
    ).toMatchObject({
      notice: { code: 'needsManager' },
    });
    expect(app.store.subscriptions.notifications('slack:C1').get('samsung-electronics')).toEqual({
      kind: 'group',
      id: 'S0MEMORY',
    });
  });
});
