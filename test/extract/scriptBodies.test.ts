import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractHtmlArticle } from '../../src/extract/index.ts';
import { flightToHtml, parseFlightRows } from '../../src/extract/scriptBodies.ts';

const fixture = (name: string) =>
  readFileSync(path.resolve(import.meta.dirname, '../fixtures/script-bodies', name), 'utf8');

describe('extractHtmlArticle: bodies that only scripts carry', () => {
  it('reads a Next.js App Router page from its self.__next_f payloads, with the usual cleanup', () => {
    const article = extractHtmlArticle(fixture('next-app-router.html'));
    expect(article.title).toBe('클라우드온, 액침 냉각으로 데이터센터 전력 30% 절감');
    expect(article.byline).toBe('박하람 기자');
    expect(article.source).toBe('테크플로우');
    expect(article.publishedAt).toBe('2024-03-04T09:30:00+09:00');
    expect(article.paragraphs).toEqual([
      '클라우드 기업 클라우드온이 서버를 특수 액체에 담가 식히는 액침 냉각 방식을 도입해 데이터센터 전력 사용량을 30% 줄였다고 4일 밝혔다.',
      '두 번째 문단이다. 회사는 올해 안에 국내 데이터센터 세 곳에 새 냉각 설비를 넣겠다고 밝혔다.',
      '업계에서는 전력 효율 경쟁이 데이터센터 사업의 성패를 가를 것이라는 분석이 나온다. 관계자는 "비용을 30% 줄일 수 있다"고 말했다.',
    ]);
  });

  it('reads a window.__INITIAL_STATE__ hydration blob when the DOM holds only a spinner', () => {
    const article = extractHtmlArticle(fixture('hydration-blob.html'));
    expect(article.title).toBe('Chip startup Veritile ships its first edge AI module');
    expect(article.paragraphs).toEqual([
      'Veritile, a chip startup founded by former phone engineers, has started shipping an AI module for cameras and factory sensors.',
      'The module runs vision models locally and draws less than two watts, the company said, which lets customers skip sending video to the cloud.',
      'Veritile said its first customers are logistics firms that track parcels on conveyor belts.',
    ]);
  });
});

describe('flight rows', () => {
  it('counts a text row in UTF-8 bytes, so Hangul does not swallow the next row', () => {
    const text = '한글 본문';
    const flight = `5:T${Buffer.byteLength(text).toString(16)},${text}6:["$","p",null,{"children":"$5"}]\n`;
    const rows = parseFlightRows(flight);
    expect(rows.text.get('5')).toBe(text);
    expect(flightToHtml(flight)).toBe('<p>한글 본문</p>');
  });

  it('escapes text, skips scripts and lazy references', () => {
    expect(flightToHtml('0:["$","div",null,{"children":["a<b","$L1",["$","script",null,{"children":"x()"}]]}]\n')).toBe(
      '<div>a&lt;b</div>',
    );
  });
});
