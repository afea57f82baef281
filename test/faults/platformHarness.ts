/**
 * What the platform fault tests share: a real SQLite file with a day of news (each item a story of its own), a
 * channel scheduled for a digest, the real DigestScheduler on a clock the test moves, and the real Slack adapter
 * (Bolt) against the local stand-in. Lighter than the sample archive: twelve items, ingested in milliseconds.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SlackSettings, slackSettingsFromEnv } from '../../adapters/slack/settings.ts';
import { createSlackAdapter, type SlackAdapter } from '../../adapters/slack/slackAdapter.ts';
import { openApp, type SqliteApp } from '../../src/app.ts';
import { DigestScheduler, type PostEvent, type SchedulerOptions } from '../../src/delivery/digestScheduler.ts';
import { newDestination } from '../../src/engine/destinations.ts';
import { createLogger } from '../../src/ops/logger.ts';
import { APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, SlackStandIn } from '../slack/standIn.ts';
import { faultFeed } from './feeds.ts';

/** 09:00 UTC on a Thursday: the digests below are due at this minute. */
export const DUE_MS = Date.parse('2026-11-26T09:00:00Z');
export const MINUTE = 60_000;

export interface Clock {
  ms: number;
}

/** A database holding twelve stories of the last six hours, on the test's clock. */
export async function openNewsApp(dir: string, clock: Clock): Promise<SqliteApp> {
  const app = openApp({ dbPath: join(dir, 'nb.db'), configPath: null, now: () => new Date(clock.ms) });
  const file = join(dir, 'wire.xml');
  // long sentences: a digest of them does not fit one Discord message (6000 characters of embeds)
  writeFileSync(file, faultFeed('https://wire.example', 'wire', 12, { newest: new Date(DUE_MS), sentenceWords: 110 }));
  await app.ingestor.ingestPaths([file]);
  return app;
}

/** A channel whose digest is due at 09:00 UTC every day; returns its destination key. */
export function scheduleChannel(app: SqliteApp, platform: string, workspace: string, channel: string): string {
  const destination = app.store.destinations.ensure({
    ...newDestination({ platform, workspace, channel, user: null }),
    digestTime: '09:00',
    timeZone: 'UTC',
    weekdays: [],
  });
  return destination.key;
}

export function scheduler(app: SqliteApp, clock: Clock, post: SchedulerOptions['post'], events: PostEvent[]) {
  return new DigestScheduler({
    store: app.storage,
    engine: app.engine,
    post,
    defaultTimeZone: 'UTC',
    now: () => new Date(clock.ms),
    holder: 'faults:1',
    // no "feed is failing" notices: only digests are posted here
    sourceNoticeAfterMs: 0,
    onPost: (event) => events.push(event),
  });
}

/** The ledger rows of a destination's digests: what the store says was sent, failed or is pending. */
export function digestLedger(app: SqliteApp, destination: string) {
  return app.store.ledger.recent(destination, 20).filter((e) => e.kind === 'digest');
}

export interface SlackWorld {
  slack: SlackStandIn;
  adapter: SlackAdapter;
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/** The real Slack adapter (Bolt) in Socket Mode or HTTP mode against a fresh stand-in. */
export async function startSlack(app: SqliteApp, mode: 'socket' | 'http'): Promise<SlackWorld> {
  const slack = await new SlackStandIn().start();
  slack.users.set('U0ADMIN', { is_admin: true, locale: 'en-US' });
  slack.users.set('U0MEMBER', { locale: 'en-US' });
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
  });
  const adapter = createSlackAdapter({ settings, log, host: '127.0.0.1', postIntervalMs: 20, maxRetryWaitMs: 1500 });
  await adapter.start(app.engine);
  return {
    slack,
    adapter,
    logs,
    close: async () => {
      await adapter.stop();
      await slack.close();
    },
  };
}
