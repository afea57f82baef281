/**
 * Summaries across articles: a story's (its best sentences across its sources) and a topic's (the most central
 * sentences across its stories). Every sentence keeps the article it came from, so a reader (or a test) can
 * trace it, and no sentence nearly repeats another.
 */
import type { Lang } from '../model.ts';
import { splitSentences } from '../text/sentences.ts';
import { isBoilerplateSentence, isCaptionParagraph, isFragment, stripDateline } from './boilerplate.ts';
import { selectSentences } from './extractive.ts';
import { cosine, inverseDocumentFrequency, normalise, sumVectors, type TermVector, tfidf } from './tfidf.ts';
import { summaryTokens } from './tokens.ts';

export interface SourcedSentence {
  text: string;
  /** The article the sentence was taken from. */
  articleId: number;
}

export interface SummaryArticle {
  id: number;
  title: string;
  paragraphs: readonly string[];
  lang: Lang;
}

export interface StorySummaryOptions {
  /** Sentences to return at most; default 3. */
  sentences?: number;
  /** The language the reader wants: sentences come from articles in it when the story has any. */
  lang?: Lang;
}

/** Sentences looked at per article: the lede and what follows carry a story; the tail rarely adds to it. */
const SENTENCES_PER_ARTICLE = 12;
/**
 * Sentences a one-article story's summary chooses from (boilerplate included): its first paragraphs hold what a
 * digest or search reply shows; a long article's tail only costs time (the summary is made on every reply).
 */
const SINGLE_ARTICLE_SENTENCES = 20;
/** Articles a story summary reads (the lead and the next ones given); a big story says the same thing often. */
const MAX_ARTICLES = 8;
/** A sentence this similar (cosine) to a chosen one says the same thing again and is never chosen. */
const NEAR_REPEAT = 0.5;
const WEIGHTS = { support: 1, lead: 1, title: 0.5, mmrLambda: 0.7 };

interface Candidate {
  text: string;
  articleId: number;
  article: number;
  rank: number;
  fragment: boolean;
  vector: TermVector;
}

function candidatesOf(articles: readonly SummaryArticle[]): { candidates: Candidate[]; tokens: string[][] } {
  const candidates: Candidate[] = [];
  const tokens: string[][] = [];
  articles.forEach((article, a) => {
    let rank = 0;
    for (const paragraph of article.paragraphs) {
      if (rank >= SENTENCES_PER_ARTICLE) break;
      if (isCaptionParagraph(paragraph)) continue;
      for (const sentence of splitSentences(paragraph)) {
        if (rank >= SENTENCES_PER_ARTICLE) break;
        if (isBoilerplateSentence(sentence)) continue;
        const text = stripDateline(sentence);
        const words = summaryTokens(text);
        if (words.length === 0) continue;
        const fragment = isFragment(text);
        candidates.push({ text, articleId: article.id, article: a, rank: rank++, fragment, vector: new Map() });
        tokens.push(words);
      }
    }
  });
  return { candidates, tokens };
}

/** The articles to summarize from: those in the reader's language when there are any. */
function inLanguage<T extends { lang: Lang }>(articles: readonly T[], lang: Lang | undefined): T[] {
  const preferred = lang ? articles.filter((a) => a.lang === lang) : [];
  if (preferred.length > 0) return preferred;
  const first = articles[0]?.lang;
  return articles.filter((a) => a.lang === first);
}

/**
 * A story's summary: sentences that many of its sources support (TF-IDF cosine with the other articles), near
 * their article's start and close to the story's title, picked by MMR so that no sentence repeats another. The
 * best comes first. A one-article story gets that article's extractive summary. `articles` should hold one
 * article per group of copies, the lead (whose title is the story's) first.
 */
export function summarizeStory(
  articles: readonly SummaryArticle[],
  options: StorySummaryOptions = {},
): SourcedSentence[] {
  const count = options.sentences ?? 3;
  const chosenArticles = inLanguage(articles, options.lang).slice(0, MAX_ARTICLES);
  const lead = chosenArticles[0];
  if (!lead || count <= 0) return [];
  if (chosenArticles.length === 1) return summarizeOne(lead, count);

  const { candidates, tokens } = candidatesOf(chosenArticles);
  if (candidates.length === 0) return [];
  const idf = inverseDocumentFrequency(tokens);
  candidates.forEach((candidate, i) => {
    candidate.vector = tfidf(tokens[i] as string[], idf);
  });
  const articleVectors = chosenArticles.map((_, a) =>
    sumVectors(candidates.filter((c) => c.article === a).map((c) => c.vector)),
  );
  const support = normalise(
    candidates.map((candidate) => {
      const others = articleVectors.filter((_, a) => a !== candidate.article);
      return others.length === 0
        ? 0
        : others.reduce((total, v) => total + cosine(candidate.vector, v), 0) / others.length;
    }),
  );
  const titleVector = tfidf(summaryTokens(lead.title), idf);
  const titleSimilarity = normalise(candidates.map((c) => cosine(c.vector, titleVector)));
  const scores = candidates.map(
    (c, i) =>
      WEIGHTS.support * (support[i] as number) +
      WEIGHTS.lead * (c.fragment ? 0 : 1 / (1 + c.rank / 2)) +
      WEIGHTS.title * (titleSimilarity[i] as number),
  );
  return pickByMmr(candidates, scores, count).map((c) => ({ text: c.text, articleId: c.articleId }));
}

