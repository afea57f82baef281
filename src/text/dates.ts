/**
 * Dates as news sites and feeds really write them: RFC 822 with junk (`Sept`, `+0900` glued to the time,
 * named zones), ISO 8601 / W3CDTF, and Korean formats (`2004-05-25 오후 11:23:17`, `2004년 05월 28일 01:31:15`,
 * `2024.02.27 17:38`). A date without a zone gets `defaultOffset` (Korean sites mean KST, +09:00).
 */

export interface DateParseOptions {
  /** Offset for zone-less dates, e.g. `+09:00`; null leaves them unparsed. Default `+09:00`. */
  defaultOffset?: string | null;
}

interface DateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Minutes east of UTC, or null when the text names no zone. */
  offset: number | null;
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
  january: 1,
  february: 2,
  march: 3,
  april: 4,
  june: 6,
  july: 7,
  august: 8,
  september: 9,
  october: 10,
  november: 11,
  december: 12,
};

const ZONES: Record<string, number> = {
  z: 0,
  ut: 0,
  utc: 0,
  gmt: 0,
  kst: 540,
  jst: 540,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
  cet: 60,
  cest: 120,
  bst: 60,
  ist: 330,
  aest: 600,
  hkt: 480,
  sgt: 480,
};

export function parseOffset(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (t in ZONES) return ZONES[t] ?? null;
  const m = /^(?:gmt|utc)?([+-])(\d{1,2}):?(\d{2})?$/.exec(t);
  if (!m) return null;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? 0);
  if (hours > 14 || minutes > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function to24h(hour: number, meridiem: string | undefined): number {
  if (!meridiem) return hour;
  const pm = /^(오후|pm|p\.m\.)$/i.test(meridiem);
  if (hour === 12) return pm ? 12 : 0;
  return pm ? hour + 12 : hour;
}

const TIME = String.raw`(?:(오전|오후|AM|PM)\s*)?(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?:\s*(AM|PM|a\.m\.|p\.m\.))?`;
const ZONE = String.raw`\s*(Z|[+-]\d{2}:?\d{2}|[+-]\d{1,2}|(?:GMT|UTC)[+-]\d{1,2}:?\d{0,2}|[A-Za-z]{1,5})?`;

const ISO_LIKE = new RegExp(String.raw`^(\d{4})[-./]\s*(\d{1,2})[-./]\s*(\d{1,2})\.?(?:[T\s]+${TIME})?${ZONE}$`, 'i');
const KOREAN = new RegExp(
  String.raw`^(\d{4})년\s*(\d{1,2})월\s*(\d{1,2})일(?:\s*\([^)]*\))?(?:\s+${TIME})?${ZONE}$`,
  'i',
);
const RFC822 = new RegExp(
  String.raw`^(?:[A-Za-z]{2,9},?\s*)?(\d{1,2})[\s-]+([A-Za-z]{3,9})\.?[\s-]+(\d{2,4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?${ZONE}$`,
);
/**
 * `Feb 27, 2024 5:38 PM EST`, `Tuesday, February 27, 2024` and similar US formats. A weekday must be followed by a
 * comma or a space, or `February` would split into `Febru` + `ary`.
 */
const US = new RegExp(
  String.raw`^(?:[A-Za-z]{2,9}(?:,\s*|\s+))?([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})(?:,?\s*(?:at\s+)?${TIME})?${ZONE}$`,
  'i',
);

/**
 * `Tue Feb 27 17:38:39 KST 2024`: Java's `Date.toString()` and Unix `date`, common on Korean CMSes built on Java.
 * The zone sits between the time and the year.
 */
const JAVA_DATE =
  /^(?:[A-Za-z]{2,9},?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s+((?:GMT|UTC)[+-]\d{1,2}:?\d{0,2}|[+-]\d{2}:?\d{2}|[A-Za-z]{1,5}))?\s+(\d{4})$/;

/** An RFC 822 comment after the zone, as in `+0900 (KST)`; it repeats the zone, so it is dropped. */
const TRAILING_ZONE_COMMENT = /\s*\((?:[A-Za-z][A-Za-z ]{0,39}|[+-]\d{4})\)$/;

function partsFromTime(m: RegExpExecArray, at: number): Pick<DateParts, 'hour' | 'minute' | 'second'> {
  if (m[at + 1] === undefined) return { hour: 0, minute: 0, second: 0 };
  const meridiem = m[at] ?? m[at + 4];
  return { hour: to24h(Number(m[at + 1]), meridiem), minute: Number(m[at + 2]), second: Number(m[at + 3] ?? 0) };
}

function zoneOf(text: string | undefined): number | null | undefined {
  if (text === undefined) return null;
  const offset = parseOffset(text);
  return offset === null ? undefined : offset;
}

function matchParts(text: string): DateParts | null {
  let m = ISO_LIKE.exec(text) ?? KOREAN.exec(text);
  if (m) {
    const offset = zoneOf(m[9]);
    if (offset === undefined) return null;
    return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), ...partsFromTime(m, 4), offset };
  }
  m = RFC822.exec(text);
  if (m) {
    const month = MONTHS[(m[2] ?? '').toLowerCase()];
    const offset = zoneOf(m[7]);
    if (!month || offset === undefined) return null;
    let year = Number(m[3]);
    if (year < 100) year += year < 50 ? 2000 : 1900;
    return {
      year,
      month,
      day: Number(m[1]),
      hour: Number(m[4] ?? 0),
      minute: Number(m[5] ?? 0),
      second: Number(m[6] ?? 0),
      offset,
    };
  }
  m = US.exec(text);
  if (m) {
    const month = MONTHS[(m[1] ?? '').toLowerCase()];
    const offset = zoneOf(m[9]);
    if (!month || offset === undefined) return null;
    return { year: Number(m[3]), month, day: Number(m[2]), ...partsFromTime(m, 4), offset };
  }
  m = JAVA_DATE.exec(text);
  if (m) {
    const month = MONTHS[(m[1] ?? '').toLowerCase()];
    const offset = zoneOf(m[6]);
    if (!month || offset === undefined) return null;
    return {
      year: Number(m[7]),
      month,
      day: Number(m[2]),
      hour: Number(m[3]),
      minute: Number(m[4]),
      second: Number(m[5] ?? 0),
      offset,
    };
  }
  return null;
}

