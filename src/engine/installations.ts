/**
 * What a multi-workspace Slack app needs of storage: its installations, kept in the shared database so that every
 * receiver behind the load balancer sees every workspace. The adapter turns this into Bolt's InstallationStore;
 * the runtime gives it `installationsOver(store)`.
 */
import type { AsyncRepositories } from '../../storage/asyncStore.ts';
import type { InstallationKey } from '../../storage/repositories.ts';

export type { InstallationKey } from '../../storage/repositories.ts';

export interface Installations {
  /** Stores what the OAuth flow gave (a JSON object), replacing an earlier install under the same key. */
  save(key: InstallationKey, installation: Record<string, unknown>): Promise<void>;
  find(key: InstallationKey): Promise<Record<string, unknown> | null>;
  /**
   * The installation that posts to a workspace: its own, else the org-wide one covering it (as `cover` learned);
   * null when the app is installed for neither.
   */
  findForWorkspace(teamId: string): Promise<Record<string, unknown> | null>;
  /** Notes that the org-wide install of `enterpriseId` covers workspace `teamId` (nothing when it is not stored). */
  cover(enterpriseId: string, teamId: string): Promise<void>;
  /** Forgets the installation and the workspaces it covered. */
  delete(key: InstallationKey): Promise<void>;
}

export function installationsOver(store: Pick<AsyncRepositories, 'installations'>): Installations {
  return {
    save: (key, installation) => store.installations.save(key, installation),
    find: async (key) => (await store.installations.find(key))?.data ?? null,
    findForWorkspace: async (teamId) => (await store.installations.findForTeam(teamId))?.data ?? null,
    cover: async (enterpriseId, teamId) => {
      await store.installations.cover(enterpriseId, teamId);
    },
    delete: async (key) => {
      await store.installations.delete(key);
    },
  };
}
