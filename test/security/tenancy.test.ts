/**
 * Tenancy: a workspace or server never reads or changes another's subscriptions, schedule, sources or `why`
 * answers, whatever channel id, user id or destination key it names. Engine.handle is where both adapters
 * land (the platform says which workspace a command comes from; Slack signs it, Discord sends it over the
 * bot's own gateway); feeds added in chat go through the real ingest thread.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestThread } from '../../runtime/ingestThread.ts';
import { openApp, type SqliteApp } from '../../src/app.ts';
import type { Reply } from '../../src/commands/reply.ts';
import type { EngineRequest } from '../../src/engine/request.ts';
import type { SourceControl } from '../../src/engine/sources.ts';
import { SAMPLE_NEWS_PATH } from '../../src/paths.ts';
import { TestServer } from '../fetch/testServer.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();
let app: SqliteApp;
let thread: IngestThread;
let server: TestServer;
let feedUrl: string;

const A = { platform: 'slack', workspace: 'T0AAAA', channel: 'C0AAAA', user: 'U0AAAA', isManager: true };
const B = { platform: 'slack', workspace: 'T0BBBB', channel: 'C0BBBB', user: 'U0BBBB', isManager: true };
const KEY_A = 'slack:C0AAAA';

const rss = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Private Wire</title>
<link>https://private.example/</link><language>en</language><item><title>Zorvex ships its first quantum router</title>
<link>https://private.example/zorvex</link><guid>https://private.example/zorvex</guid>
<pubDate>${new Date().toUTCString()}</pubDate><description>Zorvex said on Tuesday that its quantum router ships next month.</description>
</item></channel></rss>`;

beforeAll(async () => {
  server = await TestServer.start();
  server.route('/private/feed.xml', { headers: { 'content-type': 'application/rss+xml' }, body: rss });
  // a key in the URL, as private feeds have: another workspace must never see it
  feedUrl = server.url('/private/feed.xml?key=tenant-a-only');
  const dir = tempDir();
  const dbPath = join(dir, 'nb.db');
  const configPath = join(dir, 'newsbrief.yaml');
  writeFileSync(configPath, `database: ${JSON.stringify(dbPath)}\nfetch:\n  allowAddresses: [127.0.0.1]\n`);
  thread = await IngestThread.start({ dbPath, configPath, poll: true });
  const sources: SourceControl = {
    add: (url, by, { backlog }) => thread.addSource(url, by, backlog),
    releaseBacklog: (source, count, by) => thread.releaseBacklog(source, count, by),
    remove: (url, by) => thread.removeSource(url, by),
  };
  app = openApp({ dbPath, configPath, sources });
  await app.ingestor.ingestPaths([SAMPLE_NEWS_PATH]);
  // workspace A's channel: topics, a saved search, a schedule, a language, limits, its own feed
  for (const text of [
    'subscribe nvidia',
    'subscribe 삼성 hbm',
    'time 07:30 Asia/Seoul mon-fri',
    'language en',
    'limit stories 4',
    'alerts on',
  ]) {
    await app.engine.handle({ ...A, text });
  }
  const added = await app.engine.handle({ ...A, text: `sources add ${feedUrl}` });
  expect(added.kind).toBe('sourceAdded');
  // and A's person, in a DM
  await app.engine.handle({ ...A, channel: null, isManager: false, text: 'subscribe samsung-electronics' });
}, 60_000);

afterAll(async () => {
  await thread?.stop(10_000);
  app?.close();
  await server?.close();
});

const code = (reply: Reply) => (reply.kind === 'notice' ? reply.notice.code : reply.kind);

/** What A has, as stored: it must never change through B. */
function stateOfA() {
  const destination = app.store.destinations.get(KEY_A);
  return {
    destination,
    subscriptions: app.store.subscriptions.list(KEY_A),
    personal: app.store.subscriptions.list('slack:user:U0AAAA'),
    sources: app.store.sources.addedInChat().map((s) => ({ url: s.url, addedBy: s.addedBy })),
  };
}

