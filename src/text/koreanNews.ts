/**
 * Boilerplate in news copy, Korean wire style first (datelines `[서울=뉴시스] 오동현 기자 =`, photo captions,
 * sign-offs, share buttons, "most read" lists) and the cheap English equivalents. Shared by the text and HTML
 * article parsers: they turn a page into candidate paragraphs, and `cleanParagraphs` keeps the article.
 */

/** Collapses all whitespace (NBSP and ideographic spaces too) to single spaces and drops zero-width marks. */
export function normalizeSpace(text: string): string {
  return text
    .replace(/[\u200b-\u200d\u2060\ufeff\u00ad]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const ROLE =
  '(?:선임기자|수석기자|전문기자|객원기자|인턴기자|기자|특파원|통신원|논설위원|편집위원|객원위원|선임연구원|칼럼니스트)';
const KOREAN_NAMES = String.raw`[가-힣]{2,5}(?:\s*[·,]\s*[가-힣]{2,5}|\s+[가-힣]{2,5})*`;
/** `오동현 기자`, `홍길동·김철수 기자`, `이안나기자`. */
const KOREAN_BYLINE = String.raw`${KOREAN_NAMES}\s?${ROLE}`;
/**
 * The local part starts where a run of its characters starts: without the lookbehind, an unanchored search tries
 * every position inside a long run with no `@` (`1.1.1.…`, a URL-less hash) and scans it to the end: quadratic.
 */
const EMAIL = String.raw`(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+`;
/** Cloudflare's e-mail obfuscation as saved from a page. */
const EMAIL_PLACEHOLDER = String.raw`\[email\s?protected\]`;

/** Bracket labels that mark a photo or graphic credit, not a dateline (`[사진=뉴시스]`). */
const CREDIT_LABEL = /^(?:사진|그래픽|자료|이미지|영상|출처|제공|캡처|화면|표|도표|편집|디자인|일러스트|삽화)$/;

/** `[서울=뉴시스] 오동현 기자 =`, `(서울=연합뉴스) 홍길동 기자 =`, `[워싱턴=AP/뉴시스]`, `【서울=뉴시스】`. */
const WIRE_DATELINE = new RegExp(
  String.raw`^[[(【〔]\s*([^\])】〕=]{1,20}?)\s*=\s*([^\])】〕=]{1,30}?)\s*[\])】〕]\s*(?:(${KOREAN_BYLINE})\s*=\s*)?`,
);
/** `[이데일리 김현아 기자]`, `[디지털데일리 이안나기자]`. */
const OUTLET_DATELINE = new RegExp(
  String.raw`^[[(【]\s*([^\])】=\s]{2,15})\s+(${KOREAN_BYLINE})\s*[\])】]\s*(?:=\s*)?`,
);
/** `SEOUL, Feb 27 (Reuters) - `, `WASHINGTON (AP) — `, `SEOUL, Feb. 27 (Yonhap) -- `. */
const ENGLISH_DATELINE =
  /^([A-Z][A-Za-z .'-]{1,30}?)(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*\((Reuters|AP|AFP|Bloomberg|Yonhap|UPI|Kyodo|Xinhua|dpa)\)\s*(?:-{1,2}|—|–)\s*/;
/** Any agency when the place is written in capitals, as wire datelines are: `SEOUL, Nov 24 (Meridian Wire) - `. */
const CAPITALS_DATELINE =
  /^([A-Z][A-Z .'-]{1,30}?)(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*\(([A-Z][\w .&/'-]{1,30})\)\s*(?:-{1,2}|—|–)\s*/;

export interface Dateline {
  /** `서울`, `워싱턴`, `SEOUL`. */
  place: string | null;
  /** The publishing agency: the last name in the bracket (`AP/뉴시스` → `뉴시스`). */
  source: string | null;
  /** `오동현 기자`, or null when the dateline names no reporter. */
  byline: string | null;
}

/** Removes a dateline at the start of a paragraph and reports what it named. */
export function stripDateline(paragraph: string): { text: string; dateline: Dateline | null } {
  const text = normalizeSpace(paragraph);
  let m = WIRE_DATELINE.exec(text);
  if (m && !CREDIT_LABEL.test((m[1] ?? '').trim())) {
    const agencies = (m[2] ?? '').split('/').map((s) => s.trim());
    return {
      text: text.slice(m[0].length).trim(),
      dateline: { place: m[1]?.trim() || null, source: agencies.at(-1) || null, byline: cleanByline(m[3]) },
    };
  }
  m = OUTLET_DATELINE.exec(text);
  if (m) {
    return {
      text: text.slice(m[0].length).trim(),
      dateline: { place: null, source: m[1]?.trim() || null, byline: cleanByline(m[2]) },
    };
  }
  m = ENGLISH_DATELINE.exec(text) ?? CAPITALS_DATELINE.exec(text);
  if (m) {
    return {
      text: text.slice(m[0].length).trim(),
      dateline: { place: m[1]?.trim() || null, source: m[2] ?? null, byline: null },
    };
  }
  return { text, dateline: null };
}

function cleanByline(text: string | undefined): string | null {
  const byline = normalizeSpace(text ?? '');
  return byline || null;
}

const CAPTION_DATE = String.raw`(?:19|20)\d{2}\s?[.\-/]\s?\d{1,2}\s?[.\-/]\s?\d{1,2}\.?`;
/** A caption ends in its photo date, optionally followed by the photographer's e-mail. */
const CAPTION_TAIL = new RegExp(
  String.raw`${CAPTION_DATE}(?:\s*(?:${EMAIL}|${EMAIL_PLACEHOLDER}|/?\s*${KOREAN_BYLINE}))*\s*$`,
  'i',
);
const CAPTION_TAIL_WITH_EMAIL = new RegExp(String.raw`${CAPTION_DATE}\s*(?:${EMAIL}|${EMAIL_PLACEHOLDER})\s*$`, 'i');
const BRACKET_START = /^[[(【〔]\s*[^\])】〕]{1,40}[\])】〕]/;
/** Yonhap's photo credit: `[삼성전자 제공. 재판매 및 DB 금지]`. */
const RESALE_CREDIT = /재판매\s?및\s?DB\s?금지\s?[\])]\s*$/;
const ENGLISH_CAPTION = /^(?:\(?Photo(?:graph)?(?:\s+by)?\s*[:/]|Image\s*:|Credit\s*:|\(Photo by|Photo credit)/i;
const PHOTO_MARK = /^▲/;
const PHOTO_CREDIT_IN = /[[(/]\s*(?:사진|제공|그래픽)\s*[=:]?[^\])]*[\])]?\s*$/;

