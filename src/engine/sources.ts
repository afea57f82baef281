import type { ChannelKey } from '../../storage/repositories.ts';

/** Why a source could not be added, in words a person can act on (no internal addresses or stack traces). */
export type SourceProblem = 'blocked' | 'not-found' | 'not-a-feed' | 'timeout' | 'unreachable' | 'already' | 'failed';

export type SourceAddResult =
  | {
      ok: true;
      /** The feed polled from now on: the URL given, or the feed its page links to. */
      url: string;
      /** The page the feed was found on (`<link rel="alternate">`); null when the URL given was the feed. */
      foundOn: string | null;
      sourceId: number;
      name: string;
      items: number;
      added: number;
      /** Of the items added, those kept out of digests (the backlog); search still finds them. */
      held: number;
      /** The language most of its items are in; null when it has none. */
      lang: string | null;
      newest: { title: string; publishedAt: string | null } | null;
    }
  | { ok: false; problem: SourceProblem }
  /** Still being fetched when the answer was due (the roles apart): added and polled once it can be read. */
  | { ok: 'pending'; url: string };

export interface SourceAddOptions {
  /** How many of the newest items already in the feed go into digests; the rest are held back (0: only new). */
  backlog: number;
}

/**
 * Adding and removing feeds from chat: the runtime hands the fetching to the ingest thread (it fetches the feed
 * once, through the same SSRF guard as every fetch, stores what it holds and polls it from then on).
 */
export interface SourceControl {
  add(url: string, addedBy: ChannelKey, options: SourceAddOptions): Promise<SourceAddResult>;
  /**
   * Lets the newest `count` held items of a feed this destination added into digests; the number let in, or null
   * when the destination added no such feed.
   */
  releaseBacklog(source: number, count: number, by: ChannelKey): Promise<number | null>;
  /** False when no source added in chat by this destination has this URL (another's feed is not its to remove). */
  remove(url: string, by: ChannelKey): Promise<boolean>;
}
