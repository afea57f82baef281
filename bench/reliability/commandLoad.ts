/**
 * 200 concurrent `/news` commands on Slack and 200 on Discord, all sent at once while a 10k-article ingest runs
 * in the same process: does every one get its platform's answer within the 3 s the platforms allow?
 *
 * The real parts: the service's app and engine, its ingest thread (runtime/ingestThread.ts) taking in the
 * backlog (set up as in bench/speed/commandsDuringIngest.ts), the Slack adapter's real Bolt HTTP receiver
 * (signed slash commands over HTTP from the Slack stand-in's side) and the Discord adapter's real discord.js
 * client (INTERACTION_CREATE over the stand-in's gateway). Timed per command: Slack, from the request to its
 * HTTP ack and to the first message on its response_url; Discord, from the dispatch to the first interaction
 * callback (a reply or a defer), as the stand-ins receive them.
 *
 *   node bin/run-ts.js bench/reliability/commandLoad.ts [--articles 10000] [--commands 200] [--seed 42] [--json]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiscordAdapter } from '../../adapters/discord/discordBot.ts';
import { slackSettingsFromEnv } from '../../adapters/slack/settings.ts';
import { createSlackAdapter } from '../../adapters/slack/slackAdapter.ts';
import { IngestThread } from '../../runtime/ingestThread.ts';
import { openApp } from '../../src/app.ts';
import { createLogger } from '../../src/ops/logger.ts';
import { DiscordStandin, type InteractionRecord, P, TOKEN } from '../../standins/discord.ts';
import { BOT_TOKEN, postSigned, SIGNING_SECRET, SlackStandIn, slashCommand } from '../../standins/slack.ts';
import { parseArgs, positiveInt } from '../lib/args.ts';
import { describeMachine, machineInfo } from '../lib/machine.ts';
import { progress } from '../lib/progress.ts';
import { percentile } from '../lib/stats.ts';
import { formatNumber, renderTables, type Section, VALUE_HEADER, valueRow } from '../lib/table.ts';
import { PREFILL, writeFeeds } from '../speed/commandsDuringIngest.ts';
import { QUERY_MIX } from '../speed/queries.ts';
import { SyntheticCorpus } from '../synthetic/generate.ts';

const DEADLINE_MS = 3000;
/** How long the ingest runs before the burst, so the burst meets it in full swing. */
const WARM_UP_MS = 3000;
const STRING = 3;
const SUBCOMMAND = 1;

export interface Timings {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** How many got it within DEADLINE_MS; a command never answered counts as late. */
  withinDeadline: number;
}

export interface CommandLoad {
  articles: number;
  commandsPerPlatform: number;
  slackAck: Timings;
  slackFirstResponse: Timings;
  discordFirstResponse: Timings;
  /** Whether the ingest was still running when the last answer came. */
  ingestRanThroughout: boolean;
  ingestSeconds: number;
  articlesIngested: number;
}

/** The i-th command of the mix: searches in English and Korean, with a digest, a status and a topics list. */
function commandText(i: number): string {
  switch (i % 10) {
    case 3:
      return 'digest';
    case 6:
      return 'status';
    case 9:
      return 'topics';
    default:
      return QUERY_MIX[i % QUERY_MIX.length] as string;
  }
}

/** `accepted`: how many the platform took (the Discord stand-in refuses a first response after 3 s). */
function timings(samples: readonly (number | undefined)[], accepted = samples.length): Timings {
  const answered = samples.filter((s): s is number => s !== undefined);
  const p = (n: number) => (answered.length > 0 ? percentile(answered, n) : Number.NaN);
  return {
    count: samples.length,
    p50: p(50),
    p95: p(95),
    p99: p(99),
    max: answered.length > 0 ? Math.max(...answered) : Number.NaN,
    withinDeadline: Math.min(accepted, answered.filter((s) => s <= DEADLINE_MS).length),
  };
}

async function waitUntil(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 20));
}

