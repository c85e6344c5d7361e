import type { Scenario, ScenarioAccount } from '@aws-access/emulators';
import { generateScenario } from '@aws-access/emulators';

/** What {@link powerUserScenario} builds, with the names a test asks about. */
export interface PowerUserScenario {
  scenario: Scenario;
  /** Pat, the platform engineer: ReadOnly and PowerUser on every account, Admin on every account but pending. */
  pat: { upn: string; displayName: string };
  /** Every account of the organisation (Pat holds three permission sets on each). */
  accountIds: string[];
  /** Pat's three permission sets: ReadOnly, PowerUser, Admin (the last one pending). */
  permissionSets: { readOnly: string; powerUser: string; admin: string };
  /** The 200-member team (not assigned to AWS: its members' access comes through their other groups). */
  team: { name: string; members: string[] };
}

const OUS = ['Workloads/Dev', 'Workloads/Staging', 'Workloads/Prod', 'Sandbox'];

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * The power user's organisation (issue 18): a generated company of 240 people on 40 accounts with a 200-member
 * team, grown to `accounts` accounts (3,000 by default) that only the platform groups reach. Pat holds ReadOnly
 * and PowerUser on every one of them and was just added to the Admin group (not provisioned yet: pending), so
 * Pat holds accounts × 3 grants (9,000). Deterministic.
 */
export function powerUserScenario(
  options: { accounts?: number } = {},
): PowerUserScenario {
  const total = options.accounts ?? 3000;
  const scenario = generateScenario({
    seed: 'power-user',
    accounts: 40,
    permissionSets: 8,
    pairs: 160,
    users: 240,
    entraGroups: 14,
    assignedGroups: 8,
    nestingRatio: 0.1,
    driftRatio: 0.05,
  });
  const entra = scenario.entra!;
  const ic = scenario.identityCenter;
  const domain = entra.domain;
  for (let i = ic.accounts.length; i < total; i++) {
    const ou = OUS[i % OUS.length];
    const env = ou.split('/').pop()!.toLowerCase();
    ic.accounts.push({
      id: `2${pad(i, 11)}`,
      name: `acct-${pad(i, 5)}-${env}`,
      email: `aws+acct-${pad(i, 5)}@${domain}`,
      ou,
      tags: { owner: 'platform-team', env },
    } satisfies ScenarioAccount);
  }
  const accountIds = ic.accounts.map(account => account.id);

  const members = entra.users
    .filter(user => user.enabled !== false)
    .slice(0, 200)
    .map(user => user.upn);
  const team = { name: 'Platform-Guild', members };
  entra.groups.push({ ...team, securityEnabled: true });

  const pat = { upn: `pat@${domain}`, displayName: 'Pat Platform' };
  entra.users.push({
    ...pat,
    givenName: 'Pat',
    surname: 'Platform',
    department: 'Platform',
    jobTitle: 'Platform Engineer',
  });
  const [readOnly, powerUser, admin] = [0, 1, 2].map(
    i => ic.permissionSets[i].name,
  );
  const platformGroups: Array<[string, string]> = [
    ['AWS-Platform-ReadOnly', readOnly],
    ['AWS-Platform-PowerUser', powerUser],
    ['AWS-Platform-Admin', admin],
  ];
  for (const [name, permissionSet] of platformGroups) {
    entra.groups.push({
      name,
      members: [pat.upn],
      assignedToAwsApp: true,
      securityEnabled: true,
    });
    ic.assignments.push({ group: name, permissionSet, accounts: accountIds });
  }
  // Added to the Admin group a few minutes ago: Entra has it, Identity Center does not yet.
  ic.provisioned!.drift = [
    ...(ic.provisioned!.drift ?? []),
    {
      missingMember: {
        group: 'AWS-Platform-Admin',
        user: pat.upn,
        sinceSeconds: 300,
      },
    },
  ];
  return {
    scenario,
    pat,
    accountIds,
    permissionSets: { readOnly, powerUser, admin },
    team,
  };
}
