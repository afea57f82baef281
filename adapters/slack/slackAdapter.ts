/**
 * The Slack adapter: the real Bolt App over Socket Mode (self-hosted, no public URL) or HTTP (signed requests),
 * turning `/news …`, its buttons and the Home tab into `engine.handle` calls and posting what the runtime sends.
 * Commands are acknowledged at once and answered through their `response_url`: ephemeral, except a digest a
 * manager asks for in a channel, which the channel sees. Post-only (a worker process) it receives nothing and
 * only posts.
 */
import { App, type BlockAction, type ButtonAction, ErrorCode, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type { Reply } from '../../src/commands/reply.ts';
import type { Engine } from '../../src/engine/engine.ts';
import type { Installations } from '../../src/engine/installations.ts';
import type {
  AdapterFactoryOptions,
  PlatformAdapter,
  PostFailure,
  PostResult,
  PostTarget,
  ThreadResult,
} from '../../src/engine/port.ts';
import type { SharedDeliveries } from '../../src/engine/sharedDeliveries.ts';
import type { Logger } from '../../src/ops/logger.ts';
import { ACTIONS, type NextPageValue, renderReply, type SlackMessage } from './blocks.ts';
import { boltLogger } from './boltLogger.ts';
import { renderHome } from './home.ts';
import { GuardedHttpReceiver } from './httpReceiver.ts';
import { botTokenOf, installationKeyOfEvent } from './installationStore.ts';
import { oauthReceiverOptions } from './oauth.ts';
import { People, type UsersClient } from './people.ts';
import { type PostClient, parentOf, SlackPoster } from './post.ts';
import { type Deliveries, dropRedeliveries, SeenDeliveries, SharedSeenDeliveries } from './redeliveries.ts';
import { engineRequest, isDirectMessage, parseSlackText, type SlackOrigin } from './request.ts';
import { type SlackSettings, slackSettingsFromEnv } from './settings.ts';

export interface SlackAdapterOptions {
  settings: SlackSettings;
  log: Logger;
  /** Least time between two messages to one channel; default 1100 ms. */
  postIntervalMs?: number;
  /** A Retry-After up to this long is waited out before the post fails as `rateLimited`; default 10 s. */
  maxRetryWaitMs?: number;
  /** Longest wait for the Socket Mode connection at start; default 30 s. */
  connectTimeoutMs?: number;
  /** HTTP mode: the address to listen on (all by default). */
  host?: string;
  /** Multi-workspace OAuth (`settings.oauth`): where installations are kept, shared by every receiver. */
  installations?: Installations;
  /**
   * The deliveries every receiver on the database took (several HTTP receivers behind a load balancer): a Slack
   * retry is then dropped whichever receiver it reaches. Without it, this process remembers its own.
   */
  deliveries?: SharedDeliveries;
}

type Respond = (message: Record<string, unknown>) => Promise<unknown>;

const AUTH_ERRORS = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);

/** Post-only: Bolt needs a receiver to be made without a signing secret; this one opens nothing. */
class NothingReceived implements Receiver {
  init(): void {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}

export class SlackAdapter implements PlatformAdapter {
  readonly name = 'slack';
  /** chat.postMessage takes no idempotency key: a repeat is a second message. */
  readonly idempotentPostsMs = 0;
  private readonly app: App;
  private readonly http: GuardedHttpReceiver | null;
  private readonly socket: SocketModeReceiver | null;
  private readonly poster: SlackPoster;
  private readonly people: People;
  private engine: Engine | null = null;
  /** Commands, buttons and events already taken: Slack's redeliveries of them are acked and dropped. */
  private readonly seen: Deliveries;
  private socketConnected = false;
  private started = false;
  /** Post-only: `auth.test` took the bot token at start, and no post has met an auth error since. */
  private tokenAccepted = false;

