import type {
  AccessUser,
  AccountAccess,
  AccountCompliance,
  ApplyResult,
  AssignmentCall,
  AwsAccount,
  DriftReport,
  Grant,
  GroupAccess,
  OnboardingOverview,
  OnboardingPlan,
  PermissionSetDetails,
  ProvisionResult,
  SyncStatus,
  SyncSummary,
  UserAccess,
  UserTimeline,
} from '@aws-access/plugin-aws-access-common';

/*
 * The world of the seed blog: Aamir joins (pending PowerUser), Shen moves (ReadOnly being removed, PowerUser
 * active), Alex leaves (still active in AWS), Noor reaches AWS-Data-Analysts only through nested Data-Team.
 */

export const PORTAL = 'https://d-9067a1b2c3.awsapps.com/start';

export function launchUrl(accountId: string, role: string): string {
  return `${PORTAL}/#/console?account_id=${accountId}&role_name=${role}`;
}

/** A local-time instant, so `≈ 13:20` holds in any test time zone. */
export function localIso(hours: number, minutes: number): string {
  return new Date(2026, 10, 30, hours, minutes, 0).toISOString();
}

export const aamir: AccessUser = {
  entityRef: 'user:default/aamir_example.com',
  displayName: 'Aamir Siddiqui',
  mail: 'aamir@example.com',
};
export const shen: AccessUser = {
  entityRef: 'user:default/shen.li_example.com',
  displayName: 'Shen Li',
};
export const alex: AccessUser = {
  entityRef: 'user:default/alex_example.com',
  displayName: 'Alex Morgan',
};
export const noor: AccessUser = {
  entityRef: 'user:default/noor_example.com',
  displayName: 'Noor Haddad',
};

const readOnly = {
  name: 'DeveloperReadOnly',
  arn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1',
  sessionDuration: 'PT4H',
};
const powerUser = {
  name: 'DeveloperPowerUser',
  arn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-2',
  sessionDuration: 'PT8H',
};
const admin = {
  name: 'DeveloperAdmin',
  arn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-3',
  sessionDuration: 'PT4H',
};
const analyst = {
  name: 'DataAnalyst',
  arn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-4',
  sessionDuration: 'PT2H',
};

export const activeGrant: Grant = {
  accountId: '200000000003',
  accountName: 'payments-prod',
  accountOu: 'Workloads/Prod',
  permissionSet: readOnly,
  via: [
    {
      type: 'group',
      name: 'AWS-Developers-ReadOnly',
      entityRef: 'group:default/aws-developers-readonly',
      state: 'active',
    },
  ],
  state: 'active',
  launchUrl: launchUrl('200000000003', 'DeveloperReadOnly'),
};

export const pendingGrant: Grant = {
  accountId: '200000000001',
  accountName: 'payments-dev',
  accountOu: 'Workloads/Dev',
  permissionSet: powerUser,
  via: [
    {
      type: 'group',
      name: 'AWS-Developers-PowerUser',
      entityRef: 'group:default/aws-developers-poweruser',
      state: 'pending',
    },
  ],
  state: 'pending',
  since: localIso(12, 40),
  expectedBy: localIso(13, 20),
};

export const revokingGrant: Grant = {
  accountId: '200000000001',
  accountName: 'payments-dev',
  accountOu: 'Workloads/Dev',
  permissionSet: readOnly,
  via: [
    {
      type: 'group',
      name: 'AWS-Developers-ReadOnly',
      entityRef: 'group:default/aws-developers-readonly',
      state: 'revoking',
    },
  ],
  state: 'revoking',
  since: localIso(12, 50),
  launchUrl: launchUrl('200000000001', 'DeveloperReadOnly'),
};

/** Kept through PowerUser while the old ReadOnly path is being removed (a mover). */
export const twoPathGrant: Grant = {
  accountId: '200000000003',
  accountName: 'payments-prod',
  accountOu: 'Workloads/Prod',
  permissionSet: readOnly,
  via: [
    { type: 'group', name: 'AWS-Developers-PowerUser', state: 'active' },
    { type: 'group', name: 'AWS-Developers-ReadOnly', state: 'revoking' },
  ],
  state: 'active',
  launchUrl: launchUrl('200000000003', 'DeveloperReadOnly'),
};

