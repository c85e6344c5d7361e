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

/** The bench's 200-member team (issue 10's P6 and issue 17's reviewer figures are for a 200-member group). */
export const BENCH_TEAM = 'Bench-Team-200';
export const BENCH_TEAM_SIZE = 200;

/**
 * The scenario with a team of `BENCH_TEAM_SIZE` generated people, unless some group already has that many direct
 * members. The team is owned by `owner` (its reviewer under the "else Entra owners" rule, and its team lead),
 * is assigned to the AWS app with the assignments of the group `like`, and is in sync in AWS like the rest.
 */
export function withBenchTeam(
  scenario: Scenario,
  options: { owner: string; like: string },
): Scenario {
  const entra = scenario.entra!;
  if (entra.groups.some(g => (g.members?.length ?? 0) >= BENCH_TEAM_SIZE))
    return scenario;
  const people = Array.from({ length: BENCH_TEAM_SIZE }, (_, i) => {
    const n = String(i).padStart(3, '0');
    return {
      upn: `bench-member-${n}@${entra.domain}`,
      displayName: `Bench Member ${n}`,
      department: 'Bench',
      jobTitle: 'Developer',
      manager: options.owner,
    };
  });
  const assignments = scenario.identityCenter.assignments.filter(
    a => a.group === options.like,
  );
  if (assignments.length === 0)
    throw new Error(`${options.like} has no AWS assignments to copy`);
  return {
    ...scenario,
    entra: {
      ...entra,
      users: [...entra.users, ...people],
      groups: [
        ...entra.groups,
        {
          name: BENCH_TEAM,
          members: people.map(p => p.upn),
          owners: [options.owner],
          assignedToAwsApp: true,
        },
      ],
    },
    identityCenter: {
      ...scenario.identityCenter,
      assignments: [
        ...scenario.identityCenter.assignments,
        ...assignments.map(a => ({ ...a, group: BENCH_TEAM })),
      ],
    },
  };
}

/**
 * The workload of a size: the seed organisation with the bench team (Maria, its team lead, owns it; it holds
 * what AWS-Developers-ReadOnly holds), or the emulators' deterministic generator.
 */
export function scenarioFor(size: BenchSize): Scenario {
  if (size === 'small')
    return withBenchTeam(loadScenario(SEED_SCENARIO), {
      owner: 'maria@example.com',
      like: 'AWS-Developers-ReadOnly',
    });
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
