import { splitSentences } from '../text/sentences.ts';

/** A piece of a snippet; `match` pieces are the query's terms, for adapters to mark up (bold). */
export interface TextSegment {
  text: string;
  match: boolean;
}

const MAX_SNIPPET = 240;

function findMatches(text: string, needles: readonly string[]): [number, number][] {
  const hay = text.toLowerCase();
  const ranges: [number, number][] = [];
  for (const needle of needles) {
    const n = needle.toLowerCase();
    if (!n) continue;
    for (let at = hay.indexOf(n); at >= 0; at = hay.indexOf(n, at + n.length)) {
      const before = hay[at - 1] ?? ' ';
      const after = hay[at + n.length] ?? ' ';
      // Latin needles only at word starts ("ai" not inside "said"); Hangul needles anywhere (particles follow).
      if (/[a-z0-9]/.test(n[0] ?? '') && /[a-z0-9]/.test(before)) continue;
      if (/[a-z0-9]$/.test(n) && /[a-z]/.test(after) && n.length <= 3) continue;
      ranges.push([at, at + n.length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged.at(-1);
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

export function markMatches(text: string, needles: readonly string[]): TextSegment[] {
  const segments: TextSegment[] = [];
  let at = 0;
  for (const [start, end] of findMatches(text, needles)) {
    if (start > at) segments.push({ text: text.slice(at, start), match: false });
    segments.push({ text: text.slice(start, end), match: true });
    at = end;
  }
  if (at < text.length) segments.push({ text: text.slice(at), match: false });
  return segments;
}

function clip(sentence: string): string {
  const chars = Array.from(sentence);
  return chars.length <= MAX_SNIPPET
    ? sentence
    : `${chars
        .slice(0, MAX_SNIPPET - 1)
        .join('')
        .trimEnd()}…`;
}

/** Paragraphs looked at: a match further down than this is not what a reader sees first anyway. */
const MAX_PARAGRAPHS = 60;

/**
 * One or two sentences of the original text that best show why the article matched (the most distinct terms,
 * earliest first), with the terms marked. Falls back to the lede when nothing matches in the body. Only the
 * paragraphs that could beat the best sentence so far are split into sentences (a sentence has no more matches
 * than its paragraph), so a long article costs a few string searches rather than a full sentence split.
 */
export function buildSnippet(paragraphs: readonly string[], needles: readonly string[]): TextSegment[] {
  const considered = paragraphs.slice(0, MAX_PARAGRAPHS);
  const split = new Map<number, string[]>();
  const sentencesOf = (k: number): string[] => {
    let sentences = split.get(k);
    if (!sentences) {
      sentences = splitSentences(considered[k] ?? '');
      split.set(k, sentences);
    }
    return sentences;
  };
  let best: { paragraph: number; sentence: number } | null = null;
  let bestScore = 0;
  considered.forEach((paragraph, k) => {
    if (findMatches(paragraph.replace(/\s+/g, ' '), needles).length <= bestScore) return;
    sentencesOf(k).forEach((sentence, i) => {
      const score = findMatches(sentence, needles).length;
      if (score > bestScore) {
        best = { paragraph: k, sentence: i };
        bestScore = score;
      }
    });
  });
  const at = best ?? firstSentence(considered.length, sentencesOf, 0);
  if (!at) return [];
  let text = sentencesOf(at.paragraph)[at.sentence] as string;
  const next =
    sentencesOf(at.paragraph)[at.sentence + 1] ??
    (() => {
      const following = firstSentence(considered.length, sentencesOf, at.paragraph + 1);
      return following ? sentencesOf(following.paragraph)[following.sentence] : undefined;
    })();
  if (next && Array.from(text).length + Array.from(next).length < MAX_SNIPPET * 0.6) text = `${text} ${next}`;
  return markMatches(clip(text), needles);
}

/** The first sentence at or after paragraph `from`. */
function firstSentence(
  paragraphs: number,
  sentencesOf: (k: number) => string[],
  from: number,
): { paragraph: number; sentence: number } | null {
  for (let k = from; k < paragraphs; k++) if (sentencesOf(k).length > 0) return { paragraph: k, sentence: 0 };
  return null;
}
