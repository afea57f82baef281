/**
 * Every sentence the bot says, in Korean and English. The engine returns message codes with parameters; the
 * renderer of each platform looks them up here in the destination's language (or the caller's locale).
 */
import type { Mention } from '../../storage/repositories.ts';
import { en } from './en.ts';
import { ko } from './ko.ts';

export type UiLang = 'ko' | 'en';

/** Parameters of each notice the engine can give. */
export interface NoticeParams {
  unknownCommand: Record<string, never>;
  usageSubscribe: Record<string, never>;
  usageUnsubscribe: Record<string, never>;
  usageTime: Record<string, never>;
  unknownTimeZone: { zone: string };
  noSuchTopic: { text: string; suggestions: string[] };
  subscribed: { topic: string };
  /** A person's first topic: their own digest comes by direct message. */
  subscribedPersonal: { topic: string; time: string; zone: string };
  alreadySubscribed: { topic: string };
  unsubscribed: { topic: string };
  notSubscribed: { topic: string };
  /** `days`: ISO weekdays, empty for every day. */
  scheduleSet: { time: string; zone: string; days: number[] };
  usageWhy: Record<string, never>;
  usageSources: Record<string, never>;
  usageAlerts: Record<string, never>;
  usageLanguage: Record<string, never>;
  usageLayout: Record<string, never>;
  layoutSet: { layout: 'single' | 'thread' };
  usageNotify: Record<string, never>;
  notifySet: { topic: string; who: Mention };
  notifyCleared: { topic: string };
  notifyChannelsOnly: Record<string, never>;
  languageSet: { lang: UiLang };
  usageLimit: { maxStories: number; maxAlerts: number };
  /** `count` null: back to the configured number, `fallback`. */
  limitSet: { what: 'stories' | 'alerts'; count: number | null; fallback: number };
  alertsOn: { quietHours: string | null; cap: number };
  alertsOff: Record<string, never>;
  /** A feed has been failing for a while (`since`: local time; `error`: its last error, one line). */
  sourceDown: { name: string; since: string; error: string };
  sourceUp: { name: string };
  subscribedQuery: { query: string };
  alreadySubscribedQuery: { query: string };
  unsubscribedQuery: { query: string };
  notSubscribedQuery: { query: string };
  tooManyQueries: { max: number };
  sourcesUnavailable: Record<string, never>;
  backlogReleased: { count: number };
  backlogNotYours: Record<string, never>;
  sourceNotAdded: {
    problem: 'blocked' | 'not-found' | 'not-a-feed' | 'timeout' | 'unreachable' | 'already' | 'failed';
  };
  /** A feed still being fetched when the answer was due: it is added and polled once it can be read. */
  sourceAddPending: Record<string, never>;
  sourceRemoved: Record<string, never>;
  sourceNotRemoved: Record<string, never>;
  paused: Record<string, never>;
  alreadyPaused: Record<string, never>;
  resumed: Record<string, never>;
  notPaused: Record<string, never>;
  needsManager: Record<string, never>;
  notHere: Record<string, never>;
  failed: Record<string, never>;
}

export type NoticeCode = keyof NoticeParams;

/** A notice as the engine returns it: a code and its parameters, rendered by the adapter. */
export type Notice = { [K in NoticeCode]: { code: K; params: NoticeParams[K] } }[NoticeCode];

/** Help lines: the usage is the same in both languages, the description comes from the catalog. */
export type HelpCode =
  | 'words'
  | 'topicWord'
  | 'phrase'
  | 'exclude'
  | 'recent'
  | 'dateRange'
  | 'filters'
  | 'anything'
  | 'topics'
  | 'subscribe'
  | 'unsubscribe'
  | 'digest'
  | 'time'
  | 'pause'
  | 'resume'
  | 'status'
  | 'why'
  | 'sources'
  | 'alerts'
  | 'preview'
  | 'language'
  | 'limit'
  | 'layout';

