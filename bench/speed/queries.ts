/**
 * The fixed query mix for search latency: what people type into `/news` — English and Korean company names,
 * press shorthand, technologies, several words, phrases, negation, windows and filters — plus one query that
 * finds nothing. The words occur in the synthetic corpus (it is built from the same topic catalog).
 */
export const QUERY_MIX: readonly string[] = [
  'samsung',
  'nvidia',
  'openai',
  'sk hynix',
  'lg',
  'apple',
  'foundry',
  'semiconductors',
  '삼성전자',
  '삼성',
  '엔비디아',
  '네이버',
  '카카오',
  '인공지능',
  '반도체',
  '데이터센터',
  '삼전',
  '하닉',
  '엘지',
  '오픈AI',
  'LG전자',
  'samsung foundry',
  'nvidia sk hynix',
  '엔비디아 하이닉스 반도체',
  '삼성 파운드리 투자',
  '"on-device AI"',
  '"AI 반도체"',
  'samsung -apple',
  '반도체 -삼성',
  'nvidia -gaming',
  'samsung 24h',
  '엔비디아 7d',
  'openai 48h',
  'apple lang:en',
  '네이버 lang:ko',
  'topic:nvidia',
  'qualcomm snapdragon',
  'zzyzx',
];

/** Single words for the FTS-against-LIKE comparison: frequent and rare, Latin and Hangul, and one with no match. */
export const SCAN_TERMS: readonly string[] = ['samsung', 'nvidia', '반도체', '엔비디아', 'qualcomm', 'zzyzx'];
