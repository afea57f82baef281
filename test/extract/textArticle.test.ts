import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractArticle, parseTextArticle, textToParagraphs } from '../../src/extract/index.ts';

const fixture = (name: string) => readFileSync(path.resolve(import.meta.dirname, '../fixtures/extract', name), 'utf8');

describe('parseTextArticle: Newsis-style page saved as text', () => {
  const article = parseTextArticle(fixture('newsis-like.txt'), { url: 'https://www.newsis.example/view/1' });

  it('reads title, dates, deck, byline, source and language', () => {
    expect(article.title).toBe('삼성전자, 온디바이스 AI 전용 메모리 첫 공개…"전력 40% 절감"');
    expect(article.publishedAt).toBe('2024-03-11T10:05:12+09:00');
    expect(article.updatedAt).toBe('2024-03-11T14:30:45+09:00');
    expect(article.deck).toEqual(['LPDDR6 기반 신제품, 하반기 양산 목표', '스마트폰·노트북 제조사에 샘플 공급 시작']);
    expect(article.byline).toBe('김하늘 기자');
    expect(article.source).toBe('뉴시스');
    expect(article.lang).toBe('ko');
    expect(article.url).toBe('https://www.newsis.example/view/1');
  });

  it('keeps the body and its section heading, without captions, buttons, sign-off or the most-read list', () => {
    expect(article.paragraphs).toEqual([
      '삼성전자가 스마트폰과 노트북에서 인공지능(AI)을 직접 돌리는 데 특화한 저전력 메모리를 처음 공개했다.',
      '삼성전자는 11일 이 제품이 기존 제품보다 전력 소모를 약 40% 줄였다고 밝혔다. 기기 안에서 AI 모델을 실행할 때 메모리 대역폭이 병목이 된다는 점을 겨냥했다.',
      '회사 측은 하반기 양산을 목표로 주요 제조사에 샘플을 공급하기 시작했다고 설명했다.',
      '경쟁사도 추격 나서',
      'SK하이닉스와 마이크론도 비슷한 제품을 준비하고 있다. 업계에서는 온디바이스 AI 시장이 커지면서 저전력 메모리 수요가 빠르게 늘 것으로 본다.',
      '한 증권사 연구원은 "메모리 업체들의 수익성 개선에 도움이 될 것"이라고 말했다.',
    ]);
  });
});

describe('parseTextArticle: Yonhap story on a portal', () => {
  const article = parseTextArticle(fixture('yonhap-like.txt'));

  it('reads the portal date line and the Yonhap dateline', () => {
    expect(article.title).toBe("LG전자, 가정용 로봇 '스마트홈 AI 에이전트' 연내 출시");
    expect(article.publishedAt).toBe('2024-03-12T09:12:00+09:00');
    expect(article.updatedAt).toBe('2024-03-12T10:03:00+09:00');
    expect(article.byline).toBe('박지민 기자');
    expect(article.source).toBe('연합뉴스');
    expect(article.deck).toEqual([]);
    expect(article.url).toBeNull();
  });

  it('drops the photo credit, e-mail, copyright, promo line and related list', () => {
    expect(article.paragraphs).toEqual([
      'LG전자가 집안을 돌아다니며 가전을 제어하는 가정용 AI 로봇을 연내 출시한다고 12일 밝혔다.',
      '로봇은 두 바퀴로 움직이며 카메라와 음성 인식으로 집안 상황을 파악한다. 반려동물을 살피거나 외출 중인 사용자에게 집안 상태를 알려주는 기능도 갖췄다.',
      'LG전자는 가격을 공개하지 않았다. 업계는 초기 판매량보다 스마트홈 플랫폼 확대에 의미가 있다고 평가한다.',
    ]);
  });
});

describe('parseTextArticle: English wire story', () => {
  const article = parseTextArticle(fixture('english-wire.txt'));

  it('reads the byline, Posted/Updated lines and the wire dateline', () => {
    expect(article.title).toBe('Memory prices climb for third straight quarter as AI demand soaks up supply');
    expect(article.byline).toBe('Jane Doe and Min-jun Park');
    expect(article.publishedAt).toBe('2024-03-13T06:40:00-05:00');
    expect(article.updatedAt).toBe('2024-03-13T09:15:00-05:00');
    expect(article.source).toBe('Reuters');
    expect(article.lang).toBe('en');
  });

  it('drops advertisement, related and credit lines and the most-read list', () => {
    expect(article.paragraphs).toEqual([
      'Contract prices for DRAM chips rose for a third straight quarter, market tracker TrendPoint said on Wednesday, as makers shift capacity to high-bandwidth memory for AI servers.',
      'Prices for mainstream server DRAM climbed about 15% from the previous quarter, and the firm expects a further increase in the second quarter.',
      'The tight supply is a reversal from last year, when a glut forced chipmakers to cut output and post record losses.',
    ]);
  });
});

