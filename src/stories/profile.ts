/**
 * A story's profile (its centroid) and how well an article fits it.
 *
 * score = decay(Δt) · text^0.4 · topics^0.2 · subjects^0.4, where
 * - text: TF-IDF cosine of the article's words with the words of the story's articles in the same language.
 *   A story with no article in that language cannot be compared by words: Korean and English share only
 *   numbers and acronyms (`20`, `S26`, `NPU`), so text is then the mean of 0.25 (a typical same-story value)
 *   and the cosine of those; Korean and English coverage of one event meet through them, topics and subjects.
 * - topics: cosine of IDF-weighted topic vectors (what the articles mention, the title counting most).
 * - subjects: cosine of the headline entities (who acts): `삼전, 평택서 HBM4 양산` and `SK하이닉스, 엔비디아에
 *   HBM4 공급` share words and topics but not their subject.
 * - decay: exp(−Δ²/2σ²), σ = 3 days, Δ the distance from the article to the story's time span.
 * The geometric mean makes every part necessary: two LG Electronics stories on one day with different words
 * (text 0.08) stay apart however well their topics agree. Weights and the join threshold 0.4 were chosen on
 * the bundled sample's labelled stories, over many ingestion orders (see test/stories).
 */
import type { StoryProfileRecord } from '../../storage/repositories.ts';
import {
  addInto,
  cosine,
  fromRecord,
  normalize,
  type SparseVector,
  strongest,
  strongestTerms,
  toRecord,
  type Vector,
} from '../text/vectors.ts';
import type { ArticleFeatures } from './features.ts';

/** A story's profile as computed on (see `StoryProfileRecord` for the stored form). */
export interface StoryProfile {
  /** Summed normalized TF-IDF word vectors, per language. */
  text: Record<string, Vector>;
  topics: Vector;
  subjects: Vector;
  /** Numbers and acronyms of all its articles, whatever their language. */
  neutral: Vector;
}

export interface ArticleVectors {
  lang: string;
  text: Vector;
  topics: Vector;
  subjects: Vector;
  neutral: Vector;
  timeMs: number;
}

export interface StoryMatch {
  score: number;
  text: number;
  topics: number;
  subjects: number;
  decay: number;
}

export const JOIN_THRESHOLD = 0.4;
export const DECAY_SIGMA_DAYS = 3;
/** Beyond this distance the decay alone keeps a story below the threshold (exp(−4.5²/18) ≈ 0.32). */
export const STORY_WINDOW_DAYS = 4.5;
const IMPUTED_TEXT = 0.25;
const NEUTRAL_SUBJECT = 0.5;
const EXPONENTS = { text: 0.4, topics: 0.2, subjects: 0.4 };
const FLOORS = { text: 0.01, topics: 0.01, subjects: 0.05 };
const PROFILE_LIMITS = { text: 200, topics: 40, subjects: 20, neutral: 60 };
const TEXT_BOUND = 1 + 1e-6;
const DAY_MS = 86_400_000;

export type InverseDocumentFrequency = (term: string) => number;

function weighted(vector: SparseVector, idf: InverseDocumentFrequency): Vector {
  const out: Vector = new Map();
  for (const [term, weight] of Object.entries(vector)) {
    const value = weight * idf(term);
    if (value > 0) out.set(term, value);
  }
  return normalize(out);
}

export function articleVectors(features: ArticleFeatures, idf: InverseDocumentFrequency, timeMs: number) {
  return {
    lang: features.lang,
    text: weighted(features.terms, idf),
    topics: weighted(features.topics, idf),
    subjects: normalize(fromRecord(features.subjects)),
    neutral: weighted(features.neutral, idf),
    timeMs,
  } satisfies ArticleVectors;
}

export function emptyProfile(): StoryProfile {
  return { text: {}, topics: new Map(), subjects: new Map(), neutral: new Map() };
}

export function profileFromRecord(record: StoryProfileRecord): StoryProfile {
  const text: Record<string, Vector> = {};
  for (const [lang, vector] of Object.entries(record.text)) text[lang] = fromRecord(vector);
  return {
    text,
    topics: fromRecord(record.topics),
    subjects: fromRecord(record.subjects),
    // Profiles stored before numbers and acronyms were kept have none.
    neutral: fromRecord(record.neutral),
  };
}

