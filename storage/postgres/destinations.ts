import type { Async } from '../asyncStore.ts';
import type {
  DestinationRecord,
  DestinationRepository,
  DestinationSettings,
  StoredDestination,
} from '../repositories.ts';
import { type DestinationRow as Row, toStoredDestination } from '../rows.ts';
import type { Executor } from './database.ts';

type DestinationRow = Row<boolean, number[]>;
const asIs = (flag: boolean) => flag;
const toDestination = (row: DestinationRow): StoredDestination => toStoredDestination(row, row.weekdays, asIs);

/** Setting name → column and its type, for the settings `update` may change. */
const COLUMNS: Record<keyof DestinationSettings, { column: string; type: string }> = {
  workspace: { column: 'workspace', type: 'text' },
  lang: { column: 'lang', type: 'text' },
  timeZone: { column: 'time_zone', type: 'text' },
  digestTime: { column: 'digest_time', type: 'text' },
  weekdays: { column: 'weekdays', type: 'smallint[]' },
  enabled: { column: 'enabled', type: 'boolean' },
  pausedReason: { column: 'paused_reason', type: 'text' },
  skipEmpty: { column: 'skip_empty', type: 'boolean' },
  alerts: { column: 'alerts', type: 'boolean' },
  storyLimit: { column: 'story_limit', type: 'integer' },
  alertCap: { column: 'alert_cap', type: 'integer' },
  digestLayout: { column: 'digest_layout', type: 'text' },
};

/** The settings that make up a schedule: changing one moves `schedule_set_at`. */
const SCHEDULE_SETTINGS: readonly (keyof DestinationSettings)[] = ['digestTime', 'timeZone', 'weekdays'];

function columnValue(name: keyof DestinationSettings, value: unknown): unknown {
  if (name === 'weekdays') return [...(value as number[])];
  if (name === 'enabled' || name === 'skipEmpty' || name === 'alerts') return Boolean(value);
  if (name === 'digestLayout') return value ?? 'single';
  return value ?? null;
}

export function createDestinationRepository(pool: Executor, now: () => string): Async<DestinationRepository> {
  const read = async (key: string): Promise<StoredDestination | null> => {
    const { rows } = await pool.query<DestinationRow>('SELECT * FROM destinations WHERE key = $1', [key]);
    return rows[0] ? toDestination(rows[0]) : null;
  };
  return {
    get: read,
    ensure: async (record: DestinationRecord) => {
      // Read first: this runs on every command, and most destinations exist.
      const known = await read(record.key);
      if (known) return known;
      const at = now();
      await pool.query(
        `INSERT INTO destinations (key, platform, workspace, channel, user_id, kind, lang, time_zone, digest_time,
           weekdays, enabled, paused_reason, last_digest_at, skip_empty, digest_layout, schedule_set_at, created_at,
           updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)
         ON CONFLICT (key) DO NOTHING`,
        [
          record.key,
          record.platform,
          record.workspace,
          record.channel,
          record.user,
          record.kind,
          record.lang,
          record.timeZone,
          record.digestTime,
          [...record.weekdays],
          record.enabled,
          record.pausedReason,
          record.lastDigestAt,
          record.skipEmpty ?? false,
          record.digestLayout ?? 'single',
          record.digestTime ? at : null,
          at,
        ],
      );
      const stored = await read(record.key);
      if (!stored) throw new Error(`destination ${record.key} was not stored`);
      return stored;
    },
    update: async (key, settings) => {
      const names = (Object.keys(settings) as (keyof DestinationSettings)[])
        .filter((name) => name in COLUMNS && settings[name] !== undefined)
        .sort();
      if (names.length === 0) {
        const { rowCount } = await pool.query('SELECT 1 FROM destinations WHERE key = $1', [key]);
        return (rowCount ?? 0) > 0;
      }
      const params: unknown[] = [key, now()];
      const sets: string[] = [];
      const scheduleChanges: string[] = [];
      for (const name of names) {
        const { column, type } = COLUMNS[name];
        params.push(columnValue(name, settings[name]));
        const value = `$${params.length}::${type}`;
        sets.push(`${column} = ${value}`);
        // Only a real change moves it: the config re-applies the same time at every start. The comparison reads
        // the row as it was before this statement, so two processes cannot both miss or both make the change.
        if (SCHEDULE_SETTINGS.includes(name)) scheduleChanges.push(`${column} IS DISTINCT FROM ${value}`);
      }
      if (scheduleChanges.length > 0) {
        sets.push(`schedule_set_at = CASE WHEN ${scheduleChanges.join(' OR ')} THEN $2 ELSE schedule_set_at END`);
      }
      const result = await pool.query(
        `UPDATE destinations SET ${sets.join(', ')}, updated_at = $2 WHERE key = $1`,
        params,
      );
      return (result.rowCount ?? 0) > 0;
    },
    list: async () =>
      (await pool.query<DestinationRow>('SELECT * FROM destinations ORDER BY key')).rows.map(toDestination),
    scheduled: async () => {
      const { rows } = await pool.query<{
        key: string;
        digest_time: string;
        time_zone: string | null;
        weekdays: number[];
        set_at: string;
      }>(`
        SELECT key, digest_time, time_zone, weekdays, COALESCE(schedule_set_at, created_at) AS set_at
        FROM destinations
        WHERE digest_time IS NOT NULL AND enabled AND paused_reason IS NULL
        ORDER BY key`);
      return rows.map((r) => ({
        key: r.key,
        digestTime: r.digest_time,
        timeZone: r.time_zone,
        weekdays: r.weekdays,
        scheduleSetAt: r.set_at,
      }));
    },
    markDigestSent: async (key, at) => {
      await pool.query('UPDATE destinations SET last_digest_at = $1, updated_at = $2 WHERE key = $3', [at, now(), key]);
    },
  };
}
