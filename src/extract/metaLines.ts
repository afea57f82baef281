/**
 * Lines of a saved page that carry metadata rather than text: `등록 2024.02.27 17:38:39수정 2024.02.27 19:41:28`,
 * `기사입력 2024.02.27. 오후 5:38 최종수정 …`, `입력 2024-02-27 17:38 | 수정 …`, `Posted Feb 27, 2024 5:38 PM EST`.
 */

import type { Lang } from '../model.ts';
import { parseNewsDate } from '../text/dates.ts';
import { normalizeSpace } from '../text/koreanNews.ts';

export interface DateLine {
  publishedAt: string | null;
  updatedAt: string | null;
  /** What came before the first label (`By Jane Doe |`), separators trimmed; often a byline. */
  prefix: string;
}

/** Longer labels first, so that `최종수정` and `기사입력` win over `수정` and `입력`. */
const LABEL =
  /(최종\s?수정(?:일시|일|시간)?|최종\s?업데이트|기사\s?입력|기사\s?등록|기사\s?승인|기사\s?수정|송고\s?시간|송고|입력(?:일시|일|시간)?|등록(?:일시|일|시간)?|수정(?:일시|일|시간)?|업데이트|작성(?:일시|일|시간)?|게재(?:일)?|발행(?:일)?|승인|(?<![A-Za-z])(?:Last\s+updated|Last\s+modified|First\s+published|Updated|Modified|Posted|Published)(?:\s+on)?)\s*[:：]?\s*/gi;
const UPDATE_LABEL = /수정|업데이트|updated|modified/i;

const TIME = String.raw`(?:(?:오전|오후|AM|PM)\s*)?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*(?:AM|PM|a\.m\.|p\.m\.))?`;
const ZONE = String.raw`(?:\s*(?:Z|[+-]\d{2}:?\d{2}|KST|UTC|GMT|JST|EST|EDT|CST|CDT|PST|PDT|BST|CET|CEST)\b)?`;
const NUMERIC_DATE = String.raw`\d{4}\s?(?:[-./]|년)\s?\d{1,2}\s?(?:[-./]|월)\s?\d{1,2}(?:일|\.)?(?:\s*\([^)]{1,3}\))?(?:(?:T|\s*)${TIME})?${ZONE}`;
const ENGLISH_DAY = String.raw`(?:[A-Z][a-z]{2,8},?\s+)?[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}`;
const ENGLISH_DATE = String.raw`${ENGLISH_DAY}(?:,?\s*(?:at\s+)?${TIME})?${ZONE}`;
const DAY_MONTH_DATE = String.raw`\d{1,2}\s+[A-Z][a-z]{2,8}\.?\s+\d{4}(?:,?\s*${TIME})?${ZONE}`;
const DATE_IN_TEXT = new RegExp(`${NUMERIC_DATE}|${ENGLISH_DATE}|${DAY_MONTH_DATE}`, 'g');

/** Words a date line may carry besides labels and dates (`기사원문`, `KST`). */
const MAX_LEFTOVER = 15;
const MAX_PREFIX = 40;

function trimSeparators(text: string): string {
  return text.replace(/^[\s|│·•,:：/-]+|[\s|│·•,:：/-]+$/g, '');
}

/** `9:41 PM GMT+9, March 21, 2024`, `5:00 PM PDT · March 21, 2024`: the time first, as AP and TechCrunch print it. */
const TIME_FIRST = new RegExp(
  String.raw`^(${TIME}(?:\s*(?:GMT|UTC)[+-]\d{1,2}(?::?\d{2})?|${ZONE}))\s*[,·|•-]?\s*(${ENGLISH_DAY}|${NUMERIC_DATE})$`,
);

/** A whole text that is one date, in any order of date and time. */
function parseWholeDate(text: string, defaultOffset: string | null): string | null {
  const trimmed = trimSeparators(text);
  const parsed = parseNewsDate(trimmed, { defaultOffset });
  if (parsed) return parsed;
  const m = TIME_FIRST.exec(trimmed);
  return m ? parseNewsDate(`${m[2]} ${m[1]}`, { defaultOffset }) : null;
}

/** Parses the first date in `text` (the whole text first, then any date-looking part of it). */
export function findDate(text: string, defaultOffset: string | null): string | null {
  const whole = parseWholeDate(text, defaultOffset);
  if (whole) return whole;
  for (const m of text.matchAll(DATE_IN_TEXT)) {
    const parsed = parseNewsDate(m[0], { defaultOffset });
    if (parsed) return parsed;
  }
  return null;
}

/**
 * Reads a publication-date line, or returns null when the line is not one. A line of only a date counts as
 * the publication date.
 */
export function parseDateLine(line: string, defaultOffset: string | null): DateLine | null {
  const text = normalizeSpace(line);
  if (!text || text.length > 160) return null;
  const labels = [...text.matchAll(LABEL)];
  if (labels.length === 0) {
    const whole = parseWholeDate(text, defaultOffset);
    return whole ? { publishedAt: whole, updatedAt: null, prefix: '' } : null;
  }
  const first = labels[0];
  const prefix = trimSeparators(text.slice(0, first?.index ?? 0));
  if (prefix.length > MAX_PREFIX) return null;
  // `2024/03/05 10:12 송고`: one label after its date.
  const only = labels.length === 1 ? first : undefined;
  if (only && prefix && !trimSeparators(text.slice((only.index ?? 0) + only[0].length))) {
    const date = parseWholeDate(prefix, defaultOffset);
    if (date) {
      const updated = UPDATE_LABEL.test(only[1] ?? '');
      return { publishedAt: updated ? null : date, updatedAt: updated ? date : null, prefix: '' };
    }
  }

  let publishedAt: string | null = null;
  let updatedAt: string | null = null;
  let leftover = '';
  labels.forEach((label, k) => {
    const start = (label.index ?? 0) + label[0].length;
    const end = labels[k + 1]?.index ?? text.length;
    const segment = text.slice(start, end);
    const date = findDate(segment, defaultOffset);
    if (!date) {
      leftover += segment;
      return;
    }
    leftover += parseWholeDate(segment, defaultOffset) ? '' : segment.replace(DATE_IN_TEXT, '');
    if (UPDATE_LABEL.test(label[1] ?? '')) updatedAt ??= date;
    else publishedAt ??= date;
  });
  if (!publishedAt && !updatedAt) return null;
  if (trimSeparators(leftover).replace(/\s+/g, '').length > MAX_LEFTOVER) return null;
  return { publishedAt, updatedAt, prefix };
}

/** Korean sites mean KST when a date names no zone; elsewhere a zone-less date is read as UTC. */
export function defaultOffsetFor(lang: Lang, url: string | null | undefined): string {
  if (lang === 'ko') return '+09:00';
  try {
    if (url && new URL(url).hostname.endsWith('.kr')) return '+09:00';
  } catch {
    // not a URL: fall through
  }
  return 'Z';
}
