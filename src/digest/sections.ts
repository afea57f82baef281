/**
 * Grouping a digest's stories under topics. A channel's subscribed topics are its sections; a channel without
 * any gets the companies, people and products its stories are mostly about. Every story appears in exactly one
 * section; stories matching none go to a last section without a topic.
 */

export interface SectionStory {
  key: string;
  /** Topic id → mentions (0: only through a child topic). */
  tags: Record<string, number>;
}

export interface SectionPlan {
  topic: string | null;
  /** Story keys in rank order. */
  storyKeys: string[];
}

/** Kinds a section can be about when the channel chose none, broadest entity first. */
const AUTO_KINDS = ['company', 'person', 'product'];
const MAX_AUTO_SECTIONS = 5;

/**
 * Sections for ranked stories. With `wanted` topics: each story goes under the wanted topic it mentions most
 * (ties: the channel's order); sections are ordered by their best story. Without: each story's main entity
 * (its most mentioned company, else person, else product) becomes a section when it has two or more stories.
 */
export function planSections(
  stories: readonly SectionStory[],
  wanted: readonly string[],
  kindOf: (topicId: string) => string | undefined,
): SectionPlan[] {
  const topicOf = (story: SectionStory): string | null =>
    wanted.length > 0 ? bestWanted(story.tags, wanted) : mainEntity(story.tags, kindOf);
  const byTopic = new Map<string | null, string[]>();
  for (const story of stories) {
    const topic = topicOf(story);
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), story.key]);
  }
  let sections = [...byTopic.entries()].map(([topic, storyKeys]) => ({ topic, storyKeys }));
  if (wanted.length === 0) {
    // A lone story does not make a section; more than a few sections is no grouping at all.
    const keep = new Set(
      sections
        .filter((s) => s.topic !== null && s.storyKeys.length >= 2)
        .slice(0, MAX_AUTO_SECTIONS)
        .map((s) => s.topic),
    );
    const rest = sections.filter((s) => !keep.has(s.topic)).flatMap((s) => s.storyKeys);
    const rank = new Map(stories.map((s, i) => [s.key, i]));
    sections = sections.filter((s) => keep.has(s.topic));
    if (rest.length > 0) {
      sections.push({ topic: null, storyKeys: rest.sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0)) });
    }
  }
  // Sections in the order of their best story; the catch-all last.
  const rank = new Map(stories.map((s, i) => [s.key, i]));
  const best = (s: SectionPlan) => rank.get(s.storyKeys[0] as string) ?? 0;
  return sections.sort((a, b) => Number(a.topic === null) - Number(b.topic === null) || best(a) - best(b));
}

function bestWanted(tags: Record<string, number>, wanted: readonly string[]): string | null {
  let best: string | null = null;
  let bestWeight = -1;
  for (const id of wanted) {
    const weight = tags[id];
    if (weight !== undefined && weight > bestWeight) {
      best = id;
      bestWeight = weight;
    }
  }
  return best;
}

function mainEntity(tags: Record<string, number>, kindOf: (topicId: string) => string | undefined): string | null {
  for (const kind of AUTO_KINDS) {
    const entries = Object.entries(tags).filter(([id, weight]) => weight > 0 && kindOf(id) === kind);
    if (entries.length === 0) continue;
    entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    return (entries[0] as [string, number])[0];
  }
  return null;
}
