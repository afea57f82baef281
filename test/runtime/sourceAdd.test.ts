import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscordStandin, P, snowflake, TOKEN, until } from '../discord/standin.ts';
import { TestServer } from '../fetch/testServer.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();
const BIN = join(import.meta.dirname, '../../bin/newsbrief.js');
const STRING = 3;
const INTEGER = 4;
const SUBCOMMAND = 1;
const SUBCOMMAND_GROUP = 2;

/** Eight items about unrelated things (so that each is a story of its own), the newest first, all of today. */
const SUBJECTS = ['volcano', 'saxophone', 'glacier', 'tapestry', 'origami', 'lighthouse', 'accordion', 'meteorite'];
const OTHER_SUBJECTS = ['cactus', 'harpsichord', 'submarine', 'porcelain', 'tornado', 'bagpipe', 'trombone', 'fjord'];

function feed(name: string, prefix: string, subjects: readonly string[]): string {
  const now = Date.now();
  const items = subjects.map((subject, i) => {
    const when = new Date(now - (i + 1) * 20 * 60_000).toUTCString();
    const words = `${prefix} ${subject}`;
    return `<item><title>${words} researchers publish a ${subject} study</title>
<link>https://${prefix}.example/${subject}</link><guid>https://${prefix}.example/${subject}</guid><pubDate>${when}</pubDate>
<description>The ${words} team said on Tuesday that its ${subject} findings, gathered over ${i + 3} years, change how ${subject} experts work. The ${subject} report runs to ${i + 40} pages.</description></item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${name}</title>
<link>https://${prefix}.example/</link><language>en</language>${items.join('\n')}</channel></rss>`;
}

const children: ChildProcess[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const close of closers.splice(0).reverse()) await close();
});

