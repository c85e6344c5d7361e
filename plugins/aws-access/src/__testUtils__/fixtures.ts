import {
  AccessUser,
  AccountAccess,
  DriftReport,
  Grant,
  GroupAccess,
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
    awsCliConfig:
      '[sso-session example]\nsso_start_url = https://d-9067a1b2c3.awsapps.com/start\n',
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
