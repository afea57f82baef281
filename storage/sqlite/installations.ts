import { installationKeyText } from '../installationKey.ts';
import type { InstallationRepository, StoredInstallation } from '../repositories.ts';
import type { SqliteDatabase } from './database.ts';

interface InstallationRow {
  enterprise_id: string | null;
  team_id: string | null;
  enterprise_install: number;
  data: string;
  installed_at: string;
  updated_at: string;
}

export function createInstallationRepository(db: SqliteDatabase, now: () => string): InstallationRepository {
  const upsert = db.prepare(
    `INSERT INTO installations (install_key, enterprise_id, team_id, enterprise_install, data, installed_at, updated_at)
     VALUES (@key, @enterpriseId, @teamId, @enterpriseInstall, @data, @at, @at)
     ON CONFLICT (install_key) DO UPDATE SET enterprise_id = excluded.enterprise_id, team_id = excluded.team_id,
       data = excluded.data, updated_at = excluded.updated_at`,
  );
  const select = db.prepare<[string], InstallationRow>('SELECT * FROM installations WHERE install_key = ?');
  const remove = db.prepare<[string]>('DELETE FROM installations WHERE install_key = ?');
  return {
    save: (key, data) => {
      upsert.run({
        key: installationKeyText(key),
        enterpriseId: key.enterpriseId,
        teamId: key.teamId,
        enterpriseInstall: key.enterpriseInstall ? 1 : 0,
        data: JSON.stringify(data),
        at: now(),
      });
    },
    find: (key) => {
      const row = select.get(installationKeyText(key));
      return row ? installationOf(row) : null;
    },
    delete: (key) => remove.run(installationKeyText(key)).changes > 0,
  };
}

function installationOf(row: InstallationRow): StoredInstallation {
  return {
    enterpriseId: row.enterprise_id,
    teamId: row.team_id,
    enterpriseInstall: row.enterprise_install === 1,
    data: JSON.parse(row.data) as Record<string, unknown>,
    installedAt: row.installed_at,
    updatedAt: row.updated_at,
  };
}
