import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../../src/config/config.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();

describe('config', () => {
  it('gives defaults for an empty or missing file', () => {
    const { config, path } = loadConfig(join(tempDir(), 'absent.yaml'));
    expect(path).toBeNull();
    expect(config.timeZone).toBe('Asia/Seoul');
    expect(config.digest).toEqual({ time: '09:00', maxStories: 10, windowHours: 24, graceMinutes: 120 });
    expect(config.fetch).toEqual({ allowAddresses: [], minIntervalSeconds: 300, noticeAfterHours: 6 });
    expect(config.feeds).toEqual([]);
  });

  it('reads feeds, topics and channels', () => {
    const file = join(tempDir(), 'newsbrief.yaml');
    writeFileSync(
      file,
      [
        'timeZone: America/New_York',
        'feeds:',
        '  - url: https://news.example/rss',
        '    name: Example',
        'topics:',
        '  - id: my-startup',
        '    aliases: [마이스타트업, MyStartup]',
        'channels:',
        '  - platform: slack',
        '    channel: C0123',
        '    time: "07:45"',
        '    topics: [samsung-electronics]',
      ].join('\n'),
    );
    const { config } = loadConfig(file);
    expect(config.feeds[0]?.url).toBe('https://news.example/rss');
    expect(config.topics[0]?.aliases).toEqual(['마이스타트업', 'MyStartup']);
    expect(config.channels[0]?.time).toBe('07:45');
  });

  it('lists every mistake with its path in one clear error', () => {
    const text = 'timeZone: Mars/Base\ndigest: {time: "25:00", bogus: 1}\nfeeds: [{url: "ftp://x.example"}]\n';
    let message = '';
    try {
      parseConfig(text, 'my.yaml');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain('my.yaml has 4 mistakes');
    expect(message).toContain('timeZone: must be an IANA time zone');
    expect(message).toContain('digest.time: must be HH:MM');
    expect(message).toContain('digest.bogus: unknown setting: remove it or correct its name (settings here: time,');
    expect(message).toContain('feeds[0].url: must start with http:// or https://');
  });

  it('reports broken YAML without a stack trace', () => {
    expect(() => parseConfig('feeds: [1,', 'bad.yaml')).toThrow(/bad.yaml is not valid YAML/);
  });
});

describe('config: the service settings', () => {
  it('names the key and the fix for a bad address range, interval, day or grace', () => {
    const mistakes = [
      ['fetch:\n  allowAddresses: [10.0.0.0/33]\n', 'fetch.allowAddresses[0]: must be an IP address or a CIDR range'],
      ['fetch:\n  allowAddresses: ["1.2.3"]\n', 'fetch.allowAddresses[0]: must be an IP address or a CIDR range'],
      ['fetch:\n  minIntervalSeconds: 0\n', 'fetch.minIntervalSeconds'],
      [
        'channels:\n  - platform: slack\n    channel: C1\n    days: [funday]\n',
        'channels[0].days[0]: must be one of mon',
      ],
      ['digest:\n  graceMinutes: -5\n', 'digest.graceMinutes'],
      ['fetch:\n  allowAdresses: []\n', 'fetch'],
    ] as const;
    for (const [text, message] of mistakes) expect(() => parseConfig(text)).toThrow(message);
    expect(parseConfig('fetch:\n  allowAddresses: [127.0.0.1, "fd00::/8"]\n').fetch.allowAddresses).toEqual([
      '127.0.0.1',
      'fd00::/8',
    ]);
  });
});
