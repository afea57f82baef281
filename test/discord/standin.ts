// The Discord stand-in lives in standins/ so the benchmarks can drive it too.
import type { PostTarget } from '../../src/engine/port.ts';
import type { DiscordStandin, StandinChannel } from '../../standins/discord.ts';

export * from '../../standins/discord.ts';

/** Where the scheduler would post in a channel of the stand-in's server. */
export function channelTarget(standin: DiscordStandin, channel: StandinChannel): PostTarget {
  return {
    key: `discord:${channel.id}`,
    kind: 'channel',
    platform: 'discord',
    workspace: standin.guildId,
    channel: channel.id,
    user: null,
  };
}
