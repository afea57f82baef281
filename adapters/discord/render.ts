import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
  escapeMarkdown,
} from 'discord.js';
import type { Reply, ReplyOf, ReplyStory } from '../../src/commands/reply.ts';
import type { Digest, DigestStory } from '../../src/digest/digest.ts';
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
import { capEmbed, fitLines, LIMITS, length, packEmbeds, truncate } from './limits.ts';

/** One Discord message as the API takes it (`allowed_mentions` is added where it is sent). */
export interface DiscordMessage {
  content: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
  /** Roles this message may ping: only those a channel subscription names (`allowed_mentions.roles`). */
  roles?: string[];
}

export interface RenderContext {
  /** In a server channel (not a DM): "follow here" makes sense there. */
  inGuild: boolean;
  /** The caller may change the channel's settings: only then is "follow here" offered. */
  isManager: boolean;
  /** The custom id of a "next page" button for this query and page (see `buttons.ts`). */
  pageId: (query: string, page: number) => string;
  /** Buttons at all (none on scheduled posts). */
  buttons: boolean;
}

const STORY_COLOR = 0x3b82f6;
const SECTION_COLOR = 0x64748b;
/** A story's snippet: long enough to say what it is, short enough that 5 results stay well under 6000. */
const SNIPPET_MAX = 600;

/**
 * Untrusted text (titles, snippets, source names, the user's own query) made inert: no markdown, no mentions
 * (`@everyone`, `<@&role>`, `<#channel>`), no masked links, no control characters. `allowed_mentions` keeps them
 * from pinging anyway; escaping also keeps them from rendering.
 */
export function inert(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const clean = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '').replace(/[\r\n\u2028\u2029]+/g, ' ');
  // Every backslash is escaped by escapeMarkdown, so each `[` and `<` after it can be escaped here: its
  // maskedLink option escapes only the first `[…](…)`-looking span, and a `[` earlier in the text hid the link.
  return escapeMarkdown(clean, { heading: true, bulletedList: true, numberedList: true, maskedLink: false })
    .replace(/^(\s*)>/, '$1\\>')
    .replace(/^(\s*)-#/, '$1\\-#')
    .replace(/\[/g, '\\[')
    .replace(/</g, '\\<')
    .replace(/@(everyone|here)/gi, '@\u200b$1');
}

/** Plain text for places Discord does not format (footers, button labels): only control characters removed. */
function plain(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim();
}

/** A snippet with its matched words in bold, cut at `max` without breaking the bold markers. */
function snippet(parts: readonly TextSegment[], max: number): string {
  let out = '';
  let left = max;
  for (const part of parts) {
    const text = inert(part.text);
    const cost = part.match ? 4 : 0;
    if (Array.from(text).length + cost > left) {
      const room = left - cost;
      if (room > 1) out += part.match ? `**${truncate(text, room)}**` : truncate(text, room);
      else out += '…';
      break;
    }
    out += part.match ? `**${text}**` : text;
    left -= Array.from(text).length + cost;
  }
  return out;
}

/** A link for an embed (http/https only; Discord refuses anything else in `url`). */
function safeUrl(url: string | null): string | undefined {
  if (!url || url.length > 2000) return undefined;
  return /^https?:\/\/[^\s]+$/i.test(url) ? url : undefined;
}

/**
 * Untrusted text for the text of a masked link the bot writes (`[text](url)`): inert, and its `]` escaped too,
 * so a name like `x](https://evil.example)` cannot close the bot's link early and open its own.
 */
function linkText(text: string): string {
  return inert(text).replace(/\]/g, '\\]');
}