export const nestedGrant: Grant = {
  accountId: '200000000007',
  accountName: 'analytics',
  permissionSet: analyst,
  via: [
    {
      type: 'nested-group',
      name: 'Data-Team',
      entityRef: 'group:default/data-team',
      through: {
        name: 'AWS-Data-Analysts',
        entityRef: 'group:default/aws-data-analysts',
      },
      state: 'unsupported-nesting',
    },
  ],
  state: 'unsupported-nesting',
};

export const stuckGrant: Grant = {
  ...pendingGrant,
  accountId: '200000000009',
  accountName: 'sandbox',
  state: 'stuck',
  via: [{ ...pendingGrant.via[0], state: 'stuck' }],
  expectedBy: undefined,
};

export const adminPendingGrant: Grant = {
  ...pendingGrant,
  accountId: '200000000003',
  accountName: 'payments-prod',
  permissionSet: admin,
  via: [{ type: 'group', name: 'AWS-Developers-Admin', state: 'pending' }],
};

export const sync: SyncSummary = {
  snapshotVersion: 7,
  syncedAt: localIso(13, 0),
  snapshotAge: 240,
  stale: false,
  provisioning: {
    status: 'Active',
    lastCycleAt: localIso(12, 40),
    nextCycleAt: localIso(13, 20),
    intervalSeconds: 2400,
  },
};

/** Aamir's `~/.aws/config` as `GET /me/aws-cli-config` answers it. */
export const awsCliConfig =
  '[sso-session example]\nsso_start_url = https://d-9067a1b2c3.awsapps.com/start\n\n[profile payments-prod-developerreadonly]\nsso_session = example\n';

export function userAccess(overrides: Partial<UserAccess> = {}): UserAccess {
  return {
    user: aamir,
    grants: [activeGrant, pendingGrant, revokingGrant, nestedGrant],
    sync,
    identityCenter: {
      id: 'idc-aamir',
      userName: 'aamir@example.com',
      status: 'ENABLED',
      groups: [],
    },
    myAppsUrl:
      'https://launcher.myapps.microsoft.com/api/signin/2f6e1b2a-7c3d-4e5f-8a9b-0000000000aa?tenantId=8b1c7f3e-5a2d-4c1e-9f00-00000000a001',
    accessPortalUrl: PORTAL,
    ...overrides,
  };
}

export const timeline: UserTimeline = {
  user: aamir,
  events: [
    {
      at: localIso(12, 40),
      source: 'entra',
      kind: 'group-added',
      message: 'Added to AWS-Developers-PowerUser in Entra',
    },
    {
      at: localIso(13, 18),
      source: 'scim',
      kind: 'provisioned',
      message: 'Provisioned to AWS by SCIM',
    },
  ],
  provisioningDelays: [
    { change: 'AWS-Developers-PowerUser', seconds: 38 * 60 },
  ],
};

export const hostileName =
  '<img src=x onerror=alert(1)>=HYPERLINK("http://evil")';

export function groupAccess(overrides: Partial<GroupAccess> = {}): GroupAccess {
  return {
    group: {
      entityRef: 'group:default/team-payments',
      name: 'Team Payments',
      assignedToApp: false,
    },
    assignments: [],
    members: [
      {
        user: shen,
        grants: [
          twoPathGrant,
          {
            ...pendingGrant,
            via: [{ ...pendingGrant.via[0], state: 'active' }],
            state: 'active',
            launchUrl: launchUrl('200000000001', 'DeveloperPowerUser'),
          },
        ],
      },
      { user: aamir, grants: [activeGrant, adminPendingGrant] },
      {
        user: alex,
        grants: [
          {
            ...revokingGrant,
            accountId: '200000000003',
            accountName: 'payments-prod',
          },
        ],
      },
      { user: noor, grants: [] },
    ],
    sync,
    ...overrides,
  };
}

