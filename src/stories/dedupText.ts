import { stripDateline } from '../summarize/boilerplate.ts';
import { isCaptionParagraph } from '../text/koreanNews.ts';

/** Paragraphs shorter than this (section labels, decks, the wire's name on a line) say nothing about copying. */
const MIN_PARAGRAPH = 30;

/**
 * The text two copies of one wire story share. Stored paragraphs were already cleaned at ingestion
 * (`cleanParagraphs`: captions, buttons, sign-offs, e-mails and the first dateline are gone); what portals
 * still add is stripped here: datelines left inside (`[서울=한빛통신] … 기자 =`, `SEOUL, Nov 24 (Meridian Wire) -`),
 * captions, and short label lines, so that a portal's own header and footer do not make a copy look different.
 */
export function dedupText(paragraphs: readonly string[]): string {
  return paragraphs
    .filter((paragraph) => paragraph.length >= MIN_PARAGRAPH && !isCaptionParagraph(paragraph))
    .map((paragraph) => stripDateline(paragraph))
    .join('\n');
}
