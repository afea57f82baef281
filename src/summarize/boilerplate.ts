/**
 * Sentences a summary must never show: photo captions, datelines, bylines, e-mail addresses, copyright lines,
 * section headings and very short fragments. Parsers strip most of these already; the summarizer checks again
 * because wire copy hides them inside paragraphs (`… 기자 = 3일 오전 … 2016.11.3 mon@yna.co.kr`).
 */

/** Shorter than this (in characters, spaces excluded) is a fragment, not a summary sentence. */
export const MIN_SENTENCE_CHARS = 15;

/** `[서울=뉴시스] 오동현 기자 =`, `(서울=연합뉴스) 홍길동 특파원 =`, `【서울=뉴시스】` at the start of a sentence. */
const KO_DATELINE_PREFIX =
  /^[[(【]\s*(?!사진|그래픽|자료|영상|이미지|제공)[^\])】=]{1,20}=\s*[^\])】]{1,20}[\])】]\s*(?:[가-힣]{2,4}(?:\s*[,·]\s*[가-힣]{2,4})*\s*(?:선임|수석|객원)?\s*(?:기자|특파원|통신원)\s*=?\s*)?/u;
/** `[아이뉴스24 김민지 기자]`, `(지디넷코리아 홍길동 기자)`. */
const KO_BYLINE_BRACKET_PREFIX = /^[[(【][^\])】]{0,30}?[가-힣]{2,4}\s*(?:기자|특파원)[\])】]\s*/u;
/** `SEOUL (Reuters) -`, `SAN FRANCISCO, Jan 5 (AP) —`, `SEOUL, South Korea —`. */
const EN_DATELINE_PREFIX =
  /^[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3}(?:(?:,\s*[A-Z][\w.]*(?:\s+[\w.]+){0,2})?\s*\([A-Za-z. ]{2,25}\)|,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})\s*[-—–]{1,2}\s+/u;
/** A dateline in the middle of a sentence means a photo caption (`기조연설하는 피터 리 (서울=연합뉴스) … 기자 =`). */
const KO_DATELINE_ANYWHERE = /[[(【]\s*[^\])】=]{1,20}=\s*[^\])】]{1,20}[\])】]\s*[가-힣]{2,4}\s*(?:기자|특파원)\s*=/u;

/** Photo and graphic credits: `[사진=…]`, `/사진=삼성전자`, `사진 제공`, `[마이크로소프트코리아 제공=연합뉴스]`. */
const PHOTO_CREDIT =
  /[[(<]\s*(?:사진|그래픽|자료|영상|이미지|도표|일러스트|캡처)\s*[=:]|(?:사진|그래픽|이미지)\s*=|사진\s*제공|제공\s*=/u;

const BOILERPLATE_PATTERNS: RegExp[] = [
  // e-mail addresses (bylines, sign-offs)
  /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/u,
  // copyright and reuse notices
  /ⓒ|©|\(c\)\s*\d{4}|copyright|all rights reserved|무단\s*전재|재배포\s*금지|AI\s*학습\s*이용\s*금지|저작권자/iu,
  PHOTO_CREDIT,
  /\/\s*[\p{L}\s]{1,20}제공\s*[)\]]?$/u,
  /^(?:photo|image|picture|credit|caption|source)\s*[:：]/iu,
  /\((?:photo|image|picture)[^)]*\)|getty images|\bap photo\b|reuters\/|afp via|shutterstock/iu,
  // bylines and sign-offs
  /^(?:By|BY|Written by|Reporting by|Editing by|Additional reporting by)\s+\p{Lu}[\p{L}.'’-]*(?:,?\s+(?:and\s+)?\p{Lu}[\p{L}.'’-]*)*\s*[;.]?$/u,
  /^(?:Reporting|Writing|Editing) by\s/u,
  /^[가-힣]{2,4}\s*(?:선임|수석|객원)?\s*(?:기자|특파원|통신원|논설위원)\s*$/u,
  /공감언론\s*뉴시스|관련\s*기사|많이\s*본\s*뉴스|구독\s*신청|sign up for|subscribe to/iu,
  // section headings and list markers: `◇68년 만의 슈퍼문`, `▲ 삼성전자 …` (captions), `■ 관련 기사`
  /^[◇◆■□▶▷►●○※☞★☆▣◈◎•▲△▼]/u,
  // captions end in a date: `… 2024.02.01.`, `2016.11.3 mon@yna.co.kr`
  /\d{4}\.\s?\d{1,2}\.\s?\d{1,2}\.?\s*$/u,
];

