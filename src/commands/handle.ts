import type { AsyncStore, AsyncTransaction } from '../../storage/asyncStore.ts';
import type { Mention, StoredDestination, StoredSource } from '../../storage/repositories.ts';
import { buildDigest, type Digest, recordDigestDelivery } from '../digest/digest.ts';
import { rewriteDigestSummaries } from '../digest/llmDigest.ts';
import { canonicalUrl } from '../ingest/canonicalUrl.ts';
import type { Notice } from '../messages/catalog.ts';
import { nextSlot } from '../schedule/index.ts';
import { type ParsedQuery, parseQuery } from '../search/query.ts';
import { type SearchHit, searchArchive, type TopicLookup } from '../search/search.ts';
import type { AbstractiveSummarizer } from '../summarize/abstractive.ts';
import { type SourcedSentence, summarizeStory, summarizeTopic } from '../summarize/storySummary.ts';
import { type Command, isTimeZone } from './command.ts';
import type { HelpEntry, ReplyBody, ReplyStory, TopicRef } from './reply.ts';

export interface CommandContext {
  /** The destination's key: `console:local`, `slack:C…`, `discord:…`, `slack:user:U…` */
  channel: string;
  /** The channel's language for topic names. */
  lang: 'ko' | 'en';
  /** The channel's time zone, for digests and `time` without a zone. */
  timeZone: string;
}

export interface CommandDeps {
  store: AsyncStore;
  topics: TopicLookup;
  now: () => Date;
  searchLimit: number;
  digestLimit: number;
  /** Hours a digest looks back when the channel has had none yet. */
  digestWindowHours: number;
  /** The config's `alerts`: quiet hours and the daily cap, as `alerts on` tells them. */
  alertSettings?: { quietHours: string | null; dailyCap: number };
  /** `digest.time` of the config: when a person's own digest comes, until they choose a time. */
  defaultDigestTime?: string;
  /** Keys of the feeds in the config (`feeds:`), which the service polls. */
  configuredFeeds?: ReadonlySet<string>;
  /** Rewrites digest and topic summaries with a language model; extractive only when absent. */
  summarizer?: AbstractiveSummarizer | null;
}

export const HELP: HelpEntry[] = [
  { usage: '/news <words>', code: 'words' },
  { usage: '/news samsung', code: 'topicWord' },
  { usage: '/news "exact phrase"', code: 'phrase' },
  { usage: '/news nvidia -gaming', code: 'exclude' },
  { usage: '/news hbm 24h', code: 'recent' },
  { usage: '/news since:2026-11-01 until:2026-11-20', code: 'dateRange' },
  { usage: '/news lang:ko source:<name> topic:<id>', code: 'filters' },
  { usage: '/news <anything else>', code: 'anything' },
  { usage: '/news topics', code: 'topics' },
  { usage: '/news subscribe <topic>', code: 'subscribe' },
  { usage: '/news unsubscribe <topic>', code: 'unsubscribe' },
  { usage: '/news digest', code: 'digest' },
  { usage: '/news time 08:30 [Asia/Seoul] [mon-fri]', code: 'time' },
  { usage: '/news pause', code: 'pause' },
  { usage: '/news resume', code: 'resume' },
  { usage: '/news status', code: 'status' },
  { usage: '/news why <url>', code: 'why' },
  { usage: '/news sources [add|remove <url>]', code: 'sources' },
  { usage: '/news alerts on|off', code: 'alerts' },
  { usage: '/news digest preview', code: 'preview' },
  { usage: '/news language ko|en', code: 'language' },
  { usage: '/news limit stories 5 | alerts 3', code: 'limit' },
  { usage: '/news layout thread | single', code: 'layout' },
];

const EXAMPLES = ['/news samsung', '/news 엔비디아 hbm 7d', '/news "on-device AI" lang:en', '/news 삼전 -xr'];

