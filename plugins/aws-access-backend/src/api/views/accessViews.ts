import type {
  AccountAccess,
  AccountSummary,
  AwsAccount,
  CatalogProjection,
  DriftEntry,
  DriftReport,
  Grant,
  GroupAccess,
  LintFinding,
  PermissionSet,
  PermissionSetDetails,
  ProvisioningStatus,
  ReportRow,
  SyncSummary,
  UserAccess,
} from '@aws-access/plugin-aws-access-common';
import {
  buildAwsCliConfig,
  buildLaunchUrl,
  buildMyAppsUrl,
  entraGroupEntityRef,
  entraUserEntityRef,
} from '@aws-access/plugin-aws-access-common';
import type { AccessIndex, Person, PersonGrant } from '../../snapshot/AccessIndex';
import type {
  AccountRecord,
  EntraGroup,
  PermissionSetRecord,
} from '../../snapshot/model';

/*
 * Pure views over an access index: the JSON the API serves. Nothing here reads the database or the clouds.
 */

export function toAccount(account: AccountRecord): AwsAccount {
  return {
    id: account.id,
    name: account.name,
    email: account.email,
    arn: account.arn,
    status: account.status,
    ouPath: account.ouPath,
    tags: account.tags,
    firstSeenAt: account.firstSeenAt,
  };
}

export function toPermissionSet(
  index: AccessIndex,
  ps: PermissionSetRecord,
): PermissionSet {
  const provisioned = index.snapshot.aws.provisionedPairs
    .filter(p => p.permissionSetArn === ps.arn)
    .map(p => p.accountId);
  return {
    name: ps.name,
    arn: ps.arn,
    sessionDuration: ps.sessionDuration,
    description: ps.description,
    relayState: ps.relayState,
    managedPolicies: ps.managedPolicies,
    customerManagedPolicies: ps.customerManagedPolicies,
    inlinePolicy: ps.inlinePolicy,
    permissionsBoundary: ps.permissionsBoundary,
    tags: ps.tags,
    provisionedAccountIds: [...new Set(provisioned)].sort(),
  };
}

export function provisioningStatus(
  index: AccessIndex,
  now: Date,
): ProvisioningStatus {
  const job = index.snapshot.entra.provisioning;
  return {
    status: job.status,
    lastCycleAt: job.lastCycleEndedAt ?? job.lastCycleStartedAt,
    nextCycleAt: index.nextCycleAt(now),
    intervalSeconds: index.provisioningIntervalSeconds,
    quarantineReason: job.quarantineReason,
    lastError: job.lastError,
  };
}

export function syncSummary(
  index: AccessIndex,
  now: Date,
  staleAfterMs: number,
): SyncSummary {
  const ageMs = now.getTime() - Date.parse(index.snapshot.readAt);
  return {
    snapshotVersion: index.version,
    syncedAt: index.snapshot.readAt,
    snapshotAge: Math.max(0, Math.round(ageMs / 1000)),
    stale: ageMs > staleAfterMs,
    provisioning: provisioningStatus(index, now),
  };
}

/** The grant DTO at a moment: state, per-path states, launch link for what AWS lets the person use. */
export function toGrant(
  index: AccessIndex,
  grant: PersonGrant,
  now: Date,
): Grant {
  const account = index.accountsById.get(grant.accountId);
  const ps = index.permissionSetsByArn.get(grant.permissionSetArn);
  const state = index.stateAt(grant, now);
  const usable = grant.paths.some(path => path.inAws);
  const dto: Grant = {
    accountId: grant.accountId,
    accountName: account?.name ?? grant.accountId,
    accountOu: account?.ouPath,
    permissionSet: {
      name: ps?.name ?? grant.permissionSetArn,
      arn: grant.permissionSetArn,
      sessionDuration: ps?.sessionDuration ?? 'PT1H',
    },
    via: grant.paths.map(path => ({
      type: path.type,
      name: path.name,
      entityRef: path.entityRef,
      through: path.through,
      state: index.pathStateAt(grant, path, now),
    })),
    state,
  };
  if (usable && ps) {
    dto.launchUrl = buildLaunchUrl({
      accessPortalUrl: index.snapshot.aws.accessPortalUrl,
      accountId: grant.accountId,
      permissionSetName: ps.name,
    });
  }
  if (grant.since) dto.since = grant.since;
  if (state === 'pending') {
    const from =
      grant.since && Date.parse(grant.since) > now.getTime()
        ? new Date(grant.since)
        : now;
    dto.expectedBy = index.nextCycleAt(from);
  }
  return dto;
}

