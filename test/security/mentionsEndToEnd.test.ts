/**
 * Mentions and markup end to end: hostile feed items ingested for real, then searched and posted as digests
 * through the real Bolt app and the real discord.js client; what the stand-ins received is what is checked.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordAdapter } from '../../adapters/discord/discordBot.ts';
import type { PostTarget } from '../../src/engine/port.ts';
import { channelTarget, DiscordStandin, memoryLog, TOKEN, until } from '../discord/standin.ts';
import { SAMPLE_NOW } from '../helpers/sample.ts';
import { type Harness, startHarness } from '../slack/harness.ts';
import { postSigned, slashCommand, TEAM, waitFor } from '../slack/standIn.ts';
import { discordTexts, hostileText, liveDiscordMarkup, liveSlackMarkup, slackTexts } from './markup.ts';

/** Hostile items in the feed (fixed seed): each one's title and description are hostile text. */
const ITEMS = 24;
const STRING = 3;

let h: Harness;
let standin: DiscordStandin;
let discord: DiscordAdapter;

// XML 1.0 cannot carry C0 controls: the feed keeps everything else
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing what XML forbids
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const xmlText = (s: string) =>
  s.replace(XML_FORBIDDEN, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

beforeAll(async () => {
  h = await startHarness('http', { managers: 'U0ADMIN' });
  const texts = fc.sample(hostileText, { numRuns: ITEMS * 3, seed: 16 });
  const items = Array.from({ length: ITEMS }, (_, i) => {
    const title = `qzxv ${texts[i * 3]} ${texts[i * 3 + 1]}`;
    const body = `The qzxv maker ${texts[i * 3 + 2]} said on Thursday its qzxv device ${i} ships soon. Sales of the qzxv line grew.`;
    return `<item><title>${xmlText(title)}</title><link>https://hostile.example/q/${i}</link>
<pubDate>Thu, 26 Nov 2026 0${i % 10}:00:00 +0900</pubDate><description>${xmlText(body)}</description></item>`;
  });
  const file = join(tmpdir(), `newsbrief-hostile-${process.pid}.xml`);
  writeFileSync(
    file,
    `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${xmlText(`@everyone <!channel> [evillink](https://evil.example/x)`)}</title><link>https://hostile.example/</link>${items.join('\n')}</channel></rss>`,
  );
  try {
    const counts = await h.app.ingestor.ingestPaths([file]);
    expect(counts).toBeDefined();
  } finally {
    rmSync(file, { force: true });
  }
  standin = await new DiscordStandin().start();
  discord = new DiscordAdapter({ token: TOKEN, apiBase: standin.apiBase, log: memoryLog() });
  await discord.start(h.app.engine);
}, 60_000);

afterAll(async () => {
  await discord?.stop();
  await standin?.close();
  await h?.close();
});

const window = { from: new Date('2026-11-25T00:00:00+09:00'), to: SAMPLE_NOW };

describe('hostile articles, through the real clients', () => {
  it('Slack: search answers and posted digests carry no live <! <@ <#', async () => {
    const endpoint = `http://127.0.0.1:${h.adapter.port}/slack/events`;
    const bodies: Record<string, unknown>[] = [];
    for (const page of ['qzxv', 'qzxv 7d']) {
      const responseUrl = h.slack.responseUrl();
      expect(await postSigned(endpoint, slashCommand({ text: page, responseUrl }))).toBe(200);
      await waitFor(() => h.slack.responsesTo(responseUrl).length > 0, 10_000, 'the search answer');
      bodies.push(...h.slack.responsesTo(responseUrl).map((r) => r.body));
    }
    await h.app.engine.handle({
      platform: 'slack',
      workspace: TEAM,
      channel: 'C0HOSTILE',
      user: 'U0ADMIN',
      isManager: true,
      text: 'subscribe qzxv maker',
    });
    const digest = await h.app.engine.digestFor('slack:C0HOSTILE', { window });
    if (digest?.kind !== 'digest') throw new Error('no digest');
    expect(digest.digest.stories.length).toBeGreaterThan(3);
    const target: PostTarget = {
      key: 'slack:C0HOSTILE',
      kind: 'channel',
      platform: 'slack',
      workspace: TEAM,
      channel: 'C0HOSTILE',
      user: null,
    };
    expect((await h.adapter.post(target, digest)).ok).toBe(true);
    bodies.push(...h.slack.callsOf('chat.postMessage').map((c) => c.args));
    // the hostile text arrived (escaped), so the checks below have something to check
    expect(JSON.stringify(bodies)).toMatch(/qzxv[\s\S]*&lt;!(channel|here|everyone|subteam)/);
    for (const body of bodies)
      for (const text of slackTexts(body as { text?: string; blocks?: unknown[] })) {
        expect(liveSlackMarkup(text), text).toEqual([]);
      }
  });

  it('Discord: search answers and posted digests carry allowed_mentions parse: [] and nothing live', async () => {
    const channel = standin.addChannel('hostile');
    const found = standin.interact({
      type: 2,
      channel,
      data: standin.command('news', [{ name: 'query', type: STRING, value: 'qzxv' }]),
    });
    await until(() => found.callbacks[0], 10_000, 'the search answer');
    await h.app.engine.handle({
      platform: 'discord',
      workspace: standin.guildId,
      channel: channel.id,
      user: 'u1',
      isManager: true,
      text: 'subscribe qzxv maker',
    });
    const digest = await h.app.engine.digestFor(`discord:${channel.id}`, { window });
    if (digest?.kind !== 'digest') throw new Error('no digest');
    expect((await discord.post(channelTarget(standin, channel), digest)).ok).toBe(true);
    const payloads = [
      ...found.callbacks.map((c) => c.data ?? {}),
      ...found.edits,
      ...found.followUps,
      ...standin.messages.filter((m) => m.channelId === channel.id).map((m) => m.body),
    ];
    expect(payloads.length).toBeGreaterThan(1);
    expect(JSON.stringify(payloads)).toMatch(/qzxv[\s\S]*(@\u200b(everyone|here)|\\\\\[evil)/);
    for (const payload of payloads) {
      expect(payload.allowed_mentions?.parse).toEqual([]);
      expect((payload.allowed_mentions as { roles?: string[] } | undefined)?.roles ?? []).toEqual([]);
      for (const text of discordTexts(payload)) expect(liveDiscordMarkup(text), text).toEqual([]);
    }
  });
});
