/**
 * A rule-based sentence splitter for Korean and English news text.
 *
 * `Intl.Segmenter` splits inside quoted speech in Korean news, so the rules are ours: a sentence ends after
 * `. ? ! …` (or `。`) followed by whitespace or the end, never inside quotes or brackets. After Hangul, `.` and
 * `…` only end a sentence when the word has a sentence-final ending (`…했다.`, `…합니다.`, `…했음.`), so
 * `등.` or `(주)한화.` do not. Decimals, abbreviations, initials, URLs and version numbers are protected.
 *
 * Some sources (scraped text, datasets, captions turned into text) end Korean sentences with no stop at all:
 * `…출시했다 가격은 …`. Written Korean marks the end of a sentence in the verb itself, so a space after a
 * word with a sentence-final ending (`…했다`, `…한다`, `…이다`, `…습니다`, `…있다`, `…어요`) ends the sentence
 * too, outside quotes and brackets, unless a continuation follows (`…다 보니`, `…다 하더라도`). Nouns that happen
 * to end in `다` (`바다`, `캐나다`, `보다` as in `작년보다`) have no such ending and stay put.
 *
 * Blank lines are hard boundaries; a single line break counts as a space. Sentences are the text's own words:
 * nothing is added or removed but whitespace.
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
// The lookbehind keeps the search linear over long runs of local-part characters with no `@`.
const EMAIL_PATTERN = /(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+/gu;
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
  const push = (from: number, to: number): void => {
    for (const sentence of splitUnpunctuated(text, from, to, protectedAt)) sentences.push(sentence);
  };
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
      push(start, end);
      start = end;
    }
    i = end;
  }
  push(start, text.length);
  return sentences;
}

// ── Korean sentences without a stop ──────────────────────────────────────────────────────────────────────

const HANGUL_BASE = 0xac00;
const HANGUL_LAST = 0xd7a3;
/** Final consonants (jongseong indices) after which `…다` is a predicate: `했다 있다`, `많다 없다 같다 높다 …`. */
const PREDICATE_FINALS_BEFORE_DA = new Set([
  1, // ㄱ 작다 적다
  4, // ㄴ 한다 된다 는다
  6, // ㄶ 많다 않다
  8, // ㄹ 길다 힘들다
  9, // ㄺ 맑다 읽다
  10, // ㄻ 젊다
  11, // ㄼ 넓다 짧다
  17, // ㅂ 어렵다 쉽다
  18, // ㅄ 없다
  20, // ㅆ 했다 였다 있다 겠다
  22, // ㅈ 낮다 늦다
  23, // ㅊ 쫓다
  25, // ㅌ 같다
  26, // ㅍ 높다 싶다
  27, // ㅎ 좋다 놓다
]);
/**
 * After an open syllable `다` is a predicate (`이다 하다 되다 크다 비싸다`) or, very often in news, the copula
 * shortened after a noun (`속도다 변수다 분야다 추세다 기회다 하나다`), except: the ㅕ of `가져다 주다`, `데려다`
 * (two verbs joined), particles (`작년보다`, `날마다`, `여기에다`, `친구에게다`), `바다`, and syllables that end
 * names more often than sentences (`기시다`, `요시다`, `하네다`).
 */
const VOWEL_YEO = 6;
const NOT_PREDICATE_ENDINGS = /(?:보다|마다|에다|에게다|한테다|바다)$/u;
const NAME_SYLLABLES_BEFORE_DA = new Set([...'시네에']);
/** Vowels of the informal polite ending `…어요/아요/해요/세요`: ㅏ ㅐ ㅓ ㅔ ㅕ ㅖ ㅘ ㅙ ㅝ ㅞ (not 주요, 필요, 중요). */
const POLITE_YO_VOWELS = new Set([0, 1, 4, 5, 6, 7, 9, 10, 14, 15]);
/**
 * Words ending in what looks like a predicate that are nouns or names: `캐나다`, `판다`, `혼다`, `라이다`
 * (LiDAR), `아젠다`, `사이다`, `마쓰다`, and `가요` (songs).
 */
const NOT_PREDICATES = new Set(
  (
    '바다 보다 마다 캐나다 플로리다 네바다 우간다 르완다 판다 혼다 린다 완다 폰다 아젠다 어젠다 프로파간다 라이다 ' +
    '사이다 아이다 에이다 마쓰다 마츠다 소다 갖다 그라나다 야마다 하마다 오카다 와다 노다 가요'
  ).split(' '),
);
/**
 * What may follow a `…다` word inside one sentence: `…하다 보니`, `…이다 하더라도`, `…했다 해도`, quoted speech
 * written apart (`…했다 고`, `…했다 며`, `…이다 라는`).
 */
