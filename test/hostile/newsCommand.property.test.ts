/**
 * Hostile `/news` arguments: random and mutated command lines through parseNewsCommand (a command or a usage
 * notice, never an exception, every field in range) and through Engine.handle on the sample archive in a real
 * SQLite file (a reply for every line, never the internal-failure notice, each within PER_INPUT_MS), with random
 * platforms, channels, locales and manager rights. The database passes `PRAGMA integrity_check` afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteApp } from '../../src/app.ts';
import { type Command, type CommandError, isTimeZone, parseNewsCommand } from '../../src/commands/command.ts';
import type { Reply } from '../../src/commands/reply.ts';
import { openSampleApp } from '../helpers/sample.ts';
import { countInputs, mutatedArb, randomTextArb, runs, timed, timedAsync } from './mutate.ts';

const SEEDS = [
  'subscribe samsung',
  '구독 삼성전자',
  'unsubscribe nvidia',
  'time 07:30 Asia/Seoul mon-fri',
  '시간 08:00 평일',
  'schedule 23:59 America/New_York sat,sun',
  'why https://www.yna.co.kr/view/AKR20261126000100017',
  'sources add https://feeds.example.com/rss.xml',
  'sources remove https://feeds.example.com/rss.xml',
  'alerts on',
  'language en',
  'limit stories 5',
  'limit alerts 3',
  'layout thread',
  '레이아웃 한번에',
  'digest preview',
  '알림 끄기',
  '"exact phrase" -gaming since:2026-11-01 until:2026-11-20 lang:ko source:연합뉴스 topic:ai',
  'hbm 24h',
  'digest',
  'pause',
  'status',
  '/news help',
];

/** Every kind the parser may give (typed, so a new kind must be added here). */
const KIND: Record<Command['kind'] | 'invalid', true> = {
  search: true,
  help: true,
  topics: true,
  subscribe: true,
  unsubscribe: true,
  digest: true,
  preview: true,
  language: true,
  limit: true,
  layout: true,
  schedule: true,
  pause: true,
  resume: true,
  status: true,
  why: true,
  alerts: true,
  sources: true,
  invalid: true,
};
const KINDS = new Set(Object.keys(KIND));

/** The parser's contract: one of the known kinds, each field in range. */
function checkParsed(input: string): Command | CommandError {
  const parsed = timed('parseNewsCommand', () => parseNewsCommand(input));
  expect(KINDS.has(parsed.kind), parsed.kind).toBe(true);
  switch (parsed.kind) {
    case 'search':
      expect(parsed.query.length).toBeLessThanOrEqual(500);
      break;
    case 'schedule':
      expect(parsed.time).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
      if (parsed.timeZone !== null) expect(isTimeZone(parsed.timeZone) || parsed.timeZone === 'UTC').toBe(true);
      for (const day of parsed.weekdays ?? []) expect(day >= 1 && day <= 7).toBe(true);
      if (parsed.weekdays) expect([...new Set(parsed.weekdays)].sort()).toEqual(parsed.weekdays);
      break;
    case 'why':
      expect(parsed.url).toMatch(/^https?:\/\/\S+$/i);
      break;
    case 'sources':
      if (parsed.action === 'add' || parsed.action === 'remove') expect(parsed.url).toMatch(/^https?:\/\/\S+$/i);
      if (parsed.action === 'backlog')
        expect(Number.isInteger(parsed.count) && Number.isInteger(parsed.source)).toBe(true);
      break;
    case 'language':
      expect(['ko', 'en']).toContain(parsed.lang);
      break;
    case 'layout':
      expect(['single', 'thread']).toContain(parsed.layout);
      break;
    case 'limit':
      if (parsed.count !== null)
        expect(Number.isInteger(parsed.count) && parsed.count > 0, String(parsed.count)).toBe(true);
      break;
    case 'invalid':
      expect(typeof parsed.notice.code).toBe('string');
      break;
  }
  return parsed;
}

const count = countInputs('hostile /news');

describe('parseNewsCommand', () => {
  it('parses random and mutated command lines into a command or a usage notice', () => {
    for (const seed of SEEDS) expect(checkParsed(seed).kind).not.toBe('invalid');
    fc.assert(
      fc.property(fc.oneof(randomTextArb, mutatedArb(SEEDS), fc.string({ maxLength: 5000 })), (text) => {
        count('parse');
        checkParsed(text);
        checkParsed(`/news ${text}`);
      }),
      runs(3000, 4000),
    );
  });

  it('reads every combination of time, zone and days words', () => {
    const word = fc.oneof(
      fc.constantFrom(...Intl.supportedValuesOf('timeZone')),
      fc.constantFrom('UTC', 'gmt', 'Mars/Base', 'Asia/', '/', 'Etc/GMT+99', '../../etc/passwd', 'Asia/Seoul/x'),
      fc.constantFrom(
        'mon-fri',
        'sun-mon',
        'fri-mon',
        'mon,mon',
        '월-금',
        '주말',
        'daily',
        'mon--fri',
        ',',
        '-',
        'x-y',
      ),
      fc.string({ maxLength: 12 }),
    );
    const time = fc.oneof(
      fc.tuple(fc.integer({ min: -1, max: 25 }), fc.integer({ min: -1, max: 61 })).map(([h, m]) => `${h}:${m}`),
      fc.constantFrom('7:05', '07:5', '24:00', '23:60', '00:00', '7am', ''),
    );
    fc.assert(
      fc.property(time, fc.array(word, { maxLength: 3 }), (t, words) => {
        count('schedule words');
        checkParsed(['time', t, ...words].join(' '));
      }),
      runs(1500, 3000),
    );
  });
});

describe('Engine.handle with arbitrary text, on a real SQLite store', () => {
  let dir: string;
  let app: SqliteApp;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'newsbrief-hostile-'));
    app = await openSampleApp(dir);
  });
  afterAll(() => {
    app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const requestArb = fc.record({
    platform: fc.constantFrom('slack', 'discord', 'console'),
    workspace: fc.option(fc.constantFrom('T1', 'T2', 'G1'), { nil: null }),
    channel: fc.option(fc.constantFrom('C1', 'C2', 'D1'), { nil: null }),
    user: fc.constantFrom('U1', 'U2'),
    locale: fc.option(fc.oneof(fc.constantFrom('ko', 'en-US', 'ko-KR', 'xx', ''), fc.string({ maxLength: 10 })), {
      nil: null,
    }),
    isManager: fc.boolean(),
    text: fc.oneof(randomTextArb, mutatedArb(SEEDS)),
  });

  it('answers every line with a reply, never the internal-failure notice, each in time', async () => {
    await fc.assert(
      fc.asyncProperty(requestArb, async (request) => {
        count('engine');
        const reply: Reply = await timedAsync('Engine.handle', () => app.engine.handle(request));
        expect(typeof reply.kind).toBe('string');
        expect(reply.kind === 'notice' ? reply.notice.code : null, JSON.stringify(request.text)).not.toBe('failed');
        expect(['ko', 'en']).toContain(reply.lang);
        expect(isTimeZone(reply.timeZone) || reply.timeZone === 'UTC').toBe(true);
        timed('suggestTopics', () => app.engine.suggestTopics(request.text, request.locale, 25));
      }),
      runs(250, 10_000),
    );
  });

  it('leaves a database that passes its integrity check', () => {
    expect(app.store.destinations.list().length).toBeGreaterThan(0);
    const db = new Database(join(dir, 'nb.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });
});
