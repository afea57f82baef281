import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteApp } from '../../src/app.ts';
import { openApp } from '../../src/app.ts';
import type { Reply } from '../../src/commands/reply.ts';
import { ConfigError } from '../../src/config/config.ts';
import { applyConfiguredChannels } from '../../src/engine/configuredChannels.ts';
import type { CommandEvent } from '../../src/engine/engine.ts';
import type { EngineRequest } from '../../src/engine/request.ts';
import { messages, renderNotice } from '../../src/messages/catalog.ts';
import { statusLines, whyLines } from '../../src/messages/replyText.ts';
import { parseQuery } from '../../src/search/query.ts';
import { searchArchive } from '../../src/search/search.ts';
import { openSampleApp } from '../helpers/sample.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();
let app: SqliteApp;
beforeAll(async () => {
  app = await openSampleApp(tempDir());
});
afterAll(() => app.close());

const member: Omit<EngineRequest, 'text'> = {
  platform: 'slack',
  workspace: 'T1',
  channel: 'C1',
  user: 'U1',
  locale: null,
  isManager: false,
};

function noticeCode(reply: Reply): string | null {
  return reply.kind === 'notice' ? reply.notice.code : null;
}

describe('Engine.handle', () => {
  it('takes /news text, a bare line and a parsed command alike, and refuses other slash commands', async () => {
    const slash = await app.engine.handle({ ...member, text: '/news nvidia' });
    const bare = await app.engine.handle({ ...member, text: 'nvidia' });
    const parsed = await app.engine.handle({ ...member, command: { kind: 'search', query: 'nvidia' } });
    expect(slash.kind).toBe('search');
    for (const reply of [bare, parsed]) expect(reply).toEqual(slash);
    expect(noticeCode(await app.engine.handle({ ...member, text: '/weather' }))).toBe('unknownCommand');
    expect(noticeCode(await app.engine.handle({ ...member, text: '/news subscribe' }))).toBe('usageSubscribe');
  });

  it('lets only managers change a channel’s settings, and anyone search', async () => {
    const refused = await app.engine.handle({ ...member, text: '/news subscribe nvidia' });
    expect(noticeCode(refused)).toBe('needsManager');
    expect(app.store.subscriptions.list('slack:C1')).toEqual([]);
    expect(noticeCode(await app.engine.handle({ ...member, text: '/news time 07:00' }))).toBe('needsManager');
    const done = await app.engine.handle({ ...member, isManager: true, text: '/news subscribe nvidia' });
    expect(noticeCode(done)).toBe('subscribed');
    expect(app.store.subscriptions.list('slack:C1')).toEqual(['nvidia']);
    expect((await app.engine.handle({ ...member, text: '/news topics' })).kind).toBe('topics');
  });

  it('never lets one workspace read or change another’s channel', async () => {
    await app.engine.handle({ ...member, channel: 'C9', isManager: true, text: '/news subscribe naver' });
    const intruder = { ...member, workspace: 'T2', channel: 'C9', isManager: true };
    expect(noticeCode(await app.engine.handle({ ...intruder, text: '/news topics' }))).toBe('notHere');
    expect(noticeCode(await app.engine.handle({ ...intruder, text: '/news unsubscribe naver' }))).toBe('notHere');
    expect(app.store.subscriptions.list('slack:C9')).toEqual(['naver']);
    expect(app.store.destinations.get('slack:C9')?.workspace).toBe('T1');
  });

  it('answers in the caller’s locale, else the destination’s language, with its zone', async () => {
    const korean = await app.engine.handle({ ...member, channel: 'C3', text: 'help' });
    expect(korean.lang).toBe('ko');
    expect(korean.timeZone).toBe('Asia/Seoul');
    const english = await app.engine.handle({ ...member, channel: 'C3', locale: 'en-US', text: 'help' });
    expect(english.lang).toBe('en');
    await app.engine.handle({ ...member, channel: 'C4', isManager: true, text: '/news time 07:30 Europe/Berlin' });
    expect(app.store.destinations.get('slack:C4')).toMatchObject({ digestTime: '07:30', timeZone: 'Europe/Berlin' });
    expect((await app.engine.handle({ ...member, channel: 'C4', text: 'help' })).timeZone).toBe('Europe/Berlin');
  });

  it('gives a person their own destination in a direct message, with a personal digest of their topics', async () => {
    const person = { ...member, workspace: null, channel: null, user: 'U7', isManager: true };
    const first = await app.engine.handle({ ...person, text: 'subscribe openai' });
    expect(first).toMatchObject({
      notice: { code: 'subscribedPersonal', params: { time: '09:00', zone: 'Asia/Seoul' } },
    });
    expect(app.store.destinations.get('slack:user:U7')).toMatchObject({
      kind: 'person',
      user: 'U7',
      channel: null,
      digestTime: '09:00',
    });
    expect(app.store.subscriptions.list('slack:user:U7')).toEqual(['openai']);
    // a time of their own stays theirs
    await app.engine.handle({ ...person, text: 'time 07:15 Europe/Berlin' });
    const second = await app.engine.handle({ ...person, text: 'subscribe nvidia' });
    expect(second).toMatchObject({ notice: { code: 'subscribed' } });
    expect(app.store.destinations.get('slack:user:U7')).toMatchObject({
      digestTime: '07:15',
      timeZone: 'Europe/Berlin',
    });
    // a channel's subscription sets no schedule
    await app.engine.handle({ ...member, channel: 'C8', isManager: true, text: 'subscribe openai' });
    expect(app.store.destinations.get('slack:C8')?.digestTime).toBeNull();
  });
});

