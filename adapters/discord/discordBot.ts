import {
  type APIChannel,
  type AutocompleteInteraction,
  type ButtonInteraction,
  ChannelType,
  type ChatInputCommandInteraction,
  Client,
  type CloseEvent,
  DefaultRestOptions,
  DiscordAPIError,
  DiscordjsErrorCodes,
  Events,
  GatewayCloseCodes,
  GatewayIntentBits,
  type Interaction,
  type InteractionReplyOptions,
  MessageFlags,
  type RateLimitData,
  RESTEvents,
  type RESTPostAPIChannelMessageJSONBody,
  Routes,
} from 'discord.js';
import type { Command } from '../../src/commands/command.ts';
import type { Reply, ReplyOf } from '../../src/commands/reply.ts';
import { threadNameOf } from '../../src/digest/threadParts.ts';
import type { Engine } from '../../src/engine/engine.ts';
import type {
  AdapterFactoryOptions,
  PlatformAdapter,
  PostFailure,
  PostOptions,
  PostResult,
  PostTarget,
  ThreadResult,
} from '../../src/engine/port.ts';
import { catalogLang, messages, renderNotice } from '../../src/messages/catalog.ts';
import { type CallbackBody, CallbackRouter, type HttpReply, type InteractionHead } from './callbackRouter.ts';
import { DiscordCode, postFailureOf } from './failures.ts';
import {
  INTERACTIONS_PATH,
  InteractionsEndpoint,
  type InteractionsSettings,
  interactionsSettingsFromEnv,
  publicKeyOf,
  type RawInteraction,
} from './httpInteractions.ts';
import { CONFIGURATION_KINDS, commandOf, isManager, missingPermissions, PageIds, requestOf } from './interactions.ts';
import { LIMITS, truncate } from './limits.ts';
import { concernsOnlyCaller, type DiscordMessage, inert, type RenderContext, renderReply } from './render.ts';

/** Discord's own API; `DISCORD_API_BASE` moves REST and, through `/gateway/bot`, the gateway. */
export const DEFAULT_API_BASE = 'https://discord.com/api';

/** The part of a pino logger the adapter writes to. */
export interface DiscordLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface DiscordAdapterOptions {
  token: string;
  apiBase?: string;
  log: DiscordLog;
  /** Answer directly when the engine is done within this; else defer (Discord's deadline is 3 s). */
  deferAfterMs?: number;
  /** A rate limit longer than this is reported (`rateLimited`) instead of waited out. */
  maxRateLimitWaitMs?: number;
  /** Login attempts on network or server errors, with backoff from `loginBackoffMs` (doubling, capped at 5 min). */
  loginAttempts?: number;
  loginBackoffMs?: number;
  /** How long start() waits for the gateway's READY and the servers. */
  readyTimeoutMs?: number;
  /**
   * HTTP interactions: commands, buttons and autocomplete arrive as signed POSTs at `/discord/interactions` on this
   * port and are answered in the HTTP response; no gateway connection is made. Left out: the gateway.
   */
  interactions?: HttpInteractionsOptions;
  /**
   * false: post only (a worker process): REST with the bot token, checked once at start; no gateway, no
   * interactions endpoint (so `interactions` must be left out). Default true.
   */
  receive?: boolean;
}

export interface HttpInteractionsOptions extends InteractionsSettings {
  /** A handler with no first answer by then is deferred in the HTTP body (Discord's deadline is 3 s). */
  fallbackAfterMs?: number;
  maxBodyBytes?: number;
  bodyTimeoutMs?: number;
}

const UNRECOVERABLE = new Set<number>([
  GatewayCloseCodes.AuthenticationFailed,
  GatewayCloseCodes.InvalidShard,
  GatewayCloseCodes.ShardingRequired,
  GatewayCloseCodes.InvalidAPIVersion,
  GatewayCloseCodes.InvalidIntents,
  GatewayCloseCodes.DisallowedIntents,
]);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Discord's answer to a second thread started from one message (the thread exists: it has the message's id). */
const THREAD_ALREADY_CREATED = 160004;
const UNKNOWN_MESSAGE = 10008;
/** Threads go quiet after a day without a message (Discord unarchives one when the bot posts in it again). */
const THREAD_ARCHIVE_MINUTES = 1440;
/** Discord's limits on a thread's name and a forum post's tags. */
const THREAD_NAME_MAX = 100;
const FORUM_TAGS_MAX = 5;
/** How long a channel's type and tags are remembered (a forum's tags may be edited). */
const CHANNEL_INFO_MS = 3_600_000;

/**
 * How long a repeated nonce is safe (`idempotentPostsMs`). Discord checks an enforced nonce "for uniqueness in the
 * past few minutes" (Create Message, `enforce_nonce`) and publishes no figure: two minutes is within any few
 * minutes, and leaves room for the repeat's own rate-limit waits (at most `maxRateLimitWaitMs` a message).
 */
