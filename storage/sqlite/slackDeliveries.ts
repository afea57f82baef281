import type { SlackDeliveryRepository } from '../repositories.ts';
import type { SqliteDatabase } from './database.ts';

export function createSlackDeliveryRepository(db: SqliteDatabase): SlackDeliveryRepository {
  const insert = db.prepare<[string, string]>(
    'INSERT INTO slack_deliveries (delivery_key, first_seen_at) VALUES (?, ?) ON CONFLICT (delivery_key) DO NOTHING',
  );
  const prune = db.prepare<[string]>('DELETE FROM slack_deliveries WHERE first_seen_at < ?');
  return {
    take: (key, at) => insert.run(key, at).changes > 0,
    prune: (before) => prune.run(before).changes,
  };
}
