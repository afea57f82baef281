/** Reading the response headers that say how soon to ask again. */

/**
 * `Cache-Control: max-age=N` (or `s-maxage`, the shared-cache value, when larger) in seconds; 0 for `no-cache` /
 * `no-store`; null when the header says nothing about freshness.
 */
export function maxAgeSeconds(cacheControl: string | null | undefined): number | null {
  if (!cacheControl) return null;
  let result: number | null = null;
  for (const directive of cacheControl.toLowerCase().split(',')) {
    const [name = '', value] = directive
      .trim()
      .split('=', 2)
      .map((s) => s.trim());
    if (name === 'no-cache' || name === 'no-store') return 0;
    if ((name === 'max-age' || name === 's-maxage') && value !== undefined) {
      const n = Number(value.replace(/^"|"$/g, ''));
      if (Number.isFinite(n) && n >= 0) result = Math.max(result ?? 0, Math.floor(n));
    }
  }
  return result;
}

/** `Retry-After` as seconds from `now`: either delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterSeconds(header: string | null | undefined, now: Date): number | null {
  if (!header) return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.round((at - now.getTime()) / 1000));
}