/** Every command, read or write, with arguments naming A's channel, user, key and feed where they can. */
const commands = () => [
  'topics',
  'subscriptions',
  'status',
  'digest',
  'digest preview',
  'help',
  'samsung',
  'subscribe samsung-electronics',
  'unsubscribe nvidia',
  'unsubscribe 삼성 hbm',
  `unsubscribe ${KEY_A}`,
  'time 03:00 UTC',
  `time 03:00 UTC ${KEY_A}`,
  'pause',
  'resume',
  'alerts off',
  'language ko',
  'limit stories 1',
  'limit alerts 1',
  'sources',
  `sources remove ${feedUrl}`,
  'sources add https://example.com/feed.xml',
  'sources backlog 1 5',
  'why https://private.example/zorvex',
  `why ${KEY_A}`,
  `why <#C0AAAA>`,
];

describe('another workspace, naming A’s channel', () => {
  it('is refused every command in it, and changes nothing', async () => {
    const before = stateOfA();
    for (const text of commands()) {
      for (const intruder of [
        { ...B, channel: A.channel },
        { ...B, channel: A.channel, isManager: false },
        { ...B, channel: A.channel, user: A.user },
      ]) {
        const reply = await app.engine.handle({ ...intruder, text } as EngineRequest);
        // refused as not theirs, or as malformed before any channel is looked at
        const refused = reply.kind === 'notice' && reply.notice.code === 'notHere';
        const malformed =
          reply.kind === 'notice' && reply.tone === 'error' && /^(usage|unknown)/.test(reply.notice.code);
        expect([text, refused || malformed]).toEqual([text, true]);
      }
    }
    expect(stateOfA()).toEqual(before);
  });

  it('cannot act as A’s person: the same user id from another workspace gets nothing of theirs', async () => {
    const before = stateOfA();
    for (const text of ['topics', 'unsubscribe samsung-electronics', 'time 03:00 UTC', 'alerts on', 'status']) {
      const reply = await app.engine.handle({ ...B, channel: null, user: A.user, isManager: false, text });
      expect([text, code(reply)]).toEqual([text, 'notHere']);
    }
    expect(stateOfA()).toEqual(before);
  });
});

describe('another workspace, in its own channel', () => {
  it('changes only its own channel whatever key, channel or user its arguments name', async () => {
    const before = stateOfA();
    for (const text of commands()) await app.engine.handle({ ...B, text } as EngineRequest);
    expect(stateOfA()).toEqual(before);
    // and the same channel id on another platform is another destination
    for (const text of ['unsubscribe nvidia', 'pause', `sources remove ${feedUrl}`]) {
      await app.engine.handle({ ...A, platform: 'discord', workspace: '123456789012345678', text });
    }
    expect(stateOfA()).toEqual(before);
  });

  it('never sees or removes the feed A added in chat', async () => {
    const list = await app.engine.handle({ ...B, text: 'sources' });
    expect(JSON.stringify(list)).not.toContain('tenant-a-only');
    expect(JSON.stringify(list)).not.toContain('Private Wire');
    expect(code(await app.engine.handle({ ...B, text: `sources remove ${feedUrl}` }))).toBe('sourceNotRemoved');
    expect(stateOfA().sources).toEqual([{ url: feedUrl, addedBy: KEY_A }]);
    // A sees it and may remove it
    const own = await app.engine.handle({ ...A, text: 'sources' });
    expect(JSON.stringify(own)).toContain('tenant-a-only');
  });

  it('gets a why answer about its own channel only', async () => {
    const theirs = await app.engine.handle({ ...B, text: 'why https://private.example/zorvex' });
    const ours = await app.engine.handle({ ...A, text: 'why https://private.example/zorvex' });
    if (theirs.kind !== 'why' || ours.kind !== 'why') throw new Error(`${theirs.kind} ${ours.kind}`);
    // B's answer is about B's topics and schedule, never A's
    const topicsOfB = app.store.subscriptions.list('slack:C0BBBB');
    expect(topicsOfB).not.toContain('nvidia');
    for (const t of theirs.article?.matched ?? []) expect(topicsOfB).toContain(t.id);
    expect(theirs.nextDigestAt).not.toBe(ours.nextDigestAt);
  });

  it('the owner removes its feed', async () => {
    expect(code(await app.engine.handle({ ...A, text: `sources remove ${feedUrl}` }))).toBe('sourceRemoved');
    expect(stateOfA().sources).toEqual([]);
  });
});
