import type { AsyncTransaction } from '../../storage/asyncStore.ts';
import type { SearchCandidate, StoredArticle, TopicTag } from '../../storage/repositories.ts';
import { groupNearDuplicates } from '../stories/nearDuplicates.ts';
import { searchTokens } from '../text/searchTokens.ts';
import { broaderQueries, type ParsedQuery, parseQuery, type QueryTerm } from './query.ts';
import { buildSnippet, type TextSegment } from './snippet.ts';

/** The engine's view of the topic catalog, for query expansion and suggestions. */
export interface TopicLookup {
  /** The topic a word or phrase names (any alias, either language), with all its aliases. */
  expand(term: string): { topicId: string; aliases: string[] } | null;
  /** Display name of a topic in a language (falls back to the other language). */
  displayName(topicId: string, lang?: 'ko' | 'en'): string;
  /** Topic ids whose names or aliases are close to the term, best first. */
  suggest(term: string, limit: number): string[];
  has(topicId: string): boolean;
  /** The topic's kind (`company`, `product`, `person`, `technology`, `group`), for reports. */
  kind?(topicId: string): string | undefined;
  /** Every topic below this one (children, their children …): an article about one is about this topic too. */
  descendants?(topicId: string): string[];
  /** Every topic above this one (parent, grandparent …). */
  ancestors?(topicId: string): readonly string[];
  /** The glossary words (both languages) a plain word or phrase means (`headset` → 헤드셋), or null. */
  translate?(term: string): string[] | null;
}

/**
 * One result: a story. `article` is its best-ranked article (the earliest of that article's wire copies);
 * `storyArticles` are the story's other articles the query found, in every language and from every source:
 * first the wire copies of `article`, then the rest in rank order; `copies` are the same, one per source other
 * than the article's own (what a reply lists as "N sources"). Five hits are five different stories.
 */
export interface SearchHit {
  article: StoredArticle;
  /** The story on other sources: of `storyArticles`, the first of each source other than `article`'s. */
  copies: StoredArticle[];
  /** Every other article of the story the query found (wire copies of `article` first, then by rank). */
  storyArticles: StoredArticle[];
  /** The stored story (see src/stories/) the hit stands for; null for an article not clustered yet. */
  storyId: number | null;
  score: number;
  snippet: TextSegment[];
}

export interface SearchResult {
  hits: SearchHit[];
  /** Topics the query words were expanded through. */
  expandedTopics: string[];
  /** When nothing was found: topics whose names are close to the query's words (typos, prefixes). */
  suggestions: string[];
  /** When nothing was found: broader queries that do find something (a word, filter or window dropped). */
  broaderQueries: string[];
  /**
   * Stories left out because they only mention a company or person the query named in passing (once, not in
   * the title) while other stories are about it: how many of those read were left out.
   */
  passingMentions: number;
}

export interface SearchOptions {
  limit: number;
  /** The clock: relative windows (`24h`) and recency are measured from here. */
  now: Date;
}

// ── Ranking constants (the formula is explained at `rankCandidates`) ─────────────────────────────────────
const TEXT_WEIGHT = 0.6;
const RECENCY_WEIGHT = 0.25;
const TOPIC_WEIGHT = 0.15;
/** Recency half-life in hours: a two-day-old story weighs half as much as a fresh one on this part. */
const RECENCY_HALF_LIFE_H = 48;
/** A topic mentioned this often (or more) counts fully; fewer mentions count in proportion. */
const TOPIC_FULL_MENTIONS = 2;
/** A topic present only through a child topic (갤럭시 for 삼성전자) counts this much. */
const TOPIC_INHERITED = 0.25;
/** Each further source carrying the same story adds this (log2-scaled): a story many outlets ran ranks higher. */
const SOURCES_BOOST = 0.03;
/** Each further result from a source already shown is multiplied by this (source diversity). */
const SAME_SOURCE_DAMPING = 0.85;
/** The text side ranks at most this many of the newest matches of a very common word. */
const RANK_WINDOW = 250;
/** How many stories are read in full and ranked, per result shown (passing mentions and damping need spares). */
const STORIES_PER_RESULT = 3;
const MIN_STORY_CANDIDATES = 15;
/** Articles of one story read in full at most (they are listed in its hit; its rank comes from the best of them). */
const ARTICLES_PER_STORY = 16;
/** Articles read in full at most, per story ranked: a few big stories must not make a query read hundreds. */
const ARTICLES_PER_RANKED_STORY = 3;
/** Bodies compared for copies are cut to this many characters: copies agree from their first lines. */
const COPY_COMPARE_CHARS = 800;
/** An empty result tries at most this many broader queries and offers at most three that find something. */
const MAX_BROADER_TRIES = 6;
const MAX_BROADER_QUERIES = 3;

