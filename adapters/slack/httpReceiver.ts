/**
 * HTTP mode: Bolt's own `HTTPReceiver` verifies every request's signature and refuses stale timestamps, but it
 * accepts a timestamp in the future, so a captured request could be signed ahead and replayed for as long as its
 * clock says. This receiver runs the HTTP server itself and answers 401 to a timestamp more than five minutes
 * ahead before Bolt sees the request; everything else goes to Bolt's request listener unchanged.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import { type App, HTTPReceiver, type Logger, type Receiver } from '@slack/bolt';
import type { OAuthReceiverOptions } from './oauth.ts';

export const EVENTS_PATH = '/slack/events';
/** Slack's own tolerance, both ways. */
const TOLERANCE_MS = 5 * 60_000;

/** Bolt's own limit. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * False for a body that parses, as Bolt parses it, to something that is not an object (`null`, `5`, `"x"`); true
 * otherwise, including a body that does not parse (Bolt answers that one 400 itself).
 */
function parsesToObject(text: string, contentType: string | undefined): boolean {
  try {
    let value: unknown;
    if (contentType === 'application/x-www-form-urlencoded') {
      const { payload } = parseQuery(text);
      if (typeof payload !== 'string') return true;
      value = JSON.parse(payload);
    } else {
      value = JSON.parse(text);
    }
    return typeof value === 'object' && value !== null;
  } catch {
    return true;
  }
}

export interface GuardedHttpReceiverOptions {
  signingSecret: string;
  port: number;
  host?: string;
  logger: Logger;
  now?: () => number;
  /** Multi-workspace OAuth: Bolt serves the install and redirect paths, and authorizes from installations. */
  oauth?: OAuthReceiverOptions;
}

export class GuardedHttpReceiver implements Receiver {
  private readonly bolt: HTTPReceiver;
  private server: Server | null = null;
  private readonly now: () => number;

  constructor(private readonly options: GuardedHttpReceiverOptions) {
    this.now = options.now ?? Date.now;
    this.bolt = new HTTPReceiver({
      signingSecret: options.signingSecret,
      endpoints: EVENTS_PATH,
      logger: options.logger,
      ...options.oauth,
    });
  }

  /** Bolt's App authorizes through the receiver's installer when there is one (multi-workspace OAuth). */
  get installer(): HTTPReceiver['installer'] {
    return this.bolt.installer;
  }

  init(app: App): void {
    this.bolt.init(app);
  }

  /** True when the request's timestamp lies more than five minutes ahead of this clock. */
  isFutureDated(request: IncomingMessage): boolean {
    const header = request.headers['x-slack-request-timestamp'];
    const seconds = Number(Array.isArray(header) ? header[0] : header);
    return Number.isFinite(seconds) && seconds * 1000 - this.now() > TOLERANCE_MS;
  }

  private route(request: IncomingMessage, response: ServerResponse): void {
    if (request.method === 'POST' && this.isFutureDated(request)) {
      this.options.logger.warn('Refused a request whose timestamp is more than five minutes in the future');
      request.resume();
      response.writeHead(401).end();
      return;
    }
    if (request.method === 'POST' && new URL(request.url ?? '/', 'http://x').pathname === EVENTS_PATH) {
      void this.forwardEvent(request, response).catch((error: unknown) => {
        this.options.logger.warn(`Could not read a request: ${error instanceof Error ? error.message : String(error)}`);
        if (!response.headersSent) response.writeHead(400);
        response.end();
      });
      return;
    }
    try {
      this.bolt.requestListener(request, response);
    } catch {
      // Bolt throws for paths it does not serve
      request.resume();
      response.writeHead(404).end();
    }
  }

  /**
   * Reads the body first (Bolt takes a request whose `rawBody` is already read) and answers 400 to one that parses
   * to no object: Bolt reads `body.ssl_check` outside any try, so a signed `null` (a JSON body, or a form's
   * `payload`) rejected a promise nobody awaits, and Node stops the process on an unhandled rejection.
   */
  private async forwardEvent(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) {
        response.writeHead(413).end();
        request.resume();
        return;
      }
      chunks.push(chunk as Buffer);
    }
    const rawBody = Buffer.concat(chunks);
    if (!parsesToObject(rawBody.toString(), request.headers['content-type'])) {
      this.options.logger.warn('Refused a request whose body is not an object');
      response.writeHead(400).end();
      return;
    }
    Object.assign(request, { rawBody });
    this.bolt.requestListener(request, response);
  }

  async start(): Promise<Server> {
    if (this.server) return this.server;
    const server = createServer((req, res) => this.route(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    return server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), 2000).unref();
    });
  }

  get listening(): boolean {
    return this.server?.listening === true;
  }

  /** The port it listens on (the real one when started on port 0). */
  get port(): number | null {
    const address = this.server?.address();
    return address && typeof address === 'object' ? (address as AddressInfo).port : null;
  }
}
