import type { ChannelKey, DestinationKind } from '../../storage/repositories.ts';
import type { Reply } from '../commands/reply.ts';
import type { Engine } from './engine.ts';

/** Where a post goes: a channel, or a person's DMs. */
export interface PostTarget {
  key: ChannelKey;
  kind: DestinationKind;
  platform: string;
  workspace: string | null;
  channel: string | null;
  user: string | null;
  /** Post inside this thread (from `openThread`): a Slack parent's ts, a Discord thread's channel id. */
  thread?: string | null;
}

/**
 * Why a post did not go out, as every adapter reports it: `gone` (channel deleted, bot removed), `forbidden`
 * (a permission is missing), `rateLimited` (try again after `retryAfterMs`), `tooLarge` (over a platform limit
 * even after splitting), `transient` (network, 5xx: worth retrying with backoff).
 */
export type PostFailure =
  | { kind: 'gone'; detail: string }
  | { kind: 'forbidden'; detail: string }
  | { kind: 'rateLimited'; retryAfterMs: number; detail: string }
  | { kind: 'tooLarge'; detail: string }
  | { kind: 'transient'; detail: string };

/** The platform's id of the (first) message posted, or why it failed. */
export type PostResult =
  | { ok: true; messageId: string }
  /** `partial`: some of the reply's messages were posted before the failure, so sending it again repeats them. */
  | { ok: false; failure: PostFailure; partial?: boolean };

/** The longest idempotency key a post may be given (an adapter adds a message number to it, within its limits). */
export const IDEMPOTENCY_KEY_MAX = 20;

export interface PostOptions {
  /**
   * Makes the post idempotent on a platform that supports it (`PlatformAdapter.idempotentPostsMs`): each message
   * of the reply carries this key and its number, and posting the same reply with the same key again within the
   * platform's window gives the messages already posted instead of new ones. At most `IDEMPOTENCY_KEY_MAX`
   * characters of [A-Za-z0-9_-].
   */
  idempotencyKey?: string;
}

/** The thread a threaded digest's stories go in, or why it could not be opened. */
export type ThreadResult = { ok: true; threadId: string } | { ok: false; failure: PostFailure };

/**
 * What the runtime asks of an adapter factory besides the environment. `receive: false` (a worker process) starts
 * the adapter post-only: `start` checks the token once and opens nothing that listens or connects for events (no
 * Socket Mode, no HTTP receiver, no gateway, no interactions endpoint); `post` and `openThread` work as always.
 * Left out, the environment decides how the adapter receives, as it always has.
 */
export interface AdapterFactoryOptions {
  receive?: boolean;
}

/**
 * A platform adapter: it turns the platform's events into `engine.handle` calls, renders replies within the
 * platform's limits, and posts what the runtime sends it. It never touches storage.
 */
export interface PlatformAdapter {
  readonly name: string;
  /**
   * How long after a post the platform still answers a repeat with the same `idempotencyKey` by the messages it
   * already made, with a margin for the repeat's own way there; 0: posts are not idempotent (a repeat posts again).
   */
  readonly idempotentPostsMs: number;
  start(engine: Engine): Promise<void>;
  stop(): Promise<void>;
  post(target: PostTarget, reply: Reply, options?: PostOptions): Promise<PostResult>;
  /**
   * Opens the thread under a threaded digest's parent message (`parentMessageId`, as `post` returned it): on
   * Discord a public thread started from the message and named `name` (a forum channel's post is its thread
   * already), on Slack the parent's own ts. Opening the same parent's thread again gives the same thread.
   */
  openThread(target: PostTarget, parentMessageId: string, name: string): Promise<ThreadResult>;
  /** Connected to its platform (for `/healthz`). */
  isConnected(): boolean;
}
