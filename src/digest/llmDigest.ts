import { createHash } from 'node:crypto';
import type { AsyncStore } from '../../storage/asyncStore.ts';
import type { AbstractiveSummarizer, SummaryRequest } from '../summarize/abstractive.ts';
import type { Digest, DigestSection, DigestStory } from './digest.ts';

/** Sources whose ledes go with a story request, and paragraphs of each. */
const SOURCES_PER_STORY = 4;
const LEDE_PARAGRAPHS = 3;

function hash(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

/**
 * Rewrites the digest's story and topic summaries with a language model, in the digest's language, grounded on
 * the extracted text: the extractive sentences and the ledes of the story's sources. Each summary is cached per
 * story (or topic) and language and reused while its input is unchanged; any failure keeps the extractive
 * summary. Requests run concurrently up to the summarizer's limit. Returns a new digest.
 */
export async function rewriteDigestSummaries(
  store: AsyncStore,
  digest: Digest,
  summarizer: AbstractiveSummarizer,
  options: { topicNames?: Record<string, string> } = {},
): Promise<Digest> {
  const lang = digest.lang === 'en' ? 'en' : 'ko';
  const articleIds = digest.stories.flatMap((s) =>
    s.articles
      .filter((a) => a.copyOf === null)
      .slice(0, SOURCES_PER_STORY)
      .map((a) => a.id),
  );
  const articles = new Map((await store.articles.getMany(articleIds)).map((a) => [a.id, a]));

  const cached = async (subject: string, request: SummaryRequest, extractive: readonly string[]) => {
    if (extractive.length === 0) return null;
    const inputHash = hash([summarizer.model, request]);
    const hit = await store.summaries.get(subject, lang, inputHash);
    if (hit) return hit.sentences;
    const sentences = await summarizer.summarize(request);
    if (!sentences) return null;
    try {
      await store.summaries.put(subject, lang, inputHash, {
        sentences,
        model: summarizer.model,
        createdAt: new Date().toISOString(),
      });
    } catch {
      // A summary that cannot be cached is still a summary.
    }
    return sentences;
  };

  const storyJobs = digest.stories.map(async (story): Promise<DigestStory> => {
    const sources = story.articles
      .filter((a) => a.copyOf === null)
      .slice(0, SOURCES_PER_STORY)
      .map((a) => articles.get(a.id))
      .filter((a) => a !== undefined)
      .map((a) => ({ title: a.title, text: a.paragraphs.slice(0, LEDE_PARAGRAPHS).join('\n') }));
    const request: SummaryRequest = {
      kind: 'story',
      lang,
      title: story.title,
      sources: [{ title: story.title, text: story.summary.join(' ') }, ...sources],
      sentences: Math.min(3, Math.max(2, story.summary.length)),
    };
    const sentences = await cached(`story:${story.key}`, request, story.summary);
    return sentences ? { ...story, summary: sentences, summaryBy: 'llm' } : story;
  });

  const headlineJobs = digest.stories.map(async (story): Promise<{ for: string; title: string } | null> => {
    const leadLang = story.articles[0]?.lang;
    if (story.otherTitle !== null || leadLang === lang || (leadLang !== 'ko' && leadLang !== 'en')) return null;
    const request: SummaryRequest = {
      kind: 'headline',
      lang,
      title: story.title,
      sources: [{ title: story.title, text: story.summary.join(' ') }],
      sentences: 1,
    };
    const sentences = await cached(`headline:${story.key}`, request, [story.title]);
    return sentences ? { for: story.key, title: sentences.join(' ') } : null;
  });

  const byKey = new Map(digest.stories.map((s) => [s.key, s]));
  const sectionJobs = digest.sections.map(async (section): Promise<DigestSection> => {
    if (section.topic === null || section.summary.length === 0) return section;
    const request: SummaryRequest = {
      kind: 'topic',
      lang,
      title: options.topicNames?.[section.topic] ?? section.topic,
      sources: section.stories
        .map((key) => byKey.get(key))
        .filter((s) => s !== undefined)
        .map((s) => ({ title: s.title, text: s.summary.join(' ') })),
      sentences: Math.min(3, Math.max(2, section.summary.length)),
    };
    const sentences = await cached(`topic:${section.topic}`, request, section.summary);
    return sentences ? { ...section, summary: sentences, summaryBy: 'llm' } : section;
  });

  const [rewritten, sections, headlines] = await Promise.all([
    Promise.all(storyJobs),
    Promise.all(sectionJobs),
    Promise.all(headlineJobs),
  ]);
  const translated = new Map(headlines.filter((h) => h !== null).map((h) => [h.for, h.title]));
  const stories = rewritten.map((story): DigestStory => {
    const title = translated.get(story.key);
    if (title === undefined) return story;
    const leadLang = story.articles[0]?.lang ?? lang;
    return { ...story, title, titleTranslated: true, otherTitle: { lang: leadLang, title: story.title } };
  });
  return { ...digest, stories, sections };
}
