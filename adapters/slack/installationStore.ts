/**
 * Multi-workspace OAuth: Bolt's InstallationStore over the installations the runtime passes in (the shared
 * database), so that an install taken by one receiver authorizes commands on every other, and posts find the bot
 * token of the target's workspace, or of the org-wide (Enterprise Grid) install covering it.
 */
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { InstallationKey, Installations } from '../../src/engine/installations.ts';

function keyOfQuery(query: InstallationQuery<boolean>): InstallationKey {
  return {
    enterpriseId: query.enterpriseId ?? null,
    teamId: query.teamId ?? null,
    enterpriseInstall: query.isEnterpriseInstall === true,
  };
}

function keyOfInstallation(installation: Installation): InstallationKey {
  return {
    enterpriseId: installation.enterprise?.id ?? null,
    teamId: installation.team?.id ?? null,
    enterpriseInstall: installation.isEnterpriseInstall === true,
  };
}

export function boltInstallationStore(installations: Installations): InstallationStore {
  return {
    storeInstallation: async (installation) => {
      const plain = JSON.parse(JSON.stringify(installation)) as Record<string, unknown>;
      await installations.save(keyOfInstallation(installation as Installation), plain);
    },
    fetchInstallation: async (query, logger) => {
      const found = await installations.find(keyOfQuery(query));
      // Bolt turns this into an AuthorizationError, which its receiver answers with 401
      if (!found) throw new Error(`no installation for ${query.enterpriseId ?? ''}/${query.teamId ?? ''}`);
      // An org-wide install names no workspaces: a signed request from one is how posts there learn the token.
      if (query.isEnterpriseInstall && query.enterpriseId && query.teamId) {
        await installations.cover(query.enterpriseId, query.teamId).catch((error: unknown) => {
          logger?.warn('could not note the workspace an org-wide installation covers', error);
        });
      }
      return found as unknown as Installation;
    },
    deleteInstallation: async (query) => {
      await installations.delete(keyOfQuery(query));
    },
  };
}

/**
 * The bot token to post to a workspace with: its own installation's, else that of the org-wide install covering
 * it; null when the app is installed for neither.
 */
export async function botTokenOf(installations: Installations, team: string): Promise<string | null> {
  const found = (await installations.findForWorkspace(team)) as { bot?: { token?: unknown } } | null;
  return typeof found?.bot?.token === 'string' ? found.bot.token : null;
}

/**
 * The installation an Events API body comes from (`app_uninstalled`, `tokens_revoked`): an org-wide install's
 * enterprise, else the workspace; null when the body names neither.
 */
export function installationKeyOfEvent(body: unknown): InstallationKey | null {
  const b = body as {
    team_id?: unknown;
    enterprise_id?: unknown;
    is_enterprise_install?: unknown;
    authorizations?: { is_enterprise_install?: unknown }[];
  } | null;
  const teamId = typeof b?.team_id === 'string' && b.team_id ? b.team_id : null;
  const enterpriseId = typeof b?.enterprise_id === 'string' && b.enterprise_id ? b.enterprise_id : null;
  const enterpriseInstall = b?.is_enterprise_install === true || b?.authorizations?.[0]?.is_enterprise_install === true;
  if (enterpriseInstall ? !enterpriseId : !teamId) return null;
  return { enterpriseId, teamId, enterpriseInstall };
}
