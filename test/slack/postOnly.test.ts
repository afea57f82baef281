/**
 * The Slack adapter post-only, as a worker process starts it: the real Bolt App and Web API client against the
 * stand-in, with only SLACK_BOT_TOKEN. It checks the token, posts and threads as always, and opens no port and no
 * Socket Mode connection.
 */
import { Server } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Block } from '../../adapters/slack/blocks.ts';
import { slackSettingsFromEnv } from '../../adapters/slack/settings.ts';
import { createSlackAdapter, type SlackAdapter, slackAdapterFromEnv } from '../../adapters/slack/slackAdapter.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { createLogger } from '../../src/ops/logger.ts';
import { syntheticDigest } from '../discord/replies.ts';
import { CANARY } from '../helpers/secrets.ts';
import { channelTarget } from './harness.ts';
import { BOT_TOKEN, SIGNING_SECRET, SlackStandIn } from './standIn.ts';

/** Post-only never asks the engine anything: any use of it fails the test. */
const untouchedEngine = new Proxy({} as Engine, {
  get(_target, prop) {
    throw new Error(`a post-only adapter used engine.${String(prop)}`);
  },
});

let slack: SlackStandIn;
const logs: Record<string, unknown>[] = [];
const log = createLogger({
  destination: { write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) },
  pretty: false,
  level: 'info',
});
const adapters: SlackAdapter[] = [];

beforeAll(async () => {
  slack = await new SlackStandIn().start();
});
afterEach(async () => {
  vi.restoreAllMocks();
  for (const adapter of adapters.splice(0)) await adapter.stop();
});
afterAll(async () => {
  await slack.close();
});

/** The adapter started post-only from the environment, counting every server that starts listening meanwhile. */
async function startPostOnly(env: Record<string, string> = {}): Promise<{ adapter: SlackAdapter; listens: number }> {
  const listen = vi.spyOn(Server.prototype, 'listen');
  const adapter = slackAdapterFromEnv({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: slack.apiUrl, ...env }, log, {
    receive: false,
  });
  adapters.push(adapter);
  try {
    await adapter.start(untouchedEngine);
  } finally {
    listen.mockRestore();
  }
  return { adapter, listens: listen.mock.calls.length };
}

