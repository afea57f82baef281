import type { Mention } from '../../storage/repositories.ts';
import type { Notice } from '../messages/catalog.ts';
import { isTimeZone } from '../schedule/localTime.ts';

/**
 * The platform-neutral command model: every adapter turns its event (`/news …` in Slack, a Discord slash
 * command, a console line) into one of these, and renders the `Reply` the engine gives back.
 */

export type Command =
  /** `page` 2 and on: the next results of the same query (a "next page" button). */
  | { kind: 'search'; query: string; page?: number }
  | { kind: 'help' }
  | { kind: 'topics' }
  /** `notify`: who a new story on the topic notifies here (null: nobody any more; absent: unchanged). */
  | { kind: 'subscribe'; topic: string; notify?: Mention | null }
  | { kind: 'unsubscribe'; topic: string }
  | { kind: 'digest' }
  /** The next scheduled digest as it would be posted now, shown only to the caller, with when it will be posted. */
  | { kind: 'preview' }
  /** The language of the destination's digests and notices. */
  | { kind: 'language'; lang: 'ko' | 'en' }
  /** A digest as one message, or as a parent message with a reply per story in its thread. */
  | { kind: 'layout'; layout: 'single' | 'thread' }
  /** Most stories per digest or alerts per local day here; null: back to the configured number. */
  | { kind: 'limit'; what: 'stories' | 'alerts'; count: number | null }
  /** `weekdays`: ISO numbers (1 = Monday), empty for every day; null: keep the destination's. */
  | { kind: 'schedule'; time: string; timeZone: string | null; weekdays?: number[] | null }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'status' }
  /** What newsbrief knows of an article, and why it was or was not posted here. */
  | { kind: 'why'; url: string }
  /** A person's (or channel's) alerts: each new story about its topics as a message of its own. */
  | { kind: 'alerts'; on: boolean }
  | { kind: 'sources'; action: 'list' }
  /** `backlog`: how many of the items already in the feed go into digests (absent: none, only new items). */
  | { kind: 'sources'; action: 'add'; url: string; backlog?: number }
  | { kind: 'sources'; action: 'remove'; url: string }
  /** Lets the newest `count` held items of a feed this destination added into its digests. */
  | { kind: 'sources'; action: 'backlog'; source: number; count: number };

export interface CommandError {
  kind: 'invalid';
  notice: Notice;
}

const MAX_INPUT = 500;
/** Bounds of `limit`: a digest shows at least one story and at most what one message thread can hold. */
export const LIMIT_BOUNDS = { stories: { min: 1, max: 25 }, alerts: { min: 0, max: 100 } } as const;
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
      return parseSubscribe(args);
    case 'unsubscribe':
    case 'unsub':
    case '구독취소':
      return args ? { kind: 'unsubscribe', topic: args } : invalid({ code: 'usageUnsubscribe', params: {} });
    case 'digest':
    case '다이제스트':
      if (/^(preview|미리보기)$/i.test(args)) return { kind: 'preview' };
      return args ? { kind: 'search', query: text } : { kind: 'digest' };
    case 'preview':
    case '미리보기':
      return args ? { kind: 'search', query: text } : { kind: 'preview' };
    case 'language':
    case '언어': {
      const lang = wordIn(LANGUAGE_WORDS, args);
      return lang ? { kind: 'language', lang } : invalid({ code: 'usageLanguage', params: {} });
    }
    case 'limit':
    case '제한':
      return parseLimit(rest);
    case 'layout':
    case '레이아웃': {
      const layout = wordIn(LAYOUT_WORDS, args);
      return layout ? { kind: 'layout', layout } : invalid({ code: 'usageLayout', params: {} });
    }
    case 'subscriptions':
    case '구독목록':
      return { kind: 'topics' };
    case 'pause':
    case '일시정지':
      return { kind: 'pause' };
    case 'resume':
    case '재개':
      return { kind: 'resume' };
    case 'status':
    case '상태':
      return { kind: 'status' };
    case 'alerts':
    case '알림': {
      const word = args.toLowerCase();
      if (word === 'on' || word === '켜기') return { kind: 'alerts', on: true };
      if (word === 'off' || word === '끄기') return { kind: 'alerts', on: false };
      return invalid({ code: 'usageAlerts', params: {} });
    }
    case 'sources':
    case '소스':
      return parseSources(rest);
    case 'why':
    case '왜':
      return /^https?:\/\/\S+$/i.test(args) ? { kind: 'why', url: args } : invalid({ code: 'usageWhy', params: {} });
    case 'time':
    case 'schedule':
    case '시간':
    case '일정':
      return parseSchedule(rest);
    default:
      return { kind: 'search', query: text };
  }
}

