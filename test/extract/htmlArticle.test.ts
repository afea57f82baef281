import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractHtmlArticle, htmlToParagraphs } from '../../src/extract/index.ts';

const fixture = (name: string) => readFileSync(path.resolve(import.meta.dirname, '../fixtures/extract', name), 'utf8');

describe('extractHtmlArticle: Korean page with JSON-LD @graph, OpenGraph and page furniture', () => {
  const article = extractHtmlArticle(fixture('ko-news.html'), {
    url: 'https://www.techdaily.example.kr/news/list.html',
  });

  it('takes metadata from JSON-LD first and reads zone-less dates as KST', () => {
    expect(article.title).toBe('네이버클라우드, 하이퍼클로바X 기업용 요금 인하');
    expect(article.byline).toBe('김하늘 기자');
    expect(article.source).toBe('테크데일리');
    expect(article.publishedAt).toBe('2024-03-05T09:12:30+09:00');
    expect(article.updatedAt).toBe('2024-03-05T10:03:10+09:00');
    expect(article.lang).toBe('ko');
  });

  it('resolves the relative canonical link against the page URL', () => {
    expect(article.url).toBe('https://www.techdaily.example.kr/news/articleView.html?idxno=48213');
  });

  it('keeps the body and heading; drops dateline, captions, buttons, e-mails, copyright and lists', () => {
    expect(article.deck).toEqual([]);
    expect(article.paragraphs).toEqual([
      '네이버클라우드가 초대규모 인공지능(AI) 하이퍼클로바X의 기업용 요금을 최대 50% 내린다고 5일 밝혔다. 중소기업과 스타트업의 생성형 AI 도입 문턱을 낮추려는 조치다.',
      '회사에 따르면 새 요금제는 다음 달 1일부터 적용된다. 입력 토큰 단가는 절반으로, 출력 토큰 단가는 30% 낮아진다. 기존 고객도 별도 신청 없이 새 요금을 적용받는다.',
      '경쟁사 가격 공세에 대응',
      '업계는 이번 인하를 해외 빅테크의 가격 공세에 대한 대응으로 본다. 최근 글로벌 AI 기업들이 잇따라 모델 사용료를 내리면서 국내 기업들의 부담도 커졌다.',
      '네이버클라우드 관계자는 "한국어 처리 성능은 유지하면서 비용 부담을 줄였다"며 "공공과 금융 분야 고객을 중심으로 수요가 늘 것"이라고 말했다.',
      '회사는 올해 안에 경량 모델도 내놓을 계획이다. 경량 모델은 기업 내부 서버에서도 돌릴 수 있어 보안에 민감한 고객의 관심이 크다.',
    ]);
  });
});

describe('extractHtmlArticle: English page', () => {
  const article = extractHtmlArticle(fixture('en-news.html'));

  it('reads JSON-LD authors, alternativeHeadline as deck, and dates in their own zone', () => {
    expect(article).toMatchObject({
      title: 'Chipmaker Lumina unveils 3-nanometer AI accelerator',
      deck: ['The Orion chip promises twice the throughput per watt of its predecessor'],
      byline: 'Jane Doe, Min-jun Park',
      source: 'The Circuit Ledger',
      publishedAt: '2024-03-06T09:05:00-05:00',
      updatedAt: '2024-03-06T11:20:00-05:00',
      lang: 'en',
      url: 'https://circuitledger.example.com/2024/03/06/lumina-3nm-accelerator/',
    });
  });

  it('drops the byline line, share tools, figcaption, ads, Related: links and Most Read', () => {
    expect(article.paragraphs).toEqual([
      'Lumina Semiconductor on Wednesday unveiled Orion, an artificial intelligence accelerator built on a 3-nanometer process, as it tries to win data-center customers from larger rivals.',
      'The company said Orion delivers roughly twice the throughput per watt of its previous chip when running large language models, and that samples are already with three cloud providers.',
      'Supply still tight',
      'Analysts said the bigger question is supply. Advanced packaging capacity remains scarce, and Lumina depends on a single foundry partner for its most advanced parts.',
      '"We have secured capacity for this year and are working on next year now," chief executive Ana Silva told reporters at the launch event.',
      'Shares of Lumina rose 4% in early trading.',
    ]);
  });
});

