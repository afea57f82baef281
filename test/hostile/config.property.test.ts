/**
 * Hostile config files: random YAML, mutated valid configs and YAML bombs through parseConfig (a config or a
 * ConfigError whose every line names a setting, never another exception, each within PER_INPUT_MS), and the
 * common mistakes (an unknown key, a bad time, zone, URL or address range) through the real binary: exit 1 with
 * one message that names the key and the fix, and no stack trace.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ConfigError, parseConfig } from '../../src/config/config.ts';
import { countInputs, mutatedArb, randomTextArb, runs, timed } from './mutate.ts';

const VALID = `database: data/newsbrief.db
timeZone: Asia/Seoul
lang: ko
digest:
  time: "09:00"
  maxStories: 10
  windowHours: 24
search:
  maxResults: 5
fetch:
  allowAddresses: [10.0.0.0/8, "fd00::/8"]
  minIntervalSeconds: 300
alerts:
  quietHours: "22:00-07:00"
  dailyCap: 10
feeds:
  - url: https://www.yna.co.kr/rss/news.xml
    name: 연합뉴스
    lang: ko
  - url: https://feeds.example.com/tech.xml
topics:
  - id: my-startup
    names: { en: My Startup, ko: 마이스타트업 }
    aliases: [마이스타트업, MyStartup]
channels:
  - platform: slack
    channel: C0123
    time: "07:45"
    timeZone: America/New_York
    days: [mon, tue, wed, thu, fri]
    topics: [samsung-electronics]
`;

function parseOrError(text: string): void {
  try {
    timed('parseConfig', () => parseConfig(text, 'newsbrief.yaml'));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const [first, ...lines] = error.message.split('\n');
    expect(first).toMatch(/^newsbrief\.yaml (?:has (?:a mistake|\d+ mistakes):|is not valid YAML: )/);
    // every mistake on a line of its own that starts with the setting's path
    for (const line of lines) expect(line).toMatch(/^ {2}- (?:\(top level\)|[\w[\].-]+|\S.*?): \S/);
    expect(error.message).not.toMatch(/\n\s+at /);
  }
}

const count = countInputs('hostile config');

describe('parseConfig on random and mutated files', () => {
  it('reads the valid seed', () => {
    expect(parseConfig(VALID).channels[0]?.days).toEqual(['mon', 'tue', 'wed', 'thu', 'fri']);
  });

  it('gives a config or a ConfigError naming each setting, for random text, random YAML and mutated configs', () => {
    const yamlArb = fc
      .oneof(fc.jsonValue(), fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue(), { maxKeys: 6 }))
      .map((value) => stringify(value));
    fc.assert(
      fc.property(fc.oneof(randomTextArb, yamlArb, mutatedArb([VALID])), (text) => {
        count('config text');
        parseOrError(text);
      }),
      runs(1500, 6000),
    );
  });

  it('gives a ConfigError for every wrong value of a valid setting, naming that setting', () => {
    const settings = [
      ['timeZone'],
      ['lang'],
      ['digest', 'time'],
      ['digest', 'maxStories'],
      ['fetch', 'allowAddresses', 0],
      ['fetch', 'minIntervalSeconds'],
      ['alerts', 'quietHours'],
      ['feeds', 0, 'url'],
      ['topics', 0, 'id'],
      ['channels', 0, 'platform'],
      ['channels', 0, 'time'],
      ['channels', 0, 'timeZone'],
      ['channels', 0, 'days', 0],
    ] as const;
    const base = parseConfig(VALID);
    const wrong = fc.oneof(
      fc.constantFrom('', '25:00', 'Mars/Base', 'ftp://x', '10.0.0.0/33', 'nope', -1, 0, 1e9, true, null, [], {}),
      fc.jsonValue(),
    );
    fc.assert(
      fc.property(fc.constantFrom(...settings), wrong, (path, value) => {
        count('wrong value');
        const data = structuredClone(base) as Record<string | number, unknown>;
        let at: Record<string | number, unknown> = data;
        for (const part of path.slice(0, -1)) at = at[part] as Record<string | number, unknown>;
        at[path.at(-1) as string | number] = value;
        const text = stringify(data);
        parseOrError(text);
        let accepted = true;
        try {
          parseConfig(text);
        } catch (error) {
          accepted = false;
          const where = path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${p}`)).join('');
          expect((error as Error).message, JSON.stringify(value)).toContain(`- ${where}`);
        }
        // a value the schema accepts is one of the valid kind (e.g. another real zone, another HH:MM)
        if (accepted) expect(typeof value === 'string' || typeof value === 'number' || value === null).toBe(true);
      }),
      runs(800, 4000),
    );
  });

  it('refuses YAML alias bombs and deep nesting quickly', () => {
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      laughs.push(
        `${'abcdefghij'[i]}: &${'abcdefghij'[i]} [${Array(10)
          .fill(`*${'abcdefghij'[i - 1]}`)
          .join(', ')}]`,
      );
    expect(() => timed('alias bomb', () => parseConfig(laughs.join('\n')))).toThrow(ConfigError);
    parseOrError(`${'['.repeat(10_000)}${']'.repeat(10_000)}`);
    parseOrError(`${'- '.repeat(5_000)}x`);
    parseOrError(`feeds:\n${'  - url: https://x.example/\n'.repeat(20_000)}`);
  });
});

interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The real binary (as test/helpers/cli.ts runs it), asynchronously, so the mistakes run side by side. */
function startCli(args: string[], cwd: string): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(import.meta.dirname, '../../bin/newsbrief.js'), ...args], {
      cwd,
      env: {
        ...process.env,
        NEWSBRIEF_CONFIG: '',
        NEWSBRIEF_DEBUG: '',
        DISCORD_TOKEN: '',
        SLACK_BOT_TOKEN: '',
        SLACK_APP_TOKEN: '',
        SLACK_SIGNING_SECRET: '',
        HEALTH_PORT: '',
        LANG: 'en_US.UTF-8',
        LC_ALL: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

describe('config mistakes stop `newsbrief start` with one message that names the key and the fix', () => {
  it('exits 1 for an unknown key, a bad time, zone, URL and address range, with no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsbrief-hostile-config-'));
    try {
      const mistakes = [
        [
          'digest:\n  tiem: "07:00"\n',
          'digest.tiem: unknown setting: did you mean "time"? remove it or correct its name',
        ],
        ['digest:\n  time: "7am"\n', 'digest.time: must be HH:MM, 24-hour (e.g. "08:30")'],
        ['timeZone: Asia/Seul\n', 'timeZone: must be an IANA time zone such as Asia/Seoul or America/New_York'],
        ['feeds:\n  - url: "htp//news.example/rss"\n', 'feeds[0].url: must be a URL such as https://news.example/rss'],
        [
          'fetch:\n  allowAddresses: [10.0.0.0/33]\n',
          'fetch.allowAddresses[0]: must be an IP address or a CIDR range such as 10.0.0.0/8',
        ],
      ] as const;
      const results = await Promise.all(
        mistakes.map(([text], i) => {
          const file = join(dir, `config-${i}.yaml`);
          writeFileSync(file, text);
          return startCli(['start', '--once', '--config', file, '--db', join(dir, `db-${i}.db`)], dir);
        }),
      );
      results.forEach((r, i) => {
        const [, message] = mistakes[i] as readonly [string, string];
        const file = join(dir, `config-${i}.yaml`);
        expect(r.status, r.stderr).toBe(1);
        expect(r.stderr).toContain(message);
        // one message: the file, that it has a mistake, the one line naming it; nothing else, no stack
        expect(r.stderr.trim().split('\n')).toEqual([
          `newsbrief: ${file} has a mistake:`,
          expect.stringContaining(message),
        ]);
        expect(r.stderr).not.toMatch(/\n\s+at |Error:|ZodError/);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
