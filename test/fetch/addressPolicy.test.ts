import { describe, expect, it } from 'vitest';
import { createAddressGuard, LOOPBACK_RANGES } from '../../src/fetch/addressPolicy.ts';
import { checkUrl } from '../../src/fetch/httpFetcher.ts';

const publicOnly = createAddressGuard();

describe('address policy', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['192.0.2.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:0:10.0.0.1', 'private'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:a9fe:a9fe::1', 'link-local'],
    ['::127.0.0.1', 'loopback'],
    ['::7f00:1', 'IPv4-compatible'],
    ['::a00:1', 'IPv4-compatible'],
    ['2001:db8::1', 'reserved'],
    ['2001::1', 'Teredo'],
    ['fec0::1', 'site-local'],
    ['4000::1', 'outside 2000::/3'],
  ])('refuses %s (%s)', (address, kind) => {
    const refusal = publicOnly.refusal(address);
    expect(refusal).not.toBeNull();
    expect(refusal).toContain(kind);
  });

  it.each(['93.184.216.34', '8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8'])(
    'allows the public address %s',
    (address) => {
      expect(publicOnly.refusal(address)).toBeNull();
    },
  );

  it('allows only what the allow-list names', () => {
    const guard = createAddressGuard({ allow: ['127.0.0.1'] });
    expect(guard.refusal('127.0.0.1')).toBeNull();
    expect(guard.refusal('127.0.0.2')).toContain('loopback');
    expect(guard.refusal('::1')).toContain('loopback');
    expect(guard.refusal('10.0.0.1')).toContain('private');
    const ranges = createAddressGuard({ allow: [...LOOPBACK_RANGES, '10.0.0.0/8'] });
    expect(ranges.refusal('127.0.0.2')).toBeNull();
    expect(ranges.refusal('::1')).toBeNull();
    expect(ranges.refusal('10.9.9.9')).toBeNull();
    expect(ranges.refusal('192.168.0.1')).toContain('private');
  });

  it('rejects an allow-list entry that is not an address or range', () => {
    expect(() => createAddressGuard({ allow: ['intranet.example'] })).toThrow(/not an IP address or CIDR range/);
    // shorthand the address parser accepts but nobody means: 1.2.0.3, 127.0.0.1, 10.0.0.1
    for (const odd of ['1.2.3', '0x7f.1', '10.1/8', '012.0.0.1', '2130706433', '10.0.0.0/8/8']) {
      expect(() => createAddressGuard({ allow: [odd] }), odd).toThrow(/not an IP address or CIDR range/);
    }
    expect(() => createAddressGuard({ allow: ['10.0.0.0/8', '::ffff:10.0.0.1', 'fd00::/8'] })).not.toThrow();
  });

  it('refuses odd spellings of loopback in URLs, which URL parsing turns into plain addresses', () => {
    for (const url of [
      'http://2130706433/',
      'http://0x7f.1/',
      'http://017700000001/',
      'http://127.1/',
      'http://0/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::1]/',
      'http://localhost/',
      'http://LOCALHOST./',
      'http://api.localhost/',
    ]) {
      expect(() => checkUrl(url, publicOnly), url).toThrow(/refused/);
    }
  });

  it('refuses other schemes and credentials, and accepts ordinary URLs', () => {
    expect(() => checkUrl('file:///etc/passwd', publicOnly)).toThrow(/only http and https/);
    expect(() => checkUrl('gopher://example.com/', publicOnly)).toThrow(/only http and https/);
    expect(() => checkUrl('https://user:secret@example.com/feed', publicOnly)).toThrow(/credentials/);
    expect(() => checkUrl('not a url', publicOnly)).toThrow(/not a valid URL/);
    expect(checkUrl('https://www.yna.co.kr/rss/industry.xml', publicOnly).hostname).toBe('www.yna.co.kr');
  });
});
