import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SlackSettings, slackSettingsFromEnv } from '../../adapters/slack/settings.ts';
import { createSlackAdapter, type SlackAdapter } from '../../adapters/slack/slackAdapter.ts';
import type { SqliteApp } from '../../src/app.ts';
import type { PostTarget } from '../../src/engine/port.ts';
import { createLogger } from '../../src/ops/logger.ts';
import { openSampleApp } from '../helpers/sample.ts';
import { APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, SlackStandIn, TEAM } from './standIn.ts';

/** The article whose title tries every mrkdwn trick: it must show as typed. */
export const HOSTILE_TITLE = '<!channel> <@U123> <http://x|y> & more';

export interface Harness {
  slack: SlackStandIn;
  app: SqliteApp;
  adapter: SlackAdapter;
  /** Log lines the adapter wrote (JSON). */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/** The sample archive plus one article with a hostile title (found by `/news zqxjv`). */
export async function openArchive(): Promise<{ app: SqliteApp; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'newsbrief-slack-'));
  const app = await openSampleApp(dir);
  // a feed, because feeds keep a title exactly as published (entities decoded)
  const file = join(dir, 'hostile.xml');
  writeFileSync(
    file,
    `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Hostile &lt;!here&gt; Wire</title><link>https://hostile.example/</link>
<item><title>&lt;!channel&gt; &lt;@U123&gt; &lt;http://x|y&gt; &amp; more</title><link>https://hostile.example/a/1</link>
<pubDate>Thu, 26 Nov 2026 09:00:00 +0900</pubDate>
<description>The zqxjv gadget went on sale in Seoul on Thursday. Its maker said the zqxjv line would grow next year.</description>
</item></channel></rss>`,
  );
  await app.ingestor.ingestPaths([file]);
  return { app, dir };
}

export async function startHarness(
  mode: 'http' | 'socket',
  options: { postIntervalMs?: number; maxRetryWaitMs?: number; managers?: string } = {},
): Promise<Harness> {
  const slack = await new SlackStandIn().start();
  slack.users.set('U0ADMIN', { is_admin: true, locale: 'en-US' });
  slack.users.set('U0MEMBER', { locale: 'en-US' });
  slack.users.set('U0KO', { locale: 'ko-KR' });
  const { app, dir } = await openArchive();
  const logs: Record<string, unknown>[] = [];
  const log = createLogger({
    destination: { write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) },
    pretty: false,
    level: 'info',
  });
  const settings: SlackSettings = slackSettingsFromEnv({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    ...(mode === 'socket' ? { SLACK_APP_TOKEN: APP_TOKEN } : { SLACK_SIGNING_SECRET: SIGNING_SECRET }),
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    SLACK_MANAGERS: options.managers ?? '',
  });
  const adapter = createSlackAdapter({
    settings,
    log,
    host: '127.0.0.1',
    postIntervalMs: options.postIntervalMs ?? 50,
    maxRetryWaitMs: options.maxRetryWaitMs ?? 5000,
  });
  await adapter.start(app.engine);
  return {
    slack,
    app,
    adapter,
    logs,
    close: async () => {
      await adapter.stop();
      await slack.close();
      app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Where the scheduler would post in a channel of the stand-in's workspace. */
export function channelTarget(id: string): PostTarget {
  return { key: `slack:${id}`, kind: 'channel', platform: 'slack', workspace: TEAM, channel: id, user: null };
}
