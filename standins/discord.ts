/**
 * A local stand-in for Discord's REST API and gateway, enough for the real discord.js Client to log in through
 * `DISCORD_API_BASE` and for newsbrief's Discord adapter to be tested end to end. It enforces what Discord
 * enforces and the adapter must respect: message limits (50035), channel permissions (50013, 50001), unknown
 * channels (10003), DMs a user blocks (50007), the 3 s interaction deadline (10062), one acknowledgement per
 * interaction (40060), and it can answer 429 with Retry-After or keep a route's rate-limit bucket (`X-RateLimit-*`
 * headers, 429 over the limit). Threads: public threads started from a message
 * (one per message, 160004 for a second), forum channels whose posts are threads with tags, and posting in a
 * thread (Send Messages in Threads) as Discord models them. Enforced nonces (`nonce` with `enforce_nonce: true`,
 * at most 25 characters): a post repeating a nonce the bot used within `nonceWindowMs` gets the message that nonce
 * made, and nothing new is posted, as Discord answers a retried post.
 *
 * HTTP interactions (`useHttpInteractions(url)`): interactions are POSTed to the bot's endpoint instead of sent
 * over the gateway, signed with an Ed25519 key pair made here (`publicKeyHex` is what the bot verifies with), and
 * the HTTP answer is taken as the first response, as Discord takes it: within the deadline, at most one, within
 * the limits. Edits and follow-ups go through the webhook routes as before.
 */
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { once } from 'node:events';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { CANARY } from './secrets.ts';

export const TOKEN = CANARY.discordToken;
const EPOCH = 1_420_070_400_000n;
let counter = 0n;

/** A 17–19-digit snowflake (discord.js' rate-limit buckets and caches depend on the shape). */
export function snowflake(): string {
  return (((BigInt(Date.now()) - EPOCH) << 22n) | (counter++ & 0xfffn)).toString();
}

/** Permission bits (https://discord.com/developers/docs/topics/permissions). */
export const P = {
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  EmbedLinks: 1n << 14n,
  ManageGuild: 1n << 5n,
  Administrator: 1n << 3n,
  ManageThreads: 1n << 34n,
  CreatePublicThreads: 1n << 35n,
  SendMessagesInThreads: 1n << 38n,
} as const;
export const BOT_OK = P.ViewChannel | P.SendMessages | P.EmbedLinks;
/** What the invite link asks for when threaded digests are used. */
export const BOT_THREADS = BOT_OK | P.CreatePublicThreads | P.SendMessagesInThreads;

/** Channel types (https://discord.com/developers/docs/resources/channel#channel-object-channel-types). */
export const ChannelKind = { Text: 0, DM: 1, PublicThread: 11, Forum: 15 } as const;

/** A forum channel's tag, as Discord sends it in `available_tags`. */
export interface ForumTag {
  id: string;
  name: string;
  moderated: boolean;
  emoji_id: string | null;
  emoji_name: string | null;
}

export interface StandinChannel {
  id: string;
  guildId: string | null;
  name: string;
  /** What the bot may do there (a thread: what it may do in its parent, which is what Discord checks). */
  botPermissions: bigint;
  /** A DM channel's recipient. */
  recipient?: string;
  /** Channel type: 0 text (the default), 1 DM, 11 public thread, 15 forum. */
  type?: number;
  /** A forum's tags. */
  availableTags?: ForumTag[];
  /** A thread's parent channel. */
  parentId?: string;
}

/** A thread the bot created: from a message in a text channel, or a forum post. */
export interface RecordedThread {
  id: string;
  parentId: string;
  name: string;
  kind: 'fromMessage' | 'forumPost';
  autoArchiveDuration: number | null;
  appliedTags: string[];
}

export interface RecordedMessage {
  id: string;
  channelId: string;
  body: MessageBody;
}

export interface MessageBody {
  content?: string;
  embeds?: {
    title?: string;
    url?: string;
    description?: string;
    footer?: { text: string };
    author?: { name: string };
    fields?: { name: string; value: string }[];
  }[];
  components?: { type: number; components: { type: number; label?: string; custom_id?: string }[] }[];
  allowed_mentions?: { parse?: string[] };
  flags?: number;
  nonce?: string | number;
  enforce_nonce?: boolean;
}

export interface InteractionRecord {
  id: string;
  token: string;
  dispatchedAt: number;
  /** Callback bodies (type 4 reply, 5 defer, 6 deferred update, 7 update, 8 autocomplete) and the ms they came at. */
  callbacks: { type: number; data?: MessageBody & { choices?: { name: string; value: string }[] }; at: number }[];
  /** Edits of the original response, then follow-ups, in order. */
  edits: MessageBody[];
  followUps: MessageBody[];
  deleted: boolean;
  /** Errors the stand-in answered (10062, 40060, 50035). */
  errors: number[];
  /** HTTP interactions: how the bot's endpoint answered the POST (once it did or the deadline passed). */
  http?: HttpAnswer;
}

/** A bot endpoint's answer to a POSTed interaction: status 0 when none came within the time allowed. */
export interface HttpAnswer {
  status: number;
  body: string;
  /** The body parsed, or null when it is not JSON. */
  json: unknown;
  headers: Record<string, string | string[] | undefined>;
  /** From the first byte sent to the answer's end (or to giving up). */
  ms: number;
}