export interface Messages {
  notice: { [K in NoticeCode]: (params: NoticeParams[K]) => string };
  help: { [K in HelpCode]: string } & { heading: string; examples: string };
  search: {
    resultsFor: (query: string) => string;
    alsoSearchedAs: (names: string) => string;
    noNewsFor: (query: string) => string;
    theseFindNews: (queries: string) => string;
    closeTopics: (names: string) => string;
    tryFewer: string;
    passingMentions: (count: number) => string;
    moreSources: (count: number, names: string) => string;
  };
  digest: {
    title: string;
    head: (title: string, day: string, stories: number, articles: number) => string;
    nothing: string;
    more: string;
    update: string;
    sources: (count: number) => string;
    copy: string;
    earlier: (count: number) => string;
    /** Before the story's headline in its other language, on a line of its own ("EN: Samsung starts …"). */
    otherTitle: (lang: string) => string;
    /** Marks a headline a language model translated (no source in the reader's language). */
    translated: string;
    /** Above a preview (only the caller sees it): when the digest is posted, or that none is scheduled. */
    preview: (postsAt: string | null) => string;
    /** A threaded digest's parent, under its head line: where the stories are. */
    inThread: string;
    /** The name of a threaded digest's thread (Discord: at most 100 characters). */
    threadName: (day: string) => string;
    /** A story in the thread: its place in the digest ("2/7"). */
    position: (number: number, total: number) => string;
  };
  status: {
    heading: string;
    schedule: (time: string, zone: string, days: string) => string;
    noSchedule: string;
    paused: string;
    pausedBecause: (reason: string) => string;
    lastDigest: (when: string) => string;
    noDigestYet: string;
    lastFailure: (when: string, failure: string) => string;
    nextDigest: (when: string) => string;
    sourcesOk: (count: number) => string;
    sourcesFailing: (failing: number, total: number) => string;
    failingSource: (name: string, failures: number, error: string) => string;
    /** The caps in force here; `own`: set here rather than the configured ones. */
    limits: (stories: number, alertsPerDay: number, own: boolean) => string;
    /** How digests are posted here. */
    layout: (layout: 'single' | 'thread') => string;
    /** ISO weekdays as text: every day, weekdays, or the day names. */
    days: (days: readonly number[]) => string;
  };
  alert: {
    /** `topics`: the destination's topics the stories are about. */
    heading: (topics: string) => string;
  };
  sources: {
    heading: (count: number) => string;
    none: string;
    line: (name: string, origin: string, health: string) => string;
    fromChat: string;
    fromConfig: string;
    ok: (lastSuccess: string) => string;
    neverFetched: string;
    failing: (failures: number, error: string) => string;
    /** A feed added in chat: its name, item count, language (code or null) and newest item. */
    added: (name: string, items: number, lang: string | null, newest: string | null) => string;
    foundOn: (page: string) => string;
    /** How many of its items go into digests (`taken`) and how many are kept for search only (`held`). */
    backlog: (taken: number, held: number) => string;
    /** How to let held items in by typing (the console), for the feed's number. */
    backlogHint: (source: number, count: number) => string;
  };
  why: {
    unknown: (url: string) => string;
    article: (title: string, source: string) => string;
    fetched: (when: string, published: string) => string;
    story: (articles: number) => string;
    noStory: string;
    matched: (topics: string) => string;
    notMatched: (topics: string) => string;
    topStories: string;
    delivered: (first: string, last: string) => string;
    deliveredOtherSource: (first: string) => string;
    notDelivered: string;
    /** No digest was posted here since the article came in. */
    notYet: string;
    next: (when: string) => string;
  };
  topics: {
    /** Saved queries, shown beside the topics. */
    queries: (list: string) => string;
    subscribed: (list: string) => string;
    inTheNews: (list: string) => string;
    none: string;
    /** Who a subscription notifies: `topics` as rendered, `who` from `mention`. */
    notifies: (topic: string, who: string) => string;
    /** A mention, described (never the mention syntax itself, which would ping). */
    mention: (mention: Mention) => string;
  };
  /** Labels of the buttons under replies (Slack and Discord). */
  buttons: {
    nextPage: string;
    /** Follow the topic in this channel's digest (managers). */
    followHere: (topic: string) => string;
    /** Get a direct message when a new story about the topic comes in. */
    followMe: (topic: string) => string;
    openArticle: string;
    /** Let the newest `count` held items of a feed just added into the next digest. */
    takeLast: (count: number) => string;
  };
  /** Discord: permission problems, slash-command descriptions (registered in both languages). */
  discord: {
    /** The bot lacks these permissions in the channel (names joined). */
    missingPermissions: (names: string) => string;
    permission: {
      viewChannel: string;
      sendMessages: string;
      embedLinks: string;
      createPublicThreads: string;
      sendMessagesInThreads: string;
    };
    /** A "next page" button whose search the bot no longer remembers (after a restart). */
    searchExpired: string;
    commands: {
      news: string;
      query: string;
      newsbrief: string;
      digest: string;
      subscribe: string;
      unsubscribe: string;
      topic: string;
      subscriptions: string;
      schedule: string;
      time: string;
      timeZone: string;
      help: string;
      days: string;
      pause: string;
      resume: string;
      status: string;
      why: string;
      url: string;
      sources: string;
      sourcesList: string;
      sourcesAdd: string;
      sourcesRemove: string;
      feedUrl: string;
      sourcesLast: string;
      notify: string;
      preview: string;
      language: string;
      lang: string;
      limit: string;
      limitWhat: string;
      limitCount: string;
      layout: string;
      layoutStyle: string;
    };
  };
  console: {
    greeting: string;
    demoIngest: (path: string) => string;
    running: (sources: number, articles: number, adapters: string) => string;
  };
  /** The Slack adapter's own sentences (its Home tab). */
  slack: {
    homeTitle: string;
    yourTopics: string;
    /** The person follows no topic yet: how to start. */
    noTopics: string;
    /** The button that removes a topic from the person's own alerts. */
    remove: string;
    latestDigest: string;
    channelDigests: string;
    noChannelDigests: string;
    /** `days` as the status line writes them; `topics` empty: the top stories. */
    channelDigest: (time: string, zone: string, days: string, topics: string) => string;
    topStories: string;
    paused: string;
    /** The page a browser lands on after installing the app in a workspace (multi-workspace OAuth). */
    installed: string;
    /** The same page when the install did not go through (cancelled, expired, or refused by Slack). */
    installFailed: string;
  };
}

const CATALOG: Record<UiLang, Messages> = { en, ko };

export function messages(lang: UiLang): Messages {
  return CATALOG[lang];
}

/** A platform locale (`ko`, `ko-KR`, `en-US`, `en_GB.UTF-8`) as one of the catalog's languages, or null. */
export function catalogLang(locale: string | null | undefined): UiLang | null {
  if (!locale) return null;
  const l = locale.toLowerCase();
  if (l.startsWith('ko')) return 'ko';
  if (l.startsWith('en')) return 'en';
  return null;
}

export function renderNotice(notice: Notice, lang: UiLang): string {
  const render = messages(lang).notice[notice.code] as (params: Notice['params']) => string;
  return render(notice.params);
}