describe('saved searches', () => {
  it('saves a query as a subscription whose stories make the digest, and never a misspelt word', async () => {
    const manager = { ...member, channel: 'C40', isManager: true, locale: 'en' };
    const saved = await app.engine.handle({ ...manager, text: '/news subscribe hbm -samsung' });
    expect(saved).toMatchObject({ notice: { code: 'subscribedQuery', params: { query: 'hbm -samsung' } } });
    expect(noticeCode(await app.engine.handle({ ...manager, text: '/news subscribe hbm   -samsung' }))).toBe(
      'alreadySubscribedQuery',
    );
    expect(noticeCode(await app.engine.handle({ ...manager, text: '/news subscribe nvidai' }))).toBe('noSuchTopic');
    expect(app.store.subscriptions.queries('slack:C40')).toEqual(['hbm -samsung']);
    const topics = await app.engine.handle({ ...manager, text: 'subscriptions' });
    expect(topics).toMatchObject({ kind: 'topics', queries: ['hbm -samsung'] });

    const window = { from: new Date('2026-11-20T00:00:00Z'), to: new Date('2026-11-27T00:00:00Z') };
    const digest = await app.engine.digestFor('slack:C40', { window });
    if (digest?.kind !== 'digest') throw new Error('no digest');
    expect(digest.digest.stories.length).toBeGreaterThan(0);
    await app.engine.handle({ ...member, channel: 'C41', text: 'help' });
    const everything = await app.engine.digestFor('slack:C41', { window });
    if (everything?.kind !== 'digest') throw new Error('expected a digest');
    // fewer stories than the whole window's, each about HBM
    expect(digest.digest.storyCount).toBeLessThan(everything.digest.storyCount);
    const query = {
      ...parseQuery('hbm -samsung'),
      withinHours: null,
      since: window.from.toISOString(),
      until: window.to.toISOString(),
    };
    const found = new Set(
      (await searchArchive(app.storage, app.topics, query, { limit: 30, now: window.to })).hits.map((h) => h.storyId),
    );
    for (const story of digest.digest.stories)
      expect(found.has(app.store.stories.findByKey(story.key)?.id ?? -1)).toBe(true);

    expect(noticeCode(await app.engine.handle({ ...manager, text: '/news unsubscribe hbm -samsung' }))).toBe(
      'unsubscribedQuery',
    );
    expect(app.store.subscriptions.queries('slack:C40')).toEqual([]);
  });
});

