/**
 * A rule-based sentence splitter for Korean and English news text.
 *
 * `Intl.Segmenter` splits inside quoted speech in Korean news, so the rules are ours: a sentence ends after
 * `. ? ! …` (or `。`) followed by whitespace or the end, never inside quotes or brackets. After Hangul, `.` and
 * `…` only end a sentence when the word has a sentence-final ending (`…했다.`, `…합니다.`, `…했음.`), so
 * `등.` or `(주)한화.` do not. Decimals, abbreviations, initials, URLs and version numbers are protected.
 * Blank lines are hard boundaries; a single line break counts as a space.
 */

/** `[…]` matching any of the characters (all in the BMP). */
function characterClass(chars: Iterable<string>): string {
  return `[${[...new Set(chars)].map((ch) => ch.replace(/[\\\][^-]/g, '\\$&')).join('')}]`;
}

const TERMINATORS = new Set(['.', '?', '!', '…', '。', '？', '！', '‼', '⁇', '⁈', '⁉']);
const TERMINATOR_CLASS = characterClass(TERMINATORS);
/** CJK full stops end a sentence even when no space follows. */
const CJK_TERMINATORS = new Set(['。', '？', '！']);

const OPEN_TO_CLOSE: Record<string, string> = {
  '(': ')',
  '[': ']',
  '{': '}',
  '「': '」',
  '『': '』',
  '〈': '〉',
  '《': '》',
  '【': '】',
  '〔': '〕',
  '（': '）',
  '［': '］',
  '“': '”',
  '‘': '’',
  '«': '»',
};
const CLOSERS = new Set([...Object.values(OPEN_TO_CLOSE), '"', "'"]);
/** Every character `protectedPositions` acts on: quotes, openers and closers. */
const QUOTE_OR_BRACKET = new RegExp(characterClass([...Object.keys(OPEN_TO_CLOSE), ...CLOSERS, '’']), 'g');

/**
 * Last syllables of Korean sentence-final endings: declaratives (`다`, `니다`), polite (`요`, `죠`), questions
 * (`까`, `냐`), imperatives/propositives (`라`, `오`, `자`, `세`), nominal endings used in briefs (`음`, `함`,
 * `임`, `됨`) and a few colloquial ones. Not `나`: `그러나…` continues.
 */
const HANGUL_FINAL = new Set([...'다요죠까니냐네지자라오군래음함임됨걸세게야어아해돼줘봐데']);

/**
 * Words that continue a sentence after a quoted clause, e.g. `“…했다.” 며`, `“…이다.” 라고`, `“…다.” 는`.
 * They must stand alone (followed by a space, punctuation or the end), so `고려대는` is not mistaken for `고`.
 */
const KO_CONTINUATION =
  /^(?:이?라(?:고|며|면서|는|던|니|며는)?|고|며|면서|는|란|던|하고|하며|하면서|하는|이라|라는)(?=[\s\p{P}]|$)/u;

/** English abbreviations that are (almost) never the end of a sentence, lowercased without the final dot. */
const ABBREVIATIONS = new Set(
  (
    'mr mrs ms dr prof sr jr st mt ft rev gen sen rep gov pres lt col capt sgt cmdr adm hon co corp inc ltd ' +
    'bros dept univ assn vs v etc al cf approx est fig figs vol vols no nos pp p ed eds jan feb mar apr jun ' +
    'jul aug sep sept oct nov dec ave blvd rd hwy ca min max dist mfg intl govt messrs'
  ).split(' '),
);
/** Abbreviations that often end a sentence too: they end one when the next word is capitalised or Hangul. */
const SOFT_ABBREVIATIONS = new Set('etc a.m p.m jan feb mar apr jun jul aug sep oct nov dec no ca'.split(' '));

const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>"“”'‘’]+/giu;
const EMAIL_PATTERN = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/gu;
const HANGUL = /\p{Script=Hangul}/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const LATIN_LETTER = /\p{Script=Latin}/u;

