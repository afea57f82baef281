import { describe, expect, it } from 'vitest';
import {
  cleanParagraphs,
  isBoilerplateLine,
  isCaptionParagraph,
  isMoreNewsHeading,
  normalizeSpace,
  parseBylineLine,
  sourceFromSignOff,
  stripDateline,
  stripInlineBoilerplate,
} from '../../src/text/koreanNews.ts';

describe('normalizeSpace', () => {
  it('collapses NBSP, ideographic spaces and zero-width marks', () => {
    expect(normalizeSpace('\u00a0 삼성\u3000전자\u200b가 \n 발표')).toBe('삼성 전자가 발표');
  });
});

describe('stripDateline', () => {
  it('removes a Newsis dateline with its reporter', () => {
    expect(stripDateline('[서울=뉴시스] 오동현 기자 = 오픈AI의 샘 알트만에 이어')).toEqual({
      text: '오픈AI의 샘 알트만에 이어',
      dateline: { place: '서울', source: '뉴시스', byline: '오동현 기자' },
    });
  });

  it('removes a Yonhap dateline with two reporters and no space after the bracket', () => {
    expect(stripDateline('(서울=연합뉴스)홍길동 김철수 기자 = LG전자가 밝혔다.')).toEqual({
      text: 'LG전자가 밝혔다.',
      dateline: { place: '서울', source: '연합뉴스', byline: '홍길동 김철수 기자' },
    });
  });

  it('names the publishing agency, not the photo agency, and allows no reporter', () => {
    const { text, dateline } = stripDateline('[워싱턴=AP/뉴시스] 마크 저커버그 메타 CEO가 발언하고 있다.');
    expect(text).toBe('마크 저커버그 메타 CEO가 발언하고 있다.');
    expect(dateline).toEqual({ place: '워싱턴', source: '뉴시스', byline: null });
  });

  it('handles outlet brackets, correspondents and English wire datelines', () => {
    expect(stripDateline('[이데일리 김현아 기자] 네이버가 발표했다.').dateline).toEqual({
      place: null,
      source: '이데일리',
      byline: '김현아 기자',
    });
    expect(stripDateline('(워싱턴=연합뉴스) 김동현 특파원 = 미국 정부가').dateline?.byline).toBe('김동현 특파원');
    expect(stripDateline('SEOUL, March 13 (Reuters) - Contract prices rose.')).toEqual({
      text: 'Contract prices rose.',
      dateline: { place: 'SEOUL', source: 'Reuters', byline: null },
    });
    expect(stripDateline('WASHINGTON (AP) — The Senate voted.').text).toBe('The Senate voted.');
    expect(stripDateline('SAN FRANCISCO, Nov 24 (Meridian Wire) - Nvidia said.')).toEqual({
      text: 'Nvidia said.',
      dateline: { place: 'SAN FRANCISCO', source: 'Meridian Wire', byline: null },
    });
  });

  it('leaves photo credits, tags and ordinary text alone', () => {
    expect(stripDateline('[사진=연합뉴스] 회사는 밝혔다.').dateline).toBeNull();
    expect(stripDateline('[단독] 삼성전자, 새 공장 짓는다').dateline).toBeNull();
    expect(stripDateline('삼성전자가 11일 밝혔다.').dateline).toBeNull();
    expect(stripDateline('Apple (AAPL) - shares rose on Monday.').dateline).toBeNull();
  });
});

describe('isCaptionParagraph', () => {
  it('recognises dateline-started captions that end in a date, with or without e-mails', () => {
    expect(isCaptionParagraph('[워싱턴=AP/뉴시스] 마크 저커버그가 청문회에서 발언하고 있다. 2024.02.01.')).toBe(true);
    expect(
      isCaptionParagraph(
        '[서울=뉴시스] 조수정 기자 = 윤석열 대통령이 기업인들을 격려하고 있다. 2024.01.02. a@newsis.com',
      ),
    ).toBe(true);
    expect(isCaptionParagraph('[서울=뉴시스] 조수정 기자 = 기업인들. 2024.01.02. [email\u00a0protected]')).toBe(true);
    expect(isCaptionParagraph('(서울=연합뉴스) 류영석 기자 = 27일 서울에서 열린 행사. 2024.2.27 ryu@yna.co.kr')).toBe(
      true,
    );
  });

  it('recognises Yonhap credits, ▲ captions and English photo credits', () => {
    expect(isCaptionParagraph('LG전자 AI 에이전트 로봇 [LG전자 제공. 재판매 및 DB 금지]')).toBe(true);
    expect(isCaptionParagraph('▲ 신형 메모리 모듈 (사진=삼성전자)')).toBe(true);
    expect(isCaptionParagraph('(Photo by John Roe/Getty Images)')).toBe(true);
  });

  it('does not take the dateline paragraph of the body for a caption', () => {
    expect(isCaptionParagraph('[서울=뉴시스] 오동현 기자 = 오픈AI의 샘 알트만에 이어 수장들이 찾고 있다.')).toBe(false);
    expect(isCaptionParagraph('삼성전자는 2024.03.11 실적을 발표했다.')).toBe(false);
  });
});

