import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { type commandDefinitions, inviteUrl } from '../../adapters/discord/commands.ts';
import { DiscordAdapter } from '../../adapters/discord/discordBot.ts';
import { main } from '../../cli/main.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { CANARY } from '../helpers/secrets.ts';
import { useTempDir } from '../helpers/tempDir.ts';
import { DiscordStandin, memoryLog, TOKEN, until } from './standin.ts';

const BIN = join(import.meta.dirname, '../../bin/newsbrief.js');
const tempDir = useTempDir();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function standinUp(): Promise<DiscordStandin> {
  const standin = await new DiscordStandin().start();
  cleanups.push(() => standin.close());
  return standin;
}

/** No engine is needed to log in; interactions are not sent in these tests. */
const NO_ENGINE = {} as Engine;

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

async function cli(args: string[], env: Record<string, string>) {
  const out = sink();
  const err = sink();
  const code = await main(args, { stdin: process.stdin, stdout: out.stream, stderr: err.stream, env });
  return { code, stdout: out.text(), stderr: err.text() };
}

describe('Discord start-up', () => {
  it('refuses a bad token with one sentence, at once, without retrying', async () => {
    const standin = await standinUp();
    const log = memoryLog();
    const adapter = new DiscordAdapter({ token: 'wrong', apiBase: standin.apiBase, log, loginBackoffMs: 10 });
    const started = Date.now();
    await expect(adapter.start(NO_ENGINE)).rejects.toThrow(/^Discord rejected DISCORD_TOKEN \(401 Unauthorized\)/);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(standin.requests.filter((r) => r.path === '/gateway/bot')).toHaveLength(1);
    expect(standin.identifies).toHaveLength(0);
  });

  it('`newsbrief start` with a bad DISCORD_TOKEN prints one line and exits 1', async () => {
    const standin = await standinUp();
    const dir = tempDir();
    const child = spawn(
      process.execPath,
      [BIN, 'start', '--db', join(dir, 'nb.db'), '--config', join(dir, 'none.yaml')],
      {
        env: {
          ...process.env,
          DISCORD_TOKEN: CANARY.discordWrongToken,
          DISCORD_API_BASE: standin.apiBase,
          SLACK_BOT_TOKEN: '',
          SLACK_APP_TOKEN: '',
          SLACK_SIGNING_SECRET: '',
          LOG_LEVEL: 'warn',
          NEWSBRIEF_DEBUG: '',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    const lines = err.trim().split('\n');
    const ours = lines.filter((l) => l.startsWith('newsbrief: '));
    expect(ours).toEqual([
      'newsbrief: Discord rejected DISCORD_TOKEN (401 Unauthorized): copy the bot token again from the Developer Portal (Bot → Reset Token)',
    ]);
    expect(err).not.toMatch(/^\s+at /m);
    expect(err).not.toContain(CANARY.discordWrongToken);
  }, 30_000);

  it('backs off between login attempts while Discord cannot be reached, then says so', async () => {
    const standin = await standinUp();
    const base = standin.apiBase;
    await standin.close();
    const log = memoryLog();
    const adapter = new DiscordAdapter({ token: TOKEN, apiBase: base, log, loginAttempts: 3, loginBackoffMs: 100 });
    const started = Date.now();
    await expect(adapter.start(NO_ENGINE)).rejects.toThrow(/^could not connect to Discord at .* after 3 attempts/);
    const retries = log.lines.filter((l) => l.message === 'Discord login failed; retrying');
    expect(retries.map((l) => l.fields.attempt)).toEqual([1, 2]);
    const delays = retries.map((l) => l.fields.retryInMs as number);
    // doubling with ±25 % jitter: about 100 ms, then about 200 ms
    expect(delays[0]).toBeGreaterThanOrEqual(75);
    expect(delays[1]).toBeGreaterThanOrEqual(150);
    expect(Date.now() - started).toBeGreaterThanOrEqual(225);
  });

  it('resumes the gateway session after a dropped connection instead of identifying again', async () => {
    const standin = await standinUp();
    const log = memoryLog();
    const adapter = new DiscordAdapter({ token: TOKEN, apiBase: standin.apiBase, log });
    cleanups.push(() => adapter.stop());
    await adapter.start(NO_ENGINE);
    expect(adapter.isConnected()).toBe(true);
    standin.dropGateway(4000);
    await until(() => standin.resumes.length > 0, 10_000, 'a RESUME');
    await until(() => adapter.isConnected(), 5000, 'connected again');
    expect(standin.resumes[0]?.session_id).toBe(standin.sessionId);
    expect(standin.identifies).toHaveLength(1);
    expect(log.lines.some((l) => l.message === 'Discord gateway session resumed')).toBe(true);
  });
});

describe('an interaction whose handling fails', () => {
  it('is still answered, in the caller’s language, and the failure is logged', async () => {
    const standin = await standinUp();
    const log = memoryLog();
    const adapter = new DiscordAdapter({ token: TOKEN, apiBase: standin.apiBase, log });
    cleanups.push(() => adapter.stop());
    // anything that throws past the engine's own net (a rendering bug, a REST error) stands in as a failing engine
    const failing = { handle: () => Promise.reject(new Error('boom')) } as unknown as Engine;
    await adapter.start(failing);
    const channel = standin.addChannel('news');
    const record = standin.interact({
      type: 2,
      channel,
      locale: 'ko',
      data: standin.command('news', [{ name: 'query', type: 3, value: 'samsung' }]),
    });
    const answer = () => record.callbacks.find((c) => c.type === 4)?.data ?? record.edits[0];
    await until(answer, 10_000, 'an answer');
    expect(answer()?.content).toBe('처리 중 문제가 생겼습니다. 오류는 기록되었으니 잠시 뒤 다시 시도해 주세요.');
    expect(log.lines.some((l) => l.message === 'Discord interaction failed')).toBe(true);
  });
});

describe('newsbrief discord register | invite', () => {
  it('registers /news and /newsbrief on one server, with Manage Server on the settings command', async () => {
    const standin = await standinUp();
    const guild = standin.guildId;
    const env = { DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: standin.apiBase };
    const result = await cli(['discord', 'register', '--guild', guild], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`registered /news, /newsbrief on server ${guild}: usable there now\n`);
    expect(standin.registrations.map((r) => r.route)).toEqual([
      `/applications/${standin.appId}/guilds/${guild}/commands`,
    ]);
    const [news, newsbrief] = (standin.registrations[0]?.body ?? []) as ReturnType<typeof commandDefinitions>;
    expect(news?.options?.[0]).toMatchObject({ name: 'query', type: 3, required: true, autocomplete: true });
    expect(news?.description_localizations?.ko).toBeTruthy();
    expect(newsbrief?.default_member_permissions).toBe('32');
    expect(newsbrief?.contexts).toEqual([0]);
    expect(newsbrief?.options?.map((o) => o.name)).toEqual([
      'digest',
      'subscribe',
      'unsubscribe',
      'subscriptions',
      'schedule',
      'preview',
      'language',
      'layout',
      'limit',
      'pause',
      'resume',
      'status',
      'why',
      'sources',
      'help',
    ]);
    const limit = newsbrief?.options?.find((o) => o.name === 'limit') as { options?: { name: string }[] };
    expect(limit?.options?.map((o) => o.name)).toEqual(['what', 'count']);
    const layout = newsbrief?.options?.find((o) => o.name === 'layout') as {
      options?: { name: string; choices?: { value: string }[] }[];
    };
    expect(layout?.options?.[0]?.choices?.map((c) => c.value)).toEqual(['single', 'thread']);
    const schedule = newsbrief?.options?.find((o) => o.name === 'schedule') as { options?: { name: string }[] };
    expect(schedule?.options?.map((o) => o.name)).toEqual(['time', 'timezone', 'days']);
    const sources = newsbrief?.options?.find((o) => o.name === 'sources') as {
      type: number;
      options?: { name: string; options?: { name: string; required?: boolean }[] }[];
    };
    expect(sources.type).toBe(2);
    expect(sources.options?.map((o) => o.name)).toEqual(['list', 'add', 'remove']);
    expect(sources.options?.[1]?.options).toMatchObject([
      { name: 'url', required: true },
      { name: 'last', required: false },
    ]);

    const global = await cli(['discord', 'register'], env);
    expect(global.code).toBe(0);
    expect(standin.registrations[1]?.route).toBe(`/applications/${standin.appId}/commands`);
  });

  it('prints the invite URL with only the five permissions it needs: three to post, two for threads', async () => {
    const standin = await standinUp();
    const result = await cli(['discord', 'invite'], { DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: standin.apiBase });
    expect(result.code).toBe(0);
    const url = new URL(result.stdout.trim());
    expect(url.origin + url.pathname).toBe('https://discord.com/oauth2/authorize');
    expect(url.searchParams.get('client_id')).toBe(standin.appId);
    expect(url.searchParams.get('scope')).toBe('bot applications.commands');
    // View Channel, Send Messages, Embed Links; Create Public Threads, Send Messages in Threads
    expect(url.searchParams.get('permissions')).toBe(String(1024 + 2048 + 16384 + 2 ** 35 + 2 ** 38));
    expect(inviteUrl('123')).toContain('client_id=123');
  });

  it('says plainly when the token is missing or wrong, and what the arguments should be', async () => {
    const standin = await standinUp();
    const missing = await cli(['discord', 'invite'], {});
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^newsbrief: DISCORD_TOKEN is not set/);
    const wrong = await cli(['discord', 'register'], {
      DISCORD_TOKEN: CANARY.discordWrongToken,
      DISCORD_API_BASE: standin.apiBase,
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe(
      'newsbrief: Discord rejected DISCORD_TOKEN (401 Unauthorized): copy the bot token again from the Developer Portal\n',
    );
    const usage = await cli(['discord', 'register', '--guild', 'abc'], { DISCORD_TOKEN: TOKEN });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^newsbrief: --guild takes a server id/);
  });
});
