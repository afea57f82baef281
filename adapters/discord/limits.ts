import type { APIEmbed } from 'discord.js';

/** Discord's message limits, in characters (code points). */
export const LIMITS = {
  content: 2000,
  embedsPerMessage: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  /** All embeds of one message together. */
  embedsTotal: 6000,
  buttonLabel: 80,
  customId: 100,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

const ELLIPSIS = '…';

/** Length in code points, as Discord counts (a Hangul syllable or an emoji is one). */
export function length(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** `text` cut to at most `max` code points, with an ellipsis when cut; never splits a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (max <= 0) return '';
  if (text.length <= max) return text;
  const points = Array.from(text);
  if (points.length <= max) return text;
  let cut = points.slice(0, max - 1).join('');
  // an escaping backslash cut from what it escaped would escape the ellipsis instead: drop it
  if (/(^|[^\\])(\\\\)*\\$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}${ELLIPSIS}`;
}

/** The characters of an embed that count towards the 6000 a message may hold. */
export function embedLength(embed: APIEmbed): number {
  let n = length(embed.title ?? '') + length(embed.description ?? '');
  n += length(embed.footer?.text ?? '') + length(embed.author?.name ?? '');
  for (const field of embed.fields ?? []) n += length(field.name) + length(field.value);
  return n;
}

/**
 * Lines joined with `\n` while they fit in `max` code points; the first line that does not fit is truncated with
 * an ellipsis (when a useful part of it fits) and the rest are left out.
 */
export function fitLines(lines: readonly string[], max: number): string {
  const out: string[] = [];
  let used = 0;
  for (const line of lines) {
    const sep = out.length > 0 ? 1 : 0;
    const n = length(line);
    if (used + sep + n <= max) {
      out.push(line);
      used += sep + n;
      continue;
    }
    const room = max - used - sep;
    if (room >= 20 || out.length === 0) out.push(truncate(line, room));
    break;
  }
  return out.join('\n');
}

/**
 * Packs embeds into messages of at most 10 embeds and 6000 characters each, in order; the first message also
 * carries `content`. Every embed must already fit on its own (see `capEmbed`), so none is ever left out.
 */
export function packEmbeds(content: string, embeds: readonly APIEmbed[]): { content: string; embeds: APIEmbed[] }[] {
  const messages: { content: string; embeds: APIEmbed[] }[] = [
    { content: truncate(content, LIMITS.content), embeds: [] },
  ];
  let total = 0;
  for (const embed of embeds) {
    const n = embedLength(embed);
    let current = messages[messages.length - 1] as { content: string; embeds: APIEmbed[] };
    if (current.embeds.length >= LIMITS.embedsPerMessage || total + n > LIMITS.embedsTotal) {
      current = { content: '', embeds: [] };
      messages.push(current);
      total = 0;
    }
    current.embeds.push(embed);
    total += n;
  }
  return messages;
}

/** An embed within every per-embed limit, its description shortened first so the whole stays under `max`. */
export function capEmbed(embed: APIEmbed, max = 4000): APIEmbed {
  const out: APIEmbed = { ...embed };
  if (out.title !== undefined) out.title = truncate(out.title, LIMITS.title);
  if (out.footer) out.footer = { ...out.footer, text: truncate(out.footer.text, LIMITS.footer) };
  if (out.author) out.author = { ...out.author, name: truncate(out.author.name, LIMITS.author) };
  if (out.fields) {
    out.fields = out.fields
      .slice(0, LIMITS.fields)
      .map((f) => ({ ...f, name: truncate(f.name, LIMITS.fieldName), value: truncate(f.value, LIMITS.fieldValue) }));
  }
  if (out.description !== undefined) {
    const rest = embedLength({ ...out, description: '' });
    out.description = truncate(out.description, Math.min(LIMITS.description, Math.max(1, max - rest)));
  }
  return out;
}
