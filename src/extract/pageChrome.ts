/**
 * What a news page saved as text carries around the article: navigation (`본문 바로가기`, `홈`, section breadcrumbs),
 * tool rows (`글자크기조정`, `가 가 가 글자 크기`, `공유하기`), portal widgets (`본문 요약봇`, `구독중`), outlet logos
 * (`The Verge homepage`) and the tails after the article (`제보는 카카오톡 …`, `관련 키워드`, reaction buttons).
 * The recognisers are by kind of line, not by outlet: each list holds what many sites print.
 */

import { isBoilerplateLine, normalizeSpace } from '../text/koreanNews.ts';

/** Whole lines that are navigation or widgets on Korean and English news sites and portals. */
const NAV_LINE = new RegExp(
  `^(?:${[
    '본문\\s?(?:바로\\s?가기|으로\\s?(?:바로\\s?)?가기|영역)',
    '주\\s?메뉴\\s?바로\\s?가기',
    '(?:전체\\s?)?메뉴(?:\\s?(?:열기|닫기|보기))?',
    '검색(?:\\s?(?:열기|닫기|하기))?',
    '홈',
    '로그인',
    '로그아웃',
    '회원\\s?가입',
    '마이\\s?페이지',
    '전체\\s?기사',
    '최신\\s?기사',
    '기사\\s?원문',
    '기자\\s?(?:페이지|프로필|구독|홈)',
    '구독\\s?중',
    '구독자\\s?\\d*',
    '응원(?:수)?\\s?\\d*',
    '언론사\\s?(?:선정|홈(?:\\s?바로\\s?가기)?|편집)',
    '본문\\s?요약봇',
    '텍스트\\s?음성\\s?변환\\s?서비스\\s?사용하기',
    '음성으로\\s?듣기',
    'SNS\\s?(?:보내기|공유)',
    '번역\\s?설정',
    '기사\\s?(?:추천|스크랩)',
    '(?:이전|다음)\\s?기사',
    '목록',
    '맨\\s?위로',
    'TOP',
    '링크가\\s?복사되었습니다\\.?',
    'Skip to (?:main )?content',
    'Skip to (?:main )?navigation',
    'Menu',
    'Search',
    'Sign (?:in|up)',
    'Log ?in',
    'Subscribe',
    'Newsletters?',
    'Link copied',
    'Copy(?: link)?',
    'Home',
  ].join('|')})$`,
  'i',
);

/** Tool rows: text size, print, share, reactions, in the spellings sites use (`글씨크기 조절하기`, `가 가 가 글자 크기`). */
const TOOL_WORD = [
  '(?:글자|글씨|폰트)\\s?(?:크기|사이즈)(?:\\s?(?:조정|조절|변경|설정|선택))?(?:하기)?',
  '본문\\s?(?:글자|글씨)\\s?(?:키우기|줄이기|크게|작게)',
  '인쇄(?:하기)?',
  '프린트(?:하기)?',
  '공유(?:하기)?',
  '댓글(?:\\s?\\d+)?',
  '좋아요(?:\\s?\\d+)?',
  '추천(?:해요)?(?:\\s?\\d+)?',
  '(?:감동|화나|슬퍼|후속기사\\s?원해)요(?:\\s?\\d+)?',
  '(?:쏠쏠정보|흥미진진|공감백배|분석탁월|후속강추)(?:\\s?\\d+)?',
  '스크랩',
  '가',
  '가[+-]',
  'Share',
  'Comments?(?:\\s?\\(\\d+\\))?',
  'Print',
];
const TOOL_LINE = new RegExp(`^(?:(?:${TOOL_WORD.join('|')})\\s*[|/·•,]?\\s*)+$`, 'i');

/** `경제 > IT·과학`, `Home › Tech › AI`: short segments joined by arrows. */
const BREADCRUMB = /^[^\s>›»]{1,15}(?:\s?[^\s>›»]{1,15})?(?:\s*[>›»]\s*[^\s>›»]{1,15}(?:\s?[^\s>›»]{1,15})?)+$/;
/** `Updated 3 hours ago`, `5분 전`. */
const RELATIVE_TIME =
  /^(?:(?:Updated|Published|Posted)\s+)?\d{1,3}\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?)\s+ago$|^\d{1,3}\s?(?:초|분|시간|일)\s?전$/i;
/** Print-edition lines (`지면 : 2024-03-14 4면`, `A12면`): not the publication date. */
const PRINT_EDITION = /^(?:지면(?:\s?정보)?\s*[:：]?\s*.{0,30}|[A-Z]?\d{1,2}면(?:\s?\d단)?)$/;
/** Promotions under the article: tip lines, subscribe prompts. */
const PROMO_LINE =
  /^(?:[▶☞►]\s*)?(?:제보(?:는|하기)?(?:\s.{0,60})?|.{0,40}(?:구독(?:하기|해\s?보세요|하세요)|바로\s?가기|앱\s?다운로드)[.!]?)$/;
