import {
  SCENARIO_SIZES,
  generateScenario,
  loadScenario,
  startEmulators,
} from '@aws-access/emulators';
import { lowerBound, shapeFromState } from './lowerBound';
import {
  BENCH_TEAM,
  SEED_SCENARIO,
  scenarioFor,
  scenarioSizes,
  withBenchTeam,
} from './scenarios';

describe('workloads', () => {
  it('small is the seed organisation with a 200-person team that holds what ReadOnly holds', () => {
    expect(scenarioSizes(loadScenario(SEED_SCENARIO))).toMatchObject({
      accounts: 12,
      permissionSets: 5,
      pairs: 22,
      users: 9,
      entraGroups: 8,
      assignedGroups: 5,
    });
    const small = scenarioFor('small');
    expect(scenarioSizes(small)).toMatchObject({
      accounts: 12,
      permissionSets: 5,
      pairs: 22,
      users: 209,
      entraGroups: 9,
      assignedGroups: 6,
    });
    const team = small.entra!.groups.find(g => g.name === BENCH_TEAM)!;
    expect(team.members).toHaveLength(200);
    expect(new Set(team.members).size).toBe(200);
    expect(team.owners).toEqual(['maria@example.com']);
    expect(
      small.identityCenter.assignments.filter(a => a.group === BENCH_TEAM),
    ).toEqual([
      {
        group: BENCH_TEAM,
        permissionSet: 'DeveloperReadOnly',
        accounts: [
          '200000000001',
          '200000000002',
          '200000000003',
          '200000000004',
          '200000000005',
        ],
      },
    ]);
  });

  it('adds no team where a group has 200 members already', () => {
    const small = scenarioFor('small');
    expect(
      withBenchTeam(small, {
        owner: 'maria@example.com',
        like: 'AWS-Developers-ReadOnly',
      }),
    ).toBe(small);
  });

  it("small's team is provisioned to Identity Center with its 200 members", async () => {
    const emulators = await startEmulators({
      scenario: scenarioFor('small'),
      autoScim: false,
      trustCheck: 'off',
    });
    try {
      const state = await emulators.control.getState();
      const shape = shapeFromState(state);
      // 10 seed Identity Center users + 200; the team is a 7th group with its 200 members.
      expect(shape).toMatchObject({
        pairs: 22,
        identityStoreUsers: 210,
        identityStoreGroups: 7,
      });
      expect([...shape.membersPerGroup].sort((a, b) => b - a)[0]).toBe(200);
    } finally {
      await emulators.close();
    }
  });

  it('large has the sizes issue 10 names', () => {
    const sizes = scenarioSizes(scenarioFor('large'));
    expect(sizes).toMatchObject({
      accounts: 1000,
      permissionSets: 200,
      users: 20_000,
      entraGroups: 2000,
      assignedGroups: 500,
    });
    // "about 10,000 provisioned (account, permission set) pairs"
    expect(sizes.pairs).toBeGreaterThanOrEqual(9_900);
    expect(sizes.pairs).toBeLessThanOrEqual(10_100);
  });

  it('large is deterministic', () => {
    const a = generateScenario(SCENARIO_SIZES.large);
    const b = generateScenario(SCENARIO_SIZES.large);
    expect(JSON.stringify(a)).toEqual(JSON.stringify(b));
  });

  it('envelope is declared at the design envelope', () => {
    expect(SCENARIO_SIZES.envelope).toMatchObject({
      accounts: 3000,
      permissionSets: 500,
      pairs: 30_000,
      users: 100_000,
      entraGroups: 20_000,
      idcGroups: 10_000,
    });
  });

  it('the seed organisation has a lower bound of 37 calls, from the emulator state and counted by hand', async () => {
    const emulators = await startEmulators({
      scenario: SEED_SCENARIO,
      autoScim: false,
      trustCheck: 'off',
    });
    try {
      const shape = shapeFromState(await emulators.control.getState());
      // 5 permission sets on 5, 3, 12, 1 and 1 accounts = 22 pairs; 12 accounts; 10 Identity Center users
      // (8 provisioned + 2 break-glass) and 6 groups (5 assigned + breakglass-admins). AWS-Payments-Prod-Admin's
      // DeveloperAdmin on payments-prod adds no pair: DeveloperAdmin is already provisioned there.
      expect(shape).toMatchObject({
        accounts: 12,
        permissionSets: 5,
        pairs: 22,
        identityStoreUsers: 10,
        identityStoreGroups: 6,
      });
      expect([...shape.accountsPerPermissionSet].sort((a, b) => a - b)).toEqual(
        [1, 1, 3, 5, 12],
      );
      // 1 ListPermissionSets + 5 × 1 + 22 pairs + 1 ListAccounts + 1 ListUsers + 1 ListGroups + 6 memberships
      expect(lowerBound(shape)).toMatchObject({
        identityCenter: 36,
        organizations: 1,
        total: 37,
      });
    } finally {
      await emulators.close();
    }
  });
});