export function accountAccess(
  overrides: Partial<AccountAccess> = {},
): AccountAccess {
  return {
    account: {
      id: '200000000003',
      name: 'payments-prod',
      email: 'aws+payments-prod@example.com',
      arn: 'arn:aws:organizations::100000000000:account/o-abc/200000000003',
      status: 'ACTIVE',
      ouPath: 'Workloads/Prod',
      tags: {},
    },
    assignments: [
      {
        permissionSet: readOnly,
        principal: {
          type: 'GROUP',
          name: 'AWS-Developers-ReadOnly',
          entityRef: 'group:default/aws-developers-readonly',
          managed: true,
        },
      },
      {
        permissionSet: admin,
        principal: { type: 'USER', name: 'breakglass', managed: false },
      },
    ],
    people: [
      { user: aamir, grants: [activeGrant] },
      {
        user: alex,
        grants: [
          {
            ...revokingGrant,
            accountId: '200000000003',
            accountName: 'payments-prod',
          },
        ],
      },
    ],
    sync,
    ...overrides,
  };
}

export function permissionSetDetails(
  overrides: Partial<PermissionSetDetails> = {},
): PermissionSetDetails {
  return {
    permissionSet: {
      ...admin,
      description: 'Full administrator access for developers',
      managedPolicies: [
        {
          name: 'AdministratorAccess',
          arn: 'arn:aws:iam::aws:policy/AdministratorAccess',
        },
      ],
      customerManagedPolicies: [],
      inlinePolicy: '{"Version":"2012-10-17","Statement":[]}',
      tags: {},
      provisionedAccountIds: ['200000000003'],
    },
    assignments: [
      {
        accountId: '200000000003',
        accountName: 'payments-prod',
        principal: {
          type: 'GROUP',
          name: 'AWS-Developers-Admin',
          managed: true,
        },
      },
    ],
    provisioningFailures: [
      {
        accountId: '200000000009',
        accountName: 'sandbox',
        reason: 'AccessDenied',
      },
    ],
    ...overrides,
  };
}

export function syncStatus(overrides: Partial<SyncStatus> = {}): SyncStatus {
  return {
    lastRun: {
      id: 'run-3',
      trigger: 'schedule',
      startedAt: localIso(13, 0),
      finishedAt: localIso(13, 1),
      outcome: 'succeeded',
      durationMs: 60000,
    },
    lastSuccessAt: localIso(13, 1),
    snapshotVersion: 7,
    snapshotAge: 240,
    stale: false,
    provisioning: sync.provisioning,
    recentRuns: [
      {
        id: 'run-1',
        trigger: 'schedule',
        startedAt: localIso(12, 0),
        outcome: 'succeeded',
        durationMs: 30000,
      },
      {
        id: 'run-2',
        trigger: 'schedule',
        startedAt: localIso(12, 30),
        outcome: 'failed',
        durationMs: 12000,
        error: {
          source: 'identitystore',
          class: 'throttle',
          message: 'Rate exceeded',
        },
      },
      {
        id: 'run-3',
        trigger: 'schedule',
        startedAt: localIso(13, 0),
        outcome: 'succeeded',
        durationMs: 60000,
      },
    ],
    ...overrides,
  };
}