/** `Reporting by Jane Kim; Editing by Tom Hale`, without the brackets some wires put around it. */
const WIRE_CREDITS = /^(?:Reporting|Writing|Editing|Additional reporting|Compiled) by [^.]{2,160}\.?$/i;
/** Photo credits printed on their own line by English sites. */
const IMAGE_CREDIT = /^(?:Image|Photo|Photograph|Picture)\s?Credits?\s*:.{0,100}$/i;
/** `#카카오 #카나나`. */
const HASHTAGS = /^#[^\s#]+(?:\s*#[^\s#]+)*$/;
/** A reporter's name with the e-mail but no `기자`: `이민재 (minjae@edaily.co.kr)`. */
const NAME_EMAIL = /^[가-힣]{2,5}(?:\s?[·,]\s?[가-힣]{2,5})*\s*[(<[]?\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*[)>\]]?$/;

/** A line of navigation, tools, widgets or promotion: never the title, the deck or the body. */
export function isChromeLine(line: string): boolean {
  const text = normalizeSpace(line);
  if (!text) return true;
  if (text.length > 120) return false;
  return (
    NAV_LINE.test(text) ||
    TOOL_LINE.test(text) ||
    BREADCRUMB.test(text) ||
    RELATIVE_TIME.test(text) ||
    PRINT_EDITION.test(text) ||
    PROMO_LINE.test(text) ||
    WIRE_CREDITS.test(text) ||
    HASHTAGS.test(text) ||
    IMAGE_CREDIT.test(text) ||
    NAME_EMAIL.test(text) ||
    isBoilerplateLine(text)
  );
}

/** Headings after which nothing is the article: tags, reactions, section notes, "more from" lists. */
const TAIL_HEADING_KO =
  /^(?:관련\s?(?:키워드|태그|기사\s?더보기)|태그|키워드|기사\s?섹션\s?분류\s?안내|이\s?기사(?:에\s?대해\s?어떻게\s?생각하시나요|를\s?추천합니다|와\s?관련된\s?(?:기사|뉴스))\??|기사\s?제보|기자\s?정보|기자의\s?다른\s?기사|많이\s?본\s?뉴스)$/i;
const TAIL_HEADING_EN =
  /^(?:Our Standards:.*|More (?:from )?\p{Lu}[\w&.' -]{1,30}|Most Popular|Related Topics|Topics|Tags?|Filed under:?.*|Read more about.*|Sign up for .*newsletter.*|Get the latest .* newsletter.*)$/u;

export function isTailHeading(line: string): boolean {
  const text = normalizeSpace(line);
  if (!text || text.length > 100) return false;
  return TAIL_HEADING_KO.test(text) || TAIL_HEADING_EN.test(text);
}

/**
 * Publishers whose name alone, as a logo or a portal's press line, heads a saved page (`디지털데일리`,
 * `The Verge homepage`). Only read from header lines, never from the body.
 */
const OUTLETS = [
  '연합뉴스',
  '뉴스1',
  '뉴시스',
  '조선일보',
  '중앙일보',
  '동아일보',
  '한겨레',
  '경향신문',
  '한국일보',
  '서울신문',
  '국민일보',
  '세계일보',
  '문화일보',
  '한국경제',
  '매일경제',
  '서울경제',
  '머니투데이',
  '이데일리',
  '아시아경제',
  '헤럴드경제',
  '파이낸셜뉴스',
  '전자신문',
  '디지털타임스',
  '디지털데일리',
  '지디넷코리아',
  'ZDNet Korea',
  '블로터',
  '아이뉴스24',
  '뉴스핌',
  '노컷뉴스',
  'KBS',
  'MBC',
  'SBS',
  'JTBC',
  'YTN',
  'Reuters',
  'AP News',
  'Associated Press',
  'Bloomberg',
  'TechCrunch',
  'The Verge',
  'Ars Technica',
  'Wired',
  'Engadget',
  'CNBC',
  'The Korea Herald',
  'The Korea Times',
  'Korea JoongAng Daily',
  'Yonhap News Agency',
];
const OUTLET_NAMES = new Map(OUTLETS.map((name) => [name.toLowerCase(), name]));
const LOGO_SUFFIX = /\s*(?:homepage|home|logo|로고|홈)$/i;

/** The outlet a header line names (`The Verge homepage` → `The Verge`), or null. */
export function outletName(line: string): string | null {
  const text = normalizeSpace(line).replace(LOGO_SUFFIX, '');
  if (!text || text.length > 40) return null;
  const name = OUTLET_NAMES.get(text.toLowerCase());
  if (!name) return null;
  return name === 'AP News' || name === 'Associated Press' ? 'AP' : name;
}
