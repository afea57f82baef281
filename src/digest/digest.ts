import type { AsyncTransaction } from '../../storage/asyncStore.ts';
import type { StoredArticle, StoryDeliveries, StoryHeader, WindowMember } from '../../storage/repositories.ts';
import type { Lang } from '../model.ts';
import { compareForLead } from '../stories/canonical.ts';
import { type SourcedSentence, summarizeStory, summarizeTopic, type TopicSentence } from '../summarize/storySummary.ts';
import { rankScore, topicMatch } from './rank.ts';
import { planSections } from './sections.ts';

export interface DigestArticle {
  id: number;
  title: string;
  url: string | null;
  source: string | null;
  publishedAt: string | null;
  lang: string;
  /** The article this one is a copy of (one wire story on another site); null for an original. */
  copyOf: number | null;
  /** False when the channel was shown this article in an earlier digest. */
  isNew: boolean;
}

export interface DigestStory {
  /** Stable across digests and days: a story shown yesterday has the same key when it comes back. */
  key: string;
  /** The lead's headline: in the reader's language when the story has coverage in it. */
  title: string;
  /** True when `title` is a language model's translation of `otherTitle` (no source in the reader's language). */
  titleTranslated: boolean;
  /** The headline in the story's other language (`ko` or `en`), shown as a second line; null when none. */
  otherTitle: { lang: string; title: string } | null;
  /** Two or three sentences across the story's sources, best first. */
  summary: string[];
  /** The same sentences, each with the article it was taken from. */
  sentences: SourcedSentence[];
  /** `extractive`, or `llm` when a language model rewrote the summary. */
  summaryBy: 'extractive' | 'llm';
  /** Topic ids mentioned in the story, most mentioned first. */
  topics: string[];
  /** The window's articles: the lead (whose title is shown) first, then the other sources, oldest first. */
  articles: DigestArticle[];
  /** `update`: the channel was shown this story before and these are new articles about it. */
  status: 'new' | 'update';
  /** Independent sources in the window (copies of one wire story count once). */
  sources: number;
  /** Articles of the story outside the window (earlier coverage of a continuing story). */
  otherArticles: number;
  languages: string[];
  /** For an update: how many of the story's articles the channel was shown, and when it first was. */
  shownBefore: { articles: number; firstAt: string } | null;
  score: number;
}

export interface DigestSection {
  /** The topic the section is about; null for the stories no section topic covers. */
  topic: string | null;
  /** Two or three sentences across the section's stories (none for a one-story section or the catch-all). */
  summary: string[];
  /** The extractive sentences, each with its story and article. */
  sentences: TopicSentence[];
  summaryBy: 'extractive' | 'llm';
  /** Keys of its stories, in rank order. */
  stories: string[];
}

/** A platform-neutral digest: adapters render it, `newsbrief digest --json` prints it. */
export interface Digest {
  window: { from: string; to: string };
  /** The top stories, best first. */
  stories: DigestStory[];
  /** The same stories grouped by topic; every story is in exactly one section. */
  sections: DigestSection[];
  /** Articles in the window, before grouping. */
  articleCount: number;
  /** Stories in the window that matched the channel (before the top N were taken). */
  storyCount: number;
  lang: Lang | null;
}

export interface DigestOptions {
  from: Date;
  to: Date;
  /** Most stories to include. */
  limit: number;
  /** Only stories tagged with one of these topics (a channel's subscriptions), which become the sections. */
  topics?: readonly string[];
  /** Stories its saved queries found: they are in too, whatever their topics (null: no saved queries). */
  queryStories?: ReadonlySet<number> | null;
  /** The channel the digest is for: what it was shown before is marked (updates) or left out. */
  channel?: string | null;
  /** The reader's language: titles and summaries come from articles in it when a story has any. */
  lang?: Lang | null;
  /** Summary sentences per story; default 3. */
  summarySentences?: number;
  /** Topic summary sentences per section; default 3. */
  topicSentences?: number;
}

