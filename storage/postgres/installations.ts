import type { Async } from '../asyncStore.ts';
import { enterpriseKeyText, installationKeyText, teamKeyText } from '../installationKey.ts';
import type { InstallationRepository, StoredInstallation } from '../repositories.ts';
import type { Executor } from './database.ts';

interface InstallationRow {
  enterprise_id: string | null;
  team_id: string | null;
  enterprise_install: boolean;
  data: Record<string, unknown>;
  installed_at: string;
  updated_at: string;
}

export function createInstallationRepository(pool: Executor, now: () => string): Async<InstallationRepository> {
  return {
    save: async (key, data) => {
      await pool.query(
        `INSERT INTO installations (install_key, enterprise_id, team_id, enterprise_install, data, installed_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)
         ON CONFLICT (install_key) DO UPDATE SET enterprise_id = excluded.enterprise_id, team_id = excluded.team_id,
           data = excluded.data, updated_at = excluded.updated_at`,
        [installationKeyText(key), key.enterpriseId, key.teamId, key.enterpriseInstall, JSON.stringify(data), now()],
      );
    },
    find: async (key) => {
      const { rows } = await pool.query<InstallationRow>('SELECT * FROM installations WHERE install_key = $1', [
        installationKeyText(key),
      ]);
      return rows[0] ? installationOf(rows[0]) : null;
    },
    findForTeam: async (teamId) => {
      // the workspace's own installation sorts before the org's (false < true)
      const { rows } = await pool.query<InstallationRow>(
        `SELECT * FROM installations WHERE install_key = $1
         UNION ALL
         SELECT i.* FROM installation_teams t JOIN installations i ON i.install_key = t.install_key WHERE t.team_id = $2
         ORDER BY enterprise_install LIMIT 1`,
        [teamKeyText(teamId), teamId],
      );
      return rows[0] ? installationOf(rows[0]) : null;
    },
    cover: async (enterpriseId, teamId) => {
      const { rowCount } = await pool.query(
        `INSERT INTO installation_teams (team_id, install_key)
         SELECT $1, install_key FROM installations WHERE install_key = $2
         ON CONFLICT (team_id) DO UPDATE SET install_key = excluded.install_key`,
        [teamId, enterpriseKeyText(enterpriseId)],
      );
      return (rowCount ?? 0) > 0;
    },
    // installation_teams goes with it (ON DELETE CASCADE)
    delete: async (key) => {
      const { rowCount } = await pool.query('DELETE FROM installations WHERE install_key = $1', [
        installationKeyText(key),
      ]);
      return (rowCount ?? 0) > 0;
    },
  };
}

function installationOf(row: InstallationRow): StoredInstallation {
  return {
    enterpriseId: row.enterprise_id,
    teamId: row.team_id,
    enterpriseInstall: row.enterprise_install,
    data: row.data,
    installedAt: row.installed_at,
    updatedAt: row.updated_at,
  };
}
