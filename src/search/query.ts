/**
 * The one query language every adapter shares (`/news …`, `newsbrief search …`): words and "quoted phrases"
 * in any language, `-word` to exclude, windows `24h` `7d` `2w` `since:2024-02-01` `until:…`, `lang:ko|en`,
 * `source:<name>`, `topic:<id>`. Unknown syntax is treated as words, never an error.
 */

export interface QueryTerm {
  text: string;
  /** Written in quotes: matched as a phrase and never expanded through topics. */
  quoted: boolean;
}

export interface ParsedQuery {
  raw: string;
  terms: QueryTerm[];
  excluded: QueryTerm[];
  /** Relative window in hours (`24h`, `7d`), resolved against the clock when searching. */
  withinHours: number | null;
  since: string | null;
  until: string | null;
  lang: 'ko' | 'en' | null;
  sources: string[];
  topics: string[];
}

const MAX_QUERY_LENGTH = 500;
const MAX_TERMS = 16;
const WINDOW = /^(\d{1,4})(h|d|w)$/; // lower case only: `3D` stays a word
const DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?)?$/;
const HOURS: Record<string, number> = { h: 1, d: 24, w: 24 * 7 };

/** Splits on spaces, keeping "quoted phrases" (straight or curly quotes) together. */
function lex(text: string): { token: string; quoted: boolean; negated: boolean }[] {
  const out: { token: string; quoted: boolean; negated: boolean }[] = [];
  const re = /(-?)["“”]([^"“”]*)["“”]?|(\S+)/g;
  for (const m of text.matchAll(re)) {
    if (m[2] !== undefined) {
      const phrase = m[2].trim();
      if (phrase) out.push({ token: phrase, quoted: true, negated: m[1] === '-' });
    } else if (m[3] !== undefined) {
      const word = m[3];
      const negated = word.length > 1 && word.startsWith('-');
      out.push({ token: negated ? word.slice(1) : word, quoted: false, negated });
    }
  }
  return out;
}

/** A date given as a day starts (or, for `until:`, ends) at that day's midnight in `zoneOffset`. */
function toInstant(value: string, zoneOffset: string, endOfDay: boolean): string | null {
  if (!DATE.test(value)) return null;
  let iso = value;
  if (value.length === 10) iso = `${value}T${endOfDay ? '23:59:59' : '00:00:00'}`;
  if (!/(Z|[+-]\d{2}:\d{2})$/.test(iso)) iso += zoneOffset;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export function parseQuery(input: string, options: { zoneOffset?: string } = {}): ParsedQuery {
  const zone = options.zoneOffset ?? '+09:00';
  const query: ParsedQuery = {
    raw: input,
    terms: [],
    excluded: [],
    withinHours: null,
    since: null,
    until: null,
    lang: null,
    sources: [],
    topics: [],
  };
  for (const { token, quoted, negated } of lex(input.slice(0, MAX_QUERY_LENGTH))) {
    if (!quoted && !negated) {
      const window = WINDOW.exec(token);
      if (window) {
        query.withinHours = Number(window[1]) * (HOURS[window[2] ?? 'h'] ?? 1);
        continue;
      }
      const colon = token.indexOf(':');
      if (colon > 0) {
        const key = token.slice(0, colon).toLowerCase();
        const value = token.slice(colon + 1);
        if (applyFilter(query, key, value, zone)) continue;
      }
    }
    const bucket = negated ? query.excluded : query.terms;
    if (bucket.length < MAX_TERMS) bucket.push({ text: token, quoted });
  }
  return query;
}

function applyFilter(query: ParsedQuery, key: string, value: string, zone: string): boolean {
  if (!value) return false;
  switch (key) {
    case 'since':
    case 'after': {
      const at = toInstant(value, zone, false);
      if (at) query.since = at;
      return at !== null;
    }
    case 'until':
    case 'before': {
      const at = toInstant(value, zone, true);
      if (at) query.until = at;
      return at !== null;
    }
    case 'lang': {
      const lang = value.toLowerCase();
      if (lang === 'ko' || lang === 'en') query.lang = lang;
      return lang === 'ko' || lang === 'en';
    }
    case 'source':
      query.sources.push(value.replace(/_/g, ' '));
      return true;
    case 'topic':
      query.topics.push(value.toLowerCase());
      return true;
    default:
      return false;
  }
}

/** True when the query asks for nothing at all (no words and no filters). */
export function isEmptyQuery(query: ParsedQuery): boolean {
  return (
    query.terms.length === 0 &&
    query.excluded.length === 0 &&
    query.topics.length === 0 &&
    query.sources.length === 0 &&
    query.withinHours === null &&
    query.since === null &&
    query.until === null &&
    query.lang === null
  );
}

/**
 * Broader versions of a query, for an empty result: without its time window, without each filter, and (when it
 * has several words) without each word — each as the text a person would type, most useful first.
 */
export function broaderQueries(input: string): string[] {
  const tokens = lex(input.slice(0, MAX_QUERY_LENGTH)).map(({ token, quoted, negated }) => {
    const text = quoted ? `"${token}"` : token;
    return { text: negated ? `-${text}` : text, quoted, negated, token };
  });
  const isWindow = (t: (typeof tokens)[number]) =>
    !t.quoted && !t.negated && (WINDOW.test(t.token) || /^(since|after|until|before):/i.test(t.token));
  const isFilter = (t: (typeof tokens)[number]) => !t.quoted && !t.negated && /^(lang|source|topic):./i.test(t.token);
  const isWord = (t: (typeof tokens)[number]) => !t.negated && !isWindow(t) && !isFilter(t);
  const without = (drop: (t: (typeof tokens)[number], i: number) => boolean) =>
    tokens
      .filter((t, i) => !drop(t, i))
      .map((t) => t.text)
      .join(' ');
  const out: string[] = [];
  if (tokens.some(isWindow)) out.push(without(isWindow));
  tokens.forEach((t, i) => {
    if (isFilter(t) || t.negated) out.push(without((_, j) => j === i));
  });
  if (tokens.filter(isWord).length > 1) {
    tokens.forEach((t, i) => {
      if (isWord(t)) out.push(without((_, j) => j === i));
    });
  }
  return [...new Set(out.filter((q) => q.trim() !== '' && q !== input.trim()))];
}