describe('adding a feed from chat without surprises (the real service, Discord stand-in)', () => {
  it('finds the feed a page links to, says what it holds, holds its backlog, and lets in only what is asked', async () => {
    const server = await TestServer.start();
    closers.push(() => server.close());
    server.route('/blog.html', (_req, res) => {
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(
          '<!doctype html><html><head><title>Blog</title><link rel="stylesheet" href="/s.css">' +
            '<link rel="alternate" type="application/rss+xml" title="Blog feed" href="/blog/feed.xml"></head>' +
            '<body><p>Welcome.</p></body></html>',
        );
    });
    server.route('/blog/feed.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed('Loopback Blog', 'alpha', SUBJECTS));
    });
    server.route('/other.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed('Other Wire', 'beta', OTHER_SUBJECTS));
    });
    const standin = await new DiscordStandin().start();
    closers.push(() => standin.close());
    const channel = standin.addChannel('feeds');

    const dir = tempDir();
    const configPath = join(dir, 'newsbrief.yaml');
    writeFileSync(
      configPath,
      [`database: ${JSON.stringify(join(dir, 'nb.db'))}`, 'lang: en', 'fetch:', '  allowAddresses: [127.0.0.1]'].join(
        '\n',
      ),
    );
    const child = spawn(process.execPath, [BIN, 'start', '--config', configPath], {
      env: {
        ...process.env,
        DISCORD_TOKEN: TOKEN,
        DISCORD_API_BASE: standin.apiBase,
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

    const ask = async (data: Record<string, unknown>, type: 2 | 3 = 2, message?: Record<string, unknown>) => {
      const record = standin.interact({
        type,
        channel,
        permissions: P.ManageGuild,
        data,
        ...(message ? { message } : {}),
      });
      const answer = () =>
        record.edits[0] ?? record.followUps[0] ?? record.callbacks.find((c) => c.type === 4 || c.type === 7)?.data;
      await until(answer, 20_000, 'the answer');
      // a digest may come as several messages
      await new Promise((resolve) => setTimeout(resolve, 300));
      const all = [answer(), ...record.followUps.slice(record.edits[0] ? 0 : 1)];
      return { ...answer(), embeds: all.flatMap((m) => m?.embeds ?? []) } as {
        content?: string;
        embeds?: { title?: string; description?: string }[];
        components?: { components: { label?: string; custom_id?: string }[] }[];
      };
    };
    const newsbrief = (options: Parameters<DiscordStandin['command']>[1]) => standin.command('newsbrief', options);
    const addSource = (url: string) =>
      ask(
        newsbrief([
          {
            name: 'sources',
            type: SUBCOMMAND_GROUP,
            options: [{ name: 'add', type: SUBCOMMAND, options: [{ name: 'url', type: STRING, value: url }] }],
          },
        ]),
      );
    const digestArticles = async () => {
      const reply = await ask(newsbrief([{ name: 'digest', type: SUBCOMMAND, options: [] }]));
      return (reply.embeds ?? []).filter((e) => /^\d+\. /.test(e.title ?? '')).map((e) => e.title ?? '');
    };

    // a page, not a feed: its <link rel="alternate"> names the feed, which is followed instead
    const added = await addSource(server.url('/blog.html'));
    expect(added.content).toContain('Added Loopback Blog: 8 items, mostly in English, newest “alpha volcano');
    expect(added.content).toContain(
      `it names this one, which newsbrief follows instead: ${server.url('/blog/feed.xml')}`,
    );
    expect(added.content).toContain('Only new items go into digests; the 8 earlier ones are kept for search only.');
    const buttons = added.components?.[0]?.components ?? [];
    expect(buttons.map((b) => b.label)).toEqual(['Also the last 3', 'Also the last 8']);

    // "only new": the backlog stays out of the digest, and search still finds it
    expect(await digestArticles()).toEqual([]);
    const found = await ask(standin.command('news', [{ name: 'query', type: STRING, value: 'alpha glacier' }]));
    expect(found.embeds?.[0]?.title).toContain('alpha glacier researchers');

    // "also the last 3": exactly the three newest come into the next digest
    const take = buttons[0]?.custom_id as string;
    const taken = await ask({ custom_id: take, component_type: 2 }, 3, {
      id: snowflake(),
      channel_id: channel.id,
      content: '',
      type: 20,
      author: {},
      embeds: [],
    });
    expect(taken.content).toBe('Let 3 earlier items of the feed into the next digest.');
    const three = await digestArticles();
    expect(three).toHaveLength(3);
    for (const subject of SUBJECTS.slice(0, 3)) expect(three.some((t) => t.includes(`alpha ${subject}`))).toBe(true);

    // with the choice up front: /newsbrief sources add url:… last:3
    const typed = await ask(
      newsbrief([
        {
          name: 'sources',
          type: SUBCOMMAND_GROUP,
          options: [
            {
              name: 'add',
              type: SUBCOMMAND,
              options: [
                { name: 'url', type: STRING, value: server.url('/other.xml') },
                { name: 'last', type: INTEGER, value: 3 },
              ],
            },
          ],
        },
      ]),
    );
    expect(typed.content).toContain('Its newest 3 items go into the next digest; the 5 earlier ones are kept');
    const six = await digestArticles();
    expect(six.filter((t) => t.includes('beta '))).toHaveLength(3);
    expect(six.filter((t) => t.includes('alpha '))).toHaveLength(3);

    // a second press on a button of a feed this channel did not add is refused
    const other = standin.addChannel('elsewhere');
    const refused = standin.interact({
      type: 3,
      channel: other,
      permissions: P.ManageGuild,
      data: { custom_id: take, component_type: 2 },
      message: { id: snowflake(), channel_id: other.id, content: '', type: 20, author: {}, embeds: [] },
    });
    const refusalOf = () => refused.edits[0] ?? refused.callbacks.find((c) => c.type === 4)?.data;
    await until(refusalOf, 20_000, 'the refusal');
    const refusal = refusalOf() as { content?: string };
    expect(refusal.content).toBe('Only the channel that added a feed in chat can let its earlier items in.');
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('exit', resolve));
  }, 120_000);
});
