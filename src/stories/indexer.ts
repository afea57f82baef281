import { createHash } from 'node:crypto';
import type {
  DuplicateLink,
  Store,
  StoredArticle,
  StoryMember,
  StoryRecord,
  TopicTag,
} from '../../storage/repositories.ts';
import { DuplicateIndex } from './duplicateIndex.ts';
import { type ArticleFeatures, articleFeatures } from './features.ts';
import {
  type ArticleVectors,
  addToProfile,
  articleKeys,
  articleVectors,
  emptyProfile,
  JOIN_THRESHOLD,
  profileKeys,
  STORY_WINDOW_DAYS,
  type StoryMatch,
  type StoryProfile,
  scoreStory,
} from './profile.ts';
import { TermStatistics } from './termStatistics.ts';

/** Finds the topics a headline names (the ingest tagger). */
export interface TitleTagger {
  tagsOf(text: string): TopicTag[];
}

export interface IndexedArticle {
  articleId: number;
  storyId: number;
  storyKey: string;
  /** True when the article started a new story. */
  newStory: boolean;
  /** The article it joined as a copy of, when it is a near-duplicate of a story member. */
  copyOf: number | null;
  /** Stored articles it is a near-duplicate of. */
  duplicates: number[];
  /** How well it fitted the story it joined by content (absent for copies and new stories). */
  match?: StoryMatch;
}

const DAY_MS = 86_400_000;

/**
 * A story's key comes from the key of the article that starts it, so a story rebuilt from the same article
 * (it left and came back) is the same story to channels that were shown it.
 */
export function storyKeyFor(articleKey: string): string {
  return `st-${createHash('sha256').update(articleKey).digest('hex').slice(0, 16)}`;
}
const MAX_CANDIDATE_STORIES = 20;
/** Parsed story profiles kept between articles (checked against the stored version before use). */
const MAX_CACHED_STORIES = 5_000;

