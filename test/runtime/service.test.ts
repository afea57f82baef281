import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { TestServer } from '../fetch/testServer.ts';
import { CANARY } from '../helpers/secrets.ts';
import { FIRST, loopbackFeedSetup, rss, SECOND, startService, until } from '../helpers/serviceProcess.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();

describe('newsbrief start as a service', () => {
  it('polls its configured feed, answers on the console, picks up a changed feed and stops cleanly on SIGTERM', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'service.db');
    const { server, configPath, setItems } = await loopbackFeedSetup(dir, dbPath);
    const service = startService(['--commands', '--config', configPath]);

    // fetched at start, with no `newsbrief ingest`
    await until('the first fetch', () => service.logs().find((l) => l.msg === 'fetched' && l.added === 1));
    service.child.stdin?.write('/news quasarlabs\n');
    await until('the answer', () => service.stdout().includes('Quasarlabs ships a photonic interconnect'));
    expect(service.stdout()).toContain('Results for "quasarlabs"');

    // the next poll sees the changed feed
    setItems([FIRST, SECOND]);
    await until(
      'the second item',
      () => service.logs().filter((l) => l.msg === 'fetched' && l.added === 1).length >= 2,
    );
    service.child.stdin?.write('/news zephyrine\n');
    await until('the new answer', () => service.stdout().includes('Zephyrine raises funding'));

    // commands are logged with their destination, outcome and duration
    expect(service.logs()).toContainEqual(
      expect.objectContaining({
        msg: 'command',
        command: 'search',
        outcome: 'ok',
        destination: 'console:local',
        ms: expect.any(Number),
      }),
    );

    const signalled = Date.now();
    service.child.kill('SIGTERM');
    const { code, at } = await service.exited;
    expect(code).toBe(0);
    expect(at - signalled).toBeLessThan(10_000);
    await server.close();

    const db = new Database(dbPath, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const titles = db.prepare('SELECT title FROM articles ORDER BY id').all() as { title: string }[];
    expect(titles.map((t) => t.title)).toEqual([FIRST.title, SECOND.title]);
    db.close();
  }, 60_000);

  it('serves /healthz and /metrics, logs no secret, and stops on SIGINT', async () => {
    const secret = CANARY.llmApiKey;
    const server = await TestServer.start();
    server.route('/feed.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss([FIRST]));
    });
    server.route('/private.xml', (_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
    });
    const dir = tempDir();
    const configPath = join(dir, 'newsbrief.yaml');
    writeFileSync(
      configPath,
      [
        `database: ${JSON.stringify(join(dir, 'health.db'))}`,
        'fetch:',
        '  allowAddresses: [127.0.0.0/8]',
        'feeds:',
        `  - url: ${server.url('/feed.xml')}`,
        // a feed whose URL carries a key, as some paid feeds do: it fails, and its log line must not show the key
        `  - url: ${server.url(`/private.xml?key=${secret}`)}`,
      ].join('\n'),
    );
    const service = startService(['--config', configPath, '--health-port', '0'], {
      NEWSBRIEF_LLM_API_KEY: secret,
      LOG_LEVEL: 'debug',
    });
    const listening = await until('the health endpoint', () =>
      service.logs().find((l) => l.msg === 'health endpoint listening on 127.0.0.1'),
    );
    await until(
      'both fetches',
      () => service.logs().filter((l) => l.msg === 'fetched' || l.msg === 'fetch failed').length >= 2,
    );
    const base = `http://127.0.0.1:${listening.port}`;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      database: { ok: true },
      adapters: [{ name: 'console', connected: true }],
      lastSuccessfulPoll: expect.stringMatching(/^\d{4}-/),
    });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/newsbrief_feed_fetches_total\{outcome="fetched"\} 1/);
    expect(metrics).toMatch(/newsbrief_feed_fetches_total\{outcome="failed"\} 1/);
    expect(metrics).toMatch(/newsbrief_articles_ingested_total 1/);

    service.child.kill('SIGINT');
    expect((await service.exited).code).toBe(0);
    await server.close();
    const failed = service.logs().find((l) => l.msg === 'fetch failed');
    expect(String(failed?.source)).toContain('/private.xml?key=[redacted]');
    expect(service.stdout() + JSON.stringify(service.logs())).not.toContain(secret);
  }, 60_000);

  it('adds a feed from chat (fetched once, polled after a restart), refuses what it cannot read, removes it', async () => {
    const server = await TestServer.start();
    server.route('/new.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss([FIRST, SECOND]));
    });
    server.route('/page.html', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body><p>Just a page.</p></body></html>');
    });
    const dir = tempDir();
    const configPath = join(dir, 'newsbrief.yaml');
    writeFileSync(
      configPath,
      [`database: ${JSON.stringify(join(dir, 'chat.db'))}`, 'fetch:', '  allowAddresses: [127.0.0.1]'].join('\n'),
    );
    const feed = server.url('/new.xml');
    const first = startService(['--commands', '--config', configPath]);
    first.child.stdin?.write(
      [
        `/news sources add ${feed}`,
        `/news sources add ${feed}`,
        `/news sources add ${server.url('/missing.xml')}`,
        `/news sources add ${server.url('/page.html')}`,
        '/news sources add http://10.20.30.40/feed.xml',
        '/news sources',
        '',
      ].join('\n'),
    );
    await until('the list', () => first.stdout().includes('1 feed:'));
    const out = first.stdout();
    expect(out).toContain('Added Loopback Tech: 2 items');
    expect(out).toContain('Not added: newsbrief already follows that feed.');
    expect(out).toContain('Not added: nothing is there');
    expect(out).toContain('Not added: that page is not an RSS, Atom or JSON feed.');
    expect(out).toContain('Not added: that address is not a public web address');
    expect(out).not.toContain('10.20.30.40 is');
    expect(out).toMatch(/- Loopback Tech \(added in chat\): fine, last read/);
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);

    // after a restart the feed is polled with the configured ones (when it is due: not fetched again at once)
    const requestsBefore = server.requests.filter((r) => r.path === '/new.xml').length;
    const second = startService(['--commands', '--config', configPath]);
    second.child.stdin?.write(`/news sources remove ${feed}\n/news sources remove ${feed}\n/news sources\n`);
    // the three answers come in order: wait for the last
    await until('the removal', () => second.stdout().includes('No feeds yet'));
    expect(second.stdout()).toContain('Removed: that feed is no longer polled');
    expect(second.stdout()).toContain('No feed added in chat has that URL');
    expect(second.logs().find((l) => l.msg === 'running')).toMatchObject({ sources: 1 });
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    expect(server.requests.filter((r) => r.path === '/new.xml').length).toBe(requestsBefore);
    await server.close();
  }, 60_000);

  it('posts a digest scheduled for the next minute to the console, on the real clock', async () => {
    const dir = tempDir();
    const configPath = join(dir, 'newsbrief.yaml');
    // the next whole minute, at least 5 s away (start-up takes about 2), in UTC
    const due = new Date(Math.ceil((Date.now() + 5_000) / 60_000) * 60_000);
    const hhmm = due.toISOString().slice(11, 16);
    writeFileSync(
      configPath,
      [
        `database: ${JSON.stringify(join(dir, 'scheduled.db'))}`,
        'lang: en',
        'channels:',
        '  - platform: console',
        '    channel: local',
        `    time: "${hhmm}"`,
        '    timeZone: UTC',
      ].join('\n'),
    );
    const service = startService(['--commands', '--config', configPath]);
    await until('the digest', () => service.logs().find((l) => l.msg === 'post' && l.outcome === 'ok'), 100_000);
    const posted = Date.now();
    expect(posted).toBeGreaterThanOrEqual(due.getTime());
    expect(posted - due.getTime()).toBeLessThan(15_000);
    expect(service.stdout().match(/Tech news digest · /g)).toHaveLength(1);
    // (that later ticks never post it again is shown with a fake clock in test/delivery)
    service.child.kill('SIGTERM');
    expect((await service.exited).code).toBe(0);
  }, 200_000);
});