export function driftReport(overrides: Partial<DriftReport> = {}): DriftReport {
  return {
    sync,
    pending: [
      {
        user: aamir,
        accountId: '200000000001',
        accountName: 'payments-dev',
        permissionSet: 'DeveloperPowerUser',
        state: 'pending',
        via: ['AWS-Developers-PowerUser'],
        since: localIso(12, 40),
      },
    ],
    stuck: [],
    revoking: [
      {
        user: alex,
        accountId: '200000000003',
        accountName: 'payments-prod',
        permissionSet: 'DeveloperReadOnly',
        state: 'revoking',
        via: ['AWS-Developers-ReadOnly'],
        since: localIso(12, 50),
      },
      {
        user: alex,
        accountId: '200000000001',
        accountName: 'payments-dev',
        permissionSet: 'DeveloperPowerUser',
        state: 'revoking',
        via: ['AWS-Developers-PowerUser'],
        since: localIso(12, 50),
      },
    ],
    nested: [
      {
        user: noor,
        accountId: '200000000007',
        accountName: 'analytics',
        permissionSet: 'DataAnalyst',
        state: 'unsupported-nesting',
        via: ['Data-Team → AWS-Data-Analysts'],
      },
    ],
    unmanaged: [
      {
        type: 'USER',
        id: 'idc-bg',
        name: 'breakglass',
        assignments: ['payments-prod / DeveloperAdmin'],
      },
    ],
    accountsWithoutAssignments: [
      {
        id: '200000000011',
        name: 'legacy-archive',
        email: 'aws+archive@example.com',
        arn: 'arn:aws:organizations::100000000000:account/o-abc/200000000011',
        status: 'ACTIVE',
        ouPath: 'Legacy',
        tags: {},
      },
    ],
    lint: [
      {
        code: 'admin-session-too-long',
        severity: 'warning',
        message:
          'DeveloperAdmin allows 12-hour sessions; admin sessions should be PT4H or shorter.',
        permissionSet: 'DeveloperAdmin',
      },
      {
        code: 'user-level-assignment',
        severity: 'warning',
        message:
          'breakglass is assigned DeveloperAdmin on payments-prod directly, not through a group.',
        principal: 'breakglass',
      },
    ],
    ...overrides,
  };
}

export function provisionResult(
  overrides: Partial<ProvisionResult> = {},
): ProvisionResult {
  return {
    user: aamir,
    action: 'provision',
    outcome: 'success',
    message: 'User provisioned to AWS IAM Identity Center.',
    access: userAccess(),
    ...overrides,
  };
}

/*
 * Account onboarding (issue 9): checkout-dev is new and has nothing; web-prod got PowerUser by hand (and a user
 * assignment), which the prod rule forbids; payments-prod complies; legacy-archive matches no rule and has nothing.
 */

export const INSTANCE_ARN = 'arn:aws:sso:::instance/ssoins-1';
export const GROUP_IDS = {
  readOnly: '9067a1b2c3-1111-2222-3333-000000000001',
  admin: '9067a1b2c3-1111-2222-3333-000000000003',
  powerUser: '9067a1b2c3-1111-2222-3333-000000000002',
  breakglass: '9067a1b2c3-1111-2222-3333-0000000000bb',
};

export function awsAccount(overrides: Partial<AwsAccount> = {}): AwsAccount {
  const id = overrides.id ?? '300000000001';
  return {
    id,
    name: 'checkout-dev',
    email: `aws+${id}@example.com`,
    arn: `arn:aws:organizations::100000000000:account/o-abc/${id}`,
    status: 'ACTIVE',
    ouPath: 'Workloads/Dev',
    tags: { env: 'dev' },
    ...overrides,
  };
}

export const checkoutDev: AccountCompliance = {
  account: awsAccount({ firstSeenAt: localIso(12, 0) }),
  compliant: false,
  rules: ['workloads'],
  missing: [
    { group: 'AWS-Developers-ReadOnly', permissionSet: 'DeveloperReadOnly' },
    { group: 'AWS-Developers-Admin', permissionSet: 'DeveloperAdmin' },
  ],
  forbidden: [],
  unassigned: true,
  isNew: true,
};

export const webProd: AccountCompliance = {
  account: awsAccount({
    id: '200000000005',
    name: 'web-prod',
    ouPath: 'Workloads/Prod',
    tags: { env: 'prod' },
  }),
  compliant: false,
  rules: ['workloads', 'prod-no-poweruser'],
  missing: [],
  forbidden: [
    {
      group: 'AWS-Developers-PowerUser',
      permissionSet: 'DeveloperPowerUser',
      principalType: 'GROUP',
    },
    {
      group: 'breakglass',
      permissionSet: 'DeveloperPowerUser',
      principalType: 'USER',
    },
  ],
  unassigned: false,
  isNew: false,
};

