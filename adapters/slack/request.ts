import type { Command } from '../../src/commands/command.ts';
import type { EngineRequest } from '../../src/engine/request.ts';
import type { Person } from './people.ts';

/** What a slash command or a button tells about where it came from. */
export interface SlackOrigin {
  team: string | null;
  /** The channel id; a `D…` id is a direct message. */
  channel: string | null;
  user: string;
}

/**
 * The command text as the person typed it. The manifest asks Slack to escape references (`should_escape`), so that a
 * user group arrives with its id (`<!subteam^S123|@memory-team>`, kept for `notify:`); links come back as typed,
 * user and channel references as their names, and `&amp;` `&lt;` `&gt;` as the characters.
 */
export function unescapeSlackText(text: string): string {
  return text
    .replace(/<((?:https?|mailto):[^|>]*)(?:\|[^>]*)?>/gi, '$1')
    .replace(/<@[A-Z0-9]+\|([^>]*)>/g, '@$1')
    .replace(/<#[A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

const SEARCH = /^(?:search|검색)(?:\s+([\s\S]*))?$/i;
const MAX_QUERY = 500;

/**
 * The text after `/news` as the engine takes it: `search <words>` searches for words even when they are one of
 * the reserved command words (`/news search help`); everything else goes to the engine's parser as typed.
 */
export function parseSlackText(text: string): { text: string } | { command: Command } {
  const trimmed = unescapeSlackText(text).trim();
  const m = SEARCH.exec(trimmed);
  if (!m) return { text: trimmed };
  const words = (m[1] ?? '').trim();
  return words ? { command: { kind: 'search', query: words.slice(0, MAX_QUERY) } } : { text: 'help' };
}

/** A direct message with the bot is the person's own destination. */
export function isDirectMessage(channel: string | null): boolean {
  return channel === null || channel.startsWith('D');
}

/**
 * The engine request for a Slack origin. In a DM the destination is the person's own (channel null) and they
 * manage it themselves; in a channel, managing needs an admin, an owner or the allow-list.
 */
export function engineRequest(
  origin: SlackOrigin,
  person: Person,
  what: { text: string } | { command: Command },
  options: { mine?: boolean } = {},
): EngineRequest {
  const personal = options.mine === true || isDirectMessage(origin.channel);
  return {
    platform: 'slack',
    workspace: origin.team,
    channel: personal ? null : origin.channel,
    user: origin.user,
    locale: person.locale,
    isManager: personal || person.isManager,
    ...what,
  };
}
