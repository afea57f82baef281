import type { InstallationKey } from './repositories.ts';

/** The primary key both backends store an installation under: `enterprise:<id>` for an org-wide install, else `team:<id>`. */
export function installationKeyText(key: InstallationKey): string {
  const id = key.enterpriseInstall ? key.enterpriseId : key.teamId;
  if (!id) {
    throw new Error(
      key.enterpriseInstall ? 'an org-wide installation needs its enterprise id' : 'an installation needs its team id',
    );
  }
  return key.enterpriseInstall ? `enterprise:${id}` : `team:${id}`;
}

/** The key of workspace `teamId`'s own installation. */
export const teamKeyText = (teamId: string): string =>
  installationKeyText({ enterpriseId: null, teamId, enterpriseInstall: false });

/** The key of the org-wide installation of `enterpriseId`. */
export const enterpriseKeyText = (enterpriseId: string): string =>
  installationKeyText({ enterpriseId, teamId: null, enterpriseInstall: true });
