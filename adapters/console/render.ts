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

export interface RenderOptions {
  /** ANSI bold for matched terms and titles (only when writing to a terminal). */
  color: boolean;
}

interface Style {
  color: boolean;
  timeZone: string;
}

const BOLD = '\u001b[1m';
const RESET = '\u001b[0m';

/** Removes terminal control sequences and other control characters from untrusted article text. */
function clean(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

function bold(text: string, o: Style): string {
  return o.color ? `${BOLD}${text}${RESET}` : text;
}

function segments(parts: readonly TextSegment[], o: Style): string {
  return parts
    .map((p) => (p.match ? (o.color ? bold(clean(p.text), o) : `*${clean(p.text)}*`) : clean(p.text)))
    .join('');
}

function meta(source: string | null, publishedAt: string | null, o: Style): string {
  return [source ? clean(source) : null, formatLocalTime(publishedAt, o.timeZone) || null].filter(Boolean).join(' · ');
}

function renderStory(story: ReplyStory, index: number, o: Style, m: Messages): string {
  const lines = [`${index + 1}. ${bold(clean(story.title), o)}`];
  let line = `   ${meta(story.source, story.publishedAt, o)}`;
  if (story.otherSources.length > 0) {
    const others = [...new Set(story.otherSources.map((s) => clean(s.source ?? s.url ?? '')))].join(', ');
    line += `  (${m.search.moreSources(story.otherSources.length, others)})`;
  }
  lines.push(line);
  if (story.snippet.length > 0) lines.push(`   ${segments(story.snippet, o)}`);
  if (story.url) lines.push(`   ${story.url}`);
  return lines.join('\n');
}

function renderDigestStory(
  story: DigestStory,
  number: number,
  names: Record<string, string>,
  o: Style,
  m: Messages,
): string {
  const topics = story.topics
    .slice(0, 4)
    .map((id) => clean(names[id] ?? id))
    .join(', ');
  const marks = [
    story.status === 'update' ? m.digest.update : null,
    story.sources > 1 ? m.digest.sources(story.sources) : null,
    story.otherArticles > 0 ? m.digest.earlier(story.otherArticles) : null,
    story.titleTranslated ? m.digest.translated : null,
  ]
    .filter(Boolean)
    .join(' · ');
  const lines = [
    `${number}. ${bold(clean(story.title), o)}${topics ? `  [${topics}]` : ''}${marks ? `  (${marks})` : ''}`,
  ];
  if (story.otherTitle) lines.push(`   ${m.digest.otherTitle(story.otherTitle.lang)} ${clean(story.otherTitle.title)}`);
  for (const sentence of story.summary) lines.push(`   ${clean(sentence)}`);
  for (const a of story.articles) {
    const copy = a.copyOf !== null ? ` (${m.digest.copy})` : '';
    lines.push(`   - ${meta(a.source, a.publishedAt, o)}${copy}${a.url ? `  ${clean(a.url)}` : ''}`);
  }
  return lines.join('\n');
}

/** The digest by section: each topic's heading and summary, then its stories, numbered across sections. */
function renderDigest(reply: ReplyOf<'digest'>, o: Style, m: Messages): string {
  const { digest } = reply;
  const day = digestDay({ digest, timeZone: o.timeZone });
  const preview = previewLine(reply);
  if (preview && reply.preview?.layout === 'thread' && digest.stories.length > 0) {
    const { parent, stories } = threadPartsOf(reply);
    const parts = [parent, ...stories].map((part) => renderReply(part, { color: o.color }));
    return [preview, ...parts].join('\n\n');
  }
  const head = `${preview ? `${preview}\n` : ''}${m.digest.head(bold(m.digest.title, o), day, digest.stories.length, digest.articleCount)}`;
  if (digest.stories.length === 0) return `${head}\n${m.digest.nothing}`;
  const byKey = new Map(digest.stories.map((s) => [s.key, s]));
  const blocks: string[] = [head];
  let number = 0;
  const sections =
    digest.sections.length > 0
      ? digest.sections
      : [{ topic: null, summary: [], stories: digest.stories.map((s) => s.key) }];
  for (const section of sections) {
    const heading = section.topic === null ? m.digest.more : (reply.topicNames[section.topic] ?? section.topic);
    const lines = [`■ ${bold(clean(heading), o)}`];
    for (const sentence of section.summary) lines.push(`  ${clean(sentence)}`);
    blocks.push(lines.join('\n'));
    for (const key of section.stories) {
      const story = byKey.get(key);
      if (story) blocks.push(renderDigestStory(story, ++number, reply.topicNames, o, m));
    }
  }
  return blocks.join('\n\n');
}

function renderSearch(reply: ReplyOf<'search'>, o: Style, m: Messages): string {
  const head = m.search.resultsFor(clean(reply.query));
  const via =
    reply.expandedTopics.length > 0
      ? ` ${m.search.alsoSearchedAs(reply.expandedTopics.map((t) => clean(t.name)).join(', '))}`
      : '';
  if (reply.stories.length === 0) {
    const tips: string[] = [];
    if (reply.broaderQueries.length > 0) {
      tips.push(m.search.theseFindNews(reply.broaderQueries.map((q) => `/news ${clean(q)}`).join('   ')));
    }
    if (reply.suggestions.length > 0) {
      tips.push(m.search.closeTopics(reply.suggestions.map((t) => clean(t.name)).join(', ')));
    }
    if (tips.length === 0) tips.push(m.search.tryFewer);
    return [m.search.noNewsFor(clean(reply.query)), ...tips].join('\n');
  }
  const brief = reply.topicSummary.map((s) => `   ${clean(s.text)}`).join('\n');
  const top = brief ? `${head}${via}\n${brief}` : `${head}${via}`;
  const passing = reply.passingMentions > 0 ? [m.search.passingMentions(reply.passingMentions)] : [];
  return [top, ...reply.stories.map((s, i) => renderStory(s, i, o, m)), ...passing].join('\n\n');
}

/** A reply as console text, in the reply's language and zone. */
export function renderReply(reply: Reply, options: RenderOptions): string {
  const m = messages(reply.lang);
  const o: Style = { color: options.color, timeZone: reply.timeZone };
  switch (reply.kind) {
    case 'search':
      return renderSearch(reply, o, m);
    case 'digest':
      return renderDigest(reply, o, m);
    case 'digestParent': {
      const { digest } = reply;
      const day = digestDay({ digest, timeZone: o.timeZone });
      const head = m.digest.head(bold(m.digest.title, o), day, digest.stories.length, digest.articleCount);
      const titles = digest.stories.slice(0, PARENT_HEADLINES).map((s, i) => `${i + 1}. ${clean(s.title)}`);
      return [head, ...titles, m.digest.inThread].join('\n');
    }
    case 'digestStory':
      return `  ${m.digest.position(reply.number, reply.total)}\n${renderDigestStory(reply.story, reply.number, reply.topicNames, o, m)}`;
    case 'help':
      return [
        m.help.heading,
        ...reply.entries.map((e) => `  ${e.usage.padEnd(40)} ${m.help[e.code]}`),
        '',
        `${m.help.examples} ${reply.examples.join('   ')}`,
      ].join('\n');
    case 'topics': {
      const list = (topics: typeof reply.subscribed) =>
        topics.length > 0 ? topics.map((t) => `${clean(t.name)} (${t.id})`).join(', ') : m.topics.none;
      const queries = reply.queries?.length
        ? [m.topics.queries(reply.queries.map((q) => `"${clean(q)}"`).join(', '))]
        : [];
      const notifies = notificationLines(reply).map(clean);
      return [
        m.topics.subscribed(list(reply.subscribed)),
        ...queries,
        ...notifies,
        m.topics.inTheNews(list(reply.popular)),
      ].join('\n');
    }
    case 'status':
      return [bold(m.status.heading, o), ...statusLines(reply).map(clean)].join('\n');
    case 'why':
      return whyLines(reply).map(clean).join('\n');
    case 'alert': {
      const head = bold(clean(m.alert.heading(reply.topics.map((t) => t.name).join(', '))), o);
      return [head, ...reply.stories.map((s, i) => renderStory(s, i, o, m))].join('\n\n');
    }
    case 'sources':
      return sourcesLines(reply).map(clean).join('\n');
    case 'sourceAdded': {
      const lines = sourceAddedLines(reply);
      const first = reply.backlogChoices[0];
      if (first !== undefined) lines.push(m.sources.backlogHint(reply.source.id, first));
      return lines.map(clean).join('\n');
    }
    case 'notice': {
      const text = clean(renderNotice(reply.notice, reply.lang));
      return reply.tone === 'error' ? `! ${text}` : text;
    }
  }
}