/** Articles (groups of copies) a story's summary reads. */
const MAX_SUMMARY_SOURCES = 8;

interface Candidate {
  header: StoryHeader;
  members: WindowMember[];
  /** Article id → the canonical article of its group of copies (itself when it has no copy). */
  canonical: Map<number, number>;
  shown: { articleIds: Set<number>; firstAt: string } | null;
  score: number;
  newestMs: number;
  independent: number;
  languages: string[];
}

/**
 * Groups of copies among a story's window articles (connected through copy links), each mapped to its
 * canonical member: a wire service's copy, else the earliest.
 */
function canonicalCopies(members: readonly WindowMember[], links: readonly [number, number][]): Map<number, number> {
  const parent = new Map(members.map((m) => [m.articleId, m.articleId]));
  const find = (id: number): number => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root) as number;
    parent.set(id, root);
    return root;
  };
  for (const [a, b] of links) if (parent.has(a) && parent.has(b)) parent.set(find(a), find(b));
  const groups = new Map<number, WindowMember[]>();
  for (const m of members) {
    const root = find(m.articleId);
    const group = groups.get(root);
    if (group) group.push(m);
    else groups.set(root, [m]);
  }
  const canonical = new Map<number, number>();
  for (const group of groups.values()) {
    const best = group
      .map((m) => ({ id: m.articleId, sourceName: m.sourceName, publishedMs: m.publishedMs, lang: m.lang }))
      .sort(compareForLead(null))[0] as { id: number };
    for (const m of group) canonical.set(m.articleId, best.id);
  }
  return canonical;
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/**
 * Builds a channel's digest for a window: every story once, with all its sources, ranked (see `rank.ts`), the
 * top N summarized and grouped by topic (see `sections.ts`). For a channel, articles it was shown before are
 * marked, a story it was shown before comes back as an update, and a story with nothing new is left out.
 * Only reads: articles without a story yet are placed by ingestion (`Ingestor.indexPendingStories`), never on
 * this read path, which answers commands.
 */
export async function buildDigest(store: AsyncTransaction, options: DigestOptions): Promise<Digest> {
  const fromMs = options.from.getTime();
  const toMs = options.to.getTime();
  const window = { from: options.from.toISOString(), to: options.to.toISOString() };
  const lang = options.lang ?? null;
  const wanted = options.topics ?? [];

  const members = await store.stories.windowMembers(fromMs, toMs);
  const candidates = await rankedCandidates(store, members, {
    fromMs,
    toMs,
    wanted,
    queryStories: options.queryStories ?? null,
    channel: options.channel ?? null,
  });
  const top = candidates.slice(0, Math.max(0, options.limit));

  // Full text only for the articles a summary reads: one per group of copies, a few per story.
  const summaryIds = new Map(top.map((c) => [c.header.id, summarySources(c, lang)]));
  const articles = new Map((await store.articles.getMany([...summaryIds.values()].flat())).map((a) => [a.id, a]));
  const stories = top.map((c) =>
    toDigestStory(c, summaryIds.get(c.header.id) ?? [], articles, lang, options.summarySentences ?? 3),
  );
  const kinds = new Map((await store.topics.list()).map((t) => [t.id, t.kind]));
  const plans = planSections(
    top.map((c) => ({ key: c.header.key, tags: c.header.tags })),
    wanted,
    (id) => kinds.get(id),
  );
  const langOfStory = (story: DigestStory | undefined) => {
    const first = story?.sentences[0];
    return first ? articles.get(first.articleId)?.lang : undefined;
  };
  const byKey = new Map(stories.map((s) => [s.key, s]));
  const sections = plans.map((plan): DigestSection => {
    // The catch-all section is about nothing in particular: it gets no summary.
    const sentences =
      plan.topic === null
        ? []
        : summarizeTopic(
            plan.storyKeys.map((key) => ({
              storyKey: key,
              sentences: byKey.get(key)?.sentences ?? [],
              lang: langOfStory(byKey.get(key)),
            })),
            { sentences: options.topicSentences ?? 3, lang: lang ?? undefined },
          );
    return {
      topic: plan.topic,
      summary: sentences.map((sentence) => sentence.text),
      sentences,
      summaryBy: 'extractive',
      stories: plan.storyKeys,
    };
  });
  return { window, stories, sections, articleCount: members.length, storyCount: candidates.length, lang };
}

