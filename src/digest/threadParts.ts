import type { ReplyOf } from '../commands/reply.ts';
import { messages } from '../messages/catalog.ts';
import { formatLocalTime } from '../text/formatTime.ts';

/** Most headlines a threaded digest's parent lists (the thread holds them all). */
export const PARENT_HEADLINES = 10;

/** The local day a digest is of (its window's end, in the reader's zone), as its head line shows it. */
export function digestDay(reply: { digest: { window: { to: string } }; timeZone: string }): string {
  return formatLocalTime(reply.digest.window.to, reply.timeZone).slice(0, 10);
}

/** A threaded digest: the parent message, then one reply per story, in the digest's order (best first). */
export interface ThreadParts {
  parent: ReplyOf<'digestParent'>;
  stories: ReplyOf<'digestStory'>[];
}

/** Splits a digest into the messages of its thread. */
export function threadPartsOf(reply: ReplyOf<'digest'>): ThreadParts {
  const { digest, topicNames, lang, timeZone } = reply;
  const total = digest.stories.length;
  return {
    parent: { kind: 'digestParent', digest, topicNames, lang, timeZone },
    stories: digest.stories.map((story, i) => ({
      kind: 'digestStory',
      story,
      number: i + 1,
      total,
      topicNames,
      lang,
      timeZone,
    })),
  };
}

/** The name of a threaded digest's thread: the digest's local day, in its language. */
export function threadNameOf(parent: ReplyOf<'digestParent'>): string {
  return messages(parent.lang).digest.threadName(digestDay(parent));
}

/** The digest a thread posted, with only the stories it is known to have posted (what counts as delivered). */
export function postedDigest(parent: ReplyOf<'digestParent'>, postedStories: ReadonlySet<string>): ReplyOf<'digest'> {
  const { digest } = parent;
  const stories = digest.stories.filter((s) => postedStories.has(s.key));
  return {
    kind: 'digest',
    digest: {
      ...digest,
      stories,
      sections: digest.sections
        .map((section) => ({ ...section, stories: section.stories.filter((key) => postedStories.has(key)) }))
        .filter((section) => section.stories.length > 0),
    },
    topicNames: parent.topicNames,
    lang: parent.lang,
    timeZone: parent.timeZone,
  };
}
