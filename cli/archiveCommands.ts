import { terminalLocale } from '../adapters/console/consoleBot.ts';
import { renderReply } from '../adapters/console/render.ts';
import type { App } from '../src/app.ts';
import type { Reply } from '../src/commands/reply.ts';
import { HttpFetcher } from '../src/fetch/index.ts';
import { type IngestOutcome, type IngestReport, summarizeOutcomes } from '../src/ingest/ingest.ts';
import { feedKey, RemoteIngestor } from '../src/ingest/remote.ts';
import { catalogLang } from '../src/messages/catalog.ts';
import { parseQuery } from '../src/search/query.ts';
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

export interface IngestArgs {
  sources: readonly string[];
  verbose: boolean;
  /** Non-public addresses the fetcher may reach anyway (`--allow-address`); none by default. */
  allowAddresses: readonly string[];
}

const isUrl = (source: string) => /^https?:\/\//i.test(source);

function createFetcher(allowAddresses: readonly string[]): HttpFetcher {
  try {
    return new HttpFetcher({ allowAddresses });
  } catch (error) {
    throw new UsageError(`--allow-address: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Ingests files, folders and URLs in the order given; a URL that is a configured feed keeps its configured name. */
export async function runIngest(io: CliIo, app: App, args: IngestArgs): Promise<number> {
  const fetcher = args.sources.some(isUrl) ? createFetcher(args.allowAddresses) : null;
  const remote = fetcher ? new RemoteIngestor(app.storage, app.ingestor, { fetcher, feeds: app.config.feeds }) : null;
  const outcomes: IngestOutcome[] = [];
  try {
    for (const source of args.sources) {
      if (!remote || !isUrl(source)) {
        outcomes.push(...(await app.ingestor.ingestPaths([source])).outcomes);
        continue;
      }
      const configured = app.config.feeds.find((feed) => feedKey(feed.url) === feedKey(source));
      const fetched = configured ? await remote.refreshFeed(configured) : await remote.ingestUrl(source);
      if (fetched.status === 'not-modified') writeLine(io.stdout, `not modified (304)  [${source}]`);
      outcomes.push(...fetched.outcomes);
    }
  } finally {
    await fetcher?.close();
  }
  const report = summarizeOutcomes(outcomes);
  printIngestReport(io, report, args.verbose ? 'verbose' : 'changes');
  return report.counts.failed > 0 && report.counts.failed === report.outcomes.length ? 1 : 0;
}

export interface SearchArgs {
  query: string;
  since: string | null;
  limit: number;
  json: boolean;
}

/** The command line reads the archive as no channel: the terminal's language, else the configured one. */
function cliContext(io: CliIo, app: App) {
  const lang = catalogLang(terminalLocale(io.env)) ?? app.config.lang;
  return { channel: 'cli', lang, timeZone: app.config.timeZone };
}

export async function runSearch(io: CliIo, app: App, args: SearchArgs): Promise<number> {
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
  const ctx = cliContext(io, app);
  const reply: Reply = { ...(await app.commands.search(query, ctx, args.limit)), ...ctx } as Reply;
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
  writeLine(io.stdout, renderReply(reply, { color: io.stdout.isTTY === true }));
  return 0;
}

export async function runDigest(io: CliIo, app: App, since: string, json: boolean): Promise<number> {
  const hours = windowHours(since);
  if (hours === null) throw new UsageError(`--since takes 24h, 7d or 2w, not "${since}"`);
  const to = app.now();
  const from = new Date(to.getTime() - hours * 3_600_000);
  const ctx = cliContext(io, app);
  const reply: Reply = { ...(await app.commands.digest(ctx, { from, to })), ...ctx } as Reply;
  if (json && reply.kind === 'digest') {
    const { window, stories } = reply.digest;
    writeLine(io.stdout, JSON.stringify({ window, stories }));
    return 0;
  }
  writeLine(io.stdout, renderReply(reply, { color: io.stdout.isTTY === true }));
  return 0;
}
