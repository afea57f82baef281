/** Sub-headlines printed above the dateline paragraph (`일본 총리 만난 저커버그, 28일 방한 전망`). */

const DECK_MAX_CHARS = 100;
const DECK_MAX_LINES = 4;
const SENTENCE_END = /[.。]["'”’)\]]*$/;

export function isDeckLine(line: string): boolean {
  return line.length > 0 && line.length <= DECK_MAX_CHARS && !SENTENCE_END.test(line);
}

/**
 * When the body's dateline paragraph (`[서울=뉴시스] … 기자 =`) comes after a few short, headline-like lines,
 * those lines are the deck, not the body.
 */
export function splitDeck(
  paragraphs: readonly string[],
  datelineIndex: number,
): { deck: string[]; paragraphs: string[] } {
  if (datelineIndex < 1 || datelineIndex > DECK_MAX_LINES) return { deck: [], paragraphs: [...paragraphs] };
  const before = paragraphs.slice(0, datelineIndex);
  if (!before.every(isDeckLine)) return { deck: [], paragraphs: [...paragraphs] };
  return { deck: before, paragraphs: paragraphs.slice(datelineIndex) };
}