/** One concept of the query: a word or phrase, or everything a topic is called. */
export interface ExpandedTerm {
  /** Alternatives searched as text (case-blind): the words as typed and the topic's other aliases. */
  alternatives: string[];
  /** The topic the words name, or null for a plain word. */
  topicId: string | null;
}

/**
 * Expands the query's words: runs of up to four words that name a topic (`sk hynix`, `삼성전자`) become all of
 * the topic's aliases in both languages; else runs of up to three found in the glossary become the word in
 * both languages (`headset` → 헤드셋); other words stay as they are. Quoted phrases never expand. A topic's
 * articles are then those tagged with it (the tagger knows `MS` from "10 ms" and 애플 from 파인애플); its
 * aliases find and rank them as text. Aliases made only of single letters (`A.I.`) are left out of the text:
 * every article has an "a".
 */
export function expandTerms(terms: readonly QueryTerm[], topics: TopicLookup): ExpandedTerm[] {
  const out: ExpandedTerm[] = [];
  for (let i = 0; i < terms.length; ) {
    const term = terms[i] as QueryTerm;
    if (term.quoted) {
      out.push({ alternatives: [term.text], topicId: null });
      i++;
      continue;
    }
    let matched = false;
    for (let span = Math.min(4, terms.length - i); span >= 1; span--) {
      const words = terms.slice(i, i + span);
      if (words.some((w) => w.quoted)) continue;
      const phrase = words.map((w) => w.text).join(' ');
      const topic = topics.expand(phrase);
      if (topic) {
        const aliases = topic.aliases.filter((alias) => searchTokens(alias).some((token) => token.length > 1));
        out.push({ alternatives: [...new Set([phrase, ...aliases])], topicId: topic.topicId });
        i += span;
        matched = true;
        break;
      }
    }
    for (let span = Math.min(3, terms.length - i); !matched && span >= 1; span--) {
      const words = terms.slice(i, i + span);
      if (words.some((w) => w.quoted)) continue;
      const phrase = words.map((w) => w.text).join(' ');
      const translations = topics.translate?.(phrase);
      if (translations) {
        out.push({ alternatives: [...new Set([phrase, ...translations])], topicId: null });
        i += span;
        matched = true;
      }
    }
    if (!matched) {
      out.push({ alternatives: [term.text], topicId: null });
      i++;
    }
  }
  return out;
}