function epochMs(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

function featureTerms(features: Pick<ArticleFeatures, 'terms' | 'topics' | 'neutral'>): string[] {
  return [...Object.keys(features.terms), ...Object.keys(features.topics), ...Object.keys(features.neutral)];
}

function addTags(target: Record<string, number>, tags: Record<string, number>): void {
  for (const [id, weight] of Object.entries(tags)) target[id] = (target[id] ?? 0) + weight;
}

/**
 * Puts every stored article into a story, online and in one pass: its near-duplicates are found first (a copy
 * joins the story of the article it copies, adding nothing to the story's profile: stories cluster duplicate
 * groups, not raw articles); any other article joins the best-fitting recent story (see `profile.ts`) or starts
 * a new one. Story ids never change once given, so a story posted yesterday is recognised today. An article
 * stored again with new text is placed again, unless it was already posted to a channel.
 */
export class StoryIndexer {
  private readonly duplicates: DuplicateIndex;
  private readonly terms: TermStatistics;
  private kinds: Map<string, string> | null = null;
  private readonly cachedStories = new Map<number, StoryRecord>();
  /** The last indexing error, for diagnostics (indexing never makes ingestion fail). */
  lastError: string | null = null;

  constructor(
    private readonly store: Store,
    private readonly tagger: TitleTagger | null = null,
    private readonly clock: () => number = Date.now,
  ) {
    this.duplicates = new DuplicateIndex(store);
    this.terms = new TermStatistics(store.storyTerms);
  }

  /**
   * Indexes one stored article (again, after its text changed). Never throws: on failure the article stays
   * without a story (and its changes are rolled back) until `indexPending` tries again.
   */
  index(articleId: number): IndexedArticle | null {
    try {
      return this.store.transaction(() => this.indexNow(articleId));
    } catch (error) {
      this.terms.reset();
      this.cachedStories.clear();
      this.lastError = `article ${articleId}: ${error instanceof Error ? error.message : String(error)}`;
      return null;
    }
  }

  /** Indexes stored articles that have no story yet, oldest first; returns how many were indexed. */
  indexPending(options: { fromMs?: number; toMs?: number; limit?: number } = {}): number {
    const ids = this.store.stories.unassigned(options.limit ?? 100_000, options.fromMs, options.toMs);
    let indexed = 0;
    for (const id of ids) if (this.index(id)) indexed++;
    return indexed;
  }

  private kindOf = (topicId: string): string | undefined => {
    this.kinds ??= new Map(this.store.topics.list().map((t) => [t.id, t.kind]));
    return this.kinds.get(topicId);
  };

  private idf = (term: string) => this.terms.idf(term);

  private indexNow(articleId: number): IndexedArticle | null {
    const article = this.store.articles.get(articleId);
    if (!article) return null;
    const timeMs = epochMs(article.publishedAt) ?? epochMs(article.firstSeenAt) ?? this.clock();
    const links = this.duplicates.index(article, timeMs);
    const stories = this.store.stories;
    this.terms.refresh();

    const features = this.featuresOf(article);
    const previous = stories.membership(articleId);
    this.terms.count(featureTerms(features), previous ? featureTerms(previous.features) : [], previous ? 0 : 1);
    const duplicates = links.map((l) => l.otherId);

    if (previous && stories.wasDelivered(articleId)) {
      // Already posted: the story it was posted in keeps it.
      stories.addMember({ ...previous, timeMs, features });
      const story = this.rebuild(previous.storyId) as StoryRecord;
      return {
        articleId,
        storyId: story.id,
        storyKey: story.key,
        newStory: false,
        copyOf: previous.copyOf,
        duplicates,
      };
    }
    if (previous) {
      stories.removeMember(articleId);
      this.rebuild(previous.storyId);
    }

    const copy = this.copyTarget(links);
    if (copy) {
      const story = this.loadStory(copy.storyId) as StoryRecord;
      const member: StoryMember = { articleId, storyId: story.id, copyOf: copy.root, timeMs, features };
      stories.addMember(member);
      this.grow(story, member, null);
      return { articleId, storyId: story.id, storyKey: story.key, newStory: false, copyOf: copy.root, duplicates };
    }

    this.terms.prefetch(featureTerms(features));
    const vectors = articleVectors(features, this.idf, timeMs);
    const best = this.bestStory(vectors);
    if (best) {
      const member: StoryMember = { articleId, storyId: best.story.id, copyOf: null, timeMs, features };
      stories.addMember(member);
      this.grow(best.story, member, vectors);
      const { id, key } = best.story;
      return { articleId, storyId: id, storyKey: key, newStory: false, copyOf: null, duplicates, match: best.match };
    }
    const story = this.createStory(article.key, articleId, timeMs, vectors, features);
    stories.addMember({ articleId, storyId: story.id, copyOf: null, timeMs, features });
    return { articleId, storyId: story.id, storyKey: story.key, newStory: true, copyOf: null, duplicates };
  }

  private featuresOf(article: StoredArticle): ArticleFeatures {
    const titleTopics = this.tagger ? this.tagger.tagsOf(article.title) : [];
    return articleFeatures(
      {
        title: article.title,
        paragraphs: article.paragraphs,
        lang: article.lang,
        topics: article.topics,
        titleTopics,
      },
      this.kindOf,
    );
  }

  /** The best copy link whose article is in a story already: that story, and that article (`root`). */
  private copyTarget(links: readonly DuplicateLink[]): { storyId: number; root: number } | null {
    const ranked = [...links].sort(
      (a, b) => b.containment + b.jaccard - (a.containment + a.jaccard) || a.otherId - b.otherId,
    );
    for (const link of ranked) {
      const member = this.store.stories.membership(link.otherId);
      if (member) return { storyId: member.storyId, root: member.articleId };
    }
    return null;
  }

  private bestStory(vectors: ArticleVectors): { story: StoryRecord; match: StoryMatch } | null {
    const window = STORY_WINDOW_DAYS * DAY_MS;
    const refs = this.store.stories.candidates(articleKeys(vectors), vectors.timeMs - window, MAX_CANDIDATE_STORIES);
    let best: { story: StoryRecord; match: StoryMatch } | null = null;
    for (const story of this.loadStories(refs)) {
      if (story.firstMs > vectors.timeMs + window) continue;
      const match = scoreStory(vectors, story);
      if (
        match.score >= JOIN_THRESHOLD &&
        (!best || match.score > best.match.score || (match.score === best.match.score && story.id < best.story.id))
      ) {
        best = { story, match };
      }
    }
    return best;
  }

  private loadStory(id: number): StoryRecord | null {
    const stored = this.store.stories.headers([id])[0];
    if (!stored) return null;
    return this.loadStories([{ id, version: stored.version }])[0] ?? null;
  }

  /** The stories, from the cache when their version is the stored one. */
  private loadStories(refs: readonly { id: number; version: number }[]): StoryRecord[] {
    const stale = refs.filter((r) => this.cachedStories.get(r.id)?.version !== r.version).map((r) => r.id);
    for (const story of this.store.stories.getMany(stale)) this.remember(story);
    return refs.map((r) => this.cachedStories.get(r.id)).filter((s): s is StoryRecord => s !== undefined);
  }

  private remember(story: StoryRecord): void {
    this.cachedStories.delete(story.id);
    if (this.cachedStories.size >= MAX_CACHED_STORIES) {
      const oldest = this.cachedStories.keys().next().value;
      if (oldest !== undefined) this.cachedStories.delete(oldest);
    }
    this.cachedStories.set(story.id, story);
  }

  /** Saves a changed story (profile, span, tags, keys) and keeps it cached. */
  private save(story: StoryRecord): void {
    story.version = this.store.stories.update(story);
    this.store.stories.setKeys(story.id, profileKeys(story.profile as StoryProfile), story.lastMs);
    this.remember(story);
  }

  private createStory(
    articleKey: string,
    articleId: number,
    timeMs: number,
    vectors: ArticleVectors,
    features: ArticleFeatures,
  ): StoryRecord {
    const stories = this.store.stories;
    let key = storyKeyFor(articleKey);
    for (let n = 1; stories.findByKey(key); n++) key = storyKeyFor(`${articleKey}#${articleId}#${n}`);
    const profile = addToProfile(emptyProfile(), vectors);
    const story = stories.create({ key, firstMs: timeMs, lastMs: timeMs, profile, tags: { ...features.tags } });
    story.articleCount = 1;
    this.save(story);
    return story;
  }

  /** Adds a new member to the story's span, count, tags and (unless it is a copy) profile. */
  private grow(story: StoryRecord, member: StoryMember, vectors: ArticleVectors | null): void {
    story.firstMs = Math.min(story.firstMs, member.timeMs);
    story.lastMs = Math.max(story.lastMs, member.timeMs);
    story.articleCount += 1;
    addTags(story.tags, member.features.tags);
    if (vectors) story.profile = addToProfile(story.profile as StoryProfile, vectors);
    this.save(story);
  }

  /** Recomputes a story from its members after one left or changed; deletes it when none is left. */
  private rebuild(storyId: number): StoryRecord | null {
    const stories = this.store.stories;
    const story = this.loadStory(storyId);
    if (!story) return null;
    const members = stories.members(storyId);
    if (members.length === 0) {
      stories.delete(storyId);
      this.cachedStories.delete(storyId);
      return null;
    }
    const originals = members.filter((m) => m.copyOf === null);
    const profiled = originals.length > 0 ? originals : members;
    this.terms.prefetch(profiled.flatMap((m) => featureTerms(m.features)));
    let profile = emptyProfile();
    for (const m of profiled) profile = addToProfile(profile, articleVectors(m.features, this.idf, m.timeMs));
    const tags: Record<string, number> = {};
    for (const m of members) addTags(tags, m.features.tags);
    story.profile = profile;
    story.tags = tags;
    story.firstMs = Math.min(...members.map((m) => m.timeMs));
    story.lastMs = Math.max(...members.map((m) => m.timeMs));
    story.articleCount = members.length;
    this.save(story);
    return story;
  }
}
