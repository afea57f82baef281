/**
 * Replies as Block Kit messages within Slack's limits: at most 50 blocks and about 12k characters of blocks per
 * message (Slack answers `msg_blocks_too_long` near 13k), 3000 characters per section, 150 per header, 10
 * context elements, 75 per button label. A digest that does not fit becomes several messages, never cutting a
 * story in two. Every untrusted text goes through `escape.ts`.
 */

import type { Reply, ReplyOf, ReplyStory } from '../../src/commands/reply.ts';
import type { DigestStory } from '../../src/digest/digest.ts';
import { digestDay, PARENT_HEADLINES, threadPartsOf } from '../../src/digest/threadParts.ts';
import { type Messages, messages, renderNotice } from '../../src/messages/catalog.ts';
import {
  notificationLines,
  previewLine,
  sourceAddedLines,
  sourcesLines,
  statusLines,
  whyLines,
} from '../../src/messages/replyText.ts';
import type { TextSegment } from '../../src/search/snippet.ts';
import { formatLocalTime } from '../../src/text/formatTime.ts';
import type { Mention } from '../../storage/repositories.ts';
import { bold, clip, escapeMrkdwn, inert, link, oneLine } from './escape.ts';

export const LIMITS = {
  blocks: 50,
  /** Characters of `JSON.stringify(blocks)` per message. */
  blockChars: 12_000,
  section: 3000,
  header: 150,
  contextElements: 10,
  button: 75,
  buttonValue: 2000,
  /** The notification text beside the blocks. */
  text: 3000,
} as const;

export interface TextObject {
  type: 'mrkdwn' | 'plain_text';
  text: string;
  emoji?: boolean;
}

export interface Button {
  type: 'button';
  action_id: string;
  text: TextObject;
  value: string;
  url?: string;
  style?: 'primary' | 'danger';
}

export type Block =
  | { type: 'header'; text: TextObject }
  | { type: 'section'; text: TextObject; accessory?: Button }
  | { type: 'context'; elements: TextObject[] }
  | { type: 'actions'; block_id?: string; elements: Button[] }
  | { type: 'divider' };

/** One chat message: the fallback text (notifications, screen readers) and its blocks. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** Action ids of the buttons under replies (the adapter listens for them). */
export const ACTIONS = {
  nextPage: 'news_next_page',
  /** Subscribe the channel the reply is in (managers). */
  followHere: 'news_follow_here',
  /** Subscribe the person's own alerts (their DM). */
  followMe: 'news_follow_me',
  unfollowMine: 'news_home_unsubscribe',
  /** Let the newest N held items of a feed just added into the digests (value `sourceId:N`; managers). */
  takeBacklog: 'news_take_backlog',
} as const;

export interface NextPageValue {
  q: string;
  p: number;
}

export function section(mrkdwn: string, accessory?: Button): Block {
  const block: Block = { type: 'section', text: { type: 'mrkdwn', text: clip(mrkdwn, LIMITS.section) } };
  if (accessory) block.accessory = accessory;
  return block;
}

export function header(text: string): Block {
  return { type: 'header', text: { type: 'plain_text', text: clip(oneLine(text), LIMITS.header), emoji: false } };
}

export function context(mrkdwn: readonly string[]): Block {
  const elements = mrkdwn
    .filter((t) => t.trim() !== '')
    .slice(0, LIMITS.contextElements)
    .map((t): TextObject => ({ type: 'mrkdwn', text: clip(t, LIMITS.section) }));
  return { type: 'context', elements };
}

export function button(actionId: string, label: string, value: string, style?: 'primary' | 'danger'): Button {
  const b: Button = {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: clip(oneLine(label), LIMITS.button), emoji: false },
    value: value.slice(0, LIMITS.buttonValue),
  };
  if (style) b.style = style;
  return b;
}

function fallback(text: string): string {
  return clip(escapeMrkdwn(oneLine(text)), LIMITS.text);
}

function segments(parts: readonly TextSegment[]): string {
  return parts.map((p) => (p.match ? bold(inert(p.text, 500)) : inert(p.text, 500))).join('');
}

