import { enterpriseKeyText, installationKeyText, teamKeyText } from '../installationKey.ts';
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
  // the workspace's own installation sorts before the org's (enterprise_install 0 < 1)
  const selectForTeam = db.prepare<{ own: string; team: string }, InstallationRow>(
    `SELECT * FROM installations WHERE install_key = @own
     UNION ALL
     SELECT i.* FROM installation_teams t JOIN installations i ON i.install_key = t.install_key WHERE t.team_id = @team
     ORDER BY enterprise_install LIMIT 1`,
  );
  const upsertCover = db.prepare<{ team: string; key: string }>(
    `INSERT INTO installation_teams (team_id, install_key)
     SELECT @team, install_key FROM installations WHERE install_key = @key
     ON CONFLICT (team_id) DO UPDATE SET install_key = excluded.install_key`,
  );
  // installation_teams goes with it (ON DELETE CASCADE)
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
    findForTeam: (teamId) => {
      const row = selectForTeam.get({ own: teamKeyText(teamId), team: teamId });
      return row ? installationOf(row) : null;
    },
    cover: (enterpriseId, teamId) =>
      upsertCover.run({ team: teamId, key: enterpriseKeyText(enterpriseId) }).changes > 0,
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