const NOTIFY = /(?:^|\s)(?:notify|알림대상):(\S+)\s*$/i;

/**
 * `subscribe <topic> [notify:<who>]`. Who is named as the platform writes it into a command's text: a Discord
 * role `<@&id>`, a Slack user group `<!subteam^id|@name>`, or `@here`; `notify:off` clears it.
 */
function parseSubscribe(args: string): Command | CommandError {
  const m = NOTIFY.exec(args);
  const topic = (m ? args.slice(0, m.index) : args).trim();
  if (!topic) return invalid({ code: 'usageSubscribe', params: {} });
  if (!m) return { kind: 'subscribe', topic };
  const notify = parseMention(m[1] as string);
  return notify === undefined ? invalid({ code: 'usageNotify', params: {} }) : { kind: 'subscribe', topic, notify };
}

/** A mention as typed or sent by the platform; null for `off`; undefined when it is none of these. */
export function parseMention(text: string): Mention | null | undefined {
  if (/^(off|none|끄기|없음)$/i.test(text)) return null;
  if (/^(<!here(\|[^>]*)?>|@?here)$/i.test(text)) return { kind: 'here' };
  const role = /^<@&(\d{17,20})>$/.exec(text);
  if (role) return { kind: 'role', id: role[1] as string };
  const group = /^<!subteam\^([A-Z0-9]{2,32})(?:\|[^>]*)?>$/.exec(text);
  if (group) return { kind: 'group', id: group[1] as string };
  return undefined;
}

/** Most backlog items a feed added in chat can let into digests at once. */
export const MAX_BACKLOG = 20;

/** `list`, `add <url> [new | last N]`, `remove <url>`, `backlog <feed number> <N>`, in either language. */
function parseSources(words: readonly string[]): Command | CommandError {
  const [action = 'list', target = '', ...more] = words;
  const verb = action.toLowerCase();
  const usage = invalid({ code: 'usageSources', params: {} });
  const isUrl = /^https?:\/\/\S+$/i.test(target) && target.length <= 2000;
  const count = (word: string | undefined) =>
    word !== undefined && /^\d{1,2}$/.test(word) && Number(word) <= MAX_BACKLOG ? Number(word) : null;
  if ((verb === 'list' || verb === '목록') && !target) return { kind: 'sources', action: 'list' };
  if ((verb === 'remove' || verb === '삭제') && isUrl && more.length === 0) {
    return { kind: 'sources', action: 'remove', url: target };
  }
  if (verb === 'add' || verb === '추가') {
    if (!isUrl) return usage;
    const [how = '', n, ...extra] = more.map((w) => w.toLowerCase());
    if (extra.length > 0) return usage;
    if (how === '' || how === 'new' || how === '새것만')
      return { kind: 'sources', action: 'add', url: target, backlog: 0 };
    const inline = /^(?:last|최근):(\d{1,2})$/.exec(how)?.[1];
    const backlog =
      inline !== undefined && n === undefined ? count(inline) : how === 'last' || how === '최근' ? count(n) : null;
    return backlog === null ? usage : { kind: 'sources', action: 'add', url: target, backlog };
  }
  if (verb === 'backlog' || verb === '이전글') {
    const source = /^\d{1,9}$/.test(target) ? Number(target) : null;
    const n = more.length === 1 ? count(more[0]) : null;
    return source !== null && n !== null && n > 0 ? { kind: 'sources', action: 'backlog', source, count: n } : usage;
  }
  return usage;
}