export const paymentsProd: AccountCompliance = {
  account: awsAccount({
    id: '200000000003',
    name: 'payments-prod',
    ouPath: 'Workloads/Prod',
    tags: { env: 'prod' },
  }),
  compliant: true,
  rules: ['workloads', 'prod-no-poweruser'],
  missing: [],
  forbidden: [],
  unassigned: false,
  isNew: false,
};

export const legacyArchive: AccountCompliance = {
  account: awsAccount({
    id: '200000000011',
    name: 'legacy-archive',
    ouPath: 'Legacy',
    tags: {},
  }),
  compliant: true,
  rules: [],
  missing: [],
  forbidden: [],
  unassigned: true,
  isNew: false,
};

export function onboardingOverview(
  overrides: Partial<OnboardingOverview> = {},
): OnboardingOverview {
  return {
    rules: [
      {
        name: 'workloads',
        accounts: { ouPath: 'Workloads/*' },
        require: [
          {
            group: 'AWS-Developers-ReadOnly',
            permissionSet: 'DeveloperReadOnly',
          },
          { group: 'AWS-Developers-Admin', permissionSet: 'DeveloperAdmin' },
        ],
        forbid: [],
      },
      {
        name: 'prod-no-poweruser',
        accounts: { tags: { env: 'prod' } },
        require: [],
        forbid: [{ group: '*', permissionSet: 'DeveloperPowerUser' }],
      },
    ],
    problems: [],
    // As the backend sends them: non-compliant first, then by name.
    accounts: [checkoutDev, webProd, legacyArchive, paymentsProd],
    canApply: true,
    ...overrides,
  };
}

export function assignmentCall(
  operation: AssignmentCall['operation'],
  options: {
    accountId?: string;
    group: string;
    permissionSet: { name: string; arn: string };
    principalType?: 'GROUP' | 'USER';
    principalId: string;
  },
): AssignmentCall {
  return {
    operation,
    input: {
      InstanceArn: INSTANCE_ARN,
      TargetId: options.accountId ?? '300000000001',
      TargetType: 'AWS_ACCOUNT',
      PermissionSetArn: options.permissionSet.arn,
      PrincipalType: options.principalType ?? 'GROUP',
      PrincipalId: options.principalId,
    },
    description: `${options.group} → ${options.permissionSet.name}`,
  };
}

export const createReadOnly = assignmentCall('CreateAccountAssignment', {
  group: 'AWS-Developers-ReadOnly',
  permissionSet: readOnly,
  principalId: GROUP_IDS.readOnly,
});
export const createAdmin = assignmentCall('CreateAccountAssignment', {
  group: 'AWS-Developers-Admin',
  permissionSet: admin,
  principalId: GROUP_IDS.admin,
});
export const deletePowerUser = assignmentCall('DeleteAccountAssignment', {
  accountId: '200000000005',
  group: 'AWS-Developers-PowerUser',
  permissionSet: powerUser,
  principalId: GROUP_IDS.powerUser,
});
export const deleteBreakglass = assignmentCall('DeleteAccountAssignment', {
  accountId: '200000000005',
  group: 'breakglass',
  permissionSet: powerUser,
  principalType: 'USER',
  principalId: GROUP_IDS.breakglass,
});

export function onboardingPlan(
  overrides: Partial<OnboardingPlan> = {},
): OnboardingPlan {
  return {
    accountId: '300000000001',
    accountName: 'checkout-dev',
    snapshotVersion: 7,
    planId: 'plan-checkout-1',
    create: [createReadOnly, createAdmin],
    delete: [],
    blocked: [],
    ...overrides,
  };
}

export function applyResult(overrides: Partial<ApplyResult> = {}): ApplyResult {
  return {
    accountId: '300000000001',
    planId: 'plan-checkout-1',
    results: [
      {
        call: createReadOnly,
        outcome: 'succeeded',
        attempts: 1,
        requestId: 'req-ro-1',
      },
      {
        call: createAdmin,
        outcome: 'skipped',
        reason: 'already assigned',
        attempts: 0,
      },
    ],
    snapshotVersion: 8,
    ...overrides,
  };
}
