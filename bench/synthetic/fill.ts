import { withParticle } from './korean.ts';
import type { Rng } from './random.ts';

/** Values for one template: a fixed value or a function called for every occurrence (fresh numbers). */
export type SlotValues = Record<string, string | (() => string)>;

type Part = string | { slot: string; particle: string | null; raw: string } | { alternatives: Part[][] };

const ALTERNATIVES = /\[([^[\]]*\|[^[\]]*)\]/g;
/** `|` between alternatives, not the one inside a `{slot|particle}`. */
const OUTSIDE_SLOT_BAR = /\|(?![^{]*\})/;
const SLOT = /\{(\w+)(?:\|([^}]+))?\}/g;

function parseSlots(text: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const m of text.matchAll(SLOT)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    parts.push({ slot: m[1] as string, particle: m[2] ?? null, raw: m[0] });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

function parseTemplate(template: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const m of template.matchAll(ALTERNATIVES)) {
    if (m.index > last) parts.push(...parseSlots(template.slice(last, m.index)));
    parts.push({ alternatives: (m[1] as string).split(OUTSIDE_SLOT_BAR).map(parseSlots) });
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push(...parseSlots(template.slice(last)));
  return parts;
}

const compiled = new Map<string, Part[]>();

function render(parts: readonly Part[], values: SlotValues, rng: Rng): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') out += part;
    else if ('alternatives' in part) out += render(rng.pick(part.alternatives), values, rng);
    else {
      const value = values[part.slot];
      if (value === undefined) {
        out += part.raw;
        continue;
      }
      const text = typeof value === 'function' ? value() : value;
      out += part.particle ? withParticle(text, part.particle) : text;
    }
  }
  return out;
}

/** Fills a template: `[a|b]` picks one alternative, `{slot}` and `{slot|particle}` insert values. */
export function fillTemplate(template: string, values: SlotValues, rng: Rng): string {
  let parts = compiled.get(template);
  if (!parts) {
    parts = parseTemplate(template);
    compiled.set(template, parts);
  }
  return render(parts, values, rng);
}
