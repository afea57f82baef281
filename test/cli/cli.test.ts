import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_NEWS_PATH } from '../../src/paths.ts';
import { jsonLines, runCli } from '../helpers/cli.ts';
import { SEED_FORBIDDEN, SEED_PATH, SEED_PRESENT } from '../helpers/sample.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();
const FEEDS = join(SAMPLE_NEWS_PATH, 'feeds');
const SAVED = join(SAMPLE_NEWS_PATH, 'saved');

describe('newsbrief CLI', () => {
  it('prints usage and exits 2 on wrong arguments, with no stack trace', () => {
    for (const args of [
      [],
      ['bogus'],
      ['search'],
      ['extract'],
      ['summarize', '--sentences', 'x', 'f'],
      ['ingest', '--nope'],
    ]) {
      const r = runCli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('usage: newsbrief <command>');
      expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    }
    expect(runCli(['--help']).status).toBe(0);
  });

  it('takes a query word starting with - as part of the query, not as an option', () => {
    const dir = tempDir();
    const db = join(dir, 'nb.db');
    const patent = join(dir, 'patent.txt');
    const fab = join(dir, 'fab.txt');
    // Two stories, days apart (undated short notes about one company could be taken for one story).
    writeFileSync(
      patent,
      '삼성전자, 미국 특허 소송에서 이겼다\n\n등록 2026.11.20 09:00:00\n\n삼성전자가 미국 텍사스 법원에서 열린 스마트폰 ' +
        '카메라 특허 소송에서 이겼다. 배심원단은 원고 측 주장을 받아들이지 않았다. 원고는 항소하겠다고 밝혔다.\n',
    );
    writeFileSync(
      fab,
      '삼성전자, 평택 반도체 공장 증설\n\n등록 2026.11.25 09:00:00\n\n삼성전자가 평택 캠퍼스에 메모리 반도체 생산 ' +
        '라인을 늘린다. 투자 규모는 30조원이다. 새 라인은 2028년 가동한다.\n',
    );
    expect(runCli(['ingest', '--db', db, patent, fab]).status).toBe(0);
    const titles = (args: string[]) => {
      const r = runCli(['search', '--db', db, '--json', ...args]);
      expect(r.status, args.join(' ')).toBe(0);
      return JSON.parse(r.stdout).results.map((result: { title: string }) => result.title);
    };
    expect(titles(['삼성']).sort()).toEqual(['삼성전자, 미국 특허 소송에서 이겼다', '삼성전자, 평택 반도체 공장 증설']);
    for (const args of [
      // (each run starts the CLI: few cases, each covering several placements)
      ['삼성', '-특허', '--limit', '3'],
      ['-특허', '--limit', '3', '--', '삼성'],
    ]) {
      expect(titles(args), args.join(' ')).toEqual(['삼성전자, 평택 반도체 공장 증설']);
    }
    expect(runCli(['search', '--db', db, '--bogus', '삼성']).status).toBe(2);
  }, 60_000); // five CLI starts: seconds each on a busy machine

  it.skipIf(!SEED_PRESENT)('extracts the seed article exactly', () => {
    const [line] = jsonLines(runCli(['extract', SEED_PATH]).stdout);
    expect(line).toMatchObject({
      file: SEED_PATH,
      title: '저커버그, 尹대통령 29일 접견…삼성·LG 수뇌부 만난다',
      byline: '오동현 기자',
      publishedAt: '2024-02-27T17:38:39+09:00',
      updatedAt: '2024-02-27T19:41:28+09:00',
      lang: 'ko',
      source: '뉴시스',
    });
    const text = line?.text as string;
    expect(text.startsWith('오픈AI의 샘 알트만에 이어')).toBe(true);
    expect(text).toContain('\n\n');
    for (const banned of SEED_FORBIDDEN) expect(text).not.toContain(banned);
  });

  it('extracts many files in input order, reporting unreadable ones', () => {
    const dir = tempDir();
    const missing = join(dir, 'missing.txt');
    const saved = join(SAVED, 'hanbit-samsung-xr-developers.txt');
    const lines = jsonLines(runCli(['extract', saved, missing, saved]).stdout);
    expect(lines.map((l) => l.file)).toEqual([saved, missing, saved]);
    expect(lines[1]).toEqual({ file: missing, error: 'no such file' });
    expect(lines[0]?.lang).toBe('ko');
    expect(Object.keys(lines[0] ?? {})).toEqual([
      'file',
      'title',
      'byline',
      'publishedAt',
      'updatedAt',
      'lang',
      'source',
      'text',
    ]);
  });

  it('parses feeds of every format into the documented shape', () => {
    const files = [
      'hanbit-wire.rss.xml',
      'thecircuit.atom.xml',
      'bytedaily.feed.json',
      'digitaltoday-k.rdf',
      'nuri-news.euc-kr.rss.xml',
    ];
    const lines = jsonLines(runCli(['parse-feed', ...files.map((f) => join(FEEDS, f))]).stdout);
    expect(lines.map((l) => l.format)).toEqual(['rss', 'atom', 'json', 'rdf', 'rss']);
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(['file', 'format', 'title', 'link', 'language', 'items']);
      const items = line.items as Record<string, unknown>[];
      expect(items.length).toBeGreaterThan(0);
      expect(Object.keys(items[0] ?? {})).toEqual([
        'id',
        'title',
        'link',
        'published',
        'updated',
        'author',
        'summary',
        'content',
      ]);
      for (const item of items) expect(item.published).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    }
    expect(lines[4]?.title).toBe('누리뉴스');
    const bad = join(tempDir(), 'bad.xml');
    writeFileSync(bad, '<rss><channel><title>x</title><item><title>unclosed');
    const [error] = jsonLines(runCli(['parse-feed', bad]).stdout);
    expect(error?.file).toBe(bad);
  });

  it('summarizes a plain text article', () => {
    const file = join(tempDir(), 'a.txt');
    writeFileSync(
      file,
      'Nvidia ships a new AI chip\n\nNvidia said on Monday it has started shipping its newest AI accelerator to cloud customers. ' +
        'The chip doubles memory bandwidth over the previous generation. Analysts expect strong demand next year. ' +
        'The company did not disclose prices.\n',
    );
    const [line] = jsonLines(runCli(['summarize', '--sentences', '2', file]).stdout);
    expect(line?.lang).toBe('en');
    const sentences = (line?.sentences ?? []) as string[];
    expect(sentences).toHaveLength(2);
    expect(sentences[0]).toContain('Nvidia said on Monday');
  });

  it('ingests, searches and builds a digest with the documented JSON', () => {
    const db = join(tempDir(), 'nb.db');
    const ingest = runCli(['ingest', '--db', db, SAMPLE_NEWS_PATH]);
    expect(ingest.status).toBe(0);
    expect(ingest.stdout).toMatch(/^49 added, 0 updated, 0 unchanged, 1 skipped as duplicate, 0 failed$/m);
    expect(runCli(['ingest', '--db', db, SAMPLE_NEWS_PATH]).stdout).toMatch(/0 added, 0 updated, 49 unchanged/);

    const search = JSON.parse(runCli(['search', '--db', db, '--json', '--limit', '5', '엔비디아']).stdout);
    // One result per story: the sample has three stories about Nvidia (others only mention it in passing).
    expect(search.results).toHaveLength(3);
    expect(Object.keys(search.results[0])).toEqual(
      expect.arrayContaining(['id', 'title', 'url', 'source', 'publishedAt', 'lang', 'topics', 'snippet']),
    );
    expect(search.results.some((r: { topics: string[] }) => r.topics.includes('nvidia'))).toBe(true);

    const digest = JSON.parse(runCli(['digest', '--db', db, '--json', '--since', '2w']).stdout);
    expect(Object.keys(digest.window)).toEqual(['from', 'to']);
    expect(digest.stories.length).toBeGreaterThan(0);
    expect(Object.keys(digest.stories[0])).toEqual(expect.arrayContaining(['title', 'summary', 'topics', 'articles']));

    expect(runCli(['search', '--db', db, '--since', 'yesterday', 'x']).status).toBe(2);
    const human = runCli(['search', '--db', db, 'nvidia']);
    expect(human.stdout).toContain('Results for "nvidia"');
  });

  it('runs the demo once on the bundled sample news', () => {
    const db = join(tempDir(), 'demo.db');
    const r = runCli(['start', '--once', '--db', db, '--config', join(tempDir(), 'none.yaml')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('49 added');
    expect(r.stdout).toMatch(/Tech news digest · 2026-11-26 · \d+ stories from \d+ articles/);
  });

  it('speaks Korean at a Korean terminal', () => {
    const db = join(tempDir(), 'demo.db');
    const r = runCli(['start', '--once', '--db', db, '--config', join(tempDir(), 'none.yaml')], {
      env: { LANG: 'ko_KR.UTF-8' },
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('newsbrief 데모: 함께 들어 있는 샘플 뉴스를');
    expect(r.stdout).toMatch(/오늘의 테크 뉴스 · 2026-11-26 · 기사 \d+건 중 \d+개 이야기/);
  });

  it('answers commands piped to the demo with --commands', () => {
    const db = join(tempDir(), 'demo.db');
    const r = runCli(['start', '--commands', '--db', db, '--config', join(tempDir(), 'none.yaml')], {
      input: '/news 엔비디아\n/news help\n/bogus\n',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Results for "엔비디아"');
    expect(r.stdout).toContain('newsbrief commands:');
    expect(r.stdout).toContain('! Unknown command: try /news help');
  });

  it('reports a config mistake clearly and exits 1', () => {
    const config = join(tempDir(), 'newsbrief.yaml');
    writeFileSync(config, 'digest:\n  time: "7am"\n');
    const r = runCli(['start', '--once', '--config', config, '--db', join(tempDir(), 'x.db')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('digest.time: must be HH:MM');
  });
});
