/**
 * A worker process for the kill tests: a pg-boss job queue on DATABASE_URL and SCHEMA (the tests' fast settings)
 * working `fetch` jobs whose handler prints `started <job id> <attempt>` and then runs until its signal aborts.
 * Prints `ready` once it works, and its queue's warnings and errors on stderr.
 * Run: `node bin/run-ts.js test/jobs/workerProcess.ts DATABASE_URL SCHEMA`.
 */
import { PgBossJobQueue } from '../../runtime/jobs/pgBossQueue.ts';
import { FAST, FAST_PG } from './backends.ts';

const [url, schema] = process.argv.slice(2);
if (!url || !schema) {
  console.error('usage: workerProcess.ts DATABASE_URL SCHEMA');
  process.exit(2);
}
const queue = new PgBossJobQueue(url, {
  ...FAST_PG,
  schema,
  policies: FAST,
  log: {
    warn: (fields, message) => process.stderr.write(`warn ${message} ${JSON.stringify(fields)}\n`),
    error: (fields, message) => process.stderr.write(`error ${message} ${JSON.stringify(fields)}\n`),
  },
});
await queue.start();
await queue.work('fetch', async (_payload, { id, attempt, signal }) => {
  process.stdout.write(`started ${id} ${attempt}\n`);
  await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
});
process.stdout.write('ready\n');
