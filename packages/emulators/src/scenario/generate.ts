import { guidFrom, hexFrom } from '../ids';
import type {
  Scenario,
  ScenarioAccount,
  ScenarioAssignment,
  ScenarioDrift,
  ScenarioEntraGroup,
  ScenarioEntraUser,
  ScenarioPermissionSet,
} from './types';

/**
 * Parameters of a synthetic scenario. Deterministic: the same options give the same scenario, byte for byte.
 *
 * @public
 */
export interface GenerateScenarioOptions {
  seed: number | string;
  accounts: number;
  permissionSets: number;
  /** Provisioned (account, permission set) pairs, each with at least one assignment. */
  pairs: number;
  users: number;
  entraGroups: number;
  /** How many of the Entra groups are assigned to the AWS app (and so provisioned to Identity Center). */
  assignedGroups: number;
  /** Identity Center groups in total: the assigned groups plus unmanaged ones. Default assignedGroups + 1. */
  idcGroups?: number;
  /** Share of assigned groups that contain a nested (unassigned) group. */
  nestingRatio: number;
  /** Principals per pair on average (default 1.5). */
  assignmentsPerPair?: number;
  /** Share of in-scope users with a drift entry (joiner, mover, leaver). */
  driftRatio: number;
  /** Unmanaged Identity Center users (break-glass); default 2. */
  unmanagedUsers?: number;
  /** Direct group memberships per user on average (default 3). */
  groupsPerUser?: number;
  now?: string;
  domain?: string;
}

/**
 * The benchmark sizes. `small` is the seed organization (examples/scenarios/seed-org.yaml), not generated.
 *
 * @public
 */
export const SCENARIO_SIZES: Record<
  'large' | 'envelope',
  GenerateScenarioOptions
> = {
  large: {
    seed: 'large',
    accounts: 1000,
    permissionSets: 200,
    pairs: 10_000,
    users: 20_000,
    entraGroups: 2000,
    assignedGroups: 500,
    nestingRatio: 0.05,
    driftRatio: 0.01,
  },
  envelope: {
    seed: 'envelope',
    accounts: 3000,
    permissionSets: 500,
    pairs: 30_000,
    users: 100_000,
    entraGroups: 20_000,
    assignedGroups: 10_000,
    idcGroups: 10_000,
    nestingRatio: 0.05,
    driftRatio: 0.01,
  },
};

/** sfc32, seeded from a hash of the seed: small, fast, and the same everywhere (no Math.random). */
function prng(seed: number | string): () => number {
  const h = hexFrom(32, 'prng', String(seed));
  let [a, b, c, d] = [0, 8, 16, 24].map(
    i => parseInt(h.slice(i, i + 8), 16) >>> 0,
  );
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Ada',
  'Ben',
  'Chen',
  'Dana',
  'Emil',
  'Farah',
  'Gita',
  'Hugo',
  'Ines',
  'Jon',
  'Kemi',
  'Lars',
  'Mina',
  'Noor',
  'Omar',
  'Pia',
  'Quinn',
  'Rosa',
  'Sven',
  'Tara',
  'Uma',
  'Vik',
  'Wen',
  'Yara',
  'Zoe',
];
const LAST = [
  'Abe',
  'Berg',
  'Costa',
  'Diaz',
  'Eze',
  'Fox',
  'Gupta',
  'Hale',
  'Ito',
  'Jones',
  'Khan',
  'Lund',
  'Moss',
  'Nagy',
  'Ortiz',
  'Park',
  'Quist',
  'Rossi',
  'Sato',
  'Tan',
  'Ueda',
  'Vega',
  'Wu',
  'Xu',
  'Young',
];
const DEPARTMENTS = [
  'Backend',
  'Frontend',
  'Platform',
  'Data',
  'Security',
  'Finance',
  'Mobile',
  'SRE',
];
const OUS = [
  'Workloads/Dev',
  'Workloads/Staging',
  'Workloads/Prod',
  'Workloads/Prod',
  'Sandbox',
  'Security',
];
const ROLES = [
  'ReadOnly',
  'PowerUser',
  'Admin',
  'DataAnalyst',
  'Billing',
  'Network',
  'Security',
  'Support',
];
const POLICIES: Record<string, string> = {
  ReadOnly: 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
  PowerUser: 'arn:aws:iam::aws:policy/PowerUserAccess',
  Admin: 'arn:aws:iam::aws:policy/AdministratorAccess',
  DataAnalyst: 'arn:aws:iam::aws:policy/job-function/DataScientist',
  Billing: 'arn:aws:iam::aws:policy/job-function/Billing',
  Network: 'arn:aws:iam::aws:policy/job-function/NetworkAdministrator',
  Security: 'arn:aws:iam::aws:policy/SecurityAudit',
  Support: 'arn:aws:iam::aws:policy/AWSSupportAccess',
};
const DURATIONS = ['PT1H', 'PT4H', 'PT8H', 'PT12H'];

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * A synthetic scenario for tests and benchmarks (accounts, permission sets, assignment density, users, groups,
 * nesting and drift as parameters). Deterministic by seed.
 *
 * @public
 */