/** How a signed POST is made; everything can be forged for the tests of refusals. */
export interface SignedPostOptions {
  /** Default: the endpoint given to `useHttpInteractions`. */
  url?: string;
  method?: string;
  /** Unix seconds as text; default now. */
  timestamp?: string;
  /** Signs with this private key instead of the stand-in's own. */
  key?: KeyObject;
  /** This signature (hex) instead of a real one; null: no signature header. */
  signature?: string | null;
  headers?: Record<string, string>;
  /** Gives up after this long (status 0); default the interaction deadline, as Discord does. */
  timeoutMs?: number;
}

type CallbackData = MessageBody & { choices?: { name: string; value: string }[] };

interface Options {
  heartbeatMs?: number;
  /** Discord's deadline for the first response to an interaction. */
  interactionDeadlineMs?: number;
  /** How long an enforced nonce is remembered: Discord says "the past few minutes". Default 3 minutes. */
  nonceWindowMs?: number;
  /** The stand-in's clock for nonces, in ms (a test moves it past the window); default the real one. */
  now?: () => number;
  /** The shard count `GET /gateway/bot` recommends; default 1. Each shard gets the events of its guilds only. */
  shards?: number;
}

/** Discord's limit on a message's nonce. */
const NONCE_MAX = 25;

const len = (s: string | undefined) => (s === undefined ? 0 : Array.from(s).length);