const NONCE_SAFE_MS = 120_000;

/**
 * The nonce of message `part` of a post given `key`: Discord returns the message an enforced nonce already made
 * (by this bot, within its window) instead of making another. Discord allows 25 characters.
 */
export function nonceOf(key: string, part: number): Pick<RESTPostAPIChannelMessageJSONBody, 'nonce' | 'enforce_nonce'> {
  return { nonce: `${key}.${part}`, enforce_nonce: true };
}

/** What the adapter needs to know of a channel to post a threaded digest there. */
interface ChannelInfo {
  forum: boolean;
  tags: { id: string; name: string; moderated: boolean }[];
  at: number;
}

/** A start-up failure that retrying cannot fix (a bad token): start() gives up at once. */
class FatalLogin extends Error {}

/**
 * The Discord adapter: slash commands and buttons from the gateway (only the Guilds intent) to `engine.handle`,
 * replies rendered as embeds within Discord's limits, and scheduled posts to channels and DMs over REST.
 */
export class DiscordAdapter implements PlatformAdapter {
  readonly name = 'discord';
  /** Channel posts carry enforced nonces; a forum post (a threaded digest's parent in a forum) does not. */
  readonly idempotentPostsMs = NONCE_SAFE_MS;
  private client: Client | null = null;
  private engine: Engine | null = null;
  private connected = false;
  private readonly pages = new PageIds();
  /** Channel id → whether it is a forum and its tags (`GET /channels/{id}`), for threaded digests. */
  private readonly channelInfo = new Map<string, ChannelInfo>();
  /** Person → their DM channel with the bot (Discord gives the same one every time it is asked). */
  private readonly dmChannels = new Map<string, string>();
  private readonly o: Required<Omit<DiscordAdapterOptions, 'log' | 'interactions' | 'receive'>> & { log: DiscordLog };
  /** HTTP interactions, when on: their settings, the endpoint, and the router of first answers. */
  private readonly http: HttpInteractionsOptions | null;
  private endpoint: InteractionsEndpoint | null = null;
  /** HTTP mode: the interaction each InteractionCreate just started, by id, until its dispatcher takes it. */
  private readonly started = new Map<string, Promise<void>>();
  /** HTTP and post-only: REST answered the bot token (set at start, lost on a 401). */
  private restOk = false;
  private readonly receiving: boolean;

  constructor(options: DiscordAdapterOptions) {
    const { interactions, receive, ...rest } = options;
    this.receiving = receive !== false;
    if (!this.receiving && interactions) {
      throw new Error('a post-only Discord adapter receives no interactions: leave `interactions` out');
    }
    this.http = interactions ?? null;
    this.o = {
      apiBase: DEFAULT_API_BASE,
      deferAfterMs: 1500,
      maxRateLimitWaitMs: 10_000,
      loginAttempts: 8,
      loginBackoffMs: 1000,
      readyTimeoutMs: 60_000,
      ...rest,
    };
  }

  async start(engine: Engine): Promise<void> {
    this.engine = engine;
    const { log, loginAttempts } = this.o;
    for (let attempt = 1; ; attempt++) {
      try {
        if (!this.receiving) {
          const client = this.restClient();
          await this.checkToken(client);
          log.info({ mode: 'post-only' }, 'connected to Discord');
          return;
        }
        if (this.http) {
          await this.startHttp(this.http);
          log.info({ mode: 'http', port: this.endpoint?.port, path: INTERACTIONS_PATH }, 'connected to Discord');
          return;
        }
        await this.login();
        log.info({ user: this.client?.user?.id, guilds: this.client?.guilds.cache.size }, 'connected to Discord');
        return;
      } catch (error) {
        await this.client?.destroy();
        this.client = null;
        if (error instanceof FatalLogin) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        if (attempt >= loginAttempts) {
          throw new Error(`could not connect to Discord at ${this.o.apiBase} after ${attempt} attempts: ${reason}`);
        }
        // a restart loop must not burn the 1000 IDENTIFYs a day Discord allows before it resets the token
        const delay = Math.min(this.o.loginBackoffMs * 2 ** (attempt - 1), 300_000) * (0.75 + Math.random() / 2);
        log.warn({ attempt, retryInMs: Math.round(delay), reason }, 'Discord login failed; retrying');
        await sleep(delay);
      }
    }
  }

