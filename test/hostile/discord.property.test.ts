/**
 * Hostile Discord interactions through the real discord.js client and the local stand-in: /news and /newsbrief
 * commands with arbitrary option values and types (a stale registration, a client bug), missing and extra options,
 * autocomplete with any focused value, buttons with any custom id. Every interaction is answered (a callback
 * within Discord's 3 s) and no handler fails; the adapter stays connected.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordAdapter } from '../../adapters/discord/discordBot.ts';
import type { SqliteApp } from '../../src/app.ts';
import { DiscordStandin, memoryLog, P, type StandinChannel, snowflake, TOKEN, until } from '../discord/standin.ts';
import { openSampleApp } from '../helpers/sample.ts';
import { countInputs, randomTextArb, runs } from './mutate.ts';

const STRING = 3;
const SUBCOMMAND = 1;
const SUBCOMMAND_GROUP = 2;

let dir: string;
let app: SqliteApp;
let standin: DiscordStandin;
let adapter: DiscordAdapter;
let news: StandinChannel;
let log: ReturnType<typeof memoryLog>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'newsbrief-hostile-discord-'));
  app = await openSampleApp(dir);
  standin = await new DiscordStandin().start();
  news = standin.addChannel('news');
  log = memoryLog();
  adapter = new DiscordAdapter({ token: TOKEN, apiBase: standin.apiBase, log });
  await adapter.start(app.engine);
});

afterAll(async () => {
  await adapter?.stop();
  await standin?.close();
  app?.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = countInputs('hostile Discord');

/** Option values of any type: what a stale command registration or a client bug could send. */
const valueArb = fc.oneof(
  randomTextArb,
  fc.string({ maxLength: 600 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('samsung', '07:30', 'Asia/Seoul', 'mon-fri', 'https://news.example/a', snowflake()),
);
const typeArb = fc.oneof(fc.constant(STRING), fc.integer({ min: 1, max: 11 }));
const optionArb = fc.record({
  name: fc.constantFrom('query', 'topic', 'time', 'timezone', 'days', 'url', 'lang', 'count', 'bogus'),
  type: typeArb,
  value: valueArb,
});
const SUBS = [
  'digest',
  'subscribe',
  'unsubscribe',
  'subscriptions',
  'schedule',
  'pause',
  'resume',
  'status',
  'why',
  'preview',
  'language',
  'limit',
  'bogus',
];

const commandArb = fc.oneof(
  fc.array(optionArb, { maxLength: 3 }).map((options) => standin.command('news', options)),
  fc
    .tuple(fc.constantFrom(...SUBS), fc.array(optionArb, { maxLength: 4 }))
    .map(([sub, options]) => standin.command('newsbrief', [{ name: sub, type: SUBCOMMAND, options }])),
  fc
    .tuple(fc.constantFrom('list', 'add', 'remove', 'backlog', 'bogus'), fc.array(optionArb, { maxLength: 2 }))
    .map(([sub, options]) =>
      standin.command('newsbrief', [
        { name: 'sources', type: SUBCOMMAND_GROUP, options: [{ name: sub, type: SUBCOMMAND, options }] },
      ]),
    ),
  fc.array(optionArb, { maxLength: 2 }).map((options) => standin.command('bogus', options)),
);

function failures(): string[] {
  return log.lines
    .filter((l) => l.level === 'error')
    .map((l) => `${l.message}: ${String((l.fields.err as Error | undefined)?.message ?? '')}`);
}

describe('Discord: hostile interactions', () => {
  it('answers every command, whatever its options, within the 3 s, and no handler fails', async () => {
    await fc.assert(
      fc.asyncProperty(
        commandArb,
        fc.boolean(),
        fc.oneof(fc.constantFrom('en-US', 'ko'), fc.string({ maxLength: 6 })),
        async (data, manager, locale) => {
          count('command');
          log.lines.length = 0;
          const record = standin.interact({
            type: 2,
            channel: news,
            locale,
            permissions: manager ? P.ViewChannel | P.SendMessages | P.ManageGuild : P.ViewChannel,
            data,
          });
          await until(() => record.callbacks[0], 3000, `an answer to ${JSON.stringify(data).slice(0, 300)}`);
          expect(record.errors, JSON.stringify(data).slice(0, 300)).toEqual([]);
          expect(failures(), JSON.stringify(data).slice(0, 300)).toEqual([]);
        },
      ),
      runs(120, 12_000),
    );
  });

  it('answers every autocomplete within the 3 s, whatever is being typed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('query', 'topic'),
        // a focused option holds a value (types 1 and 2 are subcommands and groups, never focused)
        fc.integer({ min: 3, max: 11 }),
        valueArb,
        fc.boolean(),
        async (name, type, value, asSub) => {
          count('autocomplete');
          log.lines.length = 0;
          const focused = { name, type, value, focused: true };
          const data = asSub
            ? standin.command('newsbrief', [{ name: 'subscribe', type: SUBCOMMAND, options: [focused] }])
            : standin.command('news', [focused]);
          const record = standin.interact({ type: 4, channel: news, data });
          await until(() => record.callbacks[0], 3000, `choices for ${JSON.stringify(focused).slice(0, 200)}`);
          expect(record.errors).toEqual([]);
          expect(failures()).toEqual([]);
        },
      ),
      runs(60, 6000),
    );
  });

  it('answers or ignores every button press, whatever its custom id, and stays connected', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ minLength: 1, maxLength: 100 }),
          fc.string({ maxLength: 90 }).map((q) => `nb:p:2:${q}`),
          fc.constantFrom('nb:p:99#zz', 'nb:p:0:', 'nb:fh:', 'nb:fm:samsung', 'nb:fh:../../x', 'nb:p:1:\u0000'),
        ),
        async (customId) => {
          count('button');
          log.lines.length = 0;
          const record = standin.interact({
            type: 3,
            channel: news,
            data: { custom_id: customId, component_type: 2 },
            message: { id: snowflake(), channel_id: news.id, content: '', flags: 64, type: 20, author: {}, embeds: [] },
          });
          // a press of no button of ours is left unanswered; ours are answered
          if (/^nb:(?:p:\d{1,2}[:#]|f[hm]:.)/s.test(customId)) {
            await until(() => record.callbacks[0], 3000, `an answer to ${JSON.stringify(customId)}`);
          } else {
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
          expect(record.errors).toEqual([]);
          expect(failures()).toEqual([]);
        },
      ),
      runs(60, 6000),
    );
    expect(adapter.isConnected()).toBe(true);
  });
});
