import type { Messages } from './catalog.ts';

const list = (items: readonly string[]) => items.join(', ');

export const ko: Messages = {
  notice: {
    unknownCommand: () => '알 수 없는 명령입니다. /news help 를 입력해 보세요.',
    usageSubscribe: () => '사용법: /news subscribe <토픽>',
    usageUnsubscribe: () => '사용법: /news unsubscribe <토픽>',
    usageTime: () => '사용법: /news time HH:MM [지역/도시], 예: /news time 08:30 Asia/Seoul',
    unknownTimeZone: ({ zone }) => `"${zone}"은(는) 알 수 없는 시간대입니다. Asia/Seoul 같은 IANA 이름을 쓰세요.`,
    noSuchTopic: ({ text, suggestions }) =>
      `"${text}" 토픽이 없습니다.${suggestions.length > 0 ? ` 혹시 ${list(suggestions)}?` : ' /news topics 에서 찾아보세요.'}`,
    subscribed: ({ topic }) => `${topic} 구독을 시작했습니다.`,
    alreadySubscribed: ({ topic }) => `이미 ${topic}을(를) 구독하고 있습니다.`,
    unsubscribed: ({ topic }) => `${topic} 구독을 취소했습니다.`,
    notSubscribed: ({ topic }) => `${topic}은(는) 구독하고 있지 않습니다.`,
    scheduleSet: ({ time, zone }) => `매일 ${time}(${zone})에 다이제스트를 보냅니다.`,
    needsManager: () => '다이제스트 설정은 이 워크스페이스나 서버의 관리자만 바꿀 수 있습니다.',
    notHere: () => '이 명령은 채널에서만 쓸 수 있습니다.',
    failed: () => '처리 중 문제가 생겼습니다. 오류는 기록되었으니 잠시 뒤 다시 시도해 주세요.',
  },
  help: {
    heading: 'newsbrief 명령:',
    examples: '예:',
    words: '한국어·영어를 섞어도 됩니다. 모든 단어가 들어간 기사를 찾습니다 (삼성은 삼성전자가도 찾음)',
    topicWord: '토픽 단어는 두 언어의 모든 이름으로 찾습니다: 삼성전자, 삼전, Samsung …',
    phrase: '입력한 그대로, 이 순서의 단어들 (다른 이름은 찾지 않음)',
    exclude: '이 단어(또는 그 토픽의 다른 이름)가 나오는 기사는 뺍니다',
    recent: '최근 24h, 7d, 2w … 만 (소문자로: 3D는 단어로 남음)',
    dateRange: '날짜 범위, 날짜는 채널의 시간대 기준',
    filters: '언어, 매체(공백은 _), 토픽으로 거르기',
    anything: '모르는 문법은 단어로 찾습니다. 오류가 나지 않습니다',
    topics: '토픽과 이 채널의 구독 목록',
    subscribe: '이 채널의 다이제스트에 토픽 추가',
    unsubscribe: '이 채널의 다이제스트에서 토픽 빼기',
    digest: '지금 다이제스트 보기',
    time: '이 채널의 매일 다이제스트 시각 정하기',
  },
  search: {
    resultsFor: (query) => `"${query}" 검색 결과`,
    alsoSearchedAs: (names) => `(함께 찾은 이름: ${names})`,
    noNewsFor: (query) => `"${query}"에 맞는 뉴스가 없습니다.`,
    theseFindNews: (queries) => `이렇게 찾으면 뉴스가 있습니다: ${queries}`,
    closeTopics: (names) => `비슷한 토픽: ${names}.`,
    tryFewer: '단어를 줄이거나, 다른 표기를 쓰거나, 30d처럼 기간을 늘려 보세요.',
    passingMentions: (n) => `그 밖에 ${n}건은 지나가듯 언급만 합니다 (모든 언급을 보려면 "따옴표"로 감싸세요).`,
    moreSources: (n, names) => `외 ${n}곳: ${names}`,
  },
  digest: {
    title: '오늘의 테크 뉴스',
    head: (title, day, stories, articles) => `${title} · ${day} · 기사 ${articles}건 중 ${stories}개 이야기`,
    nothing: '이 기간에 새 소식이 없습니다.',
    more: '그 밖의 뉴스',
    update: '업데이트',
    sources: (n) => `${n}개 매체`,
    copy: '전재',
    earlier: (n) => `이전 보도 ${n}건`,
  },
  topics: {
    subscribed: (items) => `구독 중: ${items}`,
    inTheNews: (items) => `뉴스에 나온 토픽: ${items}`,
    none: '아직 없음',
  },
  buttons: {
    nextPage: '다음 페이지',
    followHere: (topic) => `이 채널에서 ${topic} 구독`,
    followMe: (topic) => `${topic} 새 소식 알림 받기`,
    openArticle: '기사 보기',
  },
  console: {
    greeting: '/news help 로 명령을, /news samsung 으로 검색을 해 보세요. 끝내려면 Ctrl-D 또는 exit.',
    demoIngest: (path) => `newsbrief 데모: 함께 들어 있는 샘플 뉴스를 ${path}에 넣는 중 (오프라인)`,
    running: (sources, articles, adapters) =>
      `newsbrief 실행 중: 소스 ${sources}개, 기사 ${articles}건, 어댑터: ${adapters}. Ctrl-C로 멈춥니다.`,
  },
};
