import type { AsyncStore } from '../../storage/asyncStore.ts';
import { ConfigError, type NewsbriefConfig, weekdayNumbers } from '../config/config.ts';
import type { TopicLookup } from '../search/search.ts';
import { newDestination } from './destinations.ts';

/**
 * Creates or updates the destinations the config lists (`channels:`). The config wins at every start for what it
 * names: a listed channel gets its time, zone, language and days back, and its topics are (re)subscribed; what
 * it leaves out (topics added in chat, settings it does not name) stays as chat left it.
 */
export async function applyConfiguredChannels(
  store: AsyncStore,
  config: NewsbriefConfig,
  topics: TopicLookup,
): Promise<number> {
  const unknown = config.channels.flatMap((channel, i) =>
    channel.topics.filter((t) => resolveTopic(topics, t) === null).map((t) => `channels[${i}].topics: no topic "${t}"`),
  );
  if (unknown.length > 0) {
    throw new ConfigError(`the config names topics that do not exist:\n${unknown.map((u) => `  - ${u}`).join('\n')}`);
  }
  await store.transaction(async (tx) => {
    for (const channel of config.channels) {
      const record = newDestination({
        platform: channel.platform,
        workspace: channel.workspace ?? null,
        channel: channel.channel,
        user: null,
      });
      await tx.destinations.ensure(record);
      await tx.destinations.update(record.key, {
        ...(channel.workspace ? { workspace: channel.workspace } : {}),
        digestTime: channel.time ?? config.digest.time,
        timeZone: channel.timeZone ?? null,
        lang: channel.lang ?? null,
        weekdays: weekdayNumbers(channel.days),
        skipEmpty: channel.skipEmpty ?? false,
        // only when named: a layout chosen in chat stays
        ...(channel.layout ? { digestLayout: channel.layout } : {}),
      });
      for (const topic of channel.topics) await tx.subscriptions.add(record.key, resolveTopic(topics, topic) as string);
    }
  });
  return config.channels.length;
}

function resolveTopic(topics: TopicLookup, text: string): string | null {
  if (topics.has(text.toLowerCase())) return text.toLowerCase();
  return topics.expand(text)?.topicId ?? null;
}
