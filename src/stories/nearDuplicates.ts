/**
 * Near-duplicate grouping for small sets (search results): the same wire story republished by portals with
 * other headers, footers or a cut-off ending. The same copy rule as the stored index (`duplicateIndex.ts`):
 * character 5-gram shingles, Jaccard ≥ 0.7 or containment ≥ 0.8, compared pairwise.
 */
import {
  COPY_CONTAINMENT,
  COPY_JACCARD,
  hashedShingles,
  isCopy,
  MIN_CONTAINED_SHINGLES,
  type ShingleSet,
} from './shingles.ts';

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
      const a = sets[i] as ShingleSet;
      const b = sets[j] as ShingleSet;
      if (areCopies(a, b)) parent[find(j)] = find(i);
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

/**
 * The copy rule (`isCopy`) on two shingle sets, giving up as soon as too many of the smaller set's shingles are
 * missing from the larger for either threshold to be reached: most pairs of search results are not copies, and
 * for them this reads a fraction of the set.
 */
function areCopies(a: ShingleSet, b: ShingleSet): boolean {
  if (a.length === 0 || b.length === 0) return false;
  const [small, large] = a.length <= b.length ? [a, b] : [b, a];
  // Jaccard s / (|A| + |B| − s) ≥ J  ⇔  s ≥ J (|A| + |B|) / (1 + J); containment s / |small| ≥ C  ⇔  s ≥ C |small|.
  const forJaccard = (COPY_JACCARD * (a.length + b.length)) / (1 + COPY_JACCARD);
  const needed =
    small.length >= MIN_CONTAINED_SHINGLES ? Math.min(forJaccard, COPY_CONTAINMENT * small.length) : forJaccard;
  // A margin below `needed`, so that rounding never stops a pair the exact rule would accept.
  const allowedMisses = small.length - needed + 1;
  let shared = 0;
  let misses = 0;
  let j = 0;
  for (let i = 0; i < small.length; i++) {
    const shingle = small[i] as number;
    while (j < large.length && (large[j] as number) < shingle) j++;
    if (j < large.length && large[j] === shingle) shared++;
    else if (++misses > allowedMisses) return false;
  }
  return isCopy({ jaccard: shared / (a.length + b.length - shared), containment: shared / small.length }, small.length);
}
