/**
 * Slack faults around one command or event: a Socket Mode connection cut after the envelope reached the bot but
 * before its ack got back, and Slack's redeliveries (`retry_attempt` in Socket Mode, `X-Slack-Retry-Num` over
 * HTTP). The real Bolt App against the local stand-in: every command is answered exactly once, every event
 * handled once, and a retry is acknowledged so Slack stops sending it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deliveryKey, SeenDeliveries } from '../../adapters/slack/redeliveries.ts';
import type { SqliteApp } from '../../src/app.ts';
import { useTempDir } from '../helpers/tempDir.ts';
import { SIGNING_SECRET, sign, slashCommand, TEAM, waitFor } from '../slack/standIn.ts';
import { markerOf } from './feeds.ts';
import { DUE_MS, openNewsApp, type SlackWorld, startSlack } from './platformHarness.ts';

const tempDir = useTempDir();
const WIRE = markerOf('wire');
type Harness = SlackWorld & { app: SqliteApp };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Long enough for an answer that is coming to arrive (answers take tens of milliseconds here). */
const QUIET_MS = 400;

const harnesses: Harness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
});

async function harness(mode: 'socket' | 'http'): Promise<Harness> {
  const app = await openNewsApp(tempDir(), { ms: DUE_MS });
  const world = await startSlack(app, mode);
  const h = {
    ...world,
    app,
    close: async () => {
      await world.close();
      app.close();
    },
  };
  harnesses.push(h);
  return h;
}

let triggers = 0;
/** A `/news` command with a trigger id of its own, as every invocation has. */
function command(h: Harness, text: string) {
  const responseUrl = h.slack.responseUrl();
  return { responseUrl, payload: { ...slashCommand({ text, responseUrl }), trigger_id: `9${++triggers}.111.fault` } };
}

function homeOpened(eventId: string) {
  return {
    team_id: TEAM,
    api_app_id: 'A0TEST',
    type: 'event_callback',
    event_id: eventId,
    event_time: 1,
    event: { type: 'app_home_opened', user: 'U0MEMBER', channel: 'D0MEMBER', tab: 'home', event_ts: '1.0' },
  };
}

/** The socket-mode client reconnects after its ping timeout (5 s) once a connection is lost. */
async function reconnected(h: Harness, opens: number): Promise<void> {
  await waitFor(
    () => h.slack.callsOf('apps.connections.open').length >= opens && h.slack.socketClients === 1,
    10_000,
    'the Socket Mode connection to come back',
  );
  await waitFor(() => h.adapter.isConnected(), 5000, 'hello on the new connection');
}

describe('Slack Socket Mode drops and redeliveries', () => {
  it('answers a command once when the socket drops before the ack and Slack redelivers it', async () => {
    const h = await harness('socket');
    const { responseUrl, payload } = command(h, WIRE);
    const first = h.slack.deliver('slash_commands', payload, { dropAfter: true });
    await reconnected(h, 2);
    // the cut connection never carried the ack
    expect(h.slack.acks.has(first)).toBe(false);
    const ack = await h.slack.sendEnvelope('slash_commands', payload, 3000, {
      retryAttempt: 1,
      retryReason: 'timeout',
    });
    expect(ack.envelope_id).toBeTruthy();
    await waitFor(() => h.slack.responsesTo(responseUrl).length > 0, 5000, 'the answer');
    await sleep(QUIET_MS);
    const answers = h.slack.responsesTo(responseUrl);
    expect(answers).toHaveLength(1);
    expect(answers[0]?.body.text).toBe(`Results for "${WIRE}"`);
    // the redelivery is logged once, as such
    const dropped = h.logs.filter((l) => String(l.msg).startsWith('slack redelivery'));
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toMatchObject({ retryNum: 1, retryReason: 'timeout' });

    // a new command (its own trigger id) on the new connection is answered as usual
    const next = command(h, 'nvidia');
    await h.slack.sendEnvelope('slash_commands', next.payload);
    await waitFor(() => h.slack.responsesTo(next.responseUrl).length > 0, 5000, 'the next answer');
    expect(h.slack.responsesTo(next.responseUrl)).toHaveLength(1);
  });

  it('answers a command once when Slack redelivers one that was acked (the ack came too late)', async () => {
    const h = await harness('socket');
    const { responseUrl, payload } = command(h, WIRE);
    await h.slack.sendEnvelope('slash_commands', payload);
    await waitFor(() => h.slack.responsesTo(responseUrl).length > 0, 5000, 'the answer');
    for (const attempt of [1, 2]) {
      const ack = await h.slack.sendEnvelope('slash_commands', payload, 3000, {
        retryAttempt: attempt,
        retryReason: 'timeout',
      });
      // acknowledged, so Slack stops retrying
      expect(ack.envelope_id).toBeTruthy();
    }
    await sleep(QUIET_MS);
    expect(h.slack.responsesTo(responseUrl)).toHaveLength(1);
  });

  it('handles an event once when Slack redelivers it with the same event id', async () => {
    const h = await harness('socket');
    await h.slack.sendEnvelope('events_api', homeOpened('EvFault1'));
    await waitFor(() => h.slack.callsOf('views.publish').length > 0, 5000, 'the Home tab');
    await h.slack.sendEnvelope('events_api', homeOpened('EvFault1'), 3000, { retryAttempt: 1, retryReason: 'timeout' });
    await sleep(QUIET_MS);
    expect(h.slack.callsOf('views.publish')).toHaveLength(1);
    // another event is not mistaken for it
    await h.slack.sendEnvelope('events_api', homeOpened('EvFault2'));
    await waitFor(() => h.slack.callsOf('views.publish').length === 2, 5000, 'the second Home tab');
  });
});

