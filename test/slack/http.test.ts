import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Block } from '../../adapters/slack/blocks.ts';
import { type Harness, HOSTILE_TITLE, startHarness } from './harness.ts';
import { postSigned, SIGNING_SECRET, slashCommand, waitFor } from './standIn.ts';

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

describe('HTTP mode with the real Bolt App', () => {
  it('answers a signed /news samsung with up to 5 linked stories and a next-page button, ephemeral', async () => {
    const answer = await command('samsung');
    expect(answer.response_type).toBe('ephemeral');
    const stories = answer.blocks.filter((b) => b.type === 'section' && /^\*\d+\.\*/.test(b.text.text));
    expect(stories.length).toBeGreaterThan(0);
    expect(stories.length).toBeLessThanOrEqual(5);
    expect((stories[0] as { text: { text: string } }).text.text).toMatch(/<https?:\/\/[^|>]+\|[^>]+>/);
    const actions = answer.blocks.find((b) => b.type === 'actions');
    const labels = actions && actions.type === 'actions' ? actions.elements.map((e) => e.text.text) : [];
    expect(labels).toContain('Alert me about Samsung Electronics');
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

  it('maps /news search <reserved word> to a search', async () => {
    const answer = await command('search help');
    expect(answer.text).toMatch(/"help"/);
  });

  it('answers 401 to a bad, a stale and a future-dated signature, and never runs the command', async () => {
    const now = Math.floor(Date.now() / 1000);
    const before = h.slack.calls.length;
    const fields = slashCommand({ text: 'samsung', responseUrl: h.slack.responseUrl() });
    expect(await postSigned(endpoint, fields, { secret: 'not-the-secret' })).toBe(401);
    expect(await postSigned(endpoint, fields, { timestamp: now - 6 * 60 })).toBe(401);
    expect(await postSigned(endpoint, fields, { timestamp: now + 10 * 60 })).toBe(401);
    // within the tolerance both ways it is accepted
    expect(await postSigned(endpoint, fields, { timestamp: now + 60, secret: SIGNING_SECRET })).toBe(200);
    await waitFor(() => h.slack.responses.length > 0);
    const afterFirst = h.slack.calls.slice(before).filter((c) => c.method !== 'users.info');
    expect(afterFirst).toEqual([]);
  });
});