export function generateScenario(options: GenerateScenarioOptions): Scenario {
  const random = prng(options.seed);
  const pick = <T>(items: readonly T[]): T =>
    items[Math.floor(random() * items.length)];
  const chance = (p: number) => random() < p;
  const seed = String(options.seed);
  const domain = options.domain ?? 'corp.example.com';
  const width = Math.max(5, String(options.users).length);

  // Accounts: the management account, then workload accounts in OUs; a few suspended.
  const accounts: ScenarioAccount[] = [
    {
      id: '100000000001',
      name: 'management',
      email: `aws+management@${domain}`,
      ou: 'Root',
      tags: { owner: 'platform' },
    },
  ];
  for (let i = 1; i < options.accounts; i++) {
    const ou = pick(OUS);
    accounts.push({
      id: `2${pad(i, 11)}`,
      name: `acct-${pad(i, 5)}-${ou.split('/').pop()!.toLowerCase()}`,
      email: `aws+acct-${pad(i, 5)}@${domain}`,
      ...(chance(0.01) && { status: 'SUSPENDED' as const }),
      ou,
      tags: {
        owner: `team-${pad(Math.floor(random() * 50), 2)}`,
        env: ou.split('/').pop()!.toLowerCase(),
      },
    });
  }

  const permissionSets: ScenarioPermissionSet[] = [];
  for (let i = 0; i < options.permissionSets; i++) {
    const role = ROLES[i % ROLES.length];
    permissionSets.push({
      name: `PS${pad(i, 4)}-${role}`,
      sessionDuration: pick(DURATIONS),
      managedPolicies: [POLICIES[role]],
    });
  }

  const users: ScenarioEntraUser[] = [];
  for (let i = 0; i < options.users; i++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    users.push({
      upn: `user${pad(i, width)}@${domain}`,
      displayName: `${first} ${last} ${i}`,
      givenName: first,
      surname: last,
      department: pick(DEPARTMENTS),
      jobTitle: 'Engineer',
      ...(i > 0 && {
        manager: `user${pad(Math.floor(i / 8), width)}@${domain}`,
      }),
      ...(i > 0 && chance(0.01) && { enabled: false }),
    });
  }

  // Groups: the first `assignedGroups` are assigned to the AWS app; every user is a direct member of one of
  // those (round robin) plus a few random groups.
  const assignedCount = Math.min(options.assignedGroups, options.entraGroups);
  const members: string[][] = Array.from(
    { length: options.entraGroups },
    () => [],
  );
  const memberSets: Set<number>[] = Array.from(
    { length: options.users },
    () => new Set(),
  );
  const extra = Math.max(0, (options.groupsPerUser ?? 3) - 1);
  users.forEach((user, i) => {
    const join = (g: number) => {
      if (memberSets[i].has(g)) return;
      memberSets[i].add(g);
      members[g].push(user.upn);
    };
    if (assignedCount > 0) join(i % assignedCount);
    for (let k = 0; k < extra * 2; k++)
      if (chance(0.5)) join(Math.floor(random() * options.entraGroups));
  });
  const groupName = (g: number) =>
    g < assignedCount ? `AWS-Team-${pad(g, 5)}` : `Team-${pad(g, 5)}`;
  const nested = new Map<number, number>();
  if (options.entraGroups > assignedCount) {
    for (let g = 0; g < assignedCount; g++) {
      if (chance(options.nestingRatio))
        nested.set(
          g,
          assignedCount +
            Math.floor(random() * (options.entraGroups - assignedCount)),
        );
    }
  }
  const groups: ScenarioEntraGroup[] = members.map((upns, g) => ({
    name: groupName(g),
    members: nested.has(g) ? [...upns, groupName(nested.get(g)!)] : upns,
    assignedToAwsApp: g < assignedCount,
  }));

  const unmanagedUserNames = Array.from(
    { length: options.unmanagedUsers ?? 2 },
    (_, i) => `breakglass-${i + 1}`,
  );
  const unmanagedGroupCount = Math.max(
    0,
    (options.idcGroups ?? assignedCount + 1) - assignedCount,
  );
  const unmanagedGroups = Array.from(
    { length: unmanagedGroupCount },
    (_, i) => ({
      name: `idc-local-${pad(i, 5)}`,
      members: unmanagedUserNames.length ? [pick(unmanagedUserNames)] : [],
    }),
  );

  const assignments = generateAssignments(options, {
    random,
    pick,
    chance,
    accounts,
    permissionSets,
    groupName,
    assignedCount,
    users,
    memberSets,
    unmanagedGroups,
  });
  const drift = generateDrift(options, {
    random,
    pick,
    chance,
    users,
    memberSets,
    groupName,
    assignedCount,
    // A joiner cannot already hold a direct assignment (Identity Center could not have stored it).
    directlyAssigned: new Set(
      assignments.flatMap(a => (a.user ? [a.user] : [])),
    ),
  });

  return {
    version: 1,
    ...(options.now !== undefined && { now: options.now }),
    entra: {
      tenantId: guidFrom('generated', seed, 'tenant'),
      domain,
      displayName: `Generated ${seed}`,
      awsApp: {
        appId: guidFrom('generated', seed, 'app'),
        displayName: 'AWS IAM Identity Center',
        samlCertificateExpires: '2027-06-01T00:00:00Z',
        provisioning: {
          intervalSeconds: 2400,
          status: 'Active',
          lastCycleAgoSeconds: 600,
        },
      },
      users,
      groups,
    },
    identityCenter: {
      region: 'us-east-1',
      instanceArn: `arn:aws:sso:::instance/ssoins-${hexFrom(
        16,
        'generated',
        seed,
        'instance',
      )}`,
      identityStoreId: `d-${hexFrom(10, 'generated', seed, 'store')}`,
      organization: {
        id: `o-${hexFrom(10, 'generated', seed, 'org')}`,
        managementAccountId: '100000000001',
      },
      accounts,
      permissionSets,
      assignments,
      provisioned: {
        mode: 'in-sync',
        drift,
        unmanaged: {
          users: unmanagedUserNames.map(userName => ({
            userName,
            displayName: userName.replace('-', ' '),
          })),
          groups: unmanagedGroups,
        },
      },
    },
  };
}