describe('Slack response_url faults', () => {
  it('answers a command whose response_url meets a 5xx twice', async () => {
    const h = await harness('socket');
    const { responseUrl, payload } = command(h, WIRE);
    h.slack.failResponses(503, 2);
    await h.slack.sendEnvelope('slash_commands', payload);
    await waitFor(() => h.slack.responsesTo(responseUrl).length > 0, 5000, 'the answer');
    await sleep(QUIET_MS);
    expect(h.slack.responsesTo(responseUrl)).toHaveLength(1);
  });

  it('does not retry a response_url Slack refuses (4xx: expired or used up)', async () => {
    const h = await harness('socket');
    const { responseUrl, payload } = command(h, WIRE);
    h.slack.failResponses(404, 1);
    await h.slack.sendEnvelope('slash_commands', payload);
    await sleep(2000);
    expect(h.slack.responsesTo(responseUrl)).toHaveLength(0);
    expect(h.logs.filter((l) => l.msg === 'slack handler failed')).toHaveLength(1);
  });
});

describe('Slack HTTP-mode redeliveries', () => {
  it('answers 200 to X-Slack-Retry-Num and does not answer the command again', async () => {
    const h = await harness('http');
    const url = `http://127.0.0.1:${h.adapter.port}/slack/events`;
    const { responseUrl, payload } = command(h, WIRE);
    const post = async (retry: number | null) => {
      const body = new URLSearchParams(payload).toString();
      const timestamp = Math.floor(Date.now() / 1000);
      const response = await fetch(url, {
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
    };
    expect(await post(null)).toBe(200);
    await waitFor(() => h.slack.responsesTo(responseUrl).length > 0, 5000, 'the answer');
    expect(await post(1)).toBe(200);
    expect(await post(2)).toBe(200);
    await sleep(QUIET_MS);
    expect(h.slack.responsesTo(responseUrl)).toHaveLength(1);
  });
});

describe('SeenDeliveries', () => {
  it('stays bounded: forgets the oldest past its capacity and anything past its TTL', () => {
    let now = 0;
    const seen = new SeenDeliveries(3, 1000, () => now);
    expect(['a', 'b', 'c'].map((k) => seen.seenBefore(k))).toEqual([false, false, false]);
    expect(seen.seenBefore('a')).toBe(true);
    expect(seen.seenBefore('d')).toBe(false);
    expect(seen.size).toBe(3);
    // 'a' was the oldest: forgotten for 'd'
    expect(seen.seenBefore('a')).toBe(false);
    now = 5000;
    expect(seen.seenBefore('e')).toBe(false);
    expect(seen.size).toBe(1);
  });

  it('keys a delivery by its event id, else its trigger id, per workspace', () => {
    expect(deliveryKey({ team_id: 'T1', event_id: 'Ev1', trigger_id: 'x' })).toBe('event:T1:Ev1');
    expect(deliveryKey({ team: { id: 'T1' }, trigger_id: '1.2.3' })).toBe('trigger:T1:1.2.3');
    expect(deliveryKey({ team_id: 'T1' })).toBeNull();
    expect(deliveryKey(null)).toBeNull();
  });
});
