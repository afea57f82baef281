import { describe, expect, it } from 'vitest';
import { isBoilerplateSentence, isFragment, stripDateline } from '../../src/summarize/boilerplate.ts';
import { selectSentences, summarizeArticle } from '../../src/summarize/extractive.ts';

const HBM_TITLE = '삼성전자, HBM3E 12단 엔비디아 공급 시작';

/** A Korean wire story with every kind of boilerplate, each loaded with the article's key terms. */
const HBM_PARAGRAPHS = [
  '[서울=뉴시스] 오동현 기자 = 삼성전자가 HBM3E 12단 제품을 엔비디아에 공급하기 시작했다.',
  '삼성전자 직원이 HBM3E 12단 제품을 엔비디아 공급 라인에서 살펴보고 있다. (사진=삼성전자 제공) 2024.02.27.',
  '[사진=삼성전자] 삼성전자 HBM3E 12단 엔비디아 공급 제품',
  '◇ 삼성전자 HBM3E 12단, 엔비디아 공급 이후 전망은',
  'HBM3E 12단 엔비디아 공급은 어떻게 될까?',
  '업계는 이번 공급으로 삼성전자의 HBM 점유율이 크게 오를 것으로 본다. 삼성전자는 HBM3E 12단의 수율을 끌어올렸다.',
  'HBM3E 12단 공급.',
  '오동현 기자 odh@newsis.com',
  '<저작권자ⓒ 공감언론 뉴시스통신사. 무단전재-재배포 금지.>',
  '엔비디아는 차세대 GPU에 삼성전자 HBM3E 12단을 탑재할 계획이다. 경쟁사 SK하이닉스도 증산에 나섰다.',
];
const HBM_REAL_SENTENCES = [
  '삼성전자가 HBM3E 12단 제품을 엔비디아에 공급하기 시작했다.',
  '업계는 이번 공급으로 삼성전자의 HBM 점유율이 크게 오를 것으로 본다.',
  '삼성전자는 HBM3E 12단의 수율을 끌어올렸다.',
  '엔비디아는 차세대 GPU에 삼성전자 HBM3E 12단을 탑재할 계획이다.',
  '경쟁사 SK하이닉스도 증산에 나섰다.',
];

