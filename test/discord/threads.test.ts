/**
 * Threaded digests on Discord (issue 18), through the real discord.js client against the stand-in: a parent
 * message in a text channel with a public thread started from it, or a forum post with tags; one reply per story.
 */
import { PermissionsBitField } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordAdapter, forumTags } from '../../adapters/discord/discordBot.ts';
import { missingPermissions } from '../../adapters/discord/interactions.ts';
import { renderReply } from '../../adapters/discord/render.ts';
import type { ReplyOf } from '../../src/commands/reply.ts';
import type { DigestStory } from '../../src/digest/digest.ts';
import { threadPartsOf as threaded } from '../../src/digest/threadParts.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { createLogger } from '../../src/ops/logger.ts';
import { discordTexts, liveDiscordMarkup } from '../security/markup.ts';
import { syntheticDigest } from './replies.ts';
import {
  BOT_OK,
  BOT_THREADS,
  channelTarget,
  DiscordStandin,
  limitErrors,
  type MessageBody,
  P,
  type StandinChannel,
  TOKEN,
} from './standin.ts';

const postTarget = (channel: StandinChannel) => channelTarget(standin, channel);

/** The window of `syntheticDigest` ends 2026-11-26 23:59:59 in Seoul. */
const THREAD_NAME = 'Tech news 2026-11-26';
const HOSTILE = '@everyone <@&123456789012345678> x](https://evil.example/x) [evillink](https://evil.example/x)';

let standin: DiscordStandin;
let adapter: DiscordAdapter;
/** The adapter's log lines, through the real logger (so the suite's secret scan reads them too). */
const logs: Record<string, unknown>[] = [];

function newAdapter(): DiscordAdapter {
  const log = createLogger({
    destination: { write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) },
    pretty: false,
    level: 'info',
  });
  return new DiscordAdapter({ token: TOKEN, apiBase: standin.apiBase, log });
}

beforeAll(async () => {
  standin = await new DiscordStandin().start();
  adapter = newAdapter();
  // these tests only post: no command reaches the engine
  await adapter.start({} as Engine);
});

afterAll(async () => {
  await adapter?.stop();
  await standin?.close();
});

const digestOf = (count: number, options: Parameters<typeof syntheticDigest>[1] = {}) =>
  syntheticDigest(count, options) as ReplyOf<'digest'>;

/** A digest whose stories have these topics (and the names given). */
function withTopics(topics: string[][], topicNames: Record<string, string>): ReplyOf<'digest'> {
  const reply = digestOf(topics.length);
  const stories = reply.digest.stories.map((s, i) => ({ ...s, topics: topics[i] as string[] }));
  return { ...reply, topicNames, digest: { ...reply.digest, stories } };
}

const requestsTo = (method: string, path: string) =>
  standin.requests.filter((r) => r.method === method && r.path === path);

/**
 * Where the masked links in a text point, read as Discord does: an unescaped `[`, the next unescaped `]`, then
 * `(target)` right after it.
 */
function linkTargets(text: string): string[] {
  const targets: string[] = [];
  const unescaped = (i: number) => {
    let n = 0;
    for (let j = i - 1; j >= 0 && text[j] === '\\'; j--) n++;
    return n % 2 === 0;
  };
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '[' || !unescaped(i)) continue;
    let close = i + 1;
    while (close < text.length && !(text[close] === ']' && unescaped(close))) close++;
    if (text[close + 1] !== '(') continue;
    const end = text.indexOf(')', close + 2);
    targets.push(text.slice(close + 2, end < 0 ? undefined : end));
    i = close;
  }
  return targets;
}

