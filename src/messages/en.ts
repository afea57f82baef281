import type { Messages } from './catalog.ts';

const list = (items: readonly string[]) => items.join(', ');
const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function daysText(days: readonly number[]): string {
  if (days.length === 0) return 'every day';
  if (days.join() === '1,2,3,4,5') return 'weekdays';
  if (days.join() === '6,7') return 'weekends';
  return days.map((d) => DAY_NAMES[d - 1]).join(', ');
}
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const LANGUAGE_NAMES: Record<string, string> = { ko: 'Korean', en: 'English' };

export const en: Messages = {
  notice: {
    unknownCommand: () => 'Unknown command: try /news help',
    usageSubscribe: () => 'usage: /news subscribe <topic>',
    usageUnsubscribe: () => 'usage: /news unsubscribe <topic>',
    usageTime: () => 'usage: /news time HH:MM [Area/City] [days], e.g. /news time 08:30 Asia/Seoul mon-fri',
    unknownTimeZone: ({ zone }) => `Unknown time zone "${zone}": use an IANA name like Asia/Seoul.`,
    noSuchTopic: ({ text, suggestions }) =>
      `No topic named "${text}".${suggestions.length > 0 ? ` Did you mean: ${list(suggestions)}?` : ' See /news topics.'}`,
    subscribed: ({ topic }) => `Subscribed to ${topic}.`,
    subscribedPersonal: ({ topic, time, zone }) =>
      `Subscribed to ${topic}. Your own digest of your topics comes by direct message every day at ${time} (${zone}); /news time changes it, /news pause stops it.`,
    alreadySubscribed: ({ topic }) => `Already subscribed to ${topic}.`,
    unsubscribed: ({ topic }) => `Unsubscribed from ${topic}.`,
    notSubscribed: ({ topic }) => `Not subscribed to ${topic}.`,
    scheduleSet: ({ time, zone, days }) => `Digest set for ${time} (${zone}), ${daysText(days)}.`,
    usageWhy: () => 'usage: /news why <article URL>',
    usageAlerts: () => 'usage: /news alerts on | off',
    usageLanguage: () => 'usage: /news language ko | en',
    usageLayout: () => 'usage: /news layout thread | single',
    layoutSet: ({ layout }) =>
      layout === 'thread'
        ? 'Digests here now come as a short message with each story in its thread.'
        : 'Digests here now come as one message.',
    usageNotify: () =>
      'usage: /news subscribe <topic> notify:<who>, where who is a role (Discord: the notify option), a user group or @here (Slack), or off',
    notifySet: ({ topic, who }) =>
      `A new story on ${topic} now notifies ${en.topics.mention(who)} here, once per story (article text never pings anyone).`,
    notifyCleared: ({ topic }) => `A new story on ${topic} notifies nobody here now.`,
    notifyChannelsOnly: () => 'Mentions are for channels: in a direct message every alert is yours already.',
    languageSet: ({ lang }) =>
      lang === 'en' ? 'Digests and notices here are now in English.' : 'Digests and notices here are now in Korean.',
    usageLimit: ({ maxStories, maxAlerts }) =>
      `usage: /news limit stories <1-${maxStories}> | /news limit alerts <0-${maxAlerts}> (default: back to the configured number)`,
    limitSet: ({ what, count, fallback }) =>
      what === 'stories'
        ? `Digests here show at most ${count ?? fallback} stories${count === null ? ' (the configured number)' : ''}.`
        : count === 0
          ? 'No alerts here: new stories wait for the digest.'
          : `At most ${count ?? fallback} alerts a day here${count === null ? ' (the configured number)' : ''}.`,
    alertsOn: ({ quietHours, cap }) =>
      `Alerts on: each new story about your topics comes as a message of its own, at most ${cap} a day${quietHours ? `, none between ${quietHours} (they come after)` : ''}.`,
    alertsOff: () => 'Alerts off: new stories wait for the digest.',
    sourceDown: ({ name, since, error }) =>
      `The feed ${name} has been failing since ${since} (${error}). newsbrief keeps trying and will say when it is back; /news status shows the details.`,
    sourceUp: ({ name }) => `The feed ${name} works again.`,
    subscribedQuery: ({ query }) => `Saved the search "${query}": its stories join the digest here.`,
    alreadySubscribedQuery: ({ query }) => `The search "${query}" is saved already.`,
    unsubscribedQuery: ({ query }) => `Removed the saved search "${query}".`,
    notSubscribedQuery: ({ query }) => `No saved search "${query}" here (/news subscriptions lists them).`,
    tooManyQueries: ({ max }) => `At most ${max} saved searches: remove one first.`,
    usageSources: () =>
      'usage: /news sources [list | add <feed or page URL> [new | last N] | remove <feed URL> | backlog <feed number> N]',
    sourcesUnavailable: () => 'Sources can be added here only while the bot runs as a service.',
    backlogReleased: ({ count }) =>
      count === 0
        ? 'Nothing was held back from that feed: it is all in the digests already.'
        : `Let ${count} earlier ${count === 1 ? 'item' : 'items'} of the feed into the next digest.`,
    backlogNotYours: () => 'Only the channel that added a feed in chat can let its earlier items in.',
    sourceNotAdded: ({ problem }) =>
      `Not added: ${
        {
          blocked: 'that address is not a public web address newsbrief may fetch.',
          'not-found': 'nothing is there (the server said not found).',
          'not-a-feed': 'that page is not an RSS, Atom or JSON feed.',
          timeout: 'the server took too long to answer.',
          unreachable: 'the server could not be reached.',
          already: 'newsbrief already follows that feed.',
          failed: 'the feed could not be read.',
        }[problem]
      }`,
    sourceAddPending: () =>
      'That feed is being added: it will be polled once it has been read, and /news sources will list it then.',
    sourceRemoved: () => 'Removed: that feed is no longer polled (its stored articles stay).',
    sourceNotRemoved: () => 'No feed added in chat has that URL (feeds in the config file are removed there).',
    paused: () => 'Scheduled digests are paused here. /news resume starts them again.',
    alreadyPaused: () => 'Scheduled digests were already paused here.',
    resumed: () => 'Scheduled digests are on again.',
    notPaused: () => 'Scheduled digests were not paused.',
    needsManager: () => 'Only a manager of this workspace or server can change its digest settings.',
    notHere: () => 'This command works in a channel, not here.',
    failed: () => 'Something went wrong on our side; the error was logged. Please try again in a minute.',
  },
  help: {
    heading: 'newsbrief commands:',
    examples: 'Examples:',
    words: 'Korean or English, mixed; every word must match (삼성 finds 삼성전자가)',
    topicWord: 'a topic word finds all its names in both languages: 삼성전자, 삼전, Samsung …',
    phrase: 'these words in this order, as typed (no other names)',
    exclude: 'leave out articles that mention a word (or any name of its topic)',
    recent: 'only the last 24h, 7d, 2w … (lower case: 3D stays a word)',
    dateRange: 'a date range, days in the channel’s time zone',
    filters: 'filter by language, source (_ for spaces) or topic',
    anything: 'unknown syntax is searched as words, never an error',
    topics: 'list topics and this channel’s subscriptions',
    subscribe: 'add a topic to this channel’s digest',
    unsubscribe: 'remove a topic from this channel’s digest',
    digest: 'show the digest now',
    time: 'set this channel’s digest time, zone and days (mon-fri, weekends …)',
    pause: 'stop this channel’s scheduled digests',
    resume: 'start them again',
    status: 'last and next digest, and feeds that are failing',
    why: 'what newsbrief knows of an article, and why it was or was not posted here',
    sources: 'the feeds newsbrief polls; add <url> and remove <url> (managers)',
    alerts: 'each new story about these topics as a message of its own (on), or only in the digest (off)',
    preview: 'the next scheduled digest as it would be posted now, only to you',
    language: 'the language of this channel’s digests and notices',
    limit: 'most stories per digest, or alerts per day, in this channel (managers)',
    layout: 'post digests as one message, or as a short message with each story in its thread (managers)',
  },
  search: {
    resultsFor: (query) => `Results for "${query}"`,
    alsoSearchedAs: (names) => `(also searched as: ${names})`,
    noNewsFor: (query) => `No news found for "${query}".`,
    theseFindNews: (queries) => `These find news: ${queries}`,
    closeTopics: (names) => `Close topics: ${names}.`,
    tryFewer: 'Try fewer words, another spelling, or a longer window such as 30d.',
    passingMentions: (n) =>
      `${n} more ${n === 1 ? 'story mentions' : 'stories mention'} it only in passing (put words in "quotes" to see every mention).`,
    moreSources: (n, names) => `+${n} more: ${names}`,
  },
  digest: {
    title: 'Tech news digest',
    head: (title, day, stories, articles) =>
      `${title} · ${day} · ${plural(stories, 'story', 'stories')} from ${plural(articles, 'article', 'articles')}`,
    nothing: 'Nothing new in this window.',
    more: 'More news',
    update: 'update',
    sources: (n) => plural(n, 'source', 'sources'),
    copy: 'copy',
    earlier: (n) => `${n} earlier`,
    preview: (at) =>
      at
        ? `Preview, only you see this: as of now, the digest posted here at ${at} would be:`
        : 'Preview, only you see this: no digest is scheduled here (/news time 09:00 sets one); as of now it would be:',
    otherTitle: (lang) => `${lang.toUpperCase()}:`,
    translated: 'machine-translated headline',
    inThread: 'Each story is in the thread below.',
    threadName: (day) => `Tech news ${day}`,
    position: (n, total) => `${n}/${total}`,
  },
  status: {
    heading: 'newsbrief status',
    schedule: (time, zone, days) => `Digest: ${time} ${zone}, ${days}`,
    noSchedule: 'Digest: none scheduled (/news time 09:00 sets one)',
    paused: 'Paused: yes (/news resume starts the digests again)',
    pausedBecause: (reason) => `Paused: posting failed (${reason}); fix it, then /news resume`,
    lastDigest: (when) => `Last digest: ${when}`,
    noDigestYet: 'Last digest: none yet',
    lastFailure: (when, failure) => `Last attempt failed: ${when} (${failure})`,
    nextDigest: (when) => `Next digest: ${when}`,
    sourcesOk: (n) => `Sources: all ${n} working`,
    sourcesFailing: (failing, total) => `Sources: ${failing} of ${total} failing`,
    failingSource: (name, failures, error) => `  ${name}: ${failures} failures in a row (${error})`,
    limits: (stories, alerts, own) =>
      `Limits: ${plural(stories, 'story', 'stories')} a digest, ${plural(alerts, 'alert', 'alerts')} a day${own ? ' (set here)' : ''}`,
    layout: (layout) =>
      layout === 'thread' ? 'Layout: a short message, each story in its thread' : 'Layout: one message a digest',
    days: (days) => daysText(days),
  },
  alert: {
    heading: (topics) => `New on ${topics}`,
  },
  sources: {
    heading: (n) => `${n} ${n === 1 ? 'feed' : 'feeds'}:`,
    none: 'No feeds yet: /news sources add <feed URL>, or feeds: in the config file.',
    line: (name, origin, health) => `${name} (${origin}): ${health}`,
    fromChat: 'added in chat',
    fromConfig: 'config',
    ok: (when) => `fine, last read ${when}`,
    neverFetched: 'not read yet',
    failing: (n, error) => `failing, ${n} times in a row (${error})`,
    added: (name, items, lang, newest) =>
      `Added ${name}: ${items} ${items === 1 ? 'item' : 'items'}${lang ? `, mostly in ${LANGUAGE_NAMES[lang] ?? lang}` : ''}${newest ? `, newest “${newest}”` : ''}. It is polled from now on.`,
    foundOn: (page) => `That page is not a feed; it names this one, which newsbrief follows instead: ${page}`,
    backlog: (taken, held) =>
      held === 0
        ? taken === 0
          ? 'Only items that appear from now on go into digests.'
          : `Its newest ${plural(taken, 'item goes', 'items go')} into the next digest.`
        : `${taken === 0 ? 'Only new items go into digests' : `Its newest ${plural(taken, 'item goes', 'items go')} into the next digest`}; the ${plural(held, 'earlier one is', 'earlier ones are')} kept for search only.`,
    backlogHint: (source, count) =>
      `To let the newest ${count} into the next digest: /news sources backlog ${source} ${count}`,
  },
  why: {
    unknown: (url) =>
      `newsbrief has never stored an article at ${url}: its feed may not be one of the sources (/news status lists them).`,
    article: (title, source) => `“${title}” (${source})`,
    fetched: (when, published) => `Fetched ${when}; published ${published}.`,
    story: (n) => `Part of a story of ${n} ${n === 1 ? 'article' : 'articles'}.`,
    noStory: 'Not grouped into a story yet (it will be at the next poll).',
    matched: (topics) => `Matches this channel's topics: ${topics}.`,
    notMatched: (topics) => `Matches none of this channel's topics (it is about ${topics}).`,
    topStories: 'This channel follows no topics: its digest takes the top stories of the day.',
    delivered: (first, last) => `Posted here: first ${first}, last ${last}.`,
    deliveredOtherSource: (first) => `Its story was posted here ${first}, from another source.`,
    notDelivered: 'Not posted here: it was not among the stories ranked highest in a digest since it came in.',
    notYet: 'Not posted here yet: no digest has gone out here since it came in.',
    next: (when) => `Next digest: ${when}.`,
  },
  topics: {
    queries: (items) => `Saved searches: ${items}`,
    subscribed: (items) => `Subscribed: ${items}`,
    inTheNews: (items) => `Topics in the news: ${items}`,
    none: 'none yet',
    notifies: (topic, who) => `A new story on ${topic} notifies ${who}`,
    mention: (mention) =>
      mention.kind === 'here'
        ? 'everyone here who is active'
        : `the ${mention.kind === 'role' ? 'role' : 'user group'} ${mention.id}`,
  },
  buttons: {
    nextPage: 'Next page',
    followHere: (topic) => `Follow ${topic} here`,
    followMe: (topic) => `${topic} in my DMs`,
    openArticle: 'Read',
    takeLast: (n) => `Also the last ${n}`,
  },
  discord: {
    missingPermissions: (names) =>
      `I can't post in this channel: I need ${names} here. A server manager can grant them in the channel's settings.`,
    permission: {
      viewChannel: 'View Channel',
      sendMessages: 'Send Messages',
      embedLinks: 'Embed Links',
      createPublicThreads: 'Create Public Threads',
      sendMessagesInThreads: 'Send Messages in Threads',
    },
    searchExpired: 'This search is no longer remembered: run /news again to turn its pages.',
    commands: {
      news: 'Search the Korean and English tech news archive',
      query: 'Words, a topic (samsung, 엔비디아), "a phrase", -exclude, 7d, lang:ko …',
      newsbrief: "Settings of this channel's news digest",
      digest: "Show this channel's digest now",
      subscribe: "Add a topic to this channel's digest",
      unsubscribe: "Remove a topic from this channel's digest",
      topic: 'A topic, in Korean or English',
      subscriptions: "This channel's topics and the topics in the news",
      schedule: "Set this channel's daily digest time",
      time: 'HH:MM, e.g. 08:30',
      timeZone: 'An IANA time zone, e.g. Asia/Seoul (default: the configured zone)',
      help: 'How to search and what the commands do',
      days: 'Days: mon-fri, weekends, mon,wed,fri … (default: every day)',
      pause: "Pause this channel's digest",
      resume: "Resume this channel's digest",
      status: "This channel's schedule, last and next digest, failing sources",
      why: 'Why an article was or was not posted here',
      url: "The article's URL",
      sources: 'The feeds newsbrief reads',
      sourcesList: 'List the feeds and how they are doing',
      sourcesAdd: 'Add a feed (read once now, then polled)',
      sourcesRemove: 'Stop polling a feed added in chat',
      feedUrl: "The feed's URL (RSS, Atom or JSON Feed)",
      notify: 'A role to mention when a new story on the topic breaks (once per story)',
      sourcesLast: 'How many of the items already in it go into the next digest (default: none, only new ones)',
      preview: 'The next scheduled digest as it would be posted now (only you see it)',
      language: "The language of this channel's digests and notices",
      lang: 'Korean or English',
      limit: 'Most stories per digest or alerts per day in this channel',
      limitWhat: 'Stories per digest, or alerts per day',
      limitCount: 'The most (leave out: back to the configured number)',
      layout: 'Post digests as one message, or as a short message with each story in its thread',
      layoutStyle: 'One message, or a thread',
    },
  },
  console: {
    greeting: 'Type /news help for commands, /news samsung to search; Ctrl-D or exit to quit.',
    demoIngest: (path) => `newsbrief demo: ingesting the bundled sample news (offline) into ${path}`,
    running: (sources, articles, adapters) =>
      `newsbrief is running: ${plural(sources, 'source', 'sources')}, ${plural(articles, 'article', 'articles')}, adapters: ${adapters}. Ctrl-C stops it.`,
  },
  slack: {
    homeTitle: 'newsbrief',
    yourTopics: 'Your topics',
    noTopics:
      'You follow no topics yet: type /news subscribe <topic> in your DM with newsbrief, or press "… in my DMs" under a search.',
    remove: 'Remove',
    latestDigest: 'Latest digest',
    channelDigests: 'Channel digests',
    noChannelDigests: 'No channel here gets a scheduled digest yet (/news time 09:00 in a channel sets one).',
    channelDigest: (time, zone, days, topics) => `${time} ${zone}, ${days}: ${topics}`,
    topStories: 'the top stories',
    paused: 'paused',
    installed:
      'newsbrief is installed in your workspace. Type /news help in Slack, and /invite @newsbrief where digests should go.',
    installFailed:
      'newsbrief was not installed: the install was cancelled or took too long. Start it again from the install link.',
  },
};
