import { renderReply } from '../../adapters/console/render.ts';
import type { App } from '../app.ts';
import type { IngestReport } from '../ingest/ingest.ts';
import { parseQuery } from '../search/query.ts';
import { type CliIo, UsageError, writeLine } from './io.ts';

const WINDOW = /^(\d{1,4})(h|d|w)$/;
const HOURS: Record<string, number> = { h: 1, d: 24, w: 168 };

/** `24h`, `7d`, `2w` → hours; null for anything else. */
export function windowHours(text: string): number | null {
  const m = WINDOW.exec(text.trim());
  return m ? Number(m[1]) * (HOURS[m[2] as string] ?? 1) : null;
}

/** Per-article lines (`unchanged` ones only when verbose; none for `summary`), then the counts. */
export function printIngestReport(io: CliIo, report: IngestReport, detail: 'verbose' | 'changes' | 'summary'): void {
  for (const o of report.outcomes) {
    if (o.status === 'failed') writeLine(io.stderr, `failed     ${o.origin}: ${o.error}`);
    else if (detail === 'verbose' || (detail === 'changes' && o.status !== 'unchanged')) {
      const copy = o.copyOf !== undefined ? ` (same text as #${o.copyOf})` : '';
      writeLine(io.stdout, `${o.status.padEnd(10)} ${o.title ?? ''}${copy}  [${o.origin}]`);
    }
  }
  const c = report.counts;
  writeLine(
    io.stdout,
    `${c.added} added, ${c.updated} updated, ${c.unchanged} unchanged, ${c.duplicate} skipped as duplicate, ${c.failed} failed`,
  );
}

export function runIngest(io: CliIo, app: App, sources: readonly string[], verbose: boolean): number {
  for (const s of sources) {
    if (/^https?:\/\//i.test(s))
      throw new UsageError(`fetching URLs is not supported yet (${s}); give files or folders`);
  }
  const report = app.ingestor.ingestPaths(sources);
  printIngestReport(io, report, verbose ? 'verbose' : 'changes');
  return report.counts.failed > 0 && report.counts.failed === report.outcomes.length ? 1 : 0;
}

export interface SearchArgs {
  query: string;
  since: string | null;
  limit: number;
  json: boolean;
}

export function runSearch(io: CliIo, app: App, args: SearchArgs): number {
  const query = parseQuery(args.query);
  if (args.since) {
    const hours = windowHours(args.since);
    if (hours !== null) query.withinHours = hours;
    else {
      const since = parseQuery(`since:${args.since}`).since;
      if (!since) throw new UsageError(`--since takes 24h, 7d, 2w or a date (YYYY-MM-DD), not "${args.since}"`);
      query.since = since;
    }
  }
  const ctx = { channel: 'cli', lang: app.config.lang, timeZone: app.config.timeZone };
  const reply = app.commands.searchQuery(query, ctx, args.limit);
  if (args.json && reply.kind === 'search') {
    const results = reply.stories.map((story) => ({
      id: story.articleId,
      title: story.title,
      url: story.url,
      source: story.source,
      publishedAt: story.publishedAt,
      lang: story.lang,
      topics: story.topics.map((t) => t.id),
      snippet: story.snippet.map((s) => s.text).join(''),
      copies: story.otherSources,
    }));
    writeLine(io.stdout, JSON.stringify({ results }));
    return 0;
  }
  writeLine(io.stdout, renderReply(reply, { timeZone: app.config.timeZone, color: io.stdout.isTTY === true }));
  return 0;
}

export function runDigest(io: CliIo, app: App, since: string, json: boolean): number {
  const hours = windowHours(since);
  if (hours === null) throw new UsageError(`--since takes 24h, 7d or 2w, not "${since}"`);
  const to = app.now();
  const from = new Date(to.getTime() - hours * 3_600_000);
  const ctx = { channel: 'cli', lang: app.config.lang, timeZone: app.config.timeZone };
  const reply = app.commands.digest(ctx, { from, to });
  if (json && reply.kind === 'digest') {
    const { window, stories } = reply.digest;
    writeLine(io.stdout, JSON.stringify({ window, stories }));
    return 0;
  }
  writeLine(io.stdout, renderReply(reply, { timeZone: app.config.timeZone, color: io.stdout.isTTY === true }));
  return 0;
}
