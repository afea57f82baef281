const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** `2026-11-26 09:10 GMT+9` style local time for a channel's zone; '' for a missing or bad date. */
export function formatLocalTime(iso: string | null, timeZone: string): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(ms)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${parts.timeZoneName ?? ''}`.trim();
}

/** The local calendar day (`2026-11-26`) of an instant in a zone. */
export function localDay(iso: string, timeZone: string): string {
  return formatLocalTime(iso, timeZone).slice(0, 10);
}

/** The UTC instants at which a local calendar day starts and ends in a zone (DST-safe). */
export function dayBounds(day: string, timeZone: string): { from: Date; to: Date } {
  const offsetAt = (ms: number): number => {
    const parts = Object.fromEntries(
      formatter(timeZone)
        .formatToParts(ms)
        .map((p) => [p.type, p.value]),
    );
    const asUtc = Date.UTC(
      Number(parts.year),
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
    );
    return asUtc - Math.floor(ms / 60_000) * 60_000;
  };
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const naiveStart = Date.UTC(y, m - 1, d);
  const naiveEnd = Date.UTC(y, m - 1, d + 1);
  const start = naiveStart - offsetAt(naiveStart - offsetAt(naiveStart));
  const end = naiveEnd - offsetAt(naiveEnd - offsetAt(naiveEnd));
  return { from: new Date(start), to: new Date(end - 1) };
}
