/**
 * The Slack adapter's settings, from the environment only (tokens are secrets and never live in a file). Every
 * mistake is one sentence that names the variable, never its value.
 */

import type { AdapterFactoryOptions } from '../../src/engine/port.ts';

/** `post-only`: no Socket Mode, no HTTP receiver; only the bot token, for posting (a worker process). */
export type SlackMode = 'socket' | 'http' | 'post-only';

export interface SlackSettings {
  botToken: string;
  /** `xapp-…`: Socket Mode. */
  appToken: string | null;
  /** HTTP mode: requests are verified with it. */
  signingSecret: string | null;
  mode: SlackMode;
  /** HTTP mode: the port the receiver listens on (0: any free port); not read in the other modes. */
  port: number;
  /** The Web API's base URL, ending in `/` (Slack's own unless `SLACK_API_URL` moves it). */
  apiUrl: string;
  /** User ids that may change settings besides the workspace's admins and owners (`SLACK_MANAGERS`). */
  managers: ReadonlySet<string>;
  /**
   * Multi-workspace OAuth (`SLACK_CLIENT_ID`, `SLACK_CLIENT_SECRET`, `SLACK_STATE_SECRET`): workspaces install the
   * app at /slack/install, and each one's bot token comes from its installation (`botToken` is then empty).
   */
  oauth?: SlackOAuthSettings | null;
}

export interface SlackOAuthSettings {
  clientId: string;
  clientSecret: string;
  /** Signs the OAuth `state` parameter, so that a redirect is only taken for an install this app began. */
  stateSecret: string;
}

export const SLACK_API_URL = 'https://slack.com/api/';
const DEFAULT_PORT = 3000;

/**
 * The settings `npm start` runs with, or an Error whose message is the one line the CLI prints. With
 * `receive: false` only `SLACK_BOT_TOKEN` is needed: the app token, signing secret and port are not read.
 */
export function slackSettingsFromEnv(
  env: Record<string, string | undefined>,
  options: AdapterFactoryOptions = {},
): SlackSettings {
  const oauth = oauthFrom(env);
  if (oauth) return multiWorkspaceSettings(env, oauth, options.receive !== false);
  const botToken = env.SLACK_BOT_TOKEN?.trim() ?? '';
  if (options.receive === false) {
    if (!botToken) throw new Error('SLACK_BOT_TOKEN is not set: posting to Slack needs the bot token (xoxb-…).');
    checkBotToken(botToken);
    return {
      botToken,
      appToken: null,
      signingSecret: null,
      mode: 'post-only',
      port: 0,
      apiUrl: apiUrlFrom(env.SLACK_API_URL),
      managers: managersFrom(env.SLACK_MANAGERS),
    };
  }
  const appToken = env.SLACK_APP_TOKEN?.trim() || null;
  const signingSecret = env.SLACK_SIGNING_SECRET?.trim() || null;
  if (!botToken) {
    throw new Error(
      'SLACK_BOT_TOKEN is not set: the Slack adapter needs the bot token (xoxb-…) with SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode).',
    );
  }
  checkBotToken(botToken);
  if (appToken !== null && !appToken.startsWith('xapp-')) {
    throw new Error(
      'SLACK_APP_TOKEN is not an app-level token: it must start with xapp- (Basic Information → App-Level Tokens, scope connections:write).',
    );
  }
  if (appToken === null && signingSecret === null) {
    throw new Error(
      'Slack needs SLACK_APP_TOKEN (Socket Mode, no public URL) or SLACK_SIGNING_SECRET (HTTP mode) beside SLACK_BOT_TOKEN.',
    );
  }
  return {
    botToken,
    appToken,
    signingSecret,
    mode: appToken !== null ? 'socket' : 'http',
    port: portFrom(env.PORT),
    apiUrl: apiUrlFrom(env.SLACK_API_URL),
    managers: managersFrom(env.SLACK_MANAGERS),
  };
}

const OAUTH_VARIABLES = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const;

/** Whether the environment asks for a multi-workspace (OAuth) Slack install: any of its credentials set. */
export const isMultiWorkspace = (env: Record<string, string | undefined>): boolean =>
  OAUTH_VARIABLES.some((name) => Boolean(env[name]?.trim()));

/** The OAuth credentials when any of them is set (then all must be), else null: single-workspace mode. */
function oauthFrom(env: Record<string, string | undefined>): SlackOAuthSettings | null {
  const [clientId, clientSecret, stateSecret] = OAUTH_VARIABLES.map((name) => env[name]?.trim() ?? '');
  const missing = OAUTH_VARIABLES.filter((name) => !env[name]?.trim());
  if (missing.length === OAUTH_VARIABLES.length) return null;
  if (missing.length > 0) {
    throw new Error(
      `${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set: a multi-workspace install needs SLACK_CLIENT_ID, SLACK_CLIENT_SECRET (Basic Information → App Credentials) and SLACK_STATE_SECRET (any long random string).`,
    );
  }
  return { clientId: clientId as string, clientSecret: clientSecret as string, stateSecret: stateSecret as string };
}

function multiWorkspaceSettings(
  env: Record<string, string | undefined>,
  oauth: SlackOAuthSettings,
  receive: boolean,
): SlackSettings {
  if (env.SLACK_BOT_TOKEN?.trim()) {
    throw new Error(
      "SLACK_BOT_TOKEN is set beside SLACK_CLIENT_ID: a multi-workspace install takes each workspace's bot token from its installation, so unset SLACK_BOT_TOKEN.",
    );
  }
  if (env.SLACK_APP_TOKEN?.trim()) {
    throw new Error(
      'SLACK_APP_TOKEN is set beside SLACK_CLIENT_ID: a multi-workspace install runs in HTTP mode, so unset SLACK_APP_TOKEN and set SLACK_SIGNING_SECRET.',
    );
  }
  const signingSecret = env.SLACK_SIGNING_SECRET?.trim() || null;
  if (receive && signingSecret === null) {
    throw new Error(
      'SLACK_SIGNING_SECRET is not set: a multi-workspace install runs in HTTP mode, which verifies every request with it (Basic Information → App Credentials).',
    );
  }
  return {
    botToken: '',
    appToken: null,
    signingSecret,
    mode: receive ? 'http' : 'post-only',
    port: receive ? portFrom(env.PORT) : 0,
    apiUrl: apiUrlFrom(env.SLACK_API_URL),
    managers: managersFrom(env.SLACK_MANAGERS),
    oauth,
  };
}

function checkBotToken(botToken: string): void {
  if (!botToken.startsWith('xoxb-')) {
    throw new Error(
      'SLACK_BOT_TOKEN is not a bot token: it must start with xoxb- (OAuth & Permissions in the app settings).',
    );
  }
}

function managersFrom(value: string | undefined): ReadonlySet<string> {
  return new Set(
    (value ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean),
  );
}

function portFrom(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PORT must be a whole number from 0 to 65535, not "${value.slice(0, 20)}".`);
  }
  return port;
}

function apiUrlFrom(value: string | undefined): string {
  if (value === undefined || value.trim() === '') return SLACK_API_URL;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new Error('SLACK_API_URL is not a URL: use the Web API base such as https://slack.com/api/.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error('SLACK_API_URL must start with http:// or https://.');
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}
