/**
 * Platform faults while posting scheduled digests: the real DigestScheduler (its ledger in a real SQLite file)
 * posting through the real Slack adapter (Bolt's WebClient) and the real Discord adapter (discord.js) to the local
 * stand-ins, which answer 429s, 5xx and drop the gateway. Properties: the digest is posted once the platform
 * recovers (nothing lost), every story reaches the channel exactly once (nothing posted twice: posts are counted
 * at the stand-in), and the ledger says sent, once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordAdapter } from '../../adapters/discord/discordBot.ts';
import type { SqliteApp } from '../../src/app.ts';
import type { PostEvent } from '../../src/delivery/digestScheduler.ts';
import { DiscordStandin, memoryLog, TOKEN, until } from '../discord/standin.ts';
import { useTempDir } from '../helpers/tempDir.ts';
import { TEAM } from '../slack/standIn.ts';
import { markerOf } from './feeds.ts';
import {
  type Clock,
  DUE_MS,
  digestLedger,
  MINUTE,
  openNewsApp,
  type SlackWorld,
  scheduleChannel,
  scheduler,
  startSlack,
} from './platformHarness.ts';

const tempDir = useTempDir();
const WIRE = markerOf('wire');

/** How often each story of the wire feed reached the channel, over the messages the stand-in accepted. */
function storyCounts(texts: string[]): number[] {
  return Array.from({ length: 12 }, (_, i) => {
    const title = new RegExp(`${WIRE} [a-z]+ [a-z]+ [a-z]+ report ${i + 1}\\b`, 'g');
    return texts.reduce((sum, text) => sum + (text.match(title)?.length ?? 0), 0);
  });
}

describe('Slack: scheduled digests through 429s and 5xx', () => {
  let clock: Clock;
  let app: SqliteApp;
  let world: SlackWorld;
  beforeAll(async () => {
    clock = { ms: DUE_MS };
    app = await openNewsApp(tempDir(), clock);
    world = await startSlack(app, 'http');
  });
  afterAll(async () => {
    await world?.close();
    app?.close();
  });

  /** The messages the stand-in accepted for a channel (chat.postMessage answered ok). */
  const accepted = (channel: string) =>
    world.slack
      .callsOf('chat.postMessage')
      .filter((c) => c.args.channel === channel && (c.result as { ok?: boolean } | undefined)?.ok === true);
  const textOf = (call: { args: Record<string, unknown> }) => JSON.stringify(call.args.blocks ?? call.args.text);

  async function run(channel: string, minutes: number) {
    // the channel set up a little before its 09:00 digest
    clock.ms = DUE_MS - 10 * MINUTE;
    const destination = scheduleChannel(app, 'slack', TEAM, channel);
    const events: PostEvent[] = [];
    const s = scheduler(app, clock, (target, reply) => world.adapter.post(target, reply), events);
    for (clock.ms = DUE_MS - MINUTE; clock.ms <= DUE_MS + minutes * MINUTE; clock.ms += MINUTE) await s.tick();
    return { destination, events: events.filter((e) => e.destination === destination) };
  }

  it.each([
    ['a short 429, waited out in the same tick', 'C0RL1', [{ status: 429, headers: { 'retry-after': '1' } }], 1],
    [
      'a 429 longer than the adapter waits, waited out by the scheduler',
      'C0RL2',
      [{ status: 429, headers: { 'retry-after': '2' } }],
      1,
    ],
    ['5xx twice, retried with backoff', 'C0FIVE', [{ status: 500 }, { status: 503 }], 3],
  ] as const)('%s: posted once after it recovers', async (_name, channel, answers, attempts) => {
    world.slack.script('chat.postMessage', ...answers.map((a) => ({ ...a })));
    const { destination, events } = await run(channel, 5);
    const posts = accepted(channel);
    expect(posts.length).toBeGreaterThan(0);
    const ledger = digestLedger(app, destination);
    expect(ledger.map((e) => e.state)).toEqual(['sent']);
    // every story of the digest the ledger records reached the channel exactly once
    const counts = storyCounts(posts.map(textOf));
    expect(counts.filter((n) => n > 1)).toEqual([]);
    expect(counts.filter((n) => n === 1)).toHaveLength(ledger[0]?.storyKeys.length ?? -1);
    expect(ledger[0]?.storyKeys.length).toBeGreaterThan(5);
    expect(events.map((e) => e.outcome).at(-1)).toBe('ok');
    expect(events.filter((e) => e.outcome === 'ok')).toHaveLength(1);
    expect(events).toHaveLength(attempts);
  });

  it('a 5xx in the middle of a split digest: not sent again, so no story twice; its stories stay undelivered', async () => {
    // Slack finds the digest too long; of the two halves the second meets a 5xx
    world.slack.script('chat.postMessage', { ok: false, error: 'msg_blocks_too_long' }, () => undefined, {
      status: 500,
    });
    const { destination, events } = await run('C0SPLIT', 10);
    const counts = storyCounts(accepted('C0SPLIT').map(textOf));
    // the first half went out once and was never repeated
    expect(counts.filter((n) => n > 1)).toEqual([]);
    expect(counts.filter((n) => n === 1).length).toBeGreaterThan(0);
    expect(events.map((e) => e.outcome)).toEqual(['transient']);
    const [entry] = digestLedger(app, destination);
    expect(entry).toMatchObject({ state: 'failed', failure: 'transient', nextAttemptAt: null, attempts: 1 });
    expect(entry?.detail).toMatch(/^posted in part, not sent again: http_500$/);
    // nothing lost: none of its stories counts as delivered, so they are all in the channel's next digest
    const next = await app.engine.digestFor(destination);
    const keys = next?.kind === 'digest' ? next.digest.stories.map((st) => st.key) : [];
    expect(keys.length).toBeGreaterThan(5);
    expect(counts.filter((n) => n === 1).length).toBeLessThan(keys.length);
  });
});

