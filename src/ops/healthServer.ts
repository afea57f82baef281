import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from './logger.ts';

export type HealthStatus = 'ok' | 'degraded' | 'down';

export interface HealthReport {
  /** `down` answers 503, so a load balancer or supervisor takes the process out or restarts it. */
  status: HealthStatus;
  database: { ok: boolean; error?: string };
  adapters: { name: string; connected: boolean }[];
  /** ISO 8601, or null before the first successful poll. */
  lastSuccessfulPoll: string | null;
  [extra: string]: unknown;
}

export interface HealthServerOptions {
  port: number;
  /** Default 127.0.0.1: health and metrics are for the machine, not the internet. */
  host?: string;
  health: () => HealthReport | Promise<HealthReport>;
  metrics?: { render(): Promise<{ contentType: string; body: string }> };
  logger?: Logger;
  /** A health callback slower than this answers 503; default 5000 ms. */
  healthTimeoutMs?: number;
}

export interface HealthServer {
  /** The bound port (the free one picked when asked for port 0). */
  readonly port: number;
  /** Stops listening and drops open connections, keep-alive ones included. */
  close(): Promise<void>;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';

export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const { logger, metrics } = options;
  const timeoutMs = options.healthTimeoutMs ?? 5000;

  const server = createServer((req, res) => {
    // Bodies are never read; draining them keeps the connection reusable.
    req.resume();
    // A client that hangs up mid-request must not take the process down with an unhandled 'error'.
    req.on('error', () => {});
    res.on('error', () => {});
    route(req, res).catch((error: unknown) => {
      logger?.error({ err: error }, 'health server: request failed');
      if (!res.headersSent) send(req, res, 500, TEXT_TYPE, 'internal error\n');
      else res.destroy();
    });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    const handler = path === '/healthz' ? serveHealth : path === '/metrics' && metrics ? serveMetrics : null;
    if (!handler) return send(req, res, 404, TEXT_TYPE, 'not found\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(req, res, 405, TEXT_TYPE, 'method not allowed\n');
    }
    await handler(req, res);
  }

  async function serveHealth(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let report: HealthReport;
    let body: string;
    try {
      report = await withTimeout(Promise.resolve().then(options.health), timeoutMs);
      body = `${JSON.stringify(report)}\n`;
    } catch (error) {
      // The detail goes to the log only: the endpoint may be reachable by more people than the logs.
      logger?.error({ err: error }, 'health check failed');
      return send(req, res, 503, JSON_TYPE, `${JSON.stringify({ status: 'down', error: 'health check failed' })}\n`);
    }
    const code = report.status === 'ok' || report.status === 'degraded' ? 200 : 503;
    send(req, res, code, JSON_TYPE, body);
  }

  async function serveMetrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { contentType, body } = await (metrics as NonNullable<typeof metrics>).render();
    send(req, res, 200, contentType, body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => logger?.error({ err: error }, 'health server error'));

  let closing: Promise<void> | undefined;
  return {
    port: (server.address() as AddressInfo).port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function send(req: IncomingMessage, res: ServerResponse, code: number, contentType: string, body: string): void {
  res.writeHead(code, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`health callback took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
