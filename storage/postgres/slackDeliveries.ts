import type { Async } from '../asyncStore.ts';
import type { SlackDeliveryRepository } from '../repositories.ts';
import type { Executor } from './database.ts';

export function createSlackDeliveryRepository(pool: Executor): Async<SlackDeliveryRepository> {
  return {
    take: async (key, at) => {
      const { rowCount } = await pool.query(
        'INSERT INTO slack_deliveries (delivery_key, first_seen_at) VALUES ($1, $2) ON CONFLICT (delivery_key) DO NOTHING',
        [key, at],
      );
      return (rowCount ?? 0) > 0;
    },
    prune: async (before) => {
      const { rowCount } = await pool.query('DELETE FROM slack_deliveries WHERE first_seen_at < $1', [before]);
      return rowCount ?? 0;
    },
  };
}
