import { World } from '../state/World';
import type { GenerateScenarioOptions } from './generate';
import { generateScenario, SCENARIO_SIZES } from './generate';
import { normalizeScenario } from './normalize';
import { parseScenario, validateScenario } from './parse';
import { scenarioToYaml } from './toYaml';

const medium: GenerateScenarioOptions = {
  seed: 7,
  accounts: 40,
  permissionSets: 12,
  pairs: 150,
  users: 600,
  entraGroups: 60,
  assignedGroups: 20,
  idcGroups: 24,
  nestingRatio: 0.2,
  driftRatio: 0.05,
  unmanagedUsers: 3,
};

describe('generateScenario', () => {
  it('should be deterministic by seed', () => {
    expect(generateScenario(medium)).toEqual(generateScenario(medium));
    expect(scenarioToYaml(generateScenario(medium))).toBe(
      scenarioToYaml(generateScenario(medium)),
    );
    expect(generateScenario({ ...medium, seed: 8 })).not.toEqual(
      generateScenario(medium),
    );
  });

  it('should produce the requested sizes as a valid scenario', () => {
    const scenario = validateScenario(generateScenario(medium));
    expect(scenario.identityCenter.accounts).toHaveLength(40);
    expect(scenario.identityCenter.permissionSets).toHaveLength(12);
    expect(scenario.entra!.users).toHaveLength(600);
    expect(scenario.entra!.groups).toHaveLength(60);
    expect(scenario.entra!.groups.filter(g => g.assignedToAwsApp)).toHaveLength(
      20,
    );
    expect(
      scenario.entra!.groups.some(g =>
        g.members?.some(m => m.startsWith('Team-')),
      ),
    ).toBe(true);
    expect(scenario.identityCenter.provisioned!.unmanaged!.groups).toHaveLength(
      4,
    );
    expect(scenario.identityCenter.provisioned!.drift!.length).toBeGreaterThan(
      10,
    );

    const normalized = normalizeScenario(scenario);
    const pairs = new Set(
      normalized.identityCenter.assignments.flatMap(a =>
        a.accounts.map(id => `${id}|${a.permissionSetArn}`),
      ),
    );
    expect(pairs.size).toBe(150);
  });

  it('should round-trip through YAML', () => {
    const scenario = generateScenario({
      ...medium,
      users: 50,
      entraGroups: 10,
      assignedGroups: 4,
      idcGroups: 5,
    });
    expect(parseScenario(scenarioToYaml(scenario), 'generated.yaml')).toEqual(
      scenario,
    );
  });

  it('should generate and load the large size', () => {
    const scenario = generateScenario(SCENARIO_SIZES.large);
    expect(scenario.entra!.users).toHaveLength(20_000);
    expect(scenario.entra!.groups).toHaveLength(2000);
    expect(scenario.entra!.groups.filter(g => g.assignedToAwsApp)).toHaveLength(
      500,
    );
    expect(scenario.identityCenter.accounts).toHaveLength(1000);
    expect(scenario.identityCenter.permissionSets).toHaveLength(200);

    const world = World.load(normalizeScenario(validateScenario(scenario)), {});
    const pairs = new Set(
      [...world.ssoAdmin.allAssignments()].map(
        a => `${a.accountId}|${a.permissionSetArn}`,
      ),
    );
    expect(pairs.size).toBeGreaterThan(9_500);
    expect(world.identityStore.groups.size).toBe(501);
    expect(world.identityStore.users.size).toBeGreaterThan(19_000);
  });
});
