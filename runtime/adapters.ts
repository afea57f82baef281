import type { Readable, Writable } from 'node:stream';
import { ConsoleAdapter, terminalLocale } from '../adapters/console/consoleBot.ts';
import type { PlatformAdapter } from '../src/engine/port.ts';
import { messages, type UiLang } from '../src/messages/catalog.ts';

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

const PLATFORM_TOKENS: Record<string, string[]> = {
  discord: ['DISCORD_TOKEN'],
  slack: ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET'],
};

/** The platforms whose tokens are set in the environment. */
export function platformsInEnv(env: Record<string, string | undefined>): string[] {
  return Object.entries(PLATFORM_TOKENS)
    .filter(([, names]) => names.some((name) => env[name]))
    .map(([platform]) => platform);
}

/**
 * The adapters the environment asks for: Slack and Discord side by side when their tokens are set, the console
 * when none is. The console reads commands from a terminal, or from any input with `readCommands`.
 */
export function chooseAdapters(
  env: Record<string, string | undefined>,
  io: ConsoleIo,
  options: { readCommands: boolean; lang: UiLang },
): AdapterChoice {
  const platforms = platformsInEnv(env);
  if (platforms.length > 0) return { adapters: [], console: null, unavailable: platforms };
  const interactive = io.stdin.isTTY === true && io.stdout.isTTY === true;
  const consoleAdapter = new ConsoleAdapter({
    input: io.stdin,
    output: io.stdout,
    interactive,
    readCommands: interactive || options.readCommands,
    locale: terminalLocale(env),
    greeting: messages(options.lang).console.greeting,
  });
  return { adapters: [consoleAdapter], console: consoleAdapter, unavailable: [] };
}
