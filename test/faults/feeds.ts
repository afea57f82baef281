/**
 * Feeds for the fault tests: every feed's items carry a word of their own (`marker`) and text no other item shares,
 * so each item is a story of its own and a search for the marker finds exactly that feed's items.
 */
import { rssFeed } from '../ingest/remoteFixtures.ts';

const WORDS = [
  'wafer',
  'foundry',
  'battery',
  'display',
  'modem',
  'router',
  'satellite',
  'robot',
  'sensor',
  'camera',
  'charger',
  'license',
  'factory',
  'tariff',
  'subsidy',
  'merger',
  'startup',
  'cloud',
  'server',
  'kernel',
  'browser',
  'payment',
  'ledger',
  'drone',
  'lidar',
  'turbine',
  'reactor',
  'cable',
  'antenna',
  'compiler',
];

/** A deterministic pseudo-random sequence (mulberry32), so the fixtures are the same on every run. */
function sequence(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedOf(text: string): number {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

/** The search word of a feed: letters only, so the tokenizer keeps it whole. */
export function markerOf(name: string): string {
  return `zq${name.replace(/[^a-z]/gi, '').toLowerCase()}`;
}

/** Item `n` of the feed `name`: a title and six sentences of words drawn for that item alone (a full body). */
function item(origin: string, name: string, n: number, published?: Date, words = 18) {
  const random = sequence(seedOf(`${name}:${n}`));
  const pick = () => WORDS[Math.floor(random() * WORDS.length)] as string;
  const sentence = () => {
    const drawn = Array.from({ length: words }, pick);
    return `${drawn.join(' ')} ${markerOf(name)} ${n}.`.replace(/^./, (c) => c.toUpperCase());
  };
  const day = String(20 + n).padStart(2, '0');
  return {
    title: `${markerOf(name)} ${pick()} ${pick()} ${pick()} report ${n}`,
    link: `${origin}/${name}/a/${n}`,
    pubDate: published ? published.toUTCString() : `Mon, ${day} Nov 2026 09:00:00 +0900`,
    // longer than a teaser, so no page is fetched for it
    description: Array.from({ length: 6 }, sentence).join('\n\n'),
  };
}

/** The feed `name` with items 1…`count`; with `newest`, item n is published n half-hours before it. */
export function faultFeed(
  origin: string,
  name: string,
  count: number,
  extra: { ttl?: number; newest?: Date; sentenceWords?: number } = {},
): string {
  const { newest, sentenceWords, ...rest } = extra;
  return rssFeed({
    title: `Feed ${name}`,
    link: `${origin}/${name}/`,
    ...rest,
    items: Array.from({ length: count }, (_, i) =>
      item(origin, name, i + 1, newest ? new Date(newest.getTime() - (i + 1) * 30 * 60_000) : undefined, sentenceWords),
    ),
  });
}
