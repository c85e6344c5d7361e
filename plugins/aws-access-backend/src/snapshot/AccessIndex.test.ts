import { AccessIndex } from './AccessIndex';
import {
  DA,
  MINI_NOW,
  PU,
  RO,
  miniSnapshot,
} from './__fixtures__/miniSnapshot';
import type { Snapshot } from './model';

function grantsOf(index: AccessIndex, ref: string, now = MINI_NOW) {
  const person = index.personByEntityRef(ref);
  if (!person) throw new Error(`no person ${ref}`);
  return person.grants.map(grant => ({
    account: grant.accountId,
    ps: grant.permissionSetArn,
    state: index.stateAt(grant, now),
    via: grant.paths
      .map(path => `${path.name}:${index.pathStateAt(grant, path, now)}`)
      .sort(),
  }));
}

function build(
  snapshot: Snapshot = miniSnapshot(),
  previousGapsFirstSeen?: Record<string, string>,
) {
  return AccessIndex.build({ snapshot, version: 1, previousGapsFirstSeen });
}

describe('AccessIndex', () => {
  it('marks a joiner pending on everything their group grants', () => {
    expect(grantsOf(build(), 'user:default/aamir_example.com')).toEqual([
      {
        account: '200000000001',
        ps: RO,
        state: 'pending',
        via: ['AWS-Developers-ReadOnly:pending'],
      },
      {
        account: '200000000003',
        ps: RO,
        state: 'pending',
        via: ['AWS-Developers-ReadOnly:pending'],
      },
    ]);
  });

  it('keeps a mover active where both groups grant the pair, revoking the old-only pairs, pending the new', () => {
    expect(grantsOf(build(), 'user:default/shen_example.com')).toEqual([
      {
        account: '200000000001',
        ps: PU,
        state: 'pending',
        via: ['AWS-Developers-PowerUser:pending'],
      },
      {
        account: '200000000001',
        ps: RO,
        state: 'revoking',
        via: ['AWS-Developers-ReadOnly:revoking'],
      },
      {
        account: '200000000003',
        ps: RO,
        state: 'active',
        via: [
          'AWS-Developers-PowerUser:pending',
          'AWS-Developers-ReadOnly:revoking',
        ],
      },
    ]);
  });

  it('marks everything of a leaver who is disabled in Entra but enabled in AWS as revoking', () => {
    expect(
      grantsOf(build(), 'user:default/alex_example.com').map(g => g.state),
    ).toEqual(['revoking', 'revoking']);
  });

  it('marks access only through a nested group as unsupported-nesting, naming both groups', () => {
    const index = build();
    const [grant] = index.personByEntityRef(
      'user:default/noah_example.com',
    )!.grants;
    expect(index.stateAt(grant, MINI_NOW)).toBe('unsupported-nesting');
    expect(grant.permissionSetArn).toBe(DA);
    expect(grant.paths).toEqual([
      expect.objectContaining({
        type: 'nested-group',
        name: 'Data-Team',
        through: {
          name: 'AWS-Data-Analysts',
          entityRef: 'group:default/aws-data-analysts',
        },
      }),
    ]);
  });

  it('keeps people in sync active', () => {
    expect(
      grantsOf(build(), 'user:default/maria_example.com').map(g => g.state),
    ).toEqual(['active', 'active']);
  });

  it('lists Identity Center principals without an Entra source as unmanaged, with their assignments', () => {
    expect(build().unmanaged).toEqual([
      {
        type: 'USER',
        id: 'i-bg',
        name: 'breakglass-1',
        assignments: [
          expect.objectContaining({
            accountId: '100000000001',
            principalType: 'USER',
          }),
        ],
      },
    ]);
    expect(build().personByUpn('breakglass-1')).toBeUndefined();
  });

  it("turns pending into stuck after two provisioning cycles, measured from Entra's audit time", () => {
    const index = build();
    const [grant] = index.personByEntityRef(
      'user:default/aamir_example.com',
    )!.grants;
    expect(grant.since).toBe('2026-11-30T08:50:00.000Z');
    expect(index.stateAt(grant, new Date('2026-11-30T10:09:00Z'))).toBe(
      'pending',
    );
    expect(index.stateAt(grant, new Date('2026-11-30T10:11:00Z'))).toBe(
      'stuck',
    );
  });

  it('turns pending into stuck at once when the provisioning job is quarantined', () => {
    const index = build(
      miniSnapshot({
        status: 'Quarantine',
        quarantineReason: 'EncounteredQuarantineException',
      }),
    );
    const [grant] = index.personByEntityRef(
      'user:default/aamir_example.com',
    )!.grants;
    expect(index.stateAt(grant, MINI_NOW)).toBe('stuck');
    expect(index.nextCycleAt(MINI_NOW)).toBeUndefined();
  });

  it("uses when our sync first saw a gap when Entra's audit log does not say, and keeps that age across runs", () => {
    const snapshot = miniSnapshot();
    snapshot.identity.changes = [];
    const first = build(snapshot);
    const key = `u-aamir|200000000001|${RO}|pending`;
    expect(first.gapsFirstSeen[key]).toBe(snapshot.readAt);

    const later = { ...snapshot, readAt: '2026-11-30T09:30:00.000Z' };
    const second = build(later, first.gapsFirstSeen);
    const grant = second.personByEntityRef('user:default/aamir_example.com')!
      .grants[0];
    expect(grant.since).toBe(snapshot.readAt);
    expect(second.gapsFirstSeen[key]).toBe(snapshot.readAt);
  });

  it('estimates the next provisioning cycle from the last one and the interval', () => {
    // last cycle started 08:45, every 40 minutes
    expect(build().nextCycleAt(MINI_NOW)).toBe('2026-11-30T09:25:00.000Z');
    expect(build().nextCycleAt(new Date('2026-11-30T09:30:00Z'))).toBe(
      '2026-11-30T10:05:00.000Z',
    );
  });

  it('revokes nothing for a disabled Identity Center user: AWS does not let them in', () => {
    const snapshot = miniSnapshot();
    snapshot.aws.users = snapshot.aws.users.map(u =>
      u.id === 'i-alex' ? { ...u, status: 'DISABLED' as const } : u,
    );
    expect(
      build(snapshot).personByEntityRef('user:default/alex_example.com')!
        .grants,
    ).toEqual([]);
  });

  it('correlates Identity Center objects without ExternalIds by user name and group name', () => {
    const snapshot = miniSnapshot();
    snapshot.aws.users = snapshot.aws.users.map(u =>
      u.id === 'i-maria' ? { ...u, externalId: undefined } : u,
    );
    snapshot.aws.groups = snapshot.aws.groups.map(g =>
      g.id === 'ig-pu' ? { ...g, externalId: undefined } : g,
    );
    const index = build(snapshot);
    expect(
      grantsOf(index, 'user:default/maria_example.com').map(g => g.state),
    ).toEqual(['active', 'active']);
    expect(index.unmanaged.map(u => u.name)).toEqual(['breakglass-1']);
  });

  it('shares paths between grants, so a large index stays small: one object per path, one array per single path', () => {
    const grants = build().persons.flatMap(person => person.grants);
    const single = grants.filter(grant => grant.paths.length === 1);
    const paths = new Set(grants.flatMap(grant => grant.paths));
    expect(single.length).toBeGreaterThan(paths.size);
    expect(new Set(single.map(grant => grant.paths)).size).toBe(
      new Set(single.map(grant => grant.paths[0])).size,
    );
    expect(grants.some(grant => grant.paths.length > 1)).toBe(true);
  });

  it('gives people reached the same way one list of the same grant objects, but each their own gap start', () => {
    const snapshot = miniSnapshot();
    const addEntraUser = (id: string, name: string, groupId: string) => {
      snapshot.identity.users.push({
        id,
        userPrincipalName: `${name}@example.com`,
        mail: `${name}@example.com`,
        displayName: name,
        accountEnabled: true,
      });
      snapshot.identity.groups
        .find(group => group.id === groupId)!
        .memberUserIds.push(id);
    };
    // Mia is in sync through the same groups as Maria; Zoe joined ReadOnly with Aamir, but was never audited.
    addEntraUser('u-mia', 'mia', 'g-pu');
    snapshot.aws.users.push({
      id: 'i-mia',
      userName: 'mia@example.com',
      status: 'ENABLED',
      externalId: 'u-mia',
    });
    snapshot.aws.groups
      .find(group => group.id === 'ig-pu')!
      .memberUserIds.push('i-mia');
    addEntraUser('u-zoe', 'zoe', 'g-ro');
    const index = build(snapshot);
    const person = (name: string) =>
      index.personByEntityRef(`user:default/${name}_example.com`)!;

    expect(person('mia').grants).toHaveLength(2);
    expect(person('mia').grants).toBe(person('maria').grants);

    const [aamir, zoe] = [person('aamir').grants, person('zoe').grants];
    expect(zoe.map(grant => grant.baseState)).toEqual(['pending', 'pending']);
    expect(aamir.map(grant => grant.since)).toEqual([
      '2026-11-30T08:50:00.000Z',
      '2026-11-30T08:50:00.000Z',
    ]);
    expect(zoe.map(grant => grant.since)).toEqual([
      snapshot.readAt,
      snapshot.readAt,
    ]);
    expect(zoe.map(({ since, ...rest }) => rest)).toEqual(
      aamir.map(({ since, ...rest }) => rest),
    );
  });

  it('lists everyone with a grant on an account, once each, in persons order', () => {
    const index = build();
    const accounts = index.snapshot.aws.accounts.map(a => a.id);
    let holders = 0;
    for (const accountId of [...accounts, '999999999999']) {
      const expected = index.persons.filter(p =>
        p.grants.some(g => g.accountId === accountId),
      );
      expect(index.personsWithGrantsOn(accountId)).toEqual(expected);
      holders += expected.length;
    }
    // Someone holds several grants on one account, and the fixture's people are spread over several accounts.
    expect(
      index.persons.some(p => {
        const ids = p.grants.map(g => g.accountId);
        return new Set(ids).size < ids.length;
      }),
    ).toBe(true);
    expect(holders).toBeGreaterThan(index.persons.length);
  });

  it("finds a team's members through nested groups", () => {
    const index = build();
    expect(
      index.transitiveUserIds(index.identityGroupsById.get('g-da')!),
    ).toEqual(['u-noah']);
  });
});