  private async login(): Promise<void> {
    const client = new Client({
      intents: [GatewayIntentBits.Guilds],
      // as many shards as Discord recommends (GET /gateway/bot): one until 2,500 servers, then required
      shards: 'auto',
      allowedMentions: { parse: [] },
      rest: {
        api: this.o.apiBase,
        rejectOnRateLimit: (data: RateLimitData) => data.retryAfter > this.o.maxRateLimitWaitMs,
      },
    });
    this.client = client;
    this.attach(client);
    let timer: NodeJS.Timeout | undefined;
    const ready = new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error('no READY from the gateway in time')), this.o.readyTimeoutMs);
      client.once(Events.ClientReady, () => resolve());
      client.on(Events.ShardDisconnect, (event: CloseEvent) => {
        if (UNRECOVERABLE.has(event.code)) reject(new FatalLogin(closeMessage(event.code)));
      });
    });
    ready.catch(() => {});
    try {
      await client.login(this.o.token);
      await ready;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === DiscordjsErrorCodes.TokenInvalid) {
        throw new FatalLogin(
          'Discord rejected DISCORD_TOKEN (401 Unauthorized): copy the bot token again from the Developer Portal (Bot → Reset Token)',
        );
      }
      const status = (error as { status?: unknown }).status;
      if (status === 403) throw new FatalLogin('Discord refused the bot token (403 Forbidden)');
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * HTTP interactions: a discord.js Client that never logs in to the gateway (REST only, with the bot token),
   * whose interaction callbacks the router turns into HTTP answers; the token is checked once
   * (`GET /applications/@me`) before the endpoint listens.
   */
  private async startHttp(settings: HttpInteractionsOptions): Promise<void> {
    const router = new CallbackRouter({
      network: DefaultRestOptions.makeRequest,
      fallbackAfterMs: settings.fallbackAfterMs ?? 2500,
      deferral: deferralOf,
      unanswered: unansweredOf,
    });
    const client = this.restClient(router.makeRequest);
    const dispatch = interactionAction(client);
    client.on(Events.InteractionCreate, (interaction) => {
      this.started.set(interaction.id, this.onInteraction(interaction));
    });
    await this.checkToken(client);
    const endpoint = new InteractionsEndpoint({
      publicKey: publicKeyOf(settings.publicKey),
      port: settings.port,
      ...(settings.host === undefined ? {} : { host: settings.host }),
      log: this.o.log,
      ...(settings.maxBodyBytes === undefined ? {} : { maxBodyBytes: settings.maxBodyBytes }),
      ...(settings.bodyTimeoutMs === undefined ? {} : { bodyTimeoutMs: settings.bodyTimeoutMs }),
      handle: (interaction, reply) => this.onHttpInteraction(router, dispatch, interaction, reply),
    });
    try {
      await endpoint.start();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new FatalLogin(
          `port ${settings.port} is already in use: set DISCORD_INTERACTIONS_PORT to a free port for Discord's HTTP interactions`,
        );
      }
      throw error;
    }
    this.endpoint = endpoint;
  }

  /**
   * A discord.js Client for REST only (it never logs in to the gateway) with the bot token, whose answers keep
   * `restOk` up to date; `makeRequest` replaces the network (HTTP interactions route callbacks through it).
   */
  private restClient(makeRequest?: typeof DefaultRestOptions.makeRequest): Client {
    const client = new Client({
      intents: [GatewayIntentBits.Guilds],
      allowedMentions: { parse: [] },
      rest: {
        api: this.o.apiBase,
        rejectOnRateLimit: (data: RateLimitData) => data.retryAfter > this.o.maxRateLimitWaitMs,
        ...(makeRequest ? { makeRequest } : {}),
      },
    });
    this.client = client;
    client.on(Events.Error, (error) => this.o.log.error({ err: error }, 'Discord client error'));
    client.rest.on(RESTEvents.Response, (request, response) => {
      if (request.data.auth === false) return;
      if (response.status === 401) this.restOk = false;
      else if (response.ok) this.restOk = true;
    });
    client.rest.setToken(this.o.token);
    return client;
  }

  /** The bot token checked once over REST (`GET /applications/@me`): a refusal stops start at once. */
  private async checkToken(client: Client): Promise<void> {
    try {
      await client.rest.get(Routes.currentApplication());
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (status === 401) {
        throw new FatalLogin(
          'Discord rejected DISCORD_TOKEN (401 Unauthorized): copy the bot token again from the Developer Portal (Bot → Reset Token)',
        );
      }
      if (status === 403) throw new FatalLogin('Discord refused the bot token (403 Forbidden)');
      throw error;
    }
    this.restOk = true;
  }

  /**
   * One verified interaction from the endpoint, through the gateway's own path: discord.js makes its interaction
   * object (the action the gateway's INTERACTION_CREATE runs) and the adapter's handlers answer it; the router
   * sends their first answer as the HTTP response.
   */
  private async onHttpInteraction(
    router: CallbackRouter,
    dispatch: (payload: RawInteraction) => void,
    payload: RawInteraction,
    reply: HttpReply,
  ): Promise<void> {
    await router.run(payload, reply, () => {
      dispatch(payload);
      const handling = this.started.get(payload.id) ?? null;
      this.started.delete(payload.id);
      return handling;
    });
  }

  private attach(client: Client): void {
    const { log } = this.o;
    client.on(Events.ClientReady, () => {
      this.connected = true;
    });
    client.on(Events.ShardResume, (_id, replayed) => {
      this.connected = true;
      log.info({ replayed }, 'Discord gateway session resumed');
    });
    client.on(Events.ShardReady, () => {
      this.connected = true;
    });
    client.on(Events.ShardReconnecting, () => {
      this.connected = false;
      log.warn({}, 'Discord gateway reconnecting');
    });
    client.on(Events.ShardDisconnect, (event) => {
      this.connected = false;
      log.warn({ code: event.code }, 'Discord gateway disconnected');
    });
    client.on(Events.Error, (error) => log.error({ err: error }, 'Discord client error'));
    client.on(Events.InteractionCreate, (interaction) => {
      void this.onInteraction(interaction);
    });
  }

  async stop(): Promise<void> {
    this.connected = false;
    this.restOk = false;
    const endpoint = this.endpoint;
    this.endpoint = null;
    await endpoint?.stop();
    const client = this.client;
    this.client = null;
    await client?.destroy();
  }

  isConnected(): boolean {
    if (!this.receiving) return this.restOk && this.client !== null;
    // HTTP interactions need no gateway: the endpoint listens and REST takes the token
    if (this.http) return this.endpoint?.listening === true && this.restOk && this.client !== null;
    return this.connected && this.client?.isReady() === true;
  }

  /** HTTP interactions: the port the endpoint listens on (the real one when asked for port 0). */
  get interactionsPort(): number | null {
    return this.endpoint?.port ?? null;
  }

  /**
   * Posts a reply (a scheduled digest, a personal alert) to a channel or, for a person, their DMs. Reports the
   * port's typed failure and never retries a refusal; a short 429 is waited out inside discord.js. With an
   * idempotency key, each message carries its enforced nonce (a forum post cannot: Discord takes none there).
   */
  async post(target: PostTarget, reply: Reply, options: PostOptions = {}): Promise<PostResult> {
    const started = performance.now();
    const { log } = this.o;
    const client = this.client;
    let sent = 0;
    let parts = 0;
    try {
      if (!client) throw new Error('the Discord adapter is not started');
      // a threaded digest's stories go in its thread, which is a channel of its own
      const channelId = target.thread
        ? target.thread
        : target.kind === 'person'
          ? await this.dmChannel(client, target.user)
          : target.channel;
      if (!channelId) throw new Error(`no channel for ${target.key}`);
      const messagesToSend = renderReply(reply, { inGuild: false, isManager: false, buttons: false, pageId: () => '' });
      parts = messagesToSend.length;
      if (reply.kind === 'digestParent' && !target.thread && target.kind !== 'person') {
        const info = await this.channelInfoOf(client, channelId);
        if (info.forum && messagesToSend[0]) {
          const threadId = await this.forumPost(client, channelId, info, reply, messagesToSend[0]);
          sent = 1;
          const ms = Math.round(performance.now() - started);
          log.info({ destination: target.key, outcome: 'ok', messages: sent, forumPost: threadId, ms }, 'posted');
          return { ok: true, messageId: threadId };
        }
      }
      let firstId: string | null = null;
      const key = options.idempotencyKey;
      for (const [part, message] of messagesToSend.entries()) {
        const body: RESTPostAPIChannelMessageJSONBody = {
          ...apiBody(message),
          components: undefined,
          ...(key ? nonceOf(key, part) : {}),
        };
        const posted = (await client.rest.post(Routes.channelMessages(channelId), { body })) as { id: string };
        firstId ??= posted.id;
        sent++;
      }
      const ms = Math.round(performance.now() - started);
      log.info({ destination: target.key, outcome: 'ok', messages: sent, ms }, 'posted');
      return { ok: true, messageId: firstId ?? '' };
    } catch (error) {
      const failure = target.thread ? threadFailureOf(error, 'the thread') : postFailureOf(error);
      const ms = Math.round(performance.now() - started);
      const fields = { destination: target.key, outcome: failure.kind, detail: failure.detail, sent, parts, ms };
      log.warn(fields, 'post failed');
      // the messages before the failed one are in the channel: sending the reply again would repeat them
      return { ok: false, failure, ...(sent > 0 ? { partial: true } : {}) };
    }
  }

  /**
   * Opens the thread of a threaded digest under its parent: a public thread started from the parent message in a
   * text channel (it has the message's id, so opening it again, which Discord refuses with 160004, gives the same
   * thread); in a forum the parent is a post, which is its thread already. In a person's DMs, where Discord has no
   * threads, the stories follow the parent in the DM itself.
   */
  async openThread(target: PostTarget, parentMessageId: string, name: string): Promise<ThreadResult> {
    const started = performance.now();
    const { log } = this.o;
    const client = this.client;
    try {
      if (!client) throw new Error('the Discord adapter is not started');
      if (target.kind === 'person') {
        const dm = await this.dmChannel(client, target.user);
        return { ok: true, threadId: dm };
      }
      const channelId = target.channel;
      if (!channelId) throw new Error(`no channel for ${target.key}`);
      const info = await this.channelInfoOf(client, channelId);
      if (info.forum) return { ok: true, threadId: parentMessageId };
      try {
        const body = { name: truncate(name.trim(), THREAD_NAME_MAX), auto_archive_duration: THREAD_ARCHIVE_MINUTES };
        const thread = (await client.rest.post(Routes.threads(channelId, parentMessageId), { body })) as APIChannel;
        const ms = Math.round(performance.now() - started);
        log.info({ destination: target.key, outcome: 'ok', thread: thread.id, ms }, 'thread opened');
        return { ok: true, threadId: thread.id };
      } catch (error) {
        if (error instanceof DiscordAPIError && Number(error.code) === THREAD_ALREADY_CREATED) {
          log.info({ destination: target.key, outcome: 'ok', thread: parentMessageId }, 'thread was open already');
          return { ok: true, threadId: parentMessageId };
        }
        throw error;
      }
    } catch (error) {
      const failure = threadFailureOf(error, 'the parent message');
      const ms = Math.round(performance.now() - started);
      log.warn({ destination: target.key, outcome: failure.kind, detail: failure.detail, ms }, 'thread not opened');
      return { ok: false, failure };
    }
  }

  /** Whether a channel is a forum, and its tags: asked of Discord once an hour at most per channel. */
  private async channelInfoOf(client: Client, channelId: string): Promise<ChannelInfo> {
    const known = this.channelInfo.get(channelId);
    if (known && Date.now() - known.at < CHANNEL_INFO_MS) return known;
    const channel = (await client.rest.get(Routes.channel(channelId))) as APIChannel;
    const forum = channel.type === ChannelType.GuildForum;
    const tags =
      channel.type === ChannelType.GuildForum
        ? channel.available_tags.map((t) => ({ id: t.id, name: t.name, moderated: t.moderated }))
        : [];
    const info = { forum, tags, at: Date.now() };
    this.channelInfo.set(channelId, info);
    return info;
  }

  /**
   * A threaded digest's parent as a forum post (`POST /channels/{forum}/threads`): named after the digest's day,
   * tagged with the forum's tags named like the stories' topics; the post's id is its thread's and its first
   * message's.
   */
  private async forumPost(
    client: Client,
    forumId: string,
    info: ChannelInfo,
    reply: ReplyOf<'digestParent'>,
    message: DiscordMessage,
  ): Promise<string> {
    const name = truncate(threadNameOf(reply), THREAD_NAME_MAX);
    const body = {
      name,
      auto_archive_duration: THREAD_ARCHIVE_MINUTES,
      applied_tags: forumTags(info.tags, reply),
      message: { ...apiBody(message), components: undefined },
    };
    const thread = (await client.rest.post(Routes.threads(forumId), { body })) as APIChannel;
    return thread.id;
  }

  private async dmChannel(client: Client, user: string | null): Promise<string> {
    if (!user) throw new Error('a personal destination without a user');
    const known = this.dmChannels.get(user);
    if (known) return known;
    // not users.createDM: the DM channel it makes reads client.user, which only a gateway login sets
    const dm = (await client.rest.post(Routes.userChannels(), { body: { recipient_id: user } })) as APIChannel;
    this.dmChannels.set(user, dm.id);
    return dm.id;
  }

  private async onInteraction(interaction: Interaction): Promise<void> {
    try {
      if (interaction.isAutocomplete()) await this.onAutocomplete(interaction);
      else if (interaction.isChatInputCommand()) await this.onCommand(interaction);
      else if (interaction.isButton()) await this.onButton(interaction);
    } catch (error) {
      this.o.log.error(
        { err: error, interaction: interaction.id, guild: interaction.guildId, channel: interaction.channelId },
        'Discord interaction failed',
      );
      await this.sayFailed(interaction, error);
    }
  }

  /** After a failure, an answer anyway: Discord would otherwise show "The application did not respond". */
  private async sayFailed(interaction: Interaction, error: unknown): Promise<void> {
    // 10062: the interaction is gone (its 3 s passed); 40060: it was answered already
    const code = (error as { code?: unknown }).code;
    if (!interaction.isRepliable() || interaction.replied || code === 10062 || code === 40060) return;
    const text = renderNotice({ code: 'failed', params: {} }, catalogLang(interaction.locale) ?? 'en');
    try {
      if (interaction.deferred) await interaction.editReply({ content: text, allowedMentions: { parse: [] } });
      else await interaction.reply(ephemeral(text));
    } catch {
      // the interaction's token expired or Discord is unreachable: nothing more to do
    }
  }

  /** Topic names for the box being typed in (at most 25, answered at once: autocomplete cannot be deferred). */
  private async onAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const engine = this.requireEngine();
    const focused = interaction.options.getFocused(true);
    const typed = String(focused.value);
    if (focused.name === 'query') {
      // suggest for the word being typed; the words before it stay as they are
      const cut = typed.search(/\S*$/);
      const before = typed.slice(0, cut);
      const suggested = await engine.suggestTopics(typed.slice(cut), interaction.locale, LIMITS.choices);
      const choices = suggested.map((t) => {
        const value = truncate(`${before}${t.name}`, LIMITS.choiceValue);
        return { name: truncate(value, LIMITS.choiceName), value };
      });
      await interaction.respond(choices);
      return;
    }
    const choices = (await engine.suggestTopics(typed, interaction.locale, LIMITS.choices)).map((t) => ({
      name: truncate(`${t.name} (${t.id})`, LIMITS.choiceName),
      value: t.id.slice(0, 100),
    }));
    await interaction.respond(choices);
  }

  private async onCommand(interaction: ChatInputCommandInteraction): Promise<void> {
    const engine = this.requireEngine();
    const command = commandOf(interaction);
    const lang = catalogLang(interaction.locale) ?? 'en';
    if (command.kind === 'invalid') {
      await interaction.reply(ephemeral(inert(renderNotice(command.notice, lang))));
      return;
    }
    const refusal = this.refusal(interaction, command);
    if (refusal) {
      await interaction.reply(ephemeral(refusal));
      return;
    }
    const guessPublic = CONFIGURATION_KINDS.has(command.kind);
    await this.answer(interaction, () => engine.handle(requestOf(interaction, command)), guessPublic, 'reply');
  }

  /** Why a configuration command cannot run here (not a manager, the bot cannot post), in the caller's language. */
  private refusal(interaction: ChatInputCommandInteraction | ButtonInteraction, command: Command): string | null {
    if (!CONFIGURATION_KINDS.has(command.kind) || !interaction.inGuild()) return null;
    const m = messages(catalogLang(interaction.locale) ?? 'en');
    if (!isManager(interaction)) return m.notice.needsManager({});
    // posting needs the permissions; leaving (unsubscribe, pause) does not
    if (command.kind === 'unsubscribe' || command.kind === 'pause') return null;
    // a channel turning threads on must let the bot open them: else every digest would stop at its parent
    const threads = command.kind === 'layout' && command.layout === 'thread';
    const missing = missingPermissions(interaction.appPermissions, threads);
    if (missing.length === 0) return null;
    return m.discord.missingPermissions(missing.map((key) => `**${m.discord.permission[key]}**`).join(', '));
  }

  private async onButton(interaction: ButtonInteraction): Promise<void> {
    const engine = this.requireEngine();
    const m = messages(catalogLang(interaction.locale) ?? 'en');
    const id = interaction.customId;
    const page = this.pages.parse(id);
    if (page) {
      if (page.query === null) {
        await interaction.reply(ephemeral(m.discord.searchExpired));
        return;
      }
      const command: Command = { kind: 'search', query: page.query, page: page.page };
      await this.answer(interaction, () => engine.handle(requestOf(interaction, command)), false, 'update');
      return;
    }
    const backlog = /^nb:b:(\d{1,9}):(\d{1,2})$/.exec(id);
    if (backlog) {
      const command: Command = {
        kind: 'sources',
        action: 'backlog',
        source: Number(backlog[1]),
        count: Number(backlog[2]),
      };
      await this.answer(interaction, () => engine.handle(requestOf(interaction, command)), true, 'reply');
      return;
    }
    const follow = /^nb:f([hm]):(.+)$/.exec(id);
    if (!follow) return;
    const command: Command = { kind: 'subscribe', topic: follow[2] as string };
    if (follow[1] === 'h') {
      const refusal = this.refusal(interaction, command);
      if (refusal) {
        await interaction.reply(ephemeral(refusal));
        return;
      }
      await this.answer(interaction, () => engine.handle(requestOf(interaction, command)), true, 'reply');
      return;
    }
    // the caller's own destination (their personal digest by DM), whoever they are
    await this.answer(interaction, () => engine.handle(requestOf(interaction, command, true)), false, 'reply', {
      onlyCaller: true,
    });
  }

  /**
   * Runs the engine and answers the interaction: directly when it is done within `deferAfterMs`, else deferred
   * first (Discord allows 3 s for the first response) and edited when done. Replies that concern only the caller
   * are ephemeral; messages past the first go as follow-ups.
   */
  private async answer(
    interaction: ChatInputCommandInteraction | ButtonInteraction,
    work: () => Promise<Reply>,
    guessPublic: boolean,
    mode: 'reply' | 'update',
    options: { caption?: (reply: Reply) => string | null; onlyCaller?: boolean } = {},
  ): Promise<void> {
    const pending = work();
    let timer: NodeJS.Timeout | undefined;
    const early = await Promise.race([
      pending,
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), this.o.deferAfterMs);
      }),
    ]);
    clearTimeout(timer);
    let deferred = false;
    if (early === null) {
      if (mode === 'update') await (interaction as ButtonInteraction).deferUpdate();
      else await interaction.deferReply(guessPublic ? {} : { flags: MessageFlags.Ephemeral });
      deferred = true;
    }
    const reply = early ?? (await pending);
    const context: RenderContext = {
      inGuild: interaction.inGuild(),
      isManager: isManager(interaction),
      buttons: true,
      pageId: (query, page) => this.pages.id(query, page),
    };
    const rendered = renderReply(reply, context);
    const text = options.caption?.(reply);
    if (text && rendered[0]) rendered[0] = { ...rendered[0], content: inert(text) };
    const hidden = options.onlyCaller === true || concernsOnlyCaller(reply);
    const [first, ...rest] = rendered;
    if (!first) return;
    const flags = hidden ? MessageFlags.Ephemeral : undefined;
    if (mode === 'update') {
      if (deferred) await interaction.editReply(apiOptions(first));
      else await (interaction as ButtonInteraction).update(apiOptions(first));
    } else if (!deferred) {
      await interaction.reply({ ...apiOptions(first), ...(flags ? { flags } : {}) });
    } else if (hidden && guessPublic) {
      // deferred in public but the answer is for the caller only: replace the public placeholder
      await interaction.deleteReply();
      await interaction.followUp({ ...apiOptions(first), flags: MessageFlags.Ephemeral });
    } else {
      await interaction.editReply(apiOptions(first));
    }
    // follow-ups are shown to whoever saw the first message
    const restHidden = deferred && mode === 'reply' ? !guessPublic || hidden : hidden;
    for (const message of rest) {
      await interaction.followUp({ ...apiOptions(message), ...(restHidden ? { flags: MessageFlags.Ephemeral } : {}) });
    }
  }

  private requireEngine(): Engine {
    if (!this.engine) throw new Error('the Discord adapter is not started');
    return this.engine;
  }
}

