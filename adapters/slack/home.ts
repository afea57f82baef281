/**
 * The Home tab: the person's own topics (each with a button that removes it) and the latest digest of them,
 * within a Home view's 100 blocks.
 */
import type { Reply } from '../../src/commands/reply.ts';
import type { ChannelDigest } from '../../src/engine/engine.ts';
import type { UiLang } from '../../src/messages/catalog.ts';
import { messages } from '../../src/messages/catalog.ts';
import { ACTIONS, type Block, button, header, renderReply, section } from './blocks.ts';
import { escapeMrkdwn, inert } from './escape.ts';

const MAX_HOME_BLOCKS = 100;

export interface HomeView {
  type: 'home';
  blocks: Block[];
}

/**
 * `topics`: the engine's answer to `topics` for the person's destination; `channels`: the workspace's channels
 * with scheduled digests; `digest`: the engine's answer to `digest`.
 */
export function renderHome(
  lang: UiLang,
  topics: Reply,
  digest: Reply,
  channels: readonly ChannelDigest[] = [],
): HomeView {
  const m = messages(lang);
  const blocks: Block[] = [header(m.slack.homeTitle), section(`*${escapeMrkdwn(m.slack.yourTopics)}*`)];
  const subscribed = topics.kind === 'topics' ? topics.subscribed : [];
  if (subscribed.length === 0) blocks.push(section(escapeMrkdwn(m.slack.noTopics)));
  for (const topic of subscribed.slice(0, 40)) {
    blocks.push(
      section(
        `${inert(topic.name, 100)} \`${inert(topic.id, 60)}\``,
        button(ACTIONS.unfollowMine, m.slack.remove, topic.id, 'danger'),
      ),
    );
  }
  blocks.push({ type: 'divider' }, section(`*${escapeMrkdwn(m.slack.channelDigests)}*`));
  if (channels.length === 0) blocks.push(section(escapeMrkdwn(m.slack.noChannelDigests)));
  for (const c of channels.slice(0, 20)) {
    const topicNames = c.topics.map((t) => t.name).join(', ') || m.slack.topStories;
    const line = m.slack.channelDigest(
      c.schedule.time,
      c.schedule.timeZone,
      m.status.days(c.schedule.weekdays),
      topicNames,
    );
    // A channel reference, not a mention: it pings no one. Ids are Slack's own ([A-Z0-9]); anything else is dropped.
    const ref = /^[A-Z0-9]{1,20}$/.test(c.channel) ? `<#${c.channel}>` : inert(c.channel, 40);
    blocks.push(section(`${ref} ${inert(line, 500)}${c.paused ? ` _(${escapeMrkdwn(m.slack.paused)})_` : ''}`));
  }
  blocks.push({ type: 'divider' }, section(`*${escapeMrkdwn(m.slack.latestDigest)}*`));
  const digestBlocks = renderReply(digest).flatMap((message) => message.blocks);
  for (const block of digestBlocks) {
    if (blocks.length >= MAX_HOME_BLOCKS) break;
    blocks.push(block);
  }
  return { type: 'home', blocks };
}
