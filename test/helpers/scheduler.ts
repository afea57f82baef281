/**
 * A digest scheduler on a real SQLite file with the sample news, a clock the test moves (it also stamps what the
 * store records) and a platform that records what reached it.
 */
import { join } from 'node:path';
import { openApp } from '../../src/app.ts';
import type { Reply } from '../../src/commands/reply.ts';
import { DigestScheduler, type SchedulerOptions } from '../../src/delivery/digestScheduler.ts';
import { newDestination } from '../../src/engine/destinations.ts';
import type { PostResult, PostTarget, ThreadResult } from '../../src/engine/port.ts';
import { SAMPLE_NEWS_PATH } from '../../src/paths.ts';

export const MINUTE = 60_000;

export type SchedulerApp = ReturnType<typeof openApp>;
export interface Clock {
  ms: number;
}

/** The app on `dir`'s database, with the sample news stored the first time. */
export async function sampleWorld(dir: string, clock: Clock) {
  const app = openApp({ dbPath: join(dir, 'nb.db'), configPath: null, now: () => new Date(clock.ms) });
  if (app.store.articles.count() === 0) await app.ingestor.ingestPaths([SAMPLE_NEWS_PATH]);
  return { app, clock };
}

export interface Sent {
  target: PostTarget;
  reply: Reply;
  messageId: string;
}

/**
 * A platform that records what reached it. `answer(n, reply)` may fail the n-th post, or hang it (never settles:
 * the process is killed while it waits); `delayMs` keeps every post in flight that long.
 */
export function recordingPlatform(
  answer: (n: number, reply: Reply) => PostResult | 'hang' | null = () => null,
  delayMs = 0,
) {
  const sent: Sent[] = [];
  const threads: { parent: string; name: string }[] = [];
  let n = 0;
  return {
    sent,
    threads,
    /** Every post asked for, answered or not. */
    attempts: () => n,
    post: async (target: PostTarget, reply: Reply): Promise<PostResult> => {
      const scripted = answer(++n, reply);
      if (scripted === 'hang') return new Promise(() => {});
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (scripted && !scripted.ok) return scripted;
      const messageId = `m${n}`;
      sent.push({ target, reply, messageId });
      return { ok: true, messageId };
    },
    openThread: async (_target: PostTarget, parent: string, name: string): Promise<ThreadResult> => {
      threads.push({ parent, name });
      return { ok: true, threadId: `thread-of-${parent}` };
    },
  };
}

export type RecordingPlatform = ReturnType<typeof recordingPlatform>;

/** A Slack channel of workspace W with a daily digest at `time` in `timeZone`; returns its key. */
export function scheduleChannel(
  app: SchedulerApp,
  channel: string,
  time: string,
  timeZone: string,
  layout: 'single' | 'thread' = 'single',
  storyLimit = 4,
): string {
  const record = newDestination({ platform: 'slack', workspace: 'W', channel, user: null });
  app.store.destinations.ensure({ ...record, digestTime: time, timeZone });
  if (layout === 'thread') app.store.destinations.update(record.key, { digestLayout: 'thread', storyLimit });
  return record.key;
}

export function testScheduler(
  app: SchedulerApp,
  clock: Clock,
  platform: Pick<RecordingPlatform, 'post' | 'openThread'>,
  more: Partial<SchedulerOptions> = {},
): DigestScheduler {
  return new DigestScheduler({
    store: app.storage,
    engine: app.engine,
    post: platform.post,
    openThread: platform.openThread,
    defaultTimeZone: 'Asia/Seoul',
    now: () => new Date(clock.ms),
    holder: 'host:1',
    ...more,
  });
}

export const kinds = (sent: readonly Sent[]) => sent.map((s) => s.reply.kind);
export const storyKeys = (sent: readonly Sent[]) =>
  sent.flatMap((s) => (s.reply.kind === 'digestStory' ? [s.reply.story.key] : []));
