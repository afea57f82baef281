/**
 * Slack installations encrypted at rest (NEWSBRIEF_INSTALLATION_KEY) through the Installations the runtime gives
 * the adapter, on a real SQLite file and a real PostgreSQL: the stored row, read back with SQL, holds no token;
 * reads open it; a wrong or missing key is refused in a sentence naming the variable, never the token; rows stored
 * before there was a key still read, and are encrypted when next saved.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { slackInstallations } from '../../runtime/slackInstallations.ts';
import {
  INSTALLATION_KEY_VARIABLE,
  installationCipher,
  parseInstallationKey,
} from '../../src/engine/installationCipher.ts';
import { installationsOver } from '../../src/engine/installations.ts';
import { createLogger } from '../../src/ops/logger.ts';
import type { AsyncStore } from '../../storage/asyncStore.ts';
import { openPostgresStore } from '../../storage/postgres/index.ts';
import { openSqliteStore } from '../../storage/sqlite/index.ts';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/postgres.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const KEY = randomBytes(32);
const OTHER_KEY = randomBytes(32);
const BOT_TOKEN = `xoxb-${randomBytes(8).toString('hex')}-at-rest`;
const REFRESH_TOKEN = `xoxe-1-${randomBytes(8).toString('hex')}-refresh`;
const TEAM = { enterpriseId: null, teamId: 'T0A', enterpriseInstall: false };
const OTHER_TEAM = { ...TEAM, teamId: 'T0B' };
const ORG = { enterpriseId: 'E0ORG', teamId: null, enterpriseInstall: true };

function installation(token = BOT_TOKEN) {
  return {
    team: { id: 'T0A', name: '뉴스팀' },
    isEnterpriseInstall: false,
    authVersion: 'v2',
    bot: { token, refreshToken: REFRESH_TOKEN, expiresAt: 1790000000, userId: 'U0BOT', scopes: ['chat:write'] },
  };
}

/** A store and SQL on its database: the stored data column as text, and writing it as given. */
interface Opened {
  store: AsyncStore;
  storedData(installKey: string): Promise<string>;
  setStoredData(installKey: string, data: string): Promise<void>;
  close(): Promise<void>;
}

const tempDir = useTempDir();
const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const database of databases) await database.drop();
});

const backends: { name: string; skip: boolean; open: () => Promise<Opened> }[] = [
  {
    name: 'sqlite',
    skip: false,
    open: async () => {
      const path = join(tempDir(), 'newsbrief.db');
      const sqlite = openSqliteStore(path);
      const raw = new Database(path);
      return {
        store: sqlite.async,
        storedData: async (key) =>
          (raw.prepare('SELECT data FROM installations WHERE install_key = ?').get(key) as { data: string }).data,
        setStoredData: async (key, data) => {
          raw.prepare('UPDATE installations SET data = ? WHERE install_key = ?').run(data, key);
        },
        close: async () => {
          raw.close();
          sqlite.close();
        },
      };
    },
  },
  {
    name: 'postgres',
    skip: !process.env[TEST_DATABASE_URL] && !process.env.CI,
    open: async () => {
      const database = await createTestDatabase(process.env[TEST_DATABASE_URL] as string);
      databases.push(database);
      const log = createLogger({ destination: { write: () => undefined } });
      const postgres = await openPostgresStore(database.url, { max: 2, log });
      const raw = new pg.Client({ connectionString: database.url });
      await raw.connect();
      return {
        store: postgres,
        storedData: async (key) =>
          (
            await raw.query<{ data: string }>('SELECT data::text AS data FROM installations WHERE install_key = $1', [
              key,
            ])
          ).rows[0]?.data as string,
        setStoredData: async (key, data) => {
          await raw.query('UPDATE installations SET data = $1::jsonb WHERE install_key = $2', [data, key]);
        },
        close: async () => {
          await raw.end();
          await postgres.close();
        },
      };
    },
  },
];