function publishedMs(article: StoredArticle): number {
  const ms = article.publishedAt ? Date.parse(article.publishedAt) : Number.NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

interface Ranked {
  article: StoredArticle;
  score: number;
  /** The article names a company or person the query named only in passing (see `isPassingMention`). */
  passing: boolean;
}

/**
 * The ranking formula, per article:
 *
 *   score = 0.6·text + 0.25·recency + 0.15·topic
 *
 * - text: from the index (see `storage/sqlite/articleSearch.ts`): each concept of the query counts 3 when it is
 *   in the title, 1 when only in the body, over 3 × concepts; divided by the best candidate's, so it lies in
 *   [0, 1] whatever the query. Articles found only through their topic tags have 0. (How often the body names
 *   the subject, BM25's term frequency, comes in through the topic part: tags count mentions.)
 * - recency: 2^(−age / 48 h), age from the search clock (a two-day-old article gets half).
 * - topic: for each topic the query named, 1 when the article mentions it at least twice, 0.5 once, 0.25 when
 *   the topic is only inherited from a child topic (갤럭시 → 삼성전자); averaged over the named topics. This lifts
 *   articles about the topic above ones that mention it in passing.
 *
 * Text and recency pick the candidates worth reading in full (the best articles of the best stories, see
 * `keepByStory`); the topic part, which needs the article's tags, is added to those. Then per story (the story
 * computed at ingestion, with every wire copy, see `toStories`): the best member's score plus 0.03·log2(sources)
 * for a story several outlets carried (passing mentions aside); results are picked greedily,
 * each pick damping its source's later stories by 0.85 (source diversity). Ties break on publication time
 * (newest first), then id, so the order is deterministic.
 */
async function rankCandidates(
  store: AsyncTransaction,
  topics: TopicLookup,
  candidates: readonly SearchCandidate[],
  namedTopics: readonly NamedTopic[],
  nowMs: number,
  keepStories: number,
): Promise<{ ranked: Ranked[]; storyOf: ReadonlyMap<number, number> }> {
  const bestText = Math.max(0, ...candidates.map((c) => c.textScore));
  // The named topics with their ancestors and descendants: an article naming these is not about someone else.
  const relatedToQuery = new Set(
    namedTopics.flatMap((named) => [named.id, ...named.descendants, ...(topics.ancestors?.(named.id) ?? [])]),
  );
  const firstPass = candidates
    .map((candidate) => {
      const text = bestText > 0 ? Math.max(0, candidate.textScore) / bestText : 0;
      const published = candidate.publishedMs ?? null;
      const ageHours = published === null ? Number.POSITIVE_INFINITY : Math.max(0, (nowMs - published) / 3_600_000);
      const recency = 2 ** (-ageHours / RECENCY_HALF_LIFE_H);
      return { candidate, score: TEXT_WEIGHT * text + RECENCY_WEIGHT * recency };
    })
    .sort((a, b) => b.score - a.score || byNewest(a.candidate, b.candidate));
  const storyOf = await store.stories.storyIds(firstPass.map((r) => r.candidate.articleId));
  const kept = keepByStory(
    firstPass.map((r) => r.candidate.articleId),
    storyOf,
    keepStories,
  );
  const articles = new Map((await store.articles.getMany(kept)).map((a) => [a.id, a]));
  const ranked = firstPass
    .flatMap(({ candidate, score }) => {
      const article = articles.get(candidate.articleId);
      if (!article) return [];
      const topic =
        namedTopics.length === 0
          ? 0
          : namedTopics.reduce((sum, named) => sum + topicMatch(article.topics, named), 0) / namedTopics.length;
      const passing = namedTopics.some(
        (named) => isPassingMention(article.topics, named, relatedToQuery, topics) && !inTitle(article.title, named),
      );
      return [{ article, score: score + TOPIC_WEIGHT * topic, passing }];
    })
    .sort(byRank);
  return { ranked, storyOf };
}

function byRank(a: Ranked, b: Ranked): number {
  return b.score - a.score || publishedMs(b.article) - publishedMs(a.article) || a.article.id - b.article.id;
}

/**
 * The articles worth reading in full, from candidates in first-pass order: those of the best `keepStories`
 * stories (an article without a story is a story of its own), at most `ARTICLES_PER_STORY` of each and
 * `ARTICLES_PER_RANKED_STORY` per story overall, so a story covered by twenty outlets cannot crowd the others
 * out of the ranking, nor make the query read twenty bodies.
 */
function keepByStory(ids: readonly number[], storyOf: ReadonlyMap<number, number>, keepStories: number): number[] {
  const perStory = new Map<number, number>();
  const kept: number[] = [];
  const maxArticles = keepStories * ARTICLES_PER_RANKED_STORY;
  for (const id of ids) {
    if (kept.length >= maxArticles) break;
    // Negative keys for unclustered articles: story ids are positive.
    const story = storyOf.get(id) ?? -id;
    const count = perStory.get(story);
    if (count === undefined) {
      if (perStory.size >= keepStories) continue;
      perStory.set(story, 1);
    } else if (count < ARTICLES_PER_STORY) {
      perStory.set(story, count + 1);
    } else continue;
    kept.push(id);
  }
  return kept;
}

/** A topic the query named, with every topic below it. */
interface NamedTopic {
  id: string;
  descendants: ReadonlySet<string>;
  /** A company, group or person: an article can mention it in passing (see `isPassingMention`). */
  entity: boolean;
  /** The search tokens of each of its names, to find them in titles. */
  names: string[][];
}

/** Whether the title holds one of the topic's names (its search tokens in a row: `삼성전자가` holds 삼성전자). */
function inTitle(title: string, named: NamedTopic): boolean {
  const tokens = searchTokens(title);
  return named.names.some((name) => {
    for (let i = 0; i + name.length <= tokens.length; i++) if (name.every((t, k) => tokens[i + k] === t)) return true;
    return false;
  });
}

/** Topic kinds an article can name in passing; technologies and products are often named once and still the subject. */
const ENTITY_KINDS = new Set(['company', 'group', 'person']);
/** A named entity is the article's subject while it is named at least this share as often as its leading entity. */
const SUBJECT_SHARE = 2 / 3;

/**
 * True when the article names an entity the query named far less often than another company or person (the
 * query's entities with the topics above and below them aside): "… as Apple did last year" in a story about
 * Samsung. An entity named in the title is never passing (the caller checks). On the labelled sample every
 * article about the entity names it the most.
 */
function isPassingMention(
  tags: readonly TopicTag[],
  named: NamedTopic,
  relatedToQuery: ReadonlySet<string>,
  topics: TopicLookup,
): boolean {
  if (!named.entity) return false;
  let own = 0;
  let below = 0;
  let leading = 0;
  for (const tag of tags) {
    if (tag.id === named.id) own = tag.weight;
    else if (named.descendants.has(tag.id)) below = Math.max(below, tag.weight);
    else if (ENTITY_KINDS.has(topics.kind?.(tag.id) ?? '') && !relatedToQuery.has(tag.id))
      leading = Math.max(leading, tag.weight);
  }
  const mentions = own > 0 ? own : below;
  return mentions < SUBJECT_SHARE * leading;
}

/**
 * How much an article is about a named topic, from its tags: its mentions (which already count the mentions of
 * its children), or when it is only inherited, the mentions of its most mentioned descendant (LG전자 ×5 makes an
 * article about LG): 1 from two mentions on, 0.5 for one, 0.25 when nothing below it is mentioned either.
 */
function topicMatch(tags: readonly TopicTag[], named: NamedTopic): number {
  let own: number | null = null;
  let below = 0;
  for (const tag of tags) {
    if (tag.id === named.id) own = tag.weight;
    else if (named.descendants.has(tag.id)) below = Math.max(below, tag.weight);
  }
  if (own === null && below === 0) return 0;
  const mentions = own !== null && own > 0 ? own : below;
  return mentions > 0 ? Math.min(1, mentions / TOPIC_FULL_MENTIONS) : TOPIC_INHERITED;
}

function byNewest(a: SearchCandidate, b: SearchCandidate): number {
  return (b.publishedMs ?? 0) - (a.publishedMs ?? 0) || a.articleId - b.articleId;
}

interface Story {
  lead: StoredArticle;
  /** The lead first, then its wire copies (earliest first), then the story's other articles in rank order. */
  members: StoredArticle[];
  storyId: number | null;
  score: number;
  /** Most of its articles only mention a named company or person in passing. */
  passing: boolean;
}

/**
 * Groups wire copies: through the copy links stored at ingestion when every article was indexed, else (an
 * archive partly indexed) by comparing the texts, as `groupNearDuplicates` does. Groups come in rank order.
 */
async function copyGroups(
  store: AsyncTransaction,
  ranked: readonly Ranked[],
  storyOf: ReadonlyMap<number, number>,
): Promise<Ranked[][]> {
  if (ranked.some((r) => !storyOf.has(r.article.id))) {
    const items = ranked.map((r) => ({
      id: r.article.id,
      title: r.article.title,
      body: r.article.paragraphs.join('\n').slice(0, COPY_COMPARE_CHARS),
      ranked: r,
    }));
    return groupNearDuplicates(items).map((group) => group.map((item) => item.ranked));
  }
  const index = new Map(ranked.map((r, i) => [r.article.id, i]));
  const parent = ranked.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i] as number] as number;
    return i;
  };
  for (const [a, b] of await store.duplicates.linksAmong(ranked.map((r) => r.article.id))) {
    const ra = find(index.get(a) as number);
    const rb = find(index.get(b) as number);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
  const groups = new Map<number, Ranked[]>();
  ranked.forEach((r, i) => {
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(r);
    else groups.set(root, [r]);
  });
  return [...groups.values()];
}

