import path from 'node:path';
import {
  SCENARIO_SIZES,
  generateScenario,
  loadScenario,
} from '@aws-access/emulators';
import type { Scenario } from '@aws-access/emulators';

export type BenchSize = 'small' | 'large' | 'envelope';
export const BENCH_SIZES: BenchSize[] = ['small', 'large', 'envelope'];

/** The repository root (this file is packages/bench/src/scenarios.ts). */
// eslint-disable-next-line no-restricted-syntax -- the harness runs from source inside the repository
export const REPO_ROOT = path.resolve(__dirname, '../../..');

export const SEED_SCENARIO = path.join(
  REPO_ROOT,
  'examples/scenarios/seed-org.yaml',
);

/** The workload of a size: the seed organisation, or the emulators' deterministic generator. */
export function scenarioFor(size: BenchSize): Scenario {
  if (size === 'small') return loadScenario(SEED_SCENARIO);
  return generateScenario(SCENARIO_SIZES[size]);
}

/** Counts a generated or loaded scenario declares (the workload as the issue names it). */
export function scenarioSizes(scenario: Scenario) {
  const pairs = new Map<string, number>();
  const allAccounts = scenario.identityCenter.accounts.map(a => a.id);
  for (const a of scenario.identityCenter.assignments) {
    const accounts = a.accounts === '*' ? allAccounts : a.accounts;
    for (const accountId of accounts) {
      const key = `${accountId}|${a.permissionSet}`;
      pairs.set(key, (pairs.get(key) ?? 0) + 1);
    }
  }
  // Every bench scenario has an Entra tenant; one without would count none.
  const groups = scenario.entra?.groups ?? [];
  return {
    accounts: scenario.identityCenter.accounts.length,
    permissionSets: scenario.identityCenter.permissionSets.length,
    pairs: pairs.size,
    users: scenario.entra?.users.length ?? 0,
    entraGroups: groups.length,
    assignedGroups: groups.filter(g => g.assignedToAwsApp).length,
    unmanagedIdentityCenterGroups:
      scenario.identityCenter.provisioned?.unmanaged?.groups?.length ?? 0,
  };
}
