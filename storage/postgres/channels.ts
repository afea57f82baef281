import type { Async } from '../asyncStore.ts';
import type { Mention, SubscriptionRepository, TopicRecord, TopicRepository } from '../repositories.ts';
import { type Executor, inTransaction } from './database.ts';

/** The key of the advisory lock a catalog sync holds (any constant; advisory locks are per database). */
const TOPIC_SYNC_LOCK_KEY = 4_652_097_319;

export function createTopicRepository(pool: Executor): Async<TopicRepository> {
  return {
    sync: async (topics: readonly TopicRecord[]) => {
      await inTransaction(pool, async (client) => {
        // processes starting together each sync the catalog: one after another, or the second insert would find
        // the first one's rows, which its DELETE could not see
        await client.query('SELECT pg_advisory_xact_lock($1)', [TOPIC_SYNC_LOCK_KEY]);
        await client.query('DELETE FROM topics');
        if (topics.length === 0) return;
        await client.query(
          `INSERT INTO topics (id, name_en, name_ko, kind, parent_id)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])`,
          [
            topics.map((t) => t.id),
            topics.map((t) => t.nameEn),
            topics.map((t) => t.nameKo),
            topics.map((t) => t.kind),
            topics.map((t) => t.parentId),
          ],
        );
      });
    },
    list: async () => {
      const { rows } = await pool.query<{
        id: string;
        name_en: string;
        name_ko: string;
        kind: string;
        parent_id: string | null;
      }>('SELECT * FROM topics ORDER BY id');
      return rows.map((r) => ({ id: r.id, nameEn: r.name_en, nameKo: r.name_ko, kind: r.kind, parentId: r.parent_id }));
    },
    articleCounts: async () => {
      const { rows } = await pool.query<{ topic_id: string; n: number }>(
        'SELECT topic_id, count(*) AS n FROM article_topics GROUP BY topic_id',
      );
      return new Map(rows.map((r) => [r.topic_id, r.n]));
    },
  };
}

/** A mention as stored, the same text as on SQLite: `role:<id>`, `group:<id>` or `here`. */
function mentionText(mention: Mention): string {
  return mention.kind === 'here' ? 'here' : `${mention.kind}:${mention.id}`;
}

function mentionOf(text: string): Mention | null {
  if (text === 'here') return { kind: 'here' };
  const m = /^(role|group):(\w{1,32})$/.exec(text);
  return m ? { kind: m[1] as 'role' | 'group', id: m[2] as string } : null;
}

export function createSubscriptionRepository(pool: Executor, now: () => string): Async<SubscriptionRepository> {
  const changed = async (sql: string, params: unknown[]) => ((await pool.query(sql, params)).rowCount ?? 0) > 0;
  const collect = (rows: readonly { topic_id: string; notify: string }[], into = new Map<string, Mention>()) => {
    for (const row of rows) {
      const mention = mentionOf(row.notify);
      if (mention) into.set(row.topic_id, mention);
    }
    return into;
  };
  return {
    add: (channel, topicId) =>
      changed('INSERT INTO subscriptions (channel, topic_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
        channel,
        topicId,
        now(),
      ]),
    setNotify: (channel, topicId, mention) =>
      changed('UPDATE subscriptions SET notify = $3 WHERE channel = $1 AND topic_id = $2', [
        channel,
        topicId,
        mention ? mentionText(mention) : null,
      ]),
    notifications: async (channel) => {
      const { rows } = await pool.query<{ topic_id: string; notify: string }>(
        'SELECT topic_id, notify FROM subscriptions WHERE channel = $1 AND notify IS NOT NULL ORDER BY topic_id',
        [channel],
      );
      return collect(rows);
    },
    allNotifications: async () => {
      const { rows } = await pool.query<{ channel: string; topic_id: string; notify: string }>(
        'SELECT channel, topic_id, notify FROM subscriptions WHERE notify IS NOT NULL ORDER BY channel, topic_id',
      );
      const byChannel = new Map<string, Map<string, Mention>>();
      for (const row of rows) {
        const topics = byChannel.get(row.channel) ?? new Map<string, Mention>();
        collect([row], topics);
        if (topics.size > 0) byChannel.set(row.channel, topics);
      }
      return byChannel;
    },
    remove: (channel, topicId) =>
      changed('DELETE FROM subscriptions WHERE channel = $1 AND topic_id = $2', [channel, topicId]),
    list: async (channel) =>
      (
        await pool.query<{ topic_id: string }>(
          'SELECT topic_id FROM subscriptions WHERE channel = $1 ORDER BY topic_id',
          [channel],
        )
      ).rows.map((r) => r.topic_id),
    addQuery: (channel, query) =>
      changed('INSERT INTO saved_queries (destination, query, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
        channel,
        query,
        now(),
      ]),
    removeQuery: (channel, query) =>
      changed('DELETE FROM saved_queries WHERE destination = $1 AND query = $2', [channel, query]),
    queries: async (channel) =>
      (
        await pool.query<{ query: string }>(
          'SELECT query FROM saved_queries WHERE destination = $1 ORDER BY created_at, query',
          [channel],
        )
      ).rows.map((r) => r.query),
  };
}
