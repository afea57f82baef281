import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SLACK_API_URL, slackSettingsFromEnv } from '../../adapters/slack/settings.ts';
import { createSlackAdapter } from '../../adapters/slack/slackAdapter.ts';
import { createLogger } from '../../src/ops/logger.ts';
import { CANARY } from '../helpers/secrets.ts';
import { openArchive } from './harness.ts';
import { APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, SlackStandIn } from './standIn.ts';

describe('Slack settings from the environment', () => {
  it('chooses Socket Mode with an app token, HTTP on PORT (default 3000) with a signing secret', () => {
    expect(slackSettingsFromEnv({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN })).toMatchObject({
      mode: 'socket',
      apiUrl: SLACK_API_URL,
    });
    expect(slackSettingsFromEnv({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET })).toMatchObject({
      mode: 'http',
      port: 3000,
    });
    const moved = slackSettingsFromEnv({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      PORT: '8080',
      SLACK_API_URL: 'http://127.0.0.1:9999/api',
      SLACK_MANAGERS: ' U1, U2 ,,',
    });
    expect(moved).toMatchObject({ port: 8080, apiUrl: 'http://127.0.0.1:9999/api/' });
    expect([...moved.managers]).toEqual(['U1', 'U2']);
  });

  it.each([
    [{ SLACK_APP_TOKEN: APP_TOKEN }, /^SLACK_BOT_TOKEN is not set/],
    [{ SLACK_BOT_TOKEN: CANARY.slackUserToken, SLACK_APP_TOKEN: APP_TOKEN }, /^SLACK_BOT_TOKEN is not a bot token/],
    [
      { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: CANARY.slackRevokedBotToken },
      /^SLACK_APP_TOKEN is not an app-level token/,
    ],
    [{ SLACK_BOT_TOKEN: BOT_TOKEN }, /^Slack needs SLACK_APP_TOKEN/],
    [
      { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, PORT: 'eighty' },
      /^PORT must be a whole number/,
    ],
    [
      { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: 'ftp://x' },
      /^SLACK_API_URL must start/,
    ],
  ])('refuses %j in one sentence that never repeats a token', (env, message) => {
    expect(() => slackSettingsFromEnv(env)).toThrow(message);
    try {
      slackSettingsFromEnv(env);
    } catch (error) {
      const text = (error as Error).message;
      expect(text.split('\n')).toHaveLength(1);
      for (const value of Object.values(env)) if (value.length > 8) expect(text).not.toContain(value);
    }
  });

  it('fails start() in one sentence when Slack rejects the app token', async () => {
    const slack = await new SlackStandIn().start();
    const { app, dir } = await openArchive();
    try {
      const adapter = createSlackAdapter({
        settings: slackSettingsFromEnv({
          SLACK_BOT_TOKEN: BOT_TOKEN,
          SLACK_APP_TOKEN: CANARY.slackRevokedAppToken,
          SLACK_API_URL: slack.apiUrl,
        }),
        log: createLogger({ destination: { write: () => {} }, level: 'silent' }),
      });
      await expect(adapter.start(app.engine)).rejects.toThrow(
        "Slack rejected SLACK_APP_TOKEN (invalid_auth): copy the token from the app's settings page again.",
      );
      expect(adapter.isConnected()).toBe(false);
    } finally {
      app.close();
      rmSync(dir, { recursive: true, force: true });
      await slack.close();
    }
  });
});
