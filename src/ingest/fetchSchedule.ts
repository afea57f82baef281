/**
 * When to fetch a source again. After a success: the publisher's wish (RSS `<ttl>`, `Cache-Control: max-age`)
 * within sane bounds, so a feed asking for 1 minute is not hammered and one asking for a week is not forgotten.
 * After failures: exponential backoff with jitter, so a dead host costs little and many feeds failing together
 * (a network outage) do not all come back at the same second.
 */

export const SCHEDULE = {
  /** Interval when the feed and the server say nothing. */
  defaultIntervalSeconds: 30 * 60,
  minIntervalSeconds: 5 * 60,
  maxIntervalSeconds: 6 * 3600,
  /** First retry after one failure; doubles per consecutive failure up to the maximum. */
  minBackoffSeconds: 5 * 60,
  maxBackoffSeconds: 24 * 3600,
  /** Backoff is stretched by up to this fraction at random. */
  jitter: 0.25,
} as const;

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/**
 * Seconds until the next fetch after a success. The longer of the feed's `<ttl>` and the server's max-age wins:
 * both are the publisher saying how fresh its copy stays. `minIntervalSeconds` is the config's `fetch.minInterval`.
 */
export function pollIntervalSeconds(
  hints: { ttlMinutes?: number | null; maxAgeSeconds?: number | null },
  minIntervalSeconds: number = SCHEDULE.minIntervalSeconds,
): number {
  const asked = [hints.ttlMinutes != null ? hints.ttlMinutes * 60 : null, hints.maxAgeSeconds ?? null].filter(
    (n): n is number => n !== null && Number.isFinite(n),
  );
  const wish = asked.length > 0 ? Math.max(...asked) : SCHEDULE.defaultIntervalSeconds;
  return clamp(Math.round(wish), minIntervalSeconds, SCHEDULE.maxIntervalSeconds);
}

/**
 * Seconds to wait after the `failures`-th failure in a row: 5 min, 10, 20 … up to 24 h, stretched by up to 25% at
 * random (`random` in [0, 1)), and never sooner than a server's `Retry-After`.
 */
export function backoffSeconds(failures: number, random: () => number, retryAfterSeconds?: number | null): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 20);
  const base = Math.min(SCHEDULE.minBackoffSeconds * 2 ** exponent, SCHEDULE.maxBackoffSeconds);
  const jittered = base * (1 + SCHEDULE.jitter * clamp(random(), 0, 1));
  const wait = Math.max(jittered, retryAfterSeconds ?? 0);
  return Math.round(clamp(wait, SCHEDULE.minBackoffSeconds, SCHEDULE.maxBackoffSeconds));
}

export function addSeconds(at: Date, seconds: number): string {
  return new Date(at.getTime() + seconds * 1000).toISOString();
}

/**
 * The RSS channel's `<ttl>` in minutes, read from the raw bytes (the shared feed model does not carry it). Digits
 * are ASCII in every encoding a feed uses here, so a latin1 view of the head is enough.
 */
export function feedTtlMinutes(bytes: Uint8Array): number | null {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 64 * 1024)).toString('latin1');
  const m = /<ttl>\s*(\d{1,7})\s*<\/ttl>/i.exec(head);
  return m ? Number(m[1]) : null;
}