export function userAccess(
  index: AccessIndex,
  person: Person,
  now: Date,
  staleAfterMs: number,
): UserAccess {
  const grants = person.grants.map(grant => toGrant(index, grant, now));
  const entraUser = person.entraUser;
  const { aws, entra } = index.snapshot;
  const entraGroups = entraUser
    ? index.snapshot.entra.groups.filter(group =>
        isMemberForAws(index, group, entraUser.id),
      )
    : [];
  const idcUser = person.idcUser;
  const launchable = grants.filter(
    g => g.launchUrl && (g.state === 'active' || g.state === 'revoking'),
  );
  return {
    user: index.accessUser(person),
    grants,
    sync: syncSummary(index, now, staleAfterMs),
    entra: entraUser
      ? {
          id: entraUser.id,
          enabled: entraUser.accountEnabled,
          groups: entraGroups.map(group => ({
            id: group.id,
            name: group.displayName,
            entityRef: entraGroupEntityRef(group),
            assignedToApp: index.appAssignedGroupIds.has(group.id),
            direct: group.memberUserIds.includes(entraUser.id),
          })),
        }
      : undefined,
    identityCenter: idcUser
      ? {
          id: idcUser.id,
          userName: idcUser.userName,
          status: idcUser.status,
          groups: index
            .idcGroupsOfUser(idcUser.id)
            .map(g => g.displayName)
            .sort(),
        }
      : null,
    awsCliConfig: buildAwsCliConfig({
      sessionName: aws.identityStoreId,
      startUrl: aws.accessPortalUrl,
      region: aws.region,
      profiles: launchable
        .filter(g => g.state === 'active')
        .map(g => ({
          accountId: g.accountId,
          accountName: g.accountName,
          permissionSetName: g.permissionSet.name,
        })),
    }),
    myAppsUrl: safe(() =>
      buildMyAppsUrl({ appId: entra.app.appId, tenantId: entra.tenantId }),
    ),
    accessPortalUrl: aws.accessPortalUrl,
  };
}

function safe<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/** Groups that matter for a person's AWS access: assigned to the app, or nested (directly or not) in one. */
function isMemberForAws(
  index: AccessIndex,
  group: EntraGroup,
  userId: string,
): boolean {
  if (!group.memberUserIds.includes(userId)) return false;
  if (index.appAssignedGroupIds.has(group.id)) return true;
  return [...index.appAssignedGroupIds].some(assignedId => {
    const assigned = index.entraGroupsById.get(assignedId);
    return assigned
      ? index.transitiveUserIds(assigned).includes(userId)
      : false;
  });
}

