/**
 * Near-duplicate detection for small sets (search results, a day's digest): the same wire story republished by
 * portals with other headers, footers or a cut-off ending. Character 5-gram shingles of the normalised body,
 * confirmed by Jaccard ≥ 0.7 or containment ≥ 0.8 (a truncated copy is mostly contained in the full one).
 */

const SHINGLE = 5;
const JACCARD_MIN = 0.7;
const CONTAINMENT_MIN = 0.8;
/** Bodies shorter than this are compared by title as well, so two teasers are not called copies by accident. */
const MIN_BODY = 200;

export function shingles(text: string): Set<string> {
  const normalized = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
  const out = new Set<string>();
  const chars = Array.from(normalized);
  for (let i = 0; i + SHINGLE <= chars.length; i++) out.add(chars.slice(i, i + SHINGLE).join(''));
  if (out.size === 0 && normalized) out.add(normalized);
  return out;
}

export function similarity(a: Set<string>, b: Set<string>): { jaccard: number; containment: number } {
  if (a.size === 0 || b.size === 0) return { jaccard: 0, containment: 0 };
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const s of small) if (large.has(s)) shared++;
  return { jaccard: shared / (a.size + b.size - shared), containment: shared / small.size };
}

export interface DuplicateCandidate {
  id: number;
  title: string;
  body: string;
}

/** Groups items that are copies of one another; groups keep the input order of their first member. */
export function groupNearDuplicates<T extends DuplicateCandidate>(items: readonly T[]): T[][] {
  const sets = items.map((item) => shingles(item.body.length >= MIN_BODY ? item.body : `${item.title}\n${item.body}`));
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
      const { jaccard, containment } = similarity(sets[i] as Set<string>, sets[j] as Set<string>);
      const smaller = Math.min((sets[i] as Set<string>).size, (sets[j] as Set<string>).size);
      const contained = containment >= CONTAINMENT_MIN && smaller >= 40;
      if (jaccard >= JACCARD_MIN || contained) parent[find(j)] = find(i);
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
