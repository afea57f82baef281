/**
 * Slack installations encrypted at rest: their JSON holds every workspace's bot token (and refresh tokens), so a
 * leaked database backup would hand them all out. With a key, what is stored is AES-256-GCM of the JSON under a
 * fresh random IV, bound to the installation's key (its additional data), so that a row copied onto another
 * installation does not open; the version prefix lets a later key rotation tell rows apart. Rows stored before
 * there was a key stay readable as they are and are encrypted when next saved.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const INSTALLATION_KEY_VARIABLE = 'NEWSBRIEF_INSTALLATION_KEY';

/** The one property of a sealed installation's stored JSON: `v1.<iv>.<tag>.<ciphertext>`, base64 each. */
const SEALED = 'newsbriefSealed';
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class InstallationKeyError extends Error {}

/** The key from `NEWSBRIEF_INSTALLATION_KEY` (32 bytes in base64); null when unset. Throws when it is no such key. */
export function parseInstallationKey(value: string | undefined): Buffer | null {
  const text = value?.trim() ?? '';
  if (!text) return null;
  const key = Buffer.from(text, 'base64');
  // Buffer.from skips what is not base64: only a key that encodes back to the same text is the one meant
  if (key.length !== 32 || key.toString('base64').replace(/=+$/, '') !== text.replace(/=+$/, '')) {
    throw new InstallationKeyError(
      `${INSTALLATION_KEY_VARIABLE} must be 32 bytes in base64 (make one with: openssl rand -base64 32).`,
    );
  }
  return key;
}

export interface InstallationCipher {
  /** What to store for `installation`, saved under `key` (an installation's key text). */
  seal(installation: Record<string, unknown>, key: string): Record<string, unknown>;
  /** The installation a stored value holds: a sealed one opened, one stored before there was a key as it is. */
  open(stored: Record<string, unknown>, key: string): Record<string, unknown>;
}

/** The cipher over `key` (32 bytes), or without one (null): nothing sealed, and a sealed row refused clearly. */
export function installationCipher(key: Buffer | null): InstallationCipher {
  return {
    seal: (installation, aad) => {
      if (!key) return installation;
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(aad, 'utf8'));
      const body = Buffer.concat([cipher.update(JSON.stringify(installation), 'utf8'), cipher.final()]);
      const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64'));
      return { [SEALED]: [VERSION, ...parts].join('.') };
    },
    open: (stored, aad) => {
      const sealed = stored[SEALED];
      if (typeof sealed !== 'string') return stored;
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== VERSION || iv === undefined || tag === undefined || body === undefined) {
        throw new InstallationKeyError(
          `a Slack installation in the database is encrypted in a way this newsbrief does not know (${String(version).slice(0, 8)}): upgrade newsbrief.`,
        );
      }
      if (!key) {
        throw new InstallationKeyError(
          `the Slack installations in the database are encrypted, and ${INSTALLATION_KEY_VARIABLE} is not set: set it to the key they were encrypted with.`,
        );
      }
      try {
        // the tag's length fixed, so a row cut short cannot pass with a weaker check
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'), { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(aad, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64'));
        const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
        return JSON.parse(text) as Record<string, unknown>;
      } catch {
        throw new InstallationKeyError(
          `${INSTALLATION_KEY_VARIABLE} does not open the Slack installations in the database: it is not the key they were encrypted with.`,
        );
      }
    },
  };
}