  constructor(private readonly options: SlackAdapterOptions) {
    const { settings, log } = options;
    if (settings.oauth && !options.installations) {
      throw new Error('A multi-workspace Slack install (SLACK_CLIENT_ID) needs the database to keep installations in.');
    }
    const logger = boltLogger(log.child({ component: 'bolt' }));
    this.seen = options.deliveries
      ? new SharedSeenDeliveries(options.deliveries, (error, key) =>
          log.warn({ err: error, key }, 'could not check a Slack delivery in the database: handling it'),
        )
      : new SeenDeliveries();
    // Failures surface at once (the scheduler owns retries) instead of the SDK's 30 minutes of silent retries.
    const clientOptions = {
      slackApiUrl: settings.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: 15_000,
    };
    if (settings.mode === 'post-only') {
      this.http = null;
      this.socket = null;
    } else if (settings.mode === 'socket') {
      this.http = null;
      this.socket = new SocketModeReceiver({
        appToken: settings.appToken as string,
        logger,
        installerOptions: { clientOptions },
      });
      this.socket.client.on('connected', () => {
        this.socketConnected = true;
      });
      for (const state of ['disconnected', 'reconnecting', 'disconnecting']) {
        this.socket.client.on(state, () => {
          this.socketConnected = false;
        });
      }
    } else {
      this.socket = null;
      this.http = new GuardedHttpReceiver({
        signingSecret: settings.signingSecret as string,
        port: settings.port,
        ...(options.host === undefined ? {} : { host: options.host }),
        logger,
        ...(settings.oauth && options.installations
          ? { oauth: oauthReceiverOptions(settings.oauth, options.installations, clientOptions) }
          : {}),
      });
    }
    this.app = new App({
      // multi-workspace: Bolt authorizes each request from its workspace's installation (none when post-only)
      ...(settings.oauth
        ? this.http
          ? {}
          : { authorize: () => Promise.reject(new Error('a post-only Slack adapter receives nothing')) }
        : { token: settings.botToken }),
      receiver: this.socket ?? this.http ?? new NothingReceived(),
      logger,
      clientOptions,
      deferInitialization: true,
    });
    this.poster = new SlackPoster(this.app.client as unknown as PostClient, {
      intervalMs: options.postIntervalMs ?? 1100,
      maxRetryWaitMs: options.maxRetryWaitMs ?? 10_000,
    });
    this.people = new People(this.app.client as unknown as UsersClient, settings.managers, (error, user) =>
      log.warn({ err: error, user }, 'users.info failed: treating the user as no manager'),
    );
    if (settings.mode !== 'post-only') this.listen();
  }

  async start(engine: Engine): Promise<void> {
    this.engine = engine;
    const { settings } = this.options;
    try {
      await this.app.init();
    } catch (error) {
      throw startError(error, 'SLACK_BOT_TOKEN', settings.apiUrl);
    }
    if (settings.mode === 'post-only') {
      this.started = true;
      this.tokenAccepted = true;
      this.options.log.info({ mode: 'post-only' }, 'slack connected');
      return;
    }
    try {
      if (this.socket) await withTimeout(this.app.start(), this.options.connectTimeoutMs ?? 30_000);
      else await this.app.start();
    } catch (error) {
      await this.app.stop().catch(() => undefined);
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new Error(`PORT ${settings.port} is already in use: set PORT to a free port for Slack's HTTP mode.`);
      }
      throw startError(error, 'SLACK_APP_TOKEN', settings.apiUrl);
    }
    this.started = true;
    this.options.log.info(
      settings.mode === 'socket' ? { mode: 'socket' } : { mode: 'http', port: this.http?.port },
      'slack connected',
    );
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.tokenAccepted = false;
    const socket = this.socket;
    // SocketModeReceiver.stop() does not wait for the socket to close
    const closed = socket && this.socketConnected ? once(socket.client, 'disconnected', 3000) : Promise.resolve();
    await this.app.stop().catch((error) => this.options.log.warn({ err: error }, 'error while stopping Slack'));
    await closed;
  }

  isConnected(): boolean {
    if (this.socket) return this.socketConnected;
    if (this.http) return this.http.listening;
    return this.tokenAccepted;
  }

  /** HTTP mode: the port requests are received on. */
  get port(): number | null {
    return this.http?.port ?? null;
  }

