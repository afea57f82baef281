/**
 * The topic catalog (`config/topics.yaml`): companies, products, people and technologies with their names in
 * both languages and every common alias. Loading validates it completely and reports every mistake with the
 * file, the entry and the field, because a silent alias clash would mis-tag articles for good.
 */

import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { aliasKey, exactForm } from './normalize.ts';

export const TOPIC_KINDS = ['company', 'product', 'person', 'technology', 'group'] as const;
export type TopicKind = (typeof TOPIC_KINDS)[number];

export interface Topic {
  /** Kebab-case ASCII, stable: stored with articles and named in channel subscriptions. */
  id: string;
  kind: TopicKind;
  /** Display names; both also match as aliases. */
  names: { en: string; ko: string };
  /** Every other spelling, in both languages. */
  aliases: string[];
  /** The broader topic: 삼성전자 → samsung-group, 갤럭시 → samsung-electronics, a person → their company. */
  parent?: string;
  /** Names or aliases that match only exactly as written (`MS`, `AI`, `Meta`), never `ms`, `ai`, `meta`. */
  caseSensitive: string[];
  /** Phrases in which this topic's aliases do not count (`Apple Daily`, `메타 분석`). */
  exclude: string[];
}

export interface TopicCatalog {
  /** Where the topics came from, for messages: `config/topics.yaml`, or `config/topics.yaml + newsbrief.yaml`. */
  source: string;
  topics: readonly Topic[];
  byId: ReadonlyMap<string, Topic>;
  /** Everyday words that mean the same in both languages (`headset` = 헤드셋), for queries; they tag nothing. */
  glossary: readonly (readonly string[])[];
}

/** A topic in a user's own config: a new topic, or more aliases (and exclusions) for a catalog topic. */
export interface UserTopic {
  id: string;
  /** Defaults to `company` for a new topic. */
  kind?: TopicKind;
  names?: { en?: string; ko?: string };
  aliases?: string[];
  parent?: string;
  caseSensitive?: string[];
  exclude?: string[];
}

export class TopicCatalogError extends Error {
  override name = 'TopicCatalogError';
  /** One line per mistake, each starting with file, entry and field. */
  readonly issues: readonly string[];

