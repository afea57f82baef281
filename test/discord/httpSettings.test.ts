/**
 * HTTP interactions from the environment: `DISCORD_PUBLIC_KEY` checked at start (one sentence when wrong), the
 * port and host, and the whole service started with them (health, no gateway, a command answered over HTTP).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../adapters/discord/discordBot.ts';
import { interactionsSettingsFromEnv } from '../../adapters/discord/httpInteractions.ts';
import { chooseAdapters } from '../../runtime/adapters.ts';
import { useTempDir } from '../helpers/tempDir.ts';
import { DiscordStandin, memoryLog, TOKEN, until } from './standin.ts';

const KEY = `${'a'.repeat(40)}0123456789ABCDEFabcdef00`;
const KEY_SENTENCE =
  "DISCORD_PUBLIC_KEY must be the application's public key from the Discord Developer Portal (General Information): 64 hexadecimal characters.";

describe('DISCORD_PUBLIC_KEY and the endpoint settings', () => {
  it('leaves HTTP interactions off without a key', () => {
    expect(interactionsSettingsFromEnv({})).toBeNull();
    expect(interactionsSettingsFromEnv({ DISCORD_PUBLIC_KEY: '  ' })).toBeNull();
  });

  it('takes a 64-hex key, on PORT or DISCORD_INTERACTIONS_PORT, at DISCORD_INTERACTIONS_HOST', () => {
    expect(KEY).toHaveLength(64);
    expect(interactionsSettingsFromEnv({ DISCORD_PUBLIC_KEY: ` ${KEY} ` })).toEqual({
      publicKey: KEY.toLowerCase(),
      port: 3000,
    });
    expect(interactionsSettingsFromEnv({ DISCORD_PUBLIC_KEY: KEY, PORT: '8080' })).toEqual({
      publicKey: KEY.toLowerCase(),
      port: 8080,
    });
    expect(
      interactionsSettingsFromEnv({
        DISCORD_PUBLIC_KEY: KEY,
        PORT: '8080',
        DISCORD_INTERACTIONS_PORT: '8443',
        DISCORD_INTERACTIONS_HOST: '127.0.0.1',
      }),
    ).toEqual({ publicKey: KEY.toLowerCase(), port: 8443, host: '127.0.0.1' });
  });

  it('refuses a key that is not 64 hex characters in one sentence', () => {
    for (const bad of ['xyz', KEY.slice(1), `${KEY}0`, `${KEY.slice(1)}g`, `0x${KEY.slice(2)}`]) {
      expect(() => interactionsSettingsFromEnv({ DISCORD_PUBLIC_KEY: bad })).toThrow(KEY_SENTENCE);
      expect(() => createDiscordAdapter({ DISCORD_TOKEN: TOKEN, DISCORD_PUBLIC_KEY: bad }, memoryLog())).toThrow(
        KEY_SENTENCE,
      );
    }
  });

  it('refuses a port that is not one', () => {
    expect(() => interactionsSettingsFromEnv({ DISCORD_PUBLIC_KEY: KEY, DISCORD_INTERACTIONS_PORT: 'http' })).toThrow(
      'DISCORD_INTERACTIONS_PORT must be a whole number from 0 to 65535, not "http".',
    );
    expect(() => interactionsSettingsFromEnv({ DISCORD_PUBLIC_KEY: KEY, PORT: '70000' })).toThrow(
      'PORT must be a whole number from 0 to 65535, not "70000".',
    );
  });

  it("asks for a port of its own when Slack's HTTP mode holds PORT", () => {
    const slackHttp = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret', DISCORD_PUBLIC_KEY: KEY };
    expect(() => interactionsSettingsFromEnv(slackHttp)).toThrow(
      "Slack's HTTP mode already listens on port 3000: set DISCORD_INTERACTIONS_PORT to another port for Discord's HTTP interactions.",
    );
    expect(() =>
      interactionsSettingsFromEnv({ ...slackHttp, PORT: '8080', DISCORD_INTERACTIONS_PORT: '8080' }),
    ).toThrow("Slack's HTTP mode already listens on port 8080");
    expect(interactionsSettingsFromEnv({ ...slackHttp, DISCORD_INTERACTIONS_PORT: '3001' })?.port).toBe(3001);
    // Socket Mode listens on nothing
    expect(interactionsSettingsFromEnv({ ...slackHttp, SLACK_APP_TOKEN: 'xapp-1' })?.port).toBe(3000);
  });

  it('still needs the bot token: a public key alone chooses Discord, which says so', () => {
    const io = { stdin: process.stdin, stdout: process.stdout };
    expect(() =>
      chooseAdapters({
        env: { DISCORD_PUBLIC_KEY: KEY },
        io,
        log: memoryLog() as never,
        readCommands: false,
        lang: 'en',
      }),
    ).toThrow('DISCORD_TOKEN is empty: set it to the bot token from the Discord Developer Portal');
  });
});

const tempDir = useTempDir();
const BIN = join(import.meta.dirname, '../../bin/newsbrief.js');
const children: ChildProcess[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const close of closers.splice(0).reverse()) await close();
});

/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the service with DISCORD_PUBLIC_KEY', () => {
  it('answers commands over HTTP with no gateway, and its health says Discord is connected', async () => {
    const standin = await new DiscordStandin().start();
    closers.push(() => standin.close());
    const channel = standin.addChannel('news');
    const dir = tempDir();
    const configPath = join(dir, 'newsbrief.yaml');
    writeFileSync(configPath, [`database: ${JSON.stringify(join(dir, 'nb.db'))}`, 'lang: en'].join('\n'));
    const [port, healthPort] = [await freePort(), await freePort()];
    const child = spawn(process.execPath, [BIN, 'start', '--config', configPath, '--health-port', String(healthPort)], {
      env: {
        ...process.env,
        DISCORD_TOKEN: TOKEN,
        DISCORD_API_BASE: standin.apiBase,
        DISCORD_PUBLIC_KEY: standin.publicKeyHex,
        DISCORD_INTERACTIONS_PORT: String(port),
        DISCORD_INTERACTIONS_HOST: '127.0.0.1',
        SLACK_BOT_TOKEN: '',
        SLACK_APP_TOKEN: '',
        SLACK_SIGNING_SECRET: '',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let logs = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      logs += chunk.toString('utf8');
    });
    await until(() => logs.includes('"msg":"running"'), 30_000, 'the service to run');
    expect(logs).toContain(`"mode":"http","port":${port},"path":"/discord/interactions"`);

    const health = (await (await fetch(`http://127.0.0.1:${healthPort}/healthz`)).json()) as {
      adapters: { name: string; connected: boolean }[];
    };
    expect(health.adapters).toEqual([{ name: 'discord', connected: true }]);
    expect(standin.identifies).toEqual([]);

    standin.useHttpInteractions(`http://127.0.0.1:${port}/discord/interactions`);
    expect((await standin.ping()).body).toBe('{"type":1}');
    const record = standin.interact({
      type: 2,
      channel,
      data: standin.command('news', [{ name: 'query', type: 3, value: 'help' }]),
    });
    await until(() => record.http, 10_000, 'the HTTP answer');
    console.info(
      `[http interactions] the service, /news query:help: HTTP ${record.http?.status} in ${record.http?.ms} ms`,
    );
    expect(record.http?.status).toBe(200);
    const answer = record.http?.json as { type: number; data: { flags: number; allowed_mentions: unknown } };
    expect(answer.type).toBe(4);
    expect(answer.data.flags).toBe(64);
    expect(answer.data.allowed_mentions).toEqual({ parse: [] });
    expect(record.callbacks).toHaveLength(1);
    expect(record.errors).toEqual([]);
    expect(standin.identifies).toEqual([]);
  });
});