/**
 * A photo caption: a paragraph that starts like a dateline (`[워싱턴=AP/뉴시스]`) and ends in the photo's date
 * (`2024.02.01.`, optionally followed by e-mails), a Yonhap `재판매 및 DB 금지` credit, a `▲ … (사진=…)` line,
 * or an English `Photo: …` credit.
 */
export function isCaptionParagraph(paragraph: string): boolean {
  const text = normalizeSpace(paragraph);
  if (!text) return false;
  if (RESALE_CREDIT.test(text)) return true;
  if (ENGLISH_CAPTION.test(text) && text.length < 300) return true;
  if (PHOTO_MARK.test(text) && PHOTO_CREDIT_IN.test(text)) return true;
  if (CAPTION_TAIL_WITH_EMAIL.test(text) && text.length < 500) return true;
  const startsLikeDateline = BRACKET_START.test(text) || /^(?:사진|그래픽)\s*=/.test(text);
  return startsLikeDateline && CAPTION_TAIL.test(text);
}

const BUTTON_WORDS = [
  '페이스북',
  '트위터',
  '엑스',
  '유튜브',
  '카카오톡',
  '카카오스토리',
  '카카오',
  '네이버\\s?블로그',
  '네이버\\s?밴드',
  '네이버',
  '밴드',
  '라인',
  '인스타그램',
  '텔레그램',
  '링크드인',
  '이메일\\s?보내기',
  '메일\\s?보내기',
  '이메일',
  '프린터',
  '프린트',
  '인쇄(?:하기)?',
  'PDF(?:\\s?보기)?',
  'URL\\s?복사',
  '링크\\s?복사',
  '주소\\s?복사',
  '복사(?:하기)?',
  '글자\\s?크기(?:\\s?(?:설정|변경))?',
  '글씨\\s?크기(?:\\s?(?:설정|변경))?',
  '본문\\s?글씨\\s?(?:키우기|줄이기)',
  '스크랩',
  '기사\\s?공유(?:하기)?',
  'SNS\\s?공유(?:하기)?',
  '공유(?:하기)?',
  '북마크',
  '좋아요(?:\\s?\\d+)?',
  '싫어요(?:\\s?\\d+)?',
  '추천(?:\\s?\\d+)?',
  '댓글(?:\\s?\\d+)?',
  '기사\\s?저장',
  '저장',
  '뉴스\\s?듣기',
  '기사\\s?듣기',
  '본문\\s?듣기',
  '번역',
  '구독(?:하기)?',
  '기자\\s?구독',
  '닫기',
  '가[+-]?',
  '크게',
  '작게',
  '확대',
  '축소',
  'Facebook',
  'Twitter',
  'X',
  'LinkedIn',
  'Reddit',
  'WhatsApp',
  'Pinterest',
  'Flipboard',
  'E-?mail',
  'Print',
  'Copy\\s?(?:link|URL)',
  'Share(?:\\s?(?:this|on)\\s?(?:article|story|page|Facebook|Twitter|X))?',
  'Tweet',
  'Save',
  'Comments?',
  'Font\\s?size',
  'Listen(?:\\s?to\\s?(?:this\\s?)?article)?',
];
const BUTTON_LINE = new RegExp(String.raw`^(?:(?:${BUTTON_WORDS.join('|')})\s*[|/·•,]?\s*)+$`, 'i');

