/**
 * An undici Agent that can only open sockets to allowed addresses. The check sits where the socket is made: literal
 * IPs are checked before connecting, and names are resolved by our own lookup, which refuses the whole name when any
 * address it resolves to is refused. The address checked is the address connected to, so a DNS answer that changes
 * between a check and the connect (rebinding) cannot slip through.
 */
import { promises as dns, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { type AddressGuard, isLocalhostName, LOCALHOST_ADDRESSES } from './addressPolicy.ts';
import { AddressRefusedError } from './errors.ts';

/** Resolves a host name to its addresses. Injected in tests so they need no DNS. */
export type Resolver = (hostname: string) => Promise<readonly LookupAddress[]>;

export const systemResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

function refusedAnswer(hostname: string, addresses: readonly string[], guard: AddressGuard): string | null {
  for (const address of addresses) {
    const kind = guard.refusedKind(address);
    if (kind) return `${hostname} resolves to ${address}, ${kind}`;
  }
  return null;
}

/**
 * Why connecting to `hostname` (a name or literal IP, without brackets) is refused before any DNS lookup; else
 * null. `localhost` is answered here, never by DNS: it must mean this machine.
 */
export function hostRefusal(hostname: string, guard: AddressGuard): string | null {
  if (isIP(hostname)) return guard.refusal(hostname);
  if (isLocalhostName(hostname)) return refusedAnswer(hostname, LOCALHOST_ADDRESSES, guard);
  return null;
}

/** Resolves `hostname` and returns its addresses, or throws AddressRefusedError when any of them is refused. */
export async function resolveAllowed(
  hostname: string,
  guard: AddressGuard,
  resolve: Resolver,
): Promise<LookupAddress[]> {
  const early = hostRefusal(hostname, guard);
  if (early) throw new AddressRefusedError(early);
  const addresses = isLocalhostName(hostname)
    ? LOCALHOST_ADDRESSES.map((address) => ({ address, family: isIP(address) }))
    : await resolve(hostname);
  if (addresses.length === 0) {
    throw Object.assign(new Error(`${hostname} did not resolve to any address`), { code: 'ENOTFOUND' });
  }
  // Any refused answer refuses the name: the connect could pick any of them.
  const refusal = refusedAnswer(
    hostname,
    addresses.map((a) => a.address),
    guard,
  );
  if (refusal) throw new AddressRefusedError(refusal);
  return [...addresses];
}

function guardedLookup(guard: AddressGuard, resolve: Resolver): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    resolveAllowed(hostname, guard, resolve).then(
      (all) => {
        const wanted =
          options.family === 4 || options.family === 6 ? all.filter((a) => a.family === options.family) : all;
        const first = wanted[0];
        if (!first) {
          callback(
            Object.assign(new Error(`${hostname} has no IPv${options.family} address`), { code: 'ENOTFOUND' }),
            '',
          );
        } else if (options.all) callback(null, wanted);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}

export interface GuardedAgentOptions {
  guard: AddressGuard;
  resolve?: Resolver;
  connectTimeoutMs: number;
  /** How long an idle keep-alive socket is kept for the next request to the same origin. */
  keepAliveTimeoutMs?: number;
}

export function createGuardedAgent(options: GuardedAgentOptions): Agent {
  const { guard } = options;
  const connectToAllowed = buildConnector({
    timeout: options.connectTimeoutMs,
    lookup: guardedLookup(guard, options.resolve ?? systemResolver),
  });
  const connect: buildConnector.connector = (target, callback) => {
    const refusal = hostRefusal(target.hostname, guard);
    if (refusal) {
      callback(new AddressRefusedError(refusal), null);
      return;
    }
    connectToAllowed(target, callback);
  };
  return new Agent({ connect, keepAliveTimeout: options.keepAliveTimeoutMs ?? 4_000 });
}
