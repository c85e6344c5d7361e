import { base36From, guidFrom, hexFrom, identityStoreIdFrom } from '../ids';
import type {
  NormalizedAccount,
  NormalizedAssignment,
  NormalizedDrift,
  NormalizedOrganizationalUnit,
  NormalizedPermissionSet,
  NormalizedScenario,
} from './normalized';
import type {
  EmulatorSettings,
  Scenario,
  ScenarioEntra,
  ScenarioAppRegistration,
  ScenarioPermissionsBoundary,
} from './types';

/** Defaults for the scenario's optional `emulator:` section. */
export const DEFAULT_SETTINGS: EmulatorSettings = {
  assignmentDelayMs: 500,
  maxOutstandingAssignments: 10,
  principalAssignmentsIncludeGroups: false,
  graphDefaultPageSize: 100,
  graphMaxDeltaPageSize: 200,
  graphDeltaMembersChunkSize: 20,
  graphTokenLifetimeSeconds: 0,
  eventQueue: '',
  eventDelaySeconds: 0,
  eventReorderSeconds: 0,
  eventDuplicateRate: 0,
  eventLossRate: 0,
  graphAppRoles: [
    'User.Read.All',
    'Group.Read.All',
    'GroupMember.Read.All',
    'GroupMember.ReadWrite.All',
    'Application.Read.All',
    'AuditLog.Read.All',
    'Synchronization.ReadWrite.All',
    'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup',
  ],
};

/**
 * The app registration of a scenario that names none: the client id and secret the demo's app-config and the
 * test helpers use.
 *
 * @public
 */
export const DEFAULT_APP_REGISTRATION: ScenarioAppRegistration = {
  clientId: '0a0b0c0d-0000-4000-8000-000000000001',
  displayName: 'AWS Access for Backstage (emulator)',
  clientSecret: 'emulator-client-secret',
};

const lower = (s: string) => s.toLowerCase();

/**
 * The tenant of a scenario without `entra:` (Identity Center on its own directory): nobody in it, no app
 * provisioning AWS. The Graph emulator refuses every sign-in to it (tenant not found), as Entra would.
 */
export const NO_ENTRA_TENANT: ScenarioEntra = {
  tenantId: '00000000-0000-0000-0000-000000000000',
  domain: 'no-entra-tenant.invalid',
  displayName: 'No Entra tenant',
  awsApp: {
    appId: '00000000-0000-0000-0000-000000000000',
    displayName: 'No AWS enterprise application',
    provisioning: { status: 'NotRun' },
  },
  users: [],
  groups: [],
};

/** Entra's default mailNickname: the display name without spaces and characters mail cannot carry. */
export function defaultMailNickname(displayName: string): string {
  return displayName.replace(/[^A-Za-z0-9._-]/g, '') || 'group';
}

/**
 * Applies defaults and generates every id. Expects a scenario that passed validation.
 *
 * @public
 */
