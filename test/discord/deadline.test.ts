import { afterEach, describe, expect, it } from 'vitest';
import { DiscordAdapter } from '../../adapters/discord/discordBot.ts';
import type { Reply } from '../../src/commands/reply.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { syntheticDigest } from './replies.ts';
import { DiscordStandin, memoryLog, P, TOKEN, until } from './standin.ts';

const DEADLINE_MS = 500;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An engine that takes `ms` for every command (a language model writing the digest, say). */
function slowEngine(ms: number, reply: Reply): Engine {
  return {
    handle: async () => {
      await sleep(ms);
      return reply;
    },
    suggestTopics: () => [],
  } as unknown as Engine;
}

async function setUp(engine: Engine, deferAfterMs: number) {
  const standin = await new DiscordStandin({ interactionDeadlineMs: DEADLINE_MS }).start();
  cleanups.push(() => standin.close());
  const adapter = new DiscordAdapter({ token: TOKEN, apiBase: standin.apiBase, log: memoryLog(), deferAfterMs });
  cleanups.push(() => adapter.stop());
  await adapter.start(engine);
  return { standin, channel: standin.addChannel('news') };
}

const digestCommand = (standin: DiscordStandin) =>
  standin.command('newsbrief', [{ name: 'digest', type: 1, options: [] }]);

describe('the interaction deadline', () => {
  it('defers slow work before the deadline, then edits the answer in and sends the rest as follow-ups', async () => {
    const { standin, channel } = await setUp(slowEngine(900, syntheticDigest(25)), 150);
    const record = standin.interact({ type: 2, channel, permissions: P.ManageGuild, data: digestCommand(standin) });
    await until(() => record.edits.length > 0 && record.followUps.length === 2, 5000, 'the edited answer');
    expect(record.errors).toEqual([]);
    expect(record.callbacks).toHaveLength(1);
    expect(record.callbacks[0]?.type).toBe(5);
    expect(record.callbacks[0]?.at).toBeLessThan(DEADLINE_MS);
    // a digest asked for in chat is for the caller: the deferred answer and its follow-ups are ephemeral
    expect(record.callbacks[0]?.data?.flags).toBe(64);
    expect(record.followUps.map((f) => f.flags)).toEqual([64, 64]);
    const embeds = [record.edits[0], ...record.followUps].map((m) => m?.embeds?.length);
    expect(embeds).toEqual([10, 10, 6]);
    for (const m of [record.edits[0], ...record.followUps]) expect(m?.allowed_mentions).toEqual({ parse: [] });
  });

  it('is enforced by the stand-in: an answer after the deadline is refused with 10062', async () => {
    // an adapter that would wait longer than Discord allows before deferring
    const { standin, channel } = await setUp(slowEngine(DEADLINE_MS + 200, syntheticDigest(1)), 5000);
    const record = standin.interact({ type: 2, channel, permissions: P.ManageGuild, data: digestCommand(standin) });
    await until(() => record.errors.length > 0, 5000, 'a refused answer');
    expect(record.errors).toEqual([10062]);
    expect(record.callbacks).toHaveLength(0);
  });
});
