import { entraGroupEntityRef } from '@aws-access/plugin-aws-access-common';
import { AccessIndex } from '../../snapshot/AccessIndex';
import {
  MINI_NOW,
  miniSnapshot,
} from '../../snapshot/__fixtures__/miniSnapshot';
import type { IdentityGroup, Snapshot } from '../../snapshot/model';
import { userAccess } from './userAccess';

/*
 * Issue 18: a person's page lists their Entra groups from an index of each user's direct groups, not a scan of
 * every group's members (20,000 groups at envelope). The list is the scan's, in its order, for every person.
 */

/**
 * The mini organisation with people in several groups in and out of scope, nested, a member listed twice, and a
 * person outside every scoped group's tree.
 */
function manyGroups(): Snapshot {
  const snapshot = miniSnapshot();
  const { identity } = snapshot;
  const group = (
    id: string,
    memberUserIds: string[],
    memberGroupIds: string[] = [],
  ): IdentityGroup => ({
    id,
    displayName: `Team ${id}`,
    securityEnabled: true,
    memberUserIds,
    memberGroupIds,
  });
  // Lee is only in groups out of the scope's trees: none of them matters for AWS.
  identity.users.push({
    id: 'u-lee',
    userPrincipalName: 'lee@example.com',
    displayName: 'Lee',
    accountEnabled: true,
  });
  identity.groups.unshift(group('g-z', ['u-maria', 'u-noah', 'u-shen']));
  identity.groups.push(
    group('g-out', ['u-alex', 'u-lee', 'u-aamir']),
    group('g-twice', ['u-shen', 'u-maria', 'u-shen']),
    group('g-nested', ['u-noah'], ['g-data']),
    group('g-a', ['u-maria', 'u-aamir', 'u-noah', 'u-lee', 'u-alex']),
  );
  identity.groups.find(g => g.id === 'g-da')!.memberGroupIds.push('g-nested');
  identity.provisioningScope.push(
    { principalId: 'g-twice', principalType: 'Group' },
    { principalId: 'g-z', principalType: 'Group' },
  );
  return snapshot;
}

/** What `GET /me` listed before the index: every group of the snapshot scanned for the person. */
function scanned(index: AccessIndex, userId: string) {
  const inScopeTree = (group: IdentityGroup) =>
    index.scopedGroupIds.has(group.id) ||
    [...index.scopedGroupIds].some(id => {
      const scoped = index.identityGroupsById.get(id);
      return scoped ? index.transitiveUserIds(scoped).includes(userId) : false;
    });
  return index.snapshot.identity.groups
    .filter(g => g.memberUserIds.includes(userId) && inScopeTree(g))
    .map(g => ({
      id: g.id,
      name: g.displayName,
      entityRef: entraGroupEntityRef(g),
      assignedToApp: index.scopedGroupIds.has(g.id),
      direct: g.memberUserIds.includes(userId),
    }));
}

describe("a person's Entra groups", () => {
  const snapshot = manyGroups();
  const index = AccessIndex.build({ snapshot, version: 1 });
  const userIds = snapshot.identity.users.map(u => u.id);

  it('are the groups listing them, in the snapshot order, each once', () => {
    for (const userId of [...userIds, 'u-not-a-user']) {
      expect(index.identityGroupsOfUser(userId)).toEqual(
        snapshot.identity.groups.filter(g => g.memberUserIds.includes(userId)),
      );
    }
    expect(index.identityGroupsOfUser('u-shen').map(g => g.id)).toEqual([
      'g-z',
      'g-pu',
      'g-twice',
    ]);
  });

  it("are on every person's page as the scan listed them", () => {
    let listed = 0;
    for (const person of index.persons) {
      if (!person.identityUser) continue;
      const groups = userAccess(index, person, MINI_NOW, 3_600_000).entra
        ?.groups;
      expect(groups).toEqual(scanned(index, person.identityUser.id));
      listed += groups!.length;
    }
    // Enough to be a check: most people are in several groups that matter; Lee's matter to none.
    expect(listed).toBeGreaterThanOrEqual(10);
    expect(index.identityGroupsOfUser('u-lee')).toHaveLength(2);
    expect(
      userAccess(index, index.personByKey('u-lee')!, MINI_NOW, 3_600_000).entra
        ?.groups,
    ).toEqual([]);
  });
});
