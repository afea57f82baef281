import { describe, expect, it } from 'vitest';
import { defaultOffsetFor, parseDateLine } from '../../src/extract/metaLines.ts';

const KST = '+09:00';

describe('parseDateLine', () => {
  it('splits glued Newsis labels', () => {
    expect(parseDateLine('등록 2024.02.27 17:38:39수정 2024.02.27 19:41:28', KST)).toEqual({
      publishedAt: '2024-02-27T17:38:39+09:00',
      updatedAt: '2024-02-27T19:41:28+09:00',
      prefix: '',
    });
  });

  it('reads portal formats with 오전/오후 and trailing words', () => {
    expect(parseDateLine('기사입력 2024.02.27. 오후 5:38 최종수정 2024.02.27. 오후 7:41 기사원문', KST)).toEqual({
      publishedAt: '2024-02-27T17:38:00+09:00',
      updatedAt: '2024-02-27T19:41:00+09:00',
      prefix: '',
    });
    expect(parseDateLine('입력 2024-02-27 17:38 | 수정 2024-02-27 19:41', KST)?.updatedAt).toBe(
      '2024-02-27T19:41:00+09:00',
    );
    expect(parseDateLine('송고시간2024-02-27 17:38', KST)?.publishedAt).toBe('2024-02-27T17:38:00+09:00');
    expect(parseDateLine('입력 : 2004년 05월 28일 01:31:15', KST)?.publishedAt).toBe('2004-05-28T01:31:15+09:00');
  });

  it('reads English labels and keeps a byline prefix', () => {
    expect(parseDateLine('By Jane Doe | Updated Feb 27, 2024 5:38 PM EST', 'Z')).toEqual({
      publishedAt: null,
      updatedAt: '2024-02-27T17:38:00-05:00',
      prefix: 'By Jane Doe',
    });
    expect(parseDateLine('Posted: February 27, 2024', 'Z')?.publishedAt).toBe('2024-02-27T00:00:00Z');
  });

  it('takes a bare date line as the publication date', () => {
    expect(parseDateLine('2024.02.27 17:38', KST)?.publishedAt).toBe('2024-02-27T17:38:00+09:00');
  });

  it('rejects sentences that merely contain a label or a date', () => {
    expect(parseDateLine('삼성전자는 2024.02.27 신제품을 등록했다고 밝혔다.', KST)).toBeNull();
    expect(parseDateLine('Updated 2024-02-28: added a comment from Samsung about the delay', 'Z')).toBeNull();
    expect(parseDateLine('수정 사항은 없다', KST)).toBeNull();
  });
});

describe('defaultOffsetFor', () => {
  it('uses KST for Korean text and .kr sites, UTC otherwise', () => {
    expect(defaultOffsetFor('ko', null)).toBe('+09:00');
    expect(defaultOffsetFor('en', 'https://www.koreaherald.example.kr/view')).toBe('+09:00');
    expect(defaultOffsetFor('en', 'https://example.com/a')).toBe('Z');
    expect(defaultOffsetFor('und', 'not a url')).toBe('Z');
  });
});
