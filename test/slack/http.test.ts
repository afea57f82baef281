import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Block } from '../../adapters/slack/blocks.ts';
import { escapeMrkdwn, inert } from '../../adapters/slack/escape.ts';
import type { ReplyOf } from '../../src/commands/reply.ts';
import { CANARY } from '../helpers/secrets.ts';
import { channelTarget, type Harness, HOSTILE_TITLE, startHarness } from './harness.ts';
import { postSigned, SIGNING_SECRET, slashCommand, TEAM, waitFor } from './standIn.ts';

let h: Harness;
let endpoint: string;

beforeAll(async () => {
  h = await startHarness('http');
  endpoint = `http://127.0.0.1:${h.adapter.port}/slack/events`;
});
afterAll(async () => {
  await h.close();
});

/** Sends `/news <text>` signed, checks the ack, and returns the first message posted to its response_url. */
async function command(text: string, user = 'U0MEMBER', channel = 'C0NEWS') {
  const responseUrl = h.slack.responseUrl();
  const status = await postSigned(endpoint, slashCommand({ text, user, channel, responseUrl }));
  expect(status).toBe(200);
  await waitFor(() => h.slack.responsesTo(responseUrl).length > 0, 5000, `the answer to /news ${text}`);
  return h.slack.responsesTo(responseUrl)[0]?.body as { response_type: string; text: string; blocks: Block[] };
}

const allText = (blocks: Block[]) => JSON.stringify(blocks);

const textOf = (responseUrl: string) => String(h.slack.responsesTo(responseUrl)[0]?.body.text);

let presses = 0;

/** A block_actions payload for a button in an ephemeral reply in #news (each press has a trigger id of its own). */
function buttonPress(value: string, actionId: string, responseUrl: string, user = 'U0MEMBER') {
  return {
    type: 'block_actions',
    team: { id: TEAM, domain: 'test' },
    user: { id: user, team_id: TEAM },
    api_app_id: 'A0TEST',
    container: { type: 'message', message_ts: '1.0', channel_id: 'C0NEWS', is_ephemeral: true },
    channel: { id: 'C0NEWS', name: 'news' },
    trigger_id: `${++presses}.2.3`,
    response_url: responseUrl,
    actions: [
      {
        type: 'button',
        action_id: actionId,
        block_id: 'b',
        value,
        text: { type: 'plain_text', text: 'x' },
        action_ts: '1.0',
      },
    ],
  };
}