/** Questions are headings or teasers in news (`개기월식은?`, `어떻게 작동할까`), not summary sentences. */
const QUESTION = /(?:\?|？|까|까요|냐|나요|가요)$/u;

/** Removes a dateline or bracketed byline from the start of a sentence; returns the sentence unchanged otherwise. */
export function stripDateline(sentence: string): string {
  const stripped = sentence
    .replace(KO_DATELINE_PREFIX, '')
    .replace(KO_BYLINE_BRACKET_PREFIX, '')
    .replace(EN_DATELINE_PREFIX, '')
    .trim();
  return stripped || sentence.trim();
}

/** True for captions, datelines, bylines, e-mails, copyright lines, headings, questions and short fragments. */
export function isBoilerplateSentence(sentence: string): boolean {
  const original = sentence.trim();
  const text = stripDateline(original);
  if (text.replace(/\s/g, '').length < MIN_SENTENCE_CHARS) return true;
  if (KO_DATELINE_ANYWHERE.test(text)) return true;
  if (BOILERPLATE_PATTERNS.some((pattern) => pattern.test(text) || (text !== original && pattern.test(original))))
    return true;
  return QUESTION.test(trimClosers(text));
}

/**
 * True for a whole paragraph that is a photo caption: wire captions carry a dateline and end in a date,
 * maybe with an e-mail (`… 기자 = 3일 오전 … 2016.11.3 mon@yna.co.kr`); short paragraphs carry a credit
 * (`… 살펴보고 있다. (사진=삼성전자 제공)`). Checked before splitting, because the caption's first sentence
 * alone looks like news.
 */
export function isCaptionParagraph(paragraph: string): boolean {
  const text = paragraph.replace(/\s+/g, ' ').trim();
  if (!text) return false;
  if (KO_DATELINE_ANYWHERE.test(stripDateline(text))) return true;
  if (/\d{4}\.\s?\d{1,2}\.\s?\d{1,2}\.?\s*(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+)?$/u.test(text) && text.length < 400)
    return true;
  return text.length < 250 && PHOTO_CREDIT.test(text);
}

/**
 * True for text that reads as a heading or caption rather than a sentence: Korean that does not end in a
 * sentence-final ending (`'나선형 신경망' 학습 기술`, `아이폰에서 시리를 작동시킨 화면`), or English without
 * terminal punctuation. Such lines are chosen only when nothing better is left.
 */
export function isFragment(sentence: string): boolean {
  const core = trimClosers(sentence);
  const last = core[core.length - 1] ?? '';
  const text = sentence.trim();
  if (/\p{Script=Hangul}/u.test(last)) {
    if (/[다요죠]$/u.test(core)) return false;
    // Nominal endings (`체결함.`, `예정임.`) make a sentence only with a full stop: `투자 확대 움직임` is a heading.
    return !(/[음함임됨]$/u.test(core) && /[음함임됨]\s*\.[”’"')\]]*$/u.test(text));
  }
  if (/[.!?…。][”’"')\]]*$/u.test(text)) return false;
  // Korean sentences may end in a Latin word or number; English needs terminal punctuation.
  return !/\p{Script=Hangul}/u.test(text);
}

/**
 * Drops terminal punctuation, closing quotes and trailing bracketed asides:
 * `“…늘었다.”` → `“…늘었다`, `기기 ‘누구(NUGU)’` → `기기 ‘누구`, `출시했다(사진).` → `출시했다`.
 */
function trimClosers(text: string): string {
  let current = text.trim();
  for (;;) {
    const next = current.replace(/(?:[\s.…!。”’"'」』]+|\([^()]*\)|\[[^[\]]*\])$/u, '');
    if (next === current || next === '') return current;
    current = next;
  }
}
