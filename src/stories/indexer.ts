import { createHash } from 'node:crypto';
import type { AsyncRepositories, AsyncStore, AsyncTransaction } from '../../storage/asyncStore.ts';
import type { DuplicateLink, StoredArticle, StoryMember, TopicTag } from '../../storage/repositories.ts';
import { copyRecord, emptyRecord } from '../text/vectors.ts';
import { DuplicateIndex } from './duplicateIndex.ts';
import { type ArticleFeatures, articleFeatures } from './features.ts';
import { OneAtATime } from './oneAtATime.ts';
import {
  type ArticleVectors,
  addToProfile,
  articleKeys,
  articleVectors,
  emptyProfile,
  JOIN_THRESHOLD,
  profileKeys,
  profileToRecord,
  STORY_WINDOW_DAYS,
  type StoryMatch,
  scoreStory,
} from './profile.ts';
import { type Story, StoryCache } from './storyCache.ts';
import { StoryKeyIndex } from './storyKeyIndex.ts';
import { TermStatistics } from './termStatistics.ts';

/** Finds the topics a headline names (the ingest tagger). */
export interface TitleTagger {
  tagsOf(text: string): TopicTag[];
}

/** What indexing reads of a stored article (and when it was first seen, which places an undated one in time). */
export type IndexableArticle = Pick<
  StoredArticle,
  'id' | 'key' | 'title' | 'paragraphs' | 'lang' | 'topics' | 'publishedAt'
> &
  Partial<Pick<StoredArticle, 'firstSeenAt'>>;

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

/** What `StoryIndexer.batch` hands its work. */
export interface StoryBatch {
  /** The batch's transaction. */
  readonly tx: AsyncTransaction;
  /**
   * `StoryIndexer.index` inside the batch: places one stored article in a transaction nested in `within` (the
   * batch's transaction, or one opened inside it). Never throws.
   */
  index(articleId: number, stored?: IndexableArticle, within?: AsyncTransaction): Promise<IndexedArticle | null>;
}

const DAY_MS = 86_400_000;
/** Index batches take turns across processes (see `batch`). */
const STORY_INDEX_TURNS = { serializeOn: 'story-index' } as const;

/**
 * A story's key comes from the key of the article that starts it, so a story rebuilt from the same article
 * (it left and came back) is the same story to channels that were shown it.
 */
export function storyKeyFor(articleKey: string): string {
  return `st-${createHash('sha256').update(articleKey).digest('hex').slice(0, 16)}`;
}
const MAX_CANDIDATE_STORIES = 20;
/**
 * Articles `indexPending` places per transaction: enough to share the batch's reads and writes among many, few
 * enough that the transaction stays short (other writers may have to wait for it to commit).
 */
const PENDING_BATCH_ARTICLES = 25;