/** Splits text into sentences; blank lines are hard boundaries. Sentences come back trimmed, spaces collapsed. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const paragraph of text.replace(/\r\n?/g, '\n').split(/\n[ \t\u00a0\u3000]*\n/)) {
    const flat = paragraph.replace(/\s+/g, ' ').trim();
    if (flat) out.push(...splitParagraph(flat));
  }
  return out;
}

function splitParagraph(text: string): string[] {
  const protectedAt = protectedPositions(text);
  const sentences: string[] = [];
  let start = 0;
  const terminator = new RegExp(TERMINATOR_CLASS, 'g');
  let i = 0;
  while (i < text.length) {
    terminator.lastIndex = i;
    const found = terminator.exec(text);
    if (!found) break;
    i = found.index;
    // The terminator run (`?!`, `...`) and any quotes/brackets that close right after it (`.”`, `.’”`). Inside
    // a quote nothing ends, but a run whose last closer ends the outermost quote may end the sentence.
    let end = i + 1;
    while (end < text.length && TERMINATORS.has(text[end] as string)) end++;
    while (end < text.length && CLOSERS.has(text[end] as string)) end++;
    if (!protectedAt[end - 1] && isBoundary(text, i, end, protectedAt)) {
      const sentence = text.slice(start, end).trim();
      if (sentence) sentences.push(sentence);
      start = end;
    }
    i = end;
  }
  const rest = text.slice(start).trim();
  if (rest) sentences.push(rest);
  return sentences;
}

/** Decides whether the sentence ends at `end`, given the terminator run starting at `at`. */
function isBoundary(text: string, at: number, end: number, protectedAt: boolean[]): boolean {
  const run = text.slice(at, end);
  const nextChar = text[end];
  if (nextChar !== undefined && nextChar !== ' ') {
    // `。` needs no space after it; everything else does (`10.8조원`, `v1.2`, `.”고`).
    return CJK_TERMINATORS.has(run[0] as string) && !protectedAt[end];
  }
  // Only the neighbourhood matters; slicing the whole text here would make long paragraphs quadratic.
  const before = text.slice(Math.max(0, at - 40), at);
  const word = wordBefore(text, at);
  const nextWord = wordAfter(text, end + 1);
  const closedQuote = end > at && CLOSERS.has(run[run.length - 1] as string);
  const stem = stripTrailingGroups(word);
  const last = stem[stem.length - 1] ?? '';
  const isStop = run[0] === '.' && !run.startsWith('..');
  const isEllipsis = run.startsWith('…') || run.startsWith('..');

  if (nextWord && HANGUL.test(nextWord[0] as string) && closedQuote && KO_CONTINUATION.test(nextWord)) return false;
  if (nextWord && startsLowercase(nextWord)) return false;

  // `(2016.4.22.) 비교사진`: a dotted number closing a bracket is a date or a list item, not a sentence end.
  if (/[)\]]/u.test(run) && /\d/u.test(last)) return false;
  if (HANGUL.test(last)) {
    // `?` and `!` end Korean sentences (and question headings such as `용도는?`) whatever the word; `.` and `…`
    // only after a sentence-final ending.
    if (isStop || isEllipsis) return HANGUL_FINAL.has(last);
    return true;
  }
  if (isEllipsis) {
    // An ellipsis inside an English sentence is followed by a lowercase word (handled above) or continues a
    // quote; before a capital or Hangul it ends the sentence.
    return nextWord === '' || !LETTER_OR_DIGIT.test(nextWord[0] as string) || isSentenceStart(nextWord);
  }
  if (!isStop) return true;
  return !isProtectedAbbreviation(stem, nextWord, before);
}