describe('parseTextArticle: plain and odd input', () => {
  it('reads `Title\\n\\nBody…` and joins hard-wrapped lines', () => {
    const article = parseTextArticle(fixture('plain.txt'), { source: 'Lab Blog' });
    expect(article.title).toBe('Open-source model beats larger rivals on Korean benchmarks');
    expect(article.paragraphs).toEqual([
      'A 7-billion-parameter model released by a Seoul research lab outscored models ten times its size on three Korean language benchmarks, the lab said on Thursday.',
      'The lab said the model was trained on public-domain Korean text and licensed news archives, and that the weights are free for commercial use.',
    ]);
    expect(article.deck).toEqual([]);
    expect(article.source).toBe('Lab Blog');
    expect(article.publishedAt).toBeNull();
    expect(article.byline).toBeNull();
  });

  it('reads `입력 … | 수정 …` and a reporter line under the title, and uses KST for zone-less dates', () => {
    const text = [
      '카카오, 새 AI 비서 공개',
      '홍길동 기자 hong@example.co.kr',
      '입력 2024-02-27 17:38 | 수정 2024-02-27 19:41',
      '카카오가 대화형 AI 비서를 27일 공개했다. 일정 관리와 쇼핑을 돕는다.',
      'ⓒ 예시일보, 무단전재 및 재배포 금지',
    ].join('\n\n');
    const article = parseTextArticle(text);
    expect(article).toMatchObject({
      title: '카카오, 새 AI 비서 공개',
      byline: '홍길동 기자',
      source: '예시일보',
      publishedAt: '2024-02-27T17:38:00+09:00',
      updatedAt: '2024-02-27T19:41:00+09:00',
      paragraphs: ['카카오가 대화형 AI 비서를 27일 공개했다. 일정 관리와 쇼핑을 돕는다.'],
      lang: 'ko',
    });
  });

  it('keeps short lines as the body when nothing longer follows them', () => {
    const article = parseTextArticle('Release notes\n\nFaster startup\n\nSmaller binary');
    expect(article.title).toBe('Release notes');
    expect(article.deck).toEqual([]);
    expect(article.paragraphs).toEqual(['Faster startup', 'Smaller binary']);
  });

  it('never throws, and falls back to the first line as title', () => {
    expect(parseTextArticle('')).toMatchObject({ title: '', paragraphs: [], deck: [], lang: 'und' });
    expect(parseTextArticle('   \n\n  ').title).toBe('');
    expect(parseTextArticle('Only a title')).toMatchObject({ title: 'Only a title', paragraphs: [] });
    expect(parseTextArticle('• 페이스북\n• 트위터').title).toBe('• 페이스북');
    expect(() => parseTextArticle(undefined as unknown as string)).not.toThrow();
    expect(() => parseTextArticle('\u0000\ufffd[[[(((=\n)))]]]'.repeat(500))).not.toThrow();
  });
});

describe('textToParagraphs', () => {
  it('keeps one paragraph a line for text saved from a page', () => {
    expect(textToParagraphs('첫 줄\n둘째 줄\n\n\u00a0\n셋째 줄')).toEqual(['첫 줄', '둘째 줄', '셋째 줄']);
  });
});

describe('extractArticle', () => {
  it('dispatches on the kind and passes the options', () => {
    const text = extractArticle('제목\n\n본문 문장이다.', 'text', { url: 'https://example.kr/1', source: '예시' });
    expect(text).toMatchObject({
      title: '제목',
      paragraphs: ['본문 문장이다.'],
      source: '예시',
      url: 'https://example.kr/1',
    });
    const html = extractArticle('<html><head><title>T</title></head><body><p>Hello world.</p></body></html>', 'html', {
      source: 'Fallback',
    });
    expect(html.title).toBe('T');
    expect(html.source).toBe('Fallback');
  });
});
