import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, durationMs, secretsFromEnv } from '../../src/ops/logger.ts';
import { CANARY } from '../helpers/secrets.ts';

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
  const token = CANARY.slackBotToken;
  const llmKey = CANARY.oddApiKey;

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
    expect(text).not.toContain('botcanary');
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
      DISCORD_TOKEN: CANARY.discordToken,
      SLACK_BOT_TOKEN: CANARY.slackBotToken,
      SLACK_SIGNING_SECRET: CANARY.slackSigningSecret,
      NEWSBRIEF_LLM_API_KEY: CANARY.llmApiKey,
      GITHUB_TOKEN: CANARY.otherToken,
      DB_PASSWORD: CANARY.password,
      SLACK_APP_TOKEN: '',
      PATH: '/usr/bin',
      LOG_LEVEL: 'debug',
      TOKENIZER: 'bigram',
    });
    expect(secrets.sort()).toEqual(
      [
        CANARY.discordToken,
        CANARY.otherToken,
        CANARY.password,
        CANARY.slackSigningSecret,
        CANARY.llmApiKey,
        CANARY.slackBotToken,
      ].sort(),
    );
  });

  it('takes the password of a database URL and PGPASSWORD, not the rest of the URL', () => {
    const encoded = encodeURIComponent(`${CANARY.password}/@:`);
    expect(secretsFromEnv({ NEWSBRIEF_DATABASE_URL: `postgres://nb:${encoded}@db.internal:5432/newsbrief` })).toEqual([
      `${CANARY.password}/@:`,
    ]);
    expect(
      secretsFromEnv({ DATABASE_URL: 'postgres://nb@db.internal/newsbrief', PGPASSWORD: CANARY.password }),
    ).toEqual([CANARY.password]);
    expect(secretsFromEnv({ NEWSBRIEF_DATABASE_URL: 'not a url' })).toEqual([]);
  });
});

describe('the log copy (copyTo, NEWSBRIEF_LOG_COPY)', () => {
  it('appends every line, redacted and as JSON, to the file, pretty output or not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'newsbrief-logcopy-'));
    try {
      const file = join(dir, 'copy.log');
      const out = capture(true);
      const log = createLogger({ destination: out, copyTo: file, secrets: [CANARY.slackBotToken] });
      log.info(`using ${CANARY.slackBotToken}`);
      log.child({ adapter: 'slack' }).warn({ n: 2 }, 'second');
      const lines = (await readFile(file, 'utf8')).trim().split('\n');
      expect(lines.map((l) => JSON.parse(l))).toMatchObject([
        { level: 30, msg: 'using [redacted]' },
        { level: 40, adapter: 'slack', n: 2, msg: 'second' },
      ]);
      expect(out.text()).toMatch(/INFO.*using \[redacted\]/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
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
      `const log = createLogger({ secrets: ['${CANARY.llmApiKey}'] });
       for (let i = 0; i < 2000; i++) log.info({ i }, 'line ${CANARY.llmApiKey}');
       log.fatal('last words');
       process.exit(3);`,
    ).catch((error: { code?: number; stdout: string }) => {
      expect(error.code).toBe(3);
      return error;
    });
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(2001);
    expect(JSON.parse(lines.at(-1) as string)).toMatchObject({ level: 60, msg: 'last words' });
    expect(stdout).not.toContain(CANARY.llmApiKey);
  });

  it('copies its lines to NEWSBRIEF_LOG_COPY, which it inherits', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'newsbrief-logcopy-'));
    const suiteCopy = process.env.NEWSBRIEF_LOG_COPY;
    try {
      process.env.NEWSBRIEF_LOG_COPY = join(dir, 'copy.log');
      const { stdout } = await runScript(`createLogger().info('from a child');`);
      const copied = await readFile(join(dir, 'copy.log'), 'utf8');
      expect(copied).toBe(stdout);
      expect(JSON.parse(copied)).toMatchObject({ msg: 'from a child' });
    } finally {
      if (suiteCopy === undefined) delete process.env.NEWSBRIEF_LOG_COPY;
      else process.env.NEWSBRIEF_LOG_COPY = suiteCopy;
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('does not keep the process alive', async () => {
    const started = Date.now();
    const { stdout } = await runScript(`createLogger({ pretty: true }).info('bye');`);
    expect(stdout).toMatch(/INFO.*bye/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
