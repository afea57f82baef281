import type { ChannelKey } from '../../storage/repositories.ts';

/** Why a source could not be added, in words a person can act on (no internal addresses or stack traces). */
export type SourceProblem = 'blocked' | 'not-found' | 'not-a-feed' | 'timeout' | 'unreachable' | 'already' | 'failed';

export type SourceAddResult =
  | {
      ok: true;
      name: string;
      items: number;
      added: number;
      newest: { title: string; publishedAt: string | null } | null;
    }
  | { ok: false; problem: SourceProblem };

/**
 * Adding and removing feeds from chat: the runtime hands the fetching to the ingest thread (it fetches the feed
 * once, through the same SSRF guard as every fetch, stores what it holds and polls it from then on).
 */
export interface SourceControl {
  add(url: string, addedBy: ChannelKey): Promise<SourceAddResult>;
  /** False when no source added in chat has this URL. */
  remove(url: string): Promise<boolean>;
}
