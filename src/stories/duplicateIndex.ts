import type { DuplicateLink, Store, StoredArticle } from '../../storage/repositories.ts';
import { dedupText } from './dedupText.ts';
import {
  bandKeys,
  estimateContainment,
  estimateJaccard,
  minhashSignature,
  signatureFromBytes,
  signatureToBytes,
} from './minhash.ts';
import { hashedShingles, isCopy, overlap } from './shingles.ts';

/** Copies of a wire story appear within a few days of the original. */
export const COPY_WINDOW_DAYS = 3;
const DAY_MS = 86_400_000;
/** Bodies shorter than this (teasers) are compared with their title, so two teasers are not copies by accident. */
const MIN_BODY = 200;
/** Candidates checked exactly per article; the most similar by band count come first. */
const MAX_CANDIDATES = 20;
/**
 * Signature estimates below the floor cannot be a copy, above the sure line they certainly are (the estimate's
 * standard error at 128 hashes is at most 0.045); only the ones between are checked on the texts.
 */
const ESTIMATE_FLOOR = { jaccard: 0.55, containment: 0.65 };
const ESTIMATE_SURE = { jaccard: 0.85, containment: 0.95 };
/** Containment estimated from signatures is trusted only for texts this long (in shingles). */
const MIN_SURE_SHINGLES = 160;

/** The text an article is compared by: its cleaned body, or title and every line when it is only a teaser. */
export function copyText(article: Pick<StoredArticle, 'title' | 'paragraphs'>): string {
  const body = dedupText(article.paragraphs);
  return body.length >= MIN_BODY ? body : [article.title, ...article.paragraphs].join('\n');
}

/**
 * The near-duplicate index: every article's MinHash signature and LSH band keys live in SQLite, so finding the
 * copies of a new article costs a few indexed lookups however large the archive grows. Candidates from the
 * bands are screened by their signatures and confirmed on the texts (Jaccard ≥ 0.7 or containment ≥ 0.8).
 */
export class DuplicateIndex {
  constructor(private readonly store: Store) {}

  /** Indexes the article (replacing an earlier version) and returns the stored articles it is a copy of. */
  index(article: StoredArticle, timeMs: number): DuplicateLink[] {
    const ownShingles = hashedShingles(copyText(article));
    const signature = minhashSignature(Uint32Array.from(ownShingles));
    const bands = bandKeys(signature);
    const duplicates = this.store.duplicates;
    duplicates.putSignature(
      { articleId: article.id, timeMs, shingleCount: ownShingles.size, minhash: signatureToBytes(signature) },
      bands,
    );
    const window = COPY_WINDOW_DAYS * DAY_MS;
    const links: DuplicateLink[] = [];
    const unsure: number[] = [];
    for (const candidate of duplicates.candidates(
      bands,
      timeMs - window,
      timeMs + window,
      article.id,
      MAX_CANDIDATES,
    )) {
      const jaccard = estimateJaccard(signature, signatureFromBytes(candidate.minhash));
      const containment = estimateContainment(jaccard, ownShingles.size, candidate.shingleCount);
      const smaller = Math.min(ownShingles.size, candidate.shingleCount);
      if (
        jaccard >= ESTIMATE_SURE.jaccard ||
        (containment >= ESTIMATE_SURE.containment && smaller >= MIN_SURE_SHINGLES)
      ) {
        links.push({ otherId: candidate.articleId, jaccard: round(jaccard), containment: round(containment) });
      } else if (jaccard >= ESTIMATE_FLOOR.jaccard || containment >= ESTIMATE_FLOOR.containment) {
        unsure.push(candidate.articleId);
      }
    }
    for (const other of this.store.articles.getMany(unsure)) {
      const otherShingles = hashedShingles(copyText(other));
      const found = overlap(ownShingles, otherShingles);
      if (isCopy(found, Math.min(ownShingles.size, otherShingles.size))) {
        links.push({ otherId: other.id, jaccard: round(found.jaccard), containment: round(found.containment) });
      }
    }
    duplicates.setLinks(article.id, links);
    return links;
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
