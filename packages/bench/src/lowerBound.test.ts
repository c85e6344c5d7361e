import type { EmulatorState } from '@aws-access/emulators';
import type { OrgShape } from './lowerBound';
import {
  lowerBound,
  naiveCalls,
  pages,
  readerFormula,
  shapeFromState,
} from './lowerBound';

// A hand-made organisation whose pages are easy to count by hand.
const tiny: OrgShape = {
  accounts: 41, // ⌈41/20⌉ = 3 ListAccounts
  permissionSets: 3, // 1 ListPermissionSets
  accountsPerPermissionSet: [0, 100, 250], // 1 + 1 + 3 = 5
  principalsPerPair: [1, 100, 101, 250], // 1 + 1 + 2 + 3 = 7
  identityStoreUsers: 201, // 3 ListUsers
  identityStoreGroups: 2, // 1 ListGroups
  membersPerGroup: [0, 150], // 1 + 2 = 3
};

describe('pages', () => {
  it('counts at least one call per listing and one more per full page', () => {
    expect([0, 1, 99, 100, 101, 200, 201].map(n => pages(n, 100))).toEqual([
      1, 1, 1, 1, 2, 2, 3,
    ]);
    expect([0, 20, 21, 1000].map(n => pages(n, 20))).toEqual([1, 1, 2, 50]);
    expect(() => pages(-1, 100)).toThrow();
  });
});

describe('lowerBound', () => {
  it('gives the exact bound of a hand-made organisation', () => {
    expect(lowerBound(tiny)).toEqual({
      ListPermissionSets: 1,
      ListAccountsForProvisionedPermissionSet: 5,
      ListAccountAssignments: 7,
      ListAccounts: 3,
      ListUsers: 3,
      ListGroups: 1,
      ListGroupMemberships: 3,
      identityCenter: 20,
      organizations: 3,
      total: 23,
    });
  });

  it('follows ⌈P/100⌉ + Σ⌈A_p/100⌉ + Σ⌈k/100⌉ + ⌈N/20⌉ + identity-store pages at the design envelope', () => {
    // 3,000 accounts, 500 permission sets on 60 accounts each, 30,000 pairs with 1–2 principals,
    // 100,000 users, 10,000 groups of 10 members.
    const envelope: OrgShape = {
      accounts: 3000,
      permissionSets: 500,
      accountsPerPermissionSet: Array(500).fill(60),
      principalsPerPair: Array.from({ length: 30_000 }, (_, i) => 1 + (i % 2)),
      identityStoreUsers: 100_000,
      identityStoreGroups: 10_000,
      membersPerGroup: Array(10_000).fill(10),
    };
    const b = lowerBound(envelope);
    expect(b.total).toBe(5 + 500 + 30_000 + 150 + 1000 + 100 + 10_000);
    expect(b.identityCenter).toBe(b.total - 150);
  });

  it('refuses a shape whose lists do not match its counts', () => {
    expect(() => lowerBound({ ...tiny, permissionSets: 4 })).toThrow(/A_p/);
    expect(() => lowerBound({ ...tiny, identityStoreGroups: 3 })).toThrow(
      /m_g/,
    );
  });
});

describe('naiveCalls', () => {
  it('asks every account × permission set, plus the extra pages of large pairs', () => {
    const naive = naiveCalls(tiny);
    expect(naive.ListAccountAssignments).toBe(41 * 3 + (0 + 0 + 1 + 2));
    expect(naive.ListAccountsForProvisionedPermissionSet).toBe(0);
    expect(naive.identityCenter).toBe(1 + 126 + 3 + 1 + 3);
    expect(naive.total).toBe(137);
  });

  it('is 200,000 assignment listings for the large workload, 20× the bound', () => {
    const large: OrgShape = {
      accounts: 1000,
      permissionSets: 200,
      accountsPerPermissionSet: Array(200).fill(50),
      principalsPerPair: Array(10_000).fill(1),
      identityStoreUsers: 0,
      identityStoreGroups: 0,
      membersPerGroup: [],
    };
    expect(naiveCalls(large).ListAccountAssignments).toBe(200_000);
    expect(lowerBound(large).ListAccountAssignments).toBe(10_000);
  });
});

describe('readerFormula', () => {
  it('adds the failure listings, the OU tree and, when cold, definitions and tags', () => {
    const shape = { ...tiny, organizationalUnits: 4 };
    expect(readerFormula(shape, { cold: false })).toEqual({
      identityCenter: 20 + 3,
      organizations: 3 + 6,
      total: 23 + 3 + 6,
    });
    expect(readerFormula(shape, { cold: true })).toEqual({
      identityCenter: 20 + 3 + 18,
      organizations: 3 + 6 + 41 + 1,
      total: 23 + 3 + 6 + 18 + 41 + 1,
    });
  });
});

describe('shapeFromState', () => {
  it('reads P, A_p, k, N and the identity store from the emulator state, not from our read', () => {
    const assignment = (
      accountId: string,
      permissionSet: string,
      principal: string,
    ) => ({
      accountId,
      permissionSet,
      principalType: 'GROUP' as const,
      principal,
      provisioning: 'PROVISIONED' as const,
    });
    const state = {
      now: '2026-01-01T00:00:00Z',
      entra: { tenantId: 't', users: [], groups: [], pimAssignments: [] },
      provisioning: { job: {}, nextCycleAt: '' },
      identityCenter: {
        users: [
          { userId: 'u1', userName: 'a', status: 'ENABLED' },
          { userId: 'u2', userName: 'b', status: 'ENABLED' },
        ],
        groups: [
          { groupId: 'g1', displayName: 'G1', members: ['a', 'b'] },
          { groupId: 'g2', displayName: 'G2', members: [] },
        ],
        permissionSets: [
          { name: 'ReadOnly', arn: 'arn:1' },
          { name: 'Admin', arn: 'arn:2' },
          { name: 'Unused', arn: 'arn:3' },
        ],
        assignments: [
          assignment('111111111111', 'ReadOnly', 'G1'),
          assignment('111111111111', 'ReadOnly', 'G2'),
          assignment('222222222222', 'ReadOnly', 'G1'),
          assignment('222222222222', 'Admin', 'G2'),
        ],
        operations: [],
      },
      organization: {
        id: 'o-1',
        rootId: 'r-1',
        units: [{ id: 'ou-1', name: 'Prod', parentId: 'r-1' }],
        accounts: [
          { id: '111111111111', name: 'a', status: 'ACTIVE', path: '' },
          { id: '222222222222', name: 'b', status: 'ACTIVE', path: '' },
          { id: '333333333333', name: 'c', status: 'SUSPENDED', path: '' },
        ],
      },
    } as EmulatorState;
    const shape = shapeFromState(state);
    expect(shape).toEqual({
      accounts: 3,
      organizationalUnits: 1,
      permissionSets: 3,
      accountsPerPermissionSet: [2, 1, 0],
      principalsPerPair: [2, 1, 1],
      pairs: 3,
      identityStoreUsers: 2,
      identityStoreGroups: 2,
      membersPerGroup: [2, 0],
    });
    // 1 + (1 + 1 + 1) + 3 + 1 + 1 + 1 + (1 + 1)
    expect(lowerBound(shape).total).toBe(12);
  });
});
