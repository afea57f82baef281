import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, durationMs, secretsFromEnv } from '../../src/ops/logger.ts';

/** A destination that keeps what is written; `isTTY` pretends to be a terminal. */
function capture(isTTY = false) {
  const chunks: string[] = [];
  return {
    isTTY,
    write(s: string) {
      chunks.push(s);
    },
    text: () => chunks.join(''),
    json: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

const ANSI = `${String.fromCharCode(27)}[`;

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('createLogger', () => {
  it('writes one JSON object per line with level, message, name and fields', () => {
    const out = capture();
    const logger = createLogger({ destination: out, pretty: false, name: 'newsbrief' });
    logger.info({ feed: 'https://example.com/rss' }, 'polled');
    logger.child({ platform: 'slack' }).warn('reconnecting');
    const [first, second] = out.json();
    expect(first).toMatchObject({ level: 30, msg: 'polled', name: 'newsbrief', feed: 'https://example.com/rss' });
    expect(second).toMatchObject({ level: 40, msg: 'reconnecting', platform: 'slack' });
    expect(out.text().endsWith('\n')).toBe(true);
  });

  it('drops lines below the level', () => {
    const out = capture();
    const logger = createLogger({ destination: out, pretty: false, level: 'warn' });
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(out.json().map((line) => line.msg)).toEqual(['w', 'e']);
    expect(logger.level).toBe('warn');
  });

  it('takes LOG_LEVEL when no level is given, the option over it, info without either', () => {
    vi.stubEnv('LOG_LEVEL', 'debug');
    const out = capture();
    createLogger({ destination: out, pretty: false }).debug('shown');
    expect(out.json().map((line) => line.msg)).toEqual(['shown']);
    expect(createLogger({ destination: out, level: 'error' }).level).toBe('error');
    vi.stubEnv('LOG_LEVEL', ' WARN ');
    expect(createLogger({ destination: out }).level).toBe('warn');
    vi.stubEnv('LOG_LEVEL', '');
    expect(createLogger({ destination: out }).level).toBe('info');
  });

  it('rejects an unknown level, naming the allowed ones', () => {
    expect(() => createLogger({ destination: capture(), level: 'verbose' })).toThrow(
      /"verbose".*fatal, error, warn, info, debug, trace, silent/,
    );
    vi.stubEnv('LOG_LEVEL', 'loud');
    expect(() => createLogger({ destination: capture() })).toThrow(/LOG_LEVEL.*info/);
  });

  it('writes readable lines when pretty, colored only on a terminal', () => {
    const out = capture();
    createLogger({ destination: out, pretty: true, name: 'newsbrief' }).info({ feeds: 3 }, 'refresh done');
    const text = out.text();
    expect(text).toMatch(/INFO \(newsbrief\): refresh done\n/);
    expect(text).toContain('feeds: 3');
    expect(text).not.toContain('{"level"');
    expect(text).not.toContain(ANSI);

    const tty = capture(true);
    createLogger({ destination: tty, pretty: true }).info('colored');
    expect(tty.text()).toContain(ANSI);
  });

  it('is pretty by default on a terminal and JSON otherwise', () => {
    const tty = capture(true);
    createLogger({ destination: tty }).info('hello');
    expect(tty.text()).toMatch(/INFO.*hello/);
    const pipe = capture(false);
    createLogger({ destination: pipe }).info('hello');
    expect(pipe.json()[0]).toMatchObject({ msg: 'hello' });
  });
});

describe('secret redaction', () => {
  const token = 'xoxb-1234567890-FAKEtokenVALUE';
  const llmKey = 'sk-test/with+odd=chars"and\\quotes';

  function logEverywhere(pretty: boolean) {
    const out = capture();
    const logger = createLogger({ destination: out, pretty, secrets: [token, llmKey, 'short'] });
    logger.info(`connecting with ${token} to the gateway`);
    logger.info({ request: { url: `https://slack.test/api/auth.test?token=${token}&team=T1` } }, 'request');
    logger.info({ a: { b: { c: { d: { e: `Bearer ${token}` } } } } }, 'deeply nested');
    logger.info({ url: `https://llm.test/v1?key=${encodeURIComponent(llmKey)}`, headerValue: llmKey }, 'llm call');
    const error = new Error(`invalid_auth for ${token}`);
    logger.error({ err: error }, 'auth failed');
    logger.error(error);
    logger.child({ adapter: 'slack' }).warn({ config: { note: token } }, 'child logger');
    logger.info('the word short stays');
    return out.text();
  }

  it.each([false, true])('blanks every secret value wherever it appears (pretty: %s)', (pretty) => {
    const text = logEverywhere(pretty);
    expect(text).not.toContain(token);
    expect(text).not.toContain('FAKEtokenVALUE');
    expect(text).not.toContain(encodeURIComponent(llmKey));
    expect(text).not.toContain('odd=chars');
    for (const kept of [
      'connecting with [redacted] to the gateway',
      'https://slack.test/api/auth.test?token=[redacted]&team=T1',
      'Bearer [redacted]',
      'https://llm.test/v1?key=[redacted]',
      'invalid_auth for [redacted]',
      'auth failed',
      'child logger',
      'the word short stays',
    ]) {
      expect(text).toContain(kept);
    }
    // The stack is there, with the secret taken out of its first line.
    expect(text).toMatch(/Error: invalid_auth for \[redacted\]/);
    expect(text).toContain('logger.test.ts');
  });

  it('keeps JSON lines valid after blanking', () => {
    const lines = logEverywhere(false).trim().split('\n');
    expect(lines).toHaveLength(8);
    const parsed = lines.map((line) => JSON.parse(line));
    expect(parsed[3].headerValue).toBe('[redacted]');
  });

  it('censors secret keys at any of the usual depths, even without the value being known', () => {
    const out = capture();
    createLogger({ destination: out, pretty: false }).info({
      token: 'a',
      botToken: 'b',
      slack: { appToken: 'c', signingSecret: 'd' },
      llm: { config: { apiKey: 'e' } },
      req: { headers: { authorization: 'f', host: 'example.com' } },
      user: { password: 'g', name: 'kim' },
    });
    const [line] = out.json();
    expect(line).toMatchObject({
      token: '[redacted]',
      botToken: '[redacted]',
      slack: { appToken: '[redacted]', signingSecret: '[redacted]' },
      llm: { config: { apiKey: '[redacted]' } },
      req: { headers: { authorization: '[redacted]', host: 'example.com' } },
      user: { password: '[redacted]', name: 'kim' },
    });
  });
});

describe('secretsFromEnv', () => {
  it('returns the set values of the known secrets and of *_TOKEN, *_SECRET, *_KEY, *_PASSWORD', () => {
    const secrets = secretsFromEnv({
      DISCORD_TOKEN: 'discord-token-value',
      SLACK_BOT_TOKEN: 'xoxb-bot',
      SLACK_SIGNING_SECRET: 'signing',
      NEWSBRIEF_LLM_API_KEY: 'sk-llm',
      GITHUB_TOKEN: 'ghp-x',
      DB_PASSWORD: 'pw',
      SLACK_APP_TOKEN: '',
      PATH: '/usr/bin',
      LOG_LEVEL: 'debug',
      TOKENIZER: 'bigram',
    });
    expect(secrets.sort()).toEqual(['discord-token-value', 'ghp-x', 'pw', 'signing', 'sk-llm', 'xoxb-bot']);
  });
});

describe('durationMs', () => {
  it('measures elapsed milliseconds from process.hrtime.bigint()', async () => {
    const start = process.hrtime.bigint();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const ms = durationMs(start);
    expect(ms).toBeGreaterThanOrEqual(15);
    expect(ms).toBeLessThan(2000);
  });
});

describe('in a real process, logging to stdout', () => {
  const run = promisify(execFile);
  const loggerUrl = pathToFileURL(join(import.meta.dirname, '../../src/ops/logger.ts')).href;

  async function runScript(body: string) {
    const dir = await mkdtemp(join(tmpdir(), 'newsbrief-logger-'));
    try {
      const script = join(dir, 'script.ts');
      await writeFile(script, `import { createLogger } from '${loggerUrl}';\n${body}\n`);
      return await run(process.execPath, ['--import', 'tsx', script], { timeout: 15_000 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it('keeps the line logged right before process.exit, and many before it', async () => {
    const { stdout } = await runScript(
      `const log = createLogger({ secrets: ['process-secret-123'] });
       for (let i = 0; i < 2000; i++) log.info({ i }, 'line process-secret-123');
       log.fatal('last words');
       process.exit(3);`,
    ).catch((error: { code?: number; stdout: string }) => {
      expect(error.code).toBe(3);
      return error;
    });
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(2001);
    expect(JSON.parse(lines.at(-1) as string)).toMatchObject({ level: 60, msg: 'last words' });
    expect(stdout).not.toContain('process-secret-123');
  });

  it('does not keep the process alive', async () => {
    const started = Date.now();
    const { stdout } = await runScript(`createLogger({ pretty: true }).info('bye');`);
    expect(stdout).toMatch(/INFO.*bye/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
