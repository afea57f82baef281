/**
 * What a multi-workspace Slack app needs of storage: its installations, kept in the shared database so that every
 * receiver behind the load balancer sees every workspace. The adapter turns this into Bolt's InstallationStore;
 * the runtime gives it `installationsOver(store, cipher)`, which encrypts them at rest when it has a key.
 */
import type { AsyncRepositories } from '../../storage/asyncStore.ts';
import { installationKeyText } from '../../storage/installationKey.ts';
import type { InstallationKey, StoredInstallation } from '../../storage/repositories.ts';
import { type InstallationCipher, installationCipher } from './installationCipher.ts';

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

export function installationsOver(
  store: Pick<AsyncRepositories, 'installations'>,
  cipher: InstallationCipher = installationCipher(null),
): Installations {
  // a found row opens under its own key (a workspace's post may find the org's installation)
  const opened = (found: StoredInstallation | null) =>
    found ? cipher.open(found.data, installationKeyText(found)) : null;
  return {
    save: (key, installation) => store.installations.save(key, cipher.seal(installation, installationKeyText(key))),
    find: async (key) => opened(await store.installations.find(key)),
    findForWorkspace: async (teamId) => opened(await store.installations.findForTeam(teamId)),
    cover: async (enterpriseId, teamId) => {
      await store.installations.cover(enterpriseId, teamId);
    },
    delete: async (key) => {
      await store.installations.delete(key);
    },
  };
}