describe('HTTP mode with the real Bolt App', () => {
  it('answers a signed /news samsung with up to 5 linked stories and a button to follow the topic, ephemeral', async () => {
    const answer = await command('samsung');
    expect(answer.response_type).toBe('ephemeral');
    const stories = answer.blocks.filter((b) => b.type === 'section' && /^\*\d+\.\*/.test(b.text.text));
    expect(stories.length).toBeGreaterThan(0);
    expect(stories.length).toBeLessThanOrEqual(5);
    expect((stories[0] as { text: { text: string } }).text.text).toMatch(/<https?:\/\/[^|>]+\|[^>]+>/);
    const actions = answer.blocks.find((b) => b.type === 'actions');
    const labels = actions && actions.type === 'actions' ? actions.elements.map((e) => e.text.text) : [];
    expect(labels).toContain('Samsung Electronics in my DMs');
    // a member is no manager: no button that would subscribe the channel
    expect(labels.some((l) => l.startsWith('Follow'))).toBe(false);
    expect(answer.text).toBe('Results for "samsung"');
  });

  it("answers /news 삼성 with the same top story as samsung, in the Korean user's language", async () => {
    const english = await command('samsung');
    const korean = await command('삼성', 'U0KO');
    const firstLink = (blocks: Block[]) => /<(https?:[^|>]+)\|/.exec(allText(blocks))?.[1];
    expect(firstLink(korean.blocks)).toBe(firstLink(english.blocks));
    expect(korean.text).toContain('삼성');
    expect(allText(korean.blocks)).toMatch(/[가-힣]/);
  });

  it('renders a hostile article title inert: no mention, no fake link, & escaped', async () => {
    const answer = await command('zqxjv');
    const text = allText(answer.blocks);
    expect(text).toContain('&lt;!channel&gt; &lt;@U123&gt; &lt;http://x¦y&gt; &amp; more');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U123>');
    expect(text).not.toContain('<http://x|y>');
    expect(text).not.toContain('<!here>');
    expect(text).toContain('&lt;!here&gt;');
    // the real link stays a link
    expect(text).toContain('<https://hostile.example/a/1|');
    expect(HOSTILE_TITLE).toContain('<!channel>');
  });

  it('refuses a configuration command to a member, and lets an admin run it', async () => {
    const refused = await command('subscribe nvidia');
    expect(refused.text).toMatch(/Only a manager/);
    expect(h.app.store.subscriptions.list('slack:C0NEWS')).not.toContain('nvidia');
    const done = await command('subscribe nvidia', 'U0ADMIN');
    expect(done.text).toMatch(/Subscribed to/);
    expect(h.app.store.subscriptions.list('slack:C0NEWS')).toContain('nvidia');
  });

  it('answers /news status, and refuses /news pause to a member', async () => {
    const status = await command('status', 'U0ADMIN');
    expect(status.text).toBe('newsbrief status');
    expect(allText(status.blocks)).toMatch(/Digest: /);
    expect((await command('pause')).text).toMatch(/Only a manager/);
  });

  it('posts one story to a Korean and an English channel under each one’s own headline, the other second', async () => {
    const sections: Record<string, string[]> = {};
    const digests: Record<string, ReplyOf<'digest'>> = {};
    for (const [id, lang] of [
      ['C0KOREAN', 'ko'],
      ['C0ENGLISH', 'en'],
    ] as const) {
      expect((await command('subscribe samsung', 'U0ADMIN', id)).text).toMatch(/Subscribed to/);
      expect((await command(`language ${lang}`, 'U0ADMIN', id)).text).toMatch(/^Digests and notices here are now in/);
      const reply = await h.app.engine.digestFor(`slack:${id}`, {
        window: { from: new Date('2026-11-19T00:00:00+09:00'), to: new Date('2026-11-26T23:59:59+09:00') },
      });
      if (reply?.kind !== 'digest') throw new Error('no digest');
      digests[lang] = reply;
      const before = h.slack.callsOf('chat.postMessage').length;
      expect((await h.adapter.post(channelTarget(id), reply)).ok).toBe(true);
      sections[lang] = h.slack
        .callsOf('chat.postMessage')
        .slice(before)
        .flatMap((c) => c.args.blocks as Block[])
        .flatMap((b) => (b.type === 'section' ? [b.text.text] : []));
    }
    const shared = digests.ko?.digest.stories.filter((s) => s.otherTitle !== null) ?? [];
    expect(shared.length).toBeGreaterThan(0);
    for (const story of shared) {
      const other = digests.en?.digest.stories.find((s) => s.key === story.key);
      if (!other) throw new Error(`no English counterpart of ${story.key}`);
      const korean = sections.ko?.find((t) => t.includes(escapeMrkdwn(story.title)));
      const english = sections.en?.find((t) => t.includes(escapeMrkdwn(other.title)));
      expect(korean?.split('\n')[1]).toBe(`_EN: ${inert(other.title, 300)}_`);
      expect(english?.split('\n')[1]).toBe(`_KO: ${inert(story.title, 300)}_`);
    }
  });

  it('shows an admin’s digest preview only to them, with when it is posted, in the channel’s language', async () => {
    await command('time 08:00 Asia/Seoul', 'U0ADMIN', 'C0PREVIEW');
    await command('language en', 'U0ADMIN', 'C0PREVIEW');
    const before = h.slack.callsOf('chat.postMessage').length;
    const preview = await command('digest preview', 'U0ADMIN', 'C0PREVIEW');
    expect(preview.response_type).toBe('ephemeral');
    expect(allText(preview.blocks)).toContain('Preview, only you see this: as of now, the digest posted here at ');
    expect(allText(preview.blocks)).toMatch(/at 20\d\d-\d\d-\d\d 08:00 GMT\+9 would be/);
    expect(h.slack.callsOf('chat.postMessage').length).toBe(before);
    // a digest asked for by an admin still goes to the channel
    expect((await command('digest', 'U0ADMIN', 'C0PREVIEW')).response_type).toBe('in_channel');
  });

  it('answers /news why <url> with the article, its hostile title escaped', async () => {
    const why = await command('why https://hostile.example/a/1', 'U0ADMIN');
    const text = allText(why.blocks);
    expect(text).toContain('&lt;!channel&gt; &lt;@U123&gt;');
    expect(text).not.toContain('<!channel>');
    expect(why.text).not.toContain('<!channel>');
  });

  it('maps /news search <reserved word> to a search', async () => {
    const answer = await command('search help');
    expect(answer.text).toMatch(/"help"/);
  });

  it('shows the next page when its button is pressed, replacing the message', async () => {
    const first = await command('ai');
    const actions = first.blocks.find((b) => b.type === 'actions');
    const next =
      actions?.type === 'actions' ? actions.elements.find((e) => e.action_id === 'news_next_page') : undefined;
    expect(next).toBeDefined();
    const responseUrl = h.slack.responseUrl();
    expect(
      await postSigned(endpoint, {
        payload: JSON.stringify(buttonPress(next?.value ?? '', 'news_next_page', responseUrl)),
      }),
    ).toBe(200);
    await waitFor(() => h.slack.responsesTo(responseUrl).length > 0);
    const page2 = h.slack.responsesTo(responseUrl)[0]?.body as { replace_original: boolean; blocks: Block[] };
    expect(page2.replace_original).toBe(true);
    const links = (blocks: Block[]) => [...allText(blocks).matchAll(/<(https?:[^|>]+)\|/g)].map((m) => m[1]);
    expect(links(page2.blocks).length).toBeGreaterThan(0);
    expect(links(page2.blocks).filter((l) => links(first.blocks).includes(l))).toEqual([]);
  });

  it('routes the "Also the last N" button of a feed just added to the engine, for managers only', async () => {
    const member = h.slack.responseUrl();
    await postSigned(endpoint, { payload: JSON.stringify(buttonPress('7:3', 'news_take_backlog', member)) });
    await waitFor(() => h.slack.responsesTo(member).length > 0);
    expect(textOf(member)).toMatch(/Only a manager/);
    const admin = h.slack.responseUrl();
    await postSigned(endpoint, { payload: JSON.stringify(buttonPress('7:3', 'news_take_backlog', admin, 'U0ADMIN')) });
    await waitFor(() => h.slack.responsesTo(admin).length > 0);
    // this harness runs no ingest thread: the engine got the command and says where feeds are handled
    expect(textOf(admin)).toBe('Sources can be added here only while the bot runs as a service.');
    const junk = h.slack.responseUrl();
    await postSigned(endpoint, { payload: JSON.stringify(buttonPress('7:x', 'news_take_backlog', junk, 'U0ADMIN')) });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.slack.responsesTo(junk)).toHaveLength(0);
  });

  it('follows a topic from its buttons: the channel for an admin, the person’s own alerts for anyone', async () => {
    const answer = await command('samsung', 'U0ADMIN');
    const actions = answer.blocks.find((b) => b.type === 'actions');
    const ids = actions?.type === 'actions' ? actions.elements.map((e) => `${e.action_id}=${e.value}`) : [];
    expect(ids).toContain('news_follow_here=samsung-electronics');
    expect(ids).toContain('news_follow_me=samsung-electronics');
    const here = h.slack.responseUrl();
    await postSigned(endpoint, {
      payload: JSON.stringify(buttonPress('samsung-electronics', 'news_follow_here', here, 'U0ADMIN')),
    });
    await waitFor(() => h.slack.responsesTo(here).length > 0);
    expect(h.app.store.subscriptions.list('slack:C0NEWS')).toContain('samsung-electronics');
    const mine = h.slack.responseUrl();
    await postSigned(endpoint, { payload: JSON.stringify(buttonPress('samsung-electronics', 'news_follow_me', mine)) });
    await waitFor(() => h.slack.responsesTo(mine).length > 0);
    expect(textOf(mine)).toMatch(/Subscribed/);
    expect(h.app.store.subscriptions.list('slack:user:U0MEMBER')).toEqual(['samsung-electronics']);
    // a member pressing "follow here" (from an admin's shared message) is refused
    const refused = h.slack.responseUrl();
    await postSigned(endpoint, { payload: JSON.stringify(buttonPress('nvidia', 'news_follow_here', refused)) });
    await waitFor(() => h.slack.responsesTo(refused).length > 0);
    expect(textOf(refused)).toMatch(/Only a manager/);
  });

  it('answers 401 to a bad, a stale and a future-dated signature, and never runs the command', async () => {
    const now = Math.floor(Date.now() / 1000);
    const before = h.slack.calls.length;
    const fields = slashCommand({ text: 'samsung', responseUrl: h.slack.responseUrl() });
    expect(await postSigned(endpoint, fields, { secret: CANARY.slackWrongSigningSecret })).toBe(401);
    expect(await postSigned(endpoint, fields, { timestamp: now - 6 * 60 })).toBe(401);
    expect(await postSigned(endpoint, fields, { timestamp: now + 10 * 60 })).toBe(401);
    // within the tolerance both ways it is accepted
    expect(await postSigned(endpoint, fields, { timestamp: now + 60, secret: SIGNING_SECRET })).toBe(200);
    await waitFor(() => h.slack.responses.length > 0);
    const afterFirst = h.slack.calls.slice(before).filter((c) => c.method !== 'users.info');
    expect(afterFirst).toEqual([]);
  });
});