export function groupAccess(
  index: AccessIndex,
  group: EntraGroup,
  now: Date,
  staleAfterMs: number,
): GroupAccess {
  const idcGroup = index.idcGroupByEntraGroupId.get(group.id);
  const assignments = (
    idcGroup
      ? index.assignmentsByPrincipal.get(`GROUP:${idcGroup.id}`) ?? []
      : []
  ).map(a => {
    const ps = index.permissionSetsByArn.get(a.permissionSetArn);
    return {
      accountId: a.accountId,
      accountName: index.accountsById.get(a.accountId)?.name ?? a.accountId,
      permissionSet: {
        name: ps?.name ?? a.permissionSetArn,
        arn: a.permissionSetArn,
        sessionDuration: ps?.sessionDuration ?? 'PT1H',
      },
    };
  });
  const members = index
    .transitiveUserIds(group)
    .map(id => index.personByKey(id))
    .filter((p): p is Person => Boolean(p))
    .sort((a, b) => a.displayName.localeCompare(b.displayName, 'en'))
    .map(person => ({
      user: index.accessUser(person),
      grants: person.grants.map(g => toGrant(index, g, now)),
    }));
  return {
    group: {
      entityRef: entraGroupEntityRef(group),
      name: group.displayName,
      entraId: group.id,
      assignedToApp: index.appAssignedGroupIds.has(group.id),
      identityCenterGroupId: idcGroup?.id,
    },
    assignments: assignments.sort(
      (a, b) =>
        a.accountName.localeCompare(b.accountName) ||
        a.permissionSet.name.localeCompare(b.permissionSet.name),
    ),
    members,
    sync: syncSummary(index, now, staleAfterMs),
  };
}

function principalOf(index: AccessIndex, type: 'USER' | 'GROUP', id: string) {
  if (type === 'GROUP') {
    const group = index.idcGroupsById.get(id);
    const source = index.entraGroupByIdcGroupId.get(id);
    return {
      type,
      name: source?.displayName ?? group?.displayName ?? id,
      entityRef: source ? entraGroupEntityRef(source) : undefined,
      managed: Boolean(source),
    };
  }
  const user = index.idcUsersById.get(id);
  const source = index.entraUserByIdcUserId.get(id);
  return {
    type,
    name: source?.displayName ?? user?.userName ?? id,
    entityRef: source ? entraUserEntityRef(source) : undefined,
    managed: Boolean(source),
  };
}

