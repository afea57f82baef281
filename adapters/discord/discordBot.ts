import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  Client,
  type CloseEvent,
  DiscordjsErrorCodes,
  Events,
  GatewayCloseCodes,
  GatewayIntentBits,
  type Interaction,
  type InteractionReplyOptions,
  MessageFlags,
  type RateLimitData,
  Routes,
} from 'discord.js';
import type { Command } from '../../src/commands/command.ts';
import type { Reply } from '../../src/commands/reply.ts';
import type { Engine } from '../../src/engine/engine.ts';
import type { PlatformAdapter, PostResult, PostTarget } from '../../src/engine/port.ts';
import { catalogLang, messages, renderNotice } from '../../src/messages/catalog.ts';
import { postFailureOf } from './failures.ts';
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

/** A start-up failure that retrying cannot fix (a bad token): start() gives up at once. */
class FatalLogin extends Error {}

/**
 * The Discord adapter: slash commands and buttons from the gateway (only the Guilds intent) to `engine.handle`,
 * replies rendered as embeds within Discord's limits, and scheduled posts to channels and DMs over REST.
 */
export class DiscordAdapter implements PlatformAdapter {
  readonly name = 'discord';
  private client: Client | null = null;
  private engine: Engine | null = null;
  private connected = false;
  private readonly pages = new PageIds();
  private readonly o: Required<Omit<DiscordAdapterOptions, 'log'>> & { log: DiscordLog };

  constructor(options: DiscordAdapterOptions) {
    this.o = {
      apiBase: DEFAULT_API_BASE,
      deferAfterMs: 1500,
      maxRateLimitWaitMs: 10_000,
      loginAttempts: 8,
      loginBackoffMs: 1000,
      readyTimeoutMs: 60_000,
      ...options,
    };
  }

  async start(engine: Engine): Promise<void> {
    this.engine = engine;
    const { log, loginAttempts } = this.o;
    for (let attempt = 1; ; attempt++) {
      try {
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
    const client = this.client;
    this.client = null;
    await client?.destroy();
  }

  isConnected(): boolean {
    return this.connected && this.client?.isReady() === true;
  }

  /**
   * Posts a reply (a scheduled digest, a personal alert) to a channel or, for a person, their DMs. Reports the
   * port's typed failure and never retries a refusal; a short 429 is waited out inside discord.js.
   */
  async post(target: PostTarget, reply: Reply): Promise<PostResult> {
    const started = performance.now();
    const { log } = this.o;
    const client = this.client;
    let sent = 0;
    let parts = 0;
    try {
      if (!client) throw new Error('the Discord adapter is not started');
      const channelId = target.kind === 'person' ? await this.dmChannel(client, target.user) : target.channel;
      if (!channelId) throw new Error(`no channel for ${target.key}`);
      const messagesToSend = renderReply(reply, { inGuild: false, isManager: false, buttons: false, pageId: () => '' });
      parts = messagesToSend.length;
      let firstId: string | null = null;
      for (const message of messagesToSend) {
        const body = { ...apiBody(message), components: undefined };
        const posted = (await client.rest.post(Routes.channelMessages(channelId), { body })) as { id: string };
        firstId ??= posted.id;
        sent++;
      }
      const ms = Math.round(performance.now() - started);
      log.info({ destination: target.key, outcome: 'ok', messages: sent, ms }, 'posted');
      return { ok: true, messageId: firstId ?? '' };
    } catch (error) {
      const failure = postFailureOf(error);
      const ms = Math.round(performance.now() - started);
      const fields = { destination: target.key, outcome: failure.kind, detail: failure.detail, sent, parts, ms };
      log.warn(fields, 'post failed');
      // the messages before the failed one are in the channel: sending the reply again would repeat them
      return { ok: false, failure, ...(sent > 0 ? { partial: true } : {}) };
    }
  }

  private async dmChannel(client: Client, user: string | null): Promise<string> {
    if (!user) throw new Error('a personal destination without a user');
    const dm = await client.users.createDM(user);
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
      const choices = engine.suggestTopics(typed.slice(cut), interaction.locale, LIMITS.choices).map((t) => {
        const value = truncate(`${before}${t.name}`, LIMITS.choiceValue);
        return { name: truncate(value, LIMITS.choiceName), value };
      });
      await interaction.respond(choices);
      return;
    }
    const choices = engine
      .suggestTopics(typed, interaction.locale, LIMITS.choices)
      .map((t) => ({ name: truncate(`${t.name} (${t.id})`, LIMITS.choiceName), value: t.id.slice(0, 100) }));
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
    const missing = missingPermissions(interaction.appPermissions);
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
 * and the gateway elsewhere (a proxy, a stand-in). A wrong setting is one sentence, thrown.
 */
export function createDiscordAdapter(env: Record<string, string | undefined>, log: DiscordLog): DiscordAdapter {
  const token = env.DISCORD_TOKEN?.trim();
  if (!token) throw new Error('DISCORD_TOKEN is empty: set it to the bot token from the Discord Developer Portal');
  return new DiscordAdapter({ token, apiBase: apiBaseOf(env), log });
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