  async post(target: PostTarget, reply: Reply): Promise<PostResult> {
    const started = performance.now();
    const messages = renderReply(reply);
    const token = await this.workspaceToken(target);
    const result: PostResult & { channel?: string } = token.ok
      ? await this.poster.post(target, messages, token.token)
      : token;
    const fields = {
      destination: target.key,
      channel: result.channel ?? target.channel,
      messages: messages.length,
      ms: Math.round(performance.now() - started),
    };
    if (result.ok) this.options.log.info({ ...fields, outcome: 'ok', messageId: result.messageId }, 'slack post');
    else
      this.options.log.warn({ ...fields, outcome: result.failure.kind, detail: result.failure.detail }, 'slack post');
    if (result.ok) return { ok: true, messageId: result.messageId };
    if (AUTH_ERRORS.has(result.failure.detail)) this.tokenAccepted = false;
    return { ok: false, failure: result.failure, ...(result.partial ? { partial: true } : {}) };
  }

  /**
   * The bot token to post to the target with: the client's own (single workspace), or the one of the target's
   * workspace from its installation. A workspace without one is `forbidden` (the app was uninstalled there).
   */
  private async workspaceToken(
    target: PostTarget,
  ): Promise<{ ok: true; token: string | undefined } | { ok: false; failure: PostFailure }> {
    const { installations } = this.options;
    if (!this.options.settings.oauth || !installations) return { ok: true, token: undefined };
    if (!target.workspace) return { ok: false, failure: { kind: 'forbidden', detail: 'no_workspace' } };
    try {
      const token = await botTokenOf(installations, target.workspace);
      if (token) return { ok: true, token };
      return { ok: false, failure: { kind: 'forbidden', detail: 'not_installed' } };
    } catch (error) {
      return {
        ok: false,
        failure: { kind: 'transient', detail: error instanceof Error ? error.message : String(error) },
      };
    }
  }

  /** Slack threads need no call: a reply names its parent's ts, so the parent's id is the thread. */
  async openThread(_target: PostTarget, parentMessageId: string, _name: string): Promise<ThreadResult> {
    if (parentOf(parentMessageId)) return { ok: true, threadId: parentMessageId };
    return { ok: false, failure: { kind: 'transient', detail: `not a Slack message id: ${parentMessageId}` } };
  }

