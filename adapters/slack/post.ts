/**
 * Posting to Slack: `chat.postMessage` with link and media previews off, at most one message per `intervalMs` to
 * a channel (a split digest is paced; other channels never wait for it), a message that Slack finds too long
 * split again, a short Retry-After waited for on that channel only, and every other failure reported as the
 * port's typed `PostFailure`. The scheduler decides what a failure means for the destination.
 */
import { webApi } from '@slack/bolt';
import type { PostFailure, PostResult, PostTarget } from '../../src/engine/port.ts';
import { halve, type SlackMessage } from './blocks.ts';

/** The two Web API calls posting needs (Bolt's `WebClient` fits). */
export interface PostClient {
  chat: { postMessage(args: Record<string, unknown>): Promise<{ ts?: string; channel?: string }> };
  conversations: { open(args: { users: string; token?: string }): Promise<{ channel?: { id?: string } }> };
}

export interface PosterOptions {
  /** The least time between two messages to one channel (Slack allows about one a second). */
  intervalMs: number;
  /** A Retry-After up to this long is waited for (on that channel) and the message sent again; longer: failure. */
  maxRetryWaitMs: number;
  /** How often one message is tried again after 429s before the post reports `rateLimited`. */
  maxRateLimitRetries?: number;
}

const GONE = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'channel_is_archived',
  'user_not_found',
  'user_disabled',
  'user_not_visible',
  'team_not_found',
]);
const FORBIDDEN = new Set([
  'missing_scope',
  'not_authed',
  'invalid_auth',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'no_permission',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'restricted_action_non_threadable_channel',
  'ekm_access_denied',
  'cannot_dm_bot',
  'not_allowed_token_type',
  'team_access_not_granted',
  'access_denied',
]);
const TOO_LARGE = new Set(['msg_too_long', 'msg_blocks_too_long', 'too_many_attachments', 'invalid_blocks']);

/** A Web API error as the port's failure. */
export function postFailureOf(error: unknown): PostFailure {
  const e = error as { code?: string; data?: { error?: string }; retryAfter?: number; statusCode?: number };
  const message = error instanceof Error ? error.message : String(error);
  switch (e.code) {
    case webApi.ErrorCode.RateLimitedError:
      return { kind: 'rateLimited', retryAfterMs: Math.max(1, e.retryAfter ?? 1) * 1000, detail: 'ratelimited' };
    case webApi.ErrorCode.PlatformError: {
      const code = e.data?.error ?? 'unknown_error';
      if (code === 'ratelimited') return { kind: 'rateLimited', retryAfterMs: 1000, detail: code };
      if (GONE.has(code)) return { kind: 'gone', detail: code };
      if (FORBIDDEN.has(code)) return { kind: 'forbidden', detail: code };
      if (TOO_LARGE.has(code)) return { kind: 'tooLarge', detail: code };
      return { kind: 'transient', detail: code };
    }
    case webApi.ErrorCode.HTTPError:
      return { kind: 'transient', detail: `http_${e.statusCode ?? 'error'}` };
    default:
      return { kind: 'transient', detail: message.slice(0, 200) };
  }
}