/** The value a word stands for in `table`, case-insensitive; never an inherited property (`constructor`). */
function wordIn<T>(table: Record<string, T>, word: string): T | undefined {
  const key = word.toLowerCase();
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

const LAYOUT_WORDS: Record<string, 'single' | 'thread'> = {
  thread: 'thread',
  threads: 'thread',
  threaded: 'thread',
  스레드: 'thread',
  쓰레드: 'thread',
  single: 'single',
  message: 'single',
  one: 'single',
  한번에: 'single',
  하나: 'single',
};

const LANGUAGE_WORDS: Record<string, 'ko' | 'en'> = {
  ko: 'ko',
  korean: 'ko',
  한국어: 'ko',
  en: 'en',
  english: 'en',
  영어: 'en',
};

const LIMIT_WORDS: Record<string, 'stories' | 'alerts'> = {
  stories: 'stories',
  story: 'stories',
  기사: 'stories',
  이야기: 'stories',
  alerts: 'alerts',
  alert: 'alerts',
  알림: 'alerts',
};

/** `stories N`, `alerts N`, or `… default` (기본) to go back to the configured number. */
function parseLimit(words: readonly string[]): Command | CommandError {
  const [which = '', count = '', ...more] = words;
  const what = wordIn(LIMIT_WORDS, which);
  if (!what || more.length > 0) return invalid({ code: 'usageLimit', params: LIMIT_BOUNDS_PARAMS });
  if (/^(default|기본)$/i.test(count)) return { kind: 'limit', what, count: null };
  const n = /^\d{1,3}$/.test(count) ? Number(count) : Number.NaN;
  const bounds = LIMIT_BOUNDS[what];
  if (!(n >= bounds.min && n <= bounds.max)) return invalid({ code: 'usageLimit', params: LIMIT_BOUNDS_PARAMS });
  return { kind: 'limit', what, count: n };
}

const LIMIT_BOUNDS_PARAMS = { maxStories: LIMIT_BOUNDS.stories.max, maxAlerts: LIMIT_BOUNDS.alerts.max };

/** `HH:MM [Area/City] [days]`, the zone and the days in either order. */
function parseSchedule(words: readonly string[]): Command | CommandError {
  const [time = '', ...more] = words;
  const m = TIME.exec(time);
  if (!m || more.length > 2) return invalid({ code: 'usageTime', params: {} });
  let timeZone: string | null = null;
  let weekdays: number[] | null = null;
  for (const word of more) {
    const days = parseWeekdays(word);
    if (days !== null && weekdays === null) weekdays = days;
    else if (timeZone === null && word.includes('/') && isTimeZone(word)) timeZone = word;
    else if (timeZone === null && /^(utc|gmt)$/i.test(word)) timeZone = 'UTC';
    else if (word.includes('/') || timeZone !== null) {
      return invalid({ code: 'unknownTimeZone', params: { zone: word.slice(0, 40) } });
    } else return invalid({ code: 'usageTime', params: {} });
  }
  return { kind: 'schedule', time: `${(m[1] as string).padStart(2, '0')}:${m[2]}`, timeZone, weekdays };
}

const DAY_NAMES: Record<string, number> = {
  mon: 1,
  tue: 2,
  wed: 3,
  thu: 4,
  fri: 5,
  sat: 6,
  sun: 7,
  월: 1,
  화: 2,
  수: 3,
  목: 4,
  금: 5,
  토: 6,
  일: 7,
};
const DAY_SETS: Record<string, number[]> = {
  daily: [],
  everyday: [],
  매일: [],
  weekdays: [1, 2, 3, 4, 5],
  평일: [1, 2, 3, 4, 5],
  weekends: [6, 7],
  주말: [6, 7],
};

/** `mon-fri`, `mon,wed,fri`, `weekdays`, `주말`, `월-금` … as ISO weekdays (sorted; empty: every day); null if not days. */
export function parseWeekdays(word: string): number[] | null {
  const text = word.toLowerCase();
  if (text in DAY_SETS) return [...(DAY_SETS[text] as number[])];
  const days = new Set<number>();
  for (const part of text.split(',')) {
    const range = part.split('-');
    if (range.length > 2) return null;
    const [from, to] = range.map((d) => DAY_NAMES[d.slice(0, d.length > 1 && /^[a-z]/.test(d) ? 3 : 1)]);
    if (from === undefined || (range.length === 2 && to === undefined)) return null;
    if (range.length === 1) days.add(from);
    else
      for (let d = from; ; d = (d % 7) + 1) {
        days.add(d);
        if (d === to) break;
      }
  }
  const sorted = [...days].sort((a, b) => a - b);
  return sorted.length === 7 ? [] : sorted;
}

function invalid(notice: Notice): CommandError {
  return { kind: 'invalid', notice };
}

export { isTimeZone };