/** True when the dot after `word` belongs to an abbreviation, an initial or a Korean-style date. */
function isProtectedAbbreviation(word: string, nextWord: string, before: string): boolean {
  const bare = word.replace(/^[\p{Ps}\p{Pi}"'*]+/u, '');
  const key = bare.toLowerCase();
  if (nextWord === '') return false;
  // Dotted initialisms: `U.S.`, `e.g.`, `i.e.`, `a.m.`, `Ph.D.`
  if (/^(?:\p{L}{1,2}\.)+\p{L}{1,2}$/u.test(bare)) {
    if (SOFT_ABBREVIATIONS.has(key)) return !isSentenceStart(nextWord);
    return true;
  }
  // Single capital initial: `J. Doe`, `Samsung Electronics Co. Ltd.`
  if (/^\p{Lu}$/u.test(bare)) return true;
  if (ABBREVIATIONS.has(key)) {
    if (SOFT_ABBREVIATIONS.has(key)) return /^\d/.test(nextWord) || !isSentenceStart(nextWord);
    return true;
  }
  // Korean dates written with spaced dots: `2024. 3. 5.`
  if (/^\d{1,4}$/.test(bare) && /^\d{1,2}\./.test(nextWord)) return true;
  if (/^\d{1,2}$/.test(bare) && /\d{4}\. ?\d{1,2}\. ?\d{1,2}$/.test(before)) return true;
  return false;
}

function isSentenceStart(word: string): boolean {
  const first = word.replace(/^[\p{Ps}\p{Pi}"'‘“]+/u, '')[0] ?? '';
  if (!first) return true;
  if (HANGUL.test(first) || /\p{Lu}/u.test(first) || /\d/.test(first)) return true;
  return !LETTER_OR_DIGIT.test(first);
}

/** `iPhone` and `eBay` may start a sentence; `and` or `the` may not. */
function startsLowercase(word: string): boolean {
  const first = word[0] ?? '';
  if (!/\p{Ll}/u.test(first) || !LATIN_LETTER.test(first)) return false;
  return !/^\p{Ll}\p{Lu}/u.test(word);
}

function wordBefore(text: string, at: number): string {
  let start = at;
  while (start > 0 && text[start - 1] !== ' ') start--;
  return text.slice(start, at);
}

function wordAfter(text: string, from: number): string {
  let stop = from;
  while (stop < text.length && text[stop] !== ' ') stop++;
  return text.slice(from, stop);
}

/** Drops trailing `(사진)`, `[1]`, closing quotes: `출시했다(사진)` → `출시했다`, `'반도체'` → `'반도체`. */
function stripTrailingGroups(word: string): string {
  let current = word;
  for (;;) {
    const next = current.replace(/(?:\([^()]*\)|\[[^[\]]*\]|[)\]”’"'」』〉》】])$/u, '');
    if (next === current || next === '') return current;
    current = next;
  }
}

/**
 * Marks every position inside a matched quote or bracket pair, a URL or an e-mail address. Unmatched openers
 * (`'90s`, a quote that continues into the next paragraph) protect nothing.
 */
function protectedPositions(text: string): boolean[] {
  const marks = new Array<boolean>(text.length).fill(false);
  const mark = (from: number, to: number): void => {
    for (let k = from; k < to; k++) marks[k] = true;
  };
  for (const pattern of [URL_PATTERN, EMAIL_PATTERN]) {
    for (const match of text.matchAll(pattern)) {
      const body = match[0].replace(/[.,;:!?)\]]+$/u, '');
      mark(match.index, match.index + body.length);
    }
  }
  const stack: { close: string; at: number }[] = [];
  const closeTo = (close: string, at: number): void => {
    for (let k = stack.length - 1; k >= 0; k--) {
      const open = stack[k];
      if (open && open.close === close) {
        stack.length = k;
        mark(open.at + 1, at);
        return;
      }
    }
  };
  const dropOpener = (close: string): void => {
    for (let k = stack.length - 1; k >= 0; k--) {
      if (stack[k]?.close === close) {
        stack.splice(k, 1);
        return;
      }
    }
  };
  for (const found of text.matchAll(QUOTE_OR_BRACKET)) {
    const i = found.index;
    const ch = found[0];
    if (marks[i]) continue; // inside a URL or e-mail address
    const prev = text[i - 1] ?? ' ';
    const next = text[i + 1] ?? ' ';
    if (ch === '"' || ch === "'" || ch === '’') {
      // An apostrophe between Latin letters (`don't`, `Samsung’s`) is not a quote.
      if (ch !== '"' && LATIN_LETTER.test(prev) && LATIN_LETTER.test(next)) continue;
      const isOpen = stack.some((s) => s.close === ch);
      // Straight quotes do not say which way they face: after a space (or an opening bracket) a quote opens,
      // after a letter or punctuation it closes. A new opener replaces an unmatched one (`"구글 … 강조했다`).
      const opensHere = ch !== '’' && next !== ' ' && (prev === ' ' || OPEN_TO_CLOSE[prev] !== undefined);
      if (opensHere) {
        if (isOpen) dropOpener(ch);
        stack.push({ close: ch, at: i });
      } else if (isOpen) {
        closeTo(ch, i);
      }
    } else if (OPEN_TO_CLOSE[ch]) {
      stack.push({ close: OPEN_TO_CLOSE[ch] as string, at: i });
    } else if (CLOSERS.has(ch)) {
      closeTo(ch, i);
    }
  }
  return marks;
}