function ephemeral(content: string): InteractionReplyOptions {
  return { content: truncate(content, LIMITS.content), flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } };
}

/** A rendered message for discord.js' interaction methods; mentions never parsed. */
function apiOptions(message: DiscordMessage) {
  return {
    content: message.content,
    embeds: message.embeds,
    components: message.components,
    allowedMentions: { parse: [] },
  };
}

/** A rendered message as the REST body of `POST /channels/{id}/messages`. */
function apiBody(message: DiscordMessage) {
  return {
    content: message.content,
    embeds: message.embeds,
    components: message.components,
    // nothing pings, except the roles a channel subscription names (set by the alert renderer from stored ids)
    allowed_mentions: message.roles?.length ? { parse: [], roles: message.roles } : { parse: [] },
  };
}

/**
 * A failure in a threaded digest's thread as the port's: as for any post, except that a thread or parent message
 * someone deleted (10003 on the thread, 10008 on the message) says nothing of the channel, which `gone` would
 * pause: it is `transient`, so the scheduler tries a few times and gives that digest up.
 */
function threadFailureOf(error: unknown, what: string): PostFailure {
  const failure = postFailureOf(error);
  const code = error instanceof DiscordAPIError ? Number(error.code) : null;
  if (failure.kind === 'gone' && (code === DiscordCode.UnknownChannel || code === UNKNOWN_MESSAGE)) {
    return { kind: 'transient', detail: `${what} is gone: ${failure.detail}` };
  }
  return failure;
}