const COPYRIGHT =
  /ⓒ|©|\(c\)\s*(?:\d{4}|[\p{Lu}가-힣])|^copyright\b|copyright\s*(?:ⓒ|©|\(c\)|\d{4})|무단\s?(?:전재|복제|배포)[^.]{0,40}금지|재배포\s?금지|AI\s?학습[^.]{0,15}금지|all rights reserved|저작권자\s?(?:ⓒ|©|\(c\))/iu;
const SIGN_OFF = /^[◎◇◆]?\s*공감언론\s*(\S+)/;
const PROMO = /^[▶☞►]\s*.{0,80}(?:제보|구독|다운|바로\s?가기|클릭|앱|이벤트|채널|친구\s?추가|홈페이지)/;
const ENGLISH_BOILERPLATE =
  /^(?:Share this (?:article|story|page)|Advertisement|ADVERTISEMENT|Sponsored(?: content)?|Story continues below(?: advertisement)?|Continue reading(?: below| the main story)?|Skip (?:Advertisement|to content)|Related:.*|Read more:.*|Also read:.*|See also:.*|Sign up for .{0,80}|Subscribe (?:to|for) .{0,80}|Click here .{0,80}|\((?:Reporting|Writing|Editing|Additional reporting|Compiled) by [^)]{2,120}\))$/i;
const BULLET_PREFIX = /^[•·▪■□◦‣∙●○*-]+\s*/;

/** An e-mail address standing alone, optionally with the reporter's name: `홍길동 기자 hong@yna.co.kr`. */
const KOREAN_BYLINE_LINE = new RegExp(
  String.raw`^[/\-–—]?\s*(${KOREAN_BYLINE})?\s*[(<[]?\s*(?:${EMAIL}|${EMAIL_PLACEHOLDER})?\s*[)>\]]?$`,
  'i',
);
const NAME_WORD = String.raw`\p{Lu}[\p{L}.'’-]*`;
const NAME_PARTICLE = '(?:de|van|von|da|del|la|le|bin)';
const ENGLISH_NAME = String.raw`${NAME_WORD}(?:\s+(?:${NAME_WORD}|${NAME_PARTICLE})){0,4}`;
/** `By Jane Doe`, `By Jane Doe and John Roe`, `By Jane Doe, Reuters`, `By Jane Doe | Feb 27, 2024`. */
const ENGLISH_BYLINE_LINE = new RegExp(
  String.raw`^By\s+(${ENGLISH_NAME}(?:\s*(?:,|and|&)\s*${ENGLISH_NAME})*?)(?:\s*(?:,|\||\s[-—]\s)\s*[\p{Lu}\d][^.!?]{0,50})?$`,
  'u',
);

