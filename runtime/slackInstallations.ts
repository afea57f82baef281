/**
 * The Slack installations a multi-workspace install keeps in the database, encrypted at rest with the key in
 * NEWSBRIEF_INSTALLATION_KEY (secrets come from the environment only). Without it they are stored as before, and
 * a multi-workspace setup says so once at start.
 */
import { isMultiWorkspace } from '../adapters/slack/settings.ts';
import {
  INSTALLATION_KEY_VARIABLE,
  installationCipher,
  parseInstallationKey,
} from '../src/engine/installationCipher.ts';
import { type Installations, installationsOver } from '../src/engine/installations.ts';
import type { Logger } from '../src/ops/logger.ts';
import type { AsyncRepositories } from '../storage/asyncStore.ts';

/** Throws, naming the variable, when NEWSBRIEF_INSTALLATION_KEY is set to something that is not a key. */
export function slackInstallations(
  storage: Pick<AsyncRepositories, 'installations'>,
  env: Record<string, string | undefined>,
  log: Logger,
): Installations {
  const key = parseInstallationKey(env[INSTALLATION_KEY_VARIABLE]);
  if (!key && isMultiWorkspace(env)) {
    log.warn(
      { variable: INSTALLATION_KEY_VARIABLE },
      `${INSTALLATION_KEY_VARIABLE} is not set: Slack installations, bot tokens included, are stored unencrypted`,
    );
  }
  return installationsOver(storage, installationCipher(key));
}