function when(publishedAt: string | null, timeZone: string): string {
  return formatLocalTime(publishedAt, timeZone);
}

function storyBlocks(story: ReplyStory, index: number, timeZone: string, m: Messages): Block[] {
  const lines = [`*${index + 1}.* ${bold(link(story.url, story.title))}`];
  if (story.snippet.length > 0) lines.push(segments(story.snippet));
  const meta = [story.source ? inert(story.source, 80) : null, when(story.publishedAt, timeZone) || null]
    .filter(Boolean)
    .join(' · ');
  const others = [...new Set(story.otherSources.map((s) => oneLine(s.source ?? s.url ?? '')).filter(Boolean))];
  const elements = [meta];
  if (story.otherSources.length > 0) {
    elements.push(
      `${m.digest.sources(story.otherSources.length + 1)} (${escapeMrkdwn(m.search.moreSources(others.length, clip(others.join(', '), 300)))})`,
    );
  }
  return [section(lines.join('\n')), context(elements)];
}

export interface SearchOptions {
  /** Buttons that subscribe the channel to the topics the query named (for a manager, in a channel). */
  followHere: boolean;
  /** Buttons that subscribe the person's own alerts to them. */
  followMe: boolean;
}

export function renderSearch(reply: ReplyOf<'search'>, options: SearchOptions): SlackMessage {
  const m = messages(reply.lang);
  const query = oneLine(reply.query);
  if (reply.stories.length === 0) {
    const tips: string[] = [];
    if (reply.broaderQueries.length > 0) {
      tips.push(
        escapeMrkdwn(m.search.theseFindNews(reply.broaderQueries.map((q) => `/news ${oneLine(q)}`).join('   '))),
      );
    }
    if (reply.suggestions.length > 0) {
      tips.push(escapeMrkdwn(m.search.closeTopics(reply.suggestions.map((t) => oneLine(t.name)).join(', '))));
    }
    if (tips.length === 0) tips.push(escapeMrkdwn(m.search.tryFewer));
    const head = m.search.noNewsFor(clip(query, 200));
    return { text: fallback(head), blocks: [section(escapeMrkdwn(head)), context(tips)] };
  }
  const head = m.search.resultsFor(clip(query, 200));
  const blocks: Block[] = [section(bold(escapeMrkdwn(head)))];
  const top: string[] = [];
  if (reply.expandedTopics.length > 0) {
    top.push(escapeMrkdwn(m.search.alsoSearchedAs(reply.expandedTopics.map((t) => oneLine(t.name)).join(', '))));
  }
  if (top.length > 0) blocks.push(context(top));
  if (reply.topicSummary.length > 0) blocks.push(section(reply.topicSummary.map((s) => inert(s.text, 600)).join(' ')));
  for (const [i, story] of reply.stories.entries()) blocks.push(...storyBlocks(story, i, reply.timeZone, m));
  if (reply.passingMentions > 0) blocks.push(context([escapeMrkdwn(m.search.passingMentions(reply.passingMentions))]));
  const buttons: Button[] = [];
  if (reply.hasMore) {
    const value: NextPageValue = { q: reply.query.slice(0, 500), p: reply.page + 1 };
    buttons.push(button(ACTIONS.nextPage, m.buttons.nextPage, JSON.stringify(value)));
  }
  for (const topic of reply.expandedTopics.slice(0, 2)) {
    const name = oneLine(topic.name);
    if (options.followHere) buttons.push(button(ACTIONS.followHere, m.buttons.followHere(name), topic.id));
    if (options.followMe) buttons.push(button(ACTIONS.followMe, m.buttons.followMe(name), topic.id));
  }
  if (buttons.length > 0) blocks.push({ type: 'actions', block_id: 'news_search_actions', elements: buttons });
  return { text: fallback(head), blocks: blocks.slice(0, LIMITS.blocks) };
}

