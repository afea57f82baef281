import type { Spread } from './stats.ts';

/** One line of a results table: a figure, its median (or only value), min, max, number of runs and a note. */
export interface Row {
  figure: string;
  value: string;
  min?: string;
  max?: string;
  runs?: string;
  note?: string;
}

export interface Section {
  title: string;
  rows: Row[];
}

/** Columns in a terminal: Hangul and other wide characters take two. */
function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\p{Script=Hangul}\p{Script=Han}\u3000-\u30ff\uff00-\uffef]/u.test(ch) ? 2 : 1;
  return width;
}

function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(text))) + text;
}

const SPEED_HEADER: Row = { figure: 'figure', value: 'median', min: 'min', max: 'max', runs: 'runs', note: '' };
export const VALUE_HEADER: Row = { figure: 'figure', value: 'value', note: '' };

type Column = 'figure' | 'value' | 'min' | 'max' | 'runs';
const COLUMNS: Column[] = ['figure', 'value', 'min', 'max', 'runs'];

/** Renders sections as one aligned plain-text table; columns empty in every row are left out. */
export function renderTables(sections: readonly Section[], header: Row = SPEED_HEADER): string {
  const body = sections.flatMap((s) => s.rows);
  const columns = COLUMNS.filter((c) => c === 'figure' || c === 'value' || body.some((r) => (r[c] ?? '') !== ''));
  const all = [header, ...body];
  const width = new Map(columns.map((c) => [c, Math.max(...all.map((r) => displayWidth(r[c] ?? '')))]));
  const line = (r: Row) =>
    [
      ...columns.map((c) =>
        c === 'figure' ? padEnd(r.figure, width.get(c) ?? 0) : padStart(r[c] ?? '', width.get(c) ?? 0),
      ),
      r.note ?? '',
    ]
      .join('  ')
      .trimEnd();
  const out = [line(header)];
  for (const section of sections) {
    out.push('', `## ${section.title}`);
    for (const row of section.rows) out.push(line(row));
  }
  return out.join('\n');
}

/** A number with a sensible number of digits for a table: 12345 → "12,345", 12.3456 → "12.3", 0.01234 → "0.0123". */
export function formatNumber(value: number, digits?: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const fraction = digits ?? (abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3);
  return value.toLocaleString('en-US', { minimumFractionDigits: fraction, maximumFractionDigits: fraction });
}

/** A row for a measured spread, in `unit`. */
export function spreadRow(figure: string, s: Spread, unit: string, note?: string, digits?: number): Row {
  const f = (v: number) => formatNumber(v, digits);
  const row: Row = { figure, value: `${f(s.median)} ${unit}`, min: f(s.min), max: f(s.max), runs: String(s.runs) };
  if (note) row.note = note;
  return row;
}

/** A row for a figure measured once (or derived, such as a ratio). */
export function valueRow(figure: string, value: string, note?: string): Row {
  return note ? { figure, value, note } : { figure, value };
}