describe('pause, resume and status', () => {
  it('pauses and resumes a channel’s digests, managers only, and says so in status', async () => {
    const manager = { ...member, channel: 'C20', isManager: true };
    await app.engine.handle({ ...manager, text: '/news time 08:00 Asia/Seoul weekdays' });
    expect(noticeCode(await app.engine.handle({ ...member, channel: 'C20', text: 'pause' }))).toBe('needsManager');
    expect(noticeCode(await app.engine.handle({ ...manager, text: 'pause' }))).toBe('paused');
    expect(noticeCode(await app.engine.handle({ ...manager, text: 'pause' }))).toBe('alreadyPaused');
    const paused = await app.engine.handle({ ...member, channel: 'C20', locale: 'en', text: 'status' });
    expect(paused).toMatchObject({
      kind: 'status',
      schedule: { time: '08:00', timeZone: 'Asia/Seoul', weekdays: [1, 2, 3, 4, 5] },
      paused: true,
      nextDigestAt: null,
    });
    expect(noticeCode(await app.engine.handle({ ...manager, text: 'resume' }))).toBe('resumed');
    const running = await app.engine.handle({ ...member, channel: 'C20', text: 'status' });
    if (running.kind !== 'status') throw new Error(running.kind);
    expect(running.paused).toBe(false);
    // the sample's clock stands on Thursday 2026-11-26, 23:59 Seoul: the next weekday 08:00 is Friday's
    expect(running.nextDigestAt).toBe('2026-11-26T23:00:00.000Z');
  });

  it('caps stories per digest and alerts per day per channel, managers only, shown in status', async () => {
    const manager = { ...member, channel: 'C21', isManager: true, locale: 'en' };
    const uncapped = await app.engine.handle({ ...manager, text: 'digest' });
    if (uncapped.kind !== 'digest') throw new Error(uncapped.kind);
    expect(uncapped.digest.stories.length).toBeGreaterThan(2);
    expect(noticeCode(await app.engine.handle({ ...member, channel: 'C21', text: 'limit stories 2' }))).toBe(
      'needsManager',
    );
    const set = await app.engine.handle({ ...manager, text: 'limit stories 2' });
    expect(set).toMatchObject({ kind: 'notice', notice: { code: 'limitSet', params: { what: 'stories', count: 2 } } });
    const capped = await app.engine.handle({ ...manager, text: 'digest' });
    if (capped.kind !== 'digest') throw new Error(capped.kind);
    expect(capped.digest.stories.map((s) => s.key)).toEqual(uncapped.digest.stories.slice(0, 2).map((s) => s.key));
    await app.engine.handle({ ...manager, text: '제한 알림 3' });
    const status = await app.engine.handle({ ...member, channel: 'C21', locale: 'en', text: 'status' });
    if (status.kind !== 'status') throw new Error(status.kind);
    expect(status.limits).toEqual({ stories: 2, alertsPerDay: 3, own: true });
    expect(statusLines(status)).toContain('Limits: 2 stories a digest, 3 alerts a day (set here)');
    expect(noticeCode(await app.engine.handle({ ...manager, text: 'limit stories 0' }))).toBe('usageLimit');
    expect(noticeCode(await app.engine.handle({ ...manager, text: 'limit stories lots' }))).toBe('usageLimit');
    await app.engine.handle({ ...manager, text: 'limit stories default' });
    await app.engine.handle({ ...manager, text: 'limit alerts default' });
    const back = await app.engine.handle({ ...manager, text: 'status' });
    expect(back).toMatchObject({ limits: { stories: 10, alertsPerDay: 10, own: false } });
  });

  it('sets the channel’s language: its digest then leads with the headlines of that language', async () => {
    const manager = { ...member, channel: 'C22', isManager: true };
    expect(await app.engine.handle({ ...manager, text: 'language english' })).toMatchObject({
      notice: { code: 'languageSet', params: { lang: 'en' } },
    });
    expect(noticeCode(await app.engine.handle({ ...member, channel: 'C22', text: '언어 한국어' }))).toBe(
      'needsManager',
    );
    expect(noticeCode(await app.engine.handle({ ...manager, text: 'language klingon' }))).toBe('usageLanguage');
    const english = await app.engine.digestFor('slack:C22');
    await app.engine.handle({ ...manager, text: '언어 한국어' });
    const korean = await app.engine.digestFor('slack:C22');
    if (english?.kind !== 'digest' || korean?.kind !== 'digest') throw new Error('no digest');
    expect(english.lang).toBe('en');
    expect(korean.lang).toBe('ko');
    const both = korean.digest.stories.filter((s) => s.otherTitle !== null);
    expect(both.length).toBeGreaterThan(0);
    for (const story of both) {
      const same = english.digest.stories.find((s) => s.key === story.key);
      expect(story.articles[0]?.lang).toBe('ko');
      expect(same?.articles[0]?.lang).toBe('en');
      expect(story.otherTitle).toEqual({ lang: 'en', title: same?.title });
    }
  });

  it('previews the next scheduled digest in the channel’s language, with its time, and delivers nothing', async () => {
    const manager = { ...member, channel: 'C23', isManager: true };
    await app.engine.handle({ ...manager, text: 'time 08:00 Asia/Seoul' });
    await app.engine.handle({ ...manager, text: 'language ko' });
    const preview = await app.engine.handle({ ...member, channel: 'C23', locale: 'en-US', text: 'digest preview' });
    if (preview.kind !== 'digest') throw new Error(preview.kind);
    expect(preview.lang).toBe('ko');
    expect(preview.preview).toEqual({ postsAt: '2026-11-26T23:00:00.000Z', layout: 'single' });
    const scheduled = await app.engine.digestFor('slack:C23');
    if (scheduled?.kind !== 'digest') throw new Error('no digest');
    expect(preview.digest.stories.map((s) => [s.key, s.title])).toEqual(
      scheduled.digest.stories.map((s) => [s.key, s.title]),
    );
    // nothing was delivered: the same stories are still new
    const again = await app.engine.handle({ ...member, channel: 'C23', text: '미리보기' });
    if (again.kind !== 'digest') throw new Error(again.kind);
    expect(again.digest.stories.every((s) => s.status === 'new')).toBe(true);
    expect(again.digest.stories.length).toBe(preview.digest.stories.length);
    await app.engine.handle({ ...manager, text: 'pause' });
    const unscheduled = await app.engine.handle({ ...member, channel: 'C23', text: 'digest preview' });
    expect(unscheduled).toMatchObject({ kind: 'digest', preview: { postsAt: null } });
  });

  it('shows a pause the platform caused, cleared by resume', async () => {
    const manager = { ...member, channel: 'C21', isManager: true };
    await app.engine.handle({ ...manager, text: '/news time 08:00' });
    app.store.destinations.update('slack:C21', { pausedReason: 'gone: channel_not_found' });
    const status = await app.engine.handle({ ...member, channel: 'C21', text: 'status' });
    expect(status).toMatchObject({ kind: 'status', paused: true, pausedReason: 'gone: channel_not_found' });
    expect(noticeCode(await app.engine.handle({ ...manager, text: 'resume' }))).toBe('resumed');
    expect(app.store.destinations.get('slack:C21')?.pausedReason).toBeNull();
  });
});

