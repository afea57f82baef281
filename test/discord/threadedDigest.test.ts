/**
 * A threaded digest on Discord from end to end: a manager turns threads on with `/newsbrief layout` (refused while
 * the bot cannot open threads there), the scheduler posts the parent, opens its thread and posts each story in it
 * through the real discord.js client; a forum channel gets one post, tagged with the stories' topics.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordAdapter } from '../../adapters/discord/discordBot.ts';
import type { SqliteApp } from '../../src/app.ts';
import { DigestScheduler } from '../../src/delivery/digestScheduler.ts';
import { newDestination } from '../../src/engine/destinations.ts';
import { openSampleApp } from '../helpers/sample.ts';
import { BOT_OK, BOT_THREADS, DiscordStandin, memoryLog, P, type StandinChannel, TOKEN, until } from './standin.ts';

const STRING = 3;
const INTEGER = 4;
const SUBCOMMAND = 1;
/** 09:00 in Seoul the day after the sample's last day. */
const DUE = Date.parse('2026-11-27T00:00:30Z');

let dir: string;
let app: SqliteApp;
let standin: DiscordStandin;
let adapter: DiscordAdapter;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'newsbrief-discord-threads-'));
  app = await openSampleApp(dir);
  standin = await new DiscordStandin().start();
  adapter = new DiscordAdapter({ token: TOKEN, apiBase: standin.apiBase, log: memoryLog() });
  await adapter.start(app.engine);
});

afterAll(async () => {
  await adapter?.stop();
  await standin?.close();
  app?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** `/newsbrief <sub> …` from a manager in the channel; the answer's text. */
async function newsbrief(
  channel: StandinChannel,
  sub: string,
  options: { name: string; type: number; value: unknown }[],
) {
  const record = standin.interact({
    type: 2,
    channel,
    permissions: P.ManageGuild,
    locale: 'en-US',
    data: standin.command('newsbrief', [{ name: sub, type: SUBCOMMAND, options }]),
  });
  await until(() => record.callbacks.find((c) => c.type === 4)?.data ?? record.edits[0], 10_000);
  const answer = record.callbacks.find((c) => c.type === 4)?.data ?? record.edits[0];
  return JSON.stringify(answer);
}

function scheduler(clock: { ms: number }) {
  return new DigestScheduler({
    store: app.storage,
    engine: app.engine,
    post: (target, reply) => adapter.post(target, reply),
    openThread: (target, parent, name) => adapter.openThread(target, parent, name),
    defaultTimeZone: 'Asia/Seoul',
    now: () => new Date(clock.ms),
    holder: 'test:discord',
  });
}

describe('a threaded digest on Discord', () => {
  it('refuses threads where the bot cannot open them, naming the permissions', async () => {
    const channel = standin.addChannel('no-threads', BOT_OK);
    const answer = await newsbrief(channel, 'layout', [{ name: 'style', type: STRING, value: 'thread' }]);
    expect(answer).toContain('Create Public Threads');
    expect(answer).toContain('Send Messages in Threads');
    const { key } = newDestination({
      platform: 'discord',
      workspace: standin.guildId,
      channel: channel.id,
      user: null,
    });
    expect(app.store.destinations.get(key)?.digestLayout ?? 'single').toBe('single');
    // one message a digest needs no thread permission
    expect(await newsbrief(channel, 'layout', [{ name: 'style', type: STRING, value: 'single' }])).toContain(
      'Digests here now come as one message.',
    );
  });

  it('posts the parent in the channel, opens its thread and posts each story in it, once', async () => {
    const channel = standin.addChannel('threads', BOT_THREADS);
    await newsbrief(channel, 'schedule', [
      { name: 'time', type: STRING, value: '09:00' },
      { name: 'timezone', type: STRING, value: 'Asia/Seoul' },
    ]);
    expect(await newsbrief(channel, 'layout', [{ name: 'style', type: STRING, value: 'thread' }])).toContain(
      'each story in its thread',
    );
    await newsbrief(channel, 'limit', [
      { name: 'what', type: STRING, value: 'stories' },
      { name: 'count', type: INTEGER, value: 4 },
    ]);
    expect(await newsbrief(channel, 'status', [])).toContain('Layout: a short message, each story in its thread');
    const clock = { ms: DUE };
    const report = await scheduler(clock).tick();
    expect(report).toMatchObject({ sent: 1, failed: 0 });
    const inChannel = standin.messagesIn(channel.id);
    expect(inChannel).toHaveLength(1);
    const thread = standin.threads.find((t) => t.parentId === channel.id);
    expect(thread).toMatchObject({ id: inChannel[0]?.id, kind: 'fromMessage' });
    const replies = standin.messagesIn(thread?.id ?? '');
    expect(replies).toHaveLength(4);
    for (const reply of replies) expect(reply.body.allowed_mentions).toEqual({ parse: [] });
    const { key } = newDestination({
      platform: 'discord',
      workspace: standin.guildId,
      channel: channel.id,
      user: null,
    });
    expect(app.store.ledger.recent(key, 1)[0]).toMatchObject({ state: 'sent', messageId: inChannel[0]?.id });
    clock.ms += 60_000;
    await scheduler(clock).tick();
    expect(standin.messagesIn(channel.id)).toHaveLength(1);
    expect(standin.messagesIn(thread?.id ?? '')).toHaveLength(4);
  });

  it('makes a forum channel’s digest one post, tagged with its stories’ topics, the stories inside', async () => {
    const forum = standin.addForum('news-forum', ['NVIDIA', 'Samsung Electronics', 'Weather'], BOT_THREADS);
    const record = newDestination({ platform: 'discord', workspace: standin.guildId, channel: forum.id, user: null });
    app.store.destinations.ensure({ ...record, digestTime: '09:00', timeZone: 'Asia/Seoul', lang: 'en' });
    app.store.destinations.update(record.key, { digestLayout: 'thread', storyLimit: 25 });
    const clock = { ms: DUE };
    await scheduler(clock).tick();
    const post = standin.threads.find((t) => t.parentId === forum.id);
    expect(post).toMatchObject({ kind: 'forumPost', name: 'Tech news 2026-11-26' });
    const tags = post?.appliedTags ?? [];
    expect(tags.length).toBeGreaterThan(0);
    expect(tags).not.toContain(standin.tagId(forum, 'Weather'));
    const messages = standin.messagesIn(post?.id ?? '');
    const entry = app.store.ledger.recent(record.key, 1)[0];
    // the starter message, then one reply per story
    expect(messages).toHaveLength(1 + (entry?.storyKeys.length ?? 0));
    expect(entry).toMatchObject({ state: 'sent', messageId: post?.id });
    expect(standin.messagesIn(forum.id).filter((m) => m.id !== post?.id)).toHaveLength(0);
  });
});
