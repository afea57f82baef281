import type { Async } from '../asyncStore.ts';
import type {
  ArticleFeaturesRecord,
  StoryDeliveries,
  StoryHeader,
  StoryKeys,
  StoryMember,
  StoryRecord,
  StoryRepository,
  WindowMember,
} from '../repositories.ts';
import { type StoryRow as Row, type StoryMemberRow, toStoryHeader, toStoryMember } from '../rows.ts';
import { type Executor, inTransaction } from './database.ts';

/** node-postgres gives the json columns parsed; the profile's type is the record's. */
type StoryRow = Omit<Row<unknown>, 'profile' | 'tags'> & { profile: StoryRecord['profile']; tags: StoryHeader['tags'] };
type MemberRow = StoryMemberRow<ArticleFeaturesRecord>;
const toHeader = (row: Omit<StoryRow, 'profile'>): StoryHeader => toStoryHeader(row, row.tags);
const toMember = (row: MemberRow): StoryMember => toStoryMember(row, row.features);

function toStory(row: StoryRow): StoryRecord {
  return { ...toHeader(row), profile: row.profile };
}

const HEADER_COLUMNS = 'id, key, first_ms, last_ms, article_count, version, tags, created_at, updated_at';
const MEMBER_COLUMNS = 'article_id, story_id, copy_of, time_ms, features';

/** JSON as the engine wrote it: the `json` columns keep its text, and so its key order (migration 2). */
const json = (value: unknown) => JSON.stringify(value);

/**
 * Stories on PostgreSQL, with SQLite's orders made explicit where SQLite's plan gives them (several stories by
 * id, a story's keys by key, a window's members by publication). An update bumps the version in the statement
 * itself; a story's keys are replaced in one transaction that first locks the story's row, so two processes
 * replacing them at once leave one process's keys, not a mixture.
 */
