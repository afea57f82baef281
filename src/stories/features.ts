import type { TopicTag } from '../../storage/repositories.ts';
import type { Lang } from '../model.ts';
import { emptyRecord, type SparseVector } from '../text/vectors.ts';
import { countSummaryTokens } from './termCounts.ts';

/**
 * What story clustering knows about one article, stored with its story membership: the words (Hangul bigrams
 * and Latin words), the topics it mentions and the entities its title is about.
 */
export interface ArticleFeatures {
  lang: Lang;
  /** Term → 1 + ln(count), title words counted three times; the 100 strongest. */
  terms: SparseVector;
  /** `#topic-id` → weight: 1 + ln(mentions), +2 when the title names it; technologies and groups count half. */
  topics: SparseVector;
  /**
   * What the headline is about: companies and people (1), products (0.3: `HBM4` is what two rival makers'
   * stories share, not who acts), parents of those only through a child (half). `삼성전자, 갤럭시 …` →
   * samsung-electronics, galaxy. Technologies are never subjects.
   */
  subjects: SparseVector;
  /**
   * What Korean and English text share: numbers and acronyms or model names as written (`20`, `HBM4`, `S26`,
   * `NPU`), `~`-prefixed, 1 + ln(count). Korean and English coverage of one event is compared by these.
   */
  neutral: SparseVector;
  /** The article's topic tags: id → mentions, 0 when only inherited from a mentioned child topic. */
  tags: Record<string, number>;
}

export type TopicKindLookup = (topicId: string) => string | undefined;

export const MAX_TERMS = 100;
const TITLE_TERM_WEIGHT = 3;
const TITLE_TOPIC_BONUS = 2;
const MINOR_KIND_FACTOR = 0.5;
const SUBJECT_KIND_WEIGHT: Record<string, number> = { company: 1, person: 1, group: 1, product: 0.3, technology: 0 };

/** Topic ids and neutral tokens carry a prefix among terms, so one document-frequency table serves all. */
export const TOPIC_PREFIX = '#';
export const NEUTRAL_PREFIX = '~';
const MAX_NEUTRAL = 40;
/** Latin/digit words as written; kept when they hold a digit or two capitals (`HBM4`, `NPU`, `iOS` is not). */
const NEUTRAL_WORD = /[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?/g;
const DIGIT = /\d/;
const TWO_CAPITALS = /[A-Z][^A-Z]*[A-Z]/;

function isMajorKind(kind: string | undefined): boolean {
  return kind === undefined || kind === 'company' || kind === 'product' || kind === 'person';
}

export interface FeatureInput {
  title: string;
  paragraphs: readonly string[];
  lang: Lang;
  /** The article's topic tags (body and title). */
  topics: readonly TopicTag[];
  /** Topic tags of the title alone (with inherited parents at weight 0). */
  titleTopics: readonly TopicTag[];
}

function addTopic(topics: SparseVector, id: string, weight: number): void {
  const key = `${TOPIC_PREFIX}${id}`;
  topics[key] = (topics[key] ?? 0) + weight;
}

export function articleFeatures(input: FeatureInput, kindOf: TopicKindLookup): ArticleFeatures {
  const counts = new Map<string, number>();
  countSummaryTokens(input.title, TITLE_TERM_WEIGHT, counts);
  // Tokens never span a line break, so the paragraphs are counted in one pass.
  const body = input.paragraphs.join('\n');
  countSummaryTokens(body, 1, counts);
  // Map order is first occurrence, so among equal counts the title and lede win.
  const terms = emptyRecord();
  for (const [term, count] of mostFrequent(counts, MAX_TERMS)) {
    if (!term.startsWith(TOPIC_PREFIX)) terms[term] = round(1 + Math.log(count));
  }

  const topics = emptyRecord();
  for (const tag of input.topics) if (tag.weight > 0) addTopic(topics, tag.id, 1 + Math.log(tag.weight));
  for (const tag of input.titleTopics) if (tag.weight > 0) addTopic(topics, tag.id, TITLE_TOPIC_BONUS);
  for (const key of Object.keys(topics)) {
    const factor = isMajorKind(kindOf(key.slice(TOPIC_PREFIX.length))) ? 1 : MINOR_KIND_FACTOR;
    topics[key] = round((topics[key] as number) * factor);
  }

  const subjects = emptyRecord();
  for (const tag of input.titleTopics) {
    const weight = (SUBJECT_KIND_WEIGHT[kindOf(tag.id) ?? 'company'] ?? 0) * (tag.weight > 0 ? 1 : 0.5);
    if (weight > 0) subjects[tag.id] = Math.max(subjects[tag.id] ?? 0, weight);
  }
  const neutralCounts = new Map<string, number>();
  for (const word of `${input.title}\n${body}`.normalize('NFKC').match(NEUTRAL_WORD) ?? []) {
    if (!DIGIT.test(word) && !TWO_CAPITALS.test(word)) continue;
    const key = `${NEUTRAL_PREFIX}${word.toLowerCase()}`;
    neutralCounts.set(key, (neutralCounts.get(key) ?? 0) + 1);
  }
  const neutral = emptyRecord();
  for (const [key, count] of mostFrequent(neutralCounts, MAX_NEUTRAL)) {
    neutral[key] = round(1 + Math.log(count));
  }

  const tags = emptyRecord();
  for (const tag of input.topics) tags[tag.id] = tag.weight;
  return { lang: input.lang, terms, topics, subjects, neutral, tags };
}

/**
 * The `limit` entries with the highest counts, highest first, equal counts in map order: what a stable sort of
 * all entries would keep, without sorting the hundreds of entries that are not kept.
 */
export function mostFrequent(counts: ReadonlyMap<string, number>, limit: number): [string, number][] {
  const kept: [string, number][] = [];
  if (counts.size <= limit) {
    counts.forEach((count, term) => {
      kept.push([term, count]);
    });
  } else {
    const values = new Float64Array(counts.size);
    let i = 0;
    counts.forEach((count) => {
      values[i++] = count;
    });
    values.sort();
    const threshold = values[counts.size - limit] as number;
    let atThreshold = limit;
    for (const count of values) if (count > threshold) atThreshold--;
    counts.forEach((count, term) => {
      if (count > threshold || (count === threshold && atThreshold-- > 0)) kept.push([term, count]);
    });
  }
  return kept.sort((a, b) => b[1] - a[1]);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
