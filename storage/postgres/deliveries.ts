import type { Async } from '../asyncStore.ts';
import type { DeliveryRepository } from '../repositories.ts';
import type { Executor } from './database.ts';

/** What was posted where: one insert per post, which the (channel, article) key lets through once. */
export function createDeliveryRepository(pool: Executor): Async<DeliveryRepository> {
  return {
    record: async (channel, storyKey, articleId, at) => {
      const { rowCount } = await pool.query(
        `INSERT INTO deliveries (channel, article_id, story_key, delivered_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (channel, article_id) DO NOTHING`,
        [channel, articleId, storyKey, at],
      );
      return (rowCount ?? 0) > 0;
    },
    wasDelivered: async (channel, articleId) => {
      const { rowCount } = await pool.query('SELECT 1 FROM deliveries WHERE channel = $1 AND article_id = $2', [
        channel,
        articleId,
      ]);
      return (rowCount ?? 0) > 0;
    },
  };
}
