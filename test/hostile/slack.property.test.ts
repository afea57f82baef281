/**
 * Hostile Slack payloads, correctly signed so they get past the signature check: random and mutated form bodies,
 * JSON bodies and raw bytes at the real Bolt app's HTTP endpoint (GuardedHttpReceiver), and random envelopes over
 * Socket Mode. The process keeps serving: every request is answered (Bolt holds an unhandled one 3 s), no handler
 * of newsbrief's own throws, every well-formed /news command gets its answer whatever its text, and a plain
 * `/news samsung` still works afterwards.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../slack/harness.ts';
import { SIGNING_SECRET, sign, slashCommand, TEAM, waitFor } from '../slack/standIn.ts';
import { countInputs, mutatedArb, randomTextArb, runs, timedAsync } from './mutate.ts';

const count = countInputs('hostile Slack');

/** Log lines where one of newsbrief's own handlers threw (Bolt logs and swallows them). */
function ownFailures(h: Harness): Record<string, unknown>[] {
  return h.logs.filter((line) => {
    if (line.msg !== 'slack handler failed') return false;
    return /adapters\/slack|src\//.test(JSON.stringify(line.err ?? ''));
  });
}

async function postRaw(url: string, body: string | Uint8Array, contentType: string): Promise<number> {
  const timestamp = Math.floor(Date.now() / 1000);
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('latin1');
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      // Bolt verifies the signature over the body as it reads it (UTF-8 for strings)
      'x-slack-signature': sign(SIGNING_SECRET, timestamp, typeof body === 'string' ? body : text),
    },
    body: typeof body === 'string' ? body : Buffer.from(body),
  });
  await response.text();
  return response.status;
}

const FIELD_NAMES = [
  'token',
  'team_id',
  'channel_id',
  'user_id',
  'command',
  'text',
  'response_url',
  'trigger_id',
  'api_app_id',
  'payload',
  'ssl_check',
  'enterprise_id',
  'is_enterprise_install',
];

function buttonPayload(actionId: string, value: string, responseUrl: string) {
  return {
    type: 'block_actions',
    team: { id: TEAM, domain: 'test' },
    user: { id: 'U0MEMBER', team_id: TEAM },
    api_app_id: 'A0TEST',
    container: { type: 'message', message_ts: '1.0', channel_id: 'C0NEWS', is_ephemeral: true },
    channel: { id: 'C0NEWS', name: 'news' },
    trigger_id: '1.2.3',
    response_url: responseUrl,
    actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: '1.0' }],
  };
}

/** Stands for a response_url of the stand-in; replaced by a fresh one when a body is sent. */
const RESPONSE_URL = 'http://response.url.invalid/r';

const ACTION_IDS = ['news_next_page', 'news_follow_here', 'news_follow_me', 'news_unfollow_mine', 'unknown_action'];

