/**
 * Summary quality on sci-news-sum-kr-50 (`summaries-ko/`): ROUGE-1/2/L F1 of newsbrief's `summarizeArticle`
 * (three sentences, the same budget as the baseline) and of Lead-3 (the first three sentences), both against
 * the sentences the annotators chose, scored by the same code (`src/summarize/rouge.ts`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { summarizeArticle } from '../../src/summarize/extractive.ts';
import { rouge } from '../../src/summarize/rouge.ts';

export interface RougeF1 {
  rouge1: number;
  rouge2: number;
  rougeL: number;
}

export interface SummaryQuality {
  articles: number;
  ours: RougeF1;
  lead3: RougeF1;
}

interface SummaryCase {
  title: string;
  sentences: string[];
  summaries: number[];
}

/** The data files keep lists as Python reprs (`"['a', 'b']"`, `"[0, 1]"`); read either form. */
function pythonList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string') throw new Error('not a list');
  const text = value.trim();
  try {
    return JSON.parse(text) as unknown[];
  } catch {
    // Python string literals: single- or double-quoted, with backslash escapes.
    const items: string[] = [];
    for (const m of text.matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/gs)) {
      const raw = m[1] ?? m[2] ?? '';
      items.push(raw.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t' })[c] ?? c));
    }
    return items;
  }
}

export function readSummaryCase(path: string): SummaryCase {
  const data = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const sentences = pythonList(data.sentences).map(String);
  const summaries = pythonList(data.summaries).map(Number);
  if (sentences.length === 0 || summaries.some((i) => !Number.isInteger(i) || i < 0 || i >= sentences.length)) {
    throw new Error(`${path}: sentences or summary indices are malformed`);
  }
  return { title: String(data.title ?? ''), sentences, summaries };
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

export function measureSummaryQuality(dataDir: string): SummaryQuality {
  const files = readdirSync(dataDir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const ours: RougeF1[] = [];
  const lead3: RougeF1[] = [];
  for (const file of files) {
    const c = readSummaryCase(join(dataDir, file));
    const reference = c.summaries.map((i) => c.sentences[i] as string);
    const summary = summarizeArticle({ title: c.title, paragraphs: c.sentences, lang: 'ko' }, { sentences: 3 });
    const score = (candidate: string[]) => {
      const r = rouge(candidate, reference);
      return { rouge1: r.rouge1.f1, rouge2: r.rouge2.f1, rougeL: r.rougeL.f1 };
    };
    ours.push(score(summary));
    lead3.push(score(c.sentences.slice(0, 3)));
  }
  const average = (scores: RougeF1[]): RougeF1 => ({
    rouge1: mean(scores.map((s) => s.rouge1)),
    rouge2: mean(scores.map((s) => s.rouge2)),
    rougeL: mean(scores.map((s) => s.rougeL)),
  });
  return { articles: files.length, ours: average(ours), lead3: average(lead3) };
}