describe('Slack post-only settings', () => {
  it('need only SLACK_BOT_TOKEN, and ignore what only receiving reads', () => {
    const settings = slackSettingsFromEnv(
      { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: 'not-an-app-token', PORT: 'http' },
      { receive: false },
    );
    expect(settings).toMatchObject({ mode: 'post-only', appToken: null, signingSecret: null });
    // without the option the same environment is refused as before
    expect(() => slackSettingsFromEnv({ SLACK_BOT_TOKEN: BOT_TOKEN })).toThrow(
      /^Slack needs SLACK_APP_TOKEN \(Socket Mode.*SLACK_SIGNING_SECRET/,
    );
  });

  it('still refuse a missing or non-bot token in one sentence', () => {
    expect(() => slackSettingsFromEnv({}, { receive: false })).toThrow(
      'SLACK_BOT_TOKEN is not set: posting to Slack needs the bot token (xoxb-…).',
    );
    expect(() => slackSettingsFromEnv({ SLACK_BOT_TOKEN: 'xapp-1' }, { receive: false })).toThrow(
      'SLACK_BOT_TOKEN is not a bot token: it must start with xoxb- (OAuth & Permissions in the app settings).',
    );
  });
});

describe('Slack post-only adapter', () => {
  it('checks the token once and opens no port and no Socket Mode connection', async () => {
    slack.calls.length = 0;
    const { adapter, listens } = await startPostOnly();
    expect(listens).toBe(0);
    expect(adapter.port).toBeNull();
    expect(slack.callsOf('auth.test').map((c) => c.token)).toEqual([BOT_TOKEN]);
    expect(slack.callsOf('apps.connections.open')).toEqual([]);
    expect(slack.socketClients).toBe(0);
    expect(adapter.isConnected()).toBe(true);
    expect(logs.some((l) => l.msg === 'slack connected' && l.mode === 'post-only')).toBe(true);
    await adapter.stop();
    expect(adapter.isConnected()).toBe(false);
  });

  it('posts a digest and returns its message id, then its stories in the thread', async () => {
    const { adapter } = await startPostOnly();
    slack.calls.length = 0;
    const result = await adapter.post(channelTarget('C0WORKER'), syntheticDigest(3));
    const [posted] = slack.callsOf('chat.postMessage');
    const ts = (posted?.result as { ts?: string } | undefined)?.ts;
    expect(ts).toBeDefined();
    expect(result).toEqual({ ok: true, messageId: `C0WORKER:${ts}` });
    expect(posted?.token).toBe(BOT_TOKEN);
    expect(posted?.args.unfurl_links).toBe('false');
    const blocks = JSON.stringify(posted?.args.blocks as Block[]);
    for (const title of ['Story 0', 'Story 1', 'Story 2']) expect(blocks).toContain(title);

    if (!result.ok) throw new Error('the digest was not posted');
    const thread = await adapter.openThread(channelTarget('C0WORKER'), result.messageId, 'Digest');
    expect(thread).toEqual({ ok: true, threadId: result.messageId });
    const reply = await adapter.post({ ...channelTarget('C0WORKER'), thread: result.messageId }, syntheticDigest(1));
    expect(reply.ok).toBe(true);
    expect(slack.callsOf('chat.postMessage')[1]?.args).toMatchObject({ channel: 'C0WORKER', thread_ts: ts });
  });

  it('maps failures as always: a long 429 is rateLimited, a deleted channel gone', async () => {
    const { adapter } = await startPostOnly();
    slack.script('chat.postMessage', { status: 429, headers: { 'retry-after': '30' } });
    const limited = await adapter.post(channelTarget('C0BUSY'), syntheticDigest(1));
    expect(limited).toMatchObject({ ok: false, failure: { kind: 'rateLimited', retryAfterMs: 30_000 } });

    slack.script('chat.postMessage', { ok: false, error: 'channel_not_found' });
    const gone = await adapter.post(channelTarget('C0GONE'), syntheticDigest(1));
    expect(gone).toMatchObject({ ok: false, failure: { kind: 'gone', detail: 'channel_not_found' } });
    expect(adapter.isConnected()).toBe(true);

    // a token revoked since start: the next post says so, and so does the health check
    slack.script('chat.postMessage', { ok: false, error: 'token_revoked' });
    const revoked = await adapter.post(channelTarget('C0REVOKED'), syntheticDigest(1));
    expect(revoked).toMatchObject({ ok: false, failure: { kind: 'forbidden', detail: 'token_revoked' } });
    expect(adapter.isConnected()).toBe(false);
  });

  it('stops start with the usual one line when Slack rejects the bot token', async () => {
    const bad = CANARY.slackRevokedBotToken;
    await expect(startPostOnly({ SLACK_BOT_TOKEN: bad })).rejects.toThrow(
      new Error("Slack rejected SLACK_BOT_TOKEN (invalid_auth): copy the token from the app's settings page again."),
    );
    expect(slack.callsOf('auth.test').some((c) => c.token === bad)).toBe(true);
    expect(adapters.at(-1)?.isConnected()).toBe(false);
  });

  it('is told apart from HTTP mode, which does open its port (what the listen count would catch)', async () => {
    const listen = vi.spyOn(Server.prototype, 'listen');
    const settings = slackSettingsFromEnv({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
    });
    const http = createSlackAdapter({ settings, log, host: '127.0.0.1' });
    adapters.push(http);
    await http.start(untouchedEngine);
    expect(listen).toHaveBeenCalled();
    expect(http.port).toBeGreaterThan(0);
  });
});
