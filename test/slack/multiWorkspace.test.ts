/**
 * Multi-workspace OAuth with the real Bolt App in HTTP mode against the stand-in: workspaces install the app through
 * /slack/install and /slack/oauth_redirect as a browser would, their installations land in the SQLite file, and
 * each workspace's commands and posts use its own bot token; a workspace that never installed the app gets 401.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SLACK_BOT_SCOPES } from '../../adapters/slack/oauth.ts';
import { slackSettingsFromEnv } from '../../adapters/slack/settings.ts';
import { createSlackAdapter, type SlackAdapter } from '../../adapters/slack/slackAdapter.ts';
import type { Reply } from '../../src/commands/reply.ts';
import { DigestScheduler } from '../../src/delivery/digestScheduler.ts';
import { installationsOver } from '../../src/engine/installations.ts';
import type { PostTarget } from '../../src/engine/port.ts';
import { messages } from '../../src/messages/catalog.ts';
import { createLogger } from '../../src/ops/logger.ts';
import { CANARY } from '../helpers/secrets.ts';
import { openArchive } from './harness.ts';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  postSigned,
  SIGNING_SECRET,
  SlackStandIn,
  sign,
  slashCommand,
  waitFor,
} from './standIn.ts';

let slack: SlackStandIn;
let archive: Awaited<ReturnType<typeof openArchive>>;
let adapter: SlackAdapter;
let base = '';
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  slack = await new SlackStandIn().start();
  slack.users.set('U0ADMIN', { is_admin: true, locale: 'en-US' });
  slack.users.set('U0MEMBER', { locale: 'en-US' });
  archive = await openArchive();
  const log = createLogger({
    destination: { write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) },
    pretty: false,
    level: 'info',
  });
  const settings = slackSettingsFromEnv({
    SLACK_CLIENT_ID: CLIENT_ID,
    SLACK_CLIENT_SECRET: CLIENT_SECRET,
    SLACK_STATE_SECRET: CANARY.slackStateSecret,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
  });
  adapter = createSlackAdapter({
    settings,
    log,
    host: '127.0.0.1',
    postIntervalMs: 20,
    installations: installationsOver(archive.app.storage),
  });
  await adapter.start(archive.app.engine);
  base = `http://127.0.0.1:${adapter.port}`;
});

afterAll(async () => {
  await adapter?.stop();
  await slack?.close();
  archive?.app.close();
  if (archive) rmSync(archive.dir, { recursive: true, force: true });
});

/** Opens the install link as a browser does: the redirect to Slack's authorize page, and the state cookie. */
async function beginInstall(): Promise<{ authorize: URL; cookie: string }> {
  const response = await fetch(`${base}/slack/install`, { redirect: 'manual' });
  await response.text();
  expect(response.status).toBe(302);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { authorize: new URL(response.headers.get('location') ?? ''), cookie };
}

/**
 * Slack's redirect back to the app after someone in `team` pressed Allow (or an org admin, for an org-wide
 * install: `code` of `slack.grantOrg`); resolves with the page shown.
 */
async function finishInstall(
  team: string,
  language = 'en-US',
  code = slack.grant(team),
): Promise<{ status: number; page: string }> {
  const { authorize, cookie } = await beginInstall();
  const state = authorize.searchParams.get('state') ?? '';
  const url = `${base}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`;
  const response = await fetch(url, { headers: { cookie, 'accept-language': language }, redirect: 'manual' });
  return { status: response.status, page: await response.text() };
}

/** The workspaces org-wide installs cover, as the SQLite file holds them. */
function storedCoverage(): { team_id: string; install_key: string }[] {
  const db = new Database(archive.app.dbPath, { readonly: true });
  try {
    return db.prepare('SELECT team_id, install_key FROM installation_teams ORDER BY team_id').all() as never;
  } finally {
    db.close();
  }
}

/** The installations table as the SQLite file holds it. */
function storedInstallations(): { install_key: string; team_id: string; data: string }[] {
  const db = new Database(archive.app.dbPath, { readonly: true });
  try {
    return db.prepare('SELECT install_key, team_id, data FROM installations ORDER BY install_key').all() as never;
  } finally {
    db.close();
  }
}