/** A posted message's id as `post` gives it (`channel:ts`), split; null when it is not one. */
export function parentOf(messageId: string): { channel: string; ts: string } | null {
  const match = /^([A-Z0-9]+):(\d+\.\d+)$/.exec(messageId);
  return match ? { channel: match[1] as string, ts: match[2] as string } : null;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type SendResult = { ok: true; ts: string } | { ok: false; failure: PostFailure };

export class SlackPoster {
  /** The tail of each channel's queue: one post at a time per channel. */
  private readonly lanes = new Map<string, Promise<unknown>>();
  /** When each channel may get its next message (epoch ms). */
  private readonly nextAt = new Map<string, number>();
  private readonly maxRetries: number;

  constructor(
    private readonly client: PostClient,
    private readonly options: PosterOptions,
  ) {
    this.maxRetries = options.maxRateLimitRetries ?? 3;
  }

  /**
   * Posts the messages in order to the target (a person: their DM with the bot), paced per channel; with
   * `target.thread` (a parent's message id, `channel:ts`) as replies in that parent's thread. `token`: the bot token
   * of the target's workspace (multi-workspace OAuth); without it, the client's own.
   */
  async post(
    target: PostTarget,
    messages: readonly SlackMessage[],
    token?: string,
  ): Promise<PostResult & { channel?: string }> {
    const auth = token ? { token } : {};
    const thread = target.thread ? parentOf(target.thread) : null;
    if (target.thread && !thread) {
      return { ok: false, failure: { kind: 'transient', detail: `not a Slack message id: ${target.thread}` } };
    }
    let channel = thread?.channel ?? target.channel;
    if (!thread && (target.kind === 'person' || channel === null)) {
      if (!target.user) return { ok: false, failure: { kind: 'gone', detail: 'no user to message' } };
      try {
        const opened = await this.client.conversations.open({ users: target.user, ...auth });
        channel = opened.channel?.id ?? null;
      } catch (error) {
        return { ok: false, failure: postFailureOf(error) };
      }
      if (!channel) return { ok: false, failure: { kind: 'transient', detail: 'conversations.open gave no channel' } };
    }
    if (!channel) return { ok: false, failure: { kind: 'gone', detail: 'no channel to post to' } };
    const id = channel;
    return this.inLane(id, async () => {
      let first: string | null = null;
      const queue = [...messages];
      while (queue.length > 0) {
        const message = queue.shift() as SlackMessage;
        const sent = await this.send(id, message, thread?.ts ?? null, auth);
        if (!sent.ok) {
          const parts = sent.failure.detail === 'msg_blocks_too_long' ? halve(message) : null;
          if (parts) {
            queue.unshift(...parts);
            continue;
          }
          // the messages before this one are in the channel: sending the reply again would repeat them
          return { ok: false, failure: sent.failure, channel: id, ...(first === null ? {} : { partial: true }) };
        }
        first ??= sent.ts;
      }
      return { ok: true, messageId: `${id}:${first ?? ''}`, channel: id };
    });
  }

  /** One message, after the channel's pause; short rate limits waited out on this channel only. */
  private async send(
    channel: string,
    message: SlackMessage,
    threadTs: string | null,
    auth: { token?: string },
  ): Promise<SendResult> {
    for (let attempt = 0; ; attempt++) {
      const wait = (this.nextAt.get(channel) ?? 0) - Date.now();
      if (wait > 0) await sleep(wait);
      try {
        const result = await this.client.chat.postMessage({
          channel,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
          unfurl_media: false,
          ...(threadTs ? { thread_ts: threadTs } : {}),
          ...auth,
        });
        this.nextAt.set(channel, Date.now() + this.options.intervalMs);
        return { ok: true, ts: result.ts ?? '' };
      } catch (error) {
        const failure = postFailureOf(error);
        if (failure.kind !== 'rateLimited') {
          this.nextAt.set(channel, Date.now() + this.options.intervalMs);
          return { ok: false, failure };
        }
        this.nextAt.set(channel, Date.now() + failure.retryAfterMs);
        if (failure.retryAfterMs > this.options.maxRetryWaitMs || attempt >= this.maxRetries) {
          return { ok: false, failure };
        }
      }
    }
  }

  private inLane<T>(channel: string, task: () => Promise<T>): Promise<T> {
    const previous = this.lanes.get(channel) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.catch(() => undefined);
    this.lanes.set(channel, tail);
    void tail.then(() => {
      if (this.lanes.get(channel) === tail) this.lanes.delete(channel);
      if ((this.nextAt.get(channel) ?? 0) <= Date.now()) this.nextAt.delete(channel);
    });
    return run;
  }
}