/**
 * A reporter line on its own (`By Jane Doe`, `홍길동 기자`, `/홍길동 기자 hong@yna.co.kr`, `hong@yna.co.kr`):
 * returns the byline (null for a bare e-mail) or undefined when the line is something else.
 */
export function parseBylineLine(line: string): string | null | undefined {
  const text = normalizeSpace(line);
  if (!text || text.length > 120) return undefined;
  const en = ENGLISH_BYLINE_LINE.exec(text);
  if (en) return normalizeSpace(en[1] ?? '') || null;
  const ko = KOREAN_BYLINE_LINE.exec(text);
  if (ko && /[가-힣@]|protected/.test(text)) return cleanByline(ko[1]);
  return undefined;
}

/**
 * A line that is page furniture, not article text: share/print buttons, copyright notices, sign-offs
 * (`◎공감언론 뉴시스 …`), a lone reporter e-mail, promo links (`▶ 제보는 카카오톡`), `Advertisement`.
 */
export function isBoilerplateLine(line: string): boolean {
  const text = normalizeSpace(line).replace(BULLET_PREFIX, '');
  if (!text) return true;
  if (BUTTON_LINE.test(text)) return true;
  if (SIGN_OFF.test(text)) return true;
  if (text.length < 200 && COPYRIGHT.test(text)) return true;
  if (text.length < 120 && PROMO.test(text)) return true;
  if (text.length < 160 && ENGLISH_BOILERPLATE.test(text)) return true;
  if (new RegExp(String.raw`^[(<[]?\s*(?:${EMAIL}|${EMAIL_PLACEHOLDER})\s*[)>\]]?$`, 'i').test(text)) return true;
  return false;
}

