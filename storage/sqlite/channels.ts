import type {
  DeliveryRepository,
  Mention,
  SubscriptionRepository,
  TopicRecord,
  TopicRepository,
} from '../repositories.ts';
import type { SqliteDatabase } from './database.ts';

export function createTopicRepository(db: SqliteDatabase): TopicRepository {
  const clear = db.prepare('DELETE FROM topics');
  const insert = db.prepare(
    'INSERT INTO topics (id, name_en, name_ko, kind, parent_id) VALUES (@id, @nameEn, @nameKo, @kind, @parentId)',
  );
  const all = db.prepare<[], { id: string; name_en: string; name_ko: string; kind: string; parent_id: string | null }>(
    'SELECT * FROM topics ORDER BY id',
  );
  const counts = db.prepare<[], { topic_id: string; n: number }>(
    'SELECT topic_id, count(*) AS n FROM article_topics GROUP BY topic_id',
  );
  const sync = db.transaction((topics: readonly TopicRecord[]) => {
    clear.run();
    for (const topic of topics) insert.run(topic);
  });
  return {
    sync: (topics) => sync(topics),
    list: () =>
      all.all().map((r) => ({ id: r.id, nameEn: r.name_en, nameKo: r.name_ko, kind: r.kind, parentId: r.parent_id })),
    articleCounts: () => new Map(counts.all().map((r) => [r.topic_id, r.n])),
  };
}

function mentionText(mention: Mention): string {
  return mention.kind === 'here' ? 'here' : `${mention.kind}:${mention.id}`;
}

function mentionOf(text: string): Mention | null {
  if (text === 'here') return { kind: 'here' };
  const m = /^(role|group):(\w{1,32})$/.exec(text);
  return m ? { kind: m[1] as 'role' | 'group', id: m[2] as string } : null;
}

export function createSubscriptionRepository(db: SqliteDatabase, now: () => string): SubscriptionRepository {
  const add = db.prepare('INSERT OR IGNORE INTO subscriptions (channel, topic_id, created_at) VALUES (?, ?, ?)');
  const remove = db.prepare('DELETE FROM subscriptions WHERE channel = ? AND topic_id = ?');
  const list = db.prepare<[string], { topic_id: string }>(
    'SELECT topic_id FROM subscriptions WHERE channel = ? ORDER BY topic_id',
  );
  const addQuery = db.prepare(
    'INSERT INTO saved_queries (destination, query, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const removeQuery = db.prepare('DELETE FROM saved_queries WHERE destination = ? AND query = ?');
  const queries = db.prepare<[string], { query: string }>(
    'SELECT query FROM saved_queries WHERE destination = ? ORDER BY created_at, query',
  );
  const setNotify = db.prepare('UPDATE subscriptions SET notify = ? WHERE channel = ? AND topic_id = ?');
  const notifications = db.prepare<[string], { topic_id: string; notify: string }>(
    'SELECT topic_id, notify FROM subscriptions WHERE channel = ? AND notify IS NOT NULL ORDER BY topic_id',
  );
  const allNotifications = db.prepare<[], { channel: string; topic_id: string; notify: string }>(
    'SELECT channel, topic_id, notify FROM subscriptions WHERE notify IS NOT NULL ORDER BY channel, topic_id',
  );
  const collect = (rows: readonly { topic_id: string; notify: string }[], into = new Map<string, Mention>()) => {
    for (const row of rows) {
      const mention = mentionOf(row.notify);
      if (mention) into.set(row.topic_id, mention);
    }
    return into;
  };
  return {
    setNotify: (channel, topicId, mention) =>
      setNotify.run(mention ? mentionText(mention) : null, channel, topicId).changes > 0,
    notifications: (channel) => collect(notifications.all(channel)),
    allNotifications: () => {
      const byChannel = new Map<string, Map<string, Mention>>();
      for (const row of allNotifications.all()) {
        const topics = byChannel.get(row.channel) ?? new Map<string, Mention>();
        collect([row], topics);
        if (topics.size > 0) byChannel.set(row.channel, topics);
      }
      return byChannel;
    },
    addQuery: (channel, query) => addQuery.run(channel, query, now()).changes > 0,
    removeQuery: (channel, query) => removeQuery.run(channel, query).changes > 0,
    queries: (channel) => queries.all(channel).map((r) => r.query),
    add: (channel, topicId) => add.run(channel, topicId, now()).changes > 0,
    remove: (channel, topicId) => remove.run(channel, topicId).changes > 0,
    list: (channel) => list.all(channel).map((r) => r.topic_id),
  };
}

export function createDeliveryRepository(db: SqliteDatabase): DeliveryRepository {
  const record = db.prepare(
    'INSERT OR IGNORE INTO deliveries (channel, article_id, story_key, delivered_at) VALUES (?, ?, ?, ?)',
  );
  const exists = db.prepare<[string, number], { one: number }>(
    'SELECT 1 AS one FROM deliveries WHERE channel = ? AND article_id = ?',
  );
  return {
    record: (channel, storyKey, articleId, at) => record.run(channel, articleId, storyKey, at).changes > 0,
    wasDelivered: (channel, articleId) => exists.get(channel, articleId) !== undefined,
  };
}