function epochMs(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

function featureTerms(features: Pick<ArticleFeatures, 'terms' | 'topics' | 'neutral'>): string[] {
  return [...Object.keys(features.terms), ...Object.keys(features.topics), ...Object.keys(features.neutral)];
}

/**
 * A repository of whichever transaction `current` names when it is called: the caches are made once, and read
 * and write through the open batch's transaction.
 */
function throughCurrent<K extends keyof AsyncRepositories>(
  name: K,
  current: () => AsyncTransaction,
): AsyncRepositories[K] {
  return new Proxy({} as AsyncRepositories[K], {
    get: (_, method: string) => {
      if (method === 'then') return undefined; // not a promise
      return (...args: unknown[]) => {
        const repository = current()[name] as unknown as Record<string, (...args: unknown[]) => unknown>;
        return repository[method]?.(...args);
      };
    },
  });
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
 *
 * What a batch needs is read through its transaction as it goes, and kept in memory between articles and batches
 * (term frequencies, stories, their keys, recent signatures); the computing on it (features, scores, the choice of
 * story) is synchronous. Batches take turns (`OneAtATime`): the caches are one indexer's.
 */
export class StoryIndexer {
  private readonly duplicates: DuplicateIndex;
  private readonly terms: TermStatistics;
  private readonly stories: StoryCache;
  private readonly keys: StoryKeyIndex;
  private kinds: Map<string, string> | null = null;
  /** The open batch's transaction (or the article's nested in it): what the caches read and write through. */
  private tx: AsyncTransaction | null = null;
  private readonly turns = new OneAtATime();
  /** Features of articles computed ahead (`prepare`), by the article read. */
  private readonly prepared = new WeakMap<IndexableArticle, ArticleFeatures>();
  /** Articles of the open batch known to be in no story (`prepare`): their membership need not be read. */
  private readonly unplaced = new Set<number>();
  /** Whether the open batch changed anything stored. */
  private indexedInBatch = false;
  /** The last indexing error, for diagnostics (indexing never makes ingestion fail). */
  lastError: string | null = null;

  constructor(
    private readonly storage: AsyncStore,
    private readonly tagger: TitleTagger | null = null,
    private readonly clock: () => number = Date.now,
  ) {
    const current = () => this.current();
    this.duplicates = new DuplicateIndex({
      articles: throughCurrent('articles', current),
      duplicates: throughCurrent('duplicates', current),
    });
    this.terms = new TermStatistics(throughCurrent('storyTerms', current));
    const stories = throughCurrent('stories', current);
    this.stories = new StoryCache(stories);
    this.keys = new StoryKeyIndex(stories);
  }

  private current(): AsyncTransaction {
    if (!this.tx) throw new Error('the story index is read and written inside a batch only');
    return this.tx;
  }

  /**
   * Runs `work` (which may index many articles, through the `StoryBatch` it is handed) in one transaction,
   * writing what is kept in memory between articles (term frequencies, story profiles and keys) once at its end.
   * Batches take turns. What is held in memory is dropped when another indexer (another process or thread)
   * wrote since.
   */
  batch<T>(work: (batch: StoryBatch) => Promise<T>): Promise<T> {
    return this.turns.run(async () => {
      this.indexedInBatch = false;
      try {
        // one batch at a time in every process: a batch reads the stories it then joins or makes, so two at once
        // would each miss what the other adds (one story split in two)
        return await this.storage.transaction(async (tx) => {
          this.tx = tx;
          try {
            if (await this.terms.refresh()) this.forgetStories();
            const result = await work({
              tx,
              index: (articleId, stored, within) => this.indexOne(within ?? tx, articleId, stored),
            });
            const storiesWritten = await this.stories.flush();
            const keysWritten = await this.keys.flush();
            await this.terms.flush(this.indexedInBatch || storiesWritten || keysWritten);
            return result;
          } finally {
            this.tx = null;
            this.unplaced.clear();
          }
        }, STORY_INDEX_TURNS);
      } catch (error) {
        this.terms.reset();
        this.forgetStories();
        throw error;
      }
    });
  }

  /**
   * Indexes one stored article (again, after its text changed) in a batch of its own; `stored` is the article as
   * just stored, when the caller has it (else, or when it has no publication date, it is read). Never throws: on
   * failure the article stays without a story (and its changes are rolled back) until `indexPending` tries again.
   */
  async index(articleId: number, stored?: IndexableArticle): Promise<IndexedArticle | null> {
    try {
      return await this.batch((batch) => batch.index(articleId, stored));
    } catch (error) {
      this.lastError = `article ${articleId}: ${error instanceof Error ? error.message : String(error)}`;
      return null;
    }
  }

  /** Forgets every stored story held in memory (someone else wrote, or a batch was rolled back). */
  private forgetStories(): void {
    this.stories.clear();
    this.keys.clear();
    this.duplicates.clear();
  }

  /** One article in a transaction nested in `within` (inside the open batch): undone alone when it fails. */
  private async indexOne(
    within: AsyncTransaction,
    articleId: number,
    stored: IndexableArticle | undefined,
  ): Promise<IndexedArticle | null> {
    const journaled = [this.terms, this.stories, this.keys, this.duplicates];
    for (const part of journaled) part.begin();
    const outer = this.tx;
    try {
      const indexed = await within.transaction(async (tx) => {
        this.tx = tx;
        return this.indexNow(tx, articleId, stored);
      });
      for (const part of journaled) part.commit();
      if (indexed) this.indexedInBatch = true;
      return indexed;
    } catch (error) {
      for (const part of journaled) part.rollback();
      this.lastError = `article ${articleId}: ${error instanceof Error ? error.message : String(error)}`;
      return null;
    } finally {
      this.tx = outer;
    }
  }

  /**
   * Indexes stored articles that have no story yet, oldest first, in batches (each article still rolled back alone
   * when it fails); returns how many were indexed. Never throws for an article or a batch: those stay unplaced.
   */
  async indexPending(options: { fromMs?: number; toMs?: number; limit?: number } = {}): Promise<number> {
    const ids = await this.storage.stories.unassigned(options.limit ?? 100_000, options.fromMs, options.toMs);
    let indexed = 0;
    for (let first = 0; first < ids.length; first += PENDING_BATCH_ARTICLES) {
      const chunk = ids.slice(first, first + PENDING_BATCH_ARTICLES);
      try {
        indexed += await this.batch(async (batch) => {
          const articles = await batch.tx.articles.getMany(chunk);
          await this.prepare(batch.tx, articles);
          const byId = new Map(articles.map((article) => [article.id, article]));
          let placed = 0;
          for (const id of chunk) {
            // another process may have placed it since the list was read (its batch went first)
            if (!this.unplaced.has(id)) continue;
            if (await batch.index(id, byId.get(id))) placed++;
          }
          return placed;
        });
      } catch (error) {
        this.lastError = `articles ${chunk.join(', ')}: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    return indexed;
  }

  /**
   * Reads what a batch's articles need together rather than one article at a time: the stored frequencies of
   * their terms, and which of them are in no story.
   */
  private async prepare(tx: AsyncTransaction, articles: readonly StoredArticle[]): Promise<void> {
    await this.loadKinds(tx);
    const terms: string[] = [];
    for (const article of articles) {
      const features = this.featuresOf(article);
      this.prepared.set(article, features);
      terms.push(...featureTerms(features));
    }
    await this.terms.prefetch(terms);
    const placed = await tx.stories.storyIds(articles.map((article) => article.id));
    for (const article of articles) if (!placed.has(article.id)) this.unplaced.add(article.id);
  }

  /** The topic kinds `featuresOf` needs, read once. */
  private async loadKinds(tx: AsyncTransaction): Promise<void> {
    this.kinds ??= new Map((await tx.topics.list()).map((t) => [t.id, t.kind]));
  }

  private kindOf = (topicId: string): string | undefined => this.kinds?.get(topicId);

  private idf = (term: string) => this.terms.idf(term);

  /** The article and its place in time: its publication, else when it was first seen, else now. */
  private async read(tx: AsyncTransaction, articleId: number, stored: IndexableArticle | undefined) {
    if (stored?.id === articleId) {
      const seenMs = stored.firstSeenAt === undefined ? null : (epochMs(stored.firstSeenAt) ?? this.clock());
      const timeMs = epochMs(stored.publishedAt) ?? seenMs;
      if (timeMs !== null) return { article: stored, timeMs };
    }
    const article = await tx.articles.get(articleId);
    if (!article) return null;
    return { article, timeMs: epochMs(article.publishedAt) ?? epochMs(article.firstSeenAt) ?? this.clock() };
  }

  private async indexNow(
    tx: AsyncTransaction,
    articleId: number,
    stored: IndexableArticle | undefined,
  ): Promise<IndexedArticle | null> {
    const found = await this.read(tx, articleId, stored);
    if (!found) return null;
    const { article, timeMs } = found;
    const links = await this.duplicates.index(article, timeMs);
    const stories = tx.stories;

    await this.loadKinds(tx);
    const features = this.prepared.get(article) ?? this.featuresOf(article);
    const previous = this.unplaced.delete(articleId) ? null : await stories.membership(articleId);
    this.terms.count(featureTerms(features), previous ? featureTerms(previous.features) : [], previous ? 0 : 1);
    const duplicates = links.map((l) => l.otherId);

    if (previous && (await stories.wasDelivered(articleId))) {
      // Already posted: the story it was posted in keeps it.
      await stories.addMember({ ...previous, timeMs, features });
      const story = (await this.rebuild(tx, previous.storyId)) as Story;
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
      await stories.removeMember(articleId);
      await this.rebuild(tx, previous.storyId);
    }

    const copy = await this.copyTarget(tx, links);
    if (copy) {
      const story = (await this.stories.getOne(copy.storyId)) as Story;
      const member: StoryMember = { articleId, storyId: story.id, copyOf: copy.root, timeMs, features };
      await stories.addMember(member);
      this.grow(story, member, null);
      return { articleId, storyId: story.id, storyKey: story.key, newStory: false, copyOf: copy.root, duplicates };
    }

    await this.terms.prefetch(featureTerms(features));
    const vectors = articleVectors(features, this.idf, timeMs);
    const best = await this.bestStory(vectors);
    if (best) {
      const member: StoryMember = { articleId, storyId: best.story.id, copyOf: null, timeMs, features };
      await stories.addMember(member);
      this.grow(best.story, member, vectors);
      const { id, key } = best.story;
      return { articleId, storyId: id, storyKey: key, newStory: false, copyOf: null, duplicates, match: best.match };
    }
    const story = await this.createStory(tx, article.key, articleId, timeMs, vectors, features);
    await stories.addMember({ articleId, storyId: story.id, copyOf: null, timeMs, features });
    return { articleId, storyId: story.id, storyKey: story.key, newStory: true, copyOf: null, duplicates };
  }

  private featuresOf(article: IndexableArticle): ArticleFeatures {
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
  private async copyTarget(
    tx: AsyncTransaction,
    links: readonly DuplicateLink[],
  ): Promise<{ storyId: number; root: number } | null> {
    const ranked = [...links].sort(
      (a, b) => b.containment + b.jaccard - (a.containment + a.jaccard) || a.otherId - b.otherId,
    );
    for (const link of ranked) {
      const member = await tx.stories.membership(link.otherId);
      if (member) return { storyId: member.storyId, root: member.articleId };
    }
    return null;
  }

  private async bestStory(vectors: ArticleVectors): Promise<{ story: Story; match: StoryMatch } | null> {
    const window = STORY_WINDOW_DAYS * DAY_MS;
    const ids = await this.keys.candidates(articleKeys(vectors), vectors.timeMs - window, MAX_CANDIDATE_STORIES);
    let best: { story: Story; match: StoryMatch } | null = null;
    for (const story of await this.stories.get(ids)) {
      if (story.firstMs > vectors.timeMs + window) continue;
      const match = scoreStory(vectors, story, best ? best.match.score : JOIN_THRESHOLD);
      if (
        match &&
        match.score >= JOIN_THRESHOLD &&
        (!best || match.score > best.match.score || (match.score === best.match.score && story.id < best.story.id))
      ) {
        best = { story, match };
      }
    }
    return best;
  }

  /** Keeps a changed story and the keys it is found by (both written at the end of the batch). */
  private save(story: Story): void {
    this.stories.put(story);
    const keys = profileKeys(story.profile);
    if (!this.keys.has(story.id, keys, story.lastMs)) this.keys.set(story.id, keys, story.lastMs);
  }

  private async createStory(
    tx: AsyncTransaction,
    articleKey: string,
    articleId: number,
    timeMs: number,
    vectors: ArticleVectors,
    features: ArticleFeatures,
  ): Promise<Story> {
    const stories = tx.stories;
    let key = storyKeyFor(articleKey);
    for (let n = 1; await stories.findByKey(key); n++) key = storyKeyFor(`${articleKey}#${articleId}#${n}`);
    const profile = addToProfile(emptyProfile(), vectors);
    const tags = copyRecord(features.tags);
    const created = await stories.create({
      key,
      firstMs: timeMs,
      lastMs: timeMs,
      profile: profileToRecord(profile),
      tags,
    });
    const story = { ...created, profile, articleCount: 1 };
    this.save(story);
    return story;
  }

  /** Adds a new member to the story's span, count, tags and (unless it is a copy) profile. */
  private grow(story: Story, member: StoryMember, vectors: ArticleVectors | null): void {
    const tags = copyRecord(story.tags);
    addTags(tags, member.features.tags);
    this.save({
      ...story,
      firstMs: Math.min(story.firstMs, member.timeMs),
      lastMs: Math.max(story.lastMs, member.timeMs),
      articleCount: story.articleCount + 1,
      tags,
      profile: vectors ? addToProfile(story.profile, vectors) : story.profile,
    });
  }

  /** Recomputes a story from its members after one left or changed; deletes it when none is left. */
  private async rebuild(tx: AsyncTransaction, storyId: number): Promise<Story | null> {
    const stories = tx.stories;
    const stored = await this.stories.getOne(storyId);
    if (!stored) return null;
    const members = await stories.members(storyId);
    if (members.length === 0) {
      await stories.delete(storyId);
      this.stories.forget(storyId);
      this.keys.delete(storyId);
      return null;
    }
    const originals = members.filter((m) => m.copyOf === null);
    const profiled = originals.length > 0 ? originals : members;
    await this.terms.prefetch(profiled.flatMap((m) => featureTerms(m.features)));
    let profile = emptyProfile();
    for (const m of profiled) profile = addToProfile(profile, articleVectors(m.features, this.idf, m.timeMs));
    const tags = emptyRecord();
    let firstMs = Number.POSITIVE_INFINITY;
    let lastMs = Number.NEGATIVE_INFINITY;
    for (const m of members) {
      addTags(tags, m.features.tags);
      firstMs = Math.min(firstMs, m.timeMs);
      lastMs = Math.max(lastMs, m.timeMs);
    }
    const story: Story = { ...stored, profile, tags, firstMs, lastMs, articleCount: members.length };
    this.save(story);
    return story;
  }
}
