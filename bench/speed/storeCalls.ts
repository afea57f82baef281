/**
 * Records the repository calls the engine makes (method, arguments) so the storage benchmark can replay the same
 * reads on another backend and time the storage alone.
 */

/** One repository call: `stories.windowMembers(fromMs, toMs)`. */
export interface StoreCall {
  repo: string;
  method: string;
  args: unknown[];
}

/** The reads a search or a digest makes; writes (a digest marking deliveries, `touch`) are not replayed. */
const READS: Record<string, readonly string[]> = {
  articles: ['findByKey', 'get', 'getMany', 'search', 'listPublishedBetween', 'latestPublishedAt', 'count'],
  stories: [
    'get',
    'getMany',
    'headers',
    'findByKey',
    'keysBetween',
    'membership',
    'storyIds',
    'members',
    'windowMembers',
    'wasDelivered',
    'deliveredStories',
  ],
  duplicates: ['links', 'linksAmong', 'hasSignature', 'signaturesBetween'],
  topics: ['list', 'articleCounts'],
  destinations: ['get', 'list'],
  subscriptions: ['list', 'queries', 'notifications'],
  summaries: ['get'],
};

export interface Recorder {
  /** Calls since the last `take`, which empties the list. */
  take(): StoreCall[];
  /** Puts the repositories' own methods back (replays then time the store, not the recording). */
  restore(): void;
}

/**
 * Wraps the read methods of `store`'s repositories in place (own properties shadow the repository's), so every
 * read the engine makes through it is recorded with a copy of its arguments.
 */
export function recordReads(store: Record<string, unknown>): Recorder {
  let calls: StoreCall[] = [];
  const wrapped: { target: Record<string, unknown>; method: string; own: boolean; original: unknown }[] = [];
  for (const [repo, methods] of Object.entries(READS)) {
    const target = store[repo] as Record<string, unknown> | undefined;
    if (!target) continue;
    for (const method of methods) {
      const original = target[method];
      if (typeof original !== 'function') continue;
      const own = Object.hasOwn(target, method);
      const bound = original.bind(target) as (...args: unknown[]) => unknown;
      target[method] = (...args: unknown[]) => {
        calls.push({ repo, method, args: structuredClone(args) });
        return bound(...args);
      };
      wrapped.push({ target, method, own, original });
    }
  }
  return {
    take: () => {
      const taken = calls;
      calls = [];
      return taken;
    },
    restore: () => {
      for (const { target, method, own, original } of wrapped) {
        if (own) target[method] = original;
        else delete target[method];
      }
    },
  };
}

/** Calls `call` on `store` (synchronous or async repositories alike) and waits for it. */
export async function replay(store: Record<string, unknown>, call: StoreCall): Promise<unknown> {
  const repo = store[call.repo] as Record<string, (...args: unknown[]) => unknown>;
  const method = repo[call.method];
  if (!method) throw new Error(`no ${call.repo}.${call.method} on this backend`);
  return await method.apply(repo, call.args);
}

/** A short label of what a list of calls does: `stories.windowMembers ×1, articles.getMany ×2`. */
export function describeCalls(calls: readonly StoreCall[]): string {
  const counts = new Map<string, number>();
  for (const c of calls) counts.set(`${c.repo}.${c.method}`, (counts.get(`${c.repo}.${c.method}`) ?? 0) + 1);
  return [...counts].map(([name, n]) => (n === 1 ? name : `${name} ×${n}`)).join(', ');
}