describe('summarizeArticle', () => {
  it('never chooses captions, datelines, bylines, e-mails, copyright lines, headings, questions or fragments', () => {
    const all = summarizeArticle({ title: HBM_TITLE, paragraphs: HBM_PARAGRAPHS, lang: 'ko' }, { sentences: 20 });
    expect(all).toEqual(HBM_REAL_SENTENCES);
    const three = summarizeArticle({ title: HBM_TITLE, paragraphs: HBM_PARAGRAPHS });
    expect(three).toHaveLength(3);
    for (const sentence of three) expect(HBM_REAL_SENTENCES).toContain(sentence);
  });

  it('keeps the lede and strips its dateline', () => {
    const summary = summarizeArticle({ title: HBM_TITLE, paragraphs: HBM_PARAGRAPHS }, { sentences: 1 });
    expect(summary).toEqual(['삼성전자가 HBM3E 12단 제품을 엔비디아에 공급하기 시작했다.']);
  });

  it('never chooses two near-identical sentences', () => {
    const paragraphs = [
      '애플이 자체 설계한 모뎀 칩을 아이폰에 처음 탑재했다.',
      '애플이 자체 설계한 모뎀 칩을 아이폰에 처음으로 탑재했다.',
      '그동안 애플은 퀄컴의 모뎀 칩을 구매해 아이폰에 써 왔다.',
      '새 모뎀 칩은 전력 소모가 적어 배터리 수명이 늘어난다.',
      '퀄컴 주가는 발표 직후 4% 넘게 떨어졌다.',
    ];
    const title = '애플, 아이폰에 자체 모뎀 칩 탑재';
    const nearCopies = [paragraphs[0], paragraphs[1]];
    // Without redundancy removal both copies win: they are the most central and lead the article.
    const greedy = selectSentences(paragraphs, title, { weights: { mmrLambda: 1, duplicateCosine: 2 } });
    expect(greedy).toEqual(expect.arrayContaining([0, 1]));
    for (const count of [2, 3, 4]) {
      const summary = summarizeArticle({ title, paragraphs }, { sentences: count });
      expect(summary).toHaveLength(count);
      expect(summary.filter((sentence) => nearCopies.includes(sentence))).toHaveLength(1);
    }
  });

  it('returns sentences in article order even when a late sentence scores best', () => {
    const paragraphs = [
      'The company held its annual developer conference in San Jose on Tuesday.',
      'Thousands of engineers attended the keynote.',
      'Weather in the city was mild and sunny.',
      'Nvidia unveiled the Rubin GPU, its next AI accelerator after Blackwell, shipping in 2026.',
    ];
    const summary = summarizeArticle(
      { title: 'Nvidia unveils Rubin GPU, its next AI accelerator', paragraphs },
      { sentences: 2 },
    );
    expect(summary).toHaveLength(2);
    expect(summary).toContain(paragraphs[3]);
    const positions = summary.map((sentence) => paragraphs.indexOf(sentence));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(selectSentences(paragraphs, 'Nvidia unveils Rubin GPU', { sentences: 4 })).toEqual([0, 1, 2, 3]);
  });

  it('respects the requested number of sentences', () => {
    const input = { title: HBM_TITLE, paragraphs: HBM_PARAGRAPHS };
    expect(summarizeArticle(input, { sentences: 1 })).toHaveLength(1);
    expect(summarizeArticle(input, { sentences: 2 })).toHaveLength(2);
    expect(summarizeArticle(input, { sentences: 4 })).toHaveLength(4);
    expect(summarizeArticle(input, { sentences: 0 })).toEqual([]);
    // Fewer usable sentences than asked for: all of them, no boilerplate to fill up.
    expect(summarizeArticle(input, { sentences: 9 })).toHaveLength(HBM_REAL_SENTENCES.length);
  });

  it('returns [] for empty input or an article of boilerplate only', () => {
    expect(summarizeArticle({ title: '', paragraphs: [] })).toEqual([]);
    expect(summarizeArticle({ title: '제목', paragraphs: ['', '   '] })).toEqual([]);
    expect(
      summarizeArticle({
        title: '제목',
        paragraphs: ['오동현 기자 odh@newsis.com', '[사진=뉴시스] 행사 모습', '짧은 문장이다.'],
      }),
    ).toEqual([]);
    expect(selectSentences([], 'title')).toEqual([]);
  });

  it('uses heading-like lines only when no real sentence is left', () => {
    const paragraphs = [
      '인공지능 반도체 시장 올해 급성장 전망',
      '국내 팹리스 업체들 투자 확대 움직임',
      '정부는 올해 팹리스 지원 예산을 두 배로 늘렸다.',
    ];
    // The headings come first and share the title's words, yet the one real sentence wins.
    expect(summarizeArticle({ title: 'AI 반도체 시장 급성장', paragraphs }, { sentences: 1 })).toEqual([paragraphs[2]]);
    expect(summarizeArticle({ title: 'AI 반도체 시장 급성장', paragraphs }, { sentences: 3 })).toEqual(paragraphs);
  });

  it('summarises English articles and strips wire datelines', () => {
    const paragraphs = [
      'SEOUL (Reuters) - Samsung Electronics said on Thursday its fourth-quarter operating profit fell 35% as chip demand slowed.',
      'Photo: Samsung Electronics logo at its headquarters in Seoul. Reuters/Kim Hong-Ji',
      'By Joyce Lee',
      'The memory chip maker expects demand for AI servers to lift sales of high-bandwidth memory this year.',
      'Copyright 2024 Reuters. All rights reserved.',
    ];
    const summary = summarizeArticle(
      { title: 'Samsung profit falls 35% as chip demand slows', paragraphs, lang: 'en' },
      { sentences: 3 },
    );
    expect(summary).toEqual([
      'Samsung Electronics said on Thursday its fourth-quarter operating profit fell 35% as chip demand slowed.',
      'The memory chip maker expects demand for AI servers to lift sales of high-bandwidth memory this year.',
    ]);
  });
});

