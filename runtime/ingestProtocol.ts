import type { SourceFetchOutcome } from '../src/ingest/remote.ts';

/** What the ingest thread is started with. */
export interface IngestWorkerData {
  /** The worker module to load (used by bin/ts-worker.js when running from source). */
  entry?: string;
  dbPath: string;
  /** PostgreSQL instead of the SQLite file (`App.databaseUrl`); absent or null: the file. */
  databaseUrl?: string | null;
  configPath: string | null;
  /** Poll the configured feeds (off for a thread that only ingests what it is asked to). */
  poll: boolean;
}

export type IngestRequest =
  | { id: number; type: 'initialRound' }
  | { id: number; type: 'refresh'; url: string }
  | { id: number; type: 'fetchSource'; sourceId: number }
  | { id: number; type: 'ingestPaths'; paths: string[] }
  | { id: number; type: 'addSource'; url: string; addedBy: string; backlog: number }
  | { id: number; type: 'releaseBacklog'; source: number; count: number; by: string }
  | { id: number; type: 'removeSource'; url: string; by: string }
  | { id: number; type: 'stop' };

/** One fetch of a source, as the main thread logs and counts it. */
export interface FetchEvent {
  url: string;
  name: string | null;
  status: SourceFetchOutcome['status'];
  error: string | null;
  added: number;
  updated: number;
  failedItems: number;
  nextFetchAt: string | null;
  ms: number;
  /** Articles this fetch added, for alerts; empty for a source's first fetch (a backlog, not news). */
  addedIds: number[];
}

export type IngestMessage =
  | { type: 'ready'; sources: number }
  | { type: 'done'; id: number; result?: unknown; error?: string }
  | { type: 'fetched'; event: FetchEvent }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; fields: Record<string, unknown>; message: string };
