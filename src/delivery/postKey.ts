import { createHash } from 'node:crypto';
import type { LedgerEntry } from '../../storage/repositories.ts';
import { IDEMPOTENCY_KEY_MAX } from '../engine/port.ts';

/**
 * A platform keeps idempotency keys per bot, across every channel (Discord's nonces): the key of one post names the
 * entry (its database id alone could repeat in another instance posting with the same token) and its attempt.
 */
function keyOf(...parts: (string | number)[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('base64url').slice(0, IDEMPOTENCY_KEY_MAX);
}

/**
 * The idempotency key of an attempt at a single-message digest: a retry after a failure is rebuilt, so it is
 * another post with another key; the attempt taken up again after a stop posts what it began with, with this key.
 */
export function attemptKey(entry: Pick<LedgerEntry, 'id' | 'destination' | 'slot' | 'attempts'>): string {
  return keyOf('attempt', entry.id, entry.destination, entry.slot, entry.attempts);
}

/** The idempotency key of one message of a threaded digest: its body is fixed when planned, whichever attempt. */
export function partKey(entry: Pick<LedgerEntry, 'id' | 'destination' | 'slot'>, part: number): string {
  return keyOf('part', entry.id, entry.destination, entry.slot, part);
}
