/**
 * HTTP interactions answer in the body of Discord's own request: the first response to an interaction is not a
 * `POST /interactions/{id}/{token}/callback` but the JSON Discord's POST is answered with. discord.js knows only
 * the REST route, so this router sits where @discordjs/rest makes its network requests (`rest.makeRequest`): the
 * one callback discord.js makes for an interaction that arrived over HTTP becomes that interaction's HTTP answer,
 * and every other request (edits, follow-ups, posts) goes to the network unchanged. The handlers stay the
 * gateway's, byte for byte: same parsing, checks, rendering and REST payloads.
 *
 * Nothing is left unanswered: a handler that has not answered after `fallbackAfterMs` gets a deferred answer in
 * the HTTP body (Discord allows 3 s), and its late answer is turned into what it would have been after a deferral
 * (an edit of the original response or a follow-up over the webhook routes); a handler that ends without
 * answering gets the adapter's answer for that case.
 */
import type { RESTOptions } from 'discord.js';

type MakeRequest = RESTOptions['makeRequest'];
type RequestInitLike = Parameters<MakeRequest>[1];
type ResponseLike = Awaited<ReturnType<MakeRequest>>;

/** The interaction response types (https://discord.com/developers/docs/interactions/receiving-and-responding). */
export const CallbackType = {
  Pong: 1,
  ChannelMessage: 4,
  DeferredChannelMessage: 5,
  DeferredUpdateMessage: 6,
  UpdateMessage: 7,
  AutocompleteResult: 8,
  Modal: 9,
} as const;

/** What an interaction is answered with: `{type, data}` as Discord reads it. */
export interface CallbackBody {
  type: number;
  data?: Record<string, unknown>;
}

/** The fields of an interaction's payload the router needs. */
export interface InteractionHead {
  id: string;
  token: string;
  application_id: string;
  type: number;
}

/** Sends the HTTP answer; resolves once it is written (or the connection is gone). */
export type HttpReply = (body: string) => Promise<void>;

interface Exchange {
  head: InteractionHead;
  reply: HttpReply;
  /** The first answer, and whether the router gave it (a deferral) rather than the handler. */
  answered: { type: number; byRouter: boolean } | null;
  /** The handler answered already (itself, or through a deferral it took over). */
  handlerAnswered: boolean;
}

export interface CallbackRouterOptions {
  /** How the router reaches the network otherwise (@discordjs/rest's own `makeRequest`). */
  network: MakeRequest;
  /** A handler with no answer by then is deferred (Discord's deadline is 3 s). */
  fallbackAfterMs: number;
  /** What a handler's silence is answered with: when it is late, and when it ended without answering. */
  deferral(head: InteractionHead): CallbackBody;
  unanswered(head: InteractionHead): CallbackBody;
}

const CALLBACK_PATH = /\/interactions\/(\d{17,20})\/([^/?#]+)\/callback(?:[?#]|$)/;

const json = (status: number, body: unknown): ResponseLike =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  }) as unknown as ResponseLike;

/** Discord's answer to a second response to one interaction. */
const alreadyAcknowledged = () => json(400, { code: 40060, message: 'Interaction has already been acknowledged.' });

export class CallbackRouter {
  private readonly open = new Map<string, Exchange>();

  constructor(private readonly o: CallbackRouterOptions) {}

  /** For `new Client({ rest: { makeRequest } })`. */
  readonly makeRequest: MakeRequest = (url, init) => this.route(url, init);

  /** Interactions being handled now. */
  get pending(): number {
    return this.open.size;
  }

  /**
   * Handles one interaction that arrived over HTTP: `dispatch` starts the handler (null when discord.js made
   * nothing of the payload) and resolves when it is done; its first callback is sent with `reply`.
   */
  async run(head: InteractionHead, reply: HttpReply, dispatch: () => Promise<void> | null): Promise<void> {
    const exchange: Exchange = { head, reply, answered: null, handlerAnswered: false };
    this.open.set(head.id, exchange);
    const timer = setTimeout(() => {
      void this.answer(exchange, this.o.deferral(head), true);
    }, this.o.fallbackAfterMs);
    try {
      await dispatch();
    } finally {
      clearTimeout(timer);
      if (!exchange.answered) await this.answer(exchange, this.o.unanswered(head), true);
      this.open.delete(head.id);
    }
  }

  private async answer(exchange: Exchange, body: CallbackBody, byRouter: boolean): Promise<void> {
    if (exchange.answered) return;
    exchange.answered = { type: body.type, byRouter };
    await exchange.reply(JSON.stringify(body));
  }

  private async route(url: string, init: RequestInitLike): Promise<ResponseLike> {
    const match = CALLBACK_PATH.exec(url);
    const exchange = match ? this.open.get(match[1] as string) : undefined;
    const token = exchange?.head.token;
    if (!match || !exchange || (match[2] !== token && match[2] !== encodeURIComponent(token as string))) {
      return this.o.network(url, init);
    }
    const body = parseBody(init.body);
    if (!body) {
      // files or a body that is no callback: nothing discord.js sends here, and nothing an HTTP answer can carry
      return json(400, { code: 50035, message: 'newsbrief answers HTTP interactions with JSON only' });
    }
    if (!exchange.answered) {
      exchange.handlerAnswered = true;
      await this.answer(exchange, body, false);
      // as Discord answers the callback route: no content (the HTTP answer is written, so edits may follow)
      return new Response(null, { status: 204 }) as unknown as ResponseLike;
    }
    if (exchange.handlerAnswered || !exchange.answered.byRouter) return alreadyAcknowledged();
    exchange.handlerAnswered = true;
    return this.late(url, init, exchange, body);
  }

  /**
   * The handler's answer after the router deferred for it: a deferral is taken as done; a message or an update
   * edits the deferred response (a reply after a deferred update is a follow-up, as the update left the message
   * alone); choices after the deadline cannot be shown.
   */
  private async late(
    url: string,
    init: RequestInitLike,
    exchange: Exchange,
    body: CallbackBody,
  ): Promise<ResponseLike> {
    const deferred = exchange.answered?.type;
    // the webhook routes as discord.js spells them (`Routes.webhook`, `Routes.webhookMessage`)
    const base = `${url.slice(0, url.search(/\/interactions\//))}/webhooks/${exchange.head.application_id}/${exchange.head.token}`;
    switch (body.type) {
      case CallbackType.DeferredChannelMessage:
      case CallbackType.DeferredUpdateMessage:
        return new Response(null, { status: 204 }) as unknown as ResponseLike;
      case CallbackType.ChannelMessage:
      case CallbackType.UpdateMessage: {
        const data = body.data ?? {};
        if (body.type === CallbackType.ChannelMessage && deferred === CallbackType.DeferredUpdateMessage) {
          return this.o.network(base, { ...init, method: 'POST', body: JSON.stringify(data) });
        }
        // the deferral fixed who sees the answer: an edit carries no ephemeral flag
        const { flags: _flags, ...edit } = data;
        return this.o.network(`${base}/messages/@original`, { ...init, method: 'PATCH', body: JSON.stringify(edit) });
      }
      default:
        return alreadyAcknowledged();
    }
  }
}

function parseBody(body: unknown): CallbackBody | null {
  if (typeof body !== 'string') return null;
  try {
    const value = JSON.parse(body) as unknown;
    if (typeof value !== 'object' || value === null || typeof (value as CallbackBody).type !== 'number') return null;
    return value as CallbackBody;
  } catch {
    return null;
  }
}
