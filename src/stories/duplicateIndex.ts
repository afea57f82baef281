import type { AsyncRepositories } from '../../storage/asyncStore.ts';
import type { DuplicateLink, StoredArticle } from '../../storage/repositories.ts';
import { BandIndex } from './bandIndex.ts';
import { dedupText } from './dedupText.ts';
import { bandKeys, estimateContainment, estimateJaccard, minhashSignature, signatureToBytes } from './minhash.ts';
import { distinctShingleHashes, hashedShingles, isCopy, overlap, type ShingleSet, sortShingles } from './shingles.ts';

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
/**
 * Shingles of the articles indexed in the last copy window are kept for checking later articles against them
 * (about 6 KB each), at most this many.
 */
const MAX_KNOWN_SHINGLE_SETS = 12_000;

interface KnownShingles {
  timeMs: number;
  /** The signature stored with them: a stored article whose signature differs has changed since. */
  signature: Uint32Array;
  hashes: Uint32Array;
  sorted: boolean;
}

/** The text an article is compared by: its cleaned body, or title and every line when it is only a teaser. */
export function copyText(article: Pick<StoredArticle, 'title' | 'paragraphs'>): string {
  const body = dedupText(article.paragraphs);
  return body.length >= MIN_BODY ? body : [article.title, ...article.paragraphs].join('\n');
}

/**
 * The near-duplicate index: every article's MinHash signature is stored, and the LSH band keys of the recent
 * ones are indexed in memory (`BandIndex`), so finding the copies of a new article costs a few lookups however
 * large the archive grows. Candidates from the bands are screened by their signatures and confirmed on the
 * texts (Jaccard ≥ 0.7 or containment ≥ 0.8).
 */
export class DuplicateIndex {
  /**
   * Shingles of recently indexed articles: an unsure candidate (checked on the texts) is usually one of them, and
   * would otherwise be read and shingled again.
   */
  private readonly recent = new Map<number, KnownShingles>();
  private readonly bands: BandIndex;

  constructor(private readonly store: Pick<AsyncRepositories, 'articles' | 'duplicates'>) {
    this.bands = new BandIndex(store.duplicates);
  }

  /** Starts journaling the changes of one article (see `BandIndex`). */
  begin(): void {
    this.bands.begin();
  }

  commit(): void {
    this.bands.commit();
  }

  rollback(): void {
    this.bands.rollback();
  }

  /** Forgets what is held in memory (someone else wrote). */
  clear(): void {
    this.bands.clear();
    this.recent.clear();
  }

  /** Indexes the article (replacing an earlier version) and returns the stored articles it is a copy of. */
  async index(article: Pick<StoredArticle, 'id' | 'title' | 'paragraphs'>, timeMs: number): Promise<DuplicateLink[]> {
    const hashes = distinctShingleHashes(copyText(article));
    const shingleCount = hashes.length;
    const signature = minhashSignature(hashes);
    const own: KnownShingles = { timeMs, signature, hashes, sorted: false };
    const bands = bandKeys(signature);
    const duplicates = this.store.duplicates;
    await duplicates.putSignature({
      articleId: article.id,
      timeMs,
      shingleCount,
      minhash: signatureToBytes(signature),
    });
    this.bands.put({ articleId: article.id, timeMs, shingleCount, signature, bands });
    this.remember(article.id, own);
    const window = COPY_WINDOW_DAYS * DAY_MS;
    const links: DuplicateLink[] = [];
    const unsure: { articleId: number; signature: Uint32Array; shingleCount: number }[] = [];
    const candidates = await this.bands.candidates(bands, timeMs - window, timeMs + window, article.id, MAX_CANDIDATES);
    for (const { article: candidate } of candidates) {
      const jaccard = estimateJaccard(signature, candidate.signature);
      const containment = estimateContainment(jaccard, shingleCount, candidate.shingleCount);
      const smaller = Math.min(shingleCount, candidate.shingleCount);
      if (
        jaccard >= ESTIMATE_SURE.jaccard ||
        (containment >= ESTIMATE_SURE.containment && smaller >= MIN_SURE_SHINGLES)
      ) {
        links.push({ otherId: candidate.articleId, jaccard: round(jaccard), containment: round(containment) });
      } else if (jaccard >= ESTIMATE_FLOOR.jaccard || containment >= ESTIMATE_FLOOR.containment) {
        unsure.push(candidate);
      }
    }
    if (unsure.length > 0) {
      const ownShingles = sorted(own);
      const known = await this.shinglesOf(unsure);
      for (const { articleId } of unsure) {
        const otherShingles = known.get(articleId);
        if (!otherShingles) continue;
        const found = overlap(ownShingles, otherShingles);
        if (isCopy(found, Math.min(ownShingles.length, otherShingles.length))) {
          links.push({ otherId: articleId, jaccard: round(found.jaccard), containment: round(found.containment) });
        }
      }
    }
    await duplicates.setLinks(article.id, links);
    return links;
  }

  /** The shingle sets of stored articles: remembered when they are what is stored now, else read and computed. */
  private async shinglesOf(
    wanted: readonly { articleId: number; signature: Uint32Array; shingleCount: number }[],
  ): Promise<Map<number, ShingleSet>> {
    const out = new Map<number, ShingleSet>();
    const missing: number[] = [];
    for (const { articleId, signature, shingleCount } of wanted) {
      const known = this.recent.get(articleId);
      if (known && known.hashes.length === shingleCount && sameSignature(known.signature, signature)) {
        out.set(articleId, sorted(known));
      } else {
        missing.push(articleId);
      }
    }
    for (const other of missing.length > 0 ? await this.store.articles.getMany(missing) : []) {
      out.set(other.id, hashedShingles(copyText(other)));
    }
    return out;
  }

  /** Keeps the article's shingles; drops the oldest kept that a copy window from it no longer reaches. */
  private remember(articleId: number, shingles: KnownShingles): void {
    this.recent.delete(articleId);
    const reach = shingles.timeMs - COPY_WINDOW_DAYS * DAY_MS;
    for (const [id, known] of this.recent) {
      if (known.timeMs >= reach && this.recent.size < MAX_KNOWN_SHINGLE_SETS) break;
      this.recent.delete(id);
    }
    this.recent.set(articleId, shingles);
  }
}

/** The known shingles as a sorted set (sorted in place the first time). */
function sorted(known: KnownShingles): ShingleSet {
  if (!known.sorted) {
    sortShingles(known.hashes);
    known.sorted = true;
  }
  return known.hashes;
}

function sameSignature(a: Uint32Array, b: Uint32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