/**
 * `/news <text>` from a workspace (of an Enterprise Grid org whose org-wide install covers it, with `org`), signed;
 * the HTTP status of the ack and the response_url it names.
 */
async function command(team: string, text: string, user = 'U0MEMBER', org?: { enterprise: string; orgWide: boolean }) {
  const responseUrl = slack.responseUrl();
  const fields = {
    ...slashCommand({ text, user, channel: `C0${team}`, responseUrl }),
    team_id: team,
    ...(org ? { enterprise_id: org.enterprise, is_enterprise_install: String(org.orgWide) } : {}),
  };
  return { status: await postSigned(`${base}/slack/events`, fields), responseUrl };
}

const NOTICE = {
  kind: 'notice',
  tone: 'ok',
  notice: { code: 'subscribed', params: { topic: 'x' } },
  lang: 'en',
  timeZone: 'UTC',
} as Reply;

const channelOf = (team: string): PostTarget => ({
  key: `slack:C0${team}`,
  kind: 'channel',
  platform: 'slack',
  workspace: team,
  channel: `C0${team}`,
  user: null,
});

describe('multi-workspace OAuth with the real Bolt App', () => {
  it('sends the installer to Slack with the manifest’s four bot scopes and a state of its own', async () => {
    const { authorize, cookie } = await beginInstall();
    expect(`${authorize.origin}${authorize.pathname}`).toBe('https://slack.com/oauth/v2/authorize');
    expect(authorize.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(authorize.searchParams.get('scope')).toBe('commands,chat:write,users:read,im:write');
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(cookie).toContain(authorize.searchParams.get('state'));
  });

  it('installs workspaces A and B through the redirect, each with its own token, in the SQLite file', async () => {
    const a = await finishInstall('T0A');
    expect(a.status).toBe(200);
    expect(a.page).toContain(messages('en').slack.installed);
    const b = await finishInstall('T0B', 'ko-KR,ko;q=0.9');
    expect(b.status).toBe(200);
    expect(b.page).toContain(messages('ko').slack.installed);
    const rows = storedInstallations();
    expect(rows.map((r) => [r.install_key, r.team_id])).toEqual([
      ['team:T0A', 'T0A'],
      ['team:T0B', 'T0B'],
    ]);
    const tokens = rows.map((r) => (JSON.parse(r.data) as { bot: { token: string } }).bot.token);
    expect(tokens).toEqual([slack.botTokenOf('T0A'), slack.botTokenOf('T0B')]);
    expect(new Set(tokens).size).toBe(2);
    // the code was exchanged with the app's credentials, once per install
    expect(slack.callsOf('oauth.v2.access').map((c) => c.result)).toMatchObject([{ ok: true }, { ok: true }]);
  });

  it("answers a signed command from A with A's token", async () => {
    const before = slack.calls.length;
    const { status, responseUrl } = await command('T0A', 'samsung');
    expect(status).toBe(200);
    await waitFor(() => slack.responsesTo(responseUrl).length > 0, 5000, 'the answer from A');
    expect(String(slack.responsesTo(responseUrl)[0]?.body.text)).toBe('Results for "samsung"');
    const calls = slack.calls.slice(before);
    expect(calls.map((c) => c.method)).toContain('users.info');
    expect(calls.every((c) => c.token === slack.botTokenOf('T0A'))).toBe(true);
  });

  it('refuses a command from workspace C, which never installed the app, with 401 and no answer', async () => {
    const before = slack.calls.length;
    const { status, responseUrl } = await command('T0C', 'samsung');
    expect(status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(slack.responsesTo(responseUrl)).toEqual([]);
    expect(slack.calls.slice(before)).toEqual([]);
    expect(logs.some((l) => String(l.msg).includes('without an installation'))).toBe(true);
  });

  it("posts to B's channel with B's token, and refuses a post to a workspace without an installation", async () => {
    const posted = await adapter.post(channelOf('T0B'), NOTICE);
    expect(posted.ok).toBe(true);
    const post = slack.callsOf('chat.postMessage').at(-1);
    expect(post?.args.channel).toBe('C0T0B');
    expect(post?.token).toBe(slack.botTokenOf('T0B'));
    expect(await adapter.post(channelOf('T0C'), NOTICE)).toEqual({
      ok: false,
      failure: { kind: 'forbidden', detail: 'not_installed' },
    });
    expect(await adapter.post({ ...channelOf('T0A'), workspace: null }, NOTICE)).toMatchObject({
      ok: false,
      failure: { kind: 'forbidden' },
    });
  });

  it('replaces a reinstall in place, and then uses the new token', async () => {
    const old = slack.botTokenOf('T0A');
    expect((await finishInstall('T0A')).status).toBe(200);
    expect(slack.botTokenOf('T0A')).not.toBe(old);
    expect(storedInstallations().map((r) => r.install_key)).toEqual(['team:T0A', 'team:T0B']);
    expect((await adapter.post(channelOf('T0A'), NOTICE)).ok).toBe(true);
    expect(slack.callsOf('chat.postMessage').at(-1)?.token).toBe(slack.botTokenOf('T0A'));
  });

  it('stores nothing for a redirect whose state this browser did not get, and says it did not install', async () => {
    const { cookie } = await beginInstall();
    const forged = `${base}/slack/oauth_redirect?code=${slack.grant('T0D')}&state=forged`;
    const response = await fetch(forged, { headers: { cookie }, redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(messages('en').slack.installFailed);
    expect(storedInstallations().map((r) => r.team_id)).not.toContain('T0D');
  });
});

let events = 0;

/** An Events API delivery from `team` (to the org-wide install of `enterprise`), signed as Slack signs it; the HTTP status. */
async function sendEvent(team: string, event: Record<string, unknown>, enterprise?: string): Promise<number> {
  const authorization = enterprise
    ? { enterprise_id: enterprise, team_id: null, user_id: 'U0BOT', is_bot: true, is_enterprise_install: true }
    : { team_id: team, user_id: 'U0BOT', is_bot: true, is_enterprise_install: false };
  const body = JSON.stringify({
    token: CANARY.slackVerificationToken,
    team_id: team,
    ...(enterprise ? { enterprise_id: enterprise } : {}),
    api_app_id: 'A0TEST',
    event: { ...event, event_ts: '1790000000.000100' },
    type: 'event_callback',
    event_id: `Ev${team}${++events}`,
    event_time: 1790000000,
    authorizations: [authorization],
  });
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await fetch(`${base}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': sign(SIGNING_SECRET, timestamp, body),
    },
    body,
  });
  await response.text();
  return response.status;
}

describe('removing the app from a workspace', () => {
  it('forgets the installation on app_uninstalled: commands then get 401 and posts are refused', async () => {
    expect((await finishInstall('T0E')).status).toBe(200);
    expect((await command('T0E', 'samsung')).status).toBe(200);
    expect(await sendEvent('T0E', { type: 'app_uninstalled' })).toBe(200);
    await waitFor(() => !storedInstallations().some((r) => r.team_id === 'T0E'), 5000, 'the installation removed');
    expect((await command('T0E', 'samsung')).status).toBe(401);
    expect(await adapter.post(channelOf('T0E'), NOTICE)).toMatchObject({ ok: false, failure: { kind: 'forbidden' } });
  });

  it('forgets it when the bot token is revoked, not when only a user token is', async () => {
    expect((await finishInstall('T0F')).status).toBe(200);
    expect(await sendEvent('T0F', { type: 'tokens_revoked', tokens: { oauth: ['U0ADMIN'] } })).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(storedInstallations().some((r) => r.team_id === 'T0F')).toBe(true);
    expect(await sendEvent('T0F', { type: 'tokens_revoked', tokens: { bot: ['U0BOT'] } })).toBe(200);
    await waitFor(() => !storedInstallations().some((r) => r.team_id === 'T0F'), 5000, 'the installation removed');
    // the other workspaces keep theirs
    expect(storedInstallations().map((r) => r.team_id)).toEqual(['T0A', 'T0B']);
  });
});

describe('a post-only process of a multi-workspace install', () => {
  it("needs no signing secret and posts with the target workspace's token from the installations", async () => {
    const settings = slackSettingsFromEnv(
      {
        SLACK_CLIENT_ID: CLIENT_ID,
        SLACK_CLIENT_SECRET: CLIENT_SECRET,
        SLACK_STATE_SECRET: CANARY.slackStateSecret,
        SLACK_API_URL: slack.apiUrl,
      },
      { receive: false },
    );
    expect(settings.mode).toBe('post-only');
    const log = createLogger({ destination: { write: () => undefined }, pretty: false });
    const worker = createSlackAdapter({ settings, log, installations: installationsOver(archive.app.storage) });
    await worker.start(archive.app.engine);
    try {
      expect((await worker.post(channelOf('T0B'), NOTICE)).ok).toBe(true);
      expect(slack.callsOf('chat.postMessage').at(-1)?.token).toBe(slack.botTokenOf('T0B'));
    } finally {
      await worker.stop();
    }
  });
});

describe('multi-workspace settings', () => {
  const oauth = {
    SLACK_CLIENT_ID: CLIENT_ID,
    SLACK_CLIENT_SECRET: CLIENT_SECRET,
    SLACK_STATE_SECRET: CANARY.slackStateSecret,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
  };

  it('runs HTTP mode with no bot token of its own, and asks for the manifest’s scopes', () => {
    const settings = slackSettingsFromEnv(oauth);
    expect(settings).toMatchObject({ mode: 'http', botToken: '', port: 3000, signingSecret: SIGNING_SECRET });
    expect(settings.oauth).toEqual({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      stateSecret: CANARY.slackStateSecret,
    });
    const manifest = parse(readFileSync(join(import.meta.dirname, '../../adapters/slack/manifest.yaml'), 'utf8'));
    expect([...SLACK_BOT_SCOPES].sort()).toEqual([...manifest.oauth_config.scopes.bot].sort());
  });

  it('names what is missing or in the way, never a value', () => {
    const refusal = (env: Record<string, string | undefined>) => {
      try {
        slackSettingsFromEnv(env);
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(refusal({ ...oauth, SLACK_STATE_SECRET: undefined })).toMatch(/^SLACK_STATE_SECRET is not set: /);
    expect(refusal({ SLACK_CLIENT_ID: CLIENT_ID })).toMatch(/^SLACK_CLIENT_SECRET and SLACK_STATE_SECRET are not set/);
    expect(refusal({ ...oauth, SLACK_SIGNING_SECRET: ' ' })).toMatch(/^SLACK_SIGNING_SECRET is not set: /);
    expect(refusal({ ...oauth, SLACK_BOT_TOKEN: CANARY.slackBotToken })).toMatch(/unset SLACK_BOT_TOKEN/);
    expect(refusal({ ...oauth, SLACK_APP_TOKEN: CANARY.slackAppToken })).toMatch(/unset SLACK_APP_TOKEN/);
    for (const message of [
      refusal({ ...oauth, SLACK_BOT_TOKEN: CANARY.slackBotToken }),
      refusal({ SLACK_CLIENT_ID: CLIENT_ID }),
    ]) {
      for (const secret of [CLIENT_ID, CLIENT_SECRET, CANARY.slackStateSecret, CANARY.slackBotToken]) {
        expect(message).not.toContain(secret);
      }
    }
  });

  it('needs the installations when it is made', () => {
    const log = createLogger({ destination: { write: () => undefined }, pretty: false });
    expect(() => createSlackAdapter({ settings: slackSettingsFromEnv(oauth), log })).toThrow(/keep installations in/);
  });
});

describe('an org-wide (Enterprise Grid) install', () => {
  /** 09:00 in Seoul the day after the sample's last day. */
  const DUE = Date.parse('2026-11-27T00:00:30Z');
  const scheduler = () =>
    new DigestScheduler({
      store: archive.app.storage,
      engine: archive.app.engine,
      post: (target, reply) => adapter.post(target, reply),
      openThread: (target, parent, name) => adapter.openThread(target, parent, name),
      defaultTimeZone: 'Asia/Seoul',
      now: () => new Date(DUE),
      holder: 'test:org',
    });
  const ORG = { enterprise: 'E0ORG', orgWide: true };

  it("posts a covered workspace's scheduled digest with the org's token once a command from it was authorized", async () => {
    expect((await finishInstall('E0ORG', 'en-US', slack.grantOrg('E0ORG'))).status).toBe(200);
    const org = storedInstallations().find((r) => r.install_key === 'enterprise:E0ORG');
    expect(org?.team_id).toBeNull();
    const orgToken = slack.botTokenOf('E0ORG');
    expect((JSON.parse(org?.data ?? '{}') as { bot: { token: string } }).bot.token).toBe(orgToken);
    // the install names no workspace: nothing tells the posts of T0ORGA which token is theirs yet
    expect(await adapter.post(channelOf('T0ORGA'), NOTICE)).toEqual({
      ok: false,
      failure: { kind: 'forbidden', detail: 'not_installed' },
    });

    const { status, responseUrl } = await command('T0ORGA', 'time 09:00 Asia/Seoul', 'U0ADMIN', ORG);
    expect(status).toBe(200);
    await waitFor(() => slack.responsesTo(responseUrl).length > 0, 5000, 'the answer in T0ORGA');
    expect(storedCoverage()).toEqual([{ team_id: 'T0ORGA', install_key: 'enterprise:E0ORG' }]);

    const before = slack.calls.length;
    const report = await scheduler().tick();
    expect(report).toMatchObject({ sent: 1, failed: 0 });
    const posts = slack.calls.slice(before).filter((c) => c.method === 'chat.postMessage');
    expect(posts.map((c) => [c.args.channel, c.token])).toEqual([['C0T0ORGA', orgToken]]);
    expect(archive.app.store.ledger.recent('slack:C0T0ORGA', 1)[0]?.state).toBe('sent');
  });

  it("posts with a workspace's own install where the org's covers it too", async () => {
    expect((await finishInstall('T0OWN')).status).toBe(200);
    expect((await command('T0OWN', 'samsung', 'U0MEMBER', ORG)).status).toBe(200);
    await waitFor(() => storedCoverage().some((r) => r.team_id === 'T0OWN'), 5000, 'T0OWN seen as covered');
    expect((await adapter.post(channelOf('T0OWN'), NOTICE)).ok).toBe(true);
    expect(slack.callsOf('chat.postMessage').at(-1)?.token).toBe(slack.botTokenOf('T0OWN'));
  });

  it('forgets the workspaces it covered when the org uninstalls the app, and a reinstall learns them again', async () => {
    expect(await sendEvent('T0ORGA', { type: 'app_uninstalled' }, 'E0ORG')).toBe(200);
    await waitFor(() => storedCoverage().length === 0, 5000, 'the coverage removed');
    expect(storedInstallations().map((r) => r.install_key)).not.toContain('enterprise:E0ORG');
    expect(await adapter.post(channelOf('T0ORGA'), NOTICE)).toMatchObject({
      ok: false,
      failure: { kind: 'forbidden' },
    });
    expect((await adapter.post(channelOf('T0OWN'), NOTICE)).ok).toBe(true);

    expect((await finishInstall('E0ORG', 'en-US', slack.grantOrg('E0ORG'))).status).toBe(200);
    expect(await adapter.post(channelOf('T0ORGA'), NOTICE)).toMatchObject({
      ok: false,
      failure: { kind: 'forbidden' },
    });
    expect((await command('T0ORGA', 'samsung', 'U0MEMBER', ORG)).status).toBe(200);
    await waitFor(() => storedCoverage().length === 1, 5000, 'T0ORGA seen again');
    expect((await adapter.post(channelOf('T0ORGA'), NOTICE)).ok).toBe(true);
    expect(slack.callsOf('chat.postMessage').at(-1)?.token).toBe(slack.botTokenOf('E0ORG'));
  });
});
