import type { Readable, Writable } from 'node:stream';
import { ConsoleAdapter, terminalLocale } from '../adapters/console/consoleBot.ts';
import { createDiscordAdapter } from '../adapters/discord/discordBot.ts';
import { type SlackSharedState, slackAdapterFromEnv } from '../adapters/slack/slackAdapter.ts';
import type { PlatformAdapter } from '../src/engine/port.ts';
import { messages, type UiLang } from '../src/messages/catalog.ts';
import type { Logger } from '../src/ops/logger.ts';

export interface AdapterChoice {
  adapters: PlatformAdapter[];
  /** The console adapter, when it runs (no platform tokens). */
  console: ConsoleAdapter | null;
  /** Platform tokens that are set for adapters this version does not have (one warning each). */
  unavailable: string[];
}

export interface ConsoleIo {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
}

export interface AdapterContext {
  env: Record<string, string | undefined>;
  io: ConsoleIo;
  log: Logger;
  /** Read console commands even when the input is not a terminal. */
  readCommands: boolean;
  /** The console's language (the terminal's, else the configured one). */
  lang: UiLang;
  /**
   * False for a process that only posts (the worker and scheduler roles): the platform adapters open no port,
   * socket or gateway, and there is no console. Default true.
   */
  receive?: boolean;
  /** What the Slack adapter keeps in the database: multi-workspace installations, redeliveries across receivers. */
  slack?: SlackSharedState;
}

type PlatformName = 'discord' | 'slack';

const PLATFORM_TOKENS: Record<PlatformName, string[]> = {
  // a public key alone still chooses Discord: its adapter then says the token is missing
  discord: ['DISCORD_TOKEN', 'DISCORD_PUBLIC_KEY'],
  slack: ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_CLIENT_ID'],
};

/**
 * How each platform's adapter is made from the environment; a platform missing here has no adapter in this
 * version. A factory throws an Error with one clear sentence when its settings are wrong (start-up stops).
 */
const FACTORIES: Partial<Record<PlatformName, (context: AdapterContext) => PlatformAdapter>> = {
  discord: (context) => createDiscordAdapter(context.env, context.log, { receive: context.receive ?? true }),
  slack: (context) =>
    slackAdapterFromEnv(context.env, context.log, { receive: context.receive ?? true, ...context.slack }),
};

/** The platforms whose tokens are set in the environment. */
export function platformsInEnv(env: Record<string, string | undefined>): PlatformName[] {
  return (Object.keys(PLATFORM_TOKENS) as PlatformName[]).filter((platform) =>
    PLATFORM_TOKENS[platform].some((name) => env[name]),
  );
}

/**
 * The adapters the environment asks for: Slack and Discord side by side when their tokens are set, the console
 * when none is (and the process receives). The console reads commands from a terminal, or from any input with
 * `readCommands`.
 */
export function chooseAdapters(context: AdapterContext): AdapterChoice {
  const platforms = platformsInEnv(context.env);
  if (platforms.length > 0) {
    const adapters: PlatformAdapter[] = [];
    const unavailable: string[] = [];
    for (const platform of platforms) {
      const factory = FACTORIES[platform];
      if (factory) adapters.push(factory(context));
      else unavailable.push(platform);
    }
    return { adapters, console: null, unavailable };
  }
  if (context.receive === false) return { adapters: [], console: null, unavailable: [] };
  const { io } = context;
  const interactive = io.stdin.isTTY === true && io.stdout.isTTY === true;
  const consoleAdapter = new ConsoleAdapter({
    input: io.stdin,
    output: io.stdout,
    interactive,
    readCommands: interactive || context.readCommands,
    locale: terminalLocale(context.env),
    greeting: messages(context.lang).console.greeting,
  });
  return { adapters: [consoleAdapter], console: consoleAdapter, unavailable: [] };
}
