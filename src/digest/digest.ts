import type { Store, StoredArticle } from '../../storage/repositories.ts';
import { groupNearDuplicates } from '../stories/nearDuplicates.ts';
import { summarizeArticle } from '../summarize/extractive.ts';

export interface DigestArticle {
  id: number;
  title: string;
  url: string | null;
  source: string | null;
  publishedAt: string | null;
  lang: string;
}

export interface DigestStory {
  /** Stable across digests: the key of the story's first article. */
  key: string;
  title: string;
  /** Two or three sentences taken from the story's text. */
  summary: string[];
  /** Topic ids mentioned in the story, most mentioned first. */
  topics: string[];
  /** The lead article first, then the other sources. */
  articles: DigestArticle[];
}

export interface Digest {
  window: { from: string; to: string };
  stories: DigestStory[];
  /** Articles in the window before grouping. */
  articleCount: number;
}

export interface DigestOptions {
  from: Date;
  to: Date;
  /** Most stories to include. */
  limit: number;
  /** Only stories tagged with one of these topics (a channel's subscriptions); all when empty. */
  topics?: readonly string[];
  summarySentences?: number;
}

function publishedMs(article: StoredArticle): number {
  const ms = article.publishedAt ? Date.parse(article.publishedAt) : Number.NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

function toDigestArticle(a: StoredArticle): DigestArticle {
  return { id: a.id, title: a.title, url: a.url, source: a.sourceName, publishedAt: a.publishedAt, lang: a.lang };
}

/**
 * Builds the digest for a window: copies of one story become one item with all its sources, ranked by the
 * number of independent sources, then by how recent the story is; each gets a short extractive summary.
 */
export function buildDigest(store: Store, options: DigestOptions): Digest {
  const from = options.from.toISOString();
  const to = options.to.toISOString();
  let articles = store.articles.listPublishedBetween(from, to);
  const articleCount = articles.length;
  if (options.topics && options.topics.length > 0) {
    const wanted = new Set(options.topics);
    articles = articles.filter((a) => a.topics.some((t) => wanted.has(t.id)));
  }
  const groups = groupNearDuplicates(
    articles.map((a) => ({ id: a.id, title: a.title, body: a.paragraphs.join('\n'), a })),
  );
  const stories = groups
    .map((group) => {
      const members = group.map((g) => g.a).sort((x, y) => publishedMs(x) - publishedMs(y) || x.id - y.id);
      const lead = members[0] as StoredArticle;
      const sources = new Set(members.map((m) => (m.sourceName ?? m.url ?? String(m.id)).toLowerCase()));
      const newest = Math.max(...members.map(publishedMs));
      return { lead, members, sourceCount: sources.size, newest };
    })
    .sort((a, b) => b.sourceCount - a.sourceCount || b.newest - a.newest || a.lead.id - b.lead.id)
    .slice(0, options.limit)
    .map(({ lead, members }): DigestStory => {
      const weights = new Map<string, number>();
      for (const tag of members.flatMap((m) => m.topics)) {
        if (tag.weight > 0) weights.set(tag.id, (weights.get(tag.id) ?? 0) + tag.weight);
      }
      const topics = [...weights.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([id]) => id);
      return {
        key: lead.key,
        title: lead.title,
        summary: summarizeArticle(
          { title: lead.title, paragraphs: lead.paragraphs, lang: lead.lang },
          { sentences: options.summarySentences ?? 2 },
        ),
        topics,
        articles: members.map(toDigestArticle),
      };
    });
  return { window: { from, to }, stories, articleCount };
}