export function normalizeScenario(scenario: Scenario): NormalizedScenario {
  const { entra = NO_ENTRA_TENANT, identityCenter: idc } = scenario;
  const tenant = entra.tenantId.toLowerCase();
  const storeId = idc.identityStoreId;
  const warnings: string[] = [];

  const users = entra.users.map(user => {
    const id = (
      user.id ?? guidFrom(tenant, 'user', lower(user.upn))
    ).toLowerCase();
    return {
      id,
      upn: user.upn,
      displayName: user.displayName,
      ...(user.givenName !== undefined && { givenName: user.givenName }),
      ...(user.surname !== undefined && { surname: user.surname }),
      mail: user.mail ?? user.upn,
      ...(user.department !== undefined && { department: user.department }),
      ...(user.jobTitle !== undefined && { jobTitle: user.jobTitle }),
      ...(user.employeeId !== undefined && { employeeId: user.employeeId }),
      ...(user.manager !== undefined && { manager: user.manager }),
      enabled: user.enabled ?? true,
      assignedToAwsApp: user.assignedToAwsApp ?? false,
      identityStoreUserId: identityStoreIdFrom(storeId, 'user', id),
    };
  });
  const groups = entra.groups.map(group => {
    const id = (
      group.id ?? guidFrom(tenant, 'group', lower(group.name))
    ).toLowerCase();
    return {
      id,
      name: group.name,
      mailNickname: group.mailNickname ?? defaultMailNickname(group.name),
      ...(group.description !== undefined && {
        description: group.description,
      }),
      securityEnabled: group.securityEnabled ?? true,
      members: group.members ?? [],
      owners: group.owners ?? [],
      assignedToAwsApp: group.assignedToAwsApp ?? false,
      identityStoreGroupId: identityStoreIdFrom(storeId, 'group', id),
    };
  });

  const provisioning = entra.awsApp.provisioning ?? {};
  const status = provisioning.status ?? 'Active';
  const intervalSeconds = provisioning.intervalSeconds ?? 2400;
  const lastCycleAgoSeconds =
    provisioning.lastCycleAgoSeconds ?? (status === 'NotRun' ? null : 0);
  const lastSuccessAgoSeconds =
    provisioning.lastSuccessAgoSeconds ??
    (lastCycleAgoSeconds === null
      ? null
      : lastCycleAgoSeconds + (status === 'Quarantine' ? intervalSeconds : 0));
  const nowMs = scenario.now ? Date.parse(scenario.now) : Date.now();

  const instanceId = idc.instanceArn.split('/').pop()!;
  const org = organizationTree(scenario);

  const permissionSets: NormalizedPermissionSet[] = idc.permissionSets.map(
    ps => ({
      name: ps.name,
      arn: `arn:aws:sso:::permissionSet/${instanceId}/ps-${hexFrom(
        16,
        idc.instanceArn,
        'ps',
        lower(ps.name),
      )}`,
      ...(ps.description !== undefined && { description: ps.description }),
      sessionDuration: ps.sessionDuration ?? 'PT1H',
      ...(ps.relayState ? { relayState: ps.relayState } : {}),
      managedPolicies: ps.managedPolicies ?? [],
      customerManagedPolicies: (ps.customerManagedPolicies ?? []).map(p => ({
        name: p.name,
        path: p.path ?? '/',
      })),
      ...(ps.inlinePolicy !== undefined && ps.inlinePolicy !== null
        ? {
            inlinePolicy:
              typeof ps.inlinePolicy === 'string'
                ? ps.inlinePolicy
                : JSON.stringify(ps.inlinePolicy),
          }
        : {}),
      ...(ps.permissionsBoundary
        ? { permissionsBoundary: boundary(ps.permissionsBoundary) }
        : {}),
      tags: stringTags(ps.tags),
    }),
  );

  const mode = idc.provisioned?.mode ?? 'in-sync';
  const drift = normalizeDrift(scenario, lastCycleAgoSeconds ?? 0);
  const unmanagedUsers = (idc.provisioned?.unmanaged?.users ?? []).map(
    user => ({
      id: identityStoreIdFrom(storeId, 'unmanaged-user', lower(user.userName)),
      userName: user.userName,
      displayName: user.displayName,
      ...(user.givenName !== undefined && { givenName: user.givenName }),
      ...(user.familyName !== undefined && { familyName: user.familyName }),
      ...(user.email !== undefined && { email: user.email }),
      enabled: user.enabled ?? true,
    }),
  );
  const unmanagedGroups = (idc.provisioned?.unmanaged?.groups ?? []).map(
    group => ({
      id: identityStoreIdFrom(storeId, 'unmanaged-group', lower(group.name)),
      name: group.name,
      ...(group.description !== undefined && {
        description: group.description,
      }),
      members: group.members ?? [],
    }),
  );

  const activeAccounts = org.accounts
    .filter(a => a.status === 'ACTIVE')
    .map(a => a.id);
  const userByUpn = new Map(users.map(u => [lower(u.upn), u]));
  const groupByName = new Map(groups.map(g => [lower(g.name), g]));
  const unmanagedUserByName = new Map(
    unmanagedUsers.map(u => [lower(u.userName), u]),
  );
  const unmanagedGroupByName = new Map(
    unmanagedGroups.map(g => [lower(g.name), g]),
  );
  const psByName = new Map(permissionSets.map(ps => [lower(ps.name), ps]));
  const missingGroups = new Set(
    drift
      .filter(d => d.kind === 'missingGroup')
      .map(d => lower((d as { group: string }).group)),
  );
  const missingUsers = new Set(
    drift
      .filter(d => d.kind === 'missingUser')
      .map(d => lower((d as { user: string }).user)),
  );

  const assignments: NormalizedAssignment[] = idc.assignments.map((a, i) => {
    const ps = psByName.get(lower(a.permissionSet))!;
    const base = {
      permissionSetArn: ps.arn,
      permissionSet: ps.name,
      accounts: a.accounts === '*' ? activeAccounts : [...a.accounts],
      status: a.status ?? ('PROVISIONED' as const),
    };
    if (a.group !== undefined) {
      const group = groupByName.get(lower(a.group))!;
      if (mode === 'empty' || missingGroups.has(lower(a.group))) {
        warnings.push(
          `identityCenter.assignments[${i}]: group "${
            a.group
          }" is not in Identity Center at load (${
            mode === 'empty' ? 'mode: empty' : 'drift missingGroup'
          }), so this assignment does not exist yet`,
        );
      }
      return {
        ...base,
        principalType: 'GROUP' as const,
        principal: { group: group.name },
        principalId: group.identityStoreGroupId,
      };
    }
    if (a.user !== undefined) {
      const user = userByUpn.get(lower(a.user))!;
      if (mode === 'empty' || missingUsers.has(lower(a.user))) {
        warnings.push(
          `identityCenter.assignments[${i}]: user "${
            a.user
          }" is not in Identity Center at load (${
            mode === 'empty' ? 'mode: empty' : 'drift missingUser'
          }), so this assignment does not exist yet`,
        );
      }
      return {
        ...base,
        principalType: 'USER' as const,
        principal: { user: user.upn },
        principalId: user.identityStoreUserId,
      };
    }
    if (a.idcUser !== undefined) {
      const user = unmanagedUserByName.get(lower(a.idcUser))!;
      return {
        ...base,
        principalType: 'USER' as const,
        principal: { idcUser: user.userName },
        principalId: user.id,
      };
    }
    const group = unmanagedGroupByName.get(lower(a.idcGroup!))!;
    return {
      ...base,
      principalType: 'GROUP' as const,
      principal: { idcGroup: group.name },
      principalId: group.id,
    };
  });

  const settings = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(
    DEFAULT_SETTINGS,
  ) as (keyof EmulatorSettings)[]) {
    const value = scenario.emulator?.[key];
    if (value !== undefined) (settings as Record<string, unknown>)[key] = value;
  }

  return {
    version: 1,
    identitySource: scenario.entra ? 'entra' : 'none',
    ...(scenario.now !== undefined && {
      now: new Date(scenario.now).toISOString(),
    }),
    entra: {
      tenantId: tenant,
      domain: entra.domain,
      displayName: entra.displayName ?? entra.domain,
      cloud: entra.cloud ?? 'public',
      awsApp: {
        appId: entra.awsApp.appId.toLowerCase(),
        servicePrincipalId: (
          entra.awsApp.servicePrincipalId ??
          guidFrom(tenant, 'servicePrincipal', lower(entra.awsApp.appId))
        ).toLowerCase(),
        displayName: entra.awsApp.displayName,
        samlCertificateExpires: new Date(
          entra.awsApp.samlCertificateExpires ??
            nowMs + 2 * 365 * 24 * 3600_000,
        ).toISOString(),
        provisioning: {
          intervalSeconds,
          status,
          quarantineReason:
            provisioning.quarantineReason ??
            (status === 'Quarantine' ? 'EncounteredQuarantineException' : null),
          lastCycleAgoSeconds,
          lastSuccessAgoSeconds,
        },
      },
      appRegistrations: (
        entra.appRegistrations ?? [DEFAULT_APP_REGISTRATION]
      ).map(r => ({ ...r, clientId: r.clientId.toLowerCase() })),
      users,
      groups,
    },
    identityCenter: {
      region: idc.region,
      instanceArn: idc.instanceArn,
      instanceId,
      identityStoreId: storeId,
      accessPortalUrl:
        idc.accessPortalUrl ?? `https://${storeId}.awsapps.com/start`,
      scimIssuer: `https://scim.aws.com/${hexFrom(
        11,
        idc.instanceArn,
        'scim',
      )}-${guidFrom(idc.instanceArn, 'scim')}`,
      organization: {
        id: idc.organization.id,
        managementAccountId: idc.organization.managementAccountId,
        rootId: org.rootId,
        organizationalUnits: org.ous,
      },
      accounts: org.accounts,
      permissionSets,
      assignments,
      provisioned: {
        mode,
        drift,
        unmanaged: { users: unmanagedUsers, groups: unmanagedGroups },
      },
    },
    emulator: {
      settings,
      faults: scenario.emulator?.faults ?? [],
      rateLimits: scenario.emulator?.rateLimits ?? [],
    },
    warnings,
  };
}

