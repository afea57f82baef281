import { describe, expect, it } from 'vitest';
import { type Block, LIMITS, packMessages, renderReply, renderSearch, section } from '../../adapters/slack/blocks.ts';
import { clip, escapeMrkdwn, link } from '../../adapters/slack/escape.ts';
import { unescapeSlackText } from '../../adapters/slack/request.ts';
import { parseNewsCommand } from '../../src/commands/command.ts';
import type { ReplyOf, ReplyStory } from '../../src/commands/reply.ts';

const story = (i: number, over: Partial<ReplyStory> = {}): ReplyStory => ({
  articleId: i,
  title: `Story ${i}`,
  url: `https://news.example/${i}`,
  source: 'Example News',
  publishedAt: '2026-11-26T01:00:00Z',
  lang: 'en',
  snippet: [{ text: 'a snippet', match: false }],
  topics: [],
  otherSources: [],
  ...over,
});

function search(stories: ReplyStory[], over: Partial<ReplyOf<'search'>> = {}): ReplyOf<'search'> {
  return {
    kind: 'search',
    query: 'samsung',
    page: 1,
    hasMore: false,
    stories,
    topicSummary: [],
    expandedTopics: [],
    suggestions: [],
    broaderQueries: [],
    passingMentions: 0,
    lang: 'en',
    timeZone: 'Asia/Seoul',
    ...over,
  };
}

describe('escaping for mrkdwn', () => {
  it('escapes & < > in that order, so entities in the text stay literal', () => {
    expect(escapeMrkdwn('<!here> &amp; <@U1>')).toBe('&lt;!here&gt; &amp;amp; &lt;@U1&gt;');
  });

  it('links only http(s) URLs, with | removed from the label and link-ending characters encoded', () => {
    expect(link('https://x.example/a?b=1&c=2|3>', 'a|b <c>')).toBe(
      '<https://x.example/a?b=1&amp;c=2%7C3%3E|a¦b &lt;c&gt;>',
    );
    expect(link('javascript:alert(1)', 'click')).toBe('click');
    expect(link(null, '<!channel>')).toBe('&lt;!channel&gt;');
  });

  it('clips without cutting an entity, a link or a surrogate pair', () => {
    expect(clip('abc &amp; def', 7)).toBe('abc…');
    expect(clip('see <https://x.example|x> now', 12)).toBe('see…');
    expect(clip('ab😀cd', 4)).toBe('ab…');
    expect(clip('short', 10)).toBe('short');
  });
});

describe('Block Kit limits', () => {
  it('keeps a huge title, snippet and topic name within the section, header and button limits', () => {
    const long = 'x'.repeat(5000);
    const reply = search([story(1, { title: long, snippet: [{ text: long, match: true }] })], {
      hasMore: true,
      expandedTopics: [{ id: 'big', name: 'T'.repeat(200) }],
    });
    const { blocks } = renderSearch(reply, { followHere: true, followMe: true });
    for (const b of blocks) {
      if (b.type === 'section') expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.section);
      if (b.type === 'actions') for (const e of b.elements) expect(e.text.text.length).toBeLessThanOrEqual(75);
    }
  });

  it('flattens newlines in titles, so a title cannot start a quote or a list', () => {
    const { blocks } = renderSearch(search([story(1, { title: 'Headline\n> quoted\n• item' })]), {
      followHere: false,
      followMe: false,
    });
    expect(JSON.stringify(blocks)).toContain('Headline &gt; quoted • item');
  });

  it('says how many sources a story has', () => {
    const s = story(1, {
      otherSources: [
        { articleId: 2, source: 'Wire A', url: null },
        { articleId: 3, source: 'Wire B', url: null },
      ],
    });
    expect(JSON.stringify(renderSearch(search([s]), { followHere: false, followMe: false }).blocks)).toContain(
      '3 sources (+2 more: Wire A, Wire B)',
    );
  });

  it('packs groups into messages of at most 50 blocks, never splitting a group that fits', () => {
    const groups: Block[][] = Array.from({ length: 40 }, (_, i) => [section(`story ${i}`), section(`more ${i}`)]);
    const messages = packMessages(groups, 'Digest');
    expect(messages.map((m) => m.blocks.length)).toEqual([50, 30]);
    expect(messages.map((m) => m.text)).toEqual(['Digest', 'Digest (2/2)']);
  });
});

describe('a mention when a watched story breaks', () => {
  it('opens an alert with exactly the user group or @here the subscription names, the article text escaped', () => {
    const alert: ReplyOf<'alert'> = {
      kind: 'alert',
      topics: [{ id: 'sk-hynix', name: 'SK hynix' }],
      stories: [story(1, { title: '<!channel> HBM4 <!subteam^S0EVIL|@all> <@U0BOSS> ships', source: '<!here> Wire' })],
      mentions: [{ kind: 'group', id: 'S0MEMORY' }, { kind: 'here' }],
      lang: 'en',
      timeZone: 'Asia/Seoul',
    };
    const [message] = renderReply(alert);
    const all = JSON.stringify(message);
    expect(message?.text.startsWith('<!subteam^S0MEMORY> <!here> ')).toBe(true);
    // the only unescaped control sequences are the two the subscription names, once in the text and once in blocks
    const controls = all.match(/<[!@#][^>]*>/g) ?? [];
    expect(controls.sort()).toEqual(['<!here>', '<!here>', '<!subteam^S0MEMORY>', '<!subteam^S0MEMORY>']);
    expect(all).toContain('&lt;!channel&gt;');
    expect(all).toContain('&lt;!subteam^S0EVIL¦@all&gt;');
  });

  it('reads a user group as Slack escapes it into the command text, and undoes the escaping of links', () => {
    expect(unescapeSlackText('subscribe hbm notify:<!subteam^S0MEMORY|@memory-team>')).toBe(
      'subscribe hbm notify:<!subteam^S0MEMORY|@memory-team>',
    );
    expect(unescapeSlackText('why <https://news.example/a?b=1&amp;c=2>')).toBe('why https://news.example/a?b=1&c=2');
    expect(unescapeSlackText('sources add <https://blog.example/feed|blog.example/feed>')).toBe(
      'sources add https://blog.example/feed',
    );
    expect(unescapeSlackText('<@U0BOSS|boss> &lt;b&gt; <#C0NEWS|news>')).toBe('@boss <b> #news');
    expect(parseNewsCommand(unescapeSlackText('subscribe hbm notify:<!subteam^S0MEMORY|@memory-team>'))).toEqual({
      kind: 'subscribe',
      topic: 'hbm',
      notify: { kind: 'group', id: 'S0MEMORY' },
    });
    expect(parseNewsCommand('subscribe hbm notify:@here')).toEqual({
      kind: 'subscribe',
      topic: 'hbm',
      notify: { kind: 'here' },
    });
    expect(parseNewsCommand('subscribe hbm notify:@memory-team')).toMatchObject({ notice: { code: 'usageNotify' } });
  });
});
