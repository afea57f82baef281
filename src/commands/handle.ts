import type { Store } from '../../storage/repositories.ts';
import { buildDigest, type Digest, recordDigestDelivery } from '../digest/digest.ts';
import { rewriteDigestSummaries } from '../digest/llmDigest.ts';
import { type ParsedQuery, parseQuery } from '../search/query.ts';
import { type SearchHit, searchArchive, type TopicLookup } from '../search/search.ts';
import type { AbstractiveSummarizer } from '../summarize/abstractive.ts';
import { type SourcedSentence, summarizeStory, summarizeTopic } from '../summarize/storySummary.ts';
import { type Command, isTimeZone } from './command.ts';
import type { HelpEntry, Reply, ReplyStory, TopicRef } from './reply.ts';

export interface CommandContext {
  /** `console:local`, `slack:T…:C…`, `discord:…:…` */
  channel: string;
  /** The channel's language for topic names. */
  lang: 'ko' | 'en';
  /** The channel's time zone, for digests and `time` without a zone. */
  timeZone: string;
}

export interface CommandDeps {
  store: Store;
  topics: TopicLookup;
  now: () => Date;
  searchLimit: number;
  digestLimit: number;
  /** Hours a digest looks back when the channel has had none yet. */
  digestWindowHours: number;
  /** Rewrites digest summaries with a language model (`digestWithSummaries`); extractive only when absent. */
  summarizer?: AbstractiveSummarizer | null;
}

export const HELP: HelpEntry[] = [
  { usage: '/news <words>', description: 'Korean or English, mixed; every word must match (삼성 finds 삼성전자가)' },
  {
    usage: '/news samsung',
    description: 'a topic word finds all its names in both languages: 삼성전자, 삼전, Samsung …',
  },
  { usage: '/news "exact phrase"', description: 'these words in this order, as typed (no other names)' },
  { usage: '/news nvidia -gaming', description: 'leave out articles that mention a word (or any name of its topic)' },
  { usage: '/news hbm 24h', description: 'only the last 24h, 7d, 2w … (lower case: 3D stays a word)' },
  { usage: '/news since:2026-11-01 until:2026-11-20', description: 'a date range, days in Korean time' },
  {
    usage: '/news lang:ko source:<name> topic:<id>',
    description: 'filter by language, source (_ for spaces) or topic',
  },
  { usage: '/news <anything else>', description: 'unknown syntax is searched as words, never an error' },
  { usage: '/news topics', description: 'list topics and this channel’s subscriptions' },
  { usage: '/news subscribe <topic>', description: 'add a topic to this channel’s digest' },
  { usage: '/news unsubscribe <topic>', description: 'remove a topic from this channel’s digest' },
  { usage: '/news digest', description: 'post the digest now' },
  { usage: '/news time 08:30 [Asia/Seoul]', description: 'set this channel’s daily digest time' },
];

