/**
 * Article bodies that only scripts carry: Next.js App Router pages stream their React tree in
 * `self.__next_f.push([1, "…"])` payloads (the RSC "flight" rows), and other sites hydrate from a
 * `window.__INITIAL_STATE__ = {…}` blob or a `<script type="application/json">`. Every walk is bounded.
 */

import type { DomDocument } from './dom.ts';
import { longestBodyString, parseLooseJson } from './jsonLd.ts';

const PUSH = 'self.__next_f.push(';
/** Nodes rendered from one flight payload at most, and nesting followed. */
const MAX_NODES = 200_000;
const MAX_DEPTH = 200;
const SKIP_TAGS = new Set(['script', 'style', 'noscript', 'template', 'svg', 'link', 'meta', 'head', 'title']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The concatenated flight data of a page's `self.__next_f.push([1, "…"])` calls, or null. */
export function readFlightData(document: DomDocument): string | null {
  const scripts = document.querySelectorAll('script');
  const chunks: string[] = [];
  for (let i = 0; i < scripts.length; i++) {
    const code = scripts[i]?.textContent ?? '';
    if (!code.includes(PUSH)) continue;
    for (const part of code.split(PUSH).slice(1)) {
      const args = part.replace(/\)\s*;?\s*$/, '');
      try {
        const value = JSON.parse(args) as unknown;
        if (Array.isArray(value) && value[0] === 1 && typeof value[1] === 'string') chunks.push(value[1]);
      } catch {
        // a push of something other than a JSON array: not flight data
      }
    }
  }
  return chunks.length ? chunks.join('') : null;
}

interface FlightRows {
  json: Json[];
  text: Map<string, string>;
}

function utf8Length(code: number): number {
  return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
}

/** Splits flight data into rows: `id:JSON\n`, and text rows `id:T<hex byte length>,<text>` with no newline. */
export function parseFlightRows(flight: string): FlightRows {
  const rows: FlightRows = { json: [], text: new Map() };
  let i = 0;
  while (i < flight.length) {
    const colon = flight.indexOf(':', i);
    if (colon === -1) break;
    const id = flight.slice(i, colon);
    if (!/^[0-9a-f]{1,8}$/i.test(id)) {
      const nl = flight.indexOf('\n', i);
      if (nl === -1) break;
      i = nl + 1;
      continue;
    }
    if (flight[colon + 1] === 'T') {
      const comma = flight.indexOf(',', colon);
      const bytes = Number.parseInt(flight.slice(colon + 2, comma), 16);
      if (comma === -1 || !Number.isFinite(bytes)) break;
      let j = comma + 1;
      for (let counted = 0; j < flight.length && counted < bytes; ) {
        const code = flight.codePointAt(j) ?? 0;
        counted += utf8Length(code);
        j += code > 0xffff ? 2 : 1;
      }
      rows.text.set(id, flight.slice(comma + 1, j));
      i = j;
      continue;
    }
    const nl = flight.indexOf('\n', colon);
    const end = nl === -1 ? flight.length : nl;
    const payload = flight.slice(colon + 1, end);
    if (/^[[{"]/.test(payload)) {
      try {
        rows.json.push(JSON.parse(payload) as Json);
      } catch {
        // a row we cannot read
      }
    }
    i = end + 1;
  }
  return rows;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The page's React tree as HTML: `["$","p",null,{"children":…}]` elements with their class and id (Readability
 * scores them), `dangerouslySetInnerHTML` and `$<id>` references to text rows inlined. Rows are rendered in order;
 * lazy references (`$L2`) are skipped, since the row they name is rendered itself.
 */
export function flightToHtml(flight: string): string {
  const rows = parseFlightRows(flight);
  let visited = 0;
  const ref = (value: string): string | null => {
    const m = /^\$([0-9a-f]{1,8})$/i.exec(value);
    return m ? (rows.text.get(m[1] as string) ?? null) : null;
  };
  const render = (node: Json | undefined, depth: number): string => {
    if (++visited > MAX_NODES || depth > MAX_DEPTH || node === null || node === undefined) return '';
    if (typeof node === 'string') {
      if (node.startsWith('$$')) return escapeHtml(node.slice(1));
      if (node.startsWith('$')) {
        const text = ref(node);
        return text === null ? '' : escapeHtml(text);
      }
      return escapeHtml(node);
    }
    if (typeof node === 'number') return String(node);
    if (!Array.isArray(node)) return '';
    if (node[0] === '$' && typeof node[1] === 'string') {
      const tag = node[1];
      const props = node[3];
      const p = props && typeof props === 'object' && !Array.isArray(props) ? props : {};
      if (tag.startsWith('$')) return render(p.children, depth + 1);
      if (!/^[a-z][a-z0-9-]*$/.test(tag) || SKIP_TAGS.has(tag)) return '';
      const inner = p.dangerouslySetInnerHTML;
      let content: string;
      if (inner && typeof inner === 'object' && !Array.isArray(inner) && typeof inner.__html === 'string') {
        content = ref(inner.__html) ?? inner.__html;
      } else content = render(p.children, depth + 1);
      const attrs = [
        typeof p.className === 'string' ? ` class="${escapeHtml(p.className)}"` : '',
        typeof p.id === 'string' ? ` id="${escapeHtml(p.id)}"` : '',
      ].join('');
      return `<${tag}${attrs}>${content}</${tag}>`;
    }
    return node.map((child) => render(child, depth + 1)).join('');
  };
  return rows.json.map((row) => render(row, 0)).join('\n');
}

/** The longest body-like string in the flight rows' JSON (`"content": "…"` props), or null. */
export function flightBodyString(flight: string): string | null {
  let best: string | null = null;
  for (const row of parseFlightRows(flight).json) {
    const found = longestBodyString(row);
    if (found && found.length > (best?.length ?? 0)) best = found;
  }
  return best;
}

const HYDRATION = /^\s*(?:window|self|globalThis)\.(__[A-Z][A-Z0-9_]*__)\s*=\s*/;

/**
 * The longest body-like string in a hydration blob: `window.__INITIAL_STATE__ = {…};` (also
 * `__PRELOADED_STATE__`, `__APOLLO_STATE__` …) or `<script type="application/json">` other than `__NEXT_DATA__`.
 */
export function readHydrationBody(document: DomDocument): string | null {
  let best: string | null = null;
  const consider = (json: string) => {
    const found = longestBodyString(parseLooseJson(json));
    if (found && found.length > (best?.length ?? 0)) best = found;
  };
  const scripts = document.querySelectorAll('script');
  for (let i = 0; i < scripts.length; i++) {
    const script = scripts[i];
    if (!script) continue;
    const type = script.getAttribute('type')?.toLowerCase() ?? '';
    const code = script.textContent ?? '';
    if (type === 'application/json' && script.getAttribute('id') !== '__NEXT_DATA__') consider(code);
    else if (!type || type.includes('javascript')) {
      const m = HYDRATION.exec(code);
      if (m) consider(code.slice(m[0].length).replace(/;\s*$/, ''));
    }
  }
  return best;
}