function digestStoryBlocks(
  story: DigestStory,
  number: number,
  reply: Pick<ReplyOf<'digest'>, 'topicNames' | 'timeZone'>,
  m: Messages,
): Block[] {
  const lead = story.articles[0];
  const marks = [
    story.status === 'update' ? m.digest.update : null,
    story.sources > 1 ? m.digest.sources(story.sources) : null,
    story.otherArticles > 0 ? m.digest.earlier(story.otherArticles) : null,
    story.titleTranslated ? m.digest.translated : null,
  ].filter((x): x is string => x !== null);
  const topics = story.topics
    .slice(0, 4)
    .map((id) => oneLine(reply.topicNames[id] ?? id))
    .join(', ');
  const titleLine = `*${number}.* ${bold(link(lead?.url ?? null, story.title))}${marks.length > 0 ? `  _${escapeMrkdwn(marks.join(' · '))}_` : ''}`;
  const lines = [titleLine];
  if (story.otherTitle)
    lines.push(`_${escapeMrkdwn(m.digest.otherTitle(story.otherTitle.lang))} ${inert(story.otherTitle.title, 300)}_`);
  const summary = story.summary.map((s) => inert(s, 700)).join(' ');
  if (summary) lines.push(summary);
  const articles = story.articles.slice(0, LIMITS.contextElements - 1).map((a) => {
    const meta = [a.source ? oneLine(a.source) : null, when(a.publishedAt, reply.timeZone) || null]
      .filter(Boolean)
      .join(' · ');
    const copy = a.copyOf !== null ? ` (${m.digest.copy})` : '';
    return `${link(a.url, meta || (a.url ?? ''), 120)}${escapeMrkdwn(copy)}`;
  });
  const rest = story.articles.length - articles.length;
  if (rest > 0) articles.push(escapeMrkdwn(m.search.moreSources(rest, '…')));
  const elements = topics ? [escapeMrkdwn(topics), ...articles].slice(0, LIMITS.contextElements) : articles;
  return [section(lines.join('\n')), context(elements)];
}

/**
 * A digest as one or more messages: its head, then each topic section's heading and summary followed by its
 * stories, numbered across sections. A story's blocks always stay together in one message.
 */
export function renderDigest(reply: ReplyOf<'digest'>): SlackMessage[] {
  const m = messages(reply.lang);
  const { digest } = reply;
  const day = digestDay(reply);
  const head = m.digest.head(m.digest.title, day, digest.stories.length, digest.articleCount);
  const preview = previewLine(reply);
  if (preview && reply.preview?.layout === 'thread' && digest.stories.length > 0) {
    const { parent, stories } = threadPartsOf(reply);
    const first = renderDigestParent(parent);
    first.blocks.unshift(context([`_${escapeMrkdwn(preview)}_`]));
    return [first, ...stories.map(renderDigestStory)];
  }
  const opening = preview ? [context([`_${escapeMrkdwn(preview)}_`]), header(head)] : [header(head)];
  if (digest.stories.length === 0) {
    return [{ text: fallback(preview ?? head), blocks: [...opening, section(escapeMrkdwn(m.digest.nothing))] }];
  }
  const byKey = new Map(digest.stories.map((s) => [s.key, s]));
  const groups: Block[][] = [opening];
  let number = 0;
  const sections =
    digest.sections.length > 0
      ? digest.sections
      : [{ topic: null, summary: [], stories: digest.stories.map((s) => s.key) }];
  for (const part of sections) {
    const heading = part.topic === null ? m.digest.more : (reply.topicNames[part.topic] ?? part.topic);
    const summary = part.summary.map((s) => inert(s, 700)).join(' ');
    const first: Block[] = [{ type: 'divider' }, section(`*${inert(heading, 150)}*${summary ? `\n${summary}` : ''}`)];
    let pending: Block[] | null = first;
    for (const key of part.stories) {
      const story = byKey.get(key);
      if (!story) continue;
      const blocks = digestStoryBlocks(story, ++number, reply, m);
      // a section's heading travels with its first story
      groups.push(pending ? [...pending, ...blocks] : blocks);
      pending = null;
    }
  }
  return packMessages(groups, head);
}