export function createStoryRepository(pool: Executor, now: () => string): Async<StoryRepository> {
  const stories = async (sql: string, params: unknown[]) => (await pool.query<StoryRow>(sql, params)).rows;
  const members = async (sql: string, params: unknown[]) =>
    (await pool.query<MemberRow>(sql, params)).rows.map(toMember);
  return {
    create: async (story) => {
      const at = now();
      const [row] = await stories(
        `INSERT INTO stories (key, first_ms, last_ms, article_count, profile, tags, created_at, updated_at)
         VALUES ($1, $2, $3, 0, $4::json, $5::json, $6, $6) RETURNING *`,
        [story.key, story.firstMs, story.lastMs, json(story.profile), json(story.tags), at],
      );
      if (!row) throw new Error(`story ${story.key} was not stored`);
      return toStory(row);
    },
    get: async (id) => {
      const [row] = await stories('SELECT * FROM stories WHERE id = $1', [id]);
      return row ? toStory(row) : null;
    },
    getMany: async (ids) =>
      ids.length === 0
        ? []
        : (await stories('SELECT * FROM stories WHERE id = ANY($1::bigint[]) ORDER BY id', [[...ids]])).map(toStory),
    headers: async (ids) =>
      ids.length === 0
        ? []
        : (
            await pool.query<Omit<StoryRow, 'profile'>>(
              `SELECT ${HEADER_COLUMNS} FROM stories WHERE id = ANY($1::bigint[]) ORDER BY id`,
              [[...ids]],
            )
          ).rows.map(toHeader),
    findByKey: async (key) => {
      const [row] = await stories('SELECT * FROM stories WHERE key = $1', [key]);
      return row ? toStory(row) : null;
    },
    update: async (story) => {
      const { rows } = await pool.query<{ version: number }>(
        `UPDATE stories SET first_ms = $2, last_ms = $3, article_count = $4, profile = $5::json, tags = $6::json,
           updated_at = $7, version = version + 1
         WHERE id = $1 RETURNING version`,
        [story.id, story.firstMs, story.lastMs, story.articleCount, json(story.profile), json(story.tags), now()],
      );
      return rows[0]?.version ?? story.version;
    },
    updateMany: async (list) => {
      if (list.length === 0) return [];
      const { rows } = await pool.query<{ id: number; version: number }>(
        `UPDATE stories s SET first_ms = u.first_ms, last_ms = u.last_ms, article_count = u.article_count,
           profile = u.profile::json, tags = u.tags::json, updated_at = $7, version = s.version + 1
         FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::integer[], $5::text[], $6::text[])
           AS u(id, first_ms, last_ms, article_count, profile, tags)
         WHERE s.id = u.id
         RETURNING s.id, s.version`,
        [
          list.map((story) => story.id),
          list.map((story) => story.firstMs),
          list.map((story) => story.lastMs),
          list.map((story) => story.articleCount),
          list.map((story) => json(story.profile)),
          list.map((story) => json(story.tags)),
          now(),
        ],
      );
      const versions = new Map(rows.map((r) => [r.id, r.version]));
      return list.map((story) => versions.get(story.id) ?? story.version);
    },
    delete: async (id) => {
      await pool.query('DELETE FROM stories WHERE id = $1', [id]);
    },
    setKeys: async (storyId, keys, lastMs) => {
      const wanted = [...new Set(keys)];
      await inTransaction(pool, async (client) => {
        const locked = await client.query('SELECT 1 FROM stories WHERE id = $1 FOR UPDATE', [storyId]);
        if ((locked.rowCount ?? 0) === 0) throw new Error(`story ${storyId} does not exist`);
        await client.query('DELETE FROM story_keys WHERE story_id = $1 AND NOT (key = ANY($2::text[]))', [
          storyId,
          wanted,
        ]);
        await client.query('UPDATE story_keys SET last_ms = $2 WHERE story_id = $1 AND last_ms <> $2', [
          storyId,
          lastMs,
        ]);
        if (wanted.length === 0) return;
        await client.query(
          `INSERT INTO story_keys (key, story_id, last_ms) SELECT k, $1, $3 FROM unnest($2::text[]) AS k
           ON CONFLICT (key, story_id) DO NOTHING`,
          [storyId, wanted, lastMs],
        );
      });
    },
    setKeysMany: async (entries) => {
      if (entries.length === 0) return;
      const sorted = [...entries].sort((a, b) => a.storyId - b.storyId);
      const storyIds = sorted.map((e) => e.storyId);
      const keyStories: number[] = [];
      const keys: string[] = [];
      const keyTimes: number[] = [];
      for (const { storyId, keys: wanted, lastMs } of sorted) {
        for (const key of new Set(wanted)) {
          keyStories.push(storyId);
          keys.push(key);
          keyTimes.push(lastMs);
        }
      }
      await inTransaction(pool, async (client) => {
        // The stories' rows, in id order: two processes replacing the keys of stories they share take turns.
        const locked = await client.query<{ id: number }>(
          'SELECT id FROM stories WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE',
          [storyIds],
        );
        const found = new Set(locked.rows.map((r) => r.id));
        const missing = storyIds.find((id) => !found.has(id));
        if (missing !== undefined) throw new Error(`story ${missing} does not exist`);
        await client.query(
          `DELETE FROM story_keys k WHERE k.story_id = ANY($1::bigint[]) AND NOT EXISTS (
             SELECT 1 FROM unnest($2::bigint[], $3::text[]) AS w(story_id, key)
             WHERE w.story_id = k.story_id AND w.key = k.key)`,
          [storyIds, keyStories, keys],
        );
        await client.query(
          `UPDATE story_keys k SET last_ms = u.last_ms FROM unnest($1::bigint[], $2::bigint[]) AS u(story_id, last_ms)
           WHERE k.story_id = u.story_id AND k.last_ms <> u.last_ms`,
          [storyIds, sorted.map((e) => e.lastMs)],
        );
        if (keys.length === 0) return;
        await client.query(
          `INSERT INTO story_keys (key, story_id, last_ms)
           SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[]) ON CONFLICT (key, story_id) DO NOTHING`,
          [keys, keyStories, keyTimes],
        );
      });
    },
    keysBetween: async (sinceMs, beforeMs) => {
      const { rows } = await pool.query<{ id: number; last_ms: number; key: string }>(
        `SELECT s.id, s.last_ms, k.key FROM stories s JOIN story_keys k ON k.story_id = s.id
         WHERE s.last_ms >= $1 AND s.last_ms < $2 ORDER BY s.id, k.key COLLATE "C"`,
        [sinceMs, beforeMs],
      );
      const out: StoryKeys[] = [];
      for (const row of rows) {
        const last = out.at(-1);
        if (last?.storyId === row.id) last.keys.push(row.key);
        else out.push({ storyId: row.id, keys: [row.key], lastMs: row.last_ms });
      }
      return out;
    },
    membership: async (articleId) =>
      (await members(`SELECT ${MEMBER_COLUMNS} FROM story_articles WHERE article_id = $1`, [articleId]))[0] ?? null,
    storyIds: async (articleIds) => {
      if (articleIds.length === 0) return new Map();
      const { rows } = await pool.query<{ article_id: number; story_id: number }>(
        'SELECT article_id, story_id FROM story_articles WHERE article_id = ANY($1::bigint[])',
        [[...articleIds]],
      );
      return new Map(rows.map((r) => [r.article_id, r.story_id]));
    },
    members: (storyId) =>
      members(`SELECT ${MEMBER_COLUMNS} FROM story_articles WHERE story_id = $1 ORDER BY time_ms, article_id`, [
        storyId,
      ]),
    addMember: async (member) => {
      await pool.query(
        `INSERT INTO story_articles (article_id, story_id, copy_of, time_ms, features, assigned_at)
         VALUES ($1, $2, $3, $4, $5::json, $6)
         ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, copy_of = excluded.copy_of,
           time_ms = excluded.time_ms, features = excluded.features, assigned_at = excluded.assigned_at`,
        [member.articleId, member.storyId, member.copyOf, member.timeMs, json(member.features), now()],
      );
    },
    removeMember: async (articleId) => {
      await pool.query('DELETE FROM story_articles WHERE article_id = $1', [articleId]);
    },
    windowMembers: async (fromMs, toMs) => {
      const { rows } = await pool.query<{
        id: number;
        story_id: number;
        copy_of: number | null;
        title: string;
        source_name: string | null;
        url: string | null;
        published_at: string | null;
        published_ms: number;
        lang: string;
      }>(
        `SELECT a.id, m.story_id, m.copy_of, a.title, a.source_name, a.url, a.published_at, a.published_ms, a.lang
         FROM articles a JOIN story_articles m ON m.article_id = a.id
         WHERE a.published_ms BETWEEN $1 AND $2 AND NOT a.digest_held
         ORDER BY a.published_ms, a.id`,
        [fromMs, toMs],
      );
      return rows.map(
        (r): WindowMember => ({
          articleId: r.id,
          storyId: r.story_id,
          copyOf: r.copy_of,
          title: r.title,
          sourceName: r.source_name,
          url: r.url,
          publishedAt: r.published_at,
          publishedMs: r.published_ms,
          lang: r.lang as WindowMember['lang'],
        }),
      );
    },
    unassigned: async (limit, fromMs, toMs) => {
      const between = fromMs !== undefined && toMs !== undefined;
      const { rows } = await pool.query<{ id: number }>(
        between
          ? `SELECT a.id FROM articles a
             WHERE a.published_ms BETWEEN $2 AND $3
               AND NOT EXISTS (SELECT 1 FROM story_articles m WHERE m.article_id = a.id)
             ORDER BY a.published_ms, a.id LIMIT $1`
          : `SELECT a.id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM story_articles m WHERE m.article_id = a.id)
             ORDER BY a.published_ms IS NULL, a.published_ms, a.id LIMIT $1`,
        between ? [limit, fromMs, toMs] : [limit],
      );
      return rows.map((r) => r.id);
    },
    wasDelivered: async (articleId) =>
      ((await pool.query('SELECT 1 FROM deliveries WHERE article_id = $1 LIMIT 1', [articleId])).rowCount ?? 0) > 0,
    deliveredStories: async (channel, storyKeys) => {
      const out = new Map<string, StoryDeliveries>();
      if (storyKeys.length === 0) return out;
      const { rows } = await pool.query<{ story_key: string; article_id: number; delivered_at: string }>(
        `SELECT story_key, article_id, delivered_at FROM deliveries
         WHERE channel = $1 AND story_key = ANY($2::text[])
         ORDER BY delivered_at, article_id`,
        [channel, [...storyKeys]],
      );
      for (const row of rows) {
        const entry = out.get(row.story_key);
        if (entry) {
          entry.articleIds.push(row.article_id);
          entry.lastAt = row.delivered_at;
        } else {
          out.set(row.story_key, { articleIds: [row.article_id], firstAt: row.delivered_at, lastAt: row.delivered_at });
        }
      }
      return out;
    },
  };
}