/** Stories each saved query adds to a digest at most; saved queries a destination may have. */
const SAVED_QUERY_STORIES = 30;
const MAX_SAVED_QUERIES = 20;

/**
 * `subscribe 삼성 hbm -루머` saves a query (several words, or the query language's syntax); a single word that is
 * no topic is taken for a misspelt topic instead (it gets suggestions), so a typo never becomes a saved query.
 */
function isSavedQuery(text: string): boolean {
  const t = text.trim();
  return /\s/.test(t) || /["-]|\b(lang|source|topic|since|until):/i.test(t);
}

/** Pages a search can be turned to (5 results each by default). */
const MAX_PAGE = 10;

/** Stories a topic summary is drawn from: the best few say what matters; each one costs a summary per reply. */
const TOPIC_SUMMARY_STORIES = 3;

/**
 * Two sentences that sum up what the top stories found say about the topic a query named (`/news samsung`):
 * the most central sentences across the stories' own summaries, each from its source article, no repeats.
 */
function topicSummaryOf(hits: readonly SearchHit[], lang: 'ko' | 'en'): SourcedSentence[] {
  const stories = hits.slice(0, TOPIC_SUMMARY_STORIES).map((hit) => ({
    storyKey: hit.article.key,
    lang: hit.article.lang,
    sentences: summarizeStory([hit.article], { sentences: 2, lang }),
  }));
  return summarizeTopic(stories, { sentences: 2, lang }).map(({ text, articleId }) => ({ text, articleId }));
}

/**
 * Carries out the platform-neutral commands for one destination (`ctx`). Permissions, the destination and the
 * reply's language are the engine's concern (`src/engine/engine.ts`); this class only does the work.
 */
export class CommandHandler {
  constructor(private readonly deps: CommandDeps) {}

  private topicRef(id: string, lang: 'ko' | 'en'): TopicRef {
    return { id, name: this.deps.topics.displayName(id, lang) };
  }

  private resolveTopic(text: string): string | null {
    const trimmed = text.trim();
    if (this.deps.topics.has(trimmed.toLowerCase())) return trimmed.toLowerCase();
    return this.deps.topics.expand(trimmed)?.topicId ?? null;
  }

  /** Runs a command. A digest asked for in chat is a preview: only a posted digest counts as delivered. */
  async run(command: Command, ctx: CommandContext): Promise<ReplyBody> {
    switch (command.kind) {
      case 'help':
        return { kind: 'help', entries: HELP, examples: EXAMPLES };
      case 'search':
        return this.search(command.query, ctx, this.deps.searchLimit, command.page ?? 1);
      case 'digest':
        return this.digest(ctx);
      case 'preview':
        return this.preview(ctx);
      case 'language':
        await this.deps.store.destinations.update(ctx.channel, { lang: command.lang });
        return notice('ok', { code: 'languageSet', params: { lang: command.lang } });
      case 'layout':
        await this.deps.store.destinations.update(ctx.channel, { digestLayout: command.layout });
        return notice('ok', { code: 'layoutSet', params: { layout: command.layout } });
      case 'limit': {
        const setting = command.what === 'stories' ? { storyLimit: command.count } : { alertCap: command.count };
        await this.deps.store.destinations.update(ctx.channel, setting);
        const fallback = command.what === 'stories' ? this.deps.digestLimit : this.alertCapDefault();
        return notice('ok', { code: 'limitSet', params: { what: command.what, count: command.count, fallback } });
      }
      case 'topics':
        return this.topics(ctx);
      case 'subscribe':
        return this.subscription('subscribe', command.topic, ctx, command.notify);
      case 'unsubscribe':
        return this.subscription(command.kind, command.topic, ctx);
      case 'schedule':
        return this.schedule(command.time, command.timeZone ?? ctx.timeZone, command.weekdays ?? null, ctx);
      case 'pause':
      case 'resume':
        return this.pause(command.kind === 'pause', ctx);
      case 'status':
        return this.status(ctx);
      case 'why':
        return this.why(command.url, ctx);
      case 'sources':
        return this.sources(ctx);
      case 'alerts':
        await this.deps.store.destinations.update(ctx.channel, { alerts: command.on });
        return command.on
          ? notice('ok', {
              code: 'alertsOn',
              params: {
                quietHours: this.deps.alertSettings?.quietHours ?? null,
                cap: (await this.deps.store.destinations.get(ctx.channel))?.alertCap ?? this.alertCapDefault(),
              },
            })
          : notice('ok', { code: 'alertsOff', params: {} });
    }
  }

  /**
   * Searches the archive. When the query names a topic, the reply opens with a summary of the stories found,
   * rewritten by the language model where one is configured (extractive on any failure).
   */
  async search(
    query: string | ParsedQuery,
    ctx: CommandContext,
    limit = this.deps.searchLimit,
    page = 1,
  ): Promise<ReplyBody> {
    const reply = await this.searchArchive(typeof query === 'string' ? parseQuery(query) : query, ctx, limit, page);
    const summarizer = this.deps.summarizer;
    if (reply.kind !== 'search' || !summarizer || reply.topicSummary.length === 0) return reply;
    const sentences = await summarizer.summarize({
      kind: 'topic',
      lang: ctx.lang,
      title: reply.expandedTopics.map((t) => t.name).join(', '),
      sources: [
        {
          title: reply.expandedTopics.map((t) => t.name).join(', '),
          text: reply.topicSummary.map((s) => s.text).join(' '),
        },
        ...reply.stories.map((s) => ({ title: s.title, text: s.snippet.map((p) => p.text).join('') })),
      ],
      sentences: 2,
    });
    if (!sentences) return reply;
    return { ...reply, topicSummary: sentences.map((text) => ({ text, articleId: null })) };
  }

  private async searchArchive(
    query: ParsedQuery,
    ctx: CommandContext,
    limit: number,
    page: number,
  ): Promise<ReplyBody> {
    const pageNumber = Math.min(Math.max(1, Math.floor(page)), MAX_PAGE);
    const result = await searchArchive(this.deps.store, this.deps.topics, query, {
      limit: limit * pageNumber + 1,
      now: this.deps.now(),
    });
    const hits = result.hits.slice(limit * (pageNumber - 1), limit * pageNumber);
    const stories: ReplyStory[] = hits.map((hit) => ({
      articleId: hit.article.id,
      title: hit.article.title,
      url: hit.article.url,
      source: hit.article.sourceName,
      publishedAt: hit.article.publishedAt,
      lang: hit.article.lang,
      snippet: hit.snippet,
      topics: hit.article.topics.filter((t) => t.weight > 0).map((t) => this.topicRef(t.id, ctx.lang)),
      otherSources: hit.copies.map((c) => ({ articleId: c.id, source: c.sourceName, url: c.url })),
    }));
    return {
      kind: 'search',
      query: query.raw,
      stories,
      page: pageNumber,
      hasMore: result.hits.length > limit * pageNumber,
      topicSummary: pageNumber === 1 && result.expandedTopics.length > 0 ? topicSummaryOf(hits, ctx.lang) : [],
      expandedTopics: result.expandedTopics.map((id) => this.topicRef(id, ctx.lang)),
      suggestions: result.suggestions.map((id) => this.topicRef(id, ctx.lang)),
      broaderQueries: result.broaderQueries,
      passingMentions: result.passingMentions,
    };
  }

  /**
   * The destination's digest: its topics, in its language, over the window since its last digest (or the given
   * one), with summaries rewritten by the language model where one is configured (cached per story; on any
   * failure the extractive summaries stay). Stories it was shown before come back only with new articles.
   */
  async digest(ctx: CommandContext, window?: { from: Date; to: Date }): Promise<ReplyBody> {
    const to = window?.to ?? this.deps.now();
    const destination = await this.deps.store.destinations.get(ctx.channel);
    const last = destination?.lastDigestAt;
    const from =
      window?.from ?? (last ? new Date(last) : new Date(to.getTime() - this.deps.digestWindowHours * 3_600_000));
    const subscribed = await this.deps.store.subscriptions.list(ctx.channel);
    let digest = await buildDigest(this.deps.store, {
      from,
      to,
      limit: destination?.storyLimit ?? this.deps.digestLimit,
      topics: subscribed,
      queryStories: await this.savedQueryStories(ctx, from, to),
      channel: ctx.channel,
      lang: ctx.lang,
    });
    const topicNames: Record<string, string> = {};
    const ids = [...digest.stories.flatMap((s) => s.topics), ...digest.sections.map((s) => s.topic)];
    for (const id of ids) if (id !== null) topicNames[id] = this.deps.topics.displayName(id, ctx.lang);
    const summarizer = this.deps.summarizer;
    if (summarizer) digest = await rewriteDigestSummaries(this.deps.store, digest, summarizer, { topicNames });
    return { kind: 'digest', digest, topicNames };
  }

  /**
   * The digest the destination's next scheduled post would carry if it went out now (the window since its last
   * digest, its language), and when that post is due. Shown only to the caller; nothing counts as delivered.
   */
  private async preview(ctx: CommandContext): Promise<ReplyBody> {
    const body = await this.digest(ctx);
    if (body.kind !== 'digest') return body;
    const destination = await this.deps.store.destinations.get(ctx.channel);
    const layout = destination?.digestLayout ?? 'single';
    return { ...body, preview: { postsAt: this.nextDigestAt(destination, ctx), layout } };
  }

  private alertCapDefault(): number {
    return this.deps.alertSettings?.dailyCap ?? 10;
  }

  /** When the destination's next scheduled digest is due; null when it has none or it is paused. */
  private nextDigestAt(destination: StoredDestination | null, ctx: CommandContext): string | null {
    if (!destination?.digestTime || !destination.enabled || destination.pausedReason !== null) return null;
    const schedule = { time: destination.digestTime, timeZone: ctx.timeZone, weekdays: destination.weekdays };
    try {
      return new Date(nextSlot(schedule, this.deps.now().getTime()).dueAtMs).toISOString();
    } catch {
      return null;
    }
  }

  /** The stories the destination's saved queries find in the window; null when it has none. */
  private async savedQueryStories(ctx: CommandContext, from: Date, to: Date): Promise<Set<number> | null> {
    const queries = await this.deps.store.subscriptions.queries(ctx.channel);
    if (queries.length === 0) return null;
    const stories = new Set<number>();
    for (const text of queries) {
      const query = { ...parseQuery(text), withinHours: null, since: from.toISOString(), until: to.toISOString() };
      const result = await searchArchive(this.deps.store, this.deps.topics, query, {
        limit: SAVED_QUERY_STORIES,
        now: to,
      });
      for (const hit of result.hits) if (hit.storyId !== null) stories.add(hit.storyId);
    }
    return stories;
  }

  /**
   * Records that the destination was shown the digest (once posted): tomorrow its stories come back as updates.
   * Inside `tx` when given (the caller's transaction, which also records the post).
   */
  markDelivered(ctx: CommandContext, digest: Digest, at: Date, tx?: AsyncTransaction): Promise<void> {
    return recordDigestDelivery(tx ?? this.deps.store, ctx.channel, digest, at.toISOString());
  }

  private async topics(ctx: CommandContext): Promise<ReplyBody> {
    const { store } = this.deps;
    const subscribed = (await store.subscriptions.list(ctx.channel)).map((id) => this.topicRef(id, ctx.lang));
    const counts = await store.topics.articleCounts();
    const popular = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 20)
      .map(([id]) => this.topicRef(id, ctx.lang));
    const notifications = [...(await store.subscriptions.notifications(ctx.channel))].map(([id, mention]) => ({
      topic: this.topicRef(id, ctx.lang),
      mention,
    }));
    return {
      kind: 'topics',
      subscribed,
      popular,
      queries: await store.subscriptions.queries(ctx.channel),
      notifications,
    };
  }

  private async subscription(
    kind: 'subscribe' | 'unsubscribe',
    text: string,
    ctx: CommandContext,
    notify?: Mention | null,
  ): Promise<ReplyBody> {
    const topicId = this.resolveTopic(text);
    if (notify !== undefined) {
      const refused = await this.refuseMention(notify, ctx);
      if (refused) return refused;
    }
    if (!topicId && isSavedQuery(text) && notify === undefined) return this.savedQuery(kind, text, ctx);
    if (!topicId) {
      const suggestions = this.deps.topics.suggest(text, 3).map((id) => this.deps.topics.displayName(id, ctx.lang));
      return notice('error', { code: 'noSuchTopic', params: { text: text.slice(0, 60), suggestions } });
    }
    const topic = this.deps.topics.displayName(topicId, ctx.lang);
    const subs = this.deps.store.subscriptions;
    if (kind === 'subscribe') {
      const added = await subs.add(ctx.channel, topicId);
      if (notify !== undefined) {
        await subs.setNotify(ctx.channel, topicId, notify);
        return notify
          ? notice('ok', { code: 'notifySet', params: { topic, who: notify } })
          : notice('ok', { code: 'notifyCleared', params: { topic } });
      }
      const personal = await this.startPersonalDigest(ctx);
      if (added && personal) return notice('ok', { code: 'subscribedPersonal', params: { topic, ...personal } });
      return notice('ok', { code: added ? 'subscribed' : 'alreadySubscribed', params: { topic } });
    }
    const removed = await subs.remove(ctx.channel, topicId);
    return notice('ok', { code: removed ? 'unsubscribed' : 'notSubscribed', params: { topic } });
  }

  /** A mention only in a channel, and only of the kinds its platform has (roles on Discord, groups on Slack). */
  private async refuseMention(notify: Mention | null, ctx: CommandContext): Promise<ReplyBody | null> {
    const destination = await this.deps.store.destinations.get(ctx.channel);
    if (destination?.kind !== 'channel') return notice('error', { code: 'notifyChannelsOnly', params: {} });
    if (notify === null) return null;
    const fits =
      destination.platform === 'discord'
        ? notify.kind === 'role'
        : destination.platform === 'slack' && notify.kind !== 'role';
    return fits ? null : notice('error', { code: 'usageNotify', params: {} });
  }

  private async savedQuery(kind: 'subscribe' | 'unsubscribe', text: string, ctx: CommandContext): Promise<ReplyBody> {
    const query = text.trim().replace(/\s+/g, ' ').slice(0, 200);
    const subs = this.deps.store.subscriptions;
    if (kind === 'unsubscribe') {
      const removed = await subs.removeQuery(ctx.channel, query);
      return notice(removed ? 'ok' : 'error', {
        code: removed ? 'unsubscribedQuery' : 'notSubscribedQuery',
        params: { query },
      });
    }
    if ((await subs.queries(ctx.channel)).length >= MAX_SAVED_QUERIES) {
      return notice('error', { code: 'tooManyQueries', params: { max: MAX_SAVED_QUERIES } });
    }
    const added = await subs.addQuery(ctx.channel, query);
    await this.startPersonalDigest(ctx);
    return notice('ok', { code: added ? 'subscribedQuery' : 'alreadySubscribedQuery', params: { query } });
  }

  /**
   * A person who follows a topic for themselves gets a personal digest by direct message at the configured digest
   * time, unless they set a time of their own (`/news time` in a DM). Returns the time set, or null.
   */
  private async startPersonalDigest(ctx: CommandContext): Promise<{ time: string; zone: string } | null> {
    const destinations = this.deps.store.destinations;
    const destination = await destinations.get(ctx.channel);
    if (destination?.kind !== 'person' || destination.digestTime !== null || !this.deps.defaultDigestTime) return null;
    await destinations.update(ctx.channel, { digestTime: this.deps.defaultDigestTime, timeZone: ctx.timeZone });
    return { time: this.deps.defaultDigestTime, zone: ctx.timeZone };
  }

  private async schedule(
    time: string,
    timeZone: string,
    weekdays: number[] | null,
    ctx: CommandContext,
  ): Promise<ReplyBody> {
    if (!isTimeZone(timeZone)) return notice('error', { code: 'unknownTimeZone', params: { zone: timeZone } });
    const days = weekdays ?? (await this.deps.store.destinations.get(ctx.channel))?.weekdays ?? [];
    await this.deps.store.destinations.update(ctx.channel, {
      digestTime: time,
      timeZone,
      weekdays: days,
      enabled: true,
    });
    return notice('ok', { code: 'scheduleSet', params: { time, zone: timeZone, days } });
  }

  /** `pause` stops the scheduled digests until `resume`, which also clears a pause the platform caused. */
  private async pause(pause: boolean, ctx: CommandContext): Promise<ReplyBody> {
    const destinations = this.deps.store.destinations;
    const before = await destinations.get(ctx.channel);
    if (pause) {
      await destinations.update(ctx.channel, { enabled: false });
      return notice('ok', { code: before?.enabled === false ? 'alreadyPaused' : 'paused', params: {} });
    }
    await destinations.update(ctx.channel, { enabled: true, pausedReason: null });
    const wasPaused = before?.enabled === false || (before?.pausedReason ?? null) !== null;
    return notice('ok', { code: wasPaused ? 'resumed' : 'notPaused', params: {} });
  }

  /** New stories for an alert: each article as a story line (its lead paragraph as the snippet). */
  async alertReply(
    articleIds: readonly number[],
    topicIds: readonly string[],
    ctx: CommandContext,
  ): Promise<ReplyBody> {
    const articles = await this.deps.store.articles.getMany(articleIds);
    return {
      kind: 'alert',
      topics: topicIds.map((id) => this.topicRef(id, ctx.lang)),
      stories: articles.map((a) => ({
        articleId: a.id,
        title: a.title,
        url: a.url,
        source: a.sourceName,
        publishedAt: a.publishedAt,
        lang: a.lang,
        snippet: a.paragraphs[0] ? [{ text: a.paragraphs[0].slice(0, 300), match: false }] : [],
        topics: a.topics.filter((t) => t.weight > 0).map((t) => this.topicRef(t.id, ctx.lang)),
        otherSources: [],
      })),
    };
  }

  /** The feeds the service polls: those in the config, and those added in chat and not removed. */
  private async polledFeeds(): Promise<StoredSource[]> {
    const configured = this.deps.configuredFeeds ?? new Set<string>();
    return (await this.deps.store.sources.list()).filter(
      (s) => s.kind === 'feed' && (configured.has(s.key) || (s.addedBy !== null && s.removedAt === null)),
    );
  }

  /**
   * The feeds polled for this destination: the configured ones and those it added in chat, with how they are
   * doing. Feeds other destinations added (another workspace's, perhaps with a key in the URL) are theirs.
   */
  private async sources(ctx: CommandContext): Promise<ReplyBody> {
    const feeds = (await this.polledFeeds()).filter((s) => s.addedBy === null || s.addedBy === ctx.channel);
    return {
      kind: 'sources',
      sources: feeds.map((s) => ({
        name: s.name,
        url: s.url,
        fromChat: s.addedBy !== null,
        failures: s.consecutiveFailures,
        lastError: s.lastError,
        lastSuccessAt: s.lastSuccessAt,
      })),
    };
  }

  /** What is known of the article at `url` and why it was or was not posted to this destination (only this one). */
  private async why(url: string, ctx: CommandContext): Promise<ReplyBody> {
    const { store } = this.deps;
    const key = canonicalUrl(url);
    const found = key ? await store.articles.findByKey(key) : null;
    const status = await this.status(ctx);
    const nextDigestAt = status.kind === 'status' ? status.nextDigestAt : null;
    const lastDigestAt = status.kind === 'status' ? status.lastDigestAt : null;
    if (!found) return { kind: 'why', url: url.slice(0, 300), article: null, nextDigestAt, lastDigestAt };
    const member = await store.stories.membership(found.id);
    const story = member ? ((await store.stories.headers([member.storyId]))[0] ?? null) : null;
    const subscribed = await store.subscriptions.list(ctx.channel);
    const topicIds = found.topics.map((t) => t.id);
    const delivered = story
      ? (await store.stories.deliveredStories(ctx.channel, [story.key])).get(story.key)
      : undefined;
    return {
      kind: 'why',
      url: url.slice(0, 300),
      article: {
        title: found.title,
        source: found.sourceName,
        publishedAt: found.publishedAt,
        firstSeenAt: found.firstSeenAt,
        topics: found.topics.filter((t) => t.weight > 0).map((t) => this.topicRef(t.id, ctx.lang)),
        story: story ? { key: story.key, articles: story.articleCount } : null,
        matched: subscribed.filter((id) => topicIds.includes(id)).map((id) => this.topicRef(id, ctx.lang)),
        followsTopics: subscribed.length > 0,
        delivered: delivered
          ? {
              firstAt: delivered.firstAt,
              lastAt: delivered.lastAt,
              thisArticle: delivered.articleIds.includes(found.id),
            }
          : null,
      },
      nextDigestAt,
      lastDigestAt,
    };
  }

  /** The destination's schedule, its last and next digest, why it is paused, and the sources that are failing. */
  private async status(ctx: CommandContext): Promise<ReplyBody> {
    const { store } = this.deps;
    const destination = await store.destinations.get(ctx.channel);
    const schedule =
      destination?.digestTime != null
        ? { time: destination.digestTime, timeZone: ctx.timeZone, weekdays: destination.weekdays }
        : null;
    const nextDigestAt = this.nextDigestAt(destination, ctx);
    const lastPosted = await store.ledger.lastSent(ctx.channel, 'digest');
    const lastFailed = (await store.ledger.recent(ctx.channel, 5)).find((e) => e.state === 'failed') ?? null;
    const sources = await this.polledFeeds();
    return {
      kind: 'status',
      schedule,
      paused: destination?.enabled === false || (destination?.pausedReason ?? null) !== null,
      pausedReason: destination?.pausedReason ?? null,
      lastDigestAt: lastPosted?.updatedAt ?? null,
      lastFailure:
        lastFailed && (!lastPosted || lastFailed.updatedAt > lastPosted.updatedAt)
          ? { at: lastFailed.updatedAt, failure: lastFailed.failure ?? 'failed', detail: lastFailed.detail }
          : null,
      nextDigestAt,
      limits: {
        stories: destination?.storyLimit ?? this.deps.digestLimit,
        alertsPerDay: destination?.alertCap ?? this.alertCapDefault(),
        own: (destination?.storyLimit ?? destination?.alertCap ?? null) !== null,
      },
      layout: destination?.digestLayout ?? 'single',
      sources: {
        total: sources.length,
        failing: sources
          .filter((s) => s.consecutiveFailures > 0)
          .map((s) => ({
            name: s.name,
            failures: s.consecutiveFailures,
            lastError: s.lastError,
            lastSuccessAt: s.lastSuccessAt,
            nextFetchAt: s.nextFetchAt,
          })),
      },
    };
  }
}

export function notice(tone: 'ok' | 'error', body: Notice): ReplyBody {
  return { kind: 'notice', tone, notice: body };
}