interface GenContext {
  random: () => number;
  pick: <T>(items: readonly T[]) => T;
  chance: (p: number) => boolean;
}

function generateAssignments(
  options: GenerateScenarioOptions,
  ctx: GenContext & {
    accounts: ScenarioAccount[];
    permissionSets: ScenarioPermissionSet[];
    groupName: (g: number) => string;
    assignedCount: number;
    users: ScenarioEntraUser[];
    memberSets: Set<number>[];
    unmanagedGroups: { name: string }[];
  },
): ScenarioAssignment[] {
  const active = ctx.accounts.filter(a => a.status !== 'SUSPENDED');
  const maxPairs = active.length * ctx.permissionSets.length;
  const wanted = Math.min(options.pairs, maxPairs);
  const pairs = new Set<string>();
  while (pairs.size < wanted) {
    pairs.add(
      `${Math.floor(ctx.random() * active.length)}|${Math.floor(
        ctx.random() * ctx.permissionSets.length,
      )}`,
    );
  }
  // Users that SCIM provisions (direct members of an assigned group, enabled): candidates for direct assignments.
  const inScope = ctx.users.filter(
    (u, i) =>
      u.enabled !== false &&
      [...ctx.memberSets[i]].some(g => g < ctx.assignedCount),
  );
  const perPair = options.assignmentsPerPair ?? 1.5;
  const byKey = new Map<string, ScenarioAssignment>();
  for (const pair of pairs) {
    const [a, p] = pair.split('|').map(Number);
    const count = Math.max(
      1,
      Math.floor(perPair) + (ctx.chance(perPair % 1) ? 1 : 0),
    );
    const failed = ctx.chance(0.005);
    for (let k = 0; k < count; k++) {
      const roll = ctx.random();
      let principal: Pick<ScenarioAssignment, 'group' | 'user' | 'idcGroup'>;
      if (roll < 0.04 && inScope.length > 0)
        principal = { user: ctx.pick(inScope).upn };
      else if (roll < 0.05 && ctx.unmanagedGroups.length > 0)
        principal = { idcGroup: ctx.pick(ctx.unmanagedGroups).name };
      else if (ctx.assignedCount > 0)
        principal = {
          group: ctx.groupName(Math.floor(ctx.random() * ctx.assignedCount)),
        };
      else continue;
      const ps = ctx.permissionSets[p].name;
      const key = `${JSON.stringify(principal)}|${ps}|${failed}`;
      let entry = byKey.get(key);
      if (!entry) {
        entry = {
          ...principal,
          permissionSet: ps,
          accounts: [],
          ...(failed && { status: 'FAILED' as const }),
        };
        byKey.set(key, entry);
      }
      const accountIds = entry.accounts as string[];
      if (!accountIds.includes(active[a].id)) accountIds.push(active[a].id);
    }
  }
  return [...byKey.values()];
}