export function accountSummaries(index: AccessIndex): AccountSummary[] {
  return index.snapshot.aws.accounts
    .map(account => {
      const assignments = index.assignmentsByAccount.get(account.id) ?? [];
      return {
        ...toAccount(account),
        assignmentCount: assignments.length,
        permissionSets: [
          ...new Set(
            assignments.map(
              a =>
                index.permissionSetsByArn.get(a.permissionSetArn)?.name ??
                a.permissionSetArn,
            ),
          ),
        ].sort(),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function accountAccess(
  index: AccessIndex,
  account: AccountRecord,
  now: Date,
  staleAfterMs: number,
  isVisible: (person: Person) => boolean,
): AccountAccess {
  const assignments = (index.assignmentsByAccount.get(account.id) ?? []).map(
    a => {
      const ps = index.permissionSetsByArn.get(a.permissionSetArn);
      return {
        permissionSet: {
          name: ps?.name ?? a.permissionSetArn,
          arn: a.permissionSetArn,
          sessionDuration: ps?.sessionDuration ?? 'PT1H',
        },
        principal: principalOf(index, a.principalType, a.principalId),
      };
    },
  );
  const people = index.persons
    .filter(
      person =>
        person.grants.some(g => g.accountId === account.id) &&
        isVisible(person),
    )
    .sort((a, b) => a.displayName.localeCompare(b.displayName, 'en'))
    .map(person => ({
      user: index.accessUser(person),
      grants: person.grants
        .filter(g => g.accountId === account.id)
        .map(g => toGrant(index, g, now)),
    }));
  return {
    account: toAccount(account),
    assignments,
    people,
    sync: syncSummary(index, now, staleAfterMs),
  };
}

export function permissionSetDetails(
  index: AccessIndex,
  ps: PermissionSetRecord,
): PermissionSetDetails {
  return {
    permissionSet: toPermissionSet(index, ps),
    assignments: (index.assignmentsByPermissionSet.get(ps.arn) ?? [])
      .map(a => ({
        accountId: a.accountId,
        accountName: index.accountsById.get(a.accountId)?.name ?? a.accountId,
        principal: principalOf(index, a.principalType, a.principalId),
      }))
      .sort((a, b) => a.accountName.localeCompare(b.accountName)),
    provisioningFailures: index.snapshot.aws.provisioningFailures
      .filter(f => f.permissionSetArn === ps.arn)
      .map(f => ({
        accountId: f.accountId,
        accountName: index.accountsById.get(f.accountId)?.name ?? f.accountId,
      })),
  };
}

const HOUR = 3600;
function isoDurationSeconds(value: string): number {
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(value);
  if (!match) return 0;
  return (
    Number(match[1] ?? 0) * HOUR +
    Number(match[2] ?? 0) * 60 +
    Number(match[3] ?? 0)
  );
}

/** Admin permission sets (AdministratorAccess attached) with sessions over 4 hours, user-level assignments, unused sets, failed provisioning. */
export function lintPermissionSets(index: AccessIndex): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const ps of index.snapshot.aws.permissionSets) {
    const admin = ps.managedPolicies.some(
      p =>
        /AdministratorAccess$/.test(p.arn) || p.name === 'AdministratorAccess',
    );
    if (admin && isoDurationSeconds(ps.sessionDuration) > 4 * HOUR) {
      findings.push({
        code: 'admin-session-too-long',
        severity: 'warning',
        permissionSet: ps.name,
        message: `${ps.name} grants AdministratorAccess for ${ps.sessionDuration}; keep admin sessions at PT4H or less`,
      });
    }
    if (!index.assignmentsByPermissionSet.get(ps.arn)?.length) {
      findings.push({
        code: 'permission-set-unassigned',
        severity: 'warning',
        permissionSet: ps.name,
        message: `${ps.name} is not assigned anywhere`,
      });
    }
  }
  for (const assignment of index.snapshot.aws.assignments) {
    if (assignment.principalType !== 'USER') continue;
    const principal = principalOf(index, 'USER', assignment.principalId);
    const ps = index.permissionSetsByArn.get(assignment.permissionSetArn);
    const account = index.accountsById.get(assignment.accountId);
    findings.push({
      code: 'user-level-assignment',
      severity: 'warning',
      permissionSet: ps?.name,
      accountId: assignment.accountId,
      principal: principal.name,
      message: `${principal.name} holds ${
        ps?.name ?? assignment.permissionSetArn
      } on ${
        account?.name ?? assignment.accountId
      } directly, not through a group`,
    });
  }
  for (const failure of index.snapshot.aws.provisioningFailures) {
    const ps = index.permissionSetsByArn.get(failure.permissionSetArn);
    const account = index.accountsById.get(failure.accountId);
    findings.push({
      code: 'provisioning-failed',
      severity: 'error',
      permissionSet: ps?.name,
      accountId: failure.accountId,
      message: `The latest version of ${
        ps?.name ?? failure.permissionSetArn
      } is not provisioned to ${
        account?.name ?? failure.accountId
      }: re-provision it`,
    });
  }
  return findings;
}

export function driftReport(
  index: AccessIndex,
  now: Date,
  staleAfterMs: number,
): DriftReport {
  const lists: Record<
    'pending' | 'stuck' | 'revoking' | 'nested',
    DriftEntry[]
  > = { pending: [], stuck: [], revoking: [], nested: [] };
  for (const person of index.persons) {
    for (const grant of person.grants) {
      const state = index.stateAt(grant, now);
      if (state === 'active') continue;
      const key = state === 'unsupported-nesting' ? 'nested' : state;
      lists[key].push({
        user: index.accessUser(person),
        accountId: grant.accountId,
        accountName:
          index.accountsById.get(grant.accountId)?.name ?? grant.accountId,
        permissionSet:
          index.permissionSetsByArn.get(grant.permissionSetArn)?.name ??
          grant.permissionSetArn,
        state,
        via: grant.paths.map(p => p.name),
        since: grant.since,
      });
    }
  }
  const assigned = new Set(
    index.snapshot.aws.assignments.map(a => a.accountId),
  );
  return {
    sync: syncSummary(index, now, staleAfterMs),
    ...lists,
    unmanaged: index.unmanaged.map(u => ({
      type: u.type,
      id: u.id,
      name: u.name,
      assignments: u.assignments.map(
        a =>
          `${index.accountsById.get(a.accountId)?.name ?? a.accountId} / ${
            index.permissionSetsByArn.get(a.permissionSetArn)?.name ??
            a.permissionSetArn
          }`,
      ),
    })),
    accountsWithoutAssignments: index.snapshot.aws.accounts
      .filter(a => a.status === 'ACTIVE' && !assigned.has(a.id))
      .map(toAccount),
    lint: lintPermissionSets(index),
  };
}

export function reportRows(
  index: AccessIndex,
  now: Date,
  isVisible: (person: Person) => boolean,
): ReportRow[] {
  const rows: ReportRow[] = [];
  for (const person of index.persons) {
    if (!isVisible(person)) continue;
    for (const grant of person.grants) {
      const g = toGrant(index, grant, now);
      rows.push({
        userEntityRef: person.entityRef,
        userName: person.displayName,
        accountId: g.accountId,
        accountName: g.accountName,
        permissionSet: g.permissionSet.name,
        sessionDuration: g.permissionSet.sessionDuration,
        via: g.via.map(v => `${v.name} (${v.state})`).join('; '),
        state: g.state,
      });
    }
  }
  return rows.sort(
    (a, b) =>
      a.userName.localeCompare(b.userName, 'en') ||
      a.accountName.localeCompare(b.accountName) ||
      a.permissionSet.localeCompare(b.permissionSet),
  );
}

/** The committed snapshot shaped for the catalog module: accounts, permission sets, app-scope groups and users. */
export function catalogProjection(index: AccessIndex): CatalogProjection {
  const { entra, aws } = index.snapshot;
  // App-assigned groups and every group nested below them.
  const groupIds = new Set<string>();
  const queue = [...index.appAssignedGroupIds];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (groupIds.has(id)) continue;
    const group = index.entraGroupsById.get(id);
    if (!group) continue;
    groupIds.add(id);
    queue.push(...group.memberGroupIds);
  }
  const groups = [...groupIds].map(id => index.entraGroupsById.get(id)!);
  const userIds = new Set([
    ...index.appAssignedUserIds,
    ...groups.flatMap(g => g.memberUserIds),
  ]);
  return {
    snapshotVersion: index.version,
    syncedAt: index.snapshot.readAt,
    instanceArn: aws.instanceArn,
    organizationId: aws.organizationId,
    tenantId: entra.tenantId,
    accounts: aws.accounts.map(toAccount),
    permissionSets: aws.permissionSets.map(ps => toPermissionSet(index, ps)),
    entraGroups: groups.map(g => ({
      id: g.id,
      displayName: g.displayName,
      description: g.description,
      mail: g.mail,
      mailNickname: g.mailNickname,
      securityEnabled: g.securityEnabled,
      assignedToApp: index.appAssignedGroupIds.has(g.id),
      memberUserIds: g.memberUserIds.filter(id => index.entraUsersById.has(id)),
      memberGroupIds: g.memberGroupIds.filter(id => groupIds.has(id)),
    })),
    entraUsers: [...userIds]
      .map(id => index.entraUsersById.get(id))
      .filter((u): u is NonNullable<typeof u> => Boolean(u))
      .map(u => ({
        id: u.id,
        displayName: u.displayName,
        userPrincipalName: u.userPrincipalName,
        mail: u.mail,
        accountEnabled: u.accountEnabled,
        jobTitle: u.jobTitle,
        department: u.department,
      })),
    assignments: aws.assignments.map(a => {
      const principal = principalOf(index, a.principalType, a.principalId);
      return {
        accountId: a.accountId,
        permissionSetArn: a.permissionSetArn,
        principal: {
          type: a.principalType,
          identityCenterId: a.principalId,
          entraId:
            a.principalType === 'GROUP'
              ? index.entraGroupByIdcGroupId.get(a.principalId)?.id
              : index.entraUserByIdcUserId.get(a.principalId)?.id,
          displayName: principal.name,
        },
      };
    }),
  };
}
