import type {
  AwsAccount,
  CatalogProjection,
  PermissionSet,
  ProjectedAssignment,
  ProjectedEntraGroup,
  ProjectedEntraUser,
} from '@aws-access/plugin-aws-access-common';

/*
 * A catalog projection that mirrors examples/scenarios/seed-org.yaml: 12 accounts, 5 permission sets, the Entra
 * groups assigned to the AWS app (AWS-Developers-ReadOnly/-PowerUser/-Admin, AWS-Data-Analysts,
 * AWS-Payments-Prod-Admin) and the group nested in one (Data-Team), their members, and the seed's assignments
 * (including the unmanaged break-glass group, which has no Entra source). Hand-written until a projection produced by the real backend replaces it.
 */

export const SEED_TENANT_ID = '8b1c7f3e-5a2d-4c1e-9f00-00000000a001';
export const SEED_INSTANCE_ARN =
  'arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6';
export const SEED_ORGANIZATION_ID = 'o-a1b2c3d4e5';
const MANAGEMENT_ACCOUNT_ID = '100000000001';

/** Entra object ids of the seed's users, by UPN. */
export const SEED_USER_IDS = {
  'aamir@example.com': '11111111-0000-4000-8000-000000000001',
  'shen.li@example.com': '11111111-0000-4000-8000-000000000002',
  'alex@example.com': '11111111-0000-4000-8000-000000000003',
  'maria@example.com': '11111111-0000-4000-8000-000000000004',
  'priya@example.com': '11111111-0000-4000-8000-000000000005',
  'tom@example.com': '11111111-0000-4000-8000-000000000006',
  'olu@example.com': '11111111-0000-4000-8000-000000000007',
  'sara@example.com': '11111111-0000-4000-8000-000000000008',
  'noah@example.com': '11111111-0000-4000-8000-000000000009',
} as const;

type Upn = keyof typeof SEED_USER_IDS;

/** Entra object ids of the seed's groups in the projection, by display name. */
export const SEED_GROUP_IDS = {
  'AWS-Developers-ReadOnly': '22222222-0000-4000-8000-000000000001',
  'AWS-Developers-PowerUser': '22222222-0000-4000-8000-000000000002',
  'AWS-Developers-Admin': '22222222-0000-4000-8000-000000000003',
  'AWS-Data-Analysts': '22222222-0000-4000-8000-000000000007',
  'AWS-Payments-Prod-Admin': '22222222-0000-4000-8000-000000000008',
  'Data-Team': '22222222-0000-4000-8000-000000000006',
} as const;

type GroupName = keyof typeof SEED_GROUP_IDS;

const USERS: Array<{
  upn: Upn;
  displayName: string;
  department: string;
  jobTitle: string;
  enabled?: boolean;
}> = [
  {
    upn: 'aamir@example.com',
    displayName: 'Aamir Siddiqui',
    department: 'Backend',
    jobTitle: 'Backend Engineer',
  },
  {
    upn: 'shen.li@example.com',
    displayName: 'Shen Li',
    department: 'Backend',
    jobTitle: 'Senior Developer',
  },
  {
    upn: 'alex@example.com',
    displayName: 'Alex Morgan',
    department: 'Backend',
    jobTitle: 'Developer',
    enabled: false,
  },
  {
    upn: 'maria@example.com',
    displayName: 'Maria Gonzalez',
    department: 'Backend',
    jobTitle: 'Engineering Lead',
  },
  {
    upn: 'priya@example.com',
    displayName: 'Priya Nair',
    department: 'Backend',
    jobTitle: 'Developer',
  },
  {
    upn: 'tom@example.com',
    displayName: 'Tom Becker',
    department: 'Frontend',
    jobTitle: 'Developer',
  },
  {
    upn: 'olu@example.com',
    displayName: 'Olu Adeyemi',
    department: 'Platform',
    jobTitle: 'Platform Engineer',
  },
  {
    upn: 'sara@example.com',
    displayName: 'Sara Lindqvist',
    department: 'Platform',
    jobTitle: 'Platform Lead',
  },
  {
    upn: 'noah@example.com',
    displayName: 'Noah Kim',
    department: 'Data',
    jobTitle: 'Data Engineer',
  },
];