describe('Slack HTTP mode: signed hostile requests', () => {
  let h: Harness;
  let endpoint: string;
  beforeAll(async () => {
    h = await startHarness('http', { postIntervalMs: 1 });
    endpoint = `http://127.0.0.1:${h.adapter.port}/slack/events`;
  });
  afterAll(async () => {
    await h?.close();
  });

  /** A form body: known and random field names, random and hostile values, fields repeated. */
  const formArb = fc
    .array(
      fc.tuple(
        fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 10 })),
        fc.oneof(randomTextArb, fc.constantFrom('/news', '/weather', 'http://127.0.0.1:1/x', 'true', '')),
      ),
      { maxLength: 12 },
    )
    .map((pairs) => new URLSearchParams(pairs).toString());

  const seedPayloads = ACTION_IDS.map((id) =>
    JSON.stringify(buttonPayload(id, JSON.stringify({ q: 'ai', p: 2 }), RESPONSE_URL)),
  );
  const payloadFormArb = fc
    .oneof(
      mutatedArb(seedPayloads),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc
        .tuple(
          fc.constantFrom(...ACTION_IDS),
          fc.oneof(
            randomTextArb,
            fc.jsonValue().map((v) => JSON.stringify(v)),
          ),
        )
        .map(([id, value]) => JSON.stringify(buttonPayload(id, value, RESPONSE_URL))),
    )
    .map((payload) => new URLSearchParams({ payload }).toString());
  const live = (body: string) =>
    body.replaceAll(encodeURIComponent(RESPONSE_URL), encodeURIComponent(h.slack.responseUrl()));

  const jsonArb = fc.oneof(
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 50 }).map((challenge) => JSON.stringify({ type: 'url_verification', challenge })),
    fc
      .jsonValue()
      .map((event) =>
        JSON.stringify({ type: 'event_callback', team_id: TEAM, api_app_id: 'A0TEST', event_id: 'Ev1', event }),
      ),
    mutatedArb([
      JSON.stringify({
        type: 'event_callback',
        team_id: TEAM,
        event: { type: 'app_home_opened', user: 'U0KO', tab: 'home' },
      }),
    ]),
  );

  it('answers every signed form, JSON or binary body, and its own handlers never throw', async () => {
    const bodyArb = fc.oneof(
      formArb.map((body) => ({ body, type: 'application/x-www-form-urlencoded' })),
      payloadFormArb.map((body) => ({ body, type: 'application/x-www-form-urlencoded' })),
      jsonArb.map((body) => ({ body, type: 'application/json' })),
      fc.record({
        body: fc.uint8Array({ maxLength: 200 }),
        type: fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain', ''),
      }),
    );
    // Bolt holds a request no listener acks for 3 s before it answers it: the bodies go in parallel batches.
    await fc.assert(
      fc.asyncProperty(fc.array(bodyArb, { minLength: 40, maxLength: 40 }), async (batch) => {
        await Promise.all(
          batch.map(async ({ body, type }) => {
            count('HTTP body');
            const sent = typeof body === 'string' ? live(body) : body;
            const status = await timedAsync('Slack HTTP request', () => postRaw(endpoint, sent, type), 5000);
            // 500: Bolt's own answer to an event it cannot dispatch (`"event": 0`), after logging it
            expect([200, 400, 401, 404, 500], `${status} for ${type}: ${String(body).slice(0, 200)}`).toContain(status);
          }),
        );
      }),
      runs(2, 12_000),
    );
    // handlers run after the ack: give the last ones time to finish
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(ownFailures(h).map((l) => JSON.stringify(l.err).slice(0, 300))).toEqual([]);
  });

  it('answers every well-formed /news command through its response_url, whatever its text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(randomTextArb, fc.string({ maxLength: 3000 })), async (text) => {
        count('slash command text');
        const responseUrl = h.slack.responseUrl();
        const body = new URLSearchParams(slashCommand({ text, responseUrl })).toString();
        expect(await postRaw(endpoint, body, 'application/x-www-form-urlencoded')).toBe(200);
        await waitFor(() => h.slack.responsesTo(responseUrl).length > 0, 5000, `the answer to ${JSON.stringify(text)}`);
        const answer = h.slack.responsesTo(responseUrl)[0]?.body as { text?: unknown };
        expect(typeof answer.text).toBe('string');
      }),
      runs(60, 8000),
    );
    expect(ownFailures(h)).toEqual([]);
  });

  it('answers 400 to a signed body that is JSON null (it once rejected a promise nobody awaited: a crash)', async () => {
    for (const [body, type] of [
      ['null', 'application/json'],
      ['5', 'application/json'],
      ['"text"', 'application/json'],
      ['payload=null', 'application/x-www-form-urlencoded'],
      ['payload=true', 'application/x-www-form-urlencoded'],
    ] as const) {
      expect(await postRaw(endpoint, body, type), body).toBe(400);
    }
  });

  it('still answers /news samsung after all that', async () => {
    const responseUrl = h.slack.responseUrl();
    const body = new URLSearchParams(slashCommand({ text: 'samsung', responseUrl })).toString();
    expect(await postRaw(endpoint, body, 'application/x-www-form-urlencoded')).toBe(200);
    await waitFor(() => h.slack.responsesTo(responseUrl).length > 0, 5000, 'the answer');
    expect((h.slack.responsesTo(responseUrl)[0]?.body as { text?: string } | undefined)?.text).toBe(
      'Results for "samsung"',
    );
  });
});

describe('Slack Socket Mode: hostile envelopes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('socket', { postIntervalMs: 1 });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('acks or ignores random envelopes, stays connected, and its own handlers never throw', async () => {
    const payloadArb = fc.oneof(
      fc.dictionary(fc.constantFrom(...FIELD_NAMES, 'type', 'event', 'actions', 'user'), fc.jsonValue(), {
        maxKeys: 8,
      }),
      fc.oneof(randomTextArb, fc.string()).map((text) => slashCommand({ text, responseUrl: RESPONSE_URL })),
      fc
        .tuple(
          fc.constantFrom(...ACTION_IDS),
          fc.oneof(
            randomTextArb,
            fc.jsonValue().map((v) => JSON.stringify(v)),
          ),
        )
        .map(([id, value]) => buttonPayload(id, value, RESPONSE_URL)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.tuple(fc.constantFrom('slash_commands', 'interactive', 'bogus'), payloadArb),
          // @slack/socket-mode itself reads payload.event.type of an events_api envelope outside any try (an
          // unhandled rejection: left to the library, see the report), so those carry an event object
          fc.tuple(
            fc.constant('events_api'),
            fc.record({
              team_id: fc.oneof(fc.constant(TEAM), fc.string({ maxLength: 5 })),
              event: fc.record({
                type: fc.constantFrom('app_home_opened', 'message', 'app_mention', 'bogus'),
                user: fc.oneof(fc.constant('U0KO'), fc.string({ maxLength: 5 })),
                tab: fc.constantFrom('home', 'messages', ''),
                channel: fc.string({ maxLength: 5 }),
              }),
            }),
          ),
        ),
        async ([type, payload]) => {
          count('socket envelope');
          const live = JSON.parse(JSON.stringify(payload).replaceAll(RESPONSE_URL, h.slack.responseUrl()));
          h.slack.deliver(type, live as Record<string, unknown>);
          await new Promise((resolve) => setTimeout(resolve, 5));
        },
      ),
      runs(150, 5000),
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(h.adapter.isConnected()).toBe(true);
    expect(ownFailures(h).map((l) => JSON.stringify(l.err).slice(0, 300))).toEqual([]);
    const responseUrl = h.slack.responseUrl();
    await h.slack.sendEnvelope('slash_commands', slashCommand({ text: 'samsung', responseUrl }));
    await waitFor(() => h.slack.responsesTo(responseUrl).length > 0, 5000, 'the answer');
    expect((h.slack.responsesTo(responseUrl)[0]?.body as { text?: string } | undefined)?.text).toBe(
      'Results for "samsung"',
    );
  });
});
