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
import type { ArticleFeatures } from './features.ts';
import { addInto, cosine, normalize, type SparseVector, strongest } from './vectors.ts';

export interface StoryProfile {
  /** Summed normalized TF-IDF word vectors, per language. */
  text: Record<string, SparseVector>;
  topics: SparseVector;
  subjects: SparseVector;
  /** Numbers and acronyms of all its articles, whatever their language. */
  neutral: SparseVector;
}

export interface ArticleVectors {
  lang: string;
  text: SparseVector;
  topics: SparseVector;
  subjects: SparseVector;
  neutral: SparseVector;
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
const DAY_MS = 86_400_000;

export type InverseDocumentFrequency = (term: string) => number;

function weighted(vector: SparseVector, idf: InverseDocumentFrequency): SparseVector {
  const out: SparseVector = {};
  for (const [term, weight] of Object.entries(vector)) {
    const value = weight * idf(term);
    if (value > 0) out[term] = value;
  }
  return normalize(out);
}

export function articleVectors(features: ArticleFeatures, idf: InverseDocumentFrequency, timeMs: number) {
  return {
    lang: features.lang,
    text: weighted(features.terms, idf),
    topics: weighted(features.topics, idf),
    subjects: normalize(features.subjects),
    neutral: weighted(features.neutral, idf),
    timeMs,
  } satisfies ArticleVectors;
}

export function emptyProfile(): StoryProfile {
  return { text: {}, topics: {}, subjects: {}, neutral: {} };
}

/** Adds an article's vectors to a profile (in place), trimmed to the strongest entries for storage. */
export function addToProfile(profile: StoryProfile, article: ArticleVectors): StoryProfile {
  const text = { ...(profile.text[article.lang] ?? {}) };
  addInto(text, article.text);
  profile.text[article.lang] = strongest(text, PROFILE_LIMITS.text);
  const topics = { ...profile.topics };
  addInto(topics, article.topics);
  profile.topics = strongest(topics, PROFILE_LIMITS.topics);
  const subjects = { ...profile.subjects };
  addInto(subjects, article.subjects);
  profile.subjects = strongest(subjects, PROFILE_LIMITS.subjects);
  const neutral = { ...profile.neutral };
  addInto(neutral, article.neutral);
  profile.neutral = strongest(neutral, PROFILE_LIMITS.neutral);
  return profile;
}

function isEmpty(vector: SparseVector): boolean {
  for (const _ in vector) return false;
  return true;
}

export function timeDecay(timeMs: number, firstMs: number, lastMs: number): number {
  const distance = timeMs < firstMs ? firstMs - timeMs : timeMs > lastMs ? timeMs - lastMs : 0;
  const days = distance / DAY_MS;
  return Math.exp(-(days * days) / (2 * DECAY_SIGMA_DAYS * DECAY_SIGMA_DAYS));
}

export function scoreStory(
  article: ArticleVectors,
  story: { profile: StoryProfile; firstMs: number; lastMs: number },
): StoryMatch {
  const sameLanguage = story.profile.text[article.lang];
  const text = sameLanguage
    ? cosine(article.text, sameLanguage)
    : (IMPUTED_TEXT + cosine(article.neutral, story.profile.neutral ?? {})) / 2;
  const topics = cosine(article.topics, story.profile.topics);
  const hasSubjects = !isEmpty(article.subjects) && !isEmpty(story.profile.subjects);
  const subjects = hasSubjects ? cosine(article.subjects, story.profile.subjects) : NEUTRAL_SUBJECT;
  const decay = timeDecay(article.timeMs, story.firstMs, story.lastMs);
  const score =
    decay *
    Math.max(text, FLOORS.text) ** EXPONENTS.text *
    Math.max(topics, FLOORS.topics) ** EXPONENTS.topics *
    Math.max(subjects, FLOORS.subjects) ** EXPONENTS.subjects;
  return { score, text, topics, subjects, decay };
}

/** Keys a story is found by: its subjects, main topics and strongest words per language. */
export function profileKeys(profile: StoryProfile): string[] {
  const keys = new Set<string>();
  for (const id of Object.keys(strongest(profile.subjects, 8))) keys.add(`@${id}`);
  for (const id of Object.keys(strongest(profile.topics, 8))) keys.add(id);
  for (const vector of Object.values(profile.text))
    for (const term of Object.keys(strongest(vector, 12))) keys.add(term);
  return [...keys];
}

/** The same keys for an article looking for its story. */
export function articleKeys(article: ArticleVectors): string[] {
  return profileKeys({
    text: { [article.lang]: article.text },
    topics: article.topics,
    subjects: article.subjects,
    neutral: article.neutral,
  });
}
