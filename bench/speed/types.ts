import type { Spread } from '../lib/stats.ts';

/** What the size worker measures on one synthetic corpus (printed as one JSON line). */
export interface SizeResult {
  size: number;
  seed: number;
  corpus: { from: string; to: string; korean: number; english: number; wireCopies: number };
  ingest: IngestFigure;
  /**
   * The same corpus into a database of its own through an Ingestor that does not place articles in stories:
   * canonical key, merge, content hash, store, topic tags and the full-text index only.
   */
  ingestWithoutStories: IngestFigure;
  storage: { totalBytes: number; mainBytes: number; walBytesBeforeCheckpoint: number; bytesPerArticle: number };
  search: {
    queries: number;
    p50: Spread;
    p95: Spread;
    p99: Spread;
    perQuery: { query: string; medianMs: number; results: number }[];
  };
  scan: {
    terms: { term: string; ftsMs: Spread; likeMs: Spread; likeMatches: number }[];
    /** Sum of LIKE medians over the sum of FTS medians. */
    likeOverFts: number;
  };
  /** The clock for search and digests: the newest publication instant ingested. */
  now: string;
  windows: { day: { from: string; to: string }; tenThousand: { from: string; to: string } | null };
  rssAfterIngestMb: number;
  peakRssMb: number;
}

/** Ingest throughput over one corpus. */
export interface IngestFigure {
  /** Articles ingested: the whole corpus unless the time limit stopped ingestion early. */
  articles: number;
  complete: boolean;
  /** The ingest time limit in seconds, or null for none. */
  limitSeconds: number | null;
  statuses: Record<string, number>;
  totalSeconds: number;
  /** All articles over all ingest time. */
  overallPerSecond: number;
  sliceSize: number;
  /** Articles per second in each consecutive slice (the later ones run against a fuller database). */
  perSecond: Spread;
  firstSlicePerSecond: number;
  lastSlicePerSecond: number;
}

/** One digest build (printed as one JSON line per run by the digest worker). */
export interface DigestRun {
  ms: number;
  articles: number;
  stories: number;
  peakRssMb: number;
}
