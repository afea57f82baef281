/**
 * HTTP mode: Bolt's own `HTTPReceiver` verifies every request's signature and refuses stale timestamps, but it
 * accepts a timestamp in the future, so a captured request could be signed ahead and replayed for as long as its
 * clock says. This receiver runs the HTTP server itself and answers 401 to a timestamp more than five minutes
 * ahead before Bolt sees the request; everything else goes to Bolt's request listener unchanged.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type App, HTTPReceiver, type Logger, type Receiver } from '@slack/bolt';

export const EVENTS_PATH = '/slack/events';
/** Slack's own tolerance, both ways. */
const TOLERANCE_MS = 5 * 60_000;

export interface GuardedHttpReceiverOptions {
  signingSecret: string;
  port: number;
  host?: string;
  logger: Logger;
  now?: () => number;
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
    });
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
    try {
      this.bolt.requestListener(request, response);
    } catch {
      // Bolt throws for paths it does not serve
      request.resume();
      response.writeHead(404).end();
    }
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
