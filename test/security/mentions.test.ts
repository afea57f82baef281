/**
 * Mentions and markup from untrusted text (titles, snippets, summaries, topic and source names) never take
 * effect: property tests over every reply the renderers draw, then end to end, through the real clients, at
 * the Slack and Discord stand-ins.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderReply as renderConsole } from '../../adapters/console/render.ts';
import {
  type DiscordMessage,
  inert as inertDiscord,
  renderReply as renderDiscord,
} from '../../adapters/discord/render.ts';
import { type Block, renderReply as renderSlack, type SlackMessage } from '../../adapters/slack/blocks.ts';
import type { Reply, ReplyOf, ReplyStory } from '../../src/commands/reply.ts';
import type { DigestStory } from '../../src/digest/digest.ts';
import {
  discordTexts,
  discordUrls,
  hostileText,
  hostileUrl,
  liveConsoleControl,
  liveDiscordMarkup,
  liveSlackMarkup,
  slackTexts,
} from './markup.ts';

/** Property runs per reply kind (8 kinds; language and the caller's rights random), each rendered three ways. */
const RUNS = 150;

const topicRef = fc.record({ id: fc.constantFrom('nvidia', 'samsung-electronics', 'x'), name: hostileText });
const story: fc.Arbitrary<ReplyStory> = fc.record({
  articleId: fc.nat(),
  title: hostileText,
  url: hostileUrl,
  source: fc.option(hostileText),
  publishedAt: fc.constantFrom(null, '2026-11-26T00:00:00Z'),
  lang: fc.constantFrom('ko', 'en'),
  snippet: fc.array(fc.record({ text: hostileText, match: fc.boolean() }), { minLength: 1, maxLength: 3 }),
  topics: fc.array(topicRef, { maxLength: 2 }),
  otherSources: fc.array(fc.record({ articleId: fc.nat(), source: fc.option(hostileText), url: hostileUrl }), {
    maxLength: 2,
  }),
});

const digestStory = (i: number): fc.Arbitrary<DigestStory> =>
  fc.record({
    key: fc.constant(`s${i}`),
    title: hostileText,
    titleTranslated: fc.boolean(),
    otherTitle: fc.option(fc.record({ lang: fc.constant('ko'), title: hostileText })),
    summary: fc.array(hostileText, { minLength: 1, maxLength: 2 }),
    sentences: fc.constant([]),
    summaryBy: fc.constantFrom('extractive' as const, 'llm' as const),
    topics: fc.constant(['nvidia']),
    articles: fc.array(
      fc.record({
        id: fc.nat(),
        title: hostileText,
        url: hostileUrl,
        source: hostileText,
        publishedAt: fc.constant('2026-11-26T00:00:00Z'),
        lang: fc.constant('en'),
        copyOf: fc.constant(null),
        isNew: fc.boolean(),
      }),
      { minLength: 1, maxLength: 2 },
    ),
    status: fc.constantFrom('new' as const, 'update' as const),
    sources: fc.integer({ min: 1, max: 3 }),
    otherArticles: fc.nat(3),
    languages: fc.constant(['en']),
    shownBefore: fc.constant(null),
    score: fc.constant(1),
  }) as fc.Arbitrary<DigestStory>;

const lang = fc.constantFrom('ko' as const, 'en' as const);
const base = { lang, timeZone: fc.constant('Asia/Seoul') };

