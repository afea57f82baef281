/**
 * A local stand-in for Slack: the Web API (`POST /api/<method>`, form-encoded or JSON, Bearer token), the
 * `response_url`s of commands (`POST /response/<id>`) and Socket Mode (`apps.connections.open` → a ws:// URL
 * on the same server, `hello`, envelopes acked by id) and the OAuth code exchange of a multi-workspace install
 * (`oauth.v2.access`: each workspace granted gets a bot token of its own, which the Web API then answers for).
 * Everything it receives is recorded for the tests.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

import { CANARY } from './secrets.ts';

export const BOT_TOKEN = CANARY.slackBotToken;
export const APP_TOKEN = CANARY.slackAppToken;
export const SIGNING_SECRET = CANARY.slackSigningSecret;
export const TEAM = 'T0TEST';
/** The app's OAuth credentials, as Basic Information → App Credentials shows them. */
export const CLIENT_ID = '1111111111.2222222222';
export const CLIENT_SECRET = CANARY.slackClientSecret;

export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  token: string | null;
  /** The workspace (or org, for an org-wide install) the token belongs to (null: no token the stand-in knows). */
  team: string | null;
  at: number;
  /** What the stand-in answered (a Web API result), or the HTTP status it gave. */
  result?: unknown;
}

export interface Response {
  id: string;
  body: Record<string, unknown>;
  at: number;
}

/** A scripted answer: a Web API result (HTTP 200), or an HTTP status with headers. */
export type Scripted = { ok: boolean; [key: string]: unknown } | { status: number; headers?: Record<string, string> };

/** Slack's marks on a redelivered envelope. */
export interface Redelivery {
  retryAttempt?: number;
  retryReason?: string;
}

export interface StandInUser {
  is_admin?: boolean;
  is_owner?: boolean;
  locale?: string;
}