export async function measureCommandLoad(options: {
  articles: number;
  commands: number;
  seed: number;
}): Promise<CommandLoad> {
  const dir = mkdtempSync(join(tmpdir(), 'newsbrief-load-'));
  const corpus = new SyntheticCorpus({ seed: options.seed, size: options.articles + PREFILL });
  const all = [...corpus.articles()];
  writeFeeds(join(dir, 'prefill'), all.slice(0, PREFILL));
  writeFeeds(join(dir, 'backlog'), all.slice(PREFILL));
  const dbPath = join(dir, 'command-load.db');
  const app = openApp({ dbPath, configPath: null, now: () => corpus.to });
  const log = createLogger({ destination: { write: () => {} }, pretty: false, level: 'warn' });
  const slack = await new SlackStandIn().start();
  const discord = await new DiscordStandin().start();
  const channel = discord.addChannel('news');
  for (let i = 0; i < options.commands; i++) slack.users.set(`U0LOAD${i}`, { locale: i % 2 ? 'ko-KR' : 'en-US' });
  const slackAdapter = createSlackAdapter({
    settings: slackSettingsFromEnv({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
    }),
    log,
    host: '127.0.0.1',
  });
  const discordAdapter = new DiscordAdapter({ token: TOKEN, apiBase: discord.apiBase, log });
  let thread: IngestThread | undefined;
  try {
    progress(`command load: prefilling ${PREFILL} articles`);
    await app.ingestor.ingestPaths([join(dir, 'prefill')]);
    await slackAdapter.start(app.engine);
    await discordAdapter.start(app.engine);
    thread = await IngestThread.start({ dbPath, configPath: null, poll: false });
    progress(`command load: ingesting ${options.articles} articles on the ingest thread`);
    const ingestStarted = performance.now();
    let ingestDone = false;
    const ingest = thread.ingestPaths([join(dir, 'backlog')]).finally(() => {
      ingestDone = true;
    });
    await new Promise((resolve) => setTimeout(resolve, WARM_UP_MS));
    if (ingestDone) throw new Error('the ingest ended before the burst: use more --articles');

    progress(`command load: ${options.commands} commands on Slack and ${options.commands} on Discord, at once`);
    const endpoint = `http://127.0.0.1:${slackAdapter.port}/slack/events`;
    const slackSent: { at: number; responseUrl: string; ack?: number }[] = [];
    const discordSent: InteractionRecord[] = [];
    const acks: Promise<void>[] = [];
    for (let i = 0; i < options.commands; i++) {
      const responseUrl = slack.responseUrl();
      const sent: (typeof slackSent)[number] = { at: Date.now(), responseUrl };
      slackSent.push(sent);
      const fields = slashCommand({ text: commandText(i), user: `U0LOAD${i}`, responseUrl });
      acks.push(
        postSigned(endpoint, fields).then((status) => {
          if (status === 200) sent.ack = Date.now() - sent.at;
        }),
      );
      const text = commandText(i);
      const data =
        text === 'status' || text === 'topics'
          ? discord.command('newsbrief', [
              { name: text === 'status' ? 'status' : 'subscriptions', type: SUBCOMMAND, options: [] },
            ])
          : discord.command('news', [{ name: 'query', type: STRING, value: text }]);
      discordSent.push(
        discord.interact({
          type: 2,
          channel,
          locale: i % 2 ? 'ko' : 'en-US',
          permissions: P.ViewChannel | P.SendMessages | P.ManageGuild,
          data,
        }),
      );
    }
    await Promise.all(acks);
    const answered = () =>
      slackSent.every((s) => slack.responsesTo(s.responseUrl).length > 0) &&
      discordSent.every((r) => r.callbacks.length > 0);
    // the acks and first responses are the deadline; the last answers (Slack's response_url) may come later
    await waitUntil(answered, 120_000);
    const ingestRanThroughout = !ingestDone;
    const counts = await ingest;
    const ingestSeconds = (performance.now() - ingestStarted) / 1000;
    return {
      articles: options.articles,
      commandsPerPlatform: options.commands,
      slackAck: timings(slackSent.map((s) => s.ack)),
      slackFirstResponse: timings(
        slackSent.map((s) => {
          const first = slack.responsesTo(s.responseUrl)[0];
          return first ? first.at - s.at : undefined;
        }),
      ),
      // when the first callback reached the stand-in, whether it took it or refused it as too late
      discordFirstResponse: timings(
        discordSent.map((r) => {
          const first = discord.requests.find((q) => q.path.startsWith(`/interactions/${r.id}/`));
          return first ? first.at - r.dispatchedAt : undefined;
        }),
        discordSent.filter((r) => r.callbacks.length > 0).length,
      ),
      ingestRanThroughout,
      ingestSeconds,
      articlesIngested: (counts.added ?? 0) + (counts.updated ?? 0),
    };
  } finally {
    await thread?.stop(30_000);
    await slackAdapter.stop();
    await discordAdapter.stop();
    await slack.close();
    await discord.close();
    app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function commandLoadSection(f: CommandLoad): Section {
  const ms = (n: number) => `${formatNumber(n)} ms`;
  const k = f.articles >= 1000 ? `${formatNumber(f.articles / 1000, 0)}k` : String(f.articles);
  const row = (figure: string, t: Timings, note: string) =>
    valueRow(
      figure,
      `${ms(t.p50)} / ${ms(t.p95)} / ${ms(t.p99)} / ${ms(t.max)}`,
      `${t.withinDeadline} of ${t.count} within 3 s; ${note}`,
    );
  return {
    title: `${f.commandsPerPlatform} concurrent /news on each platform during a ${k}-article ingest (p50 / p95 / p99 / max)`,
    rows: [
      row('Slack: to the HTTP ack', f.slackAck, 'signed slash commands to the real Bolt receiver'),
      row('Slack: to the first response', f.slackFirstResponse, 'the answer on the response_url'),
      row(
        'Discord: to the first response',
        f.discordFirstResponse,
        'reply or defer, INTERACTION_CREATE over the gateway',
      ),
      valueRow(
        'ingest meanwhile',
        `${formatNumber(f.articlesIngested / f.ingestSeconds, 0)} articles/s`,
        `${f.articlesIngested} articles in ${formatNumber(f.ingestSeconds, 1)} s on the ingest thread; ${
          f.ingestRanThroughout ? 'still running when the last answer came' : 'ended before the last answer'
        }`,
      ),
    ],
  };
}

// other work on the machine slows every figure here: say how busy it was
const loadAtStart = loadavg()[0] ?? 0;
const args = parseArgs(process.argv.slice(2), ['articles', 'commands', 'seed'], ['json']);
const figure = await measureCommandLoad({
  articles: positiveInt(args.values.get('articles') ?? '10000', 'articles'),
  commands: positiveInt(args.values.get('commands') ?? '200', 'commands'),
  seed: positiveInt(args.values.get('seed') ?? '42', 'seed'),
});
if (args.flags.has('json')) {
  process.stdout.write(
    `${JSON.stringify({ machine: machineInfo(), loadAverage: [loadAtStart, loadavg()[0]], ...figure })}\n`,
  );
} else {
  const load = `load average ${formatNumber(loadAtStart, 1)} at start, ${formatNumber(loadavg()[0] ?? 0, 1)} at end`;
  process.stdout.write(`command load on ${describeMachine(machineInfo())}; ${load}\n\n`);
  process.stdout.write(`${renderTables([commandLoadSection(figure)], VALUE_HEADER)}\n`);
}
// the platforms' deadlines: Slack's ack and Discord's first response (a response_url stays valid 30 minutes)
const all = [figure.slackAck, figure.discordFirstResponse];
if (!figure.ingestRanThroughout || all.some((t) => t.withinDeadline < t.count)) process.exitCode = 1;
