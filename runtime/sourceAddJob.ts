/**
 * `/news sources add` when the roles run apart: the web process sends an `addSource` job and waits (bounded) for
 * its result; a worker runs it in its ingest thread, with the same `addSource` (and SSRF guard) as one process.
 * Fetching an outside URL, parsing, holding the backlog and indexing never run in the process that answers chat.
 */
import { z } from 'zod';
import type { SourceAddResult, SourceControl } from '../src/engine/sources.ts';
import type { Logger } from '../src/ops/logger.ts';
import type { IngestThread } from './ingestThread.ts';
import { awaitJob } from './jobs/awaitJob.ts';
import type { JobQueue } from './jobs/queue.ts';

/** The job's output as a worker leaves it: read back from the shared database, so checked again. */
const resultSchema = z.union([
  z.object({
    ok: z.literal(true),
    url: z.string(),
    foundOn: z.string().nullable(),
    sourceId: z.number().int(),
    name: z.string(),
    items: z.number().int(),
    added: z.number().int(),
    held: z.number().int(),
    lang: z.string().nullable(),
    newest: z.object({ title: z.string(), publishedAt: z.string().nullable() }).nullable(),
  }),
  z.object({
    ok: z.literal(false),
    problem: z.enum(['blocked', 'not-found', 'not-a-feed', 'timeout', 'unreachable', 'already', 'failed']),
  }),
]);

/** The web side: `SourceControl.add` as a job, answered within `waitMs` (else: still being added). */
export function queuedSourceAdd(queue: JobQueue, waitMs: number, log: Logger): SourceControl['add'] {
  return async (url, addedBy, { backlog }) => {
    const { id } = await queue.send('addSource', { url, addedBy, backlog });
    const job = await awaitJob(queue, 'addSource', id, { timeoutMs: waitMs });
    if (!job) {
      log.info({ job: id, url, waitMs }, 'source add still running: answered as pending');
      return { ok: 'pending', url };
    }
    const result = resultSchema.safeParse(job.output);
    if (job.state === 'completed' && result.success) return result.data;
    log.warn({ job: id, url, state: job.state, error: job.error }, 'source add job failed');
    return { ok: false, problem: 'failed' };
  };
}

/** The worker side: the job run in this process's ingest thread; its result is the job's output. */
export async function workOnSourceAdds(
  queue: JobQueue,
  ingest: IngestThread,
  log: Logger,
  concurrency: number,
): Promise<void> {
  await queue.work(
    'addSource',
    async ({ url, addedBy, backlog }, { id, attempt }) => {
      const result: SourceAddResult = await ingest.addSource(url, addedBy, backlog);
      const summary =
        result.ok === true
          ? { ok: true, sourceId: result.sourceId, added: result.added, held: result.held }
          : { ok: false, problem: 'problem' in result ? result.problem : null };
      log.info({ job: id, attempt, url, ...summary }, 'source add job');
      return result;
    },
    { concurrency },
  );
}
