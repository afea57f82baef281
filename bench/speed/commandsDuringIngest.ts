/**
 * `/news` commands answered while a 10k-article ingest runs in the same process: what a Slack or Discord user
 * meets while the bot takes in a large backlog. The ingest runs on the ingest thread, as in the service
 * (`runtime/ingestThread.ts`); commands go through `Engine.handle` on the main thread, one every 50 ms, each
 * timed from when it was due (so a blocked event loop counts), and again with no ingest running.
 *
 *   node bin/run-ts.js bench/speed/commandsDuringIngest.ts --dir TMP [--articles 10000] [--seed 42] [--json]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { IngestThread } from '../../runtime/ingestThread.ts';
import { openApp } from '../../src/app.ts';
import type { EngineRequest } from '../../src/engine/request.ts';
import { parseArgs, positiveInt } from '../lib/args.ts';
import { progress } from '../lib/progress.ts';
import { type Latencies, latencies } from '../lib/stats.ts';
import { formatNumber, type Section, valueRow } from '../lib/table.ts';
import { rssFeed } from '../synthetic/feedXml.ts';
import { type SyntheticArticle, SyntheticCorpus } from '../synthetic/generate.ts';
import { QUERY_MIX } from './queries.ts';

export interface CommandsDuringIngest {
  articles: number;
  /** Articles in the archive before the timed ingest (so the first commands find something). */
  prefilled: number;
  ingestSeconds: number;
  articlesPerSecond: number;
  commands: number;
  during: Latencies & { max: number };
  idle: Latencies & { max: number };
}

const ITEMS_PER_FEED = 50;
const INTERVAL_MS = 50;
export const PREFILL = 1000;
/** Every n-th command asks for the digest (the heaviest read) instead of searching. */
const DIGEST_EVERY = 10;

export function writeFeeds(dir: string, items: readonly SyntheticArticle[]): void {
  mkdirSync(dir, { recursive: true });
  let feeds = 0;
  for (const lang of ['ko', 'en'] as const) {
    const ofLang = items.filter((item) => item.article.lang === lang);
    for (let first = 0; first < ofLang.length; first += ITEMS_PER_FEED) {
      const xml = rssFeed(
        `Synthetic ${lang} ${feeds}`,
        `https://feeds.example/${feeds}`,
        lang,
        ofLang.slice(first, first + ITEMS_PER_FEED),
      );
      writeFileSync(join(dir, `feed-${String(feeds++).padStart(4, '0')}.xml`), xml);
    }
  }
}

function summary(samples: readonly number[]): Latencies & { max: number } {
  return { ...latencies(samples), max: Math.max(...samples) };
}

/** Sends a command every `INTERVAL_MS` until `done` settles (or `count` are sent); returns each one's latency. */
async function commandLoop(
  handle: (request: EngineRequest) => Promise<unknown>,
  until: { done?: Promise<unknown>; count?: number },
): Promise<number[]> {
  let finished = false;
  void until.done?.then(() => {
    finished = true;
  });
  const samples: number[] = [];
  const base: Omit<EngineRequest, 'text'> = {
    platform: 'bench',
    workspace: 'W',
    channel: 'C',
    user: 'U',
    isManager: false,
  };
  for (let i = 0; !finished && (until.count === undefined || i < until.count); i++) {
    const due = performance.now() + INTERVAL_MS;
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
    const text = i % DIGEST_EVERY === DIGEST_EVERY - 1 ? '/news digest' : `/news ${QUERY_MIX[i % QUERY_MIX.length]}`;
    await handle({ ...base, text });
    samples.push(performance.now() - due);
  }
  return samples;
}

export async function measureCommandsDuringIngest(
  dir: string,
  articles: number,
  seed: number,
): Promise<CommandsDuringIngest> {
  const corpus = new SyntheticCorpus({ seed, size: articles + PREFILL });
  const all = [...corpus.articles()];
  writeFeeds(join(dir, 'prefill'), all.slice(0, PREFILL));
  writeFeeds(join(dir, 'backlog'), all.slice(PREFILL));
  const dbPath = join(dir, 'commands-during-ingest.db');
  const app = openApp({ dbPath, configPath: null, now: () => corpus.to });
  try {
    progress(`commands during ingest: prefilling ${PREFILL} articles`);
    await app.ingestor.ingestPaths([join(dir, 'prefill')]);
    const thread = await IngestThread.start({ dbPath, configPath: null, poll: false });
    try {
      progress(
        `commands during ingest: ingesting ${articles} articles on the ingest thread, a command every ${INTERVAL_MS} ms`,
      );
      const started = performance.now();
      const ingest = thread.ingestPaths([join(dir, 'backlog')]);
      const during = await commandLoop((r) => app.engine.handle(r), { done: ingest });
      const counts = await ingest;
      const ingestSeconds = (performance.now() - started) / 1000;
      progress(`commands during ingest: the same commands with no ingest running`);
      const idle = await commandLoop((r) => app.engine.handle(r), { count: Math.min(during.length, 200) });
      return {
        articles,
        prefilled: PREFILL,
        ingestSeconds,
        articlesPerSecond: ((counts.added ?? 0) + (counts.updated ?? 0)) / ingestSeconds,
        commands: during.length,
        during: summary(during),
        idle: summary(idle),
      };
    } finally {
      await thread.stop(30_000);
    }
  } finally {
    app.close();
  }
}

export function commandsDuringIngestSection(f: CommandsDuringIngest): Section {
  const ms = (n: number) => `${formatNumber(n)} ms`;
  const k = f.articles >= 1000 ? `${formatNumber(f.articles / 1000, 0)}k` : String(f.articles);
  return {
    title: `/news answered while ${k} articles are ingested in the same process`,
    rows: [
      valueRow(
        `/news during a ${k} ingest p50`,
        ms(f.during.p50),
        `${f.commands} commands, 1 in ${DIGEST_EVERY} a digest, timed from when due`,
      ),
      valueRow(`/news during a ${k} ingest p95`, ms(f.during.p95)),
      valueRow(`/news during a ${k} ingest p99`, ms(f.during.p99), `max ${ms(f.during.max)}; floor 250 ms`),
      valueRow('/news idle p50 / p99', `${ms(f.idle.p50)} / ${ms(f.idle.p99)}`, 'the same commands, no ingest running'),
      valueRow(
        'ingest meanwhile',
        `${formatNumber(f.articlesPerSecond, 0)} articles/s`,
        `on the ingest thread, whole pipeline; ${formatNumber(f.ingestSeconds, 1)} s, ${f.prefilled} articles stored before`,
      ),
    ],
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = parseArgs(process.argv.slice(2), ['dir', 'articles', 'seed'], ['json']);
  const dir = args.values.get('dir');
  if (!dir) throw new Error('--dir is required');
  const figure = await measureCommandsDuringIngest(
    dir,
    positiveInt(args.values.get('articles') ?? '10000', 'articles'),
    positiveInt(args.values.get('seed') ?? '42', 'seed'),
  );
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}