describe('why <url>', () => {
  it('says what is known of an article and whether this channel was posted it, for this channel only', async () => {
    const key = 'https://hanbit-wire.example/view/HBW20261123000101';
    const article = app.store.articles.findByKey(key);
    if (!article) throw new Error('sample article missing');
    const manager = { ...member, channel: 'C30', isManager: true };
    await app.engine.handle({ ...manager, text: '/news subscribe samsung' });
    const before = await app.engine.handle({ ...member, channel: 'C30', text: `/news why ${key}?utm_source=x` });
    expect(before).toMatchObject({
      kind: 'why',
      article: { title: article.title, followsTopics: true, delivered: null, story: { articles: expect.any(Number) } },
    });
    if (before.kind !== 'why' || !before.article) throw new Error('expected a why reply');
    expect(before.article.matched.map((t) => t.id)).toEqual(['samsung-electronics']);
    // nothing was posted here since it came in: it says "not yet", not "ranked too low"
    expect(whyLines(before)).toContain(messages(before.lang).why.notYet);

    // posted to this channel (its story, this very article), and to no other
    const digest = await app.engine.digestFor('slack:C30', {
      window: { from: new Date('2026-11-20T00:00:00Z'), to: new Date('2026-11-27T00:00:00Z') },
    });
    if (digest?.kind !== 'digest') throw new Error('no digest');
    await app.engine.recordPosted('slack:C30', digest, new Date('2026-11-27T00:00:00Z'));
    expect(digest.digest.stories.map((s) => s.key)).toContain(before.article.story?.key);
    const after = await app.engine.handle({ ...member, channel: 'C30', text: `/news why ${key}` });
    expect(after).toMatchObject({ kind: 'why', article: { delivered: { firstAt: '2026-11-27T00:00:00.000Z' } } });
    const elsewhere = await app.engine.handle({ ...member, channel: 'C31', text: `/news why ${key}` });
    expect(elsewhere).toMatchObject({ kind: 'why', article: { delivered: null, followsTopics: false } });

    const unknown = await app.engine.handle({ ...member, text: '/news why https://nowhere.example/a' });
    expect(unknown).toMatchObject({ kind: 'why', article: null });
    expect(noticeCode(await app.engine.handle({ ...member, text: '/news why not-a-url' }))).toBe('usageWhy');
  });
});