  private listen(): void {
    const { app } = this;
    const log = this.options.log;
    app.error(async (error) => {
      if (error.code === ErrorCode.AuthorizationError) {
        log.warn({ err: error }, 'slack request from a workspace without an installation: refused');
        // rethrown, Bolt's receiver answers it 401
        throw error;
      }
      log.error({ err: error }, 'slack handler failed');
    });
    app.use(
      dropRedeliveries(this.seen, (dropped) =>
        log.info({ ...dropped, component: 'slack' }, 'slack redelivery of a request already taken: acked and dropped'),
      ),
    );
    // A lost ack (the socket cut mid-command) must not lose the answer: Slack's redelivery of it is dropped.
    const ack = (send: () => Promise<void>) =>
      send().catch((error: unknown) => log.warn({ err: error }, 'slack ack failed; answering anyway'));

    app.command('/news', async ({ command, ack: boltAck, respond, context }) => {
      await ack(boltAck);
      const origin: SlackOrigin = { team: command.team_id, channel: command.channel_id, user: command.user_id };
      await this.answer(origin, parseSlackText(command.text ?? ''), respond as Respond, {}, context.botToken);
    });

    app.action<BlockAction<ButtonAction>>(
      ACTIONS.nextPage,
      async ({ ack: boltAck, body, action, respond, context }) => {
        await ack(boltAck);
        let value: NextPageValue;
        try {
          value = JSON.parse(action.value ?? '') as NextPageValue;
        } catch {
          return;
        }
        if (typeof value.q !== 'string' || !Number.isInteger(value.p) || value.p < 1) return;
        const command = { kind: 'search' as const, query: value.q.slice(0, 500), page: Math.min(value.p, 100) };
        await this.answer(originOf(body), { command }, respond as Respond, { replace: true }, context.botToken);
      },
    );

    for (const [id, mine] of [
      [ACTIONS.followHere, false],
      [ACTIONS.followMe, true],
    ] as const) {
      app.action<BlockAction<ButtonAction>>(id, async ({ ack: boltAck, body, action, respond, context }) => {
        await ack(boltAck);
        const topic = (action.value ?? '').slice(0, 100);
        if (!topic) return;
        const subscribe = { command: { kind: 'subscribe', topic } } as const;
        await this.answer(originOf(body), subscribe, respond as Respond, { mine }, context.botToken);
      });
    }

    app.action<BlockAction<ButtonAction>>(
      ACTIONS.takeBacklog,
      async ({ ack: boltAck, body, action, respond, context }) => {
        await ack(boltAck);
        const m = /^(\d{1,9}):(\d{1,2})$/.exec(action.value ?? '');
        if (!m) return;
        const command = { kind: 'sources', action: 'backlog', source: Number(m[1]), count: Number(m[2]) } as const;
        await this.answer(originOf(body), { command }, respond as Respond, {}, context.botToken);
      },
    );

    app.action<BlockAction<ButtonAction>>(ACTIONS.unfollowMine, async ({ ack: boltAck, body, action, context }) => {
      await ack(boltAck);
      const topic = (action.value ?? '').slice(0, 100);
      const origin = { ...originOf(body), channel: null };
      const unsubscribe = { command: { kind: 'unsubscribe', topic } } as const;
      if (topic) await this.handle(origin, unsubscribe, { mine: true }, context.botToken);
      await this.publishHome(origin, context.botToken);
    });

    const { installations } = this.options;
    if (this.options.settings.oauth && installations) {
      // Bolt calls no InstallationStore on an uninstall: the installation, its token with it, is forgotten here
      app.event('app_uninstalled', async ({ body }) => this.forgetInstallation(installations, body));
      app.event('tokens_revoked', async ({ event, body }) => {
        if ((event.tokens.bot ?? []).length > 0) await this.forgetInstallation(installations, body);
      });
    }

    app.event('app_home_opened', async ({ event, body, context }) => {
      if (event.tab !== 'home') return;
      const team = (body as { team_id?: string }).team_id ?? null;
      await this.publishHome({ team, channel: null, user: event.user }, context.botToken);
    });
  }

  private async forgetInstallation(installations: Installations, body: unknown): Promise<void> {
    const key = installationKeyOfEvent(body);
    if (!key) return;
    await installations.delete(key);
    this.options.log.info(
      { team: key.teamId, enterprise: key.enterpriseId, component: 'slack' },
      'slack app uninstalled: installation removed',
    );
  }

  private async handle(
    origin: SlackOrigin,
    what: Parameters<typeof engineRequest>[2],
    options: { mine?: boolean },
    token: string | undefined,
  ): Promise<{ reply: Reply; isManager: boolean; personal: boolean }> {
    if (!this.engine) throw new Error('the Slack adapter is not started');
    const person = await this.people.lookup(origin.team, origin.user, token);
    const request = engineRequest(origin, person, what, options);
    const reply = await this.engine.handle(request);
    return { reply, isManager: person.isManager, personal: request.channel === null };
  }

  private async answer(
    origin: SlackOrigin,
    what: Parameters<typeof engineRequest>[2],
    respond: Respond,
    options: { mine?: boolean; replace?: boolean },
    token: string | undefined,
  ): Promise<void> {
    const { reply, isManager, personal } = await this.handle(origin, what, options, token);
    const inChannel = reply.kind === 'digest' && !reply.preview && isManager && !personal;
    // a response_url takes five messages
    const messages = renderReply(reply, {
      followHere: isManager && !isDirectMessage(origin.channel),
      followMe: true,
    }).slice(0, 5);
    for (const [i, message] of messages.entries()) {
      await respondAgainOnHiccup(respond, this.responseOf(message, inChannel, options.replace === true && i === 0));
    }
  }