/** The window's stories that match the channel and have something it was not shown, best first. */
async function rankedCandidates(
  store: AsyncTransaction,
  members: readonly WindowMember[],
  context: {
    fromMs: number;
    toMs: number;
    wanted: readonly string[];
    queryStories: ReadonlySet<number> | null;
    channel: string | null;
  },
): Promise<Candidate[]> {
  const byStory = new Map<number, WindowMember[]>();
  for (const member of members) {
    const list = byStory.get(member.storyId);
    if (list) list.push(member);
    else byStory.set(member.storyId, [member]);
  }
  const { wanted, channel, queryStories } = context;
  const everything = wanted.length === 0 && queryStories === null;
  const headers = (await store.stories.headers([...byStory.keys()])).filter(
    (header) =>
      everything || queryStories?.has(header.id) || (wanted.length > 0 && topicMatch(header.tags, wanted) > 0),
  );
  const shownBefore = channel
    ? await store.stories.deliveredStories(
        channel,
        headers.map((h) => h.key),
      )
    : new Map<string, StoryDeliveries>();
  const links = await store.duplicates.linksAmong(members.map((m) => m.articleId));

  const candidates: Candidate[] = [];
  for (const header of headers) {
    const list = byStory.get(header.id) ?? [];
    const shown = shownBefore.get(header.key);
    const shownIds = new Set<number>(shown?.articleIds ?? []);
    if (list.every((m) => shownIds.has(m.articleId))) continue;
    const canonical = canonicalCopies(list, links);
    candidates.push({
      header,
      members: list,
      canonical,
      shown: shown ? { articleIds: shownIds, firstAt: shown.firstAt } : null,
      score: 0,
      newestMs: Math.max(...list.map((m) => m.publishedMs)),
      independent: new Set(canonical.values()).size,
      languages: [...new Set(list.map((m) => m.lang))].sort(),
    });
  }
  const mostSources = Math.max(1, ...candidates.map((c) => c.independent));
  for (const c of candidates) {
    c.score = rankScore(
      {
        independentSources: c.independent,
        publishers: new Set(c.members.map((m) => (m.sourceName ?? m.url ?? String(m.articleId)).toLowerCase())).size,
        languages: c.languages.length,
        newestMs: c.newestMs,
        topicMatch: topicMatch(c.header.tags, wanted),
      },
      { mostSources, fromMs: context.fromMs, toMs: context.toMs },
    );
  }
  return candidates.sort((a, b) => b.score - a.score || b.newestMs - a.newestMs || a.header.id - b.header.id);
}

/** The lead: the reader's language first, then wire copies, then the earliest. */
function leadOf(candidate: Candidate, lang: Lang | null): WindowMember {
  return [...candidate.members].sort((a, b) => compareForLead(lang)(asLead(a), asLead(b)))[0] as WindowMember;
}

function asLead(m: WindowMember) {
  return { id: m.articleId, sourceName: m.sourceName, publishedMs: m.publishedMs, lang: m.lang };
}

const HEADLINE_LANGS: readonly string[] = ['ko', 'en'];

