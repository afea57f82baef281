import { describe, expect, it } from 'vitest';
import { MAX_DEPTH, MAX_ELEMENTS, measureMarkup, overBudget } from '../../src/extract/budget.ts';
import { extractHtmlArticle, isBinaryText } from '../../src/extract/index.ts';
import { decodeDocument } from '../../src/text/charset.ts';

/** Each input here took seconds to minutes before the markup budget (50,000 nested divs: 24 s). */
const PARAGRAPH =
  '<p>정부가 인공지능 반도체 실증 사업에 올해 1200억원을 투입한다고 밝혔다. 선정 기업은 국내 데이터센터에서 성능을 검증받는다.</p>';

function timed<T>(work: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = work();
  return { value, ms: performance.now() - start };
}

describe('hostile markup stays bounded', () => {
  it('reads 200,000 levels of nesting without a DOM and still finds the text', () => {
    const html = `<html><head><title>깊은 문서</title></head><body>${'<div>'.repeat(200_000)}${PARAGRAPH}${'</div>'.repeat(200_000)}</body></html>`;
    expect(measureMarkup(html).depth).toBeGreaterThan(MAX_DEPTH);
    const { value } = timed(() => extractHtmlArticle(html));
    expect(value.title).toBe('깊은 문서');
    expect(value.paragraphs).toEqual([
      '정부가 인공지능 반도체 실증 사업에 올해 1200억원을 투입한다고 밝혔다. 선정 기업은 국내 데이터센터에서 성능을 검증받는다.',
    ]);
  });

  it('goes around the DOM for huge element and attribute counts', () => {
    const elements = `<body>${'<span>x</span>'.repeat(MAX_ELEMENTS + 1)}${PARAGRAPH}</body>`;
    expect(overBudget(measureMarkup(elements))).toBe(true);
    expect(extractHtmlArticle(elements).paragraphs.at(-1)).toContain('1200억원');
    const attributes = `<body><div ${Array.from({ length: 50_000 }, (_, i) => `data-a${i}="v"`).join(' ')}>${PARAGRAPH}</div></body>`;
    expect(measureMarkup(attributes).attributes).toBe(50_000);
    expect(extractHtmlArticle(attributes).paragraphs).toHaveLength(1);
  });

  it('keeps a real page on the DOM path', () => {
    const page = `<html><head><title>t</title></head><body><article>${PARAGRAPH.repeat(20)}</article><svg>${'<path d="M0"/>'.repeat(3000)}</svg></body></html>`;
    expect(overBudget(measureMarkup(page))).toBe(false);
  });

  it('does not scan quadratically through a million unclosed tags', () => {
    const { value } = timed(() => extractHtmlArticle(`<head>${'<head '.repeat(200_000)}`));
    expect(value.paragraphs).toEqual([]);
  });

  it('recognises binary data served as HTML and returns an empty article, without parsing it', () => {
    const bytes = new Uint8Array(1_000_000);
    let x = 12345;
    for (let i = 0; i < bytes.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      bytes[i] = x >>> 24;
    }
    const { text } = decodeDocument(bytes, { contentType: 'text/html' });
    expect(isBinaryText(text)).toBe(true);
    expect(extractHtmlArticle(text).paragraphs).toEqual([]);
    expect(isBinaryText(`<p>${'한국어 기사 본문 '.repeat(500)}\ufffd</p>`)).toBe(false);
  });
});

describe('UTF-8 with a few invalid bytes', () => {
  const article = '삼성전자가 차세대 메모리를 공개했다. “전력 소모를 40% 줄였다”고 밝혔다. ';
  const withBadByte = (text: string, at: number) => {
    const bytes = Buffer.from(text, 'utf8');
    return Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff]), bytes.subarray(at)]);
  };

  it('decodes as UTF-8 with one replacement character, even under an EUC-KR label', () => {
    const html = `<html><head><meta charset="euc-kr"></head><body><p>${article.repeat(3)}</p></body></html>`;
    const bytes = withBadByte(html, html.indexOf('<p>') + 3);
    const decoded = decodeDocument(bytes);
    expect(decoded.charset).toBe('utf-8');
    expect(decoded.text).toContain(`\ufffd${article}`);
    expect(decoded.text.match(/\ufffd/g)).toHaveLength(1);
  });

  it('decodes a short English text with curly quotes and one bad byte as UTF-8, not windows-1252', () => {
    const text = 'Samsung said it “expects demand to stay strong” — its words.';
    const decoded = decodeDocument(withBadByte(text, 10));
    expect(decoded.charset).toBe('utf-8');
    expect(decoded.text).toContain('“expects demand to stay strong” — its words.');
  });

  it('still reads real EUC-KR text as EUC-KR', () => {
    const bytes = Buffer.from([
      0xbb, 0xef, 0xbc, 0xba, 0xc0, 0xfc, 0xc0, 0xda, 0x20, 0xb9, 0xdd, 0xb5, 0xb5, 0xc3, 0xbc,
    ]);
    expect(decodeDocument(bytes).text).toBe('삼성전자 반도체');
  });
});
