/**
 * Feed parsing throughput: newsbrief's `parseFeed` (charset detection, repair of broken XML, format adapters,
 * date normalisation) against feedsmith's `parseFeed` used bare on the same feeds (given the bytes decoded
 * as UTF-8, which is all a bare call can do). Only feeds both parse are timed, so both count the same items.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseFeed as parseFeedsmith } from 'feedsmith';
import { parseFeed } from '../../src/feeds/index.ts';
import { SAMPLE_NEWS_PATH } from '../../src/paths.ts';
import { corpusPart } from '../lib/corpora.ts';
import { progress } from '../lib/progress.ts';
import { mapSpread, type Spread, spread } from '../lib/stats.ts';
import { timeRuns } from '../lib/timing.ts';

export interface FeedInput {
  name: string;
  bytes: Uint8Array;
}

export interface FeedThroughput {
  feeds: number;
  /** Feeds left out because one of the parsers threw. */
  skipped: number;
  itemsOurs: number;
  itemsFeedsmith: number;
  ours: { itemsPerSecond: Spread };
  feedsmith: { itemsPerSecond: Spread };
  ratio: number;
  sources: string[];
}

const FEED_FILE = /\.(xml|rss|atom|rdf|json)$/i;

function filesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => FEED_FILE.test(f) && statSync(join(dir, f)).isFile())
    .sort()
    .map((f) => join(dir, f));
}

/** The sample feeds, plus the rss-parser and euc-kr corpus feeds when present. */
export function loadBenchFeeds(): { feeds: FeedInput[]; sources: string[] } {
  const dirs: [string, string | null][] = [
    ['sample', join(SAMPLE_NEWS_PATH, 'feeds')],
    ['rss-parser', corpusPart('feeds', 'rss-parser', 'test', 'input')],
    ['euc-kr', corpusPart('feeds', 'euc-kr', 'tests', 'EUC-KR')],
    ['cp949', corpusPart('feeds', 'euc-kr', 'tests', 'CP949')],
  ];
  const feeds: FeedInput[] = [];
  const sources: string[] = [];
  for (const [name, dir] of dirs) {
    if (!dir) continue;
    const files = filesIn(dir).filter((f) => !f.endsWith('.json') || name === 'sample');
    for (const file of files) feeds.push({ name: `${name}/${file.slice(dir.length + 1)}`, bytes: readFileSync(file) });
    sources.push(`${name} (${files.length})`);
  }
  return { feeds, sources };
}

function feedsmithItems(text: string): number {
  const parsed = parseFeedsmith(text);
  const feed = parsed.feed as { items?: unknown[]; entries?: unknown[] };
  return (feed.items ?? feed.entries ?? []).length;
}

export function measureFeedParsing(input: { feeds: FeedInput[]; sources: string[] }, runs: number): FeedThroughput {
  const decoder = new TextDecoder();
  const both = input.feeds
    .map((feed) => ({ ...feed, text: decoder.decode(feed.bytes) }))
    .filter((feed) => {
      try {
        parseFeed(feed.bytes);
        feedsmithItems(feed.text);
        return true;
      } catch {
        return false;
      }
    });
  const itemsOurs = both.reduce((total, f) => total + parseFeed(f.bytes).items.length, 0);
  const itemsFeedsmith = both.reduce((total, f) => total + feedsmithItems(f.text), 0);
  const oursMs = spread(
    timeRuns(runs, () => {
      for (const f of both) parseFeed(f.bytes);
    }),
  );
  const theirsMs = spread(
    timeRuns(runs, () => {
      for (const f of both) feedsmithItems(f.text);
    }),
  );
  progress(
    `  ${both.length} feeds: newsbrief ${oursMs.median.toFixed(1)} ms, feedsmith ${theirsMs.median.toFixed(1)} ms`,
  );
  const ours = mapSpread(oursMs, (ms) => itemsOurs / (ms / 1000));
  const feedsmith = mapSpread(theirsMs, (ms) => itemsFeedsmith / (ms / 1000));
  return {
    feeds: both.length,
    skipped: input.feeds.length - both.length,
    itemsOurs,
    itemsFeedsmith,
    ours: { itemsPerSecond: ours },
    feedsmith: { itemsPerSecond: feedsmith },
    ratio: ours.median / feedsmith.median,
    sources: input.sources,
  };
}
