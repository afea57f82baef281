import { describe, expect, it } from 'vitest';
import { SourcePoller } from '../../src/ingest/poller.ts';
import type { FeedSource, SourceFetchOutcome } from '../../src/ingest/remote.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fetcher whose fetches take `ms[url]` and are due again `againMs` later; it records overlaps. */
function fakeFetcher(ms: Record<string, number>, againMs = 60_000) {
  const running = new Set<string>();
  const calls: { url: string; start: number; end: number }[] = [];
  let overlaps = 0;
  const started = Date.now();
  return {
    calls,
    overlaps: () => overlaps,
    async refreshFeed(feed: FeedSource): Promise<SourceFetchOutcome> {
      if (running.has(feed.url)) overlaps++;
      running.add(feed.url);
      const start = Date.now() - started;
      await sleep(ms[feed.url] ?? 0);
      running.delete(feed.url);
      calls.push({ url: feed.url, start, end: Date.now() - started });
      return {
        url: feed.url,
        kind: 'feed',
        status: 'fetched',
        error: null,
        outcomes: [],
        nextFetchAt: new Date(Date.now() + againMs).toISOString(),
      };
    },
  };
}

describe('SourcePoller', () => {
  it('fetches never-fetched sources at start, and a slow one does not hold up the others', async () => {
    const fetcher = fakeFetcher({ slow: 1500, fast: 10, other: 10 });
    const feeds = [{ url: 'slow' }, { url: 'fast' }, { url: 'other' }];
    const poller = new SourcePoller({ fetcher, feeds, dueAt: () => null, random: () => 0 });
    poller.start();
    await sleep(300);
    expect(fetcher.calls.map((c) => c.url).sort()).toEqual(['fast', 'other']);
    await poller.initialRound();
    expect(fetcher.calls.map((c) => c.url).sort()).toEqual(['fast', 'other', 'slow']);
    await poller.stop();
  });

  it('waits for a source that is not due, and polls again when it asks', async () => {
    const fetcher = fakeFetcher({}, 200);
    const dueIn = new Date(Date.now() + 250).toISOString();
    const poller = new SourcePoller({ fetcher, feeds: [{ url: 'a' }], dueAt: () => dueIn, random: () => 0 });
    poller.start();
    await sleep(150);
    expect(fetcher.calls).toHaveLength(0);
    await sleep(550);
    await poller.stop();
    // due at 250 ms, then again 200 ms after each fetch: two or three fetches by 700 ms
    expect(fetcher.calls.length).toBeGreaterThanOrEqual(2);
    expect(fetcher.calls[0]?.start).toBeGreaterThanOrEqual(240);
  });

  it('never runs two fetches of one source at once, however often it is asked', async () => {
    const fetcher = fakeFetcher({ a: 200 });
    const poller = new SourcePoller({ fetcher, feeds: [{ url: 'a' }], dueAt: () => null, random: () => 0 });
    poller.start();
    await sleep(20);
    await Promise.all([poller.refresh('a'), poller.refresh('a'), poller.refresh('a')]);
    await sleep(450);
    await poller.stop();
    expect(fetcher.overlaps()).toBe(0);
    // the one under way, then one more for the requests that came in meanwhile
    expect(fetcher.calls.length).toBeGreaterThanOrEqual(2);
    expect(fetcher.calls.length).toBeLessThanOrEqual(3);
  });

  it('keeps polling a source whose fetch threw, and stops waiting for nothing when stopped', async () => {
    const errors: unknown[] = [];
    const poller = new SourcePoller({
      fetcher: {
        refreshFeed: async () => {
          throw new Error('bug');
        },
      },
      feeds: [{ url: 'a' }],
      dueAt: () => null,
      random: () => 0,
      onError: (_feed, error) => errors.push(error),
    });
    poller.start();
    await poller.initialRound();
    expect(errors).toHaveLength(1);
    const stopped = Date.now();
    await poller.stop();
    expect(Date.now() - stopped).toBeLessThan(100);
  });

  it('lets the fetch under way finish when stopped', async () => {
    const fetcher = fakeFetcher({ a: 300 });
    const poller = new SourcePoller({ fetcher, feeds: [{ url: 'a' }], dueAt: () => null, random: () => 0 });
    poller.start();
    await sleep(50);
    await poller.stop();
    expect(fetcher.calls).toHaveLength(1);
    await sleep(100);
    expect(fetcher.calls).toHaveLength(1);
  });
});