const GROUPS: Array<{
  name: GroupName;
  users: Upn[];
  groups: GroupName[];
  assignedToApp: boolean;
}> = [
  {
    name: 'AWS-Developers-ReadOnly',
    users: [
      'aamir@example.com',
      'priya@example.com',
      'tom@example.com',
      'noah@example.com',
    ],
    groups: [],
    assignedToApp: true,
  },
  {
    name: 'AWS-Developers-PowerUser',
    users: ['shen.li@example.com', 'maria@example.com', 'alex@example.com'],
    groups: [],
    assignedToApp: true,
  },
  {
    name: 'AWS-Developers-Admin',
    users: ['olu@example.com', 'sara@example.com'],
    groups: [],
    assignedToApp: true,
  },
  {
    name: 'Data-Team',
    users: ['noah@example.com'],
    groups: [],
    assignedToApp: false,
  },
  {
    name: 'AWS-Data-Analysts',
    users: [],
    groups: ['Data-Team'],
    assignedToApp: true,
  },
  {
    // The access-requests demo's requestable: nobody holds it standing.
    name: 'AWS-Payments-Prod-Admin',
    users: [],
    groups: [],
    assignedToApp: true,
  },
];

const ACCOUNTS: Array<[string, string, string, Record<string, string>]> = [
  ['100000000001', 'management', 'Root', { owner: 'platform-team' }],
  ['100000000002', 'log-archive', 'Security', { owner: 'platform-team' }],
  ['100000000003', 'audit', 'Security', { owner: 'platform-team' }],
  [
    '200000000001',
    'payments-dev',
    'Workloads/Dev',
    { owner: 'backend-team', env: 'dev' },
  ],
  [
    '200000000002',
    'payments-staging',
    'Workloads/Staging',
    { owner: 'backend-team', env: 'staging' },
  ],
  [
    '200000000003',
    'payments-prod',
    'Workloads/Prod',
    { owner: 'backend-team', env: 'prod' },
  ],
  [
    '200000000004',
    'web-dev',
    'Workloads/Dev',
    { owner: 'backend-team', env: 'dev' },
  ],
  [
    '200000000005',
    'web-prod',
    'Workloads/Prod',
    { owner: 'backend-team', env: 'prod' },
  ],
  [
    '200000000006',
    'data-lake',
    'Workloads/Prod',
    { owner: 'data-team', env: 'prod' },
  ],
  ['200000000007', 'sandbox-1', 'Sandbox', {}],
  ['200000000008', 'sandbox-2', 'Sandbox', {}],
  ['200000000009', 'ml-platform', 'Workloads/Dev', { env: 'dev' }],
];

/** Account ids of the seed, in order. */
export const SEED_ACCOUNT_IDS = ACCOUNTS.map(([id]) => id);

/** Permission set ARNs of the seed, by name. */
export const SEED_PERMISSION_SET_ARNS = {
  DeveloperReadOnly: `arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-0000000000000001`,
  DeveloperPowerUser: `arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-0000000000000002`,
  DeveloperAdmin: `arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-0000000000000003`,
  DataAnalyst: `arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-0000000000000004`,
  BreakGlassAdmin: `arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-0000000000000005`,
} as const;

type PermissionSetName = keyof typeof SEED_PERMISSION_SET_ARNS;

const managed = (arn: string) => ({ name: arn.split('/').pop()!, arn });

const PERMISSION_SETS: Array<
  Omit<
    PermissionSet,
    'arn' | 'tags' | 'customerManagedPolicies' | 'provisionedAccountIds'
  > & {
    name: PermissionSetName;
  }
> = [
  {
    name: 'DeveloperReadOnly',
    description: 'Read-only for developers',
    sessionDuration: 'PT4H',
    managedPolicies: [
      managed('arn:aws:iam::aws:policy/job-function/ViewOnlyAccess'),
    ],
  },
  {
    name: 'DeveloperPowerUser',
    description: 'Build and deploy, no IAM',
    sessionDuration: 'PT8H',
    managedPolicies: [managed('arn:aws:iam::aws:policy/PowerUserAccess')],
    inlinePolicy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['iam:PassRole'],
          Resource: 'arn:aws:iam::*:role/app-*',
        },
      ],
    }),
  },
  {
    name: 'DeveloperAdmin',
    description: 'Full administration',
    sessionDuration: 'PT4H',
    managedPolicies: [managed('arn:aws:iam::aws:policy/AdministratorAccess')],
  },
  {
    name: 'DataAnalyst',
    sessionDuration: 'PT4H',
    managedPolicies: [
      managed('arn:aws:iam::aws:policy/job-function/DataScientist'),
    ],
  },
  {
    name: 'BreakGlassAdmin',
    sessionDuration: 'PT1H',
    managedPolicies: [managed('arn:aws:iam::aws:policy/AdministratorAccess')],
  },
];

