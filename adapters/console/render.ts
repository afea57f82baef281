import type { Reply, ReplyStory } from '../../src/commands/reply.ts';
import type { DigestStory } from '../../src/digest/digest.ts';
import type { TextSegment } from '../../src/search/snippet.ts';
import { formatLocalTime } from '../../src/text/formatTime.ts';

export interface RenderOptions {
  timeZone: string;
  /** ANSI bold for matched terms and titles (only when writing to a terminal). */
  color: boolean;
}

const BOLD = '\u001b[1m';
const RESET = '\u001b[0m';

/** Removes terminal control sequences and other control characters from untrusted article text. */
function clean(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

function bold(text: string, o: RenderOptions): string {
  return o.color ? `${BOLD}${text}${RESET}` : text;
}

function segments(parts: readonly TextSegment[], o: RenderOptions): string {
  return parts
    .map((p) => (p.match ? (o.color ? bold(clean(p.text), o) : `*${clean(p.text)}*`) : clean(p.text)))
    .join('');
}

function meta(source: string | null, publishedAt: string | null, o: RenderOptions): string {
  return [source ? clean(source) : null, formatLocalTime(publishedAt, o.timeZone) || null].filter(Boolean).join(' · ');
}

function renderStory(story: ReplyStory, index: number, o: RenderOptions): string {
  const lines = [`${index + 1}. ${bold(clean(story.title), o)}`];
  let line = `   ${meta(story.source, story.publishedAt, o)}`;
  if (story.otherSources.length > 0) {
    const others = [...new Set(story.otherSources.map((s) => clean(s.source ?? s.url ?? '')))].join(', ');
    line += `  (+${story.otherSources.length} more: ${others})`;
  }
  lines.push(line);
  if (story.snippet.length > 0) lines.push(`   ${segments(story.snippet, o)}`);
  if (story.url) lines.push(`   ${story.url}`);
  return lines.join('\n');
}

const DIGEST_WORDS = {
  ko: {
    nothing: '이 기간에 새 소식이 없습니다.',
    more: '그 밖의 뉴스',
    update: '업데이트',
    sources: '개 매체',
    copy: '전재',
    earlier: (n: number) => `이전 보도 ${n}건`,
  },
  en: {
    nothing: 'Nothing new in this window.',
    more: 'More news',
    update: 'update',
    sources: ' sources',
    copy: 'copy',
    earlier: (n: number) => `${n} earlier`,
  },
};

function renderDigestStory(
  story: DigestStory,
  number: number,
  names: Record<string, string>,
  o: RenderOptions,
  words: typeof DIGEST_WORDS.en,
): string {
  const topics = story.topics
    .slice(0, 4)
    .map((id) => names[id] ?? id)
    .join(', ');
  const marks = [
    story.status === 'update' ? words.update : null,
    story.sources > 1 ? `${story.sources}${words.sources}` : null,
    story.otherArticles > 0 ? words.earlier(story.otherArticles) : null,
  ]
    .filter(Boolean)
    .join(' · ');
  const lines = [
    `${number}. ${bold(clean(story.title), o)}${topics ? `  [${topics}]` : ''}${marks ? `  (${marks})` : ''}`,
  ];
  for (const sentence of story.summary) lines.push(`   ${clean(sentence)}`);
  for (const a of story.articles) {
    const copy = a.copyOf !== null ? ` (${words.copy})` : '';
    lines.push(`   - ${meta(a.source, a.publishedAt, o)}${copy}${a.url ? `  ${a.url}` : ''}`);
  }
  return lines.join('\n');
}

/** The digest by section: each topic's heading and summary, then its stories, numbered across sections. */
function renderDigest(reply: Extract<Reply, { kind: 'digest' }>, o: RenderOptions): string {
  const { digest } = reply;
  const words = DIGEST_WORDS[digest.lang === 'en' ? 'en' : 'ko'];
  const day = formatLocalTime(digest.window.to, o.timeZone).slice(0, 10);
  // The head line is the same in both languages: scripts and tests read it.
  const head = `${bold(reply.title, o)} · ${day} · ${digest.stories.length} stories from ${digest.articleCount} articles`;
  if (digest.stories.length === 0) return `${head}\n${words.nothing}`;
  const byKey = new Map(digest.stories.map((s) => [s.key, s]));
  const blocks: string[] = [head];
  let number = 0;
  const sections =
    digest.sections.length > 0
      ? digest.sections
      : [{ topic: null, summary: [], stories: digest.stories.map((s) => s.key) }];
  for (const section of sections) {
    const heading = section.topic === null ? words.more : (reply.topicNames[section.topic] ?? section.topic);
    const lines = [`■ ${bold(clean(heading), o)}`];
    for (const sentence of section.summary) lines.push(`  ${clean(sentence)}`);
    blocks.push(lines.join('\n'));
    for (const key of section.stories) {
      const story = byKey.get(key);
      if (story) blocks.push(renderDigestStory(story, ++number, reply.topicNames, o, words));
    }
  }
  return blocks.join('\n\n');
}

export function renderReply(reply: Reply, o: RenderOptions): string {
  switch (reply.kind) {
    case 'search': {
      const head = `Results for "${clean(reply.query)}"`;
      const via =
        reply.expandedTopics.length > 0
          ? ` (also searched as: ${reply.expandedTopics.map((t) => t.name).join(', ')})`
          : '';
      if (reply.stories.length === 0) {
        const tips: string[] = [];
        if (reply.broaderQueries.length > 0) {
          tips.push(`These find news: ${reply.broaderQueries.map((q) => `/news ${clean(q)}`).join('   ')}`);
        }
        if (reply.suggestions.length > 0)
          tips.push(`Close topics: ${reply.suggestions.map((t) => t.name).join(', ')}.`);
        if (tips.length === 0) tips.push('Try fewer words, another spelling, or a longer window such as 30d.');
        return [`No news found for "${clean(reply.query)}".`, ...tips].join('\n');
      }
      const brief = reply.topicSummary.map((s) => `   ${clean(s.text)}`).join('\n');
      const top = brief ? `${head}${via}\n${brief}` : `${head}${via}`;
      const passing =
        reply.passingMentions > 0
          ? [
              `${reply.passingMentions} more ${reply.passingMentions === 1 ? 'story mentions' : 'stories mention'} it only in passing (put words in "quotes" to see every mention).`,
            ]
          : [];
      return [top, ...reply.stories.map((s, i) => renderStory(s, i, o)), ...passing].join('\n\n');
    }
    case 'digest':
      return renderDigest(reply, o);
    case 'help':
      return [
        'newsbrief commands:',
        ...reply.entries.map((e) => `  ${e.usage.padEnd(40)} ${e.description}`),
        '',
        `Examples: ${reply.examples.join('   ')}`,
      ].join('\n');
    case 'topics': {
      const subscribed =
        reply.subscribed.length > 0 ? reply.subscribed.map((t) => `${t.name} (${t.id})`).join(', ') : 'none yet';
      const popular = reply.popular.map((t) => `${t.name} (${t.id})`).join(', ');
      return `Subscribed: ${subscribed}\nTopics in the news: ${popular || 'none yet'}`;
    }
    case 'notice':
      return reply.tone === 'error' ? `! ${reply.text}` : reply.text;
  }
}
