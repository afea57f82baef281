/**
 * The platform-neutral command model: every adapter turns its event (`/news …` in Slack, a Discord slash
 * command, a console line) into one of these, and renders the `Reply` the engine gives back.
 */

export type Command =
  | { kind: 'search'; query: string }
  | { kind: 'help' }
  | { kind: 'topics' }
  | { kind: 'subscribe'; topic: string }
  | { kind: 'unsubscribe'; topic: string }
  | { kind: 'digest' }
  | { kind: 'schedule'; time: string; timeZone: string | null };

export interface CommandError {
  kind: 'invalid';
  message: string;
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
      return args ? { kind: 'subscribe', topic: args } : { kind: 'invalid', message: 'usage: /news subscribe <topic>' };
    case 'unsubscribe':
    case 'unsub':
    case '구독취소':
      return args
        ? { kind: 'unsubscribe', topic: args }
        : { kind: 'invalid', message: 'usage: /news unsubscribe <topic>' };
    case 'digest':
    case '다이제스트':
      return args ? { kind: 'search', query: text } : { kind: 'digest' };
    case 'time':
    case '시간': {
      const [time = '', zone] = rest;
      const m = TIME.exec(time);
      if (!m)
        return { kind: 'invalid', message: 'usage: /news time HH:MM [Area/City], e.g. /news time 08:30 Asia/Seoul' };
      if (zone !== undefined && !isTimeZone(zone)) {
        return {
          kind: 'invalid',
          message: `unknown time zone "${zone.slice(0, 40)}": use an IANA name like Asia/Seoul`,
        };
      }
      return { kind: 'schedule', time: `${(m[1] as string).padStart(2, '0')}:${m[2]}`, timeZone: zone ?? null };
    }
    default:
      return { kind: 'search', query: text };
  }
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