function generateDrift(
  options: GenerateScenarioOptions,
  ctx: GenContext & {
    users: ScenarioEntraUser[];
    memberSets: Set<number>[];
    groupName: (g: number) => string;
    assignedCount: number;
    directlyAssigned: Set<string>;
  },
): ScenarioDrift[] {
  const drift: ScenarioDrift[] = [];
  const since = () => 60 + Math.floor(ctx.random() * 1800);
  ctx.users.forEach((user, i) => {
    const assigned = [...ctx.memberSets[i]].filter(g => g < ctx.assignedCount);
    if (assigned.length === 0 || !ctx.chance(options.driftRatio)) return;
    if (user.enabled === false) {
      drift.push({ activeUser: { user: user.upn, sinceSeconds: since() } });
      return;
    }
    const roll = ctx.random();
    if (roll < 0.4 && !ctx.directlyAssigned.has(user.upn)) {
      drift.push({ missingUser: { user: user.upn, sinceSeconds: since() } });
    } else if (roll < 0.8 || ctx.assignedCount < 2) {
      drift.push({
        missingMember: {
          group: ctx.groupName(ctx.pick(assigned)),
          user: user.upn,
          sinceSeconds: since(),
        },
      });
    } else {
      const candidates = Array.from({ length: 5 }, () =>
        Math.floor(ctx.random() * ctx.assignedCount),
      ).filter(g => !ctx.memberSets[i].has(g));
      if (candidates.length > 0)
        drift.push({
          extraMember: {
            group: ctx.groupName(candidates[0]),
            user: user.upn,
            sinceSeconds: since(),
          },
        });
    }
  });
  return drift;
}
