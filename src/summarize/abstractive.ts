/**
 * Optional abstractive summaries through any OpenAI-compatible chat-completions endpoint (OpenAI, a local
 * llama.cpp or vLLM server, …). Never required: every failure (timeout, HTTP error, malformed or ungrounded
 * answer) gives null, and the caller keeps the extractive summary.
 */
import { splitSentences } from '../text/sentences.ts';

export interface LlmSettings {
  /** e.g. `https://api.openai.com/v1` or `http://127.0.0.1:8080/v1`; `/chat/completions` is appended. */
  baseUrl: string;
  model: string;
  /** Sent as a bearer token; null for local servers without one. */
  apiKey: string | null;
  /** Per request, including reading the answer. */
  timeoutMs: number;
  /** Requests in flight at once. */
  concurrency: number;
}

export interface SummaryRequest {
  /** A story's summary, a topic's over several stories, or a story's headline translated into `lang`. */
  kind: 'story' | 'topic' | 'headline';
  lang: 'ko' | 'en';
  /** The story's title or the topic's name. */
  title: string;
  /** The extracted text the summary must rest on: sentences chosen extractively and the sources' ledes. */
  sources: { title: string; text: string }[];
  /** Sentences wanted (2 or 3). */
  sentences: number;
}

export interface AbstractiveSummarizer {
  readonly model: string;
  /** The summary's sentences, or null when the endpoint failed or its answer cannot be trusted. */
  summarize(request: SummaryRequest): Promise<string[] | null>;
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Source text sent per request: enough for a few ledes, bounded so a request stays cheap and fast. */
const MAX_INPUT_CHARS = 6000;
const MAX_RESPONSE_BYTES = 64 * 1024;
const MAX_SENTENCE_CHARS = 400;

const LANGUAGE_NAMES = { ko: 'Korean', en: 'English' };

function instructions(request: SummaryRequest): string {
  if (request.kind === 'headline') {
    return [
      `Translate the news headline given as Title into plain ${LANGUAGE_NAMES[request.lang]}, as one headline.`,
      'Keep every name and number. Add nothing that the headline and the source text below do not say.',
      'Write only the translated headline: no preamble, no quotation marks around the answer.',
    ].join(' ');
  }
  const what =
    request.kind === 'story'
      ? 'one news story, reported by the sources below'
      : 'the news stories below, which share a topic: say what they add up to';
  return [
    `Summarize ${what} in ${request.sentences} sentences of plain ${LANGUAGE_NAMES[request.lang]}.`,
    'Use only facts stated in the source text. Do not add facts, numbers, names, opinions or speculation.',
    'Write only the sentences: no headline, no list, no preamble, no quotation marks around the answer.',
  ].join(' ');
}

function material(request: SummaryRequest): string {
  const parts = [`Title: ${request.title}`];
  let length = parts[0]?.length ?? 0;
  for (const [i, source] of request.sources.entries()) {
    const block = `\n\nSource ${i + 1}: ${source.title}\n${source.text}`;
    if (length + block.length > MAX_INPUT_CHARS) {
      parts.push(block.slice(0, Math.max(0, MAX_INPUT_CHARS - length)));
      break;
    }
    parts.push(block);
    length += block.length;
  }
  return parts.join('');
}

/** Numbers as written (`10.8`, `2,000`, `40`), for the grounding check. */
function numbersIn(text: string): Set<string> {
  return new Set((text.match(/\d+(?:[.,]\d+)*/g) ?? []).map((n) => n.replace(/,/g, '')));
}

/**
 * The answer's sentences when it can be used: plain sentences in the asked language, none too long, and every
 * number it states present in the source text (a made-up figure is the commonest unfaithful summary).
 */
export function acceptAnswer(answer: string, request: SummaryRequest): string[] | null {
  const text = answer
    .replace(/^```[a-z]*\s*|```\s*$/gi, '')
    .split('\n')
    .map((line) => line.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '').trim())
    .filter(Boolean)
    .join(' ')
    .trim();
  if (!text) return null;
  const sentences = splitSentences(text);
  if (sentences.length === 0 || sentences.length > request.sentences + 1) return null;
  if (sentences.some((s) => s.length > MAX_SENTENCE_CHARS)) return null;
  const hangul = (text.match(/\p{Script=Hangul}/gu) ?? []).length;
  const latin = (text.match(/\p{Script=Latin}/gu) ?? []).length;
  if (request.lang === 'ko' ? hangul < latin : hangul > latin / 10) return null;
  const known = numbersIn([request.title, ...request.sources.flatMap((s) => [s.title, s.text])].join('\n'));
  for (const number of numbersIn(text)) if (!known.has(number)) return null;
  return sentences;
}

/** Runs at most `limit` tasks at once. */
function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

async function readLimited(response: Response): Promise<string | null> {
  const reader = response.body?.getReader();
  if (!reader) return null;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A summarizer over an OpenAI-compatible endpoint; `fetchImpl` is for tests that count or block calls. */
export function createLlmSummarizer(settings: LlmSettings, fetchImpl: FetchLike = fetch): AbstractiveSummarizer {
  const run = limiter(Math.max(1, settings.concurrency));
  const url = `${settings.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (settings.apiKey) headers.authorization = `Bearer ${settings.apiKey}`;

  const request = async (summary: SummaryRequest): Promise<string[] | null> => {
    const signal = AbortSignal.timeout(settings.timeoutMs);
    try {
      const response = await fetchImpl(url, {
        method: 'POST',
        headers,
        signal,
        body: JSON.stringify({
          model: settings.model,
          temperature: 0.2,
          max_tokens: 400,
          messages: [
            { role: 'system', content: instructions(summary) },
            { role: 'user', content: material(summary) },
          ],
        }),
      });
      if (!response.ok) {
        await response.body?.cancel();
        return null;
      }
      const body = await readLimited(response);
      if (body === null) return null;
      const data = JSON.parse(body) as { choices?: { message?: { content?: unknown } }[] };
      const content = data.choices?.[0]?.message?.content;
      return typeof content === 'string' ? acceptAnswer(content, summary) : null;
    } catch {
      return null;
    }
  };

  return { model: settings.model, summarize: (summary) => run(() => request(summary)) };
}