export class SlackStandIn {
  readonly calls: ApiCall[] = [];
  readonly responses: Response[] = [];
  readonly users = new Map<string, StandInUser>();
  /** Envelopes acked over Socket Mode, by envelope id. */
  readonly acks = new Map<string, Record<string, unknown>>();
  /** The ts of every message posted, by channel: what a reply's `thread_ts` may name. */
  private readonly posted = new Map<string, Set<string>>();
  private readonly scripts = new Map<string, ((call: ApiCall) => Scripted | undefined)[]>();
  private server!: Server;
  private wss!: WebSocketServer;
  private sockets = new Set<WebSocket>();
  private tsCounter = 0;
  private failingResponses: { status: number; remaining: number } = { status: 500, remaining: 0 };
  private envelopes = 0;
  private responseIds = 0;
  /** Bot token → its workspace: the single-workspace token, and one per workspace installed by OAuth. */
  private readonly botTokens = new Map<string, string>([[BOT_TOKEN, TEAM]]);
  /** OAuth codes not yet exchanged → the workspace, or the org (Enterprise Grid), whose install they finish. */
  private readonly codes = new Map<string, { id: string; org: boolean }>();
  private grants = 0;
  /** Methods answered only after this many ms (the call is recorded on arrival, as Slack has it then). */
  private readonly delays = new Map<string, number>();
  port = 0;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.serve(req).then(
        ({ status, headers, body }) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(body);
        },
        (error) => {
          res.writeHead(500).end(String(error));
        },
      );
    });
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/socket')) return socket.destroy();
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        this.sockets.add(ws);
        ws.on('close', () => this.sockets.delete(ws));
        ws.on('message', (data) => {
          const message = JSON.parse(String(data)) as { envelope_id?: string };
          if (message.envelope_id) this.acks.set(message.envelope_id, message);
        });
        ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0TEST' } }));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  get socketClients(): number {
    return this.sockets.size;
  }

  /** A fresh `response_url` for a command or button payload. */
  responseUrl(): string {
    return `http://127.0.0.1:${this.port}/response/r${++this.responseIds}`;
  }

  /** The next `count` posts to any `response_url` fail with this status (and are not recorded as answers). */
  failResponses(status: number, count = 1): void {
    this.failingResponses = { status, remaining: count };
  }

  /** The next calls of `method` get these answers, one each, before the default ones again. */
  script(method: string, ...answers: (Scripted | ((call: ApiCall) => Scripted | undefined))[]): void {
    const list = this.scripts.get(method) ?? [];
    for (const a of answers) list.push(typeof a === 'function' ? a : () => a);
    this.scripts.set(method, list);
  }

  /**
   * A person in `team` presses Allow on Slack's authorize page: the code Slack puts in the redirect to the app, which
   * the app exchanges (once) with `oauth.v2.access` for the workspace's bot token.
   */
  grant(team: string): string {
    const code = `code-${team}-${++this.grants}`;
    this.codes.set(code, { id: team, org: false });
    return code;
  }

  /**
   * An org admin of Enterprise Grid org `enterprise` installs the app org-wide: the code of an install with no
   * workspace of its own, whose bot token (`botTokenOf(enterprise)`) works in every workspace of the org.
   */
  grantOrg(enterprise: string): string {
    const code = `code-${enterprise}-${++this.grants}`;
    this.codes.set(code, { id: enterprise, org: true });
    return code;
  }

  /** The bot token the stand-in issued to `team` (or org) through OAuth (the last one, after a reinstall). */
  botTokenOf(team: string): string | undefined {
    return [...this.botTokens].filter(([, t]) => t === team).at(-1)?.[0];
  }

  /** Every call of `method` from now on is answered `ms` late: a slow Slack, so that a kill lands mid-post. */
  slowDown(method: string, ms: number): void {
    this.delays.set(method, ms);
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  responsesTo(url: string): Response[] {
    const id = url.slice(url.lastIndexOf('/') + 1);
    return this.responses.filter((r) => r.id === id);
  }

  /** Sends an event over every open Socket Mode connection; resolves with the ack. */
  async sendEnvelope(
    type: string,
    payload: Record<string, unknown>,
    timeoutMs = 3000,
    redelivery: Redelivery = {},
  ): Promise<Record<string, unknown>> {
    const id = this.deliver(type, payload, redelivery);
    await waitFor(() => this.acks.has(id), timeoutMs, `ack of ${type}`);
    return this.acks.get(id) as Record<string, unknown>;
  }

  /**
   * Sends an envelope over every open Socket Mode connection without waiting for its ack; returns its id. With
   * `retryAttempt` it is Slack's redelivery of one it thinks failed; with `dropAfter` every connection is cut right
   * after the frame is written, before any ack can come back (as when Slack recycles a connection).
   */
  deliver(
    type: string,
    payload: Record<string, unknown>,
    redelivery: Redelivery & { dropAfter?: boolean } = {},
  ): string {
    const id = `env-${++this.envelopes}`;
    const frame = JSON.stringify({
      envelope_id: id,
      type,
      payload,
      accepts_response_payload: type !== 'events_api',
      ...(redelivery.retryAttempt === undefined
        ? {}
        : { retry_attempt: redelivery.retryAttempt, retry_reason: redelivery.retryReason ?? 'timeout' }),
    });
    for (const ws of this.sockets) {
      // cut once the frame is written: it reaches the client, the ack cannot come back
      ws.send(frame, () => {
        if (redelivery.dropAfter) ws.terminate();
      });
    }
    return id;
  }

  private async serve(
    req: IncomingMessage,
  ): Promise<{ status: number; headers?: Record<string, string>; body: string }> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/response/')) {
      if (this.failingResponses.remaining > 0) {
        this.failingResponses.remaining--;
        return { status: this.failingResponses.status, body: '' };
      }
      const body = JSON.parse(raw) as Record<string, unknown>;
      this.responses.push({ id: url.pathname.slice('/response/'.length), body, at: Date.now() });
      return { status: 200, body: 'ok' };
    }
    if (!url.pathname.startsWith('/api/')) return { status: 404, body: '' };
    const method = url.pathname.slice('/api/'.length);
    const args = parseArgs(raw, req.headers['content-type'] ?? '');
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : typeof args.token === 'string' ? args.token : null;
    const call: ApiCall = {
      method,
      args,
      token,
      team: token ? (this.botTokens.get(token) ?? null) : null,
      at: Date.now(),
    };
    this.calls.push(call);
    const delay = this.delays.get(method);
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    const scripted = this.scripts.get(method)?.shift()?.(call) ?? this.answer(call);
    call.result = scripted;
    if ('status' in scripted && typeof scripted.status === 'number') {
      return { status: scripted.status, headers: (scripted.headers ?? {}) as Record<string, string>, body: '' };
    }
    return { status: 200, body: JSON.stringify(scripted) };
  }

  private answer(call: ApiCall): Scripted {
    if (call.method === 'oauth.v2.access') return this.exchange(call);
    const known = call.method === 'apps.connections.open' ? call.token === APP_TOKEN : call.team !== null;
    if (!known) return { ok: false, error: 'invalid_auth' };
    const team = call.team ?? TEAM;
    switch (call.method) {
      case 'auth.test':
        return { ok: true, user_id: 'U0BOT', bot_id: 'B0BOT', team_id: team, team: 'Test', user: 'newsbrief' };
      case 'apps.connections.open':
        return { ok: true, url: `ws://127.0.0.1:${this.port}/socket` };
      case 'users.info': {
        const id = String(call.args.user);
        const user = this.users.get(id);
        if (!user) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: { id, team_id: team, is_bot: false, ...user } };
      }
      case 'chat.postMessage': {
        const channel = String(call.args.channel);
        const posted = this.posted.get(channel) ?? new Set<string>();
        // a reply must name a message posted in the same channel (its thread's parent)
        if (call.args.thread_ts !== undefined && !posted.has(String(call.args.thread_ts))) {
          return { ok: false, error: 'thread_not_found' };
        }
        const problem = messageProblem(call.args);
        if (problem) return { ok: false, error: problem };
        const ts = `1790000000.${String(++this.tsCounter).padStart(6, '0')}`;
        posted.add(ts);
        this.posted.set(channel, posted);
        return { ok: true, channel, ts };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(call.args.users)}` } };
      case 'views.publish':
        return { ok: true, view: { id: 'V1' } };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  /** `oauth.v2.access`: the app's credentials and a code granted and not yet used → the workspace's bot token. */
  private exchange(call: ApiCall): Scripted {
    if (call.args.client_id !== CLIENT_ID || call.args.client_secret !== CLIENT_SECRET) {
      return { ok: false, error: 'invalid_client_id' };
    }
    const code = String(call.args.code ?? '');
    const granted = this.codes.get(code);
    if (!granted) return { ok: false, error: 'invalid_code' };
    this.codes.delete(code);
    const token = `xoxb-${granted.id}-${this.grants}-standin`;
    this.botTokens.set(token, granted.id);
    const installed = granted.org
      ? { team: null, enterprise: { id: granted.id, name: `Org ${granted.id}` }, is_enterprise_install: true }
      : { team: { id: granted.id, name: `Team ${granted.id}` }, enterprise: null, is_enterprise_install: false };
    return {
      ok: true,
      app_id: 'A0TEST',
      authed_user: { id: 'U0ADMIN' },
      scope: 'commands,chat:write,users:read,im:write',
      token_type: 'bot',
      access_token: token,
      bot_user_id: 'U0BOT',
      ...installed,
    };
  }
}

/** Slack's limits on a posted message, as its errors name them: null when the message is within them. */
function messageProblem(args: Record<string, unknown>): string | null {
  if (typeof args.text === 'string' && [...args.text].length > 40_000) return 'msg_too_long';
  const blocks = args.blocks;
  if (blocks === undefined) return null;
  if (!Array.isArray(blocks) || blocks.length > 50) return 'invalid_blocks';
  if (JSON.stringify(blocks).length > 13_000) return 'msg_blocks_too_long';
  for (const block of blocks as { type?: string; text?: { text?: string }; elements?: { text?: string }[] }[]) {
    const text = block.text?.text ?? '';
    if (block.type === 'header' && [...text].length > 150) return 'invalid_blocks';
    if (block.type === 'section' && [...text].length > 3000) return 'invalid_blocks';
    if (block.type === 'context' && (block.elements ?? []).length > 10) return 'invalid_blocks';
  }
  return null;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Form fields (objects arrive JSON-stringified) or a JSON body. */
function parseArgs(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
  }
  return args;
}

export async function waitFor(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let triggers = 0;

/** A slash command payload as Slack sends it, with a trigger id of its own, as every invocation has. */
export function slashCommand(fields: {
  text: string;
  user?: string;
  channel?: string;
  responseUrl: string;
}): Record<string, string> {
  return {
    token: CANARY.slackVerificationToken,
    team_id: TEAM,
    team_domain: 'test',
    channel_id: fields.channel ?? 'C0NEWS',
    channel_name: 'news',
    user_id: fields.user ?? 'U0MEMBER',
    user_name: 'member',
    command: '/news',
    text: fields.text,
    api_app_id: 'A0TEST',
    is_enterprise_install: 'false',
    response_url: fields.responseUrl,
    trigger_id: `${++triggers}.456.abc`,
  };
}

/** Slack's request signature: v0= hex HMAC-SHA256 of `v0:<timestamp>:<body>`. */
export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** POSTs a form body to the adapter's HTTP endpoint, signed with `secret` at `timestamp` (seconds). */
export async function postSigned(
  url: string,
  fields: Record<string, string>,
  options: { secret?: string; timestamp?: number } = {},
): Promise<number> {
  const body = new URLSearchParams(fields).toString();
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': sign(options.secret ?? SIGNING_SECRET, timestamp, body),
    },
    body,
  });
  await response.text();
  return response.status;
}