/** A threaded digest's parent: the head line, where the stories are, and the top headlines, numbered. */
export function renderDigestParent(reply: ReplyOf<'digestParent'>): SlackMessage {
  const m = messages(reply.lang);
  const { digest } = reply;
  const day = digestDay(reply);
  const head = m.digest.head(m.digest.title, day, digest.stories.length, digest.articleCount);
  const lines = digest.stories
    .slice(0, PARENT_HEADLINES)
    .map((story, i) => `*${i + 1}.* ${link(story.articles[0]?.url ?? null, story.title, 200)}`);
  return {
    text: fallback(head),
    blocks: [header(head), section(clip(lines.join('\n'), LIMITS.section)), context([escapeMrkdwn(m.digest.inThread)])],
  };
}

/** One story of a threaded digest, as the one-message digest shows it, with its place in the digest. */
export function renderDigestStory(reply: ReplyOf<'digestStory'>): SlackMessage {
  const m = messages(reply.lang);
  const blocks = digestStoryBlocks(reply.story, reply.number, reply, m);
  blocks.push(context([escapeMrkdwn(m.digest.position(reply.number, reply.total))]));
  return { text: fallback(`${reply.number}. ${reply.story.title}`), blocks };
}

/**
 * Groups of blocks packed into as few messages as fit the limits, in order; a group is never split unless it
 * alone is over them (then its blocks are packed one by one). Parts after the first say `(2/3)` after the head.
 */
export function packMessages(groups: readonly Block[][], head: string): SlackMessage[] {
  const fits = (blocks: readonly Block[]) =>
    blocks.length <= LIMITS.blocks && JSON.stringify(blocks).length <= LIMITS.blockChars;
  const parts: Block[][] = [];
  let current: Block[] = [];
  const add = (group: readonly Block[]) => {
    if (fits([...current, ...group])) {
      current.push(...group);
      return;
    }
    if (current.length > 0) parts.push(current);
    current = [];
    if (fits(group)) current.push(...group);
    else for (const block of group) add([block]);
  };
  for (const group of groups) add(group);
  if (current.length > 0) parts.push(current);
  return parts.map((blocks, i) => ({
    text: fallback(parts.length > 1 && i > 0 ? `${head} (${i + 1}/${parts.length})` : head),
    blocks,
  }));
}

/** Splits a message's blocks in two halves (after Slack answered `msg_blocks_too_long`); null for one block. */
export function halve(message: SlackMessage): [SlackMessage, SlackMessage] | null {
  if (message.blocks.length < 2) return null;
  const middle = Math.ceil(message.blocks.length / 2);
  return [
    { text: message.text, blocks: message.blocks.slice(0, middle) },
    { text: message.text, blocks: message.blocks.slice(middle) },
  ];
}

