// A worker thread's entry when running the TypeScript sources (tsx): registers tsx in this thread, which does not
// inherit the main thread's loader, then loads the worker module named in workerData.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