export function profileToRecord(profile: StoryProfile): StoryProfileRecord {
  const text: Record<string, SparseVector> = {};
  for (const [lang, vector] of Object.entries(profile.text)) text[lang] = toRecord(vector);
  return {
    text,
    topics: toRecord(profile.topics),
    subjects: toRecord(profile.subjects),
    neutral: toRecord(profile.neutral),
  };
}

function summed(vector: Vector | undefined, addend: Vector, limit: number): Vector {
  const sum = new Map(vector);
  addInto(sum, addend);
  return strongest(sum, limit);
}

/** The profile with an article's vectors added (a new profile), trimmed to the strongest entries for storage. */
export function addToProfile(profile: StoryProfile, article: ArticleVectors): StoryProfile {
  return {
    text: { ...profile.text, [article.lang]: summed(profile.text[article.lang], article.text, PROFILE_LIMITS.text) },
    topics: summed(profile.topics, article.topics, PROFILE_LIMITS.topics),
    subjects: summed(profile.subjects, article.subjects, PROFILE_LIMITS.subjects),
    neutral: summed(profile.neutral, article.neutral, PROFILE_LIMITS.neutral),
  };
}

export function timeDecay(timeMs: number, firstMs: number, lastMs: number): number {
  const distance = timeMs < firstMs ? firstMs - timeMs : timeMs > lastMs ? timeMs - lastMs : 0;
  const days = distance / DAY_MS;
  return Math.exp(-(days * days) / (2 * DECAY_SIGMA_DAYS * DECAY_SIGMA_DAYS));
}

/**
 * How well the article fits the story. With `mustReach`, null as soon as the parts that are cheap to compare
 * show the score cannot reach it even with identical words (the word cosine, the costly part, is then skipped).
 */
export function scoreStory(
  article: ArticleVectors,
  story: { profile: StoryProfile; firstMs: number; lastMs: number },
  mustReach = 0,
): StoryMatch | null {
  const topics = cosine(article.topics, story.profile.topics);
  const hasSubjects = article.subjects.size > 0 && story.profile.subjects.size > 0;
  const subjects = hasSubjects ? cosine(article.subjects, story.profile.subjects) : NEUTRAL_SUBJECT;
  const decay = timeDecay(article.timeMs, story.firstMs, story.lastMs);
  const rest =
    decay *
    Math.max(topics, FLOORS.topics) ** EXPONENTS.topics *
    Math.max(subjects, FLOORS.subjects) ** EXPONENTS.subjects;
  // A cosine is at most 1 (give or take rounding, hence the margin).
  if (rest * TEXT_BOUND < mustReach) return null;
  const sameLanguage = story.profile.text[article.lang];
  const text = sameLanguage
    ? cosine(article.text, sameLanguage)
    : (IMPUTED_TEXT + cosine(article.neutral, story.profile.neutral)) / 2;
  const score =
    decay *
    Math.max(text, FLOORS.text) ** EXPONENTS.text *
    Math.max(topics, FLOORS.topics) ** EXPONENTS.topics *
    Math.max(subjects, FLOORS.subjects) ** EXPONENTS.subjects;
  return { score, text, topics, subjects, decay };
}

/** Keys a story is found by: its subjects, main topics and strongest words per language. */
export function profileKeys(profile: Omit<StoryProfile, 'neutral'>): string[] {
  const keys = new Set<string>();
  for (const id of strongestTerms(profile.subjects, 8)) keys.add(`@${id}`);
  for (const id of strongestTerms(profile.topics, 8)) keys.add(id);
  for (const vector of Object.values(profile.text)) for (const term of strongestTerms(vector, 12)) keys.add(term);
  return [...keys];
}

/** The same keys for an article looking for its story. */
export function articleKeys(article: ArticleVectors): string[] {
  return profileKeys({ text: { [article.lang]: article.text }, topics: article.topics, subjects: article.subjects });
}
