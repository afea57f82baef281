import type { PostFailure } from '../engine/port.ts';

/** What to do after a failed post. */
export type FailureDecision =
  /** Try again at this instant (a rate limit's Retry-After, or backoff after a transient failure). */
  | { action: 'retry'; atMs: number }
  /** Stop posting to the destination until someone resumes it (channel gone, permission missing). */
  | { action: 'pause'; reason: string }
  /** Give this post up; the destination stays as it is. */
  | { action: 'give-up' };

/** Transient failures are retried this many times in all (1, 2, 4, 8 minutes apart). */
export const MAX_ATTEMPTS = 5;
const FIRST_BACKOFF_MS = 60_000;

/**
 * The one place that decides how a failed post is handled: a rate limit waits as long as the platform asks and
 * tries again; a transient error backs off a bounded number of times; `gone` and `forbidden` pause the
 * destination (a note in `status`), never retried in a loop; `tooLarge` is given up (splitting already failed).
 * A post that failed part-way (`partial`) is never retried.
 */
export function decideAfterFailure(
  failure: PostFailure,
  attempts: number,
  nowMs: number,
  partial = false,
): FailureDecision {
  const decision = decide(failure, attempts, nowMs);
  // Part of the post is on the platform: sending it again would post that part twice. Like an interrupted post, it
  // is given up and its stories (not counted delivered) come back in the next digest.
  return partial && decision.action === 'retry' ? { action: 'give-up' } : decision;
}

function decide(failure: PostFailure, attempts: number, nowMs: number): FailureDecision {
  switch (failure.kind) {
    case 'rateLimited':
      return attempts < MAX_ATTEMPTS * 2
        ? { action: 'retry', atMs: nowMs + Math.max(1000, failure.retryAfterMs) }
        : { action: 'give-up' };
    case 'transient':
      return attempts < MAX_ATTEMPTS
        ? { action: 'retry', atMs: nowMs + FIRST_BACKOFF_MS * 2 ** Math.max(0, attempts - 1) }
        : { action: 'give-up' };
    case 'gone':
    case 'forbidden':
      return { action: 'pause', reason: `${failure.kind}: ${failure.detail}`.slice(0, 300) };
    case 'tooLarge':
      return { action: 'give-up' };
  }
}
