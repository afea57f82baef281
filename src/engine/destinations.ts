import type { ChannelKey, DestinationRecord } from '../../storage/repositories.ts';

/** The key a channel or person is stored under: `slack:C123`, `discord:456`, `slack:user:U1`. */
export function destinationKey(platform: string, where: { channel: string | null; user: string | null }): ChannelKey {
  if (where.channel !== null) return `${platform}:${where.channel}`;
  return `${platform}:user:${where.user ?? ''}`;
}

/** A new destination with no settings of its own: the configured defaults apply until it gets some. */
export function newDestination(address: {
  platform: string;
  workspace: string | null;
  channel: string | null;
  user: string | null;
}): DestinationRecord {
  const kind = address.channel !== null ? 'channel' : 'person';
  return {
    key: destinationKey(address.platform, address),
    platform: address.platform,
    workspace: address.workspace,
    channel: address.channel,
    user: kind === 'person' ? address.user : null,
    kind,
    lang: null,
    timeZone: null,
    digestTime: null,
    weekdays: [],
    enabled: true,
    pausedReason: null,
    lastDigestAt: null,
  };
}
