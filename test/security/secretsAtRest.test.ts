/**
 * Secrets never stored in plain text: the real service runs with every token and key set (Slack in Socket
 * Mode against the stand-in, Discord against its stand-in, a language model that cannot be reached), answers
 * commands that create destinations, subscriptions and ledger rows on both platforms, stops; then the bytes of
 * the SQLite file and its WAL are searched for every secret, as typed, UTF-16 and base64.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withoutPayloadSecrets } from '../../adapters/slack/boltLogger.ts';
import { DiscordStandin, P, until } from '../discord/standin.ts';
import { CANARY, keepChildOutput } from '../helpers/secrets.ts';
import { useTempDir } from '../helpers/tempDir.ts';
import { SlackStandIn, slashCommand, TEAM } from '../slack/standIn.ts';

const tempDir = useTempDir();
const BIN = join(import.meta.dirname, '../../bin/newsbrief.js');
const STRING = 3;
const SUBCOMMAND = 1;
const closers: (() => Promise<void>)[] = [];
let child: ChildProcess | undefined;

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  for (const close of closers.reverse()) await close();
});

/** The forms a secret could take in a file: as typed, UTF-16 (SQLite's other text encoding), base64. */
function forms(secret: string): Buffer[] {
  return [
    Buffer.from(secret, 'utf8'),
    Buffer.from(secret, 'utf16le'),
    Buffer.from(Buffer.from(secret).toString('base64')),
    Buffer.from(encodeURIComponent(secret)),
  ];
}

describe('secrets at rest', () => {
  it('the database never holds a token, signing secret or API key', async () => {
    const slack = await new SlackStandIn().start();
    closers.push(() => slack.close());
    slack.users.set('U0ADMIN', { is_admin: true, locale: 'en-US' });
    const discord = await new DiscordStandin().start();
    closers.push(() => discord.close());
    const channel = discord.addChannel('news');
    const dir = tempDir();
    const dbPath = join(dir, 'nb.db');
    const configPath = join(dir, 'newsbrief.yaml');
    writeFileSync(configPath, `database: ${JSON.stringify(dbPath)}\nlang: en\n`);
    let err = '';
    child = spawn(process.execPath, [BIN, 'start', '--config', configPath], {
      env: {
        ...process.env,
        LANG: 'en_US.UTF-8',
        LOG_LEVEL: 'debug',
        SLACK_BOT_TOKEN: CANARY.slackBotToken,
        SLACK_APP_TOKEN: CANARY.slackAppToken,
        SLACK_SIGNING_SECRET: CANARY.slackSigningSecret,
        SLACK_API_URL: slack.apiUrl,
        DISCORD_TOKEN: CANARY.discordToken,
        DISCORD_API_BASE: discord.apiBase,
        NEWSBRIEF_LLM_API_KEY: CANARY.llmApiKey,
        NEWSBRIEF_LLM_BASE_URL: 'http://127.0.0.1:9/v1',
        NEWSBRIEF_LLM_MODEL: 'stand-in',
        HEALTH_PORT: '',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => child?.on('exit', (code) => resolve(code)));
    await until(() => slack.socketClients > 0 && err.includes('connected to Discord'), 30_000, 'both adapters');

    // Slack: a search, a subscription by an admin, a digest preview
    for (const text of ['samsung', 'subscribe nvidia', 'digest']) {
      const responseUrl = slack.responseUrl();
      await slack.sendEnvelope('slash_commands', { ...slashCommand({ text, user: 'U0ADMIN', responseUrl }) });
      await until(() => slack.responsesTo(responseUrl).length > 0, 15_000, `the answer to ${text}`);
    }
    // Discord: a search and a subscription by a manager
    for (const data of [
      discord.command('news', [{ name: 'query', type: STRING, value: 'nvidia' }]),
      discord.command('newsbrief', [
        { name: 'subscribe', type: SUBCOMMAND, options: [{ name: 'topic', type: STRING, value: 'samsung' }] },
      ]),
    ]) {
      const record = discord.interact({ type: 2, channel, permissions: P.ManageGuild | P.ViewChannel, data });
      await until(() => record.callbacks[0], 15_000, 'a Discord answer');
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    keepChildOutput(err);

    const files = [dbPath, `${dbPath}-wal`, `${dbPath}-shm`].filter(existsSync);
    const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
    // the scan reads what the service wrote: both destinations and the subscriptions are in these bytes
    expect(bytes.includes(Buffer.from(`slack:${slashCommand({ text: '', responseUrl: '' }).channel_id}`))).toBe(true);
    expect(bytes.includes(Buffer.from(`discord:${channel.id}`))).toBe(true);
    expect(bytes.includes(Buffer.from(TEAM))).toBe(true);
    for (const [name, secret] of Object.entries(CANARY)) {
      for (const form of forms(secret)) expect(bytes.includes(form), `${name} in ${files.join(', ')}`).toBe(false);
    }
  }, 60_000);
});

describe('Bolt debug lines', () => {
  it('quote payloads without their verification token or response_url', () => {
    const line = `Received a message on the WebSocket: {"envelope_id":"e1","payload":{"token":"${CANARY.slackVerificationToken}","team_id":"T1","response_url":"https://hooks.slack.com/commands/T1/1/abc","text":"samsung"}}`;
    const clean = withoutPayloadSecrets(line);
    expect(clean).toBe(
      'Received a message on the WebSocket: {"envelope_id":"e1","payload":{"token":"[redacted]","team_id":"T1","response_url":"[redacted]","text":"samsung"}}',
    );
    expect(
      withoutPayloadSecrets(`body token=${CANARY.slackVerificationToken}&team_id=T1&response_url=https%3A%2F%2Fh`),
    ).toBe('body token=[redacted]&team_id=T1&response_url=[redacted]');
  });
});