/** A tag or topic name compared as people type it: trimmed, any case. */
const tagKey = (name: string) => name.trim().toLowerCase();

/**
 * The forum tags for a digest: those named like one of its stories' topics (the topic's name or id), in the
 * stories' order, each once, at most five. Moderated tags are left out (only moderators may apply them).
 */
export function forumTags(
  tags: readonly { id: string; name: string; moderated: boolean }[],
  reply: Pick<ReplyOf<'digestParent'>, 'digest' | 'topicNames'>,
): string[] {
  const byName = new Map<string, string>();
  for (const tag of tags) if (!tag.moderated && !byName.has(tagKey(tag.name))) byName.set(tagKey(tag.name), tag.id);
  const applied: string[] = [];
  for (const story of reply.digest.stories) {
    for (const topic of story.topics) {
      const name = reply.topicNames[topic];
      const id = (name !== undefined ? byName.get(tagKey(name)) : undefined) ?? byName.get(tagKey(topic));
      if (id !== undefined && !applied.includes(id)) applied.push(id);
      if (applied.length >= FORUM_TAGS_MAX) return applied;
    }
  }
  return applied;
}

/**
 * The action discord.js runs for the gateway's INTERACTION_CREATE (it makes the interaction object and emits
 * InteractionCreate); private in its typings, so checked at start.
 */
