/**
 * Untrusted text (titles, sources, snippets, queries) made inert for Slack's mrkdwn: `&`, `<` and `>` escaped, so
 * `<!channel>`, `<@U123>` and `<http://x|y>` in an article show as typed and notify or link nobody.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Control and bidi-override characters removed, whitespace runs (newlines too) as one space. */
export function oneLine(text: string): string {
  return text.replace(CONTROL, '').replace(/\s+/g, ' ').trim();
}

/** `&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;`, in that order. */
export function escapeMrkdwn(text: string): string {
  return text.replace(CONTROL, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escaped untrusted text on one line, at most `max` characters before escaping. */
export function inert(text: string, max = 300): string {
  return escapeMrkdwn(clip(oneLine(text), max));
}

/**
 * A mrkdwn link `<url|label>` for an http(s) URL (the label escaped and without `|`, the URL with the characters
 * that would end the link encoded); the escaped label alone for any other URL.
 */
export function link(url: string | null, label: string, max = 300): string {
  const text = inert(label.replace(/\|/g, '¦'), max);
  const safe = safeUrl(url);
  return safe ? `<${safe}|${text}>` : text;
}

export function safeUrl(url: string | null): string | null {
  if (!url || !/^https?:\/\//i.test(url) || url.length > 2000) return null;
  try {
    new URL(url);
  } catch {
    return null;
  }
  return url
    .replace(CONTROL, '')
    .replace(/\s/g, '%20')
    .replace(/&/g, '&amp;')
    .replace(/</g, '%3C')
    .replace(/>/g, '%3E')
    .replace(/\|/g, '%7C');
}

/** `*text*` in mrkdwn: the markers hug the words (spaces stay outside), a text with `*` stays plain. */
export function bold(escaped: string): string {
  const m = /^(\s*)(.*?)(\s*)$/s.exec(escaped);
  if (!m?.[2] || m[2].includes('*')) return escaped;
  return `${m[1]}*${m[2]}*${m[3]}`;
}

/**
 * At most `max` characters (UTF-16 units, as Slack counts), ending in `…` when cut. The cut never splits a
 * surrogate pair, an entity such as `&amp;` or a `<…>` link, so a clipped text stays inert and well formed.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  let cut = text.slice(0, end);
  const amp = cut.lastIndexOf('&');
  if (amp >= 0 && !cut.slice(amp).includes(';')) cut = cut.slice(0, amp);
  const open = cut.lastIndexOf('<');
  if (open >= 0 && open > cut.lastIndexOf('>')) cut = cut.slice(0, open);
  return `${cut.trimEnd()}…`;
}