describe('isBoilerplateLine', () => {
  it.each([
    '• 페이스북',
    '  • 이메일 보내기',
    'PDF',
    'URL 복사',
    '글자크기',
    '페이스북 트위터 카카오톡 URL복사',
    'Facebook | Twitter | Copy link',
    '◎공감언론 뉴시스 [email protected]',
    '<저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지>',
    'ⓒ 테크데일리 무단전재 및 재배포 금지',
    'Copyright © 2024 The Circuit Ledger. All rights reserved.',
    'jimin@yna.co.kr',
    '▶제보는 카카오톡 okjebo',
    'Advertisement',
    'Share this article',
    'Related: Samsung to boost HBM output',
    '(Reporting by Jane Doe; Editing by John Roe)',
  ])('drops %j', (line) => {
    expect(isBoilerplateLine(line)).toBe(true);
  });

  it.each([
    '저커버그 CEO는 윤석열 대통령을 접견한다.',
    "이재용 회장과 'AI 반도체' 협력 논의 전망",
    'The lawsuit alleges copyright infringement by the AI company.',
    '저작권자의 동의 없이 AI 학습에 활용됐다는 주장이 나왔다.',
    '페이스북 모회사 메타가 새 모델을 공개했다.',
  ])('keeps %j', (line) => {
    expect(isBoilerplateLine(line)).toBe(false);
  });
});

describe('isMoreNewsHeading', () => {
  it.each([
    '많이 본 기사',
    '관련기사',
    '[관련 기사]',
    '주요 뉴스',
    '이 시각 주요뉴스',
    'Most Read',
    'Related Articles',
  ])('recognises %j', (line) => {
    expect(isMoreNewsHeading(line)).toBe(true);
  });

  it.each(["윤 대통령 접견…'AI' 산업 논의 전망", '주요 기업 뉴스룸이 바빠졌다', 'Supply still tight'])(
    'ignores %j',
    (line) => {
      expect(isMoreNewsHeading(line)).toBe(false);
    },
  );
});

describe('parseBylineLine / sourceFromSignOff / stripInlineBoilerplate', () => {
  it('reads reporter lines', () => {
    expect(parseBylineLine('By Jane Doe and Min-jun Park')).toBe('Jane Doe and Min-jun Park');
    expect(parseBylineLine('By Jane Doe, Reuters')).toBe('Jane Doe');
    expect(parseBylineLine('/홍길동 기자 hong@yna.co.kr')).toBe('홍길동 기자');
    expect(parseBylineLine('hong@yna.co.kr')).toBeNull();
    expect(parseBylineLine('By Tuesday, the company will release the fix.')).toBeUndefined();
    expect(parseBylineLine('삼성전자가 발표했다.')).toBeUndefined();
  });

  it('names the publisher of sign-offs and copyright lines', () => {
    expect(sourceFromSignOff('◎공감언론 뉴시스 [email protected]')).toBe('뉴시스');
    expect(sourceFromSignOff('<저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지>')).toBe('연합뉴스');
    expect(sourceFromSignOff('ⓒ 한국경제 & hankyung.com, 무단전재 및 재배포 금지')).toBe('한국경제');
    expect(sourceFromSignOff('페이스북')).toBeNull();
  });

  it('removes trailing and bracketed e-mails, placeholders and photo markers', () => {
    expect(stripInlineBoilerplate('[사진=네이버] 회사는 밝혔다. sky@example.kr')).toBe('회사는 밝혔다.');
    expect(stripInlineBoilerplate('홍길동 기자(hong@example.kr)가 전했다. [email protected]')).toBe(
      '홍길동 기자가 전했다.',
    );
    expect(stripInlineBoilerplate('문의는 help@example.com 으로 받는다고 했다.')).toBe(
      '문의는 help@example.com 으로 받는다고 했다.',
    );
  });
});

describe('cleanParagraphs', () => {
  const input = [
    '일본 총리 만난 저커버그, 28일 방한 전망',
    '[워싱턴=AP/뉴시스] 저커버그가 발언하고 있다. 2024.02.01.',
    '[워싱턴=AP/뉴시스] 저커버그가 발언하고 있다. 2024.02.01.',
    '[서울=뉴시스] 오동현 기자 = 오픈AI의 샘 알트만에 이어 메타의 저커버그까지 찾고 있다.',
    "이재용 회장과 'AI 반도체' 협력 논의 전망",
    '저커버그 CEO는 이재용 회장과 협력 방안을 논의할 것으로 전망된다.',
    '저커버그 CEO는 이재용 회장과 협력 방안을 논의할 것으로 전망된다.',
    '• 이메일 보내기',
    '◎공감언론 뉴시스 [email protected]',
    '많이 본 기사',
    '애플, 새 아이패드 공개 임박',
  ];

  it('keeps the article and reports the dateline', () => {
    expect(cleanParagraphs(input)).toEqual({
      paragraphs: [
        '일본 총리 만난 저커버그, 28일 방한 전망',
        '오픈AI의 샘 알트만에 이어 메타의 저커버그까지 찾고 있다.',
        "이재용 회장과 'AI 반도체' 협력 논의 전망",
        '저커버그 CEO는 이재용 회장과 협력 방안을 논의할 것으로 전망된다.',
      ],
      byline: '오동현 기자',
      source: '뉴시스',
      datelineIndex: 1,
    });
  });

  it('falls back to the sign-off, copyright and reporter lines when there is no dateline', () => {
    const result = cleanParagraphs([
      '회사는 밝혔다.',
      '홍길동 기자 hong@yna.co.kr',
      '<저작권자(c) 연합뉴스, 무단 전재-재배포 금지>',
    ]);
    expect(result).toEqual({
      paragraphs: ['회사는 밝혔다.'],
      byline: '홍길동 기자',
      source: '연합뉴스',
      datelineIndex: -1,
    });
  });

  it('drops a list heading that comes before any text instead of cutting everything', () => {
    expect(cleanParagraphs(['관련 기사', '본문 첫 문단이다.']).paragraphs).toEqual(['본문 첫 문단이다.']);
  });
});