function interactionAction(client: Client): (payload: RawInteraction) => void {
  const actions = (client as unknown as { actions?: { InteractionCreate?: { handle?: unknown } } }).actions;
  const action = actions?.InteractionCreate;
  const handle = action?.handle;
  if (typeof handle !== 'function') {
    throw new FatalLogin('this discord.js version has no InteractionCreate action, which HTTP interactions need');
  }
  return (payload) => {
    handle.call(action, payload);
  };
}

const localeOf = (head: InteractionHead) => {
  const locale = (head as RawInteraction).locale;
  return typeof locale === 'string' ? locale : null;
};

/**
 * The deferral the router answers with for a handler that has not answered in time: "thinking", for the caller
 * only, for a command; an acknowledged button that leaves its message as it is; no choices (autocomplete cannot be
 * deferred).
 */
function deferralOf(head: InteractionHead): CallbackBody {
  if (head.type === 3) return { type: 6 };
  if (head.type === 4) return { type: 8, data: { choices: [] } };
  return { type: 5, data: { flags: MessageFlags.Ephemeral } };
}

/**
 * The answer for a handler that ended without one (over the gateway Discord would say the application did not
 * respond): the "failed" notice to the caller for a command, an acknowledgement for a button, no choices.
 */
function unansweredOf(head: InteractionHead): CallbackBody {
  if (head.type === 3) return { type: 6 };
  if (head.type === 4) return { type: 8, data: { choices: [] } };
  const text = renderNotice({ code: 'failed', params: {} }, catalogLang(localeOf(head)) ?? 'en');
  return {
    type: 4,
    data: { content: truncate(text, LIMITS.content), flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } },
  };
}