const EXAMPLES = ['/news samsung', '/news 엔비디아 hbm 7d', '/news "on-device AI" lang:en', '/news 삼전 -xr'];

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

  handle(command: Command, ctx: CommandContext): Reply {
    switch (command.kind) {
      case 'help':
        return { kind: 'help', entries: HELP, examples: EXAMPLES };
      case 'search':
        return this.search(command.query, ctx);
      case 'digest': {
        const reply = this.digest(ctx);
        if (reply.kind === 'digest') this.markDelivered(ctx, reply.digest);
        return reply;
      }
      case 'topics':
        return this.topics(ctx);
      case 'subscribe':
      case 'unsubscribe':
        return this.subscription(command.kind, command.topic, ctx);
      case 'schedule':
        return this.schedule(command.time, command.timeZone ?? ctx.timeZone, ctx);
    }
  }

  /**
   * `handle`, with the language model where one is configured: digests and a topic answer's summary are
   * rewritten by it (extractive on any failure). What adapters that can wait for the model call.
   */
  async handleWithSummaries(command: Command, ctx: CommandContext): Promise<Reply> {
    if (command.kind === 'search') return this.searchWithSummaries(parseQuery(command.query), ctx);
    if (command.kind === 'digest') {
      const reply = await this.digestWithSummaries(ctx);
      if (reply.kind === 'digest') this.markDelivered(ctx, reply.digest);
      return reply;
    }
    return this.handle(command, ctx);
  }

  /** `searchQuery`, with the topic summary rewritten by the language model when one is configured. */
  async searchWithSummaries(query: ParsedQuery, ctx: CommandContext, limit = this.deps.searchLimit): Promise<Reply> {
    const reply = this.searchQuery(query, ctx, limit);
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

  search(text: string, ctx: CommandContext): Reply {
    return this.searchQuery(parseQuery(text), ctx);
  }

  searchQuery(query: ParsedQuery, ctx: CommandContext, limit = this.deps.searchLimit): Reply {
    const result = searchArchive(this.deps.store, this.deps.topics, query, {
      limit,
      now: this.deps.now(),
    });
    const stories: ReplyStory[] = result.hits.map((hit) => ({
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
      topicSummary: result.expandedTopics.length > 0 ? topicSummaryOf(result.hits, ctx.lang) : [],
      expandedTopics: result.expandedTopics.map((id) => this.topicRef(id, ctx.lang)),
      suggestions: result.suggestions.map((id) => this.topicRef(id, ctx.lang)),
      broaderQueries: result.broaderQueries,
      passingMentions: result.passingMentions,
    };
  }

  /**
   * The channel's digest: its topics, in its language, over the window since its last digest (or the given
   * one). Stories it was shown before come back only with new articles, marked as updates.
   */
  digest(ctx: CommandContext, window?: { from: Date; to: Date }): Reply {
    const to = window?.to ?? this.deps.now();
    const last = this.deps.store.schedules.get(ctx.channel)?.lastDigestAt;
    const from =
      window?.from ?? (last ? new Date(last) : new Date(to.getTime() - this.deps.digestWindowHours * 3_600_000));
    const subscribed = this.deps.store.subscriptions.list(ctx.channel);
    const digest = buildDigest(this.deps.store, {
      from,
      to,
      limit: this.deps.digestLimit,
      topics: subscribed,
      channel: ctx.channel,
      lang: ctx.lang,
    });
    const topicNames: Record<string, string> = {};
    const ids = [...digest.stories.flatMap((s) => s.topics), ...digest.sections.map((s) => s.topic)];
    for (const id of ids) if (id !== null) topicNames[id] = this.deps.topics.displayName(id, ctx.lang);
    return { kind: 'digest', title: ctx.lang === 'ko' ? '오늘의 테크 뉴스' : 'Tech news digest', digest, topicNames };
  }

  /**
   * The digest with its summaries rewritten by the configured language model (cached per story; on any failure
   * the extractive summaries stay). Without a summarizer, the same as `digest`.
   */
  async digestWithSummaries(ctx: CommandContext, window?: { from: Date; to: Date }): Promise<Reply> {
    const reply = this.digest(ctx, window);
    const summarizer = this.deps.summarizer;
    if (reply.kind !== 'digest' || !summarizer) return reply;
    const digest = await rewriteDigestSummaries(this.deps.store, reply.digest, summarizer, {
      topicNames: reply.topicNames,
    });
    return { ...reply, digest };
  }

  /** Records that the channel was shown the digest (after posting it): tomorrow its stories come back as updates. */
  markDelivered(ctx: CommandContext, digest: Digest, at: Date = this.deps.now()): void {
    recordDigestDelivery(this.deps.store, ctx.channel, digest, at.toISOString());
  }

  private topics(ctx: CommandContext): Reply {
    const subscribed = this.deps.store.subscriptions.list(ctx.channel).map((id) => this.topicRef(id, ctx.lang));
    const counts = this.deps.store.topics.articleCounts();
    const popular = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 20)
      .map(([id]) => this.topicRef(id, ctx.lang));
    return { kind: 'topics', subscribed, popular };
  }

  private subscription(kind: 'subscribe' | 'unsubscribe', text: string, ctx: CommandContext): Reply {
    const topicId = this.resolveTopic(text);
    if (!topicId) {
      const close = this.deps.topics.suggest(text, 3).map((id) => this.deps.topics.displayName(id, ctx.lang));
      const hint = close.length > 0 ? ` Did you mean: ${close.join(', ')}?` : ' See /news topics.';
      return { kind: 'notice', tone: 'error', text: `No topic named "${text.slice(0, 60)}".${hint}` };
    }
    const name = this.deps.topics.displayName(topicId, ctx.lang);
    const subs = this.deps.store.subscriptions;
    if (kind === 'subscribe') {
      const added = subs.add(ctx.channel, topicId);
      return { kind: 'notice', tone: 'ok', text: added ? `Subscribed to ${name}.` : `Already subscribed to ${name}.` };
    }
    const removed = subs.remove(ctx.channel, topicId);
    return { kind: 'notice', tone: 'ok', text: removed ? `Unsubscribed from ${name}.` : `Not subscribed to ${name}.` };
  }

  private schedule(time: string, timeZone: string, ctx: CommandContext): Reply {
    if (!isTimeZone(timeZone)) return { kind: 'notice', tone: 'error', text: `Unknown time zone ${timeZone}.` };
    const existing = this.deps.store.schedules.get(ctx.channel);
    this.deps.store.schedules.put({
      channel: ctx.channel,
      timeOfDay: time,
      timeZone,
      lang: existing?.lang ?? ctx.lang,
      lastDigestAt: existing?.lastDigestAt ?? null,
      enabled: true,
    });
    return { kind: 'notice', tone: 'ok', text: `Daily digest set for ${time} (${timeZone}).` };
  }
}