describe('pages and autocomplete', () => {
  it('turns a search to its next page of different stories, and says when there are no more', async () => {
    const first = await app.engine.handle({ ...member, command: { kind: 'search', query: '"on-device"' } });
    const second = await app.engine.handle({ ...member, command: { kind: 'search', query: '"on-device"', page: 2 } });
    if (first.kind !== 'search' || second.kind !== 'search') throw new Error('expected search replies');
    expect(first).toMatchObject({ page: 1, hasMore: true });
    expect(first.stories).toHaveLength(5);
    expect(second).toMatchObject({ page: 2, hasMore: false });
    expect(second.stories.length).toBeGreaterThan(0);
    const seen = new Set(first.stories.map((s) => s.articleId));
    for (const story of second.stories) expect(seen.has(story.articleId)).toBe(false);
    const samsung = await app.engine.handle({ ...member, command: { kind: 'search', query: 'samsung', page: 2 } });
    expect(samsung.kind === 'search' && samsung.topicSummary).toEqual([]);
    const last = await app.engine.handle({ ...member, command: { kind: 'search', query: 'samsung', page: 10 } });
    expect(last).toMatchObject({ kind: 'search', hasMore: false, stories: [] });
  });

  it('suggests topics by the start of a name in either language, most covered first', async () => {
    const english = await app.engine.suggestTopics('sams', 'en-US');
    expect(english[0]).toEqual({ id: 'samsung-electronics', name: 'Samsung Electronics' });
    expect(english.length).toBeLessThanOrEqual(25);
    expect((await app.engine.suggestTopics('삼성', 'ko'))[0]).toEqual({ id: 'samsung-electronics', name: '삼성전자' });
    expect(await app.engine.suggestTopics('', null, 100)).toHaveLength(25);
    expect(await app.engine.suggestTopics('x'.repeat(5000), null)).toEqual([]);
  });
});

describe('Engine.handle when something breaks', () => {
  it('answers a failure with a notice in the caller’s language, logs it and reports the outcome', async () => {
    const dir = tempDir();
    const logged: object[] = [];
    const events: CommandEvent[] = [];
    const broken = openApp({
      dbPath: join(dir, 'nb.db'),
      configPath: null,
      log: { info: () => {}, error: (fields) => logged.push(fields) },
      onCommand: (event) => events.push(event),
    });
    broken.storage.articles.search = () => Promise.reject(new Error('disk I/O error'));
    const reply = await broken.engine.handle({ ...member, locale: 'ko-KR', text: 'samsung' });
    broken.close();
    expect(reply).toMatchObject({ kind: 'notice', tone: 'error', lang: 'ko', notice: { code: 'failed' } });
    expect(renderNotice(reply.kind === 'notice' ? reply.notice : { code: 'failed', params: {} }, 'ko')).not.toMatch(
      /disk/,
    );
    expect(logged).toEqual([expect.objectContaining({ command: 'search', destination: 'slack:C1' })]);
    expect(events).toEqual([expect.objectContaining({ platform: 'slack', command: 'search', outcome: 'failed' })]);
  });
});

describe('channels listed in the config', () => {
  it('are created with their settings at start, and the config wins again at the next start', async () => {
    const dir = tempDir();
    const configPath = join(dir, 'newsbrief.yaml');
    writeFileSync(
      configPath,
      [
        'digest:',
        '  time: "08:00"',
        'channels:',
        '  - platform: discord',
        '    channel: "123456789012345678"',
        '    timeZone: America/New_York',
        '    days: [mon, wed, fri]',
        '    topics: [nvidia, 삼성전자]',
      ].join('\n'),
    );
    const configured = openApp({ dbPath: join(dir, 'nb.db'), configPath });
    try {
      await applyConfiguredChannels(configured.storage, configured.config, configured.topics);
      const key = 'discord:123456789012345678';
      expect(configured.store.destinations.get(key)).toMatchObject({
        digestTime: '08:00',
        timeZone: 'America/New_York',
        weekdays: [1, 3, 5],
        workspace: null,
      });
      expect(configured.store.subscriptions.list(key)).toEqual(['nvidia', 'samsung-electronics']);
      configured.store.destinations.update(key, { digestTime: '10:00', lang: 'en' });
      configured.store.subscriptions.add(key, 'openai');
      await applyConfiguredChannels(configured.storage, configured.config, configured.topics);
      expect(configured.store.destinations.get(key)).toMatchObject({ digestTime: '08:00', lang: null });
      expect(configured.store.subscriptions.list(key)).toEqual(['nvidia', 'openai', 'samsung-electronics']);
    } finally {
      configured.close();
    }
  });

  it('must name topics that exist', async () => {
    const dir = tempDir();
    const configPath = join(dir, 'newsbrief.yaml');
    writeFileSync(configPath, 'channels:\n  - platform: slack\n    channel: C1\n    topics: [nosuchtopic]\n');
    const configured = openApp({ dbPath: join(dir, 'nb.db'), configPath });
    try {
      await expect(applyConfiguredChannels(configured.storage, configured.config, configured.topics)).rejects.toThrow(
        new ConfigError('the config names topics that do not exist:\n  - channels[0].topics: no topic "nosuchtopic"'),
      );
    } finally {
      configured.close();
    }
  });
});