const MORE_NEWS_KO = new RegExp(
  String.raw`^(?:가장\s?|오늘의\s?|이\s?시각\s?|실시간\s?|지금\s?|함께\s?(?:보면\s?좋은|볼만한|읽으면\s?좋은)\s?|이\s?기사와\s?함께\s?(?:많이\s?본\s?)?|기자의\s?|섹션\s?|분야별\s?)?` +
    String.raw`(?:많이\s?(?:본|읽은)|인기|주요|관련|추천|핫|최신|랭킹|화제의|다른)\s?(?:기사|뉴스)(?:\s?(?:목록|더보기|랭킹|리스트|TOP\s?\d+))?$`,
  'i',
);
const MORE_NEWS_EN =
  /^(?:Most (?:Read|Popular|Viewed|Shared)(?: (?:Stories|Articles|News))?|Related (?:Articles|Stories|News|Coverage|Content|Posts)|More (?:Stories|News|on this story|from [\w .&'-]{1,40})|Recommended(?: (?:Stories|Articles|Reading|for you))?|Read Next|Up Next|Trending(?: Now| Stories| News)?|You (?:may|might) also like|Top Stories|Popular (?:Stories|Now|News)|What to read next|Latest (?:News|Stories))$/i;

/**
 * The heading of a list that follows the article (`많이 본 기사`, `관련 기사`, `주요 뉴스`, `Most read`):
 * everything from it on is not the article.
 */
export function isMoreNewsHeading(line: string): boolean {
  const text = normalizeSpace(line)
    .replace(/^[[\]()<>【】▶◀►■□◆◇●○·•\-=:|\s]+/, '')
    .replace(/[[\]()<>【】▶◀►■□◆◇●○·•\-=:|\s]+$/, '');
  if (!text || text.length > 40) return false;
  return MORE_NEWS_KO.test(text) || MORE_NEWS_EN.test(text);
}

const PHOTO_MARKER = /\s*[[(]\s*(?:사진|그래픽|자료|이미지|영상|출처|사진\s?제공)\s*[=:]\s*[^\])]{1,40}[\])]\s*/g;
const STANDALONE_CREDIT = /^(?:사진|그래픽|자료|이미지|영상|출처)\s*[=:]\s*\S.{0,30}$/;
const TRAILING_EMAIL = new RegExp(String.raw`\s*[(<[]?\s*(?:${EMAIL}|${EMAIL_PLACEHOLDER})\s*[)>\]]?\s*$`, 'i');
const BRACKETED_EMAIL = new RegExp(String.raw`\s?[(<[]\s*${EMAIL}\s*[)>\]]`, 'gi');
const ANY_PLACEHOLDER = new RegExp(String.raw`\s*${EMAIL_PLACEHOLDER}`, 'gi');

/** Removes reporter e-mails (trailing or bracketed), `[email protected]` placeholders and `[사진=…]` markers. */
export function stripInlineBoilerplate(paragraph: string): string {
  let text = normalizeSpace(paragraph).replace(ANY_PLACEHOLDER, ' ').replace(BRACKETED_EMAIL, '');
  text = text.replace(PHOTO_MARKER, ' ');
  for (let i = 0; i < 3 && TRAILING_EMAIL.test(text); i++) text = text.replace(TRAILING_EMAIL, '');
  return normalizeSpace(text);
}

const COPYRIGHT_SOURCE =
  /(?:저작권자|copyright)?\s*(?:ⓒ|©|\(c\))\s*(?:\d{4}\s*)?([^,.<>[\]()|&]{2,20}?)\s*(?:[,.<>[\]()|&]|무단|all rights|$)/i;

/** The publisher named by a sign-off (`◎공감언론 뉴시스`) or a copyright line (`<저작권자(c) 연합뉴스, …>`). */
export function sourceFromSignOff(line: string): string | null {
  const text = normalizeSpace(line);
  const signOff = SIGN_OFF.exec(text);
  if (signOff) return signOff[1] ?? null;
  if (!COPYRIGHT.test(text)) return null;
  const m = COPYRIGHT_SOURCE.exec(text);
  const name = m?.[1]?.trim();
  if (!name || /^(?:copyright|all rights|저작권자)/i.test(name)) return null;
  return name;
}

export interface CleanedParagraphs {
  paragraphs: string[];
  /** Reporter from the first body dateline, else from a reporter line (`홍길동 기자 hong@…`). */
  byline: string | null;
  /** Publisher from the body dateline, else the sign-off or copyright line, else a caption's dateline. */
  source: string | null;
  /** Index in `paragraphs` of the paragraph whose dateline was removed, or -1. */
  datelineIndex: number;
}

/**
 * Keeps the article text of candidate paragraphs: drops captions, buttons, sign-offs, copyright lines and
 * reporter e-mails, cuts at a "most read"/"related" list, removes the dateline of the first body paragraph
 * (and reports its byline and source), and drops a paragraph that repeats the one before it.
 */
export function cleanParagraphs(input: readonly string[]): CleanedParagraphs {
  const paragraphs: string[] = [];
  let datelineByline: string | null = null;
  let datelineSource: string | null = null;
  let datelineIndex = -1;
  let lineByline: string | null = null;
  let signOffSource: string | null = null;
  let captionSource: string | null = null;

  for (const raw of input) {
    const text = normalizeSpace(raw);
    if (!text) continue;
    if (isMoreNewsHeading(text)) {
      if (paragraphs.length > 0) break;
      continue;
    }
    if (isCaptionParagraph(text)) {
      captionSource ??= stripDateline(text).dateline?.source ?? null;
      continue;
    }
    if (isBoilerplateLine(text)) {
      signOffSource ??= sourceFromSignOff(text);
      continue;
    }
    const byline = parseBylineLine(text);
    if (byline !== undefined) {
      lineByline ??= byline;
      continue;
    }
    const { text: body, dateline } = stripDateline(text);
    if (dateline && datelineIndex === -1) {
      datelineIndex = paragraphs.length;
      datelineByline = dateline.byline;
      datelineSource = dateline.source;
    }
    const cleaned = stripInlineBoilerplate(body);
    if (!cleaned || STANDALONE_CREDIT.test(cleaned)) continue;
    if (paragraphs.at(-1) === cleaned) continue;
    paragraphs.push(cleaned);
  }
  if (datelineIndex >= paragraphs.length) datelineIndex = -1;

  return {
    paragraphs,
    byline: datelineByline ?? lineByline,
    source: datelineSource ?? signOffSource ?? captionSource,
    datelineIndex,
  };
}