const KO_CONTINUES_AFTER_ENDING =
  /^(?:보니|보니까|보면|보면서|하더라도|할지라도|치더라도|해도|하면|하면서|하며|하고|하는|하니|하여|해서|싶|고|며|면서|는|라고|라며|라는|란|던|하던|든|든지|거나)(?=[\s\p{P}]|$)/u;

function syllableParts(ch: string): { vowel: number; final: number } | null {
  const code = ch.charCodeAt(0);
  if (code < HANGUL_BASE || code > HANGUL_LAST) return null;
  const index = code - HANGUL_BASE;
  return { vowel: Math.floor((index % 588) / 28), final: index % 28 };
}

/**
 * True when a Korean word ends the way a written sentence does: a predicate in `…다` (declarative, past,
 * future, copula, `…습니다`), the polite `…어요`, `…죠`, `…까요`, or a question in `…ㄹ까`.
 */
export function hasSentenceFinalEnding(word: string): boolean {
  if (NOT_PREDICATES.has(word)) return false;
  const last = word[word.length - 1];
  const before = word[word.length - 2];
  if (before === undefined) return false;
  const parts = syllableParts(before);
  if (!parts) return false;
  if (last === '다') {
    // `…습니다`, `…합니다` (a ㅂ final before 니), `아니다`.
    if (before === '니')
      return /(?:습|아)니다$/u.test(word) || syllableParts(word[word.length - 3] ?? '')?.final === 17;
    if (parts.final !== 0) return PREDICATE_FINALS_BEFORE_DA.has(parts.final);
    return parts.vowel !== VOWEL_YEO && !NAME_SYLLABLES_BEFORE_DA.has(before) && !NOT_PREDICATE_ENDINGS.test(word);
  }
  // An unmarked question: `…할까`, `…있을까`, `…될까` (a ㄹ final before 까).
  if (last === '까') return parts.final === 8;
  if (last === '요') return parts.final === 0 && POLITE_YO_VOWELS.has(parts.vowel) && word.length >= 3;
  if (last === '죠') return true;
  return false;
}

function onlyPredicates(words: string): boolean {
  return words.split(' ').every((w) => hasSentenceFinalEnding(/\p{Script=Hangul}*$/u.exec(w)?.[0] ?? ''));
}

/**
 * Splits `text[from, to)` (one stretch between stops) at spaces that end an unpunctuated Korean sentence: the
 * word before has a sentence-final ending, the space is outside quotes and brackets, the sentence so far has
 * at least two words (or is polite: `안녕하세요`) and the next word does not continue it. A word may end in closing quotes only when the
 * quote opened the sentence (`"…했다" 업계는 …`), not when it is quoted inside one (`그는 "…했다" 고 …`).
 */
function splitUnpunctuated(text: string, from: number, to: number, protectedAt: readonly boolean[]): string[] {
  const out: string[] = [];
  let start = from;
  while (start < to && text[start] === ' ') start++;
  for (let i = text.indexOf(' ', start); i !== -1 && i < to; i = text.indexOf(' ', i + 1)) {
    if (protectedAt[i]) continue;
    const word = wordBefore(text, i);
    let bare = word;
    const closers = /[”’"'」』)\]]+$/u.exec(bare)?.[0] ?? '';
    if (closers) {
      const opener = text[start] ?? '';
      const close = closers[closers.length - 1];
      if (OPEN_TO_CLOSE[opener] !== close && opener !== close) continue;
      bare = bare.slice(0, bare.length - closers.length);
    }
    // The Hangul run the word ends in: `3.5%이다` → `이다`, `AI가` → `가`; `12.4%다`, `GPU다`, `‘알파고’다` are
    // the copula after a number, a Latin word or a quote.
    const ending = /\p{Script=Hangul}*$/u.exec(bare)?.[0] ?? '';
    const copulaAfter = ending === '다' && /[’'"”」』)%\p{N}\p{Script=Latin}]다$/u.test(bare);
    if (!copulaAfter && !hasSentenceFinalEnding(ending)) continue;
    const next = wordAfter(text, i + 1);
    if (next === '' || i + 1 >= to || KO_CONTINUES_AFTER_ENDING.test(next)) continue;
    // A sentence needs a word besides its predicates (`크다 작다 논쟁은 …` is one sentence), unless it is one
    // polite word (`안녕하세요`, `감사합니다`).
    const before = text.slice(start, i - word.length).trim();
    if (before === '' ? !/(?:요|죠|니다)$/u.test(bare) : onlyPredicates(before)) continue;
    const sentence = text.slice(start, i).trim();
    if (sentence) out.push(sentence);
    start = i + 1;
  }
  const rest = text.slice(start, to).trim();
  if (rest) out.push(rest);
  return out;
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
