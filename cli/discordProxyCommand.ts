import { apiBaseOf } from '../adapters/discord/discordBot.ts';
import { type RunningRestProxy, startRestProxy } from '../adapters/discord/restProxy.ts';
import { nonPublicKind, parseAddress } from '../src/fetch/addressPolicy.ts';
import { createLogger, secretsFromEnv } from '../src/ops/logger.ts';
import { type CliIo, UsageError, writeLine } from './io.ts';

export interface DiscordProxyOptions {
  /** `--port`, else `DISCORD_PROXY_PORT`, else 8080; 0 picks a free port. */
  port: string | null;
  /** `--host`, else 127.0.0.1. */
  host: string | null;
  allowPublicHost: boolean;
}

const DEFAULT_PORT = 8080;
const DEFAULT_HOST = '127.0.0.1';
const PRIVATE_KINDS = new Set(['loopback', 'private', 'uniqueLocal']);
const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
const STOP_TIMEOUT_MS = 5_000;

function portOf(text: string): number {
  const port = Number(text);
  if (text.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UsageError(`--port (or DISCORD_PROXY_PORT) takes a port number from 0 to 65535, not "${text}"`);
  }
  return port;
}

/**
 * Null when the proxy may listen on `host` (loopback, a private or unique-local address), else the sentence that
 * refuses it. A host that is not an IP address is a usage error: what a name resolves to can change.
 */
export function hostRefusal(host: string): string | null {
  if (host === 'localhost') return null;
  const address = parseAddress(host);
  if (!address) throw new UsageError(`--host takes an IP address such as 127.0.0.1 or 10.0.0.5, not "${host}"`);
  const kind = nonPublicKind(address);
  if (kind !== null && PRIVATE_KINDS.has(kind)) return null;
  return (
    `discord-proxy will not listen on ${host}: it passes every caller's bot token on to Discord, so anyone who can ` +
    'reach it can post as the bot; give --host a loopback or private address, or add --allow-public-host'
  );
}

/** Whether `apiBase` is this proxy itself (a shared environment file that gives the proxy its own address). */
function pointsAtItself(apiBase: string, proxy: RunningRestProxy): boolean {
  const url = new URL(apiBase);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  if (port !== proxy.port) return false;
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const loopback = (h: string) => h === 'localhost' || parseAddress(h)?.range() === 'loopback';
  return hostname === proxy.host || (loopback(hostname) && (loopback(proxy.host) || proxy.host === '0.0.0.0'));
}

/**
 * `newsbrief discord-proxy`: the one Discord REST proxy for all processes posting with one bot token, until
 * SIGTERM or SIGINT. Its upstream is `DISCORD_API_BASE` (default Discord's own API).
 */
export async function runDiscordProxy(io: CliIo, options: DiscordProxyOptions): Promise<number> {
  const port = portOf(options.port ?? (io.env.DISCORD_PROXY_PORT || String(DEFAULT_PORT)));
  const host = options.host ?? DEFAULT_HOST;
  const refusal = hostRefusal(host);
  if (refusal !== null && !options.allowPublicHost) throw new Error(refusal);
  const upstream = apiBaseOf(io.env);
  const log = createLogger({
    destination: io.stderr,
    secrets: secretsFromEnv(io.env),
    level: io.env.LOG_LEVEL || 'info',
    name: 'discord-proxy',
  });
  if (refusal !== null) log.warn({ host }, 'listening on a public address (--allow-public-host)');

  const proxy = await startRestProxy({ host, port, upstream, log });
  if (pointsAtItself(upstream, proxy)) {
    await proxy.close();
    throw new Error(
      `DISCORD_API_BASE (${upstream}) is this proxy itself: unset it for the proxy, which forwards to Discord`,
    );
  }
  writeLine(
    io.stdout,
    `Discord REST proxy listening on ${host} port ${proxy.port}: set DISCORD_API_BASE=${proxy.apiBase} on every process that posts`,
  );

  const signal = await new Promise<string>((resolve) => {
    for (const name of SIGNALS) process.once(name, resolve);
  });
  log.info({ signal }, 'stop requested');
  const force = () => process.exit(0);
  for (const name of SIGNALS) process.once(name, force);
  await proxy.close(STOP_TIMEOUT_MS);
  log.info({}, 'stopped');
  return 0;
}