function expectInert(body: MessageBody | undefined) {
  expect(body?.allowed_mentions).toEqual({ parse: [] });
  for (const text of discordTexts(body ?? {})) {
    expect(liveDiscordMarkup(text), text).toEqual([]);
    for (const target of linkTargets(text)) expect(target).toMatch(/^https:\/\/example\.com\//);
  }
}

describe('a threaded digest in a text channel', () => {
  it('posts one parent in the channel and each story in the thread started from it', async () => {
    const channel = standin.addChannel('threaded', BOT_THREADS);
    const target = postTarget(channel);
    const { parent, stories } = threaded(digestOf(3));

    const posted = await adapter.post(target, parent);
    if (!posted.ok) throw new Error(`parent not posted: ${posted.failure.detail}`);
    const inChannel = standin.messagesIn(channel.id);
    expect(inChannel.map((m) => m.id)).toEqual([posted.messageId]);
    const body = inChannel[0]?.body;
    expect(body?.content).toBe(
      '**Tech news digest** · 2026-11-26 · 3 stories from 3 articles\nEach story is in the thread below.',
    );
    expect(body?.embeds?.[0]?.description).toBe(
      [
        '1. [Story 0](https://example.com/0/0)',
        '2. [Story 1](https://example.com/1/0)',
        '3. [Story 2](https://example.com/2/0)',
      ].join('\n'),
    );
    expect(body?.allowed_mentions).toEqual({ parse: [] });

    const opened = await adapter.openThread(target, posted.messageId, THREAD_NAME);
    // a thread started from a message has the message's id
    expect(opened).toEqual({ ok: true, threadId: posted.messageId });
    expect(standin.threads.filter((t) => t.parentId === channel.id)).toEqual([
      {
        id: posted.messageId,
        parentId: channel.id,
        name: THREAD_NAME,
        kind: 'fromMessage',
        autoArchiveDuration: 1440,
        appliedTags: [],
      },
    ]);

    for (const story of stories) {
      const result = await adapter.post({ ...target, thread: posted.messageId }, story);
      expect(result.ok).toBe(true);
    }
    const inThread = standin.messagesIn(posted.messageId);
    expect(inThread).toHaveLength(3);
    expect(inThread.map((m) => m.body.embeds?.[0]?.title)).toEqual(['1. Story 0', '2. Story 1', '3. Story 2']);
    expect(inThread.map((m) => m.body.embeds?.[0]?.footer?.text)).toEqual([
      '1/3 · NVIDIA',
      '2/3 · NVIDIA',
      '3/3 · NVIDIA',
    ]);
    expect(inThread.map((m) => m.body.embeds?.[0]?.url)).toEqual([
      'https://example.com/0/0',
      'https://example.com/1/0',
      'https://example.com/2/0',
    ]);
    // nothing more landed in the channel, and the channel was asked its type once
    expect(standin.messagesIn(channel.id)).toHaveLength(1);
    expect(requestsTo('GET', `/channels/${channel.id}`)).toHaveLength(1);
  });

  it('the story reply carries the one-message digest’s embed, with its place added to the footer', () => {
    const reply = digestOf(2);
    const [, second] = threaded(reply).stories;
    const single = renderReply(reply, { inGuild: false, isManager: false, buttons: false, pageId: () => '' });
    // the one-message digest: a section heading, then the two stories
    const singleEmbed = single[0]?.embeds[2];
    const [threadMessage] = renderReply(second as ReplyOf<'digestStory'>, {
      inGuild: false,
      isManager: false,
      buttons: false,
      pageId: () => '',
    });
    expect(threadMessage?.embeds).toHaveLength(1);
    expect(threadMessage?.embeds[0]).toEqual({
      ...singleEmbed,
      footer: { text: `2/2 · ${singleEmbed?.footer?.text}` },
    });
  });

  it('opening the thread again, after a restart too, gives the same thread (Discord answers 160004)', async () => {
    const channel = standin.addChannel('reopened', BOT_THREADS);
    const target = postTarget(channel);
    const { parent, stories } = threaded(digestOf(3));
    const posted = await adapter.post(target, parent);
    if (!posted.ok) throw new Error('parent not posted');
    const route = `/channels/${channel.id}/messages/${posted.messageId}/threads`;

    expect(await adapter.openThread(target, posted.messageId, THREAD_NAME)).toEqual({
      ok: true,
      threadId: posted.messageId,
    });
    expect(await adapter.openThread(target, posted.messageId, THREAD_NAME)).toEqual({
      ok: true,
      threadId: posted.messageId,
    });
    await adapter.post({ ...target, thread: posted.messageId }, stories[0] as ReplyOf<'digestStory'>);

    // a new process: it knows nothing of the channel, opens the same thread and posts the rest in it
    const restarted = newAdapter();
    await restarted.start({} as Engine);
    try {
      expect(await restarted.openThread(target, posted.messageId, THREAD_NAME)).toEqual({
        ok: true,
        threadId: posted.messageId,
      });
      for (const story of stories.slice(1)) {
        expect((await restarted.post({ ...target, thread: posted.messageId }, story)).ok).toBe(true);
      }
    } finally {
      await restarted.stop();
    }
    expect(requestsTo('POST', route).map((r) => r.status)).toEqual([201, 400, 400]);
    expect(standin.threads.filter((t) => t.parentId === channel.id)).toHaveLength(1);
    expect(standin.messagesIn(posted.messageId).map((m) => m.body.embeds?.[0]?.title)).toEqual([
      '1. Story 0',
      '2. Story 1',
      '3. Story 2',
    ]);
    expect(standin.messagesIn(channel.id)).toHaveLength(1);
  });

  it('cuts a thread name over 100 characters', async () => {
    const channel = standin.addChannel('long-name', BOT_THREADS);
    const posted = await adapter.post(postTarget(channel), threaded(digestOf(1)).parent);
    if (!posted.ok) throw new Error('parent not posted');
    const opened = await adapter.openThread(postTarget(channel), posted.messageId, `  ${'뉴스🚀'.repeat(80)}  `);
    expect(opened).toEqual({ ok: true, threadId: posted.messageId });
    const name = standin.threads.find((t) => t.id === posted.messageId)?.name ?? '';
    expect(Array.from(name)).toHaveLength(100);
    expect(name.endsWith('…')).toBe(true);
  });
});

describe('a threaded digest in a forum channel', () => {
  it('is one forum post named after the day, tagged by the stories’ topics, with the stories in its thread', async () => {
    const forum = standin.addForum(
      'news-forum',
      [' nvidia ', 'Samsung-Electronics', 'AI', 'Unused', 'apple', 'MEMORY', 'TSMC', 'Intel'],
      BOT_THREADS,
    );
    const target = postTarget(forum);
    const reply = withTopics(
      [
        ['nvidia', 'ai'],
        ['samsung-electronics', 'nvidia'],
        ['apple', 'memory', 'tsmc', 'intel'],
      ],
      {
        nvidia: 'NVIDIA',
        ai: 'AI',
        'samsung-electronics': 'Samsung Electronics',
        apple: ' Apple ',
        memory: 'Memory',
        tsmc: 'TSMC',
        intel: 'Intel',
      },
    );
    const { parent, stories } = threaded(reply);

    const posted = await adapter.post(target, parent);
    if (!posted.ok) throw new Error(`forum post failed: ${posted.failure.detail}`);
    const tag = (name: string) => standin.tagId(forum, name);
    expect(standin.threads.filter((t) => t.parentId === forum.id)).toEqual([
      {
        id: posted.messageId,
        parentId: forum.id,
        name: THREAD_NAME,
        kind: 'forumPost',
        autoArchiveDuration: 1440,
        // the stories' order, each tag once, five at most: TSMC and Intel are left out
        appliedTags: [tag(' nvidia '), tag('AI'), tag('Samsung-Electronics'), tag('apple'), tag('MEMORY')],
      },
    ]);
    // the post's first message is the parent, with the post's id, in the post's thread
    const starter = standin.messagesIn(posted.messageId);
    expect(starter.map((m) => m.id)).toEqual([posted.messageId]);
    expect(starter[0]?.body.content).toBe(
      '**Tech news digest** · 2026-11-26 · 3 stories from 3 articles\nEach story is in the thread below.',
    );
    expect(starter[0]?.body.allowed_mentions).toEqual({ parse: [] });

    // the post is the thread: nothing more is created
    const opened = await adapter.openThread(target, posted.messageId, THREAD_NAME);
    expect(opened).toEqual({ ok: true, threadId: posted.messageId });
    for (const story of stories) {
      expect((await adapter.post({ ...target, thread: posted.messageId }, story)).ok).toBe(true);
    }
    expect(standin.messagesIn(posted.messageId).map((m) => m.body.embeds?.[0]?.title)).toEqual([
      undefined,
      '1. Story 0',
      '2. Story 1',
      '3. Story 2',
    ]);
    expect(requestsTo('POST', `/channels/${forum.id}/threads`).map((r) => r.status)).toEqual([201]);
    expect(requestsTo('POST', `/channels/${forum.id}/messages`)).toHaveLength(0);
    expect(standin.requests.filter((r) => r.path.startsWith(`/channels/${forum.id}/messages/`))).toHaveLength(0);
    expect(standin.messagesIn(forum.id)).toHaveLength(0);
    expect(requestsTo('GET', `/channels/${forum.id}`)).toHaveLength(1);
  });

  it('applies no tag when none matches, and only the forum’s own tag ids', async () => {
    const forum = standin.addForum('plain-forum', ['Weather'], BOT_THREADS);
    const posted = await adapter.post(postTarget(forum), threaded(digestOf(2)).parent);
    expect(posted.ok).toBe(true);
    expect(standin.threads.find((t) => t.parentId === forum.id)?.appliedTags).toEqual([]);

    const tags = [
      { id: '1', name: 'NVIDIA', moderated: false },
      { id: '2', name: 'nvidia', moderated: false },
      { id: '3', name: 'Mod only', moderated: true },
    ];
    const reply = withTopics([['nvidia', 'mod'], ['unknown']], { nvidia: 'NVIDIA', mod: 'Mod only' });
    // one tag per name (the first), moderated tags left out, unknown topics ignored
    expect(forumTags(tags, reply)).toEqual(['1']);
  });

  it('refuses a message straight into a forum (50008) and a tag the forum does not have (50035)', async () => {
    const forum = standin.addForum('strict-forum', ['NVIDIA'], BOT_THREADS);
    const { stories } = threaded(digestOf(1));
    const direct = await adapter.post(postTarget(forum), stories[0] as ReplyOf<'digestStory'>);
    expect(direct).toMatchObject({ ok: false, failure: { kind: 'forbidden' } });
    expect(!direct.ok && direct.failure.detail).toContain('50008');

    const response = await fetch(`${standin.apiBase}/v10/channels/${forum.id}/threads`, {
      method: 'POST',
      headers: { authorization: `Bot ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', applied_tags: ['123456789012345678'], message: { content: 'x' } }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: number }).code).toBe(50035);
    expect(standin.threads.filter((t) => t.parentId === forum.id)).toHaveLength(0);
  });
});

describe('limits and mentions', () => {
  it('keeps a digest with absurdly long titles and summaries within every limit, parent and replies', async () => {
    const channel = standin.addChannel('long', BOT_THREADS);
    const target = postTarget(channel);
    const { parent, stories } = threaded(digestOf(12, { long: true }));
    const posted = await adapter.post(target, parent);
    if (!posted.ok) throw new Error(`parent not posted: ${posted.failure.detail}`);
    const opened = await adapter.openThread(target, posted.messageId, THREAD_NAME);
    expect(opened.ok).toBe(true);
    for (const story of stories) {
      const result = await adapter.post({ ...target, thread: posted.messageId }, story);
      expect(result.ok).toBe(true);
    }
    const [head] = standin.messagesIn(channel.id);
    expect(limitErrors(head?.body ?? {})).toEqual([]);
    const lines = head?.body.embeds?.[0]?.description?.split('\n') ?? [];
    // the first ten of twelve, each cut and linked to its lead
    expect(lines).toHaveLength(10);
    lines.forEach((line, i) => {
      expect(line.startsWith(`${i + 1}. [Story ${i} `)).toBe(true);
      expect(line.endsWith(`…](https://example.com/${i}/0)`)).toBe(true);
    });
    const inThread = standin.messagesIn(posted.messageId);
    expect(inThread).toHaveLength(12);
    for (const [i, message] of inThread.entries()) {
      expect(limitErrors(message.body)).toEqual([]);
      expect(message.body.embeds).toHaveLength(1);
      expect(message.body.embeds?.[0]?.footer?.text.startsWith(`${i + 1}/12 · NVIDIA`)).toBe(true);
    }
  });

  it('fits the parent’s headlines in one embed whatever their links: a link that does not fit is left off', () => {
    const reply = digestOf(10, { title: (i) => `Title ${i} ${'x'.repeat(400)}` });
    const stories = reply.digest.stories.map((s, i) => ({
      ...s,
      articles: [
        {
          ...(s.articles[0] as DigestStory['articles'][number]),
          url: `https://example.com/${i}/${'p'.repeat(i < 5 ? 250 : 400)}`,
        },
      ],
    }));
    const { parent } = threaded({ ...reply, digest: { ...reply.digest, stories } });
    const [message] = renderReply(parent, { inGuild: false, isManager: false, buttons: false, pageId: () => '' });
    expect(message ? limitErrors({ content: message.content, embeds: message.embeds }) : ['none']).toEqual([]);
    const lines = message?.embeds[0]?.description?.split('\n') ?? [];
    expect(lines.map((l) => /^(\d+)\. /.exec(l)?.[1])).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    // links over 300 characters are left off; the first five fit with theirs
    expect(lines.map((l) => l.includes('](https://example.com/'))).toEqual([
      ...Array(5).fill(true),
      ...Array(5).fill(false),
    ]);
  });

  it('pings nobody from a story titled @everyone <@&…> with a masked-link trick, parent or reply', async () => {
    const forum = standin.addForum('hostile-forum', ['NVIDIA'], BOT_THREADS);
    const channel = standin.addChannel('hostile-thread', BOT_THREADS);
    const reply = digestOf(2, { title: () => HOSTILE });
    const stories = reply.digest.stories.map((s) => ({
      ...s,
      summary: [HOSTILE],
      articles: s.articles.map((a) => ({ ...a, source: 'Wire x](https://evil.example/y) z' })),
    }));
    const parts = threaded({ ...reply, digest: { ...reply.digest, stories } });
    for (const destination of [channel, forum]) {
      const target = postTarget(destination);
      const posted = await adapter.post(target, parts.parent);
      if (!posted.ok) throw new Error(`parent not posted: ${posted.failure.detail}`);
      const opened = await adapter.openThread(target, posted.messageId, THREAD_NAME);
      if (!opened.ok) throw new Error('thread not opened');
      for (const story of parts.stories) {
        expect((await adapter.post({ ...target, thread: opened.threadId }, story)).ok).toBe(true);
      }
      const sent = [...standin.messagesIn(destination.id), ...standin.messagesIn(opened.threadId)];
      expect(sent).toHaveLength(3);
      for (const message of sent) expectInert(message.body);
      const parentText = sent[0]?.body.embeds?.[0]?.description ?? '';
      expect(parentText).toContain('@\u200beveryone \\<@&123456789012345678> x\\](https://evil.example/x)');
      expect(linkTargets(parentText)).toEqual(['https://example.com/0/0', 'https://example.com/1/0']);
      expect(sent[1]?.body.embeds?.[0]?.title).toContain('@\u200beveryone \\<@&123456789012345678>');
    }
  });
});

describe('permissions', () => {
  it('reports a channel without Create Public Threads as forbidden, and one without Send Messages in Threads', async () => {
    const noThreads = standin.addChannel('no-threads', BOT_OK);
    const target = postTarget(noThreads);
    const { parent, stories } = threaded(digestOf(2));
    const posted = await adapter.post(target, parent);
    if (!posted.ok) throw new Error('parent not posted');
    const opened = await adapter.openThread(target, posted.messageId, THREAD_NAME);
    expect(opened).toMatchObject({ ok: false, failure: { kind: 'forbidden' } });
    expect(!opened.ok && opened.failure.detail).toContain('50013');
    expect(requestsTo('POST', `/channels/${noThreads.id}/messages/${posted.messageId}/threads`)).toHaveLength(1);
    expect(standin.threads.filter((t) => t.parentId === noThreads.id)).toHaveLength(0);

    const cannotReply = standin.addChannel('no-replies', BOT_OK | P.CreatePublicThreads);
    const second = postTarget(cannotReply);
    const head = await adapter.post(second, parent);
    if (!head.ok) throw new Error('parent not posted');
    const thread = await adapter.openThread(second, head.messageId, THREAD_NAME);
    expect(thread).toEqual({ ok: true, threadId: head.messageId });
    const story = await adapter.post({ ...second, thread: head.messageId }, stories[0] as ReplyOf<'digestStory'>);
    expect(story).toMatchObject({ ok: false, failure: { kind: 'forbidden' } });
    expect(!story.ok && story.failure.detail).toContain('50013');
    expect(standin.messagesIn(head.messageId)).toHaveLength(0);
    expect(logs.some((l) => l.msg === 'thread not opened' && l.outcome === 'forbidden')).toBe(true);
  });

  it('a deleted parent message or thread is not the channel gone: transient, so the channel is not paused', async () => {
    const channel = standin.addChannel('deleted-parent', BOT_THREADS);
    const target = postTarget(channel);
    const opened = await adapter.openThread(target, '123456789012345678', THREAD_NAME);
    expect(opened).toMatchObject({ ok: false, failure: { kind: 'transient' } });
    expect(!opened.ok && opened.failure.detail).toContain('10008');

    const { stories } = threaded(digestOf(1));
    const inGone = await adapter.post(
      { ...target, thread: '123456789012345679' },
      stories[0] as ReplyOf<'digestStory'>,
    );
    expect(inGone).toMatchObject({ ok: false, failure: { kind: 'transient' } });
    expect(!inGone.ok && inGone.failure.detail).toContain('10003');
  });

  it('set-up still accepts a channel with the three permissions a one-message digest needs', () => {
    expect(missingPermissions(new PermissionsBitField(BOT_OK))).toEqual([]);
    // the two a thread needs are the ones the stand-in checks (Create Public Threads, Send Messages in Threads)
    expect(BOT_THREADS & ~BOT_OK).toBe((1n << 35n) | (1n << 38n));
  });
});