describe('Discord: scheduled digests through 5xx and 429s, and gateway disconnects', () => {
  let clock: Clock;
  let app: SqliteApp;
  let standin: DiscordStandin;
  let adapter: DiscordAdapter;
  beforeAll(async () => {
    clock = { ms: DUE_MS };
    app = await openNewsApp(tempDir(), clock);
    standin = await new DiscordStandin().start();
    adapter = new DiscordAdapter({ token: TOKEN, apiBase: standin.apiBase, log: memoryLog() });
    await adapter.start(app.engine);
  });
  afterAll(async () => {
    await adapter?.stop();
    await standin?.close();
    app?.close();
  });

  const postsTo = (channelId: string) => standin.messages.filter((m) => m.channelId === channelId);
  const textOf = (m: { body: unknown }) => JSON.stringify(m.body);

  /** A new channel due for its digest at 09:00, ticked minute by minute; what was posted and recorded. */
  async function runDigest(name: string, before: (channelId: string) => void, minutes = 5) {
    const channel = standin.addChannel(name);
    clock.ms = DUE_MS - 10 * MINUTE;
    const destination = scheduleChannel(app, 'discord', standin.guildId, channel.id);
    const events: PostEvent[] = [];
    const s = scheduler(app, clock, (target, reply) => adapter.post(target, reply), events);
    before(channel.id);
    for (clock.ms = DUE_MS - MINUTE; clock.ms <= DUE_MS + minutes * MINUTE; clock.ms += MINUTE) await s.tick();
    return {
      posts: postsTo(channel.id),
      ledger: digestLedger(app, destination),
      events: events.filter((e) => e.destination === destination),
    };
  }

  function expectOnce(result: Awaited<ReturnType<typeof runDigest>>) {
    expect(result.ledger.map((e) => e.state)).toEqual(['sent']);
    expect(result.events.filter((e) => e.outcome === 'ok')).toHaveLength(1);
    const counts = storyCounts(result.posts.map(textOf));
    expect(counts.filter((n) => n > 1)).toEqual([]);
    expect(counts.filter((n) => n === 1)).toHaveLength(result.ledger[0]?.storyKeys.length ?? -1);
    // one header, once
    expect(result.posts.filter((m) => /^\*\*/.test(m.body.content ?? ''))).toHaveLength(1);
  }

  it('waits out a short 429 and posts the digest once', async () => {
    const result = await runDigest('rl', (id) => standin.rateLimit(`/channels/${id}/messages`, 0.3, 2));
    expectOnce(result);
    expect(result.events).toHaveLength(1);
  });

  it('retries a digest through a burst of 5xx (beyond discord.js’ own retries) and posts it once', async () => {
    // discord.js tries a 5xx four times; eight failures fail two scheduled attempts
    const result = await runDigest('five', (id) => standin.fail(`/channels/${id}/messages`, 502, 8));
    expectOnce(result);
    expect(result.events.map((e) => e.outcome)).toEqual(['transient', 'transient', 'ok']);
  });

  it('a 5xx on a later message of a split digest: the first ones are not posted again, the digest is given up', async () => {
    let failing = false;
    const result = await runDigest('split', (id) => {
      // the first message goes out; the next ones meet 5xx until discord.js gives up (four tries)
      const record = standin.messages.push.bind(standin.messages);
      standin.messages.push = (...items) => {
        const n = record(...items);
        if (!failing && items.some((m) => m.channelId === id)) {
          failing = true;
          standin.fail(`/channels/${id}/messages`, 500, 4);
        }
        return n;
      };
    });
    expect(result.posts).toHaveLength(1);
    const counts = storyCounts(result.posts.map(textOf));
    expect(counts.filter((n) => n > 1)).toEqual([]);
    expect(counts.filter((n) => n === 1).length).toBeGreaterThan(0);
    expect(result.events.map((e) => e.outcome)).toEqual(['transient']);
    expect(result.ledger).toHaveLength(1);
    expect(result.ledger[0]).toMatchObject({ state: 'failed', nextAttemptAt: null, attempts: 1 });
    expect(result.ledger[0]?.detail).toMatch(/^posted in part, not sent again: 500/);
  });

  it('answers a command once when its first response meets a 5xx (discord.js tries again)', async () => {
    const channel = standin.addChannel('cmd5xx');
    standin.fail('/interactions/', 500, 1);
    const record = standin.interact({
      type: 2,
      channel,
      locale: 'en-US',
      data: standin.command('news', [{ name: 'query', type: 3, value: WIRE }]),
    });
    await until(() => record.callbacks.length > 0, 5000, 'the answer');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(record.callbacks).toHaveLength(1);
    expect(record.errors).toEqual([]);
    expect(standin.requests.filter((r) => r.path.startsWith('/interactions/') && r.status === 500)).toHaveLength(1);
  });

  /** After a gateway fault: connected again, a command answered once, a digest posted once. */
  async function stillWorks(name: string) {
    await until(() => adapter.isConnected(), 10_000, 'the gateway to come back');
    const channel = standin.addChannel(`${name}-cmd`);
    const record = standin.interact({
      type: 2,
      channel,
      locale: 'en-US',
      data: standin.command('news', [{ name: 'query', type: 3, value: WIRE }]),
    });
    await until(() => record.callbacks.length > 0 || record.edits.length > 0, 5000, 'the answer');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(record.callbacks).toHaveLength(1);
    expect(record.errors).toEqual([]);
    expectOnce(await runDigest(`${name}-digest`, () => {}));
  }

  it('op 7 RECONNECT: resumes the session, answers, posts', async () => {
    const resumes = standin.resumes.length;
    standin.requestReconnect();
    await until(() => standin.resumes.length > resumes, 10_000, 'a RESUME');
    await stillWorks('op7');
  });

  it('a dropped connection (close 4000): resumes, answers, posts', async () => {
    const resumes = standin.resumes.length;
    standin.dropGateway(4000);
    await until(() => standin.resumes.length > resumes, 10_000, 'a RESUME');
    await stillWorks('drop');
  });

  it('op 9 INVALID SESSION (not resumable): identifies again, answers, posts', async () => {
    const identifies = standin.identifies.length;
    standin.invalidateSession(false);
    await until(() => standin.identifies.length > identifies, 10_000, 'a new IDENTIFY');
    await stillWorks('op9');
  });
});