describe('boilerplate', () => {
  it('recognises captions, datelines, bylines and notices', () => {
    for (const line of [
      '컨퍼런스 기조연설하는 피터 리 부사장 (서울=연합뉴스) 윤동진 기자 = 3일 오전 서울 연세대학교에서 기조연설을 하고 있다',
      '2016.11.3 mon@yna.co.kr',
      '[마이크로소프트코리아 제공=연합뉴스]',
      '가닥교환반응에 의해 모양을 변형하는 구조체의 모습(오른쪽)/한국연구재단 제공',
      '▲ 삼성전자 이재용 회장이 평택캠퍼스를 둘러보고 있다.',
      '◎공감언론 뉴시스가 독자 여러분의 소중한 제보를 기다립니다.',
      '◇지구의 그림자에 가려지는 개기월식은?',
      '그렇다면 음성인식은 어떻게 작동할까',
      'Photo credit: Getty Images via AFP',
      'By Jane Doe and John Roe',
    ]) {
      expect(isBoilerplateSentence(line), line).toBe(true);
    }
  });

  it('keeps real sentences, including ones that mention a photo or end in a quote', () => {
    for (const line of [
      '삼성전자가 신제품(사진)을 다음 달 출시한다고 밝혔다.',
      '“우리는 인공지능이 갖는 잠재력을 모든 사람이 쉽게 쓰도록 민주화하길 바랍니다”',
      'Apple said the new iPhone would go on sale in September.',
    ]) {
      expect(isBoilerplateSentence(line), line).toBe(false);
    }
  });

  it('strips datelines and bylines from the start of a sentence only', () => {
    expect(stripDateline('(서울=연합뉴스) 홍길동 특파원 = 애플이 신제품을 발표했다.')).toBe(
      '애플이 신제품을 발표했다.',
    );
    expect(stripDateline('[아이뉴스24 김민지 기자] 네이버가 새 모델을 공개했다.')).toBe('네이버가 새 모델을 공개했다.');
    expect(stripDateline('SAN FRANCISCO, Jan 5 (AP) — OpenAI released a model.')).toBe('OpenAI released a model.');
    expect(stripDateline('AI — the buzzword of the year — drove sales.')).toBe(
      'AI — the buzzword of the year — drove sales.',
    );
  });

  it('tells headings and captions from sentences', () => {
    expect(isFragment("'나선형 신경망' 학습 기술")).toBe(true);
    expect(isFragment('SK텔레콤의 음성인식 기반 인공지능 서비스 기기 ‘누구(NUGU)’')).toBe(true);
    expect(isFragment('Nvidia unveils Rubin')).toBe(true);
    expect(isFragment('연구진은 결과를 발표했다')).toBe(false);
    expect(isFragment('계약을 체결함.')).toBe(false);
    expect(isFragment('삼성전자가 신제품을 출시했다(사진).')).toBe(false);
    expect(isFragment('Nvidia unveiled Rubin.')).toBe(false);
  });
});

describe('articles whose Korean sentences have no stops', () => {
  const title = '카카오, 온디바이스 AI 모델 공개…"2027년까지 3.5배 빠르게"';
  const paragraphs = [
    '[서울=한빛통신] 이도윤 기자 = 카카오가 휴대폰 안에서 돌아가는 경량 AI 모델을 공개했다 모델 이름은 카나나 나노다 ' +
      '회사는 이 모델을 내년 1분기부터 카카오톡에 넣는다',
    '정신아 대표는 "클라우드 비용이 매년 3.5% 넘게 늘었다고 말했다 이제는 기기 안에서 답해야 한다"고 설명했다 ' +
      '업계는 이번 발표를 U.S. 빅테크와의 격차를 줄이려는 시도로 본다',
    '카나나 나노의 매개변수는 30억 개다 경쟁 모델보다 작지만 한국어 시험에서는\n8.2점 높은 점수를 받았다 ' +
      '모델은 v1.2 버전으로 공개되며 개발자는 무료로 쓸 수 있다',
    '이도윤 기자 doyun@hanbit.example',
  ];
  const verbatim = (sentence: string) => paragraphs.some((p) => p.replace(/\s+/g, ' ').includes(sentence));

  it('summarizes in sentences, not paragraphs, each verbatim from the article', () => {
    const all = summarizeArticle({ title, paragraphs, lang: 'ko' }, { sentences: 20 });
    expect(all).toEqual([
      '카카오가 휴대폰 안에서 돌아가는 경량 AI 모델을 공개했다',
      '회사는 이 모델을 내년 1분기부터 카카오톡에 넣는다',
      '정신아 대표는 "클라우드 비용이 매년 3.5% 넘게 늘었다고 말했다 이제는 기기 안에서 답해야 한다"고 설명했다',
      '업계는 이번 발표를 U.S. 빅테크와의 격차를 줄이려는 시도로 본다',
      '카나나 나노의 매개변수는 30억 개다',
      '경쟁 모델보다 작지만 한국어 시험에서는 8.2점 높은 점수를 받았다',
      '모델은 v1.2 버전으로 공개되며 개발자는 무료로 쓸 수 있다',
    ]);
    const three = summarizeArticle({ title, paragraphs, lang: 'ko' });
    expect(three).toHaveLength(3);
    for (const sentence of three) {
      expect(all).toContain(sentence);
      expect(verbatim(sentence), sentence).toBe(true);
    }
    const length = (texts: readonly string[]) => texts.join(' ').length;
    expect(length(three)).toBeLessThan(length(paragraphs) / 2);
  });
});
