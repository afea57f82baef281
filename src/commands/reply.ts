import type { Mention } from '../../storage/repositories.ts';
import type { Digest, DigestStory } from '../digest/digest.ts';
import type { HelpCode, Notice, UiLang } from '../messages/catalog.ts';
import type { TextSegment } from '../search/snippet.ts';

export interface TopicRef {
  id: string;
  name: string;
}

export interface ReplyStory {
  articleId: number;
  title: string;
  url: string | null;
  source: string | null;
  publishedAt: string | null;
  lang: string;
  snippet: TextSegment[];
  topics: TopicRef[];
  /** The same story on other sources (wire copies). */
  otherSources: { articleId: number; source: string | null; url: string | null }[];
}

export interface HelpEntry {
  usage: string;
  /** Its description in the message catalog. */
  code: HelpCode;
}

/** What the engine answers, before the language it is rendered in is added (see `Reply`). */
export type ReplyBody =
  | {
      kind: 'search';
      query: string;
      /** 1 for the first results; a "next page" asks for `page + 1` while `hasMore`. */
      page: number;
      hasMore: boolean;
      stories: ReplyStory[];
      /**
       * When the query names a topic: two sentences summing up the found stories, each from its article (null
       * when a language model wrote it from them).
       */
      topicSummary: { text: string; articleId: number | null }[];
      /** Topics the query was expanded through (`samsung` → Samsung Electronics). */
      expandedTopics: TopicRef[];
      /** When nothing was found: close topics to try. */
      suggestions: TopicRef[];
      /** When nothing was found: the same query with a word or the time window dropped, that finds something. */
      broaderQueries: string[];
      /** Stories left out because they name the query's company or person only in passing (quotes show them). */
      passingMentions: number;
    }
  | {
      kind: 'digest';
      digest: Digest;
      topicNames: Record<string, string>;
      /**
       * A preview shown only to the caller: when the scheduled digest will be posted (null: none is scheduled), and
       * how (`thread`: rendered as the parent and its replies, as they will be posted).
       */
      preview?: { postsAt: string | null; layout?: 'single' | 'thread' };
    }
  /**
   * A threaded digest's parent message: the day, the counts and the top headlines; its stories follow as
   * `digestStory` replies in the thread opened under it. `digest` is the whole digest (what counts as delivered).
   */
  | { kind: 'digestParent'; digest: Digest; topicNames: Record<string, string> }
  /** One story of a threaded digest, posted in the thread; `number` of the digest's `total`, best first. */
  | { kind: 'digestStory'; story: DigestStory; number: number; total: number; topicNames: Record<string, string> }
  | { kind: 'help'; entries: HelpEntry[]; examples: string[] }
  | {
      kind: 'topics';
      subscribed: TopicRef[];
      popular: TopicRef[];
      queries?: string[];
      /** The subscriptions that notify someone when a new story on their topic breaks. */
      notifications?: { topic: TopicRef; mention: Mention }[];
    }
  | {
      kind: 'status';
      /** The daily digest (`weekdays` ISO, empty: every day); null when it gets none. */
      schedule: { time: string; timeZone: string; weekdays: number[] } | null;
      /** Paused by `pause`, or by the platform (`pausedReason`: channel gone, permission missing). */
      paused: boolean;
      pausedReason: string | null;
      lastDigestAt: string | null;
      /** The latest post that failed, when no digest went out after it. */
      lastFailure: { at: string; failure: string; detail: string | null } | null;
      nextDigestAt: string | null;
      /** Most stories a digest and alerts a local day here; `own`: set in chat rather than the configured ones. */
      limits: { stories: number; alertsPerDay: number; own: boolean };
      /** How its digests are posted: one message, or a parent with a reply per story in its thread. */
      layout: 'single' | 'thread';
      sources: {
        total: number;
        failing: {
          name: string;
          failures: number;
          lastError: string | null;
          lastSuccessAt: string | null;
          nextFetchAt: string | null;
        }[];
      };
    }
  | {
      kind: 'why';
      url: string;
      /** Null: no article under this URL was ever stored. */
      article: {
        title: string;
        source: string | null;
        publishedAt: string | null;
        firstSeenAt: string;
        topics: TopicRef[];
        /** The story it belongs to: how many articles, and its key. */
        story: { key: string; articles: number } | null;
        /** The destination's topics it matches; empty with `followsTopics` false: the destination takes top stories. */
        matched: TopicRef[];
        followsTopics: boolean;
        /** When the destination was first and last posted this story; null: never. */
        delivered: { firstAt: string; lastAt: string; thisArticle: boolean } | null;
      } | null;
      /** The destination's next scheduled digest, when it has one. */
      nextDigestAt: string | null;
      /** Its last digest posted (the article may have come in after it). */
      lastDigestAt: string | null;
    }
  /** New stories about the destination's topics, as they come in (an alert). */
  /** `mentions`: who the channel's subscriptions to these topics notify (built by the adapter from this, never from text). */
  | { kind: 'alert'; topics: TopicRef[]; stories: ReplyStory[]; mentions?: Mention[] }
  | {
      kind: 'sources';
      sources: {
        name: string;
        url: string | null;
        /** Added in chat (by a destination), or listed in the config. */
        fromChat: boolean;
        failures: number;
        lastError: string | null;
        lastSuccessAt: string | null;
      }[];
    }
  | {
      /** A feed added in chat: what it holds, and the choice of letting its newest items into digests. */
      kind: 'sourceAdded';
      source: {
        id: number;
        name: string;
        url: string;
        /** The page it was found on; null when the URL given was the feed. */
        foundOn: string | null;
        items: number;
        /** Items kept out of digests (stored for search): the backlog not taken. */
        held: number;
        /** Items of the backlog let into digests. */
        taken: number;
        lang: string | null;
        newest: { title: string; publishedAt: string | null } | null;
      };
      /** Counts to offer for letting in the newest held items (buttons); empty when nothing is held. */
      backlogChoices: number[];
    }
  | { kind: 'notice'; tone: 'ok' | 'error'; notice: Notice };

/**
 * What the engine answers; each adapter renders it in its platform's format and size limits, in `lang` (the
 * caller's locale where the platform sends one, else the destination's language), with times in `timeZone`.
 */
export type Reply = ReplyBody & { lang: UiLang; timeZone: string };

export type ReplyOf<K extends Reply['kind']> = Extract<Reply, { kind: K }>;