function renderHelp(reply: ReplyOf<'help'>): SlackMessage {
  const m = messages(reply.lang);
  const lines = reply.entries.map((e) => `\`${escapeMrkdwn(e.usage)}\`  ${escapeMrkdwn(m.help[e.code])}`);
  const blocks: Block[] = [section(`*${escapeMrkdwn(m.help.heading)}*`)];
  // entries in sections of at most 3000 characters
  let chunk: string[] = [];
  for (const line of lines) {
    if ([...chunk, line].join('\n').length > LIMITS.section) {
      blocks.push(section(chunk.join('\n')));
      chunk = [];
    }
    chunk.push(line);
  }
  if (chunk.length > 0) blocks.push(section(chunk.join('\n')));
  blocks.push(
    context([`${escapeMrkdwn(m.help.examples)} ${reply.examples.map((e) => `\`${escapeMrkdwn(e)}\``).join('   ')}`]),
  );
  return { text: fallback(m.help.heading), blocks };
}

function renderTopics(reply: ReplyOf<'topics'>): SlackMessage {
  const m = messages(reply.lang);
  const list = (topics: typeof reply.subscribed) =>
    topics.length > 0 ? topics.map((t) => `${oneLine(t.name)} (${oneLine(t.id)})`).join(', ') : m.topics.none;
  const subscribed = m.topics.subscribed(list(reply.subscribed));
  return {
    text: fallback(subscribed),
    blocks: [
      section(escapeMrkdwn(subscribed)),
      ...(reply.queries?.length
        ? [section(escapeMrkdwn(m.topics.queries(reply.queries.map((q) => `"${oneLine(q)}"`).join(', '))))]
        : []),
      ...notificationLines(reply).map((line) => section(escapeMrkdwn(oneLine(line)))),
      section(escapeMrkdwn(m.topics.inTheNews(list(reply.popular)))),
    ],
  };
}

/**
 * The only mentions newsbrief writes on Slack: the user groups (`<!subteam^ID>`) and `<!here>` a channel's
 * subscriptions name, from stored ids; everything else is escaped.
 */
function mentionText(mentions: readonly Mention[]): string {
  return mentions
    .map((mention) =>
      mention.kind === 'here' ? '<!here>' : mention.kind === 'group' ? `<!subteam^${mention.id}>` : '',
    )
    .filter(Boolean)
    .join(' ');
}

function renderStatus(reply: ReplyOf<'status'>): SlackMessage {
  const heading = messages(reply.lang).status.heading;
  const lines = statusLines(reply).map((line) => escapeMrkdwn(oneLine(line)));
  return { text: fallback(heading), blocks: [section(`*${escapeMrkdwn(heading)}*\n${lines.join('\n')}`)] };
}

/** A plain report (`why`): its lines, escaped, in one section. */
function renderReport(lines: readonly string[]): SlackMessage {
  const escaped = lines.map((l) => escapeMrkdwn(oneLine(l)));
  return { text: fallback(lines[0] ?? ''), blocks: [section(escaped.join('\n'))] };
}

export function renderNoticeMessage(reply: ReplyOf<'notice'>): SlackMessage {
  const text = renderNotice(reply.notice, reply.lang);
  const mark = reply.tone === 'error' ? ':warning: ' : '';
  return { text: fallback(text), blocks: [section(`${mark}${escapeMrkdwn(oneLine(text))}`)] };
}

/** Any reply as Slack messages (one, except a digest that needs more). */
export function renderReply(
  reply: Reply,
  options: SearchOptions = { followHere: false, followMe: false },
): SlackMessage[] {
  switch (reply.kind) {
    case 'search':
      return [renderSearch(reply, options)];
    case 'digest':
      return renderDigest(reply);
    case 'digestParent':
      return [renderDigestParent(reply)];
    case 'digestStory':
      return [renderDigestStory(reply)];
    case 'help':
      return [renderHelp(reply)];
    case 'topics':
      return [renderTopics(reply)];
    case 'status':
      return [renderStatus(reply)];
    case 'why':
      return [renderReport(whyLines(reply))];
    case 'alert': {
      const m = messages(reply.lang);
      const head = m.alert.heading(reply.topics.map((t) => oneLine(t.name)).join(', '));
      const ping = mentionText(reply.mentions ?? []);
      const blocks: Block[] = [section(`${ping ? `${ping} ` : ''}${bold(escapeMrkdwn(head))}`)];
      for (const [i, story] of reply.stories.slice(0, 10).entries())
        blocks.push(...storyBlocks(story, i, reply.timeZone, m));
      return [{ text: `${ping ? `${ping} ` : ''}${fallback(head)}`, blocks }];
    }
    case 'sources':
      return [renderReport(sourcesLines(reply))];
    case 'sourceAdded': {
      const message = renderReport(sourceAddedLines(reply));
      const buttons = reply.backlogChoices.map((n) =>
        button(ACTIONS.takeBacklog, messages(reply.lang).buttons.takeLast(n), `${reply.source.id}:${n}`),
      );
      if (buttons.length > 0) message.blocks.push({ type: 'actions', block_id: 'news_backlog', elements: buttons });
      return [message];
    }
    case 'notice':
      return [renderNoticeMessage(reply)];
  }
}
