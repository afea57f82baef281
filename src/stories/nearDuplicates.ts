/**
 * Near-duplicate grouping for small sets (search results): the same wire story republished by portals with
 * other headers, footers or a cut-off ending. The same copy rule as the stored index (`duplicateIndex.ts`):
 * character 5-gram shingles, Jaccard ≥ 0.7 or containment ≥ 0.8, compared pairwise.
 */
import { hashedShingles, isCopy, overlap } from './shingles.ts';

/** Bodies shorter than this are compared by title as well, so two teasers are not called copies by accident. */
const MIN_BODY = 200;

export interface DuplicateCandidate {
  id: number;
  title: string;
  body: string;
}

/** Groups items that are copies of one another; groups keep the input order of their first member. */
export function groupNearDuplicates<T extends DuplicateCandidate>(items: readonly T[]): T[][] {
  const sets = items.map((item) =>
    hashedShingles(item.body.length >= MIN_BODY ? item.body : `${item.title}\n${item.body}`),
  );
  const parent = items.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i] as number] as number;
      i = parent[i] as number;
    }
    return i;
  };
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const a = sets[i] as Set<number>;
      const b = sets[j] as Set<number>;
      if (isCopy(overlap(a, b), Math.min(a.size, b.size))) parent[find(j)] = find(i);
    }
  }
  const groups = new Map<number, T[]>();
  items.forEach((item, i) => {
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(item);
    else groups.set(root, [item]);
  });
  return [...groups.values()];
}