/** A masked link the bot writes: the URL's brackets and parentheses percent-encoded so none ends the link early. */
function maskedLink(text: string, url: string): string {
  const href = url.replace(/[()<>\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `[${text}](${href})`;
}

function button(customId: string, label: string, style: ButtonStyle = ButtonStyle.Secondary): APIButtonComponent {
  return {
    type: ComponentType.Button,
    style,
    custom_id: customId.slice(0, LIMITS.customId),
    label: truncate(plain(label), LIMITS.buttonLabel),
  } as APIButtonComponent;
}

function storyEmbed(story: ReplyStory, timeZone: string, m: Messages): APIEmbed {
  const sources = new Set([story.source ?? story.url ?? '', ...story.otherSources.map((s) => s.source ?? s.url ?? '')]);
  sources.delete('');
  const footer = [
    story.source ? plain(story.source) : null,
    formatLocalTime(story.publishedAt, timeZone) || null,
    sources.size > 1 ? m.digest.sources(sources.size) : null,
  ].filter(Boolean);
  const lines = [snippet(story.snippet, SNIPPET_MAX)];
  if (story.otherSources.length > 0) {
    const others = [...new Set(story.otherSources.map((s) => plain(s.source ?? s.url ?? '')))].filter(Boolean);
    lines.push(inert(m.search.moreSources(story.otherSources.length, others.join(', '))));
  }
  const embed: APIEmbed = { title: inert(story.title), color: STORY_COLOR };
  const url = safeUrl(story.url);
  if (url) embed.url = url;
  const description = fitLines(lines.filter(Boolean), 1000);
  if (description) embed.description = description;
  if (footer.length > 0) embed.footer = { text: footer.join(' · ') };
  return capEmbed(embed);
}

function searchButtons(reply: ReplyOf<'search'>, ctx: RenderContext, m: Messages): DiscordMessage['components'] {
  if (!ctx.buttons) return [];
  const row: APIButtonComponent[] = [];
  if (reply.hasMore) row.push(button(ctx.pageId(reply.query, reply.page + 1), m.buttons.nextPage, ButtonStyle.Primary));
  const topic = reply.expandedTopics[0];
  if (topic && reply.stories.length > 0) {
    if (ctx.inGuild && ctx.isManager) row.push(button(`nb:fh:${topic.id}`, m.buttons.followHere(topic.name)));
    row.push(button(`nb:fm:${topic.id}`, m.buttons.followMe(topic.name)));
  }
  return row.length > 0 ? [{ type: ComponentType.ActionRow, components: row }] : [];
}

function renderSearch(reply: ReplyOf<'search'>, ctx: RenderContext, m: Messages): DiscordMessage {
  if (reply.stories.length === 0) {
    const tips: string[] = [];
    if (reply.broaderQueries.length > 0) {
      tips.push(m.search.theseFindNews(reply.broaderQueries.map((q) => `/news ${q}`).join('   ')));
    }
    if (reply.suggestions.length > 0) tips.push(m.search.closeTopics(reply.suggestions.map((t) => t.name).join(', ')));
    if (tips.length === 0) tips.push(m.search.tryFewer);
    const content = [m.search.noNewsFor(reply.query), ...tips].map(inert).join('\n');
    return { content: truncate(content, LIMITS.content), embeds: [], components: [] };
  }
  const via =
    reply.expandedTopics.length > 0
      ? ` ${m.search.alsoSearchedAs(reply.expandedTopics.map((t) => t.name).join(', '))}`
      : '';
  const lines = [`**${inert(m.search.resultsFor(reply.query))}**${inert(via)}`];
  for (const s of reply.topicSummary) lines.push(`> ${inert(s.text)}`);
  if (reply.passingMentions > 0) lines.push(`-# ${inert(m.search.passingMentions(reply.passingMentions))}`);
  return {
    content: fitLines(lines, LIMITS.content),
    embeds: reply.stories.slice(0, 5).map((s) => storyEmbed(s, reply.timeZone, m)),
    components: searchButtons(reply, ctx, m),
  };
}

/**
 * A digest story's embed, as the one-message digest shows it and a threaded digest's reply carries it
 * (`position`, "2/7", first in its footer).
 */
function digestStoryEmbed(
  story: DigestStory,
  number: number,
  reply: Pick<ReplyOf<'digest'>, 'timeZone' | 'topicNames'>,
  m: Messages,
  position?: string,
): APIEmbed {
  const lead = story.articles[0];
  const lines: string[] = [];
  if (story.summary.length > 0) lines.push(inert(story.summary.join(' ')), '');
  for (const a of story.articles) {
    const url = safeUrl(a.url);
    const name = url ? linkText(a.source ?? a.url ?? '?') : inert(a.source ?? a.url ?? '?');
    const when = formatLocalTime(a.publishedAt, reply.timeZone);
    const copy = a.copyOf !== null ? ` (${m.digest.copy})` : '';
    lines.push(`- ${url ? maskedLink(name, url) : name}${when ? ` · ${when}` : ''}${copy}`);
  }
  const topics = story.topics
    .slice(0, 4)
    .map((id) => reply.topicNames[id] ?? id)
    .join(', ');
  const marks = [
    position ?? null,
    topics || null,
    story.status === 'update' ? m.digest.update : null,
    story.sources > 1 ? m.digest.sources(story.sources) : null,
    story.otherArticles > 0 ? m.digest.earlier(story.otherArticles) : null,
    story.titleTranslated ? m.digest.translated : null,
  ].filter(Boolean);
  if (story.otherTitle) {
    lines.unshift(`*${m.digest.otherTitle(story.otherTitle.lang)} ${truncate(inert(story.otherTitle.title), 300)}*`);
  }
  const embed: APIEmbed = { title: `${number}. ${inert(story.title)}`, color: STORY_COLOR };
  const url = safeUrl(lead?.url ?? null);
  if (url) embed.url = url;
  const footer = plain(marks.join(' · '));
  if (footer) embed.footer = { text: footer };
  const rest = Array.from(embed.title ?? '').length + Array.from(footer).length;
  embed.description = fitLines(lines, Math.min(LIMITS.description, 4000 - rest));
  return capEmbed(embed);
}

/**
 * The digest as messages: a header, then per section a heading embed (with its summary) and an embed per story,
 * packed so that every message stays within Discord's limits. Every story gets its embed; long text is cut
 * with an ellipsis, never dropped.
 */
function renderDigest(reply: ReplyOf<'digest'>, m: Messages): DiscordMessage[] {
  const { digest } = reply;
  const preview = previewLine(reply);
  if (preview && reply.preview?.layout === 'thread' && digest.stories.length > 0) {
    // shown as it will be posted: the parent, then each story's reply
    const { parent, stories } = threadPartsOf(reply);
    const first = renderDigestParent(parent, m);
    first.content = truncate(`*${plain(preview)}*\n${first.content}`, LIMITS.content);
    return [first, ...stories.map((story) => renderDigestStory(story, m))];
  }
  const head = `${preview ? `*${plain(preview)}*\n` : ''}${digestHead(reply, m)}`;
  if (digest.stories.length === 0) return [{ content: `${head}\n${m.digest.nothing}`, embeds: [], components: [] }];
  const byKey = new Map(digest.stories.map((s) => [s.key, s]));
  const sections =
    digest.sections.length > 0
      ? digest.sections
      : [{ topic: null, summary: [] as string[], stories: digest.stories.map((s) => s.key) }];
  const embeds: APIEmbed[] = [];
  const placed = new Set<string>();
  let number = 0;
  for (const section of sections) {
    const heading = section.topic === null ? m.digest.more : (reply.topicNames[section.topic] ?? section.topic);
    const sectionEmbed: APIEmbed = { title: inert(heading), color: SECTION_COLOR };
    if (section.summary.length > 0) sectionEmbed.description = inert(section.summary.join(' '));
    embeds.push(capEmbed(sectionEmbed, 2000));
    for (const key of section.stories) {
      const story = byKey.get(key);
      if (!story || placed.has(key)) continue;
      placed.add(key);
      embeds.push(digestStoryEmbed(story, ++number, reply, m));
    }
  }
  // a story no section lists still goes out, after the sections
  for (const story of digest.stories) {
    if (!placed.has(story.key)) embeds.push(digestStoryEmbed(story, ++number, reply, m));
  }
  return packEmbeds(head, embeds).map((msg) => ({ ...msg, components: [] }));
}

/** A digest's head line: the title, the day, how many stories from how many articles. */
function digestHead(reply: { digest: Digest; timeZone: string }, m: Messages): string {
  const { digest } = reply;
  return m.digest.head(`**${m.digest.title}**`, digestDay(reply), digest.stories.length, digest.articleCount);
}

/** Headlines a threaded digest's parent lists; each is cut to this many characters. */
const HEADLINE_MAX = 200;
/** A link longer than this is left off its headline, so that ten headlines fit in one embed. */
const HEADLINE_URL_MAX = 300;
const HEADLINES_MAX = 4000;

/**
 * A threaded digest's parent, one message: the head line and where the stories are, then the first ten
 * headlines, numbered as their replies are and each linked to its lead article, in an embed (4096 characters,
 * where links never unfold into previews). A headline whose link does not fit goes without it; one that does
 * not fit at all is cut, and the ones after it are left out (they are all in the thread).
 */
function renderDigestParent(reply: ReplyOf<'digestParent'>, m: Messages): DiscordMessage {
  const { digest } = reply;
  const head = digestHead(reply, m);
  if (digest.stories.length === 0) return text(`${head}\n${m.digest.nothing}`);
  const lines: string[] = [];
  let used = -1;
  for (const [i, story] of digest.stories.slice(0, PARENT_HEADLINES).entries()) {
    const prefix = `${i + 1}. `;
    const room = HEADLINES_MAX - used - 1;
    const url = safeUrl(story.articles[0]?.url ?? null);
    const linked =
      url && url.length <= HEADLINE_URL_MAX
        ? `${prefix}${maskedLink(truncate(linkText(story.title), HEADLINE_MAX), url)}`
        : null;
    const bare = `${prefix}${truncate(inert(story.title), HEADLINE_MAX)}`;
    const line = linked && length(linked) <= room ? linked : length(bare) <= room ? bare : null;
    if (line) {
      lines.push(line);
      used += 1 + length(line);
      continue;
    }
    // the last headline that fits at all, cut
    if (room - prefix.length >= 20) lines.push(`${prefix}${truncate(inert(story.title), room - prefix.length)}`);
    break;
  }
  return {
    content: truncate(`${head}\n${m.digest.inThread}`, LIMITS.content),
    embeds: [capEmbed({ description: lines.join('\n'), color: SECTION_COLOR }, HEADLINES_MAX)],
    components: [],
  };
}

/** One story of a threaded digest, in its thread: the one-message digest's embed, with its place ("2/7"). */
function renderDigestStory(reply: ReplyOf<'digestStory'>, m: Messages): DiscordMessage {
  const position = m.digest.position(reply.number, reply.total);
  return {
    content: '',
    embeds: [digestStoryEmbed(reply.story, reply.number, reply, m, position)],
    components: [],
  };
}

function text(content: string): DiscordMessage {
  return { content: truncate(content, LIMITS.content), embeds: [], components: [] };
}

/** A reply as the Discord messages that carry it, in the reply's language and zone, within every limit. */
export function renderReply(reply: Reply, ctx: RenderContext): DiscordMessage[] {
  const m = messages(reply.lang);
  switch (reply.kind) {
    case 'search':
      return [renderSearch(reply, ctx, m)];
    case 'digest':
      return renderDigest(reply, m);
    case 'digestParent':
      return [renderDigestParent(reply, m)];
    case 'digestStory':
      return [renderDigestStory(reply, m)];
    case 'help': {
      const lines = [`**${m.help.heading}**`, ...reply.entries.map((e) => `\`${e.usage}\` ${m.help[e.code]}`)];
      lines.push('', `${m.help.examples} ${reply.examples.map((e) => `\`${e}\``).join('  ')}`);
      return [text(fitLines(lines, LIMITS.content))];
    }
    case 'topics': {
      const list = (topics: typeof reply.subscribed) =>
        topics.length > 0 ? topics.map((t) => `${inert(t.name)} (\`${t.id}\`)`).join(', ') : m.topics.none;
      return [
        text(
          [
            m.topics.subscribed(list(reply.subscribed)),
            ...(reply.queries?.length ? [inert(m.topics.queries(reply.queries.map((q) => `"${q}"`).join(', ')))] : []),
            ...notificationLines(reply).map(inert),
            m.topics.inTheNews(list(reply.popular)),
          ].join('\n'),
        ),
      ];
    }
    case 'status':
      return [text(renderStatus(reply, m))];
    case 'why':
      return [text(fitLines(whyLines(reply).map(inert), LIMITS.content))];
    case 'alert': {
      // The only mentions newsbrief ever writes: the roles the channel's subscriptions name, from stored ids.
      const roles = (reply.mentions ?? []).flatMap((mention) => (mention.kind === 'role' ? [mention.id] : []));
      const ping = roles.map((id) => `<@&${id}> `).join('');
      return [
        {
          content: `${ping}${truncate(`**${inert(m.alert.heading(reply.topics.map((t) => t.name).join(', ')))}**`, LIMITS.content - ping.length)}`,
          embeds: reply.stories.slice(0, 10).map((s) => storyEmbed(s, reply.timeZone, m)),
          components: [],
          ...(roles.length > 0 ? { roles } : {}),
        },
      ];
    }
    case 'sources':
      return [text(fitLines(sourcesLines(reply).map(inert), LIMITS.content))];
    case 'sourceAdded': {
      const message = text(fitLines(sourceAddedLines(reply).map(inert), LIMITS.content));
      const row = reply.backlogChoices.map((n) => button(`nb:b:${reply.source.id}:${n}`, m.buttons.takeLast(n)));
      if (ctx.buttons && row.length > 0) message.components = [{ type: ComponentType.ActionRow, components: row }];
      return [message];
    }
    case 'notice':
      return [text(inert(renderNotice(reply.notice, reply.lang)))];
  }
}

/** A channel's schedule, digests and failing sources, one line each. */
function renderStatus(reply: ReplyOf<'status'>, m: Messages): string {
  return fitLines([`**${m.status.heading}**`, ...statusLines(reply).map(inert)], LIMITS.content);
}

/**
 * Whether a reply concerns only the caller (shown to them alone): everything except a changed channel setting,
 * which the channel should see.
 */
export function concernsOnlyCaller(reply: Reply): boolean {
  if (reply.kind !== 'notice' || reply.tone === 'error') return true;
  return !['subscribed', 'unsubscribed', 'scheduleSet', 'paused', 'resumed', 'languageSet', 'limitSet'].includes(
    reply.notice.code,
  );
}
