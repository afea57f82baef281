import { Worker } from 'node:worker_threads';
import type { SourceAddResult } from '../src/engine/sources.ts';
import type { FetchEvent, IngestMessage, IngestRequest, IngestWorkerData } from './ingestProtocol.ts';

export interface IngestThreadEvents {
  onFetched?: (event: FetchEvent) => void;
  onLog?: (level: 'info' | 'warn' | 'error', fields: Record<string, unknown>, message: string) => void;
  /** The thread died (a crash, not a stop). */
  onExit?: (error: Error) => void;
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };
type RequestBody = IngestRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** The worker module: the compiled `.js` next to this file, or the `.ts` source through tsx's loader. */
function workerOptions(data: IngestWorkerData): { url: URL; data: IngestWorkerData } {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(`./ingestWorker.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  if (!fromSource) return { url: entry, data };
  return { url: new URL('../bin/ts-worker.js', import.meta.url), data: { ...data, entry: entry.href } };
}

/** The main thread's handle on the ingest thread (`runtime/ingestWorker.ts`). */
export class IngestThread {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private exited = false;

  private constructor(
    private readonly worker: Worker,
    readonly sources: number,
  ) {}

  /** Starts the thread; resolves once it has opened the database and (when polling) started its poller. */
  static start(data: IngestWorkerData, events: IngestThreadEvents = {}): Promise<IngestThread> {
    const { url, data: workerData } = workerOptions(data);
    const worker = new Worker(url, { workerData });
    return new Promise((resolve, reject) => {
      let thread: IngestThread | null = null;
      worker.on('message', (message: IngestMessage) => {
        switch (message.type) {
          case 'ready':
            thread = new IngestThread(worker, message.sources);
            resolve(thread);
            return;
          case 'done':
            thread?.settle(message);
            return;
          case 'fetched':
            events.onFetched?.(message.event);
            return;
          case 'log':
            events.onLog?.(message.level, message.fields, message.message);
            return;
        }
      });
      worker.on('error', (error) => {
        if (!thread) reject(error);
        else events.onExit?.(error);
        thread?.failAll(error);
      });
      worker.on('exit', (code) => {
        const error = new Error(`the ingest thread exited (code ${code})`);
        if (!thread) reject(error);
        else if (!thread.exited) {
          thread.exited = true;
          thread.failAll(error);
          if (code !== 0) events.onExit?.(error);
        }
      });
    });
  }

  /** Resolves when every source due at start has been fetched once. */
  initialRound(): Promise<void> {
    return this.request({ type: 'initialRound' }).then(() => undefined);
  }

  /** Fetches a configured source now. */
  refresh(url: string): Promise<void> {
    return this.request({ type: 'refresh', url }).then(() => undefined);
  }

  /**
   * Fetches one polled source now, by its id (a worker's fetch job); resolves to its outcome's status, or null when
   * the id names no source that is polled (removed in chat, or gone from the config).
   */
  fetchSource(sourceId: number): Promise<FetchEvent['status'] | null> {
    return this.request({ type: 'fetchSource', sourceId }) as Promise<FetchEvent['status'] | null>;
  }

  /** Fetches a feed named in chat once and polls it from then on (see `SourceControl`). */
  addSource(url: string, addedBy: string, backlog: number): Promise<SourceAddResult> {
    return this.request({ type: 'addSource', url, addedBy, backlog }) as Promise<SourceAddResult>;
  }

  /** Lets held items of a feed the destination added into digests (see `SourceControl.releaseBacklog`). */
  releaseBacklog(source: number, count: number, by: string): Promise<number | null> {
    return this.request({ type: 'releaseBacklog', source, count, by }) as Promise<number | null>;
  }

  removeSource(url: string, by: string): Promise<boolean> {
    return this.request({ type: 'removeSource', url, by }) as Promise<boolean>;
  }

  /** Ingests local files and folders in the thread; resolves with the counts. */
  ingestPaths(paths: string[]): Promise<Record<string, number>> {
    return this.request({ type: 'ingestPaths', paths }) as Promise<Record<string, number>>;
  }

  /**
   * Stops polling, lets the fetch under way finish and closes the thread's database; after `timeoutMs` the
   * thread is terminated (SQLite's journal keeps the database whole: an unfinished batch is rolled back).
   */
  async stop(timeoutMs: number): Promise<void> {
    if (this.exited) return;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const result = await Promise.race([this.request({ type: 'stop' }).catch(() => null), deadline]);
    clearTimeout(timer);
    this.exited = true;
    if (result === 'timeout') await this.worker.terminate();
  }

  private request(body: RequestBody): Promise<unknown> {
    if (this.exited) return Promise.reject(new Error('the ingest thread has stopped'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...body, id });
    });
  }

  private settle(message: Extract<IngestMessage, { type: 'done' }>): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (message.error !== undefined) pending.reject(new Error(message.error));
    else pending.resolve(message.result);
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