describe.each(backends)('$name', ({ skip, open }) => {
  const run = skip ? it.skip : it;
  const withStore = (test: (opened: Opened) => Promise<void>) => async () => {
    const opened = await open();
    try {
      await test(opened);
    } finally {
      await opened.close();
    }
  };

  run(
    'stores no token text, a new IV each save, and reads it back whole',
    withStore(async ({ store, storedData }) => {
      const installations = installationsOver(store, installationCipher(KEY));
      await installations.save(TEAM, installation());
      const first = await storedData('team:T0A');
      expect(first).toMatch(/"newsbriefSealed": ?"v1\./);
      for (const secret of [BOT_TOKEN, REFRESH_TOKEN, 'xoxb-', 'xoxe-', '뉴스팀', 'U0BOT']) {
        expect(first).not.toContain(secret);
      }
      expect(await installations.find(TEAM)).toEqual(installation());
      await installations.save(TEAM, installation());
      expect(await storedData('team:T0A')).not.toBe(first);
      expect(await installations.find(TEAM)).toEqual(installation());
      // an org-wide install, found for a workspace it covers, opens too
      await installations.save(ORG, { ...installation(), team: undefined, enterprise: { id: 'E0ORG' } });
      await installations.cover('E0ORG', 'T0IN');
      expect(await installations.findForWorkspace('T0IN')).toMatchObject({ bot: { token: BOT_TOKEN } });
      expect(await storedData('enterprise:E0ORG')).not.toContain(BOT_TOKEN);
    }),
  );

  run(
    'refuses a wrong key, or none, naming the variable and never the token',
    withStore(async ({ store }) => {
      await installationsOver(store, installationCipher(KEY)).save(TEAM, installation());
      for (const [cipher, said] of [
        [installationCipher(OTHER_KEY), /^NEWSBRIEF_INSTALLATION_KEY does not open the Slack installations/],
        [installationCipher(null), /NEWSBRIEF_INSTALLATION_KEY is not set: set it to the key/],
      ] as const) {
        const refusal = await installationsOver(store, cipher)
          .find(TEAM)
          .then(
            () => 'opened',
            (error: Error) => error.message,
          );
        expect(refusal).toMatch(said);
        expect(refusal).not.toContain(BOT_TOKEN);
      }
    }),
  );

  run(
    "does not open one installation's row copied onto another's",
    withStore(async ({ store, storedData, setStoredData }) => {
      const installations = installationsOver(store, installationCipher(KEY));
      await installations.save(TEAM, installation());
      await installations.save(OTHER_TEAM, installation('xoxb-other'));
      await setStoredData('team:T0B', await storedData('team:T0A'));
      await expect(installations.find(OTHER_TEAM)).rejects.toThrow(/does not open/);
      expect(await installations.find(TEAM)).toEqual(installation());
    }),
  );

  run(
    'reads rows stored before there was a key, and encrypts them when next saved',
    withStore(async ({ store, storedData }) => {
      await installationsOver(store).save(TEAM, installation());
      expect(await storedData('team:T0A')).toContain(BOT_TOKEN);
      const installations = installationsOver(store, installationCipher(KEY));
      expect(await installations.find(TEAM)).toEqual(installation());
      expect(await installations.findForWorkspace('T0A')).toEqual(installation());
      await installations.save(TEAM, installation());
      expect(await storedData('team:T0A')).not.toContain(BOT_TOKEN);
      expect(await installations.find(TEAM)).toEqual(installation());
    }),
  );
});

describe(INSTALLATION_KEY_VARIABLE, () => {
  it('takes 32 bytes in base64, and refuses anything else without repeating it', () => {
    expect(parseInstallationKey(undefined)).toBeNull();
    expect(parseInstallationKey('  ')).toBeNull();
    expect(parseInstallationKey(KEY.toString('base64'))?.equals(KEY)).toBe(true);
    expect(parseInstallationKey(` ${KEY.toString('base64')}\n`)?.equals(KEY)).toBe(true);
    const wrong = [
      randomBytes(16).toString('base64'),
      randomBytes(33).toString('base64'),
      KEY.toString('hex'),
      `${KEY.toString('base64').slice(0, 40)}!!!!`,
      'xoxb-not-a-key',
    ];
    for (const value of wrong) {
      let message = 'accepted';
      try {
        parseInstallationKey(value);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^NEWSBRIEF_INSTALLATION_KEY must be 32 bytes in base64/);
      expect(message).not.toContain(value);
    }
  });

  it('refuses a sealed installation whose tag was cut short (a weaker check would let a forged row in)', () => {
    const cipher = installationCipher(KEY);
    const sealed = cipher.seal({ bot: { token: 'xoxb-cut' } }, 'team:T1') as { newsbriefSealed: string };
    expect(cipher.open(sealed, 'team:T1')).toEqual({ bot: { token: 'xoxb-cut' } });
    const [version, iv, tag, body] = sealed.newsbriefSealed.split('.') as [string, string, string, string];
    const short = Buffer.from(tag, 'base64').subarray(0, 4).toString('base64');
    expect(() => cipher.open({ newsbriefSealed: [version, iv, short, body].join('.') }, 'team:T1')).toThrow(
      /does not open the Slack installations/,
    );
  });

  it('is warned about once at start on a multi-workspace Slack setup without it, and only there', async () => {
    const path = join(tempDir(), 'newsbrief.db');
    const sqlite = openSqliteStore(path);
    try {
      const warnings = (env: Record<string, string>) => {
        const lines: Record<string, unknown>[] = [];
        const log = createLogger({
          destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
          pretty: false,
        });
        slackInstallations(sqlite.async, env, log);
        return lines.filter((l) => String(l.msg).includes(INSTALLATION_KEY_VARIABLE)).map((l) => l.msg);
      };
      const oauth = { SLACK_CLIENT_ID: '1.2', SLACK_CLIENT_SECRET: 's', SLACK_STATE_SECRET: 'st' };
      expect(warnings(oauth)).toEqual([
        'NEWSBRIEF_INSTALLATION_KEY is not set: Slack installations, bot tokens included, are stored unencrypted',
      ]);
      expect(warnings({ ...oauth, [INSTALLATION_KEY_VARIABLE]: KEY.toString('base64') })).toEqual([]);
      expect(warnings({ SLACK_BOT_TOKEN: 'xoxb-single' })).toEqual([]);
      expect(() => warnings({ ...oauth, [INSTALLATION_KEY_VARIABLE]: 'short' })).toThrow(/^NEWSBRIEF_INSTALLATION_KEY/);
      // the one a start makes reaches the adapter: it writes sealed rows
      const log = createLogger({ destination: { write: () => undefined } });
      const installations = slackInstallations(
        sqlite.async,
        { [INSTALLATION_KEY_VARIABLE]: KEY.toString('base64') },
        log,
      );
      await installations.save(TEAM, installation());
      const raw = new Database(path, { readonly: true });
      try {
        expect(JSON.stringify(raw.prepare('SELECT data FROM installations').all())).not.toContain(BOT_TOKEN);
      } finally {
        raw.close();
      }
    } finally {
      sqlite.close();
    }
  });
});
