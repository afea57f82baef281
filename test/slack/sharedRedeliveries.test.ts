/**
 * Several HTTP receivers behind a load balancer, on one database: Slack's retry of a command (`X-Slack-Retry-Num`)
 * that lands on another receiver than the first delivery is acked there and not answered again. The real Bolt App
 * twice, on two ports, each with a connection of its own to the same SQLite file.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SharedSeenDeliveries } from '../../adapters/slack/redeliveries.ts';
import { slackSettingsFromEnv } from '../../adapters/slack/settings.ts';
import { createSlackAdapter, type SlackAdapter } from '../../adapters/slack/slackAdapter.ts';
import { sharedDeliveriesOver } from '../../src/engine/sharedDeliveries.ts';
import { createLogger } from '../../src/ops/logger.ts';
import type { SqliteStore } from '../../storage/sqlite/index.ts';
import { openSqliteStore } from '../../storage/sqlite/index.ts';
import { openArchive } from './harness.ts';
import { BOT_TOKEN, SIGNING_SECRET, SlackStandIn, sign, slashCommand, waitFor } from './standIn.ts';

let slack: SlackStandIn;
let archive: Awaited<ReturnType<typeof openArchive>>;
let secondConnection: SqliteStore;
/** Two receivers sharing the database's deliveries, and one that remembers only its own. */
let first: SlackAdapter;
let second: SlackAdapter;
let alone: SlackAdapter;
const logs: Record<string, unknown>[] = [];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Long enough for an answer that is coming to arrive (answers take tens of milliseconds here). */
const QUIET_MS = 500;

beforeAll(async () => {
  slack = await new SlackStandIn().start();
  slack.users.set('U0MEMBER', { locale: 'en-US' });
  archive = await openArchive();
  secondConnection = openSqliteStore(archive.app.dbPath);
  const log = createLogger({
    destination: { write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) },
    pretty: false,
    level: 'info',
  });
  const settings = slackSettingsFromEnv({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
  });
  const receiver = (deliveries?: Parameters<typeof createSlackAdapter>[0]['deliveries']) =>
    createSlackAdapter({ settings, log, host: '127.0.0.1', postIntervalMs: 20, ...(deliveries ? { deliveries } : {}) });
  first = receiver(sharedDeliveriesOver(archive.app.storage));
  second = receiver(sharedDeliveriesOver(secondConnection.async));
  alone = receiver();
  for (const adapter of [first, second, alone]) await adapter.start(archive.app.engine);
});

afterAll(async () => {
  for (const adapter of [first, second, alone]) await adapter?.stop();
  secondConnection?.close();
  await slack?.close();
  archive?.app.close();
  if (archive) rmSync(archive.dir, { recursive: true, force: true });
});

/** POSTs a signed command to a receiver, as Slack's retry `retry` (null: the first delivery); the status. */
async function deliver(to: SlackAdapter, fields: Record<string, string>, retry: number | null): Promise<number> {
  const body = new URLSearchParams(fields).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await fetch(`http://127.0.0.1:${to.port}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': sign(SIGNING_SECRET, timestamp, body),
      ...(retry === null ? {} : { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' }),
    },
    body,
  });
  await response.text();
  return response.status;
}

const newCommand = () => {
  const responseUrl = slack.responseUrl();
  return { responseUrl, fields: slashCommand({ text: 'samsung', responseUrl }) };
};

describe('Slack retries across receivers on one database', () => {
  it('acks a retry that reaches the second receiver and does not answer it again', async () => {
    const { responseUrl, fields } = newCommand();
    expect(await deliver(first, fields, null)).toBe(200);
    await waitFor(() => slack.responsesTo(responseUrl).length > 0, 5000, 'the answer');
    expect(await deliver(second, fields, 1)).toBe(200);
    expect(await deliver(first, fields, 2)).toBe(200);
    await sleep(QUIET_MS);
    expect(slack.responsesTo(responseUrl)).toHaveLength(1);
    const dropped = logs.filter((l) => String(l.msg).startsWith('slack redelivery'));
    expect(dropped.map((l) => l.retryNum)).toEqual([1, 2]);
    // the key taken is in the shared table, once
    const rows = secondConnection.async.slackDeliveries;
    expect(await rows.take(`trigger:${fields.team_id}:${fields.trigger_id}`, new Date().toISOString())).toBe(false);
  });

  it('answers a command once when the first delivery and a retry reach both receivers at the same moment', async () => {
    const { responseUrl, fields } = newCommand();
    expect(await Promise.all([deliver(first, fields, null), deliver(second, fields, 1)])).toEqual([200, 200]);
    await waitFor(() => slack.responsesTo(responseUrl).length > 0, 5000, 'the answer');
    await sleep(QUIET_MS);
    expect(slack.responsesTo(responseUrl)).toHaveLength(1);
  });

  it('would answer twice without the shared store: a receiver alone knows only its own deliveries', async () => {
    const { responseUrl, fields } = newCommand();
    expect(await deliver(first, fields, null)).toBe(200);
    await waitFor(() => slack.responsesTo(responseUrl).length > 0, 5000, 'the answer');
    expect(await deliver(alone, fields, 1)).toBe(200);
    await waitFor(() => slack.responsesTo(responseUrl).length > 1, 5000, 'the second answer');
    expect(slack.responsesTo(responseUrl)).toHaveLength(2);
  });
});

describe('the shared deliveries', () => {
  it('prune what is older than the retry window, at most once per interval, without holding up a delivery', async () => {
    let now = Date.parse('2026-12-01T00:00:00.000Z');
    const taken = new Set<string>();
    const prunes: string[] = [];
    const store = {
      slackDeliveries: {
        take: async (key: string) => !taken.has(key) && Boolean(taken.add(key)),
        prune: async (before: string) => {
          prunes.push(before);
          return 0;
        },
      },
    };
    const shared = sharedDeliveriesOver(store, { keepMs: 60_000, pruneEveryMs: 10_000, now: () => now });
    expect(await shared.takeFirst('a')).toBe(true);
    expect(await shared.takeFirst('a')).toBe(false);
    now += 5_000;
    expect(await shared.takeFirst('b')).toBe(true);
    now += 5_000;
    await shared.takeFirst('c');
    expect(prunes).toEqual(['2026-11-30T23:59:00.000Z', '2026-11-30T23:59:10.000Z']);
  });

  it('handles a delivery when the database cannot say (answering twice beats answering nobody)', async () => {
    const errors: string[] = [];
    const seen = new SharedSeenDeliveries({ takeFirst: () => Promise.reject(new Error('connection lost')) }, (_, key) =>
      errors.push(key),
    );
    expect(await seen.seenBefore('trigger:T:1')).toBe(false);
    expect(errors).toEqual(['trigger:T:1']);
  });
});
