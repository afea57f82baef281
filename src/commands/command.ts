import type { Notice } from '../messages/catalog.ts';

/**
 * The platform-neutral command model: every adapter turns its event (`/news …` in Slack, a Discord slash
 * command, a console line) into one of these, and renders the `Reply` the engine gives back.
 */

export type Command =
  /** `page` 2 and on: the next results of the same query (a "next page" button). */
  | { kind: 'search'; query: string; page?: number }
  | { kind: 'help' }
  | { kind: 'topics' }
  | { kind: 'subscribe'; topic: string }
  | { kind: 'unsubscribe'; topic: string }
  | { kind: 'digest' }
  | { kind: 'schedule'; time: string; timeZone: string | null };

export interface CommandError {
  kind: 'invalid';
  notice: Notice;
}

const MAX_INPUT = 500;
const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/**
 * Parses the text after `/news`: `help`, `topics`, `subscribe <topic>`, `unsubscribe <topic>`, `digest`,
 * `time HH:MM [Area/City]`; anything else is a search query. Never throws.
 */
export function parseNewsCommand(input: string): Command | CommandError {
  const text = input
    .replace(/^\/news\b/i, '')
    .trim()
    .slice(0, MAX_INPUT);
  const [head = '', ...rest] = text.split(/\s+/);
  const args = rest.join(' ').trim();
  switch (head.toLowerCase()) {
    case '':
    case 'help':
    case '도움말':
      return { kind: 'help' };
    case 'topics':
    case '토픽':
      return { kind: 'topics' };
    case 'subscribe':
    case 'sub':
    case '구독':
      return args ? { kind: 'subscribe', topic: args } : invalid({ code: 'usageSubscribe', params: {} });
    case 'unsubscribe':
    case 'unsub':
    case '구독취소':
      return args ? { kind: 'unsubscribe', topic: args } : invalid({ code: 'usageUnsubscribe', params: {} });
    case 'digest':
    case '다이제스트':
      return args ? { kind: 'search', query: text } : { kind: 'digest' };
    case 'time':
    case '시간': {
      const [time = '', zone] = rest;
      const m = TIME.exec(time);
      if (!m) return invalid({ code: 'usageTime', params: {} });
      if (zone !== undefined && !isTimeZone(zone)) {
        return invalid({ code: 'unknownTimeZone', params: { zone: zone.slice(0, 40) } });
      }
      return { kind: 'schedule', time: `${(m[1] as string).padStart(2, '0')}:${m[2]}`, timeZone: zone ?? null };
    }
    default:
      return { kind: 'search', query: text };
  }
}

function invalid(notice: Notice): CommandError {
  return { kind: 'invalid', notice };
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
