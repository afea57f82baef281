/**
 * Hostile text for the mention and markup tests: every way an article, a feed or a topic name could try to
 * ping people or format a message, and the checks that none of it is live in what a platform is sent.
 */
import fc from 'fast-check';

/** Fragments Discord would act on if sent as typed. "evil" marks them, so the checks can tell them from ours. */
export const DISCORD_LIVE = [
  '@everyone',
  '@here',
  '<@&123456789012345678>',
  '<@123456789012345678>',
  '<@!123456789012345678>',
  '<#123456789012345678>',
  '</evil:123456789012345678>',
  '<t:1796170527:R>',
  '[evillink](https://evil.example/x)',
  '[evillink](<https://evil.example/x>)',
  '**evilbold**',
  '__evilunder__',
  '||evilspoiler||',
  '`evilcode`',
  '~~evilstrike~~',
] as const;

/** Fragments Slack would act on (mentions, broadcasts, links). */
export const SLACK_LIVE = ['<!channel>', '<!here>', '<!everyone>', '<!subteam^S123>', '<@U123>', '<#C123>'] as const;

/** Markup that takes effect at the start of a line. */
export const LINE_START = [
  '# evilhead',
  '## evilhead',
  '### evilhead',
  '-# evilsub',
  '- evillist',
  '* evillist',
  '1. evilnum',
  '> evilquote',
  '>>> evilquote',
];

/** Look-alikes that must stay as they are (never normalised into the live form). */
export const LOOK_ALIKES = [
  '@\u200beveryone',
  '@\u200deveryone',
  'e\u200dv\u200di\u200dl',
  '＠everyone',
  '＠here',
  '@\u2060here',
  '＜@&123456789012345678＞',
  '\\',
  '\\\\',
  '\\<@&123456789012345678>',
  '\\[evillink](https://evil.example/x)',
  '&lt;!channel&gt;',
  '&amp;',
  '<',
  '>',
  '|',
  '\u202eevil',
];

const SEPARATORS = [' ', '\n', '\r\n', '\u2028', '\u2029', '\t', '\u200b', '', '\u0000', '\u001b[2J', '\u0085'];

/** Titles, snippets, summaries and names made of the fragments above, random text and separators. */
export const hostileText: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...DISCORD_LIVE, ...SLACK_LIVE, ...LINE_START) },
      { weight: 2, arbitrary: fc.constantFrom(...LOOK_ALIKES) },
      { weight: 2, arbitrary: fc.constantFrom(...SEPARATORS) },
      { weight: 1, arbitrary: fc.string({ maxLength: 6, unit: 'grapheme' }) },
    ),
    { minLength: 1, maxLength: 8 },
  )
  .map((parts) => parts.join(''));

/** URLs an article could carry. */
export const hostileUrl: fc.Arbitrary<string | null> = fc.constantFrom(
  null,
  'https://ok.example/a',
  'https://evil.example/<!channel>|x',
  'https://evil.example/a?b=<@U123>&c=>',
  'javascript:alert(1)',
  'https://evil.example/) [x](https://evil.example',
  'https://evil.example/a b',
);

/** True when the character at `i` is escaped by an odd number of backslashes before it. */
function escaped(text: string, i: number): boolean {
  let n = 0;
  for (let j = i - 1; j >= 0 && text[j] === '\\'; j--) n++;
  return n % 2 === 1;
}

/** Inside a bare URL, which Discord links whole: markup there is part of the link (discord.js leaves it). */
function inUrl(text: string, i: number): boolean {
  return /https?:\/\/\S*$/.test(text.slice(0, i));
}

/** Every place `needle` occurs in `text` with its first character not escaped. */
function unescapedAt(text: string, needle: string): number[] {
  const at: number[] = [];
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
    if (!escaped(text, i) && !inUrl(text, i)) at.push(i);
  }
  return at;
}

/** What is live in one Discord text field (content, embed title, description, field, footer): an empty list is inert. */
export function liveDiscordMarkup(text: string): string[] {
  const live: string[] = [];
  for (const fragment of DISCORD_LIVE) if (unescapedAt(text, fragment).length > 0) live.push(fragment);
  // a mention of any id (the masked links are the fragments: the bot links titles and sources itself)
  for (const m of text.matchAll(/<(@[!&]?|#|\/[^:>]*:|t:)\d+/g)) {
    if (!escaped(text, m.index) && !inUrl(text, m.index)) live.push(m[0]);
  }
  for (const line of text.split('\n')) {
    // Discord takes a little indentation before line markup (as discord.js' escapeMarkdown assumes), spaces only
    if (/^ *(#{1,3} |-# |[-*+] |\d+\. |>{1,3} ?) *evil/.test(line)) live.push(`line: ${line}`);
  }
  return live;
}

/** Slack: any `<!…>`, `<@…>` or `<#…>` in mrkdwn or the fallback text is live. */
export function liveSlackMarkup(text: string): string[] {
  return [...text.matchAll(/<[!@#][^>]*>?/g)].map((m) => m[0]);
}

/** Terminal control: ESC, other C0 and C1 characters (newline and tab aside). */
export function liveConsoleControl(text: string): string[] {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
  return [...text.matchAll(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g)].map((m) => JSON.stringify(m[0]));
}

/** Every text Discord formats: content, embed title, description, fields, author, footer (and the URLs). */
export function discordTexts(message: {
  content?: string;
  embeds?: { title?: string; description?: string; fields?: { name: string; value: string }[] }[];
}): string[] {
  return [
    message.content ?? '',
    ...(message.embeds ?? []).flatMap((e) => [
      e.title ?? '',
      e.description ?? '',
      ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
    ]),
  ];
}

export function discordUrls(message: { embeds?: { url?: string }[] }): string[] {
  return (message.embeds ?? []).flatMap((e) => (e.url === undefined ? [] : [e.url]));
}

/** Every mrkdwn text of a message, and its fallback text (plain_text fields are never parsed for mentions). */
export function slackTexts(message: { text?: string; blocks?: unknown[] }): string[] {
  const out: string[] = [message.text ?? ''];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
      for (const value of Object.values(o)) walk(value);
    }
  };
  walk(message.blocks ?? []);
  return out;
}