function closeMessage(code: number): string {
  switch (code) {
    case GatewayCloseCodes.AuthenticationFailed:
      return 'Discord rejected DISCORD_TOKEN at the gateway (4004): copy the bot token again from the Developer Portal';
    case GatewayCloseCodes.DisallowedIntents:
    case GatewayCloseCodes.InvalidIntents:
      return `Discord refused the bot's intents (${code}); newsbrief needs only Guilds`;
    default:
      return `the Discord gateway closed the connection with code ${code}, which retrying cannot fix`;
  }
}

/**
 * The adapter as the runtime makes it from the environment: `DISCORD_TOKEN`, and `DISCORD_API_BASE` to move REST
 * and the gateway elsewhere (a proxy, a stand-in); `DISCORD_PUBLIC_KEY` turns on HTTP interactions (see
 * `interactionsSettingsFromEnv`). With `receive: false` it is post-only and reads only those two: the
 * interactions settings are not read. A wrong setting is one sentence, thrown.
 */
export function createDiscordAdapter(
  env: Record<string, string | undefined>,
  log: DiscordLog,
  options: AdapterFactoryOptions = {},
): DiscordAdapter {
  const token = env.DISCORD_TOKEN?.trim();
  if (!token) throw new Error('DISCORD_TOKEN is empty: set it to the bot token from the Discord Developer Portal');
  if (options.receive === false) return new DiscordAdapter({ token, apiBase: apiBaseOf(env), log, receive: false });
  const interactions = interactionsSettingsFromEnv(env);
  return new DiscordAdapter({ token, apiBase: apiBaseOf(env), log, ...(interactions ? { interactions } : {}) });
}

/** `DISCORD_API_BASE` (without a trailing slash), or Discord's own API. */
export function apiBaseOf(env: Record<string, string | undefined>): string {
  const base = env.DISCORD_API_BASE?.trim();
  if (!base) return DEFAULT_API_BASE;
  if (!/^https?:\/\/[^\s/]+/i.test(base)) {
    throw new Error(`DISCORD_API_BASE must be an http(s) URL such as ${DEFAULT_API_BASE} (got "${base.slice(0, 80)}")`);
  }
  return base.replace(/\/+$/, '');
}
