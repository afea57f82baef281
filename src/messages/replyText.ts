/**
 * The lines of the replies that are plain reports (`status`, `why`), in the reply's language: every adapter shows
 * the same sentences and only wraps them in its platform's format. Untrusted text (titles, feed names, errors)
 * comes back as it is: the adapter escapes it for its platform.
 */
import type { ReplyOf } from '../commands/reply.ts';
import { formatLocalTime } from '../text/formatTime.ts';
import { messages } from './catalog.ts';

/** The line above a digest preview: only the caller sees it, and when the digest will be posted (local time). */
export function previewLine(reply: ReplyOf<'digest'>): string | null {
  if (!reply.preview) return null;
  const at = reply.preview.postsAt;
  return messages(reply.lang).digest.preview(at ? formatLocalTime(at, reply.timeZone) : null);
}

/** A feed added in chat: what it holds, where it was found, and what goes into digests. */
export function sourceAddedLines(reply: ReplyOf<'sourceAdded'>): string[] {
  const s = messages(reply.lang).sources;
  const { source } = reply;
  const lines = [s.added(source.name, source.items, source.lang, source.newest?.title ?? null)];
  if (source.foundOn !== null) lines.push(s.foundOn(source.url));
  lines.push(s.backlog(source.taken, source.held));
  return lines;
}

/** Who the channel's subscriptions notify, a line per topic (mentions described, never written as mentions). */
export function notificationLines(reply: ReplyOf<'topics'>): string[] {
  const t = messages(reply.lang).topics;
  return (reply.notifications ?? []).map((n) => t.notifies(n.topic.name, t.mention(n.mention)));
}

/** The status report without its heading: schedule, pause, last and next digest, sources (failing ones indented). */
export function statusLines(reply: ReplyOf<'status'>): string[] {
  const s = messages(reply.lang).status;
  const when = (iso: string) => formatLocalTime(iso, reply.timeZone);
  const lines = [
    reply.schedule
      ? s.schedule(reply.schedule.time, reply.schedule.timeZone, s.days(reply.schedule.weekdays))
      : s.noSchedule,
  ];
  if (reply.pausedReason) lines.push(s.pausedBecause(reply.pausedReason));
  else if (reply.paused) lines.push(s.paused);
  lines.push(reply.lastDigestAt ? s.lastDigest(when(reply.lastDigestAt)) : s.noDigestYet);
  if (reply.lastFailure) lines.push(s.lastFailure(when(reply.lastFailure.at), reply.lastFailure.failure));
  if (reply.nextDigestAt) lines.push(s.nextDigest(when(reply.nextDigestAt)));
  lines.push(s.limits(reply.limits.stories, reply.limits.alertsPerDay, reply.limits.own));
  lines.push(s.layout(reply.layout));
  const { failing, total } = reply.sources;
  lines.push(failing.length === 0 ? s.sourcesOk(total) : s.sourcesFailing(failing.length, total));
  for (const f of failing.slice(0, 20))
    lines.push(s.failingSource(f.name, f.failures, (f.lastError ?? '').slice(0, 160)));
  return lines;
}

export function sourcesLines(reply: ReplyOf<'sources'>): string[] {
  const s = messages(reply.lang).sources;
  if (reply.sources.length === 0) return [s.none];
  return [
    s.heading(reply.sources.length),
    ...reply.sources.map((source) => {
      const health =
        source.failures > 0
          ? s.failing(source.failures, source.lastError ?? '')
          : source.lastSuccessAt
            ? s.ok(formatLocalTime(source.lastSuccessAt, reply.timeZone))
            : s.neverFetched;
      return `- ${s.line(source.name, source.fromChat ? s.fromChat : s.fromConfig, health)}${source.url ? ` ${source.url}` : ''}`;
    }),
  ];
}

export function whyLines(reply: ReplyOf<'why'>): string[] {
  const w = messages(reply.lang).why;
  const when = (iso: string | null) => (iso ? formatLocalTime(iso, reply.timeZone) : '–');
  const a = reply.article;
  const next = reply.nextDigestAt ? [w.next(when(reply.nextDigestAt))] : [];
  if (!a) return [w.unknown(reply.url), ...next];
  const lines = [w.article(a.title, a.source ?? '–'), w.fetched(when(a.firstSeenAt), when(a.publishedAt))];
  lines.push(a.story ? w.story(a.story.articles) : w.noStory);
  const topics = a.topics.map((t) => t.name).join(', ') || '–';
  if (!a.followsTopics) lines.push(w.topStories);
  else if (a.matched.length > 0) lines.push(w.matched(a.matched.map((t) => t.name).join(', ')));
  else lines.push(w.notMatched(topics));
  if (a.delivered?.thisArticle) lines.push(w.delivered(when(a.delivered.firstAt), when(a.delivered.lastAt)));
  else if (a.delivered) lines.push(w.deliveredOtherSource(when(a.delivered.firstAt)));
  else if (!reply.lastDigestAt || reply.lastDigestAt < a.firstSeenAt) lines.push(w.notYet, ...next);
  else lines.push(w.notDelivered, ...next);
  return lines;
}
