/**
 * One HTTP proxy in front of Discord's REST API that holds the rate-limit buckets for every newsbrief process
 * posting with the same bot token (each points `DISCORD_API_BASE` at it). It is @discordjs/proxy's `proxyRequests`
 * over a `REST` set up as the library's own container does: a request the bucket has no room for is answered at
 * once with 429 and `Retry-After`, and the caller's own REST client waits and retries; nothing is queued or retried
 * here. The proxy passes each caller's `Authorization` header on and holds no token of its own, so whoever can
 * reach it can post as the bot: it belongs on a loopback or private address.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { proxyRequests } from '@discordjs/proxy';
// From @discordjs/rest itself, not discord.js: discord.js loads the CommonJS build, @discordjs/proxy the ES module
// one, and proxyRequests tells a rate limit or a Discord error by `instanceof` against the latter's classes (with
// the other build's REST, every 429 and 401 would come out as 502). It is the @discordjs/rest that both depend on.
import { type RateLimitData, REST, RESTEvents } from '@discordjs/rest';

export interface ProxyLog {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface RestProxyOptions {
  host: string;
  /** 0 picks a free port (see `RunningRestProxy.port`). */
  port: number;
  /** Where requests go: Discord's API (`https://discord.com/api`) or a stand-in. */
  upstream: string;
  log: ProxyLog;
}

export interface RunningRestProxy {
  host: string;
  port: number;
  /** What the posting processes set as `DISCORD_API_BASE`. */
  apiBase: string;
  /** Stops taking connections and waits for requests under way, at most `timeoutMs`, then drops the rest. */
  close(timeoutMs?: number): Promise<void>;
}

/** Interaction and webhook tokens sit in the path: never logged. */
export function loggableRoute(url: string): string {
  const path = url.split('?', 1)[0] ?? '';
  return path.replace(/\/(webhooks|interactions)\/(\d+)\/[^/]+/, '/$1/$2/:token');
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function startRestProxy(options: RestProxyOptions): Promise<RunningRestProxy> {
  const { log } = options;
  // as @discordjs/proxy's container: the callers wait out a rate limit and retry, the proxy only keeps count
  const rest = new REST({ api: options.upstream, rejectOnRateLimit: () => true, retries: 0 });
  rest.on(RESTEvents.RateLimited, (data: RateLimitData) => {
    log.debug(
      { route: data.route, global: data.global, limit: data.limit, retryAfterMs: data.retryAfter },
      'rate limited: 429 to the caller',
    );
  });
  const forward = proxyRequests(rest);

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const started = Date.now();
    const route = loggableRoute(req.url ?? '/');
    // proxyRequests ends the response itself and rethrows what it does not know (Discord unreachable, a reset
    // connection): without a status set beforehand that response would go out as an empty 200
    res.statusCode = 502;
    res.on('finish', () => {
      log.debug({ method: req.method, route, status: res.statusCode, ms: Date.now() - started }, 'proxied');
    });
    void (async () => {
      try {
        await forward(req, res);
      } catch (error) {
        log.warn({ method: req.method, route, err: error }, 'the request to Discord failed: 502 to the caller');
        if (!res.writableEnded) res.end();
      }
    })();
  };
  const server = createServer(handle);
  try {
    await new Promise<void>((resolve, reject) => {
      const refused = (error: Error) => reject(listenError(error, options));
      server.once('error', refused);
      server.listen(options.port, options.host, () => {
        server.off('error', refused);
        resolve();
      });
    });
  } catch (error) {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const apiBase = `http://${urlHost(options.host)}:${port}/api`;
  log.info({ host: options.host, port, upstream: options.upstream }, 'Discord REST proxy listening');

  return {
    host: options.host,
    port,
    apiBase,
    async close(timeoutMs = 5_000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
      await closed;
      clearTimeout(timer);
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
    },
  };
}

function listenError(error: unknown, options: RestProxyOptions): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const where = `${urlHost(options.host)}:${options.port}`;
  if (code === 'EADDRINUSE') {
    return new Error(`cannot listen on ${where}: the port is taken (another Discord proxy? there must be only one)`);
  }
  if (code === 'EADDRNOTAVAIL') return new Error(`cannot listen on ${where}: no network interface has that address`);
  return new Error(`cannot listen on ${where}: ${error instanceof Error ? error.message : String(error)}`);
}