const ASSIGNMENTS: Array<{
  group: GroupName | 'breakglass-admins';
  permissionSet: PermissionSetName;
  accounts: string[] | '*';
}> = [
  {
    group: 'AWS-Developers-ReadOnly',
    permissionSet: 'DeveloperReadOnly',
    accounts: [
      '200000000001',
      '200000000002',
      '200000000003',
      '200000000004',
      '200000000005',
    ],
  },
  {
    group: 'AWS-Developers-PowerUser',
    permissionSet: 'DeveloperPowerUser',
    accounts: ['200000000001', '200000000002', '200000000004'],
  },
  {
    group: 'AWS-Developers-PowerUser',
    permissionSet: 'DeveloperReadOnly',
    accounts: ['200000000003', '200000000005'],
  },
  {
    group: 'AWS-Developers-Admin',
    permissionSet: 'DeveloperAdmin',
    accounts: '*',
  },
  {
    group: 'AWS-Data-Analysts',
    permissionSet: 'DataAnalyst',
    accounts: ['200000000006'],
  },
  {
    group: 'AWS-Payments-Prod-Admin',
    permissionSet: 'DeveloperAdmin',
    accounts: ['200000000003'],
  },
  {
    group: 'breakglass-admins',
    permissionSet: 'BreakGlassAdmin',
    accounts: ['100000000001'],
  },
];

/** Identity Center group id of a group (SCIM-created groups and the unmanaged break-glass group). */
export const identityCenterGroupId = (name: string) =>
  `9067a1b2c3-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;

/**
 * A fresh copy of the seed projection. `snapshotVersion` defaults to 1.
 */
export function seedProjection(
  overrides: Partial<CatalogProjection> = {},
): CatalogProjection {
  const accounts: AwsAccount[] = ACCOUNTS.map(([id, name, ouPath, tags]) => ({
    id,
    name,
    email: `aws+${name}@example.com`,
    arn: `arn:aws:organizations::${MANAGEMENT_ACCOUNT_ID}:account/${SEED_ORGANIZATION_ID}/${id}`,
    status: 'ACTIVE',
    ouPath,
    tags: { ...tags },
    firstSeenAt: '2026-01-01T00:00:00.000Z',
  }));

  const permissionSets: PermissionSet[] = PERMISSION_SETS.map(ps => ({
    ...ps,
    arn: SEED_PERMISSION_SET_ARNS[ps.name],
    managedPolicies: ps.managedPolicies.map(p => ({ ...p })),
    customerManagedPolicies: [],
    tags: {},
    provisionedAccountIds: [],
  }));

  const entraUsers: ProjectedEntraUser[] = USERS.map(u => ({
    id: SEED_USER_IDS[u.upn],
    displayName: u.displayName,
    userPrincipalName: u.upn,
    mail: u.upn,
    accountEnabled: u.enabled ?? true,
    jobTitle: u.jobTitle,
    department: u.department,
  }));

  const entraGroups: ProjectedEntraGroup[] = GROUPS.map(g => ({
    id: SEED_GROUP_IDS[g.name],
    displayName: g.name,
    mailNickname: g.name,
    securityEnabled: true,
    assignedToApp: g.assignedToApp,
    memberUserIds: g.users.map(upn => SEED_USER_IDS[upn]),
    memberGroupIds: g.groups.map(name => SEED_GROUP_IDS[name]),
  }));

  const assignments: ProjectedAssignment[] = [];
  for (const a of ASSIGNMENTS) {
    const accountIds = a.accounts === '*' ? SEED_ACCOUNT_IDS : a.accounts;
    const permissionSetArn = SEED_PERMISSION_SET_ARNS[a.permissionSet];
    for (const accountId of accountIds) {
      if (a.group === 'breakglass-admins') {
        assignments.push({
          accountId,
          permissionSetArn,
          principal: {
            type: 'GROUP',
            identityCenterId: identityCenterGroupId(a.group),
            displayName: a.group,
          },
        });
        permissionSets
          .find(p => p.arn === permissionSetArn)!
          .provisionedAccountIds.push(accountId);
        continue;
      }
      assignments.push({
        accountId,
        permissionSetArn,
        principal: {
          type: 'GROUP',
          identityCenterId: identityCenterGroupId(a.group),
          entraId: SEED_GROUP_IDS[a.group],
          displayName: a.group,
        },
      });
      const ps = permissionSets.find(p => p.arn === permissionSetArn)!;
      if (!ps.provisionedAccountIds.includes(accountId)) {
        ps.provisionedAccountIds.push(accountId);
      }
    }
  }

  return {
    snapshotVersion: 1,
    syncedAt: '2026-01-01T12:00:00.000Z',
    instanceArn: SEED_INSTANCE_ARN,
    organizationId: SEED_ORGANIZATION_ID,
    tenantId: SEED_TENANT_ID,
    accounts,
    permissionSets,
    entraGroups,
    entraUsers,
    assignments,
    ...overrides,
  };
}

/** The five accounts `AWS-Developers-ReadOnly` reaches, as entity refs. */
export const READONLY_ACCOUNT_REFS = [
  'resource:default/payments-dev',
  'resource:default/payments-prod',
  'resource:default/payments-staging',
  'resource:default/web-dev',
  'resource:default/web-prod',
];
