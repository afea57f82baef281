/**
 * The topic catalog as the rest of the engine uses it: the merged catalog (file + user config), the tagger
 * for ingestion, a lookup for search and commands, and the rows the store keeps. The shapes are declared here
 * structurally so topics/ depends on nothing else in the engine.
 */

import {
  ancestorMap,
  loadTopicCatalog,
  mergeTopics,
  type Topic,
  type TopicCatalog,
  type UserTopic,
} from './catalog.ts';
import { createGlossary } from './glossary.ts';
import { aliasKey } from './normalize.ts';
import { createTagger, type QueryExpansion, type Tagger } from './tagger.ts';

export interface TopicRow {
  id: string;
  nameEn: string;
  nameKo: string;
  kind: string;
  parentId: string | null;
}

export interface TopicLookupService {
  expand(term: string): QueryExpansion | null;
  /** Display name in a language (`ko` by default); the id itself for an unknown topic. */
  displayName(topicId: string, lang?: 'ko' | 'en'): string;
  /** Topic ids whose names or aliases are close to the term (prefix or a small typo), best first. */
  suggest(term: string, limit: number): string[];
  has(topicId: string): boolean;
  kind(topicId: string): string | undefined;
  /** Every topic below this one (its children, their children …), nearest first. */
  descendants(topicId: string): string[];
  /** Every topic above this one (its parent, the parent's parent …), nearest first. */
  ancestors(topicId: string): readonly string[];
  /** The glossary words (both languages) a plain word or phrase means, or null. */
  translate(term: string): string[] | null;
}

export interface TopicServices {
  catalog: TopicCatalog;
  /**
   * `tagsOf` gives the mentioned topics (weight = mentions) and their ancestors (weight 0 when only inherited),
   * so `topic:samsung-electronics` also finds 갤럭시 articles.
   */
  tagger: Tagger & { tagsOf(text: string): { id: string; weight: number }[] };
  lookup: TopicLookupService;
  records: TopicRow[];
}

export function loadTopicServices(
  catalogPath: string,
  userTopics: readonly UserTopic[] = [],
  userSource = 'newsbrief.yaml',
): TopicServices {
  const base = loadTopicCatalog(catalogPath);
  const catalog = userTopics.length > 0 ? mergeTopics(base, userTopics, userSource) : base;
  return createTopicServices(catalog);
}

export function createTopicServices(catalog: TopicCatalog): TopicServices {
  const ancestors = ancestorMap(catalog);
  const tagger = createTagger(catalog, ancestors);
  const suggest = createSuggester(catalog.topics);
  const glossary = createGlossary(catalog.glossary);
  return {
    catalog,
    tagger: {
      ...tagger,
      tagsOf: (text) =>
        tagger.tag(text, { includeParents: true }).map((m) => ({ id: m.topicId, weight: m.inherited ? 0 : m.count })),
    },
    lookup: {
      expand: (term) => tagger.expandQueryTerm(term),
      displayName: (topicId, lang = 'ko') => catalog.byId.get(topicId)?.names[lang] ?? topicId,
      suggest,
      has: (topicId) => catalog.byId.has(topicId),
      kind: (topicId) => catalog.byId.get(topicId)?.kind,
      descendants: descendantsOf(catalog.topics),
      ancestors: (topicId) => ancestors.get(topicId) ?? [],
      translate: (term) => glossary.translate(term),
    },
    records: catalog.topics.map((t) => ({
      id: t.id,
      nameEn: t.names.en,
      nameKo: t.names.ko,
      kind: t.kind,
      parentId: t.parent ?? null,
    })),
  };
}

function descendantsOf(topics: readonly Topic[]): (topicId: string) => string[] {
  const children = new Map<string, string[]>();
  for (const topic of topics) {
    if (topic.parent === undefined) continue;
    const list = children.get(topic.parent);
    if (list) list.push(topic.id);
    else children.set(topic.parent, [topic.id]);
  }
  return (topicId) => {
    const out: string[] = [];
    const seen = new Set([topicId]);
    for (let i = -1; i < out.length; i++) {
      for (const child of children.get(i < 0 ? topicId : (out[i] as string)) ?? []) {
        if (seen.has(child)) continue;
        seen.add(child);
        out.push(child);
      }
    }
    return out;
  };
}

function createSuggester(topics: readonly Topic[]): (term: string, limit: number) => string[] {
  const entries = topics.flatMap((t) =>
    [t.names.en, t.names.ko, ...t.aliases].map((alias) => ({ id: t.id, key: aliasKey(alias) })),
  );
  return (term, limit) => {
    const key = aliasKey(term);
    if (key.length < 2 || limit <= 0) return [];
    const best = new Map<string, number>();
    for (const entry of entries) {
      const score = closeness(key, entry.key);
      if (score > 0 && score > (best.get(entry.id) ?? 0)) best.set(entry.id, score);
    }
    return [...best]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, limit)
      .map(([id]) => id);
  };
}

/** 0 when unrelated; higher is closer: exact 4, prefix 3, one typo 2, two typos (long words) 1. */
function closeness(term: string, alias: string): number {
  if (term === alias) return 4;
  if (alias.startsWith(term) || (term.startsWith(alias) && alias.length >= 2)) return 3;
  const allowed = term.length >= 8 ? 2 : term.length >= 3 ? 1 : 0;
  if (allowed === 0 || Math.abs(term.length - alias.length) > allowed) return 0;
  const distance = editDistance(term, alias, allowed);
  return distance <= allowed ? 3 - distance : 0;
}

/** Edit distance counting a swap of neighbours as one edit (`nvidai` → `nvidia`); `max + 1` once beyond `max`. */
function editDistance(a: string, b: string, max: number): number {
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (before[j - 2] ?? 0) + 1);
      }
      row.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
    before = prev;
    prev = row;
  }
  return prev[b.length] ?? max + 1;
}
