/** The Slack app's installations (multi-workspace OAuth): one per workspace or enterprise org, seen by every process. */
import { expect, it } from 'vitest';
import { describeBackends, manualClock, postgresBackend, sqliteBackend } from './backends.ts';

const BACKENDS = [sqliteBackend(), postgresBackend()];

const TEAM_A = { enterpriseId: null, teamId: 'T0A', enterpriseInstall: false };
const ORG = { enterpriseId: 'E0ORG', teamId: null, enterpriseInstall: true };

/** What Bolt's OAuth flow hands over for a workspace install. */
function installation(team: string, token: string) {
  return {
    team: { id: team, name: `Team ${team}` },
    enterprise: undefined,
    user: { token: undefined, scopes: undefined, id: 'U0INSTALLER' },
    tokenType: 'bot',
    isEnterpriseInstall: false,
    appId: 'A0APP',
    authVersion: 'v2',
    bot: { scopes: ['commands', 'chat:write'], token, userId: 'U0BOT', id: 'B0BOT' },
  };
}

/** As JSON keeps it: properties that are undefined are left out. */
const asStored = (value: unknown) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;

describeBackends(BACKENDS, (backend) => {
  it('stores an installation and gives it back to another process, with when it was installed', async () => {
    const clock = manualClock('2026-12-01T00:00:00.000Z');
    const a = await backend.open(clock);
    const b = await backend.open(clock);
    expect(await b.installations.find(TEAM_A)).toBeNull();
    await a.installations.save(TEAM_A, installation('T0A', 'xoxb-a'));
    expect(await b.installations.find(TEAM_A)).toEqual({
      ...TEAM_A,
      data: asStored(installation('T0A', 'xoxb-a')),
      installedAt: '2026-12-01T00:00:00.000Z',
      updatedAt: '2026-12-01T00:00:00.000Z',
    });
  });

  it('replaces a reinstall, keeping the first install time', async () => {
    const clock = manualClock('2026-12-01T00:00:00.000Z');
    const store = await backend.open(clock);
    await store.installations.save(TEAM_A, installation('T0A', 'xoxb-old'));
    clock.set('2026-12-02T00:00:00.000Z');
    await store.installations.save(TEAM_A, installation('T0A', 'xoxb-new'));
    const found = await store.installations.find(TEAM_A);
    expect(found?.data.bot).toMatchObject({ token: 'xoxb-new' });
    expect(found?.installedAt).toBe('2026-12-01T00:00:00.000Z');
    expect(found?.updatedAt).toBe('2026-12-02T00:00:00.000Z');
  });

  it('keys an org-wide install by its enterprise id, and a workspace install by its team id', async () => {
    const store = await backend.open();
    const org = { ...installation('T0A', 'xoxb-org'), team: undefined, enterprise: { id: 'E0ORG', name: 'Org' } };
    await store.installations.save(ORG, org);
    // a workspace of the org that installed the app on its own
    const inOrg = { enterpriseId: 'E0ORG', teamId: 'T0IN', enterpriseInstall: false };
    await store.installations.save(inOrg, installation('T0IN', 'xoxb-in'));
    expect((await store.installations.find(ORG))?.data).toEqual(asStored(org));
    expect((await store.installations.find({ ...ORG, teamId: 'T0IN' }))?.data).toEqual(asStored(org));
    expect((await store.installations.find(inOrg))?.data.team).toEqual({ id: 'T0IN', name: 'Team T0IN' });
    expect(
      await store.installations.find({ enterpriseId: null, teamId: 'T0IN', enterpriseInstall: false }),
    ).not.toBeNull();
    // an id of one kind never finds an installation of the other
    expect(
      await store.installations.find({ enterpriseId: null, teamId: 'E0ORG', enterpriseInstall: false }),
    ).toBeNull();
    await expect(
      store.installations.find({ enterpriseId: null, teamId: null, enterpriseInstall: true }),
    ).rejects.toThrow(/enterprise id/);
  });

  it('deletes an installation (the app was uninstalled), once', async () => {
    const a = await backend.open();
    const b = await backend.open();
    await a.installations.save(TEAM_A, installation('T0A', 'xoxb-a'));
    await a.installations.save({ ...TEAM_A, teamId: 'T0B' }, installation('T0B', 'xoxb-b'));
    expect(await b.installations.delete(TEAM_A)).toBe(true);
    expect(await a.installations.delete(TEAM_A)).toBe(false);
    expect(await a.installations.find(TEAM_A)).toBeNull();
    expect(await a.installations.find({ ...TEAM_A, teamId: 'T0B' })).not.toBeNull();
  });

  it('keeps Korean names and every kind of JSON value as given', async () => {
    const store = await backend.open();
    const data = {
      ...installation('T0A', 'xoxb-a'),
      team: { id: 'T0A', name: '뉴스팀 "따옴표" \\ 🚀' },
      n: 1.5,
      z: null,
    };
    await store.installations.save(TEAM_A, data);
    expect((await store.installations.find(TEAM_A))?.data).toEqual(asStored(data));
  });
});
