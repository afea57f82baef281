/**
 * Which network addresses newsbrief may connect to. Feeds come from config files and chat users, so a URL can point
 * anywhere: at the cloud metadata service (169.254.169.254), at a router's admin page, at a database on localhost.
 * Only public unicast addresses are allowed; everything else is refused unless an operator allow-lists it
 * explicitly (tests allow 127.0.0.1 to reach their own server).
 */
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** Addresses (`127.0.0.1`) or ranges (`127.0.0.0/8`, `fd00::/8`) that are allowed although not public. */
export type AddressAllowList = readonly string[];

export interface AddressPolicy {
  /** Non-public addresses allowed anyway. Empty by default: never allow loopback or private networks silently. */
  allow: AddressAllowList;
}

export const PUBLIC_ONLY: AddressPolicy = { allow: [] };

/** The whole loopback range, for `allowLoopback`-style options. */
export const LOOPBACK_RANGES: AddressAllowList = ['127.0.0.0/8', '::1/128'];

/** A compiled policy: says whether an address is allowed and, if not, why. */
export interface AddressGuard {
  /** Null when allowed, else what the address is, e.g. `a loopback address`. */
  refusedKind(address: string): string | null;
  /** Null when allowed, else a sentence: `127.0.0.1 is a loopback address`. */
  refusal(address: string): string | null;
}

/** Why an address is not public: ipaddr.js's range name, spelled for people. */
const RANGE_NAMES: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address (cloud metadata lives here)',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT address',
  private: 'a private network address',
  reserved: 'a reserved address',
  benchmarking: 'a benchmarking address',
  amt: 'a reserved address (AMT)',
  as112: 'a reserved address (AS112)',
  as112v6: 'a reserved address (AS112)',
  uniqueLocal: 'a unique-local (private) address',
  deprecatedSiteLocal: 'a site-local (private) address',
  discard: 'a discard-only address',
  teredo: 'a Teredo tunnel address',
  orchid2: 'a reserved address (ORCHID)',
  deprecatedOrchid: 'a reserved address (ORCHID)',
  droneRemoteIdProtocolEntityTags: 'a reserved address (DRIP)',
  segmentRouting: 'a segment-routing address',
  rfc6052: 'a local-use NAT64 address',
  ipv4Compatible: 'an IPv4-compatible IPv6 address (deprecated)',
  notGlobal: 'an unassigned IPv6 address (outside 2000::/3)',
};

/** Parses any textual address Node or a URL can produce; a zone (`fe80::1%eth0`) is dropped. Null when not an IP. */
export function parseAddress(text: string): Address | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const unzoned = bare.replace(/%.*$/, '');
  if (!ipaddr.isValid(unzoned)) return null;
  // `parse` keeps IPv4-mapped IPv6 as IPv6, so the embedding is classified below rather than silently unwrapped.
  return ipaddr.parse(unzoned);
}

function embeddedIPv4(address: ipaddr.IPv6, from: 'low32' | '6to4'): ipaddr.IPv4 {
  const p = address.parts;
  const [hi, lo] = from === '6to4' ? [p[1] ?? 0, p[2] ?? 0] : [p[6] ?? 0, p[7] ?? 0];
  return new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
}

/**
 * The address's kind when it is not public unicast, else null. IPv6 forms that carry an IPv4 address (mapped,
 * translated, NAT64, 6to4) are judged by the IPv4 address inside, so `::ffff:127.0.0.1` is loopback.
 */
export function nonPublicKind(address: Address): string | null {
  if (address.kind() === 'ipv4') {
    const range = address.range();
    return range === 'unicast' ? null : range;
  }
  const v6 = address as ipaddr.IPv6;
  const range = v6.range();
  if (range === 'ipv4Mapped' || range === 'rfc6145') return nonPublicKind(embeddedIPv4(v6, 'low32'));
  // NAT64 and 6to4 reach real IPv4 hosts: public ones are fine, private ones are the attack.
  if (range === 'rfc6052') {
    // Only the well-known 64:ff9b::/96 prefix embeds the address in the low 32 bits; 64:ff9b:1::/48 is local use.
    const wellKnown = v6.parts.slice(2, 6).every((part) => part === 0);
    return wellKnown ? nonPublicKind(embeddedIPv4(v6, 'low32')) : 'rfc6052';
  }
  if (range === '6to4') return nonPublicKind(embeddedIPv4(v6, '6to4'));
  if (range !== 'unicast') return range;
  const [first = 0, ...rest] = v6.parts;
  if (first === 0 && rest.slice(0, 5).every((part) => part === 0)) return 'ipv4Compatible';
  // Everything public today sits in 2000::/3; the rest is unassigned or special.
  if ((first & 0xe000) !== 0x2000) return 'notGlobal';
  return null;
}

/**
 * Whether an allow-list entry spells its address in full: four decimal parts for IPv4 (`1.2.3` or `0x7f.1` are
 * valid to the parser, as 1.2.0.3 and 127.0.0.1, but an operator writing them meant something else).
 */
function spelledInFull(text: string): boolean {
  const [address = '', bits, ...rest] = text.split('/');
  if (rest.length > 0 || (bits !== undefined && !/^\d{1,3}$/.test(bits))) return false;
  return address.includes(':') ? ipaddr.IPv6.isValid(address) : ipaddr.IPv4.isValidFourPartDecimal(address);
}

function compileAllowList(allow: AddressAllowList): [Address, number][] {
  return allow.map((entry) => {
    const text = entry.trim();
    if (!spelledInFull(text)) throw new Error(`"${entry}" is not an IP address or CIDR range`);
    if (ipaddr.isValidCIDR(text)) return ipaddr.parseCIDR(text);
    const address = parseAddress(text);
    if (!address) throw new Error(`"${entry}" is not an IP address or CIDR range`);
    return [address, address.kind() === 'ipv4' ? 32 : 128];
  });
}

function allowListed(address: Address, ranges: readonly [Address, number][]): boolean {
  return ranges.some(([base, bits]) => base.kind() === address.kind() && address.match(base, bits));
}

/** Compiles a policy; throws on an allow-list entry that is not an address or range. */
export function createAddressGuard(policy: AddressPolicy = PUBLIC_ONLY): AddressGuard {
  const ranges = compileAllowList(policy.allow);
  const refusedKind = (text: string): string | null => {
    const address = parseAddress(text);
    if (!address) return 'not an IP address';
    const kind = nonPublicKind(address);
    if (kind === null || allowListed(address, ranges)) return null;
    return RANGE_NAMES[kind] ?? `a non-public address (${kind})`;
  };
  return {
    refusedKind,
    refusal(text) {
      const kind = refusedKind(text);
      return kind === null ? null : `${parseAddress(text)?.toString() ?? text} is ${kind}`;
    },
  };
}

/** The addresses `localhost` stands for, answered without asking DNS. */
export const LOCALHOST_ADDRESSES: readonly string[] = ['127.0.0.1', '::1'];

/** `localhost`, `foo.localhost` and their trailing-dot forms always mean this machine (RFC 6761), whatever DNS says. */
export function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}