function valid(p: DateParts): boolean {
  if (p.year < 1970 || p.year > 2200 || p.month < 1 || p.month > 12 || p.day < 1) return false;
  const daysInMonth = new Date(Date.UTC(p.year, p.month, 0)).getUTCDate();
  return p.day <= daysInMonth && p.hour <= 24 && p.minute <= 59 && p.second <= 60;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function formatOffset(minutes: number): string {
  if (minutes === 0) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * Parses a news date and returns ISO 8601 in the zone the text gave (`2024-02-27T17:38:39+09:00`), or null
 * when the text is not a date this parser knows.
 */
export function parseNewsDate(input: string | null | undefined, options: DateParseOptions = {}): string | null {
  if (!input) return null;
  const text = input.replace(/\s+/g, ' ').trim().replace(TRAILING_ZONE_COMMENT, '');
  if (!text || text.length > 80) return null;
  const parts = matchParts(text);
  if (!parts) return null;
  const defaultOffset = options.defaultOffset === undefined ? '+09:00' : options.defaultOffset;
  let offset = parts.offset;
  if (offset === null) {
    if (defaultOffset === null) return null;
    offset = parseOffset(defaultOffset);
    if (offset === null) return null;
  }
  if (parts.second === 60) parts.second = 59;
  if (!valid(parts)) return null;
  if (parts.hour === 24) {
    const ms = Date.UTC(parts.year, parts.month - 1, parts.day, 24, parts.minute, parts.second);
    const d = new Date(ms);
    return `${d.toISOString().slice(0, 19)}${formatOffset(offset)}`;
  }
  const date = `${parts.year}-${pad(parts.month)}-${pad(parts.day)}`;
  const time = `${pad(parts.hour)}:${pad(parts.minute)}:${pad(parts.second)}`;
  return `${date}T${time}${formatOffset(offset)}`;
}

/** The same instant in UTC (`2024-02-27T08:38:39Z`), or null. */
export function parseNewsDateUtc(input: string | null | undefined, options: DateParseOptions = {}): string | null {
  const local = parseNewsDate(input, options);
  if (!local) return null;
  return toUtcIso(local);
}

export function toUtcIso(isoWithOffset: string): string | null {
  const ms = Date.parse(isoWithOffset);
  if (Number.isNaN(ms)) return null;
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