/** The story's best headline in the other of Korean and English than the lead's, when it has coverage in both. */
function otherLanguageTitle(candidate: Candidate, lead: WindowMember): DigestStory['otherTitle'] {
  if (!HEADLINE_LANGS.includes(lead.lang)) return null;
  const otherLang = HEADLINE_LANGS.find((l) => l !== lead.lang) as string;
  const other = candidate.members
    .filter((m) => m.lang === otherLang && m.title.trim() !== '')
    .sort((a, b) => compareForLead(otherLang)(asLead(a), asLead(b)))[0];
  return other ? { lang: otherLang, title: other.title } : null;
}

/** Articles a story's summary reads: the lead, then the canonical copy of each other group, newest groups last. */
function summarySources(candidate: Candidate, lang: Lang | null): number[] {
  const lead = leadOf(candidate, lang);
  const groupOf = (id: number) => candidate.canonical.get(id) ?? id;
  const ids = new Map<number, number>([[groupOf(lead.articleId), lead.articleId]]);
  const byTime = [...candidate.members].sort((a, b) => a.publishedMs - b.publishedMs || a.articleId - b.articleId);
  for (const m of byTime) if (!ids.has(groupOf(m.articleId))) ids.set(groupOf(m.articleId), groupOf(m.articleId));
  return [...ids.values()].slice(0, MAX_SUMMARY_SOURCES);
}

function toDigestStory(
  candidate: Candidate,
  summaryIds: readonly number[],
  articles: Map<number, StoredArticle>,
  lang: Lang | null,
  summarySentences: number,
): DigestStory {
  const lead = leadOf(candidate, lang);
  const groupOf = (id: number) => candidate.canonical.get(id) ?? id;
  const summaryArticles = summaryIds
    .map((id) => articles.get(id))
    .filter((a): a is StoredArticle => a !== undefined)
    .map((a) => ({ id: a.id, title: a.title, paragraphs: a.paragraphs, lang: a.lang }));
  const sentences = summarizeStory(summaryArticles, { sentences: summarySentences, lang: lang ?? undefined });

  const others = candidate.members
    .filter((m) => m.articleId !== lead.articleId)
    .sort((a, b) => a.publishedMs - b.publishedMs || a.articleId - b.articleId);
  const shownIds = candidate.shown?.articleIds ?? new Set<number>();
  const digestArticles = [lead, ...others].map(
    (m): DigestArticle => ({
      id: m.articleId,
      title: m.title,
      url: m.url,
      source: m.sourceName,
      publishedAt: m.publishedAt ?? iso(m.publishedMs),
      lang: m.lang,
      copyOf: groupOf(m.articleId) === m.articleId ? null : groupOf(m.articleId),
      isNew: !shownIds.has(m.articleId),
    }),
  );
  const topics = Object.entries(candidate.header.tags)
    .filter(([, weight]) => weight > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([id]) => id);
  return {
    key: candidate.header.key,
    title: lead.title,
    titleTranslated: false,
    otherTitle: otherLanguageTitle(candidate, lead),
    summary: sentences.map((s) => s.text),
    sentences,
    summaryBy: 'extractive',
    topics,
    articles: digestArticles,
    status: candidate.shown ? 'update' : 'new',
    sources: candidate.independent,
    otherArticles: Math.max(0, candidate.header.articleCount - candidate.members.length),
    languages: candidate.languages,
    shownBefore: candidate.shown
      ? { articles: candidate.shown.articleIds.size, firstAt: candidate.shown.firstAt }
      : null,
    score: Math.round(candidate.score * 1000) / 1000,
  };
}

/**
 * Records that a channel was shown the digest: every article under its story's key (so tomorrow a new article
 * about it is an update), and the time as the channel's last digest.
 */
export async function recordDigestDelivery(
  store: AsyncTransaction,
  channel: string,
  digest: Digest,
  at: string,
): Promise<void> {
  await store.transaction(async (tx) => {
    for (const story of digest.stories) {
      for (const article of story.articles) await tx.deliveries.record(channel, story.key, article.id, at);
    }
    await tx.destinations.markDigestSent(channel, at);
  });
}
