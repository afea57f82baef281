import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTextArticle } from '../../src/extract/index.ts';
import { SEED_FORBIDDEN, SEED_PATH, SEED_PRESENT } from '../helpers/sample.ts';

describe('parseTextArticle on the seed article', () => {
  it.skipIf(!SEED_PRESENT)('extracts every field exactly', () => {
    const article = parseTextArticle(readFileSync(SEED_PATH, 'utf8'));
    expect(article.title).toBe('저커버그, 尹대통령 29일 접견…삼성·LG 수뇌부 만난다');
    expect(article.publishedAt).toBe('2024-02-27T17:38:39+09:00');
    expect(article.updatedAt).toBe('2024-02-27T19:41:28+09:00');
    expect(article.source).toBe('뉴시스');
    expect(article.byline).toBe('오동현 기자');
    expect(article.lang).toBe('ko');
    expect(article.url).toBeNull();
    expect(article.deck).toEqual([
      '일본 총리 만난 저커버그, 28일 방한 전망',
      '윤석열 대통령, 이재용 삼성전자 회장 등 회동',
      'AI 및 XR 기기 생태계 협력 논의',
    ]);

    const { paragraphs } = article;
    expect(paragraphs).toHaveLength(22);
    expect(paragraphs[0]).toBe(
      '오픈AI의 샘 알트만에 이어 메타의 마크 저커버그까지 글로벌 빅테크 수장들이 정보기술(IT) 강국 대한민국을 잇따라 찾고 있다.',
    );
    expect(paragraphs[1]?.startsWith('27일 업계에 따르면 저커버그 메타 최고경영자(CEO)는')).toBe(true);
    expect(paragraphs.at(-1)?.startsWith('업계 관계자는 "한국은 AI 반도체와 생성형 AI 관련해')).toBe(true);
    for (const heading of [
      "이재용 회장과 'AI 반도체' 협력 논의 전망",
      "LG와 'XR 기기·생태계' 협력 논의할 듯",
      "윤 대통령 접견…'AI' 산업 논의 전망",
    ]) {
      expect(paragraphs).toContain(heading);
    }
    expect(paragraphs.indexOf("이재용 회장과 'AI 반도체' 협력 논의 전망")).toBe(4);
    expect(new Set(paragraphs).size).toBe(paragraphs.length);
    expect(paragraphs.some((p) => p.startsWith('[') || p.includes('2024.01.02.') || p.includes('2024.02.01.'))).toBe(
      false,
    );

    const body = paragraphs.join('\n');
    for (const forbidden of SEED_FORBIDDEN) {
      expect(body, `body contains ${JSON.stringify(forbidden)}`).not.toContain(forbidden);
    }
  });
});
