import type { Store, StoredArticle, TextQuery } from '../../storage/repositories.ts';
import { groupNearDuplicates } from '../stories/nearDuplicates.ts';
import type { ParsedQuery, QueryTerm } from './query.ts';
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
}

export interface SearchHit {
  article: StoredArticle;
  /** Other stored copies of the same story (wire copies on other portals). */
  copies: StoredArticle[];
  score: number;
  snippet: TextSegment[];
}

export interface SearchResult {
  hits: SearchHit[];
  /** Topics the query words were expanded through. */
  expandedTopics: string[];
  /** When nothing was found: close topic names or a broader query to try. */
  suggestions: string[];
}

export interface SearchOptions {
  limit: number;
  /** The clock: relative windows (`24h`) and recency are measured from here. */
  now: Date;
}

/** How many text candidates are re-ranked for every result shown. */
const CANDIDATES_PER_RESULT = 10;
const MIN_CANDIDATES = 60;
/** Recency half-life in hours: a two-day-old story weighs half as much as a fresh one on this term. */
const RECENCY_HALF_LIFE_H = 48;
/** Each further result from a source already shown is multiplied by this (source diversity). */
const SAME_SOURCE_DAMPING = 0.85;

interface ExpandedTerm {
  alternatives: string[];
  topicId: string | null;
}

/**
 * Expands the query's words: runs of up to four words that name a topic (`sk hynix`, `삼성전자`) become all
 * of the topic's aliases in both languages; other words stay as they are. Quoted phrases never expand.
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
        out.push({ alternatives: [...new Set([phrase, ...topic.aliases])], topicId: topic.topicId });
        i += span;
        matched = true;
        break;
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

/**
 * Searches the archive and ranks stories. score = 0.6·text + 0.25·recency + 0.15·topic, where text is the
 * candidate's BM25 (title ×3, body ×1) divided by the best candidate's, recency = 2^(−age/48 h) from the
 * clock, and topic = 1 when the article is tagged with a topic the query named. Copies of one story collapse
 * into one hit (the earliest is shown), and each further hit from an already-shown source is damped by 0.85.
 * Ties break on publication time (newest first), then id, so the order is deterministic.
 */
export function searchArchive(
  store: Store,
  topics: TopicLookup,
  query: ParsedQuery,
  options: SearchOptions,
): SearchResult {
  const expanded = expandTerms(query.terms, topics);
  const excluded = expandTerms(query.excluded, topics);
  const text: TextQuery = { all: expanded.map((e) => e.alternatives), none: excluded.map((e) => e.alternatives) };
  const nowMs = options.now.getTime();
  const since =
    query.withinHours !== null ? new Date(nowMs - query.withinHours * 3_600_000).toISOString() : query.since;
  const candidates = store.articles.search({
    text,
    since,
    until: query.until,
    lang: query.lang,
    sources: query.sources,
    topics: query.topics,
    limit: Math.max(MIN_CANDIDATES, options.limit * CANDIDATES_PER_RESULT),
  });
  const topicIds = new Set(expanded.map((e) => e.topicId).filter((t): t is string => t !== null));
  const expandedTopics = [...topicIds];
  if (candidates.length === 0) return { hits: [], expandedTopics, suggestions: suggest(query, topics) };

  const articles = new Map(store.articles.getMany(candidates.map((c) => c.articleId)).map((a) => [a.id, a]));
  const bestText = Math.max(...candidates.map((c) => c.textScore), 0);
  const scored = candidates
    .map((c) => {
      const article = articles.get(c.articleId);
      if (!article) return null;
      const textPart = bestText > 0 ? c.textScore / bestText : 1;
      const ageHours = Math.max(0, (nowMs - publishedMs(article)) / 3_600_000);
      const recency = 2 ** (-ageHours / RECENCY_HALF_LIFE_H);
      const topicPart = article.topics.some((t) => topicIds.has(t.id)) ? 1 : 0;
      return { article, score: 0.6 * textPart + 0.25 * recency + 0.15 * topicPart };
    })
    .filter((s): s is { article: StoredArticle; score: number } => s !== null)
    .sort(
      (a, b) => b.score - a.score || publishedMs(b.article) - publishedMs(a.article) || a.article.id - b.article.id,
    );

  const groups = groupNearDuplicates(
    scored.map((s) => ({ id: s.article.id, title: s.article.title, body: s.article.paragraphs.join('\n'), s })),
  );
  const perSource = new Map<string, number>();
  const needles = expanded.flatMap((e) => e.alternatives);
  const hits = groups
    .map((group) => {
      const members = group.map((g) => g.s);
      const earliest = [...members].sort(
        (a, b) => publishedMs(a.article) - publishedMs(b.article) || a.article.id - b.article.id,
      )[0] as (typeof members)[number];
      return { lead: earliest.article, best: members[0] as (typeof members)[number], members };
    })
    .map(({ lead, best, members }) => {
      const source = (lead.sourceName ?? '').toLowerCase();
      const seen = perSource.get(source) ?? 0;
      perSource.set(source, seen + 1);
      return {
        article: lead,
        copies: members.map((m) => m.article).filter((a) => a.id !== lead.id),
        score: best.score * SAME_SOURCE_DAMPING ** seen,
      };
    })
    .sort((a, b) => b.score - a.score || publishedMs(b.article) - publishedMs(a.article) || a.article.id - b.article.id)
    .slice(0, options.limit)
    .map((hit) => ({ ...hit, snippet: buildSnippet(hit.article.paragraphs, needles) }));
  return { hits, expandedTopics, suggestions: [] };
}

function suggest(query: ParsedQuery, topics: TopicLookup): string[] {
  const out = new Set<string>();
  for (const term of query.terms) for (const id of topics.suggest(term.text, 3)) out.add(id);
  return [...out].slice(0, 5);
}
