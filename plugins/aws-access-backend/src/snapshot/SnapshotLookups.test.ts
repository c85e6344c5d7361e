import v8 from 'node:v8';
import vm from 'node:vm';
import { miniSnapshot } from './__fixtures__/miniSnapshot';
import type { Snapshot } from './model';
import { SnapshotLookups } from './SnapshotLookups';
import { runAtOnce } from './slices';

jest.setTimeout(60_000);
v8.setFlagsFromString('--expose-gc');
const gc: () => void = vm.runInNewContext('gc');

class Lookups extends SnapshotLookups {
  static of(snapshot: Snapshot) {
    const lookups = new Lookups();
    runAtOnce(lookups.indexSnapshot(snapshot));
    return lookups;
  }
}

/** `users` people on both sides, each a member of `perUser` of `groups` groups; ids as long as Entra's. */
function organisation(users: number, groups: number, perUser: number) {
  const snapshot = miniSnapshot();
  const id = (prefix: string, n: number) =>
    `${prefix}-${String(n).padStart(8, '0')}-4c1e-9f00-000000000000`;
  for (let g = 0; g < groups; g++) {
    snapshot.identity.groups.push({
      id: id('g', g),
      displayName: `Team ${g}`,
      securityEnabled: true,
      memberUserIds: [],
      memberGroupIds: [],
    });
    snapshot.aws.groups.push({
      id: id('ig', g),
      displayName: `Team ${g}`,
      memberUserIds: [],
    });
  }
  for (let u = 0; u < users; u++) {
    const user = { entra: id('u', u), idc: id('i', u) };
    snapshot.identity.users.push({
      id: user.entra,
      userPrincipalName: `person-${u}@example.com`,
      displayName: `Person ${u}`,
      accountEnabled: true,
    });
    snapshot.aws.users.push({
      id: user.idc,
      userName: `person-${u}@example.com`,
      status: 'ENABLED',
      externalId: user.entra,
    });
    for (let k = 0; k < perUser; k++) {
      const g = (u * perUser + k) % groups;
      snapshot.identity.groups[4 + g].memberUserIds.push(user.entra);
      snapshot.aws.groups[3 + g].memberUserIds.push(user.idc);
    }
  }
  return snapshot;
}

/** The heap in use after full collections while the lookups of `make()`'s snapshot (and the snapshot) are alive. */
function heapHolding(make: () => Snapshot): number {
  const lookups = Lookups.of(make());
  gc();
  gc();
  const used = process.memoryUsage().heapUsed;
  expect(lookups.identityUsersById.size).toBeGreaterThan(0);
  return used;
}

describe('SnapshotLookups', () => {
  it("keeps one string per user id, however many groups list it: a parsed read's copies are let go", () => {
    // 400,000 memberships. Built in code, each membership is the user's own id string; parsed from JSON, as a
    // snapshot read from the store or an API is, each is a copy of its own (~56 bytes: about 22 MB in all).
    const make = () => organisation(20_000, 2_000, 10);
    const asBuilt = heapHolding(make);
    const asParsed = heapHolding(() => JSON.parse(JSON.stringify(make())));
    // One way only: the built snapshot's own overheads (concatenated names, arrays with room to grow) vary.
    expect(asParsed - asBuilt).toBeLessThan(10 * 1024 * 1024);
  });

  it('lists the groups of a user once each, in the snapshot’s order, on both sides', () => {
    const snapshot = organisation(30, 4, 2);
    // A member listed twice is in the group once.
    snapshot.aws.groups[3].memberUserIds.push(
      snapshot.aws.groups[3].memberUserIds[0],
    );
    const lookups = Lookups.of(snapshot);
    const idcUser = snapshot.aws.groups[3].memberUserIds[0];
    expect(lookups.idcGroupsOfUser(idcUser).map(group => group.id)).toEqual(
      snapshot.aws.groups
        .filter(group => group.memberUserIds.includes(idcUser))
        .map(group => group.id),
    );
    expect(lookups.idcGroupsOfUser(idcUser)).toHaveLength(2);
    const entraUser = snapshot.identity.users[7].id;
    expect(
      lookups.identityGroupsOfUser(entraUser).map(group => group.id),
    ).toEqual(
      snapshot.identity.groups
        .filter(group => group.memberUserIds.includes(entraUser))
        .map(group => group.id),
    );
    expect(lookups.idcGroupsOfUser('i-nobody')).toEqual([]);
  });
});