describe('extractHtmlArticle: fallbacks when Readability finds no article', () => {
  it('uses JSON-LD articleBody (raw line breaks inside the JSON string) and cleans it', () => {
    const article = extractHtmlArticle(fixture('ld-body-only.html'));
    expect(article).toMatchObject({
      title: '카카오뱅크, AI 상담 챗봇 전면 도입',
      byline: '이도윤 기자',
      source: '핀테크투데이',
      publishedAt: '2024-03-07T08:30:00+09:00',
      updatedAt: null,
      lang: 'ko',
      url: null,
    });
    expect(article.paragraphs).toEqual([
      '카카오뱅크가 고객 상담에 생성형 인공지능(AI) 챗봇을 전면 도입한다고 7일 밝혔다.',
      '카카오뱅크는 그동안 일부 문의에만 챗봇을 시범 운영해 왔다. 앞으로는 대출과 예금, 카드 문의까지 챗봇이 먼저 답하고 필요하면 상담사에게 연결한다.',
      '회사 측은 상담 대기 시간이 절반 이하로 줄어들 것으로 기대했다. 개인정보가 담긴 질문은 외부 모델로 보내지 않고 자체 서버에서 처리한다고 설명했다.',
    ]);
  });

  it('uses the article body in __NEXT_DATA__, strips the site name from og:title and reads UTC for English', () => {
    const article = extractHtmlArticle(fixture('next-data.html'), { url: 'https://byteline.example.com/news/' });
    expect(article).toMatchObject({
      title: 'Startup Quillbyte raises $40 million for on-device translation',
      source: 'Byteline',
      publishedAt: '2024-03-08T07:00:00Z',
      lang: 'en',
      url: 'https://byteline.example.com/news/quillbyte-series-b',
    });
    expect(article.paragraphs).toEqual([
      'Quillbyte, a three-year-old startup that builds translation models small enough to run on a phone, has raised $40 million in a Series B round led by Northgate Ventures.',
      'The company says its models translate between 30 languages without sending text to a server, which appeals to hospitals and law firms that cannot share client data.',
      'Quillbyte will use the money to hire engineers in Seoul and Berlin, co-founder Lee Seo-yeon said.',
    ]);
  });
});

describe('extractHtmlArticle: robustness', () => {
  it.each([
    '',
    '<<<>>>',
    '<p>unclosed <b>bold',
    '<html><p>no head or body</p></html>',
    '<head><title>Only head</title></head>',
    '<script type="application/ld+json">{not json</script><p>text</p>',
    '\u0000\u0001\ufffd'.repeat(100),
  ])('does not throw on %j', (html) => {
    const article = extractHtmlArticle(html, { url: 'not a url' });
    expect(Array.isArray(article.paragraphs)).toBe(true);
    expect(article.url).toBeNull();
  });

  it('reads a fragment without a skeleton and keeps a page URL when there is no canonical link', () => {
    const article = extractHtmlArticle('<title>Short note</title><p>One paragraph of text.</p>', {
      url: 'https://example.com/a',
    });
    expect(article).toMatchObject({
      title: 'Short note',
      paragraphs: ['One paragraph of text.'],
      url: 'https://example.com/a',
    });
  });
});

describe('htmlToParagraphs', () => {
  it('turns blocks and <br> into paragraphs and skips figcaptions', () => {
    expect(
      htmlToParagraphs(
        '<div>첫 문단<br><br>둘째 <b>문단</b></div><figure><figcaption>캡션</figcaption></figure><h2>소제목</h2>',
      ),
    ).toEqual(['첫 문단', '둘째 문단', '소제목']);
  });

  it('splits plain text at line breaks and decodes entities', () => {
    expect(htmlToParagraphs('A &amp; B\n\nC&#39;s &quot;D&quot;')).toEqual(['A & B', 'C\'s "D"']);
  });
});