  constructor(issues: readonly string[]) {
    const count = issues.length === 1 ? 'a mistake' : `${issues.length} mistakes`;
    super(`The topic catalog has ${count}:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.issues = issues;
  }
}

/** Names first, then aliases, without exact repeats. */
export function topicAliases(topic: Topic): string[] {
  return [...new Set([topic.names.ko, topic.names.en, ...topic.aliases])];
}

// ── Schemas ───────────────────────────────────────────────────────────────────────────────────────────

const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function text() {
  return z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .trim()
    .min(1, { error: 'must not be empty' });
}

function textList() {
  return z
    .array(text(), { error: 'must be a list of strings' })
    .nullish()
    .transform((list) => list ?? []);
}

function strictError(issue: { code: string; input?: unknown; keys?: string[] }): string {
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue.keys ?? []).map((k) => `"${k}"`).join(', ');
    return `unknown field ${keys} (allowed: id, kind, names, aliases, parent, caseSensitive, exclude)`;
  }
  return issue.input === undefined ? 'is required' : 'must be a mapping';
}

const kindSchema = z.enum(TOPIC_KINDS, {
  error: (issue) =>
    issue.input === undefined
      ? 'is required'
      : `must be one of ${TOPIC_KINDS.join(', ')} (got ${JSON.stringify(issue.input)})`,
});

const topicSchema = z.strictObject(
  {
    id: text(),
    kind: kindSchema,
    names: z.strictObject({ en: text(), ko: text() }, { error: strictError }),
    aliases: textList(),
    parent: text().optional(),
    caseSensitive: textList(),
    exclude: textList(),
  },
  { error: strictError },
);

const userTopicSchema = z.strictObject(
  {
    id: text(),
    kind: kindSchema.optional(),
    names: z.strictObject({ en: text().optional(), ko: text().optional() }, { error: strictError }).optional(),
    aliases: textList(),
    parent: text().optional(),
    caseSensitive: textList(),
    exclude: textList(),
  },
  { error: strictError },
);

// ── Loading ───────────────────────────────────────────────────────────────────────────────────────────

/** Reads and validates a catalog file; throws `TopicCatalogError` listing every mistake. */
export function loadTopicCatalog(path: string): TopicCatalog {
  let yamlText: string;
  try {
    yamlText = readFileSync(path, 'utf8');
  } catch (error) {
    throw new TopicCatalogError([`${path}: cannot read the topic catalog (${(error as Error).message})`]);
  }
  return parseTopicCatalog(yamlText, path);
}

/** Parses and validates catalog YAML (`topics:` list); `sourceName` names the file in messages. */
export function parseTopicCatalog(yamlText: string, sourceName: string): TopicCatalog {
  const doc = parseDocument(yamlText);
  if (doc.errors.length > 0) {
    throw new TopicCatalogError(doc.errors.map((e) => `${sourceName}: YAML syntax: ${firstLine(e.message)}`));
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (!isRecord(data) || !Array.isArray(data.topics)) {
    throw new TopicCatalogError([`${sourceName}: must be a mapping with a "topics:" list`]);
  }
  const issues: string[] = [];
  for (const key of Object.keys(data)) {
    if (key !== 'topics' && key !== 'version' && key !== 'glossary') {
      issues.push(`${sourceName}: unknown top-level field "${key}"`);
    }
  }
  const drafts: Draft[] = [];
  data.topics.forEach((raw: unknown, index: number) => {
    const where = entryLabel(sourceName, index, raw);
    const parsed = topicSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) issues.push(`${where}: ${formatPath(issue.path)}${issue.message}`);
      return;
    }
    const { parent, ...rest } = parsed.data;
    const topic: Topic = parent === undefined ? rest : { ...rest, parent };
    drafts.push(draftOf(topic, where));
  });
  issues.push(...checkTopics(drafts));
  const glossary = parseGlossary(data.glossary, sourceName, drafts, issues);
  if (issues.length > 0) throw new TopicCatalogError(issues);
  return buildCatalog(
    sourceName,
    drafts.map((d) => d.topic),
    glossary,
  );
}

const glossarySchema = z
  .array(z.array(text(), { error: 'must be a list of words' }).min(2, { error: 'needs at least two words' }), {
    error: 'must be a list of word lists',
  })
  .nullish()
  .transform((list) => list ?? []);

/** The `glossary:` lists: each word in one list only, and no word that already names a topic. */
function parseGlossary(raw: unknown, sourceName: string, drafts: readonly Draft[], issues: string[]): string[][] {
  const parsed = glossarySchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      issues.push(`${sourceName}: glossary${formatIndex(issue.path)}: ${issue.message}`);
    return [];
  }
  const topicOwners = new Map<string, string>();
  for (const draft of drafts) for (const name of draft.names) topicOwners.set(aliasKey(name.value), draft.topic.id);
  // Spacing variants may share a list (`검색엔진`, `검색 엔진`): search matches them differently.
  const seen = new Map<string, { entry: number; where: string }>();
  parsed.data.forEach((entry, i) => {
    entry.forEach((word, j) => {
      const where = `${sourceName}: glossary[${i}][${j}]`;
      const key = aliasKey(word);
      const topic = topicOwners.get(key);
      if (topic) issues.push(`${where}: "${word}" is an alias of topic "${topic}", which already expands it`);
      const first = seen.get(key);
      if (first && first.entry !== i) issues.push(`${where}: "${word}" is already in the glossary at ${first.where}`);
      else if (!first) seen.set(key, { entry: i, where });
    });
  });
  return parsed.data;
}

function formatIndex(path: readonly PropertyKey[]): string {
  return path.map((part) => `[${String(part)}]`).join('');
}

/**
 * Adds a user's topics to a catalog without editing it: an entry with a new id is a new topic (kind defaults
 * to `company`; a missing name falls back to the other name, then the first alias); an entry with an
 * existing id adds its aliases, caseSensitive and exclude entries, and replaces kind, names or parent when it
 * gives them (replaced names stay as aliases). The result is validated like the catalog itself.
 */
export function mergeTopics(
  base: TopicCatalog,
  userTopics: readonly UserTopic[],
  sourceName = 'user topics',
): TopicCatalog {
  const issues: string[] = [];
  const drafts = new Map<string, Draft>();
  for (const topic of base.topics) drafts.set(topic.id, draftOf(topic, `${base.source}: topic "${topic.id}"`));

  userTopics.forEach((raw: unknown, index: number) => {
    const where = entryLabel(sourceName, index, raw);
    const parsed = userTopicSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) issues.push(`${where}: ${formatPath(issue.path)}${issue.message}`);
      return;
    }
    const entry = parsed.data;
    const existing = drafts.get(entry.id);
    if (existing) {
      extendDraft(existing, entry, where);
      return;
    }
    const en = entry.names?.en ?? entry.names?.ko ?? entry.aliases[0];
    const ko = entry.names?.ko ?? entry.names?.en ?? entry.aliases[0];
    if (en === undefined || ko === undefined) {
      issues.push(`${where}: a new topic needs names.en, names.ko or at least one alias`);
      return;
    }
    const topic: Topic = {
      id: entry.id,
      kind: entry.kind ?? 'company',
      names: { en, ko },
      aliases: entry.aliases,
      caseSensitive: entry.caseSensitive,
      exclude: entry.exclude,
      ...(entry.parent === undefined ? {} : { parent: entry.parent }),
    };
    // A name filled in from the other name or the first alias is checked only where the user wrote it.
    drafts.set(
      entry.id,
      draftOf(topic, where, { en: entry.names?.en !== undefined, ko: entry.names?.ko !== undefined }),
    );
  });

  const all = [...drafts.values()];
  issues.push(...checkTopics(all));
  if (issues.length > 0) throw new TopicCatalogError(issues);
  // A user's alias that is also a glossary word makes the word name the topic (topics expand first).
  return buildCatalog(
    `${base.source} + ${sourceName}`,
    all.map((d) => d.topic),
    base.glossary,
  );
}

// ── Validation ────────────────────────────────────────────────────────────────────────────────────────

/** A value with the place it was written, e.g. `config/topics.yaml: topics[3] "nvidia": aliases[2]`. */
interface Located {
  value: string;
  where: string;
}

interface Draft {
  topic: Topic;
  where: string;
  parentWhere: string;
  /** names.en, names.ko and the aliases, each where it was written. */
  names: Located[];
  caseSensitive: Located[];
  exclude: Located[];
}

function draftOf(topic: Topic, where: string, namesWritten = { en: true, ko: true }): Draft {
  const list = (field: string, values: readonly string[]) =>
    values.map((value, i) => ({ value, where: `${where}: ${field}[${i}]` }));
  const names = (['en', 'ko'] as const)
    .filter((lang) => namesWritten[lang])
    .map((lang) => ({ value: topic.names[lang], where: `${where}: names.${lang}` }));
  return {
    topic,
    where,
    parentWhere: `${where}: parent`,
    names: [...names, ...list('aliases', topic.aliases)],
    caseSensitive: list('caseSensitive', topic.caseSensitive),
    exclude: list('exclude', topic.exclude),
  };
}

type ParsedUserTopic = z.infer<typeof userTopicSchema>;

function extendDraft(draft: Draft, entry: ParsedUserTopic, where: string): void {
  const topic: Topic = {
    ...draft.topic,
    names: { ...draft.topic.names },
    aliases: [...draft.topic.aliases],
    caseSensitive: [...draft.topic.caseSensitive, ...entry.caseSensitive],
    exclude: [...draft.topic.exclude, ...entry.exclude],
  };
  for (const lang of ['en', 'ko'] as const) {
    const name = entry.names?.[lang];
    if (name === undefined || name === topic.names[lang]) continue;
    // The replaced name keeps matching as an alias; draft.names already holds it where the catalog wrote it.
    topic.aliases.push(topic.names[lang]);
    topic.names[lang] = name;
    draft.names.push({ value: name, where: `${where}: names.${lang}` });
  }
  topic.aliases = [...new Set([...topic.aliases, ...entry.aliases])];
  entry.aliases.forEach((value, i) => {
    draft.names.push({ value, where: `${where}: aliases[${i}]` });
  });
  entry.caseSensitive.forEach((value, i) => {
    draft.caseSensitive.push({ value, where: `${where}: caseSensitive[${i}]` });
  });
  entry.exclude.forEach((value, i) => {
    draft.exclude.push({ value, where: `${where}: exclude[${i}]` });
  });
  if (entry.kind !== undefined) topic.kind = entry.kind;
  if (entry.parent !== undefined) {
    topic.parent = entry.parent;
    draft.parentWhere = `${where}: parent`;
  }
  draft.topic = topic;
}

/** Cross-entry checks: ids, parents, alias ownership, caseSensitive and exclude entries. */
function checkTopics(drafts: readonly Draft[]): string[] {
  const issues: string[] = [];
  const byId = new Map<string, Draft>();
  for (const draft of drafts) {
    const { id } = draft.topic;
    if (!ID_PATTERN.test(id)) {
      issues.push(
        `${draft.where}: id "${id}" must be kebab-case ASCII (a-z, 0-9, single hyphens), e.g. "samsung-electronics"`,
      );
    }
    const first = byId.get(id);
    if (first) issues.push(`${draft.where}: duplicate id "${id}" (first defined at ${first.where})`);
    else byId.set(id, draft);
  }

  const reportedLoops = new Set<string>();
  for (const draft of byId.values()) {
    const { parent, id } = draft.topic;
    if (parent === undefined) continue;
    if (parent === id) {
      issues.push(`${draft.parentWhere}: "${parent}" is the topic itself`);
      continue;
    }
    if (!byId.has(parent)) {
      issues.push(`${draft.parentWhere}: "${parent}" is not the id of any topic`);
      continue;
    }
    const chain = [id];
    let current = byId.get(parent);
    while (current && !chain.includes(current.topic.id)) {
      chain.push(current.topic.id);
      current = current.topic.parent === undefined ? undefined : byId.get(current.topic.parent);
    }
    if (current && current.topic.id === id && !reportedLoops.has(id)) {
      for (const member of chain) reportedLoops.add(member);
      issues.push(`${draft.parentWhere}: the parent chain loops back: ${[...chain, id].join(' → ')}`);
    }
  }

  const owners = new Map<string, { id: string; where: string }>();
  for (const draft of drafts) {
    for (const name of draft.names) {
      const key = aliasKey(name.value);
      if (key === '') {
        issues.push(`${name.where}: must not be empty`);
        continue;
      }
      const owner = owners.get(key);
      if (owner && owner.id !== draft.topic.id) {
        issues.push(
          `${name.where}: "${name.value}" is also an alias of "${owner.id}" (${owner.where}); an alias may name only one topic`,
        );
      } else if (!owner) {
        owners.set(key, { id: draft.topic.id, where: name.where });
      }
    }
  }

  for (const draft of drafts) {
    const exact = new Set(draft.names.map((n) => exactForm(n.value)));
    for (const entry of draft.caseSensitive) {
      if (!exact.has(exactForm(entry.value))) {
        issues.push(
          `${entry.where}: "${entry.value}" is not one of this topic's names or aliases (check the spelling)`,
        );
      }
    }
    for (const entry of draft.exclude) {
      const owner = owners.get(aliasKey(entry.value));
      if (!owner) continue;
      if (owner.id === draft.topic.id) {
        issues.push(
          `${entry.where}: "${entry.value}" is this topic's own alias (${owner.where}); excluding it would hide the topic`,
        );
      } else {
        issues.push(
          `${entry.where}: "${entry.value}" is an alias of "${owner.id}" (${owner.where}); it cannot also be excluded`,
        );
      }
    }
  }
  return issues;
}

// ── Helpers ───────────────────────────────────────────────────────────────────────────────────────────

function buildCatalog(source: string, topics: Topic[], glossary: readonly (readonly string[])[]): TopicCatalog {
  return { source, topics, byId: new Map(topics.map((t) => [t.id, t])), glossary };
}

function entryLabel(source: string, index: number, raw: unknown): string {
  const id = isRecord(raw) && typeof raw.id === 'string' && raw.id.trim() !== '' ? ` "${raw.id.trim()}"` : '';
  return `${source}: topics[${index}]${id}`;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '';
  const joined = path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i > 0 ? '.' : ''}${String(part)}`))
    .join('');
  return `${joined}: `;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every topic's ancestors (parent, its parent …), nearest first. */
export function ancestorMap(catalog: TopicCatalog): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const topic of catalog.topics) {
    const chain: string[] = [];
    let parent = topic.parent;
    while (parent !== undefined && parent !== topic.id && !chain.includes(parent)) {
      chain.push(parent);
      parent = catalog.byId.get(parent)?.parent;
    }
    map.set(topic.id, chain);
  }
  return map;
}
