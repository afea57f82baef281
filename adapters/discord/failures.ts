import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import type { PostFailure } from '../../src/engine/port.ts';

/** Discord's JSON error codes a post can meet (https://discord.com/developers/docs/topics/opcodes-and-status-codes). */
export const DiscordCode = {
  UnknownChannel: 10003,
  UnknownGuild: 10004,
  UnknownUser: 10013,
  UnknownInteraction: 10062,
  MissingAccess: 50001,
  CannotMessageUser: 50007,
  MissingPermissions: 50013,
  InvalidFormBody: 50035,
  RequestTooLarge: 40005,
} as const;

/**
 * A failed post as the port's typed failure. The channel or server is `gone` (10003, 10004, 10013, 404); the bot
 * may not post there or the person blocks DMs: `forbidden` (50001, 50013, 50007, any 401/403: never retried, as
 * Discord bans an IP after 10,000 of them in 10 minutes); over a limit: `tooLarge` (50035, 40005, 413); a rate
 * limit longer than the adapter waits: `rateLimited`; 5xx and network errors (after discord.js' own retries):
 * `transient`.
 */
export function postFailureOf(error: unknown): PostFailure {
  if (error instanceof RateLimitError) {
    return { kind: 'rateLimited', retryAfterMs: Math.max(error.retryAfter, 0), detail: `429 on ${error.route}` };
  }
  if (error instanceof DiscordAPIError) {
    const code = typeof error.code === 'number' ? error.code : Number(error.code);
    const detail = `${error.status} ${code}: ${error.message.slice(0, 200)}`;
    switch (code) {
      case DiscordCode.UnknownChannel:
      case DiscordCode.UnknownGuild:
      case DiscordCode.UnknownUser:
        return { kind: 'gone', detail };
      case DiscordCode.MissingAccess:
      case DiscordCode.MissingPermissions:
      case DiscordCode.CannotMessageUser:
        return { kind: 'forbidden', detail };
      case DiscordCode.InvalidFormBody:
      case DiscordCode.RequestTooLarge:
        return { kind: 'tooLarge', detail };
    }
    if (error.status === 404) return { kind: 'gone', detail };
    if (error.status === 413) return { kind: 'tooLarge', detail };
    if (error.status >= 500) return { kind: 'transient', detail };
    // 401 (token), 403 and any other refusal: nothing a retry would change
    return { kind: 'forbidden', detail };
  }
  if (error instanceof HTTPError) {
    const detail = `${error.status}: ${error.message.slice(0, 200)}`;
    return error.status >= 500 || error.status === 0 ? { kind: 'transient', detail } : { kind: 'forbidden', detail };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'transient', detail: message.slice(0, 200) };
}
