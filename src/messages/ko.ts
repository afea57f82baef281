import type { Messages } from './catalog.ts';

const list = (items: readonly string[]) => items.join(', ');
const DAY_NAMES = ['월', '화', '수', '목', '금', '토', '일'];

function daysText(days: readonly number[]): string {
  if (days.length === 0) return '매일';
  if (days.join() === '1,2,3,4,5') return '평일';
  if (days.join() === '6,7') return '주말';
  return `${days.map((d) => DAY_NAMES[d - 1]).join('·')}요일`;
}

const LANGUAGE_NAMES: Record<string, string> = { ko: '한국어', en: '영어' };

export const ko: Messages = {
  notice: {
    unknownCommand: () => '알 수 없는 명령입니다. /news help 를 입력해 보세요.',
    usageSubscribe: () => '사용법: /news subscribe <토픽>',
    usageUnsubscribe: () => '사용법: /news unsubscribe <토픽>',
    usageTime: () => '사용법: /news time HH:MM [지역/도시] [요일], 예: /news time 08:30 Asia/Seoul 평일',
    unknownTimeZone: ({ zone }) => `"${zone}"은(는) 알 수 없는 시간대입니다. Asia/Seoul 같은 IANA 이름을 쓰세요.`,
    noSuchTopic: ({ text, suggestions }) =>
      `"${text}" 토픽이 없습니다.${suggestions.length > 0 ? ` 혹시 ${list(suggestions)}?` : ' /news topics 에서 찾아보세요.'}`,
    subscribed: ({ topic }) => `${topic} 구독을 시작했습니다.`,
    subscribedPersonal: ({ topic, time, zone }) =>
      `${topic} 구독을 시작했습니다. 구독한 토픽의 개인 다이제스트를 매일 ${time}(${zone})에 DM으로 보냅니다. /news time 으로 바꾸고 /news pause 로 멈춥니다.`,
    alreadySubscribed: ({ topic }) => `이미 ${topic}을(를) 구독하고 있습니다.`,
    unsubscribed: ({ topic }) => `${topic} 구독을 취소했습니다.`,
    notSubscribed: ({ topic }) => `${topic}은(는) 구독하고 있지 않습니다.`,
    scheduleSet: ({ time, zone, days }) => `${daysText(days)} ${time}(${zone})에 다이제스트를 보냅니다.`,
    usageWhy: () => '사용법: /news why <기사 URL>',
    usageAlerts: () => '사용법: /news alerts on | off',
    usageLanguage: () => '사용법: /news language ko | en',
    usageLayout: () => '사용법: /news layout thread | single (스레드 | 한번에)',
    layoutSet: ({ layout }) =>
      layout === 'thread'
        ? '이제 이 채널의 다이제스트는 짧은 메시지로 올라가고, 이야기마다 스레드에 답글로 달립니다.'
        : '이제 이 채널의 다이제스트는 메시지 하나로 올라갑니다.',
    usageNotify: () =>
      '사용법: /news subscribe <토픽> notify:<대상>. 대상은 역할(Discord: notify 옵션), 사용자 그룹이나 @here(Slack), 또는 off',
    notifySet: ({ topic, who }) =>
      `이제 ${topic} 새 소식이 나오면 이 채널에서 ${ko.topics.mention(who)}에게 이야기마다 한 번 알립니다 (기사 내용은 누구도 호출하지 않습니다).`,
    notifyCleared: ({ topic }) => `이제 ${topic} 새 소식은 이 채널에서 아무도 호출하지 않습니다.`,
    notifyChannelsOnly: () => '호출 대상은 채널용입니다. DM의 알림은 이미 본인에게 갑니다.',
    languageSet: ({ lang }) =>
      lang === 'ko'
        ? '이제 이 채널의 다이제스트와 알림은 한국어입니다.'
        : '이제 이 채널의 다이제스트와 알림은 영어입니다.',
    usageLimit: ({ maxStories, maxAlerts }) =>
      `사용법: /news limit stories <1-${maxStories}> | /news limit alerts <0-${maxAlerts}> (default: 설정 파일의 값으로)`,
    limitSet: ({ what, count, fallback }) =>
      what === 'stories'
        ? `이 채널의 다이제스트는 이야기를 최대 ${count ?? fallback}개 보여 줍니다${count === null ? ' (설정 파일의 값)' : ''}.`
        : count === 0
          ? '이 채널은 알림을 받지 않습니다. 새 이야기는 다이제스트에 나옵니다.'
          : `이 채널은 알림을 하루 최대 ${count ?? fallback}건 받습니다${count === null ? ' (설정 파일의 값)' : ''}.`,
    alertsOn: ({ quietHours, cap }) =>
      `알림을 켰습니다: 구독한 토픽의 새 이야기를 하나씩 따로 보냅니다. 하루 최대 ${cap}건${quietHours ? `, ${quietHours} 사이에는 보내지 않고 그 뒤에 모아 보냅니다` : ''}.`,
    alertsOff: () => '알림을 껐습니다: 새 이야기는 다이제스트에서 봅니다.',
    sourceDown: ({ name, since, error }) =>
      `피드 ${name}이(가) ${since}부터 오류입니다 (${error}). 계속 다시 시도하며, 복구되면 알려 드립니다. 자세한 내용은 /news status.`,
    sourceUp: ({ name }) => `피드 ${name}이(가) 다시 정상입니다.`,
    subscribedQuery: ({ query }) => `검색어 "${query}"를 저장했습니다: 찾은 이야기가 이곳 다이제스트에 들어갑니다.`,
    alreadySubscribedQuery: ({ query }) => `검색어 "${query}"는 이미 저장되어 있습니다.`,
    unsubscribedQuery: ({ query }) => `저장한 검색어 "${query}"를 지웠습니다.`,
    notSubscribedQuery: ({ query }) => `이곳에 저장한 검색어 "${query}"가 없습니다 (/news subscriptions 에서 확인).`,
    tooManyQueries: ({ max }) => `검색어는 ${max}개까지 저장할 수 있습니다. 먼저 하나를 지우세요.`,
    usageSources: () =>
      '사용법: /news sources [list | add <피드나 페이지 URL> [new | last N] | remove <피드 URL> | backlog <피드 번호> N]',
    sourcesUnavailable: () => '소스 추가는 봇이 서비스로 실행 중일 때만 할 수 있습니다.',
    backlogReleased: ({ count }) =>
      count === 0
        ? '그 피드에서 보류한 항목이 없습니다. 모두 이미 다이제스트에 들어갑니다.'
        : `그 피드의 이전 항목 ${count}개를 다음 다이제스트에 넣습니다.`,
    backlogNotYours: () => '채팅으로 피드를 추가한 채널만 그 피드의 이전 항목을 넣을 수 있습니다.',
    sourceNotAdded: ({ problem }) =>
      `추가하지 못했습니다: ${
        {
          blocked: 'newsbrief가 가져올 수 있는 공개 웹 주소가 아닙니다.',
          'not-found': '그 주소에 아무것도 없습니다 (서버가 찾을 수 없다고 답함).',
          'not-a-feed': 'RSS, Atom, JSON 피드가 아닌 페이지입니다.',
          timeout: '서버가 너무 늦게 답했습니다.',
          unreachable: '서버에 연결할 수 없습니다.',
          already: '이미 가져오고 있는 피드입니다.',
          failed: '피드를 읽을 수 없습니다.',
        }[problem]
      }`,
    sourceAddPending: () =>
      '피드를 추가하는 중입니다: 피드를 읽고 나면 가져오기 시작하며, 그때 /news sources 목록에 나타납니다.',
    sourceRemoved: () => '삭제했습니다: 더 이상 그 피드를 가져오지 않습니다 (저장된 기사는 남습니다).',
    sourceNotRemoved: () => '채팅으로 추가한 피드 중에 그 주소가 없습니다 (설정 파일의 피드는 파일에서 지웁니다).',
    paused: () => '이 채널의 예약 다이제스트를 멈췄습니다. /news resume 으로 다시 시작합니다.',
    alreadyPaused: () => '이 채널의 예약 다이제스트는 이미 멈춰 있습니다.',
    resumed: () => '예약 다이제스트를 다시 보냅니다.',
    notPaused: () => '예약 다이제스트는 멈춰 있지 않았습니다.',
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
    time: '이 채널의 다이제스트 시각·시간대·요일 정하기 (mon-fri, 주말 …)',
    pause: '이 채널의 예약 다이제스트 멈추기',
    resume: '다시 시작하기',
    status: '지난·다음 다이제스트와 문제가 있는 피드',
    why: '기사에 대해 아는 것과 이 채널에 올라갔는지, 왜 아닌지',
    sources: 'newsbrief가 가져오는 피드; add <url>, remove <url> (관리자)',
    alerts: '이 토픽의 새 이야기를 하나씩 따로 받기 (on) 또는 다이제스트로만 (off)',
    preview: '다음 예약 다이제스트를 지금 올린다면 어떤 모습인지, 나에게만',
    language: '이 채널의 다이제스트와 알림 언어',
    limit: '이 채널의 다이제스트당 이야기 수, 하루 알림 수 (관리자)',
    layout: '다이제스트를 메시지 하나로, 또는 짧은 메시지와 이야기별 스레드 답글로 올리기 (관리자)',
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
    preview: (at) =>
      at
        ? `미리보기 (나만 보임): 지금 기준으로 ${at}에 이 채널에 올라갈 다이제스트입니다.`
        : '미리보기 (나만 보임): 이 채널에는 예약된 다이제스트가 없습니다 (/news time 09:00 으로 정하기). 지금 기준으로는 이렇습니다.',
    otherTitle: (lang) => `${lang.toUpperCase()}:`,
    translated: '제목 기계 번역',
    inThread: '이야기별 내용은 아래 스레드에 있습니다.',
    threadName: (day) => `테크 뉴스 ${day}`,
    position: (n, total) => `${n}/${total}`,
  },
  status: {
    heading: 'newsbrief 상태',
    schedule: (time, zone, days) => `다이제스트: ${days} ${time} ${zone}`,
    noSchedule: '다이제스트: 예약 없음 (/news time 09:00 으로 정합니다)',
    paused: '일시정지: 예 (/news resume 으로 다시 시작)',
    pausedBecause: (reason) => `일시정지: 게시 실패 (${reason}). 원인을 고친 뒤 /news resume`,
    lastDigest: (when) => `지난 다이제스트: ${when}`,
    noDigestYet: '지난 다이제스트: 아직 없음',
    lastFailure: (when, failure) => `마지막 시도 실패: ${when} (${failure})`,
    nextDigest: (when) => `다음 다이제스트: ${when}`,
    sourcesOk: (n) => `소스: ${n}개 모두 정상`,
    sourcesFailing: (failing, total) => `소스: ${total}개 중 ${failing}개 오류`,
    failingSource: (name, failures, error) => `  ${name}: 연속 ${failures}회 실패 (${error})`,
    limits: (stories, alerts, own) =>
      `한도: 다이제스트당 이야기 ${stories}개, 하루 알림 ${alerts}건${own ? ' (이 채널에서 정함)' : ''}`,
    layout: (layout) =>
      layout === 'thread' ? '형식: 짧은 메시지 + 이야기별 스레드 답글' : '형식: 다이제스트당 메시지 하나',
    days: (days) => daysText(days),
  },
  alert: {
    heading: (topics) => `새 소식: ${topics}`,
  },
  sources: {
    heading: (n) => `피드 ${n}개:`,
    none: '아직 피드가 없습니다: /news sources add <피드 URL> 또는 설정 파일의 feeds:',
    line: (name, origin, health) => `${name} (${origin}): ${health}`,
    fromChat: '채팅으로 추가',
    fromConfig: '설정',
    ok: (when) => `정상, 마지막 수집 ${when}`,
    neverFetched: '아직 수집 전',
    failing: (n, error) => `오류, 연속 ${n}회 (${error})`,
    added: (name, items, lang, newest) =>
      `${name} 추가: 항목 ${items}개${lang ? `, 주로 ${LANGUAGE_NAMES[lang] ?? lang}` : ''}${newest ? `, 최신 “${newest}”` : ''}. 이제부터 주기적으로 가져옵니다.`,
    foundOn: (page) => `그 페이지는 피드가 아니어서, 페이지가 알려 주는 이 피드를 대신 따라갑니다: ${page}`,
    backlog: (taken, held) =>
      held === 0
        ? taken === 0
          ? '지금부터 올라오는 항목만 다이제스트에 들어갑니다.'
          : `최신 항목 ${taken}개가 다음 다이제스트에 들어갑니다.`
        : `${taken === 0 ? '새 항목만 다이제스트에 들어가고' : `최신 항목 ${taken}개가 다음 다이제스트에 들어가고`}, 이전 항목 ${held}개는 검색용으로만 보관합니다.`,
    backlogHint: (source, count) =>
      `최신 ${count}개를 다음 다이제스트에 넣으려면: /news sources backlog ${source} ${count}`,
  },
  why: {
    unknown: (url) =>
      `${url} 주소의 기사는 저장된 적이 없습니다. 그 피드가 소스에 없을 수 있습니다 (/news status 에서 확인).`,
    article: (title, source) => `“${title}” (${source})`,
    fetched: (when, published) => `가져온 시각 ${when}, 보도 시각 ${published}.`,
    story: (n) => `기사 ${n}건으로 된 이야기에 속합니다.`,
    noStory: '아직 이야기로 묶이지 않았습니다 (다음 수집 때 묶입니다).',
    matched: (topics) => `이 채널의 토픽과 맞습니다: ${topics}.`,
    notMatched: (topics) => `이 채널의 토픽과 맞지 않습니다 (기사 토픽: ${topics}).`,
    topStories: '이 채널은 토픽을 구독하지 않아 그날의 주요 이야기로 다이제스트를 만듭니다.',
    delivered: (first, last) => `이 채널에 올라감: 처음 ${first}, 마지막 ${last}.`,
    deliveredOtherSource: (first) => `이 이야기는 다른 매체의 기사로 ${first}에 이 채널에 올라갔습니다.`,
    notDelivered: '이 채널에는 올라가지 않았습니다: 들어온 뒤의 다이제스트에서 상위 이야기에 들지 못했습니다.',
    notYet: '아직 이 채널에 올라가지 않았습니다: 들어온 뒤로 이 채널에 다이제스트가 나간 적이 없습니다.',
    next: (when) => `다음 다이제스트: ${when}.`,
  },
  topics: {
    queries: (items) => `저장한 검색어: ${items}`,
    subscribed: (items) => `구독 중: ${items}`,
    inTheNews: (items) => `뉴스에 나온 토픽: ${items}`,
    none: '아직 없음',
    notifies: (topic, who) => `${topic} 새 소식이 나오면 ${who}에게 알립니다`,
    mention: (mention) =>
      mention.kind === 'here'
        ? '이 채널에 접속 중인 사람'
        : `${mention.kind === 'role' ? '역할' : '사용자 그룹'} ${mention.id}`,
  },
  buttons: {
    nextPage: '다음 페이지',
    followHere: (topic) => `이 채널에서 ${topic} 구독`,
    followMe: (topic) => `내 DM으로 ${topic} 받기`,
    openArticle: '기사 보기',
    takeLast: (n) => `최근 ${n}개도 넣기`,
  },
  discord: {
    missingPermissions: (names) =>
      `이 채널에는 글을 올릴 수 없습니다: 이 채널에서 ${names} 권한이 필요합니다. 서버 관리자가 채널 설정에서 줄 수 있습니다.`,
    permission: {
      viewChannel: '채널 보기',
      sendMessages: '메시지 보내기',
      embedLinks: '링크 첨부',
      createPublicThreads: '공개 스레드 만들기',
      sendMessagesInThreads: '스레드에서 메시지 보내기',
    },
    searchExpired: '이 검색은 더 이상 기억하지 못합니다. 다음 페이지를 보려면 /news 를 다시 실행하세요.',
    commands: {
      news: '한국어·영어 IT 뉴스 아카이브 검색',
      query: '단어, 토픽(삼성, nvidia), "구절", -제외어, 7d, lang:en …',
      newsbrief: '이 채널의 뉴스 다이제스트 설정',
      digest: '이 채널의 다이제스트를 지금 보기',
      subscribe: '이 채널의 다이제스트에 토픽 추가',
      unsubscribe: '이 채널의 다이제스트에서 토픽 빼기',
      topic: '토픽 (한국어 또는 영어)',
      subscriptions: '이 채널의 토픽과 뉴스에 나온 토픽',
      schedule: '이 채널의 매일 다이제스트 시간 정하기',
      time: 'HH:MM, 예: 08:30',
      timeZone: 'IANA 시간대, 예: Asia/Seoul (기본: 설정된 시간대)',
      help: '검색 방법과 명령 설명',
      days: '요일: 월-금, 주말, 월,수,금 … (기본: 매일)',
      pause: '이 채널의 다이제스트 일시정지',
      resume: '이 채널의 다이제스트 다시 시작',
      status: '이 채널의 일정, 지난·다음 다이제스트, 실패한 소스',
      why: '기사가 이 채널에 올라왔거나 올라오지 않은 이유',
      url: '기사 URL',
      sources: 'newsbrief가 읽는 피드',
      sourcesList: '피드 목록과 상태',
      sourcesAdd: '피드 추가 (지금 한 번 읽고 이후 주기적으로)',
      sourcesRemove: '채팅으로 추가한 피드 그만 읽기',
      feedUrl: '피드 URL (RSS, Atom, JSON Feed)',
      notify: '새 이야기가 나오면 호출할 역할 (이야기마다 한 번)',
      sourcesLast: '이미 있는 항목 중 다음 다이제스트에 넣을 개수 (기본: 없음, 새 항목만)',
      preview: '다음 예약 다이제스트를 지금 올린다면 (나만 보임)',
      language: '이 채널의 다이제스트와 알림 언어',
      lang: '한국어 또는 영어',
      limit: '이 채널의 다이제스트당 이야기 수나 하루 알림 수 한도',
      limitWhat: '다이제스트당 이야기, 또는 하루 알림',
      limitCount: '최대 개수 (비우면 설정 파일의 값으로)',
      layout: '다이제스트를 메시지 하나로, 또는 짧은 메시지와 이야기별 스레드 답글로 올리기',
      layoutStyle: '메시지 하나, 또는 스레드',
    },
  },
  console: {
    greeting: '/news help 로 명령을, /news samsung 으로 검색을 해 보세요. 끝내려면 Ctrl-D 또는 exit.',
    demoIngest: (path) => `newsbrief 데모: 함께 들어 있는 샘플 뉴스를 ${path}에 넣는 중 (오프라인)`,
    running: (sources, articles, adapters) =>
      `newsbrief 실행 중: 소스 ${sources}개, 기사 ${articles}건, 어댑터: ${adapters}. Ctrl-C로 멈춥니다.`,
  },
  slack: {
    homeTitle: 'newsbrief',
    yourTopics: '내 토픽',
    noTopics:
      '아직 구독한 토픽이 없습니다. newsbrief와의 DM에서 /news subscribe <토픽>을 입력하거나 검색 결과의 "내 DM으로 … 받기" 버튼을 누르세요.',
    remove: '삭제',
    latestDigest: '최신 다이제스트',
    channelDigests: '채널 다이제스트',
    noChannelDigests: '아직 예약 다이제스트를 받는 채널이 없습니다 (채널에서 /news time 09:00 으로 정합니다).',
    channelDigest: (time, zone, days, topics) => `${days} ${time} ${zone}: ${topics}`,
    topStories: '주요 이야기',
    paused: '일시정지',
    installed:
      '워크스페이스에 newsbrief를 설치했습니다. Slack에서 /news help 를 입력하고, 다이제스트를 받을 채널에서 /invite @newsbrief 하세요.',
    installFailed:
      'newsbrief를 설치하지 못했습니다. 설치가 취소되었거나 시간이 너무 지났습니다. 설치 링크에서 다시 시작하세요.',
  },
};
