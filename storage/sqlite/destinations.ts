import type {
  DestinationRecord,
  DestinationRepository,
  DestinationSettings,
  StoredDestination,
} from '../repositories.ts';
import { type DestinationRow as Row, toStoredDestination } from '../rows.ts';
import type { SqliteDatabase } from './database.ts';

/** SQLite keeps switches as 0/1 and weekdays as a comma list. */
type DestinationRow = Row<number, string>;
const isOne = (flag: number) => flag === 1;
const toDestination = (row: DestinationRow): StoredDestination =>
  toStoredDestination(row, row.weekdays ? row.weekdays.split(',').map(Number) : [], isOne);

/** Setting name → column, for the settings `update` may change. */
const COLUMNS: Record<keyof DestinationSettings, string> = {
  workspace: 'workspace',
  lang: 'lang',
  timeZone: 'time_zone',
  digestTime: 'digest_time',
  weekdays: 'weekdays',
  enabled: 'enabled',
  pausedReason: 'paused_reason',
  skipEmpty: 'skip_empty',
  alerts: 'alerts',
  storyLimit: 'story_limit',
  alertCap: 'alert_cap',
  digestLayout: 'digest_layout',
};

/** The settings that make up a schedule: changing one moves `schedule_set_at`. */
const SCHEDULE_SETTINGS: readonly (keyof DestinationSettings)[] = ['digestTime', 'timeZone', 'weekdays'];

function columnValue(name: keyof DestinationSettings, value: unknown): unknown {
  if (name === 'weekdays') return (value as number[]).join(',');
  if (name === 'enabled' || name === 'skipEmpty' || name === 'alerts') return value ? 1 : 0;
  if (name === 'digestLayout') return value ?? 'single';
  return value ?? null;
}

export function createDestinationRepository(db: SqliteDatabase, now: () => string): DestinationRepository {
  const get = db.prepare<[string], DestinationRow>('SELECT * FROM destinations WHERE key = ?');
  const insert = db.prepare(`
    INSERT INTO destinations (key, platform, workspace, channel, user_id, kind, lang, time_zone, digest_time, weekdays,
                              enabled, paused_reason, last_digest_at, skip_empty, digest_layout, schedule_set_at, created_at,
                              updated_at)
    VALUES (@key, @platform, @workspace, @channel, @user, @kind, @lang, @timeZone, @digestTime, @weekdays, @enabled,
            @pausedReason, @lastDigestAt, @skipEmpty, @digestLayout, @scheduleSetAt, @at, @at)
    ON CONFLICT (key) DO NOTHING`);
  const list = db.prepare<[], DestinationRow>('SELECT * FROM destinations ORDER BY key');
  const scheduled = db.prepare<
    [],
    { key: string; digest_time: string; time_zone: string | null; weekdays: string; set_at: string }
  >(`
    SELECT key, digest_time, time_zone, weekdays, COALESCE(schedule_set_at, created_at) AS set_at FROM destinations
    WHERE digest_time IS NOT NULL AND enabled = 1 AND paused_reason IS NULL ORDER BY key`);
  const sent = db.prepare('UPDATE destinations SET last_digest_at = ?, updated_at = ? WHERE key = ?');
  const updates = new Map<string, ReturnType<SqliteDatabase['prepare']>>();
  const updateStatement = (names: (keyof DestinationSettings)[], scheduleChanged: boolean) => {
    const id = `${names.join(',')}${scheduleChanged ? '+schedule' : ''}`;
    let statement = updates.get(id);
    if (!statement) {
      const sets = names.map((name) => `${COLUMNS[name]} = @${name}`);
      if (scheduleChanged) sets.push('schedule_set_at = @at');
      statement = db.prepare(`UPDATE destinations SET ${sets.join(', ')}, updated_at = @at WHERE key = @key`);
      updates.set(id, statement);
    }
    return statement;
  };
  const read = (key: string): StoredDestination | null => {
    const row = get.get(key);
    return row ? toDestination(row) : null;
  };
  return {
    get: read,
    ensure: (record: DestinationRecord) => {
      // Read first: this runs on every command, and a write would wait for the ingest thread's transaction.
      const known = read(record.key);
      if (known) return known;
      const at = now();
      insert.run({
        ...record,
        weekdays: record.weekdays.join(','),
        enabled: record.enabled ? 1 : 0,
        skipEmpty: record.skipEmpty ? 1 : 0,
        digestLayout: record.digestLayout ?? 'single',
        scheduleSetAt: record.digestTime ? at : null,
        at,
      });
      return read(record.key) as StoredDestination;
    },
    update: (key, settings) => {
      const names = (Object.keys(settings) as (keyof DestinationSettings)[])
        .filter((name) => name in COLUMNS && settings[name] !== undefined)
        .sort();
      const current = read(key);
      if (!current) return false;
      if (names.length === 0) return true;
      const params: Record<string, unknown> = { key, at: now() };
      for (const name of names) params[name] = columnValue(name, settings[name]);
      // Only a real change moves it: the config re-applies the same time at every start.
      const scheduleChanged = SCHEDULE_SETTINGS.some(
        (name) => names.includes(name) && columnValue(name, current[name]) !== params[name],
      );
      return updateStatement(names, scheduleChanged).run(params).changes > 0;
    },
    list: () => list.all().map(toDestination),
    scheduled: () =>
      scheduled.all().map((r) => ({
        key: r.key,
        digestTime: r.digest_time,
        timeZone: r.time_zone,
        weekdays: r.weekdays ? r.weekdays.split(',').map(Number) : [],
        scheduleSetAt: r.set_at,
      })),
    markDigestSent: (key, at) => {
      sent.run(at, now(), key);
    },
  };
}
