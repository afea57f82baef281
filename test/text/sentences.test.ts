import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../src/text/sentences.ts';

describe('splitSentences', () => {
  it('splits Korean and English after . ? ! followed by a space', () => {
    expect(splitSentences('삼성전자가 신제품을 공개했다. 출시는 다음 달이다! 가격은 얼마일까? 아직 모른다.')).toEqual([
      '삼성전자가 신제품을 공개했다.',
      '출시는 다음 달이다!',
      '가격은 얼마일까?',
      '아직 모른다.',
    ]);
    expect(splitSentences('Nvidia beat estimates. Shares rose! Why? Demand for AI chips.')).toEqual([
      'Nvidia beat estimates.',
      'Shares rose!',
      'Why?',
      'Demand for AI chips.',
    ]);
  });

  it('treats blank lines as hard boundaries and single line breaks as spaces', () => {
    expect(splitSentences('네이버는 새 모델을\n공개했다\n\n카카오도 대응에\n나섰다')).toEqual([
      '네이버는 새 모델을 공개했다',
      '카카오도 대응에 나섰다',
    ]);
    expect(splitSentences('First paragraph without a stop\r\n  \r\nSecond one.')).toEqual([
      'First paragraph without a stop',
      'Second one.',
    ]);
  });

  it('returns [] for empty or blank text', () => {
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences(' \n\n \n')).toEqual([]);
  });

  it('never splits inside curly quotes and keeps “…다.” whole', () => {
    expect(
      splitSentences('오 교수는 “수요가 늘었다. 공급은 줄었다.”고 설명했다. 업계는 반응을 지켜보고 있다.'),
    ).toEqual(['오 교수는 “수요가 늘었다. 공급은 줄었다.”고 설명했다.', '업계는 반응을 지켜보고 있다.']);
    expect(splitSentences('“반도체 업황이 바닥을 쳤다.” 한 애널리스트는 이렇게 말했다.')).toEqual([
      '“반도체 업황이 바닥을 쳤다.”',
      '한 애널리스트는 이렇게 말했다.',
    ]);
  });

  it('keeps a quote together when a continuation follows it (라며, 고, 는)', () => {
    expect(splitSentences('회사 측은 “곧 출시한다.” 라며 기대감을 드러냈다. 경쟁사는 침묵했다.')).toEqual([
      '회사 측은 “곧 출시한다.” 라며 기대감을 드러냈다.',
      '경쟁사는 침묵했다.',
    ]);
    expect(splitSentences("그는 '시장이 회복됐다.' 고 말했다. 주가는 올랐다.")).toEqual([
      "그는 '시장이 회복됐다.' 고 말했다.",
      '주가는 올랐다.',
    ]);
    // A new sentence that merely begins with the same syllable still splits.
    expect(splitSentences('“연구가 끝났다.” 고려대는 결과를 공개했다.')).toEqual([
      '“연구가 끝났다.”',
      '고려대는 결과를 공개했다.',
    ]);
  });

  it('does not split continuations such as 했다며, 했다고, 라며, 다는', () => {
    expect(
      splitSentences(
        'A사는 B사가 특허를 침해했다며 소송을 냈다. B사는 침해하지 않았다고 반박했다. 정부는 조사하겠다는 입장이다.',
      ),
    ).toEqual([
      'A사는 B사가 특허를 침해했다며 소송을 냈다.',
      'B사는 침해하지 않았다고 반박했다.',
      '정부는 조사하겠다는 입장이다.',
    ]);
  });

  it('never splits inside straight quotes, single quotes, 「」 or brackets', () => {
    expect(splitSentences('"We are excited. This is big," Huang said. The stock rose.')).toEqual([
      '"We are excited. This is big," Huang said.',
      'The stock rose.',
    ]);
    expect(splitSentences("그는 '준비가 끝났다. 이제 시작이다'라고 했다. 반응은 뜨거웠다.")).toEqual([
      "그는 '준비가 끝났다. 이제 시작이다'라고 했다.",
      '반응은 뜨거웠다.',
    ]);
    expect(splitSentences('보고서 「AI 시대. 새 질서」가 나왔다. 관심이 크다.')).toEqual([
      '보고서 「AI 시대. 새 질서」가 나왔다.',
      '관심이 크다.',
    ]);
    expect(splitSentences('연구진은 (자세한 내용은 후술한다. 참고 바람.) 결과를 발표했다. 끝이다.')).toEqual([
      '연구진은 (자세한 내용은 후술한다. 참고 바람.) 결과를 발표했다.',
      '끝이다.',
    ]);
  });

  it('does not let an unmatched quote or an apostrophe swallow the rest of the paragraph', () => {
    expect(splitSentences("It's the '90s again. Samsung's phone isn't cheap. The end.")).toEqual([
      "It's the '90s again.",
      "Samsung's phone isn't cheap.",
      'The end.',
    ]);
    expect(
      splitSentences(
        '그는 "구글 등이 참여한다고 강조했다. 혼 부사장도 "민주화가 목표"라며 힘을 보탰다. 행사는 끝났다.',
      ),
    ).toEqual([
      '그는 "구글 등이 참여한다고 강조했다.',
      '혼 부사장도 "민주화가 목표"라며 힘을 보탰다.',
      '행사는 끝났다.',
    ]);
  });

  it('splits Hangul after . only when the word has a sentence-final ending', () => {
    expect(splitSentences('반도체, 디스플레이 등. 이번에는 다르다.')).toEqual([
      '반도체, 디스플레이 등. 이번에는 다르다.',
    ]);
    expect(splitSentences('계약을 체결함. 다음 달 출시 예정임. 가격은 미정입니다. 문의 바랍니다.')).toEqual([
      '계약을 체결함.',
      '다음 달 출시 예정임.',
      '가격은 미정입니다.',
      '문의 바랍니다.',
    ]);
    expect(splitSentences('정말 그럴까요? 그렇죠. 두고 봐요.')).toEqual(['정말 그럴까요?', '그렇죠.', '두고 봐요.']);
  });

  it('protects decimals, percentages and units', () => {
    expect(splitSentences('삼성전자의 영업이익은 10.8조원이다. 전년보다 2.5% 늘었다. 클럭은 3.5 GHz다.')).toEqual([
      '삼성전자의 영업이익은 10.8조원이다.',
      '전년보다 2.5% 늘었다.',
      '클럭은 3.5 GHz다.',
    ]);
    expect(splitSentences('Revenue rose 12.5% to $3.2 billion. The chip runs at 3.5 GHz.')).toEqual([
      'Revenue rose 12.5% to $3.2 billion.',
      'The chip runs at 3.5 GHz.',
    ]);
  });

  it('protects abbreviations and initials', () => {
    expect(
      splitSentences(
        'Samsung Electronics Co. and Apple Inc. both sued. Mr. Lee met Dr. Kim in the U.S. on Monday. ' +
          'J. Doe of Acme Corp. said AI chips, e.g. GPUs, vs. CPUs matter. It was 5 p.m. when talks ended.',
      ),
    ).toEqual([
      'Samsung Electronics Co. and Apple Inc. both sued.',
      'Mr. Lee met Dr. Kim in the U.S. on Monday.',
      'J. Doe of Acme Corp. said AI chips, e.g. GPUs, vs. CPUs matter.',
      'It was 5 p.m. when talks ended.',
    ]);
  });

  it('splits after a soft abbreviation that ends a sentence', () => {
    expect(splitSentences('They sell phones, tablets, etc. The margins are thin.')).toEqual([
      'They sell phones, tablets, etc.',
      'The margins are thin.',
    ]);
    expect(splitSentences('It launches in No. 2 position. The answer is no. We asked again.')).toEqual([
      'It launches in No. 2 position.',
      'The answer is no.',
      'We asked again.',
    ]);
  });

  it('keeps ellipses inside sentences but splits at a sentence-ending ellipsis', () => {
    expect(splitSentences('He paused... and then left. Wait… What happened?')).toEqual([
      'He paused... and then left.',
      'Wait…',
      'What happened?',
    ]);
    expect(splitSentences('흡연로봇 나왔다…용도는? 그러나… 이번에는 달랐다. 결과를 기다렸다… 마침내 나왔다.')).toEqual([
      '흡연로봇 나왔다…용도는?',
      '그러나… 이번에는 달랐다.',
      '결과를 기다렸다…',
      '마침내 나왔다.',
    ]);
  });

  it('protects URLs, e-mail addresses and version numbers', () => {
    expect(
      splitSentences('Docs live at https://example.com/v1.2/index.html?q=a.b now. Write to help@news.co.kr. Thanks.'),
    ).toEqual(['Docs live at https://example.com/v1.2/index.html?q=a.b now.', 'Write to help@news.co.kr.', 'Thanks.']);
    expect(splitSentences('iOS v17.4.1 업데이트가 나왔다. Node.js 20.11 이상이 필요하다.')).toEqual([
      'iOS v17.4.1 업데이트가 나왔다.',
      'Node.js 20.11 이상이 필요하다.',
    ]);
  });

  it('keeps spaced Korean dates and bracketed dates together', () => {
    expect(splitSentences('2024. 3. 5. 발표된 자료에 따르면 그렇다. 끝이다.')).toEqual([
      '2024. 3. 5. 발표된 자료에 따르면 그렇다.',
      '끝이다.',
    ]);
    expect(splitSentences('올해 큰달(2016.11.14.)과 작은달(2016.4.22.) 비교 사진이다.')).toEqual([
      '올해 큰달(2016.11.14.)과 작은달(2016.4.22.) 비교 사진이다.',
    ]);
  });

  it('does not split before a lowercase English word, but does before iPhone-style names', () => {
    expect(splitSentences('The approx. cost is low. iPhone sales grew.')).toEqual([
      'The approx. cost is low.',
      'iPhone sales grew.',
    ]);
    expect(splitSentences('It grew 5 pct. and then fell.')).toEqual(['It grew 5 pct. and then fell.']);
  });

  it('splits Korean sentences that end in …다 with no stop at all', () => {
    expect(
      splitSentences(
        '삼성전자가 평택에 새 반도체 공장을 착공했다 투자 규모는 20조원이다 공장은 2027년 가동될 예정이다',
      ),
    ).toEqual([
      '삼성전자가 평택에 새 반도체 공장을 착공했다',
      '투자 규모는 20조원이다',
      '공장은 2027년 가동될 예정이다',
    ]);
    // Present, future, adjectives, the copula shortened after a noun, 습니다, a question in …ㄹ까.
    expect(
      splitSentences(
        '회사는 내년에 신제품을 낸다 경쟁은 더 치열해지겠다 시장 전망은 밝지 않다 관건은 속도다 ' +
          '변수는 환율입니다 수요는 언제 회복될까 업계는 하반기를 본다',
      ),
    ).toEqual([
      '회사는 내년에 신제품을 낸다',
      '경쟁은 더 치열해지겠다',
      '시장 전망은 밝지 않다',
      '관건은 속도다',
      '변수는 환율입니다',
      '수요는 언제 회복될까',
      '업계는 하반기를 본다',
    ]);
    // Line breaks inside a sentence (captions turned into text) are spaces; the ending decides.
    expect(splitSentences('오늘 공개된 모델은\n한국어 성능이 크게 좋아졌다\n가격은 절반으로\n내렸다')).toEqual([
      '오늘 공개된 모델은 한국어 성능이 크게 좋아졌다',
      '가격은 절반으로 내렸다',
    ]);
  });

  it('keeps numbers, percentages, abbreviations and versions whole in unpunctuated Korean', () => {
    expect(
      splitSentences(
        '매출은 전년보다 3.5% 늘었다 영업이익률은 12.4%다 U.S. 시장 비중은 40%에 이른다 ' +
          '새 칩은 v2.1 펌웨어로 나온다 가격은 1,299달러다 주력은 GPU다',
      ),
    ).toEqual([
      '매출은 전년보다 3.5% 늘었다',
      '영업이익률은 12.4%다',
      'U.S. 시장 비중은 40%에 이른다',
      '새 칩은 v2.1 펌웨어로 나온다',
      '가격은 1,299달러다',
      '주력은 GPU다',
    ]);
  });

  it('never splits unpunctuated Korean inside quotes, and keeps …다고 말했다 in them', () => {
    expect(
      splitSentences('김 대표는 "경쟁사가 가격을 내렸다고 말했다 우리는 따라가지 않는다"고 밝혔다 주가는 2.1% 올랐다'),
    ).toEqual(['김 대표는 "경쟁사가 가격을 내렸다고 말했다 우리는 따라가지 않는다"고 밝혔다', '주가는 2.1% 올랐다']);
    expect(splitSentences("그는 '준비는 끝났다 이제 시작이다'라고 했다 반응은 뜨거웠다")).toEqual([
      "그는 '준비는 끝났다 이제 시작이다'라고 했다",
      '반응은 뜨거웠다',
    ]);
    // A quote that opens the sentence ends it; one quoted inside a sentence does not, nor does one that a
    // continuation written apart follows.
    expect(splitSentences('“반도체 업황이 바닥을 쳤다” 한 애널리스트는 이렇게 분석했다 주가도 반등했다')).toEqual([
      '“반도체 업황이 바닥을 쳤다”',
      '한 애널리스트는 이렇게 분석했다',
      '주가도 반등했다',
    ]);
    expect(splitSentences('그는 “준비가 끝났다” 며 웃었다 회의는 끝났다')).toEqual([
      '그는 “준비가 끝났다” 며 웃었다',
      '회의는 끝났다',
    ]);
    expect(splitSentences('회사 측은 “곧 출시한다” 라며 기대감을 드러냈다')).toEqual([
      '회사 측은 “곧 출시한다” 라며 기대감을 드러냈다',
    ]);
    expect(splitSentences('발표는 (자세한 일정은 추후 공개한다 참고 바란다) 다음 주에 있다 장소는 서울이다')).toEqual([
      '발표는 (자세한 일정은 추후 공개한다 참고 바란다) 다음 주에 있다',
      '장소는 서울이다',
    ]);
  });

  it('does not split at words that only look like an ending: nouns, particles, names, continuations', () => {
    expect(
      splitSentences('회사는 캐나다 토론토에 연구소를 연다 올해 매출은 작년보다 두 배 늘었다 직원은 날마다 늘고 있다'),
    ).toEqual(['회사는 캐나다 토론토에 연구소를 연다', '올해 매출은 작년보다 두 배 늘었다', '직원은 날마다 늘고 있다']);
    expect(
      splitSentences(
        '시장이 커지다 보니 경쟁도 치열하다 가격을 내린다 하더라도 수요는 제한적이다 라이다 센서도 싸졌다',
      ),
    ).toEqual([
      '시장이 커지다 보니 경쟁도 치열하다',
      '가격을 내린다 하더라도 수요는 제한적이다',
      '라이다 센서도 싸졌다',
    ]);
    expect(splitSentences('반도체 수요 회복이 필요 조건이다 주요 고객사는 주문을 가져다 주는 곳이다')).toEqual([
      '반도체 수요 회복이 필요 조건이다',
      '주요 고객사는 주문을 가져다 주는 곳이다',
    ]);
    // Adjective pairs are not sentences of one word each.
    expect(splitSentences('크다 작다 논쟁은 끝났다')).toEqual(['크다 작다 논쟁은 끝났다']);
  });

  it('splits polite, spoken Korean (captions) at its endings', () => {
    expect(
      splitSentences(
        '안녕하세요 오늘은 새 폰을 소개해 드릴게요 배터리가 정말 오래가요 가격은 얼마일까요 직접 확인해 보시죠',
      ),
    ).toEqual([
      '안녕하세요',
      '오늘은 새 폰을 소개해 드릴게요',
      '배터리가 정말 오래가요',
      '가격은 얼마일까요',
      '직접 확인해 보시죠',
    ]);
  });

  it('adds and drops nothing but whitespace', () => {
    const text =
      '네이버가 새 모델을 공개했다 성능은 "경쟁 모델보다 낫다"는 평가다\n\n카카오는 3.5% 올랐다 (잠정치다) 다음 달 확정된다';
    const sentences = splitSentences(text);
    expect(sentences.length).toBeGreaterThanOrEqual(4);
    expect(sentences.join(' ')).toBe(text.replace(/\s+/g, ' '));
  });

  it('splits after CJK full stops without a following space', () => {
    expect(splitSentences('新产品发布了。价格很高！')).toEqual(['新产品发布了。', '价格很高！']);
  });
});
