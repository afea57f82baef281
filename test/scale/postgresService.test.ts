/**
 * `newsbrief start` on PostgreSQL (NEWSBRIEF_DATABASE_URL): the same service as on the SQLite file, its ingest
 * thread and its commands on the shared database.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFailed } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { TEST_DATABASE_URL } from '../helpers/postgres.ts';
import { CANARY } from '../helpers/secrets.ts';
import { FIRST, freePort, loopbackFeedSetup, SECOND, startService, until } from '../helpers/serviceProcess.ts';
import { useTempDir } from '../helpers/tempDir.ts';
import { queryRows, useTestDatabase } from '../helpers/testDatabase.ts';
import { CLIENT_ID, CLIENT_SECRET, postSigned, SIGNING_SECRET, SlackStandIn, slashCommand } from '../slack/standIn.ts';

const tempDir = useTempDir();
const clusterUrl = process.env[TEST_DATABASE_URL];

describe('newsbrief start with NEWSBRIEF_DATABASE_URL', () => {
  it('stops at start with one sentence naming the server, never the password, when PostgreSQL cannot be reached', async () => {
    const dir = tempDir();
    const service = startService(['--config', join(dir, 'none.yaml'), '--once'], {
      NEWSBRIEF_DATABASE_URL: `postgres://nb:${CANARY.password}@127.0.0.1:1/newsbrief`,
    });
    const { code } = await service.exited;
    expect(code).toBe(1);
    expect(service.stderr()).toMatch(
      /^newsbrief: NEWSBRIEF_DATABASE_URL: cannot reach PostgreSQL at 127\.0\.0\.1:1: the connection was refused/m,
    );
    expect(service.stderr() + service.stdout()).not.toContain(CANARY.password);
    // no SQLite file was made instead
    expect(service.stdout()).not.toContain('demo');
  }, 30_000);

  it('runs roles apart only on PostgreSQL, and names the roles it knows', () => {
    const dir = tempDir();
    const config = join(dir, 'newsbrief.yaml');
    writeFileSync(config, `database: ${JSON.stringify(join(dir, 'nb.db'))}\n`);
    const onSqlite = runCli(['start', '--role', 'worker', '--config', config]);
    expect(onSqlite.status).toBe(1);
    expect(existsSync(join(dir, 'nb.db'))).toBe(false);
    expect(onSqlite.stderr.trim()).toBe(
      'newsbrief: the roles run apart only on PostgreSQL, through its job queue: set NEWSBRIEF_DATABASE_URL, or start one process without --role (it runs every role)',
    );
    const unknown = runCli(['start', '--role', 'web,poller', '--config', config]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('--role takes web, worker, scheduler (or several, comma-separated), not "poller"');
    const gateway = runCli(['start', '--role', 'web', '--config', config], {
      env: {
        NEWSBRIEF_DATABASE_URL: 'postgres://nb@127.0.0.1:1/newsbrief',
        DISCORD_TOKEN: 'x',
        DISCORD_PUBLIC_KEY: '',
      },
    });
    expect(gateway.status).toBe(1);
    expect(gateway.stderr).toContain(
      'a web process takes Discord commands as HTTP interactions: set DISCORD_PUBLIC_KEY',
    );
    const once = runCli(['start', '--once', '--role', 'worker', '--config', config]);
    expect(once.status).toBe(2);
    expect(once.stderr).toContain('--once runs every role in one process: leave out --role');
  }, 60_000);

  describe.skipIf(!clusterUrl && !process.env.CI)('on a running PostgreSQL', () => {
    const testDatabase = useTestDatabase();

    it('polls its feed into PostgreSQL, answers from it, and a second start finds what the first stored', async () => {
      const dir = tempDir();
      const dbPath = join(dir, 'unused.db');
      const { server, configPath, setItems } = await loopbackFeedSetup(dir, dbPath);
      const env = { NEWSBRIEF_DATABASE_URL: testDatabase().url };
      const first = startService(['--commands', '--config', configPath], env);
      await until('the first fetch', () => first.logs().find((l) => l.msg === 'fetched' && l.added === 1));
      expect(first.logs().find((l) => l.msg === 'running')).toMatchObject({ database: 'postgres' });
      first.child.stdin?.write('/news quasarlabs\n');
      await until('the answer', () => first.stdout().includes('Quasarlabs ships a photonic interconnect'));
      setItems([FIRST, SECOND]);
      await until(
        'the second item',
        () => first.logs().filter((l) => l.msg === 'fetched' && l.added === 1).length >= 2,
      );
      first.child.kill('SIGTERM');
      expect((await first.exited).code).toBe(0);

      const titles = await queryRows<{ title: string }>(testDatabase().url, 'SELECT title FROM articles ORDER BY id');
      expect(titles.map((t) => t.title)).toEqual([FIRST.title, SECOND.title]);
      const stories = await queryRows<{ n: string }>(testDatabase().url, 'SELECT count(*) AS n FROM story_articles');
      expect(Number(stories[0]?.n)).toBe(2);

      // a restart on the same database: the archive is there, nothing is fetched twice into it
      const second = startService(['--commands', '--config', configPath], env);
      await until('running', () => second.logs().find((l) => l.msg === 'running'));
      expect(second.logs().find((l) => l.msg === 'running')).toMatchObject({ articles: 2 });
      second.child.stdin?.write('/news zephyrine\n');
      await until('the answer after the restart', () => second.stdout().includes('Zephyrine raises funding'));
      second.child.kill('SIGTERM');
      expect((await second.exited).code).toBe(0);
      await server.close();
      expect(await queryRows(testDatabase().url, 'SELECT id FROM articles')).toHaveLength(2);

      // the command line reads the same database; the SQLite file was never made
      const search = runCli(['search', '--json', 'zephyrine', '--config', configPath], { env });
      expect(search.status).toBe(0);
      const found = JSON.parse(search.stdout) as { results: { title: string }[] };
      expect(found.results.map((r) => r.title)).toEqual([SECOND.title]);
      expect(existsSync(dbPath)).toBe(false);
    }, 90_000);

    it('keeps a multi-workspace Slack install in PostgreSQL: installed through the web role, answered, others refused', async () => {
      const slack = await new SlackStandIn().start();
      const dir = tempDir();
      const configPath = join(dir, 'newsbrief.yaml');
      writeFileSync(configPath, `database: ${JSON.stringify(join(dir, 'unused.db'))}\nlang: en\n`);
      const port = await freePort();
      const web = startService(['--role', 'web', '--config', configPath], {
        NEWSBRIEF_DATABASE_URL: testDatabase().url,
        SLACK_CLIENT_ID: CLIENT_ID,
        SLACK_CLIENT_SECRET: CLIENT_SECRET,
        SLACK_STATE_SECRET: CANARY.slackStateSecret,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        NEWSBRIEF_INSTALLATION_KEY: CANARY.installationKey,
        SLACK_API_URL: slack.apiUrl,
        PORT: String(port),
      });
      onTestFailed(() => console.error(web.stderr().slice(-3000)));
      try {
        await until('the web role', () => web.logs().find((l) => l.msg === 'running'), 60_000);
        const base = `http://127.0.0.1:${port}`;
        const begun = await fetch(`${base}/slack/install`, { redirect: 'manual' });
        await begun.text();
        expect(begun.status).toBe(302);
        const cookie = (begun.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
        const state = new URL(begun.headers.get('location') ?? '').searchParams.get('state') ?? '';
        const back = await fetch(
          `${base}/slack/oauth_redirect?code=${slack.grant('T0PUBLIC')}&state=${encodeURIComponent(state)}`,
          { headers: { cookie }, redirect: 'manual' },
        );
        await back.text();
        expect(back.status).toBe(200);
        const stored = await queryRows<{ team_id: string; data: string }>(
          testDatabase().url,
          'SELECT team_id, data::text AS data FROM installations',
        );
        expect(stored.map((r) => r.team_id)).toEqual(['T0PUBLIC']);
        // encrypted at rest with NEWSBRIEF_INSTALLATION_KEY: no token in the row, and no warning that there is none
        expect(stored[0]?.data).toMatch(/newsbriefSealed/);
        expect(stored[0]?.data).not.toContain(slack.botTokenOf('T0PUBLIC'));
        expect(web.logs().some((l) => String(l.msg).includes('NEWSBRIEF_INSTALLATION_KEY'))).toBe(false);

        const ask = async (team: string) => {
          const responseUrl = slack.responseUrl();
          const fields = { ...slashCommand({ text: 'help', channel: `C0${team}`, responseUrl }), team_id: team };
          return { status: await postSigned(`${base}/slack/events`, fields), responseUrl };
        };
        const installed = await ask('T0PUBLIC');
        expect(installed.status).toBe(200);
        await until('the answer', () => slack.responsesTo(installed.responseUrl).length > 0, 15_000);
        expect(slack.calls.filter((c) => c.method === 'users.info').at(-1)?.token).toBe(slack.botTokenOf('T0PUBLIC'));
        expect((await ask('T0OTHER')).status).toBe(401);
      } finally {
        web.child.kill('SIGTERM');
        await web.exited;
        await slack.close();
      }
      expect((await web.exited).code).toBe(0);
    }, 90_000);
  });
});
