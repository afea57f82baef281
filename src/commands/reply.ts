import type { Digest } from '../digest/digest.ts';
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
  description: string;
}

/** What the engine answers; each adapter renders it in its platform's format and size limits. */
export type Reply =
  | {
      kind: 'search';
      query: string;
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
  | { kind: 'digest'; title: string; digest: Digest; topicNames: Record<string, string> }
  | { kind: 'help'; entries: HelpEntry[]; examples: string[] }
  | { kind: 'topics'; subscribed: TopicRef[]; popular: TopicRef[] }
  | { kind: 'notice'; tone: 'ok' | 'error'; text: string };