  private responseOf(message: SlackMessage, inChannel: boolean, replace: boolean): Record<string, unknown> {
    return {
      response_type: inChannel ? 'in_channel' : 'ephemeral',
      replace_original: replace,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      unfurl_media: false,
    };
  }

  private async publishHome(origin: SlackOrigin, token: string | undefined): Promise<void> {
    const started = performance.now();
    const topics = await this.handle(origin, { command: { kind: 'topics' } }, { mine: true }, token);
    const digest = await this.handle(origin, { command: { kind: 'digest' } }, { mine: true }, token);
    const channels = (await this.engine?.channelDigests('slack', origin.team, topics.reply.lang)) ?? [];
    const view = renderHome(topics.reply.lang, topics.reply, digest.reply, channels);
    await this.app.client.views.publish({ user_id: origin.user, view: view as never, ...(token ? { token } : {}) });
    this.options.log.info(
      { user: origin.user, blocks: view.blocks.length, ms: Math.round(performance.now() - started) },
      'slack home published',
    );
  }
}

/** Tries after a response_url answer fails with a 5xx, a 429 or a network error (a Slack hiccup). */
const RESPOND_RETRY_MS = [500, 1000];

/**
 * Posts to the response_url, again after a Slack hiccup, so that a brief 5xx does not lose the answer (the ack is
 * long sent: nothing else would answer the person). A 4xx is final: the URL expired or took its five messages.
 */
async function respondAgainOnHiccup(respond: Respond, message: Record<string, unknown>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await respond(message);
      return;
    } catch (error) {
      const status = (error as { statusCode?: unknown }).statusCode;
      const hiccup = typeof status !== 'number' || status >= 500 || status === 429;
      const wait = RESPOND_RETRY_MS[attempt];
      if (!hiccup || wait === undefined) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

function originOf(body: BlockAction): SlackOrigin {
  return { team: body.team?.id ?? body.user.team_id ?? null, channel: body.channel?.id ?? null, user: body.user.id };
}

/** A start-up failure as one sentence that names the variable to fix (never its value). */
function startError(error: unknown, variable: string, apiUrl: string): Error {
  const e = error as { code?: string; data?: { error?: string }; message?: string };
  const code = e.data?.error;
  if (code && AUTH_ERRORS.has(code)) {
    return new Error(`Slack rejected ${variable} (${code}): copy the token from the app's settings page again.`);
  }
  if (code) return new Error(`Slack refused to start the app (${code}); check ${variable} and the app's settings.`);
  if (e.code === 'slack_webapi_request_error' || e.code === 'slack_webapi_http_error') {
    return new Error(`Could not reach Slack's Web API at ${apiUrl}: ${(e.message ?? '').slice(0, 200)}.`);
  }
  return new Error(`Slack did not start: ${(e.message ?? String(error)).slice(0, 200)}.`);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no Socket Mode connection within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function once(
  emitter: { once(event: string, listener: () => void): unknown },
  event: string,
  ms: number,
): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    emitter.once(event, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  return new SlackAdapter(options);
}

/**
 * The adapter `npm start` runs: settings from the environment (a mistake throws one sentence); `receive: false`
 * makes it post-only (see `AdapterFactoryOptions`).
 */
export function slackAdapterFromEnv(
  env: Record<string, string | undefined>,
  log: Logger,
  options: AdapterFactoryOptions & SlackSharedState = {},
): SlackAdapter {
  const { installations, deliveries } = options;
  return createSlackAdapter({
    settings: slackSettingsFromEnv(env, options),
    log,
    ...(installations ? { installations } : {}),
    ...(deliveries ? { deliveries } : {}),
  });
}

/**
 * What the runtime passes in from the database so that receivers behind a load balancer act as one:
 * `installationsOver(storage)` (src/engine/installations.ts) and `sharedDeliveriesOver(storage)`
 * (src/engine/sharedDeliveries.ts).
 */
export type SlackSharedState = Pick<SlackAdapterOptions, 'installations' | 'deliveries'>;
