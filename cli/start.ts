import { existsSync } from 'node:fs';
import { runConsoleBot } from '../adapters/console/consoleBot.ts';
import { renderReply } from '../adapters/console/render.ts';
import { type App, openApp } from '../src/app.ts';
import { SAMPLE_NEWS_PATH } from '../src/paths.ts';
import { dayBounds, localDay } from '../src/text/formatTime.ts';
import { printIngestReport } from './archiveCommands.ts';
import { type CliIo, writeLine } from './io.ts';

export interface StartOptions {
  dbPath: string | null;
  configPath: string | null;
  /** Print the digest and exit. */
  once: boolean;
  /** Read commands from stdin even when it is not a terminal (scripts, tests). */
  readCommands: boolean;
}

const PLATFORM_TOKENS = ['DISCORD_TOKEN', 'SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN'];
const DEMO_DB = 'data/demo.db';

/**
 * `newsbrief start`. With no user config, the demo: the bundled sample news is ingested (offline, into its
 * own database file), today's digest (the sample's newest day) is printed, and the console adapter answers
 * `/news …` commands until end of input.
 */
export async function runStart(io: CliIo, options: StartOptions): Promise<number> {
  const tokens = PLATFORM_TOKENS.filter((name) => io.env[name]);
  if (tokens.length > 0) {
    writeLine(
      io.stderr,
      `note: ${tokens.join(', ')} set, but the Slack and Discord adapters are not in this version yet; running the console adapter.`,
    );
  }
  const demo = options.configPath === null || !existsSync(options.configPath);
  const dbPath = options.dbPath ?? (demo ? DEMO_DB : null);
  // The demo's clock stands at the end of the sample's newest day (once ingested), so `24h` and `7d` mean what
  // they say there; otherwise it is the real clock.
  let demoNow: Date | null = null;
  const app: App = openApp({ dbPath, configPath: options.configPath, env: io.env, now: () => demoNow ?? new Date() });
  try {
    const timeZone = app.config.timeZone;
    let window: { from: Date; to: Date } | undefined;
    if (demo) {
      writeLine(io.stdout, `newsbrief demo: ingesting the bundled sample news (offline) into ${app.dbPath}`);
      printIngestReport(io, app.ingestor.ingestPaths([SAMPLE_NEWS_PATH]), 'summary');
      const newest = app.store.articles.latestPublishedAt();
      if (newest) {
        window = dayBounds(localDay(newest, timeZone), timeZone);
        demoNow = window.to;
      }
    }
    const context = { channel: 'console:local', lang: app.config.lang, timeZone };
    const interactive = io.stdin.isTTY === true && io.stdout.isTTY === true;
    const reply = await app.commands.digestWithSummaries(context, window);
    writeLine(io.stdout);
    writeLine(io.stdout, renderReply(reply, { timeZone, color: interactive }));
    if (options.once || (!interactive && !options.readCommands)) return 0;
    writeLine(io.stdout);
    writeLine(io.stdout, 'Type /news help for commands, /news samsung to search; Ctrl-D or exit to quit.');
    await runConsoleBot({ input: io.stdin, output: io.stdout, handler: app.commands, context, interactive });
    return 0;
  } finally {
    app.close();
  }
}