function summarizeOne(article: SummaryArticle, count: number): SourcedSentence[] {
  const sentences: string[] = [];
  for (const paragraph of article.paragraphs) {
    if (sentences.length >= SINGLE_ARTICLE_SENTENCES) break;
    if (!isCaptionParagraph(paragraph)) sentences.push(...splitSentences(paragraph));
  }
  return selectSentences(sentences, article.title, { sentences: count }).map((index) => ({
    text: stripDateline(sentences[index] as string),
    articleId: article.id,
  }));
}

/** MMR: the best-scoring sentence that is not a near-repeat of one already chosen; fragments only to fill up. */
function pickByMmr<T extends { vector: TermVector; fragment: boolean }>(
  candidates: readonly T[],
  scores: readonly number[],
  count: number,
  allowed: (candidate: T, chosen: readonly T[]) => boolean = () => true,
): T[] {
  const best = Math.max(...scores) || 1;
  const chosen: T[] = [];
  for (const allowFragments of [false, true]) {
    while (chosen.length < count) {
      let pick = -1;
      let pickValue = Number.NEGATIVE_INFINITY;
      candidates.forEach((candidate, i) => {
        if (chosen.includes(candidate) || candidate.fragment !== allowFragments || !allowed(candidate, chosen)) return;
        const redundancy = Math.max(0, ...chosen.map((c) => cosine(candidate.vector, c.vector)));
        if (redundancy >= NEAR_REPEAT) return;
        const value = WEIGHTS.mmrLambda * ((scores[i] as number) / best) - (1 - WEIGHTS.mmrLambda) * redundancy;
        if (value > pickValue) {
          pick = i;
          pickValue = value;
        }
      });
      if (pick < 0) break;
      chosen.push(candidates[pick] as T);
    }
  }
  return chosen;
}

export interface TopicStoryInput {
  storyKey: string;
  /** The story's summary sentences (candidates for the topic summary). */
  sentences: readonly SourcedSentence[];
  /** Their language. */
  lang?: Lang;
}

export interface TopicSentence extends SourcedSentence {
  storyKey: string;
}

/**
 * A topic's summary over its stories (ranked, best first): for up to `sentences` stories, the sentence most
 * central across all of them (TF-IDF cosine with the other stories' sentences) with a prior for better-ranked
 * stories, one sentence per story, no near-repeats. Stories in the reader's language (`lang`) are used when
 * two or more are. Empty for fewer than two stories: one story's own summary says it all.
 */
export function summarizeTopic(
  stories: readonly TopicStoryInput[],
  options: { sentences?: number; lang?: Lang } = {},
): TopicSentence[] {
  const count = options.sentences ?? 3;
  const withText = stories.filter((s) => s.sentences.length > 0);
  const preferred = options.lang ? withText.filter((s) => s.lang === options.lang) : [];
  const usable = preferred.length >= 2 ? preferred : withText;
  if (usable.length < 2 || count <= 0) return [];
  const candidates = usable.flatMap((story, s) =>
    story.sentences.map((sentence, rank) => ({
      ...sentence,
      storyKey: story.storyKey,
      story: s,
      rank,
      fragment: false,
      vector: new Map() as TermVector,
    })),
  );
  const tokens = candidates.map((c) => summaryTokens(c.text));
  const idf = inverseDocumentFrequency(tokens);
  candidates.forEach((c, i) => {
    c.vector = tfidf(tokens[i] as string[], idf);
  });
  const storyVectors = usable.map((_, s) => sumVectors(candidates.filter((c) => c.story === s).map((c) => c.vector)));
  const centrality = normalise(
    candidates.map((c) => {
      const others = storyVectors.filter((_, s) => s !== c.story);
      return others.reduce((total, v) => total + cosine(c.vector, v), 0) / others.length;
    }),
  );
  const scores = candidates.map((c, i) => (centrality[i] as number) + 1 / (1 + c.story) + 0.5 / (1 + c.rank));
  const picked = pickByMmr(candidates, scores, count, (candidate, chosen) =>
    chosen.every((c) => c.story !== candidate.story),
  );
  return picked
    .sort((a, b) => a.story - b.story)
    .map((c) => ({ text: c.text, articleId: c.articleId, storyKey: c.storyKey }));
}