/**
 * Collapses the ranked articles into stories: the stories computed at ingestion (src/stories/), joined with
 * any wire copies. The story's best-ranked article leads (the earliest of its wire copies, the original, in
 * its place), preferring one about what the query named over a passing mention; the best article's score
 * counts, plus a little for each further source.
 */
async function toStories(
  store: AsyncTransaction,
  ranked: readonly Ranked[],
  storyOf: ReadonlyMap<number, number>,
): Promise<Story[]> {
  const groups = await copyGroups(store, ranked, storyOf);
  // Copy groups of one story join; a group holding articles of two stories joins both (copies of one wire
  // story are placed in one story at ingestion, so this only happens in a partly indexed archive).
  const parent = groups.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i] as number] as number;
    return i;
  };
  const groupOfStory = new Map<number, number>();
  groups.forEach((group, i) => {
    for (const r of group) {
      const story = storyOf.get(r.article.id);
      if (story === undefined) continue;
      const seen = groupOfStory.get(story);
      if (seen === undefined) groupOfStory.set(story, i);
      else {
        const [a, b] = [find(seen), find(i)];
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  });
  const byRoot = new Map<number, Ranked[][]>();
  groups.forEach((group, i) => {
    const root = find(i);
    const list = byRoot.get(root);
    if (list) list.push(group);
    else byRoot.set(root, [group]);
  });
  return [...byRoot.values()].map((storyGroups) => {
    // Groups by their best article (each group is in rank order): the best about the query first.
    const ordered = [...storyGroups].sort(
      (a, b) =>
        Number((a[0] as Ranked).passing) - Number((b[0] as Ranked).passing) || byRank(a[0] as Ranked, b[0] as Ranked),
    );
    const [leadGroup, ...others] = ordered as [Ranked[], ...Ranked[][]];
    const copies = leadGroup.map((r) => r.article).sort((a, b) => publishedMs(a) - publishedMs(b) || a.id - b.id);
    const lead = copies[0] as StoredArticle;
    const rest = others
      .flat()
      .sort(byRank)
      .map((r) => r.article);
    const members = [...copies, ...rest];
    // Articles that only mention the query's subject in passing neither rank the story nor count as sources;
    // a story most of whose articles found mention it only in passing is itself a passing mention (one headline
    // naming the company does not make a story about someone else about it).
    const all = storyGroups.flat();
    const about = all.filter((r) => !r.passing);
    const counted = about.length > 0 ? about : all;
    const sources = new Set(counted.map((r) => (r.article.sourceName ?? '').toLowerCase())).size;
    const best = Math.max(...counted.map((r) => r.score));
    return {
      lead,
      members,
      storyId: storyOf.get(lead.id) ?? null,
      score: best + SOURCES_BOOST * Math.log2(sources),
      passing: about.length * 2 < all.length,
    };
  });
}

/** Greedy pick: the best story first; a source's later stories are damped by each story it already has. */
function pickDiverse(stories: readonly Story[], limit: number): Story[] {
  const left = [...stories];
  const shown = new Map<string, number>();
  const picked: Story[] = [];
  const damped = (s: Story) =>
    s.score * SAME_SOURCE_DAMPING ** (shown.get((s.lead.sourceName ?? '').toLowerCase()) ?? 0);
  while (picked.length < limit && left.length > 0) {
    let best = 0;
    for (let i = 1; i < left.length; i++) {
      const a = left[i] as Story;
      const b = left[best] as Story;
      const diff = damped(a) - damped(b);
      if (diff > 0 || (diff === 0 && (publishedMs(a.lead) - publishedMs(b.lead) || b.lead.id - a.lead.id) > 0))
        best = i;
    }
    const story = left.splice(best, 1)[0] as Story;
    const source = (story.lead.sourceName ?? '').toLowerCase();
    story.score = damped(story);
    shown.set(source, (shown.get(source) ?? 0) + 1);
    picked.push(story);
  }
  return picked;
}

/** Searches the archive and ranks stories (see `rankCandidates` for the formula). */
export async function searchArchive(
  store: AsyncTransaction,
  topics: TopicLookup,
  query: ParsedQuery,
  options: SearchOptions,
): Promise<SearchResult> {
  const { hits, passingMentions } = await findStories(store, topics, query, options);
  const expandedTopics = [
    ...new Set(
      expandTerms(query.terms, topics)
        .map((e) => e.topicId)
        .filter((t): t is string => t !== null),
    ),
  ];
  if (hits.length > 0) return { hits, expandedTopics, suggestions: [], broaderQueries: [], passingMentions };
  const broader: string[] = [];
  for (const text of broaderQueries(query.raw).slice(0, MAX_BROADER_TRIES)) {
    if (broader.length === MAX_BROADER_QUERIES) break;
    const found = await findStories(store, topics, parseQuery(text), { ...options, limit: 1 });
    if (found.hits.length > 0) broader.push(text);
  }
  return { hits, passingMentions, expandedTopics, suggestions: suggestTopics(query, topics), broaderQueries: broader };
}

async function findStories(
  store: AsyncTransaction,
  topics: TopicLookup,
  query: ParsedQuery,
  options: SearchOptions,
): Promise<{ hits: SearchHit[]; passingMentions: number }> {
  const none = { hits: [], passingMentions: 0 };
  const limit = Math.max(0, Math.floor(options.limit));
  if (limit === 0) return none;
  const expanded = expandTerms(query.terms, topics);
  const excluded = expandTerms(query.excluded, topics);
  // Topics named by words, or by `topic:` (ranking among a topic's articles prefers the ones about it).
  const named = [...expanded.map((e) => e.topicId).filter((t) => t !== null), ...query.topics];
  const namedTopics: NamedTopic[] = [...new Set(named)].map((id) => ({
    id,
    descendants: new Set(topics.descendants?.(id) ?? []),
    entity: ENTITY_KINDS.has(topics.kind?.(id) ?? ''),
    names: expanded
      .filter((e) => e.topicId === id)
      .flatMap((e) => e.alternatives.map((alternative) => searchTokens(alternative)))
      .filter((tokens) => tokens.length > 0),
  }));
  const nowMs = options.now.getTime();
  const since =
    query.withinHours !== null ? new Date(nowMs - query.withinHours * 3_600_000).toISOString() : query.since;
  const candidates = await store.articles.search({
    text: {
      all: expanded.map((e) => e.alternatives),
      none: excluded.map((e) => e.alternatives),
      allTopics: expanded.map((e) => e.topicId),
    },
    since,
    until: query.until,
    lang: query.lang,
    sources: query.sources,
    topics: query.topics,
    rankWindow: RANK_WINDOW,
    limit: RANK_WINDOW,
  });
  if (candidates.length === 0) return none;

  const keepStories = Math.max(MIN_STORY_CANDIDATES, limit * STORIES_PER_RESULT);
  const { ranked, storyOf } = await rankCandidates(store, topics, candidates, namedTopics, nowMs, keepStories);
  const needles = expanded.flatMap((e) => e.alternatives);
  const stories = await toStories(store, ranked, storyOf);
  // Passing mentions are left out when some story is about what the query named; else they are all there is.
  const about = stories.filter((story) => !story.passing);
  const shown = about.length > 0 ? about : stories;
  const hits = pickDiverse(shown, limit).map((story) => {
    const storyArticles = story.members.filter((a) => a.id !== story.lead.id);
    return {
      article: story.lead,
      copies: onePerSource(story.lead, storyArticles),
      storyArticles,
      storyId: story.storyId,
      score: story.score,
      snippet: buildSnippet(story.lead.paragraphs, needles),
    };
  });
  return { hits, passingMentions: stories.length - shown.length };
}

/** The first article of each source other than the lead's (an article without a source name is its own). */
function onePerSource(lead: StoredArticle, articles: readonly StoredArticle[]): StoredArticle[] {
  const sourceOf = (a: StoredArticle) => a.sourceName?.trim().toLowerCase() || `#${a.id}`;
  const seen = new Set([sourceOf(lead)]);
  return articles.filter((a) => {
    const source = sourceOf(a);
    if (seen.has(source)) return false;
    seen.add(source);
    return true;
  });
}

/** Topics close to the query's words (typos, prefixes), leaving out the ones the query already names. */
function suggestTopics(query: ParsedQuery, topics: TopicLookup): string[] {
  const named = new Set(expandTerms(query.terms, topics).map((e) => e.topicId));
  const out = new Set<string>();
  for (const term of query.terms) for (const id of topics.suggest(term.text, 3)) if (!named.has(id)) out.add(id);
  return [...out].slice(0, 5);
}
