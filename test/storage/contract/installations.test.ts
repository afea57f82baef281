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

  it("finds a workspace's own installation for its posts, else the org-wide one noted as covering it", async () => {
    const a = await backend.open();
    const b = await backend.open();
    const org = { ...installation('T0A', 'xoxb-org'), team: undefined, enterprise: { id: 'E0ORG', name: 'Org' } };
    expect(await a.installations.cover('E0ORG', 'T0IN')).toBe(false);
    await a.installations.save(ORG, org);
    expect(await b.installations.findForTeam('T0IN')).toBeNull();
    expect(await a.installations.cover('E0ORG', 'T0IN')).toBe(true);
    expect(await a.installations.cover('E0ORG', 'T0IN')).toBe(true);
    expect((await b.installations.findForTeam('T0IN'))?.data).toEqual(asStored(org));
    expect((await b.installations.findForTeam('T0IN'))?.enterpriseInstall).toBe(true);
    // a workspace's own install wins over the org's, whichever came first
    await a.installations.save({ ...TEAM_A, teamId: 'T0IN' }, installation('T0IN', 'xoxb-own'));
    expect((await b.installations.findForTeam('T0IN'))?.data.bot).toMatchObject({ token: 'xoxb-own' });
    await a.installations.save({ ...TEAM_A, teamId: 'T0SOLO' }, installation('T0SOLO', 'xoxb-solo'));
    expect((await b.installations.findForTeam('T0SOLO'))?.data.bot).toMatchObject({ token: 'xoxb-solo' });
    expect(await b.installations.findForTeam('T0NONE')).toBeNull();
    // an org id is no workspace id
    expect(await b.installations.findForTeam('E0ORG')).toBeNull();
  });

  it('moves a workspace to the org that covers it now', async () => {
    const store = await backend.open();
    const orgOf = (id: string) => ({ ...installation('T0A', `xoxb-${id}`), team: undefined, enterprise: { id } });
    await store.installations.save(ORG, orgOf('E0ORG'));
    await store.installations.save({ ...ORG, enterpriseId: 'E0NEW' }, orgOf('E0NEW'));
    await store.installations.cover('E0ORG', 'T0IN');
    await store.installations.cover('E0NEW', 'T0IN');
    expect((await store.installations.findForTeam('T0IN'))?.enterpriseId).toBe('E0NEW');
    await store.installations.delete({ ...ORG, enterpriseId: 'E0NEW' });
    expect(await store.installations.findForTeam('T0IN')).toBeNull();
  });

  it('forgets the workspaces an org-wide install covered when it is deleted, and a reinstall learns them again', async () => {
    const a = await backend.open();
    const b = await backend.open();
    const org = { ...installation('T0A', 'xoxb-org'), team: undefined, enterprise: { id: 'E0ORG', name: 'Org' } };
    await a.installations.save(ORG, org);
    await a.installations.cover('E0ORG', 'T0IN');
    await a.installations.cover('E0ORG', 'T0TWO');
    // a reinstall keeps what was learned
    await a.installations.save(ORG, { ...org, bot: { ...org.bot, token: 'xoxb-org-2' } });
    expect((await b.installations.findForTeam('T0TWO'))?.data.bot).toMatchObject({ token: 'xoxb-org-2' });
    expect(await b.installations.delete(ORG)).toBe(true);
    expect(await a.installations.findForTeam('T0IN')).toBeNull();
    expect(await a.installations.findForTeam('T0TWO')).toBeNull();
    await a.installations.save(ORG, org);
    expect(await a.installations.findForTeam('T0IN')).toBeNull();
    await a.installations.cover('E0ORG', 'T0IN');
    expect((await b.installations.findForTeam('T0IN'))?.data).toEqual(asStored(org));
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