/** Discord's message limits, checked as Discord checks them (code points); the list of what is wrong. */
export function limitErrors(body: MessageBody): string[] {
  const errors: string[] = [];
  if (len(body.content) > 2000) errors.push('content: over 2000');
  const embeds = body.embeds ?? [];
  if (embeds.length > 10) errors.push('embeds: over 10');
  let total = 0;
  embeds.forEach((e, i) => {
    if (len(e.title) > 256) errors.push(`embeds.${i}.title: over 256`);
    if (len(e.description) > 4096) errors.push(`embeds.${i}.description: over 4096`);
    if (len(e.footer?.text) > 2048) errors.push(`embeds.${i}.footer.text: over 2048`);
    if (len(e.author?.name) > 256) errors.push(`embeds.${i}.author.name: over 256`);
    if ((e.fields ?? []).length > 25) errors.push(`embeds.${i}.fields: over 25`);
    for (const f of e.fields ?? []) {
      if (len(f.name) > 256 || len(f.value) > 1024) errors.push(`embeds.${i}.fields: field too long`);
      total += len(f.name) + len(f.value);
    }
    if (e.url !== undefined && !/^https?:\/\//.test(e.url)) errors.push(`embeds.${i}.url: not http(s)`);
    total += len(e.title) + len(e.description) + len(e.footer?.text) + len(e.author?.name);
  });
  if (total > 6000) errors.push(`embeds: ${total} characters over 6000`);
  const rows = body.components ?? [];
  if (rows.length > 5) errors.push('components: over 5 rows');
  for (const row of rows) {
    if (row.components.length > 5) errors.push('components: over 5 in a row');
    for (const c of row.components) {
      if (len(c.label) > 80) errors.push('button label over 80');
      if (c.custom_id !== undefined && (len(c.custom_id) > 100 || len(c.custom_id) === 0)) {
        errors.push('custom_id not 1-100');
      }
    }
  }
  if (!body.content && embeds.length === 0) errors.push('empty message');
  return errors;
}

interface RateLimitBucket {
  pathPrefix: string;
  limit: number;
  windowMs: number;
  /** What Discord sends as `X-RateLimit-Bucket`. */
  hash: string;
  windowEnd: number;
  used: number;
}

/** An interaction as the stand-in sends it: a command (2), a button (3) or autocomplete (4) from a member. */
export interface InteractionSpec {
  type: 2 | 3 | 4;
  channel: StandinChannel;
  user?: string;
  permissions?: bigint;
  locale?: string;
  data: Record<string, unknown>;
  message?: Record<string, unknown>;
}

export class DiscordStandin {
  readonly appId = snowflake();
  readonly botId = this.appId;
  readonly guildId = snowflake();
  readonly ownerId = snowflake();
  readonly channels = new Map<string, StandinChannel>();
  /** Every message posted, in order; a thread's messages (a forum post's starter too) carry the thread's id. */
  readonly messages: RecordedMessage[] = [];
  readonly threads: RecordedThread[] = [];
  readonly interactions = new Map<string, InteractionRecord>();
  /** PUT command registrations: the route and the payload. */
  readonly registrations: { route: string; body: unknown }[] = [];
  readonly identifies: { intents: number; token: string; shard: [number, number] }[] = [];
  /** WebSocket connections the gateway took, whether or not they identified. */
  gatewayConnections = 0;
  readonly resumes: { session_id: string; seq: number }[] = [];
  /** Every REST request: method, path, status, and when. */
  readonly requests: { method: string; path: string; status: number; at: number }[] = [];
  /** Users whose DMs are closed to the bot. */
  readonly blockedDms = new Set<string>();
  readonly sessionId = `session-${snowflake()}`;
  /** The application's Ed25519 key pair for HTTP interactions (Discord keeps the private half). */
  readonly interactionKeys = generateKeyPairSync('ed25519');
  /** Where interactions are POSTed instead of dispatched over the gateway; null: the gateway. */
  interactionsUrl: string | null = null;
  port = 0;

  private server: Server;
  private wss: WebSocketServer;
  private sockets = new Set<WebSocket>();
  /** The shard each identified connection is. */
  private shardOf = new Map<WebSocket, number>();
  private readonly shardCount: number;
  private seq = 0;
  private rateLimits: { retryAfterSec: number; remaining: number; pathPrefix: string }[] = [];
  private buckets: RateLimitBucket[] = [];
  private failures: { status: number; remaining: number; pathPrefix: string }[] = [];
  private delays: { pathPrefix: string; ms: number }[] = [];
  private readonly heartbeatMs: number;
  private readonly deadlineMs: number;
  private readonly nonceWindowMs: number;
  private readonly now: () => number;
  /** Enforced nonces the bot (the only author posting over REST) used: the message each made, and when. */
  private readonly nonces = new Map<string, { message: RecordedMessage; at: number }>();

  constructor(options: Options = {}) {
    this.heartbeatMs = options.heartbeatMs ?? 300;
    this.shardCount = options.shards ?? 1;
    this.deadlineMs = options.interactionDeadlineMs ?? 3000;
    this.nonceWindowMs = options.nonceWindowMs ?? 180_000;
    this.now = options.now ?? Date.now;
    this.server = createServer((req, res) => {
      void this.route(req, res);
    });
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/gateway')) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws));
    });
  }

  get apiBase(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  async start(): Promise<this> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The application's public key as the Developer Portal shows it (64 hex characters): `DISCORD_PUBLIC_KEY`. */
  get publicKeyHex(): string {
    const jwk = this.interactionKeys.publicKey.export({ format: 'jwk' });
    return Buffer.from(jwk.x as string, 'base64url').toString('hex');
  }

  /** From now on interactions are POSTed to `url` (the bot's Interactions Endpoint URL); null: the gateway again. */
  useHttpInteractions(url: string | null): void {
    this.interactionsUrl = url;
  }

  addChannel(name: string, botPermissions: bigint = BOT_OK): StandinChannel {
    const channel = { id: snowflake(), guildId: this.guildId, name, botPermissions };
    this.channels.set(channel.id, channel);
    return channel;
  }

  /** A forum channel (type 15) with these tags (ids made here; see `tagId`). */
  addForum(name: string, tags: readonly string[], botPermissions: bigint = BOT_OK): StandinChannel {
    const availableTags = tags.map((tag) => ({
      id: snowflake(),
      name: tag,
      moderated: false,
      emoji_id: null,
      emoji_name: null,
    }));
    const channel: StandinChannel = {
      id: snowflake(),
      guildId: this.guildId,
      name,
      botPermissions,
      type: ChannelKind.Forum,
      availableTags,
    };
    this.channels.set(channel.id, channel);
    return channel;
  }

  /** The id of a forum's tag by its name. */
  tagId(forum: StandinChannel, name: string): string {
    const tag = forum.availableTags?.find((t) => t.name === name);
    if (!tag) throw new Error(`no tag ${name} in ${forum.name}`);
    return tag.id;
  }

  /** The messages posted in a channel or thread, in order. */
  messagesIn(channelId: string): RecordedMessage[] {
    return this.messages.filter((m) => m.channelId === channelId);
  }

  removeChannel(id: string): void {
    this.channels.delete(id);
  }

  /** The next `count` requests whose path starts with `pathPrefix` get 429 with this Retry-After. */
  rateLimit(pathPrefix: string, retryAfterSec: number, count = 1): void {
    this.rateLimits.push({ pathPrefix, retryAfterSec, remaining: count });
  }

  /**
   * A rate-limit bucket as Discord keeps one: requests whose path starts with `pathPrefix` share `limit` per
   * window of `windowMs` (from the window's first request). Every answer carries Discord's `X-RateLimit-*`
   * headers; a request over the limit gets 429 (recorded in `requests` like any other).
   */
  bucket(pathPrefix: string, limit: number, windowMs: number): void {
    this.buckets.push({ pathPrefix, limit, windowMs, hash: `bucket-${snowflake()}`, windowEnd: 0, used: 0 });
  }

  /** The next `count` requests whose path starts with `pathPrefix` fail with this status (a 5xx: Discord is down). */
  /**
   * Every answer to a request whose path starts with `pathPrefix` comes `ms` late, what it does done at once (a
   * message is in the channel before its poster hears of it): a slow Discord, so that a kill lands mid-post.
   */
  slowDown(pathPrefix: string, ms: number): void {
    this.delays.push({ pathPrefix, ms });
  }

  fail(pathPrefix: string, status: number, count = 1): void {
    this.failures.push({ pathPrefix, status, remaining: count });
  }

  /** Sends op 7 RECONNECT on every gateway connection: the client should reconnect and RESUME. */
  requestReconnect(): void {
    for (const ws of this.sockets) this.send(ws, { op: 7, d: null });
  }

  /** Sends op 9 INVALID SESSION; not `resumable`: the client must IDENTIFY again. */
  invalidateSession(resumable = false): void {
    for (const ws of this.sockets) this.send(ws, { op: 9, d: resumable });
  }

  /** Drops every gateway connection with a resumable close code: the client should RESUME. */
  dropGateway(code = 4000): void {
    for (const ws of this.sockets) ws.close(code, 'test drop');
  }

  // ---- the gateway

  private send(ws: WebSocket, payload: object): void {
    ws.send(JSON.stringify(payload));
  }

  /** Each shard's session (shard 0's is `sessionId`). */
  private sessionOf(shard: number): string {
    return shard === 0 ? this.sessionId : `${this.sessionId}:${shard}`;
  }

  /** The guild's shard: Discord sends a guild's events to shard (guild_id >> 22) % shards. */
  private guildShard(): number {
    return Number((BigInt(this.guildId) >> 22n) % BigInt(this.shardCount));
  }

  /** The connection of a shard (DMs go to shard 0); undefined while that shard is not connected. */
  private shardSocket(shard: number): WebSocket | undefined {
    for (const [ws, id] of this.shardOf) if (id === shard) return ws;
    return undefined;
  }

  private dispatch(t: string, d: unknown, ws?: WebSocket): void {
    const payload = { op: 0, t, s: ++this.seq, d };
    for (const socket of ws ? [ws] : this.sockets) this.send(socket, payload);
  }

  private onSocket(ws: WebSocket): void {
    this.gatewayConnections++;
    this.sockets.add(ws);
    ws.on('close', () => {
      this.sockets.delete(ws);
      this.shardOf.delete(ws);
    });
    this.send(ws, { op: 10, d: { heartbeat_interval: this.heartbeatMs } });
    ws.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as { op: number; d: Record<string, unknown> };
      switch (message.op) {
        case 1:
          this.send(ws, { op: 11 });
          break;
        case 2: {
          const {
            token,
            intents,
            shard = [0, 1],
          } = message.d as {
            token: string;
            intents: number;
            shard?: [number, number];
          };
          this.identifies.push({ token, intents, shard });
          if (token !== TOKEN) {
            ws.close(4004, 'Authentication failed.');
            return;
          }
          if (intents !== 1) {
            ws.close(4013, 'Invalid intent(s).');
            return;
          }
          if (shard[1] !== this.shardCount || shard[0] < 0 || shard[0] >= shard[1]) {
            ws.close(4010, 'Invalid shard.');
            return;
          }
          this.shardOf.set(ws, shard[0]);
          const ours = shard[0] === this.guildShard();
          this.dispatch(
            'READY',
            {
              v: 10,
              user: this.botUser(),
              guilds: ours ? [{ id: this.guildId, unavailable: true }] : [],
              session_id: this.sessionOf(shard[0]),
              resume_gateway_url: `ws://127.0.0.1:${this.port}/gateway`,
              shard,
              application: { id: this.appId, flags: 0 },
            },
            ws,
          );
          if (ours) this.dispatch('GUILD_CREATE', this.guildPayload(), ws);
          break;
        }
        case 6: {
          const d = message.d as { session_id: string; seq: number; token: string };
          this.resumes.push({ session_id: d.session_id, seq: d.seq });
          const resumed = Array.from({ length: this.shardCount }, (_, i) => i).find(
            (i) => this.sessionOf(i) === d.session_id,
          );
          if (d.token !== TOKEN || resumed === undefined) {
            this.send(ws, { op: 9, d: false });
            return;
          }
          this.shardOf.set(ws, resumed);
          this.dispatch('RESUMED', {}, ws);
          break;
        }
      }
    });
  }

  private botUser() {
    return { id: this.botId, username: 'newsbrief', discriminator: '0', global_name: null, avatar: null, bot: true };
  }

  private guildPayload() {
    const now = new Date().toISOString();
    return {
      id: this.guildId,
      name: 'Test Server',
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: this.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: [
        {
          id: this.guildId,
          name: '@everyone',
          permissions: String(P.ViewChannel | P.SendMessages),
          position: 0,
          color: 0,
          hoist: false,
          managed: false,
          mentionable: false,
          flags: 0,
        },
      ],
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      preferred_locale: 'en-US',
      public_updates_channel_id: null,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      joined_at: now,
      large: false,
      unavailable: false,
      member_count: 2,
      members: [{ user: this.botUser(), roles: [], joined_at: now, deaf: false, mute: false, flags: 0 }],
      channels: [...this.channels.values()]
        .filter((c) => c.guildId === this.guildId && c.parentId === undefined)
        .map((c, position) => ({
          ...this.channelObject(c),
          position,
          permission_overwrites: [],
          nsfw: false,
          topic: null,
          last_message_id: null,
          rate_limit_per_user: 0,
        })),
      threads: [...this.channels.values()]
        .filter((c) => c.guildId === this.guildId && c.parentId !== undefined)
        .map((c) => this.channelObject(c)),
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
    };
  }

  // ---- interactions

  /**
   * Sends an INTERACTION_CREATE for a chat-input command (type 2) or autocomplete (type 4) or a button (type 3)
   * from a member with `permissions` in `channel`; returns its record (the responses land there).
   */
  interact(spec: InteractionSpec): InteractionRecord {
    const { record, payload } = this.prepare(spec);
    if (this.interactionsUrl !== null) void this.deliver(record, payload);
    else this.dispatch('INTERACTION_CREATE', payload, this.shardSocket(payload.guild_id ? this.guildShard() : 0));
    return record;
  }

  /**
   * An interaction's record (registered: the webhook routes know its token) and payload, not sent: for tests that
   * send it themselves, forged or signed (`signedPost`).
   */
  prepare(spec: InteractionSpec): { record: InteractionRecord; payload: Record<string, unknown> } {
    const id = snowflake();
    const token = `itoken-${id}`;
    const record: InteractionRecord = {
      id,
      token,
      dispatchedAt: Date.now(),
      callbacks: [],
      edits: [],
      followUps: [],
      deleted: false,
      errors: [],
    };
    this.interactions.set(token, record);
    const user = {
      id: spec.user ?? snowflake(),
      username: 'reader',
      discriminator: '0',
      global_name: 'Reader',
      avatar: null,
    };
    const inGuild = spec.channel.guildId !== null;
    const payload: Record<string, unknown> = {
      id,
      application_id: this.appId,
      type: spec.type,
      token,
      version: 1,
      data: spec.data,
      channel_id: spec.channel.id,
      channel: this.channelObject(spec.channel),
      app_permissions: String(spec.channel.botPermissions),
      locale: spec.locale ?? 'en-US',
      entitlements: [],
      authorizing_integration_owners: inGuild ? { 0: this.guildId } : { 1: user.id },
      context: inGuild ? 0 : 1,
      attachment_size_limit: 8_388_608,
    };
    if (inGuild) {
      payload.guild_id = this.guildId;
      payload.guild = { id: this.guildId, locale: 'en-US', features: [] };
      payload.guild_locale = 'en-US';
      payload.member = {
        user,
        roles: [],
        permissions: String(spec.permissions ?? P.ViewChannel | P.SendMessages),
        joined_at: new Date().toISOString(),
        deaf: false,
        mute: false,
        flags: 0,
      };
    } else {
      payload.user = user;
    }
    if (spec.message) payload.message = spec.message;
    return { record, payload };
  }

  /** POSTs an interaction to the endpoint, signed, and takes the HTTP answer as its first response. */
  private async deliver(record: InteractionRecord, payload: Record<string, unknown>): Promise<void> {
    const answer = await this.signedPost(JSON.stringify(payload));
    record.http = answer;
    if (answer.status === 0) {
      // Discord gave up waiting: the interaction failed
      record.errors.push(10062);
      return;
    }
    if (answer.status !== 200) return;
    const body = answer.json as { type?: unknown; data?: unknown } | null;
    if (!body || typeof body !== 'object' || typeof body.type !== 'number') {
      record.errors.push(50035);
      return;
    }
    this.acceptCallback(record, body.type, body.data as CallbackData | undefined);
  }

  /** Discord's PING, signed: the endpoint must answer `{"type":1}`. */
  ping(options: SignedPostOptions = {}): Promise<HttpAnswer> {
    const body = { id: snowflake(), application_id: this.appId, type: 1, token: `ping-${snowflake()}`, version: 1 };
    return this.signedPost(JSON.stringify(body), options);
  }

  /**
   * POSTs `body` to the bot's endpoint as Discord does: `X-Signature-Ed25519` (hex) over `X-Signature-Timestamp`
   * + the raw body. Resolves with the answer, or status 0 when none came in time or the connection failed first.
   */
  signedPost(body: string | Buffer, options: SignedPostOptions = {}): Promise<HttpAnswer> {
    const url = options.url ?? this.interactionsUrl;
    if (!url) throw new Error('no interactions endpoint: call useHttpInteractions(url) first');
    const raw = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const timestamp = options.timestamp ?? String(Math.floor(Date.now() / 1000));
    const signature =
      options.signature !== undefined
        ? options.signature
        : sign(
            null,
            Buffer.concat([Buffer.from(timestamp, 'utf8'), raw]),
            options.key ?? this.interactionKeys.privateKey,
          ).toString('hex');
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'content-length': String(raw.length),
      'user-agent': 'Discord-Interactions/1.0 (+https://discord.com)',
      'x-signature-timestamp': timestamp,
      ...(signature !== null ? { 'x-signature-ed25519': signature } : {}),
      ...options.headers,
    };
    // a chunked body declares no length (Node refuses a request with both)
    if (headers['transfer-encoding']) delete headers['content-length'];
    const timeoutMs = options.timeoutMs ?? this.deadlineMs;
    const started = performance.now();
    return new Promise<HttpAnswer>((resolve) => {
      let settled = false;
      const done = (answer: Omit<HttpAnswer, 'ms'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ ...answer, ms: Math.round(performance.now() - started) });
      };
      const none = () => done({ status: 0, body: '', json: null, headers: {} });
      const req = httpRequest(url, { method: options.method ?? 'POST', headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', none);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown = null;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            json = null;
          }
          done({ status: res.statusCode ?? 0, body: text, json, headers: res.headers });
        });
      });
      const timer = setTimeout(() => {
        none();
        req.destroy();
      }, timeoutMs);
      // an endpoint that answers before reading the whole body may close the connection under the upload
      req.on('error', () => setTimeout(none, 50));
      req.end(raw);
    });
  }

  /** `/news query:<text>` or `/newsbrief <sub> …` as Discord would send it. */
  command(
    name: string,
    options: { name: string; type: number; value?: unknown; focused?: boolean; options?: unknown[] }[],
  ): Record<string, unknown> {
    return { id: snowflake(), name, type: 1, options };
  }

  /** A channel object as `GET /channels/{id}` returns it (the fields newsbrief and discord.js read). */
  private channelObject(c: StandinChannel): Record<string, unknown> {
    const type = c.type ?? (c.guildId === null ? ChannelKind.DM : ChannelKind.Text);
    const object: Record<string, unknown> = { id: c.id, type, name: c.name, guild_id: c.guildId };
    if (c.guildId !== null) object.parent_id = c.parentId ?? null;
    if (type === ChannelKind.Forum) {
      object.available_tags = c.availableTags ?? [];
      object.default_reaction_emoji = null;
      object.default_sort_order = null;
      object.default_forum_layout = 0;
      object.flags = 0;
    }
    if (type === ChannelKind.PublicThread) {
      const thread = this.threads.find((t) => t.id === c.id);
      object.owner_id = this.botId;
      object.applied_tags = thread?.appliedTags ?? [];
      object.message_count = this.messagesIn(c.id).length;
      object.member_count = 1;
      object.thread_metadata = {
        archived: false,
        auto_archive_duration: thread?.autoArchiveDuration ?? 4320,
        archive_timestamp: new Date().toISOString(),
        locked: false,
        create_timestamp: new Date().toISOString(),
      };
      object.flags = 0;
    }
    return object;
  }

  /** What the bot may do in a channel: in a thread, what it may do in the thread's parent. */
  private permissionsIn(channel: StandinChannel): bigint {
    if (channel.parentId === undefined) return channel.botPermissions;
    return this.channels.get(channel.parentId)?.botPermissions ?? 0n;
  }

  /** A thread's name as Discord checks it: 1–100 characters. */
  private nameErrors(name: unknown): string[] {
    if (typeof name !== 'string' || len(name) < 1 || len(name) > 100) return ['name: must be 1-100 characters'];
    return [];
  }

  private addThread(
    id: string,
    parent: StandinChannel,
    name: string,
    kind: RecordedThread['kind'],
    autoArchive: unknown,
    appliedTags: string[],
  ): StandinChannel {
    const thread: StandinChannel = {
      id,
      guildId: parent.guildId,
      name,
      botPermissions: parent.botPermissions,
      type: ChannelKind.PublicThread,
      parentId: parent.id,
    };
    this.channels.set(id, thread);
    this.threads.push({
      id,
      parentId: parent.id,
      name,
      kind,
      autoArchiveDuration: typeof autoArchive === 'number' ? autoArchive : null,
      appliedTags,
    });
    return thread;
  }

  /** A message object as Discord returns it after a post. */
  private messageObject(id: string, channelId: string, body: MessageBody) {
    return {
      id,
      channel_id: channelId,
      author: this.botUser(),
      content: body.content ?? '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: body.embeds ?? [],
      components: body.components ?? [],
      pinned: false,
      type: 0,
      flags: body.flags ?? 0,
      ...(body.nonce === undefined ? {} : { nonce: body.nonce }),
      application_id: this.appId,
      webhook_id: this.appId,
    };
  }

  /**
   * An interaction's first response, over REST or as the HTTP answer, checked as Discord checks it: within the
   * deadline, only one, within the limits. Recorded when accepted; else the refusal.
   */
  private acceptCallback(
    record: InteractionRecord,
    type: number,
    data: CallbackData | undefined,
  ): { status: number; code: number; message: string; errors?: unknown } | null {
    if (Date.now() - record.dispatchedAt > this.deadlineMs) {
      record.errors.push(10062);
      return { status: 404, code: 10062, message: 'Unknown interaction' };
    }
    if (record.callbacks.length > 0) {
      record.errors.push(40060);
      return { status: 400, code: 40060, message: 'Interaction has already been acknowledged.' };
    }
    if (type === 8) {
      const choices = data?.choices ?? [];
      if (choices.length > 25 || choices.some((c) => len(c.name) > 100 || len(String(c.value)) > 100)) {
        record.errors.push(50035);
        return { status: 400, code: 50035, message: 'Invalid Form Body' };
      }
    } else if ((type === 4 || type === 7) && data) {
      const problems = limitErrors(data);
      if (problems.length > 0) {
        record.errors.push(50035);
        return { status: 400, code: 50035, message: 'Invalid Form Body', errors: problems };
      }
    }
    record.callbacks.push({ type, ...(data ? { data } : {}), at: Date.now() - record.dispatchedAt });
    return null;
  }

  // ---- REST

  private write(res: ServerResponse, status: number, headers: Record<string, string>, json: unknown): void {
    if (json === undefined) {
      // a 204 must carry no content-type: @discordjs/rest would try to parse it
      res.writeHead(status, headers);
      res.end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(json));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname.replace(/^\/api\/v10/, '');
    const method = req.method ?? 'GET';
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    let bucketHeaders: Record<string, string> = {};
    const delayMs = this.delays.find((d) => path.startsWith(d.pathPrefix))?.ms ?? 0;
    const answer = (status: number, json?: unknown, extraHeaders: Record<string, string> = {}) => {
      this.requests.push({ method, path, status, at: Date.now() });
      if (delayMs > 0) setTimeout(() => this.write(res, status, { ...bucketHeaders, ...extraHeaders }, json), delayMs);
      else this.write(res, status, { ...bucketHeaders, ...extraHeaders }, json);
    };
    const error = (status: number, code: number, message: string, errors?: unknown) =>
      answer(status, { code, message, ...(errors ? { errors } : {}) });

    const limited = this.rateLimits.find((r) => r.remaining > 0 && path.startsWith(r.pathPrefix));
    if (limited) {
      limited.remaining--;
      answer(
        429,
        { message: 'You are being rate limited.', retry_after: limited.retryAfterSec, global: false },
        { 'retry-after': String(limited.retryAfterSec), 'x-ratelimit-scope': 'user' },
      );
      return;
    }

    const bucket = this.buckets.find((b) => path.startsWith(b.pathPrefix));
    if (bucket) {
      const now = Date.now();
      if (now >= bucket.windowEnd) {
        bucket.windowEnd = now + bucket.windowMs;
        bucket.used = 0;
      }
      const over = bucket.used >= bucket.limit;
      if (!over) bucket.used++;
      const resetAfter = (bucket.windowEnd - now) / 1000;
      bucketHeaders = {
        'x-ratelimit-limit': String(bucket.limit),
        'x-ratelimit-remaining': String(bucket.limit - bucket.used),
        'x-ratelimit-reset': (bucket.windowEnd / 1000).toFixed(3),
        'x-ratelimit-reset-after': resetAfter.toFixed(3),
        'x-ratelimit-bucket': bucket.hash,
      };
      if (over) {
        answer(
          429,
          { message: 'You are being rate limited.', retry_after: resetAfter, global: false },
          { 'retry-after': String(Math.ceil(resetAfter)), 'x-ratelimit-scope': 'user' },
        );
        return;
      }
    }

    const failing = this.failures.find((f) => f.remaining > 0 && path.startsWith(f.pathPrefix));
    if (failing) {
      failing.remaining--;
      answer(failing.status, { message: 'Internal Server Error', code: 0 });
      return;
    }

    // interaction callbacks and webhooks carry the interaction token, no bot token
    let m = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path);
    if (m && method === 'POST') {
      const record = this.interactions.get(m[2] as string);
      if (!record) return error(404, 10062, 'Unknown interaction');
      const refused = this.acceptCallback(record, body.type as number, body.data as CallbackData | undefined);
      if (refused) return error(refused.status, refused.code, refused.message, refused.errors);
      return answer(204);
    }
    m = /^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/(%40original|@original))?$/.exec(path);
    if (m) {
      const record = this.interactions.get(m[2] as string);
      if (!record || record.callbacks.length === 0) return error(404, 10015, 'Unknown Webhook');
      if (method === 'DELETE') {
        record.deleted = true;
        return answer(204);
      }
      const problems = limitErrors(body as MessageBody);
      if (problems.length > 0) {
        record.errors.push(50035);
        return error(400, 50035, 'Invalid Form Body', problems);
      }
      if (method === 'PATCH' && m[3]) record.edits.push(body as MessageBody);
      else if (method === 'POST' && !m[3]) record.followUps.push(body as MessageBody);
      else return error(405, 0, '405: Method Not Allowed');
      return answer(200, this.messageObject(snowflake(), record.id, body as MessageBody));
    }

    if (req.headers.authorization !== `Bot ${TOKEN}`) return error(401, 0, '401: Unauthorized');

    if (path === '/gateway/bot' && method === 'GET') {
      return answer(200, {
        url: `ws://127.0.0.1:${this.port}/gateway`,
        shards: this.shardCount,
        // every shard may identify at once (no 5 s between them)
        session_start_limit: {
          total: 1000,
          remaining: 999,
          reset_after: 86_400_000,
          max_concurrency: this.shardCount,
        },
      });
    }
    if (path === '/applications/@me' && method === 'GET') {
      return answer(200, { id: this.appId, name: 'newsbrief', bot_public: true, flags: 0, description: '' });
    }
    m = /^\/applications\/(\d+)(\/guilds\/(\d+))?\/commands$/.exec(path);
    if (m && method === 'PUT') {
      if (m[1] !== this.appId) return error(403, 50001, 'Missing Access');
      const commands = body as unknown as { name: string; description: string }[];
      const bad = commands.filter(
        (c) => !/^[-_\p{Ll}\p{N}]{1,32}$/u.test(c.name) || len(c.description) < 1 || len(c.description) > 100,
      );
      if (bad.length > 0) return error(400, 50035, 'Invalid Form Body', bad);
      this.registrations.push({ route: path, body });
      return answer(
        200,
        commands.map((c) => ({ ...c, id: snowflake(), application_id: this.appId, version: snowflake() })),
      );
    }
    if (path === '/users/@me/channels' && method === 'POST') {
      const recipient = String(body.recipient_id);
      let dm = [...this.channels.values()].find((c) => c.recipient === recipient);
      if (!dm) {
        dm = { id: snowflake(), guildId: null, name: 'dm', botPermissions: BOT_OK, recipient };
        this.channels.set(dm.id, dm);
      }
      return answer(200, {
        id: dm.id,
        type: 1,
        last_message_id: null,
        recipients: [{ id: recipient, username: 'reader', discriminator: '0', global_name: null, avatar: null }],
      });
    }
    m = /^\/channels\/(\d+)$/.exec(path);
    if (m && method === 'GET') {
      const channel = this.channels.get(m[1] as string);
      if (!channel) return error(404, 10003, 'Unknown Channel');
      if (!(this.permissionsIn(channel) & P.ViewChannel)) return error(403, 50001, 'Missing Access');
      return answer(200, this.channelObject(channel));
    }
    m = /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/.exec(path);
    if (m && method === 'POST') {
      const channel = this.channels.get(m[1] as string);
      if (!channel) return error(404, 10003, 'Unknown Channel');
      const permissions = this.permissionsIn(channel);
      if (!(permissions & P.ViewChannel)) return error(403, 50001, 'Missing Access');
      const nameProblems = this.nameErrors(body.name);
      if (nameProblems.length > 0) return error(400, 50035, 'Invalid Form Body', nameProblems);
      // threads start from messages in text channels only (not in a forum, a thread or a DM)
      if ((channel.type ?? ChannelKind.Text) !== ChannelKind.Text || channel.guildId === null) {
        return error(400, 50024, 'Cannot execute action on this channel type');
      }
      if (!(permissions & P.CreatePublicThreads)) return error(403, 50013, 'Missing Permissions');
      const messageId = m[2] as string;
      if (!this.messages.some((msg) => msg.id === messageId && msg.channelId === channel.id)) {
        return error(404, 10008, 'Unknown Message');
      }
      if (this.channels.has(messageId)) return error(400, 160004, 'A thread has already been created for this message');
      // a thread started from a message shares the message's id
      const thread = this.addThread(
        messageId,
        channel,
        String(body.name),
        'fromMessage',
        body.auto_archive_duration,
        [],
      );
      return answer(201, this.channelObject(thread));
    }
    m = /^\/channels\/(\d+)\/threads$/.exec(path);
    if (m && method === 'POST') {
      const forum = this.channels.get(m[1] as string);
      if (!forum) return error(404, 10003, 'Unknown Channel');
      const permissions = this.permissionsIn(forum);
      if (!(permissions & P.ViewChannel)) return error(403, 50001, 'Missing Access');
      // the stand-in models forum posts only (a thread without a message in a text channel is not used)
      if (forum.type !== ChannelKind.Forum) return error(400, 50024, 'Cannot execute action on this channel type');
      const message = (body.message ?? {}) as MessageBody;
      const tags = body.applied_tags === undefined ? [] : body.applied_tags;
      const problems = [...this.nameErrors(body.name)];
      const known = new Map((forum.availableTags ?? []).map((t) => [t.id, t]));
      if (!Array.isArray(tags) || tags.length > 5) problems.push('applied_tags: at most 5');
      else if (tags.some((t) => !known.has(String(t)))) problems.push('applied_tags: not a tag of this forum');
      else if (new Set(tags).size !== tags.length) problems.push('applied_tags: repeated');
      problems.push(...limitErrors(message).map((p) => `message.${p}`));
      if (problems.length > 0) return error(400, 50035, 'Invalid Form Body', problems);
      // a forum post is created with Send Messages (its first message with Embed Links when it has embeds)
      const needsEmbed = (message.embeds ?? []).length > 0;
      if (!(permissions & P.SendMessages) || (needsEmbed && !(permissions & P.EmbedLinks))) {
        return error(403, 50013, 'Missing Permissions');
      }
      // a moderated tag is applied only by those who may manage threads
      const applied = (tags as unknown[]).map(String);
      if (applied.some((t) => known.get(t)?.moderated) && !(permissions & P.ManageThreads)) {
        return error(403, 50013, 'Missing Permissions');
      }
      const id = snowflake();
      const thread = this.addThread(id, forum, String(body.name), 'forumPost', body.auto_archive_duration, applied);
      // the starter message has the thread's id and lives in the thread
      this.messages.push({ id, channelId: id, body: message });
      return answer(201, { ...this.channelObject(thread), message: this.messageObject(id, id, message) });
    }
    m = /^\/channels\/(\d+)\/messages$/.exec(path);
    if (m && method === 'POST') {
      const channel = this.channels.get(m[1] as string);
      if (!channel) return error(404, 10003, 'Unknown Channel');
      if (channel.recipient && this.blockedDms.has(channel.recipient)) {
        return error(403, 50007, 'Cannot send messages to this user');
      }
      const permissions = this.permissionsIn(channel);
      if (!(permissions & P.ViewChannel)) return error(403, 50001, 'Missing Access');
      if (channel.type === ChannelKind.Forum) return error(400, 50008, 'Cannot send messages in a non-text channel');
      const message = body as MessageBody;
      const needsEmbed = (message.embeds ?? []).length > 0;
      // in a thread Send Messages in Threads is what counts, not Send Messages
      const send = channel.type === ChannelKind.PublicThread ? P.SendMessagesInThreads : P.SendMessages;
      if (!(permissions & send) || (needsEmbed && !(permissions & P.EmbedLinks))) {
        return error(403, 50013, 'Missing Permissions');
      }
      const problems = limitErrors(message);
      if (message.nonce !== undefined && String(message.nonce).length > NONCE_MAX) {
        problems.push(`nonce: Must be ${NONCE_MAX} or fewer in length.`);
      }
      if (problems.length > 0) return error(400, 50035, 'Invalid Form Body', problems);
      const nonce = message.enforce_nonce === true && message.nonce !== undefined ? String(message.nonce) : null;
      const made = nonce === null ? undefined : this.nonces.get(nonce);
      if (made && this.now() - made.at < this.nonceWindowMs) {
        return answer(200, this.messageObject(made.message.id, made.message.channelId, made.message.body));
      }
      const id = snowflake();
      const recorded = { id, channelId: channel.id, body: message };
      this.messages.push(recorded);
      if (nonce !== null) this.nonces.set(nonce, { message: recorded, at: this.now() });
      return answer(200, this.messageObject(id, channel.id, message));
    }
    return error(404, 0, `404: Not Found (${method} ${path})`);
  }
}

/** Waits until `check` returns something truthy (polling), or fails after `ms`. */
export async function until<T>(check: () => T | undefined | null | false, ms = 5000, what = 'condition'): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A logger that keeps what it is told, so tests can read the post log. */
export function memoryLog() {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const at = (level: string) => (fields: object, message: string) => {
    lines.push({ level, fields: fields as Record<string, unknown>, message });
  };
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}