/** One arbitrary per reply kind that carries untrusted text. */
const replies: Record<string, fc.Arbitrary<Reply>> = {
  search: fc.record({
    kind: fc.constant('search' as const),
    query: hostileText,
    page: fc.constant(1),
    hasMore: fc.boolean(),
    stories: fc.array(story, { minLength: 0, maxLength: 5 }),
    topicSummary: fc.array(fc.record({ text: hostileText, articleId: fc.constant(null) }), { maxLength: 2 }),
    expandedTopics: fc.array(topicRef, { maxLength: 2 }),
    suggestions: fc.array(topicRef, { maxLength: 2 }),
    broaderQueries: fc.array(hostileText, { maxLength: 2 }),
    passingMentions: fc.nat(3),
    ...base,
  }),
  digest: fc.tuple(digestStory(0), digestStory(1), digestStory(2), hostileText, lang).map(([a, b, c, name, l]) => ({
    kind: 'digest' as const,
    digest: {
      window: { from: '2026-11-25T00:00:00Z', to: '2026-11-26T14:59:59Z' },
      stories: [a, b, c],
      sections: [
        { topic: 'nvidia', summary: [name], sentences: [], summaryBy: 'extractive' as const, stories: ['s0', 's1'] },
        { topic: null, summary: [], sentences: [], summaryBy: 'extractive' as const, stories: ['s2'] },
      ],
      articleCount: 3,
      storyCount: 3,
      lang: null,
    },
    topicNames: { nvidia: name },
    lang: l,
    timeZone: 'Asia/Seoul',
  })),
  alert: fc.record({
    kind: fc.constant('alert' as const),
    topics: fc.array(topicRef, { minLength: 1, maxLength: 2 }),
    stories: fc.array(story, { minLength: 1, maxLength: 2 }),
    ...base,
  }),
  topics: fc.record({
    kind: fc.constant('topics' as const),
    subscribed: fc.array(topicRef, { maxLength: 3 }),
    popular: fc.array(topicRef, { maxLength: 3 }),
    queries: fc.array(hostileText, { maxLength: 2 }),
    ...base,
  }),
  why: fc.record({
    kind: fc.constant('why' as const),
    url: fc.constant('https://evil.example/x'),
    article: fc.record({
      title: hostileText,
      source: fc.option(hostileText),
      publishedAt: fc.constant(null),
      firstSeenAt: fc.constant('2026-11-26T00:00:00Z'),
      topics: fc.array(topicRef, { maxLength: 2 }),
      story: fc.constant({ key: 'k', articles: 2 }),
      matched: fc.array(topicRef, { maxLength: 2 }),
      followsTopics: fc.boolean(),
      delivered: fc.constant(null),
    }),
    nextDigestAt: fc.constant(null),
    lastDigestAt: fc.constant(null),
    ...base,
  }),
  sources: fc.record({
    kind: fc.constant('sources' as const),
    sources: fc.array(
      fc.record({
        name: hostileText,
        url: hostileUrl,
        fromChat: fc.boolean(),
        failures: fc.nat(3),
        lastError: fc.option(hostileText),
        lastSuccessAt: fc.constant(null),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    ...base,
  }),
  sourceAdded: fc.record({
    kind: fc.constant('sourceAdded' as const),
    source: fc.record({
      id: fc.nat(),
      name: hostileText,
      url: fc.constant('https://evil.example/feed'),
      foundOn: fc.constant(null),
      items: fc.nat(30),
      held: fc.nat(30),
      taken: fc.constant(0),
      lang: fc.constant('en'),
      newest: fc.option(fc.record({ title: hostileText, publishedAt: fc.constant(null) })),
    }),
    backlogChoices: fc.constant([5]),
    ...base,
  }),
  status: fc.record({
    kind: fc.constant('status' as const),
    schedule: fc.constant({ time: '09:00', timeZone: 'Asia/Seoul', weekdays: [] }),
    paused: fc.boolean(),
    pausedReason: fc.constant(null),
    lastDigestAt: fc.constant(null),
    lastFailure: fc.constant(null),
    nextDigestAt: fc.constant(null),
    limits: fc.constant({ stories: 10, alertsPerDay: 10, own: false }),
    sources: fc.record({
      total: fc.constant(3),
      failing: fc.array(
        fc.record({
          name: hostileText,
          failures: fc.nat(5),
          lastError: fc.option(hostileText),
          lastSuccessAt: fc.constant(null),
          nextFetchAt: fc.constant(null),
        }),
        { maxLength: 2 },
      ),
    }),
    ...base,
  }),
} as unknown as Record<string, fc.Arbitrary<Reply>>;

function checkDiscord(messages: readonly DiscordMessage[]): void {
  for (const message of messages) {
    for (const text of discordTexts(message)) expect(liveDiscordMarkup(text), text).toEqual([]);
    for (const url of discordUrls(message)) expect(url).toMatch(/^https?:\/\//);
  }
}

function checkSlack(messages: readonly SlackMessage[]): void {
  for (const message of messages) {
    for (const text of slackTexts(message as { text?: string; blocks?: Block[] })) {
      expect(liveSlackMarkup(text), text).toEqual([]);
    }
  }
}

describe('untrusted text never takes effect in a rendered reply', () => {
  for (const [kind, arbitrary] of Object.entries(replies)) {
    it(`${kind}: Discord, Slack and the console`, () => {
      fc.assert(
        fc.property(arbitrary, fc.boolean(), (reply, manager) => {
          checkDiscord(
            renderDiscord(reply, { inGuild: true, isManager: manager, buttons: true, pageId: () => 'nb:p:2:q' }),
          );
          checkSlack(renderSlack(reply, { followHere: manager, followMe: true }));
          expect(liveConsoleControl(renderConsole(reply, { color: false }))).toEqual([]);
        }),
        { numRuns: RUNS, seed: 16 },
      );
    });
  }
});

describe('the cases the properties found', () => {
  it('Discord: a masked link after another `[`, subtext, and indented markup stay as typed', () => {
    expect(liveDiscordMarkup(inertDiscord('“[2J” ([evillink](https://evil.example/x))'))).toEqual([]);
    expect(inertDiscord('a [b [evillink](https://evil.example/x)')).toBe('a \\[b \\[evillink](https://evil.example/x)');
    expect(inertDiscord('-# evilsub')).toBe('\\-# evilsub');
    expect(inertDiscord('  -# evilsub')).toBe('  \\-# evilsub');
    expect(inertDiscord('  > evilquote')).toBe('  \\> evilquote');
    expect(inertDiscord('a\u2028# evilhead')).toBe('a # evilhead');
  });

  it('the console: topic names and links in a digest carry no terminal control', () => {
    const reply = fc.sample(replies.digest as fc.Arbitrary<Reply>, { numRuns: 1, seed: 1 })[0] as ReplyOf<'digest'>;
    const story = { ...(reply.digest.stories[0] as DigestStory) };
    story.articles = [
      { ...(story.articles[0] as DigestStory['articles'][number]), url: 'https://x.example/\u001b[2J' },
    ];
    const text = renderConsole(
      { ...reply, digest: { ...reply.digest, stories: [story] }, topicNames: { nvidia: '\u001b]0;evil\u0007' } },
      { color: false },
    );
    expect(liveConsoleControl(text)).toEqual([]);
  });
});