function boundary(
  value: ScenarioPermissionsBoundary,
): NonNullable<NormalizedPermissionSet['permissionsBoundary']> {
  if (typeof value === 'string') return { managedPolicyArn: value };
  if ('managedPolicyArn' in value)
    return { managedPolicyArn: value.managedPolicyArn };
  return {
    customerManagedPolicy: {
      name: value.customerManagedPolicy.name,
      path: value.customerManagedPolicy.path ?? '/',
    },
  };
}

function stringTags(
  tags: Record<string, unknown> | undefined,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(tags ?? {}).map(([k, v]) => [k, String(v)]),
  );
}

/** The OU tree implied by the accounts' `ou` paths; ids derived from the organization id and the path. */
function organizationTree(scenario: Scenario) {
  const idc = scenario.identityCenter;
  const rootSuffix = base36From(4, idc.organization.id, 'root');
  const rootId = `r-${rootSuffix}`;
  const ous = new Map<string, NormalizedOrganizationalUnit>();
  const ouPath = (raw: string | undefined): string => {
    const parts = (raw ?? '')
      .split('/')
      .map(p => p.trim())
      .filter(Boolean);
    if (parts.length > 0 && lower(parts[0]) === 'root') parts.shift();
    return parts.join('/');
  };
  const ensure = (path: string): string => {
    if (path === '') return rootId;
    const existing = ous.get(path);
    if (existing) return existing.id;
    const slash = path.lastIndexOf('/');
    const parentId = ensure(slash < 0 ? '' : path.slice(0, slash));
    const id = `ou-${rootSuffix}-${base36From(
      8,
      idc.organization.id,
      'ou',
      path,
    )}`;
    ous.set(path, { id, name: path.slice(slash + 1), path, parentId });
    return id;
  };
  const accounts: NormalizedAccount[] = idc.accounts.map(account => {
    const path = ouPath(account.ou);
    return {
      id: account.id,
      name: account.name,
      email: account.email,
      status: account.status ?? 'ACTIVE',
      ou: path,
      parentId: ensure(path),
      tags: stringTags(account.tags),
    };
  });
  return { rootId, ous: [...ous.values()], accounts };
}

/**
 * Drift entries with their times resolved. An entry without `sinceSeconds` takes the time of another entry for the
 * same user (a mover's add and removal happen together), else the end of the last provisioning cycle.
 */
function normalizeDrift(
  scenario: Scenario,
  fallbackSeconds: number,
): NormalizedDrift[] {
  const entries = (scenario.identityCenter.provisioned?.drift ?? []).map(
    entry => {
      const [kind, body] = Object.entries(entry)[0] as [
        NormalizedDrift['kind'],
        Record<string, unknown>,
      ];
      return { kind, ...body } as NormalizedDrift & { sinceSeconds?: number };
    },
  );
  const userTimes = new Map<string, number>();
  for (const entry of entries) {
    if (
      'user' in entry &&
      entry.sinceSeconds !== undefined &&
      !userTimes.has(lower(entry.user))
    ) {
      userTimes.set(lower(entry.user), entry.sinceSeconds);
    }
  }
  return entries.map(entry => ({
    ...entry,
    sinceSeconds:
      entry.sinceSeconds ??
      ('user' in entry ? userTimes.get(lower(entry.user)) : undefined) ??
      fallbackSeconds,
  })) as NormalizedDrift[];
}
