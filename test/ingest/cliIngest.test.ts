import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SAMPLE_NEWS_PATH } from '../../src/paths.ts';
import { useServers } from '../fetch/testServer.ts';
import { runMainInProcess } from '../helpers/cliInProcess.ts';
import { useTempDir } from '../helpers/tempDir.ts';
import { articlePage, FULL_PARAGRAPHS, rssFeed } from './remoteFixtures.ts';

const tempDir = useTempDir();
const startServer = useServers();
const BIN = join(import.meta.dirname, '../../bin/newsbrief.js');

/** Runs the CLI in this process (the test's HTTP server keeps serving meanwhile), capturing its output. */
function runMain(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return runMainInProcess(args, {});
}

async function newsServer() {
  const server = await startServer();
  server.route('/feed.xml', (req, res) => {
    if (req.headers['if-none-match'] === '"f1"') return void res.writeHead(304).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"f1"' });
    res.end(
      rssFeed({
        title: 'The Circuit',
        link: `${server.origin}/`,
        items: [
          {
            title: 'Hanbit starts HBM5 production early',
            link: `${server.origin}/a/hbm5`,
            pubDate: 'Wed, 25 Nov 2026 09:00:00 +0900',
            description: 'Hanbit Semiconductor started mass production early…',
          },
        ],
      }),
    );
  });
  server.route('/a/hbm5', {
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: articlePage({ title: 'Hanbit starts HBM5 production early', paragraphs: FULL_PARAGRAPHS }),
  });
  return server;
}

describe('newsbrief ingest URL', () => {
  it('fetches a feed (and its teaser pages) with the address allowed, then gets a 304', async () => {
    const server = await newsServer();
    const db = join(tempDir(), 'nb.db');
    const common = ['--db', db, '--config', join(tempDir(), 'none.yaml'), '--allow-address', '127.0.0.1'];
    const first = await runMain(['ingest', ...common, server.url('/feed.xml')]);
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(
      /^added {6}Hanbit starts HBM5 production early {2}\[http:\/\/127\.0\.0\.1:\d+\/feed\.xml\]$/m,
    );
    expect(first.stdout).toMatch(/^1 added, 0 updated, 0 unchanged, 0 skipped as duplicate, 0 failed$/m);
    expect(first.status).toBe(0);
    expect(server.hits('/a/hbm5')).toHaveLength(1);

    const again = await runMain(['ingest', ...common, server.url('/feed.xml'), join(SAMPLE_NEWS_PATH, 'feeds')]);
    expect(again.stdout).toContain(`not modified (304)  [${server.url('/feed.xml')}]`);
    expect(again.stdout).toMatch(/^\d+ added, 0 updated, 0 unchanged, \d+ skipped as duplicate, 0 failed$/m);
    expect(server.hits('/feed.xml')[1]?.headers['if-none-match']).toBe('"f1"');
  });

  it('refuses the loopback server without --allow-address, and rejects a bad --allow-address', async () => {
    const server = await newsServer();
    const db = join(tempDir(), 'nb.db');
    const refused = await runMain(['ingest', '--db', db, server.url('/feed.xml')]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(
      `failed     ${server.url('/feed.xml')}: refused 127.0.0.1:${server.port}: 127.0.0.1 is a loopback address`,
    );
    expect(server.connections).toBe(0);

    const bad = await runMain(['ingest', '--db', db, '--allow-address', 'intranet', server.url('/feed.xml')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--allow-address: "intranet" is not an IP address or CIDR range');
  });

  it('works through the real binary', async () => {
    const server = await newsServer();
    const db = join(tempDir(), 'nb.db');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [BIN, 'ingest', '--db', db, '--allow-address', '127.0.0.1', server.url('/a/hbm5')],
      { env: { ...process.env, NEWSBRIEF_CONFIG: '' } },
    );
    expect(stdout).toMatch(/^added {6}Hanbit starts HBM5 production early {2}\[.+\/a\/hbm5\]$/m);
    expect(stdout).toMatch(/^1 added, 0 updated/m);
  });
});
