import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  PermissionFlagsBits,
  type PermissionsBitField,
} from 'discord.js';
import { type Command, type CommandError, parseNewsCommand } from '../../src/commands/command.ts';
import type { EngineRequest } from '../../src/engine/request.ts';
import type { Messages } from '../../src/messages/catalog.ts';
import { LIMITS } from './limits.ts';

type Interaction = ChatInputCommandInteraction | ButtonInteraction;

/** Commands that change a channel's settings (the engine refuses them to non-managers too). */
export const CONFIGURATION_KINDS: ReadonlySet<Command['kind']> = new Set([
  'subscribe',
  'unsubscribe',
  'schedule',
  'pause',
  'resume',
  'language',
  'limit',
  'layout',
]);

/**
 * The command a slash command asks for. `/news query:…` goes through the same parser as everywhere (so
 * `/news query:help` works for members too); `/newsbrief` subcommands are spelled as that parser's lines, which
 * checks the time and zone of `schedule`.
 */
export function commandOf(interaction: ChatInputCommandInteraction): Command | CommandError {
  const options = interaction.options;
  const text = (name: string) => optionText(options, name);
  if (interaction.commandName === 'news') return parseNewsCommand(text('query'));
  if (options.getSubcommandGroup(false) === 'sources') {
    const action = options.getSubcommand(false) ?? 'list';
    if (action === 'list') return parseNewsCommand('sources list');
    const last = action === 'add' ? optionInteger(options, 'last') : null;
    return parseNewsCommand(`sources ${action} ${text('url')}${last ? ` last ${last}` : ''}`);
  }
  switch (options.getSubcommand(false)) {
    case 'digest':
      return { kind: 'digest' };
    case 'subscribe': {
      // a role picked in the option arrives as its id: the mention is built from it, never from typed text
      const role = options.get('notify')?.value;
      const notify = typeof role === 'string' && /^\d{17,20}$/.test(role) ? ` notify:<@&${role}>` : '';
      return parseNewsCommand(`subscribe ${text('topic')}${notify}`);
    }
    case 'unsubscribe':
      return parseNewsCommand(`unsubscribe ${text('topic')}`);
    case 'subscriptions':
      return { kind: 'topics' };
    case 'schedule': {
      const words = ['time', text('time'), text('timezone'), text('days')];
      return parseNewsCommand(words.filter((w) => w?.trim()).join(' '));
    }
    case 'preview':
      return { kind: 'preview' };
    case 'language':
      return parseNewsCommand(`language ${text('lang')}`);
    case 'layout':
      return parseNewsCommand(`layout ${text('style')}`);
    case 'limit': {
      const count = optionInteger(options, 'count');
      return parseNewsCommand(`limit ${text('what')} ${count ?? 'default'}`);
    }
    case 'pause':
      return { kind: 'pause' };
    case 'resume':
      return { kind: 'resume' };
    case 'status':
      return { kind: 'status' };
    case 'why':
      return parseNewsCommand(`why ${text('url')}`);
    default:
      return { kind: 'help' };
  }
}

type Options = ChatInputCommandInteraction['options'];

/**
 * An option's value as text, whatever type it came as; '' when absent. discord.js' `getString` throws on an
 * option of another type (a registration older than the code, a client bug) and returns a non-string value of a
 * string option as it is, and either left the interaction unanswered.
 */
function optionText(options: Options, name: string): string {
  const value = options.get(name)?.value;
  return typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : '';
}

/** An option's value as a safe integer (a number or a string of digits), else null. */
function optionInteger(options: Options, name: string): number | null {
  const value = options.get(name)?.value;
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d{1,15}$/.test(value)
        ? Number(value)
        : Number.NaN;
  return Number.isSafeInteger(n) ? n : null;
}

/** May the caller change this server's settings (Manage Server)? In the bot's DMs: their own destination. */
export function isManager(interaction: Interaction): boolean {
  if (!interaction.inGuild()) return true;
  return interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false;
}

/**
 * What the engine is told: the server and channel (none in the bot's DMs: the person's own destination), the
 * caller, their locale and whether they manage the server. `personal` addresses the caller's own destination
 * (their DM alerts) from anywhere.
 */
export function requestOf(interaction: Interaction, command: Command, personal = false): EngineRequest {
  const inGuild = interaction.inGuild() && !personal;
  return {
    platform: 'discord',
    workspace: inGuild ? interaction.guildId : null,
    channel: inGuild ? interaction.channelId : null,
    user: interaction.user.id,
    locale: interaction.locale,
    isManager: personal ? true : isManager(interaction),
    command,
  };
}

type PermissionKey = keyof Messages['discord']['permission'];

const NEEDED: { flag: bigint; key: PermissionKey }[] = [
  { flag: PermissionFlagsBits.ViewChannel, key: 'viewChannel' },
  { flag: PermissionFlagsBits.SendMessages, key: 'sendMessages' },
  { flag: PermissionFlagsBits.EmbedLinks, key: 'embedLinks' },
];
/** What a threaded digest needs besides: its thread, and the replies in it. */
const NEEDED_FOR_THREADS: { flag: bigint; key: PermissionKey }[] = [
  { flag: PermissionFlagsBits.CreatePublicThreads, key: 'createPublicThreads' },
  { flag: PermissionFlagsBits.SendMessagesInThreads, key: 'sendMessagesInThreads' },
];

/** The permissions the bot lacks in the interaction's channel to post digests there (Discord sends them along). */
export function missingPermissions(permissions: Readonly<PermissionsBitField>, forThreads = false): PermissionKey[] {
  const needed = forThreads ? [...NEEDED, ...NEEDED_FOR_THREADS] : NEEDED;
  return needed.filter((p) => !permissions.has(p.flag, false)).map((p) => p.key);
}

/**
 * Custom ids of "next page" buttons: the query rides in the id (`nb:p:2:samsung`) when it fits in Discord's 100
 * characters, else a short key into a bounded memory of recent queries (lost on restart: the button then says so).
 */
export class PageIds {
  private readonly long = new Map<string, string>();
  private counter = 0;

  constructor(private readonly capacity = 1000) {}

  id(query: string, page: number): string {
    const inline = `nb:p:${page}:${query}`;
    if (inline.length <= LIMITS.customId) return inline;
    const key = `${Date.now().toString(36)}${(this.counter++).toString(36)}`;
    this.long.set(key, query);
    if (this.long.size > this.capacity) this.long.delete(this.long.keys().next().value as string);
    return `nb:p:${page}#${key}`;
  }

  /** The page and query a button asks for; query null when it was remembered and no longer is. */
  parse(customId: string): { page: number; query: string | null } | null {
    const inline = /^nb:p:(\d{1,2}):(.*)$/s.exec(customId);
    if (inline) return { page: Number(inline[1]), query: inline[2] as string };
    const remembered = /^nb:p:(\d{1,2})#(\w+)$/.exec(customId);
    if (remembered) return { page: Number(remembered[1]), query: this.long.get(remembered[2] as string) ?? null };
    return null;
  }
}
