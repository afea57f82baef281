import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach } from 'vitest';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface StaticResponse {
  status?: number;
  headers?: Record<string, string | number>;
  body?: string | Uint8Array;
}

export interface SeenRequest {
  path: string;
  headers: IncomingHttpHeaders;
}

/**
 * A real HTTP server on a loopback address serving routes the test defines, counting TCP connections and
 * requests so a test can prove that a refused fetch never reached it.
 */
export class TestServer {
  readonly requests: SeenRequest[] = [];
  connections = 0;
  private readonly routes = new Map<string, Handler>();
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly host: string,
  ) {
    server.on('connection', (socket) => {
      this.connections++;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.on('request', (req, res) => {
      const path = req.url ?? '/';
      this.requests.push({ path, headers: req.headers });
      const handler = this.routes.get(path.split('?')[0] ?? path) ?? this.routes.get('*');
      if (handler) handler(req, res);
      else res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
    });
  }

  static async start(host = '127.0.0.1'): Promise<TestServer> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => resolve());
    });
    return new TestServer(server, host);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get origin(): string {
    return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
  }

  url(path: string): string {
    return `${this.origin}${path}`;
  }

  /** Requests whose path (without query) is `path`. */
  hits(path: string): SeenRequest[] {
    return this.requests.filter((r) => (r.path.split('?')[0] ?? r.path) === path);
  }

  route(path: string, response: StaticResponse | Handler): this {
    const handler: Handler =
      typeof response === 'function'
        ? response
        : (_req, res) => {
            res.writeHead(response.status ?? 200, response.headers ?? {});
            res.end(response.body ?? '');
          };
    this.routes.set(path, handler);
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Servers started in a test, closed after it. */
export function useServers(): (host?: string) => Promise<TestServer> {
  const servers: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return async (host) => {
    const server = await TestServer.start(host);
    servers.push(server);
    return server;
  };
}
