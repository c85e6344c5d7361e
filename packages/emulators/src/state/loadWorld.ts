import type { NormalizedDrift } from '../scenario/normalized';
import { mapGroup, mapUser } from '../scim/mapping';
import {
  groupTarget,
  membershipProperties,
  userTarget,
} from './DirectoryAuditLog';
import type { World } from './World';

const DAY = 86400_000;
const lower = (s: string) => s.toLowerCase();

/** The scenario's drift entries of one kind, typed. */
function driftOf<K extends NormalizedDrift['kind']>(world: World, kind: K) {
  return world.scenario.identityCenter.provisioned.drift.filter(
    (d): d is Extract<NormalizedDrift, { kind: K }> => d.kind === kind,
  );
}

/**
 * Fills a fresh World from its scenario: Entra as written; the Identity Store as SCIM left it (`in-sync`, or
 * `empty`) with the drift applied; the audit history that explains the drift; organization and Identity Center.
 */
export function loadWorld(world: World): void {
  const { scenario, clock } = world;
  const nowMs = clock.startMs;
  const missingUsers = new Map(
    driftOf(world, 'missingUser').map(d => [lower(d.user), d]),
  );
  const missingGroups = new Map(
    driftOf(world, 'missingGroup').map(d => [lower(d.group), d]),
  );

  world.entra.journal.withoutRecording(() =>
    loadEntra(world, { nowMs, missingUsers, missingGroups }),
  );
  const provisioned = scenario.identityCenter.provisioned.mode === 'in-sync';
  if (provisioned)
    loadProvisioned(world, { nowMs, missingUsers, missingGroups });
  loadUnmanaged(world, nowMs);
  recordDriftHistory(world, nowMs);
  loadOrganization(world, nowMs);
  loadIdentityCenter(world, nowMs);
  world.job.entryCounts = countProvisioned(world);
}

function loadEntra(
  world: World,
  ctx: {
    nowMs: number;
    missingUsers: Map<string, NormalizedDrift>;
    missingGroups: Map<string, NormalizedDrift>;
  },
) {
  const { entra } = world.scenario;
  entra.users.forEach((user, i) => {
    const joiner = ctx.missingUsers.get(lower(user.upn));
    world.entra.addUser(
      {
        id: user.id,
        upn: user.upn,
        displayName: user.displayName,
        givenName: user.givenName,
        surname: user.surname,
        mail: user.mail,
        department: user.department,
        jobTitle: user.jobTitle,
        employeeId: user.employeeId,
        enabled: user.enabled,
        assignedToAwsApp: user.assignedToAwsApp,
        // A joiner was created when the drift began; everyone else long ago.
        createdMs: joiner
          ? ctx.nowMs - joiner.sinceSeconds * 1000
          : ctx.nowMs - 180 * DAY + i * 60_000,
      },
      { audit: joiner !== undefined },
    );
  });
  for (const user of entra.users) {
    if (user.manager)
      world.entra.user(user.id)!.managerId = world.entra.user(user.manager)!.id;
  }
  const assignedAt = (group: { name: string; assignedToAwsApp: boolean }) => {
    if (!group.assignedToAwsApp) return undefined;
    const late = ctx.missingGroups.get(lower(group.name));
    // A group still missing from Identity Center was assigned when its drift began.
    return late ? ctx.nowMs - late.sinceSeconds * 1000 : ctx.nowMs - 170 * DAY;
  };
  entra.groups.forEach((group, i) => {
    world.entra.addGroup(
      {
        id: group.id,
        name: group.name,
        mailNickname: group.mailNickname,
        description: group.description,
        securityEnabled: group.securityEnabled,
        owners: group.owners.map(upn => world.entra.user(upn)!.id),
        assignedToAwsApp: group.assignedToAwsApp,
        assignedMs: assignedAt(group),
        createdMs: ctx.nowMs - 200 * DAY + i * 60_000,
      },
      { audit: false },
    );
  });
  for (const group of entra.groups) {
    for (const member of group.members) {
      const target = member.includes('@')
        ? world.entra.user(member) ?? world.entra.group(member)
        : world.entra.group(member) ?? world.entra.user(member);
      world.entra.addMember(group.id, target!.id, {
        timeMs: ctx.nowMs,
        audit: false,
      });
    }
  }
}

function loadProvisioned(
  world: World,
  ctx: {
    nowMs: number;
    missingUsers: Map<string, NormalizedDrift>;
    missingGroups: Map<string, NormalizedDrift>;
  },
) {
  const { scenario, identityStore, entra } = world;
  const activeUsers = new Set(
    driftOf(world, 'activeUser').map(d => lower(d.user)),
  );
  const extra = driftOf(world, 'extraMember');
  const missingMembers = new Set(
    driftOf(world, 'missingMember').map(
      d => `${lower(d.group)}|${lower(d.user)}`,
    ),
  );
  const createdMs = ctx.nowMs - 150 * DAY;
  const idcUserIds = new Map(
    scenario.entra.users.map(u => [u.id, u.identityStoreUserId]),
  );

  const present = new Set(world.scimScopeUserIds());
  for (const upn of activeUsers) present.add(entra.user(upn)!.id);
  for (const e of extra) present.add(entra.user(e.user)!.id);
  for (const id of present) {
    const user = entra.user(id)!;
    if (ctx.missingUsers.has(lower(user.upn))) continue;
    const mapped = mapUser(user, {
      issuer: world.scimIssuer,
      managerIdcId: user.managerId ? idcUserIds.get(user.managerId) : undefined,
    });
    identityStore.putUser({
      ...mapped,
      userId: idcUserIds.get(user.id)!,
      // SCIM left disabled Entra users DISABLED, unless the scenario says the last change has not arrived yet.
      status: activeUsers.has(lower(user.upn)) ? 'ENABLED' : mapped.status,
      createdMs,
      updatedMs: createdMs,
    });
  }
  // The manager attribute points at users that may have been skipped above.
  for (const user of identityStore.users.values()) {
    if (user.managerId && !identityStore.users.has(user.managerId))
      delete user.managerId;
  }

  for (const group of scenario.entra.groups) {
    if (!group.assignedToAwsApp || ctx.missingGroups.has(lower(group.name)))
      continue;
    identityStore.putGroup({
      ...mapGroup(entra.group(group.id)!, { issuer: world.scimIssuer }),
      groupId: group.identityStoreGroupId,
      createdMs,
      updatedMs: createdMs,
    });
    for (const memberId of entra.members.targets(group.id)) {
      const member = entra.users.get(memberId);
      // Direct user members only: SCIM to AWS does not flatten nesting.
      if (!member) continue;
      const idcId = idcUserIds.get(member.id)!;
      if (
        !identityStore.users.has(idcId) ||
        missingMembers.has(`${lower(group.name)}|${lower(member.upn)}`)
      )
        continue;
      identityStore.addMember(group.identityStoreGroupId, idcId, createdMs);
    }
  }
  const idcGroupIds = new Map(
    scenario.entra.groups.map(g => [g.id, g.identityStoreGroupId]),
  );
  for (const e of extra) {
    const groupId = idcGroupIds.get(entra.group(e.group)!.id)!;
    const idcId = idcUserIds.get(entra.user(e.user)!.id)!;
    if (identityStore.groups.has(groupId) && identityStore.users.has(idcId)) {
      identityStore.addMember(groupId, idcId, createdMs);
    }
  }
}

function loadUnmanaged(world: World, nowMs: number) {
  const { users, groups } = world.scenario.identityCenter.provisioned.unmanaged;
  const createdMs = nowMs - 300 * DAY;
  for (const user of users) {
    const [first, ...rest] = user.displayName.split(/\s+/);
    world.identityStore.putUser({
      userId: user.id,
      userName: user.userName,
      displayName: user.displayName,
      givenName: user.givenName ?? first,
      familyName: user.familyName ?? (rest.join(' ') || first),
      ...(user.email !== undefined && { email: user.email }),
      status: user.enabled ? 'ENABLED' : 'DISABLED',
      createdMs,
      updatedMs: createdMs,
    });
  }
  for (const group of groups) {
    world.identityStore.putGroup({
      groupId: group.id,
      displayName: group.name,
      ...(group.description !== undefined && {
        description: group.description,
      }),
      createdMs,
      updatedMs: createdMs,
    });
    for (const member of group.members) {
      const user = world.identityStore.userByName(member);
      if (user) world.identityStore.addMember(group.id, user.userId, createdMs);
    }
  }
}

/** Directory audit entries that explain the drift, at the times the scenario gives (`sinceSeconds`). */
function recordDriftHistory(world: World, nowMs: number) {
  const { entra } = world;
  const at = (seconds: number) => nowMs - seconds * 1000;
  const explained = new Set<string>();
  for (const d of world.scenario.identityCenter.provisioned.drift) {
    if (d.kind === 'missingMember' || d.kind === 'extraMember') {
      const user = entra.user(d.user)!;
      const group = entra.group(d.group)!;
      const removed = d.kind === 'extraMember';
      entra.audits.add({
        activity: removed ? 'Remove member from group' : 'Add member to group',
        category: 'GroupManagement',
        operationType: removed ? 'Delete' : 'Add',
        timeMs: at(d.sinceSeconds),
        targets: [
          userTarget(user, membershipProperties(group, removed)),
          groupTarget(group),
        ],
      });
    } else if (d.kind === 'activeUser') {
      const user = entra.user(d.user)!;
      explained.add(user.id);
      if (!user.enabled) addDisable(world, user, at(d.sinceSeconds));
    } else if (d.kind === 'missingGroup') {
      const group = entra.group(d.group)!;
      entra.audits.add({
        activity: 'Add app role assignment to group',
        category: 'ApplicationManagement',
        operationType: 'Assign',
        timeMs: at(d.sinceSeconds),
        targets: [
          {
            id: world.app.servicePrincipalId,
            displayName: world.app.displayName,
            type: 'ServicePrincipal',
            userPrincipalName: null,
            modifiedProperties: [],
          },
          groupTarget(group),
        ],
      });
    }
    // missingUser: the 'Add user' entry was written when the user was loaded.
  }
  // Users disabled long enough ago that SCIM already caught up: disabled an hour before the last cycle.
  const lastCycle =
    world.scenario.entra.awsApp.provisioning.lastCycleAgoSeconds ?? 0;
  for (const user of entra.users.values()) {
    if (!user.enabled && !explained.has(user.id))
      addDisable(world, user, at(lastCycle + 3600));
  }
}

function addDisable(
  world: World,
  user: { id: string; upn: string; displayName: string },
  timeMs: number,
) {
  world.entra.audits.add({
    activity: 'Disable account',
    category: 'UserManagement',
    operationType: 'Update',
    timeMs,
    targets: [userTarget(user)],
  });
  world.entra.audits.add({
    activity: 'Update user',
    category: 'UserManagement',
    operationType: 'Update',
    timeMs,
    targets: [
      userTarget(user, [
        {
          displayName: 'AccountEnabled',
          oldValue: '[true]',
          newValue: '[false]',
        },
      ]),
    ],
  });
}

function loadOrganization(world: World, nowMs: number) {
  const { organization } = world.scenario.identityCenter;
  for (const unit of organization.organizationalUnits) {
    world.organization.units.set(unit.id, {
      id: unit.id,
      name: unit.name,
      parentId: unit.parentId,
    });
  }
  world.scenario.identityCenter.accounts.forEach((account, i) => {
    world.organization.accounts.set(account.id, {
      id: account.id,
      name: account.name,
      email: account.email,
      status: account.status,
      parentId: account.parentId,
      tags: { ...account.tags },
      joinedMethod:
        account.id === organization.managementAccountId ? 'INVITED' : 'CREATED',
      joinedMs: nowMs - 365 * DAY + i * 3600_000,
    });
  });
}

function loadIdentityCenter(world: World, nowMs: number) {
  const { identityCenter: idc } = world.scenario;
  idc.permissionSets.forEach((ps, i) => {
    world.ssoAdmin.permissionSets.set(ps.arn, {
      ...ps,
      createdMs: nowMs - 300 * DAY + i * 3600_000,
    });
  });
  const exists = (type: 'USER' | 'GROUP', id: string) =>
    type === 'USER'
      ? world.identityStore.users.has(id)
      : world.identityStore.groups.has(id);
  for (const assignment of idc.assignments) {
    // Identity Center cannot hold an assignment to a principal that does not exist (yet): see scenario warnings.
    if (!exists(assignment.principalType, assignment.principalId)) continue;
    for (const accountId of assignment.accounts) {
      world.ssoAdmin.addAssignment({
        accountId,
        permissionSetArn: assignment.permissionSetArn,
        principalType: assignment.principalType,
        principalId: assignment.principalId,
      });
      const state = world.ssoAdmin
        .provisionedAccounts(assignment.permissionSetArn)
        .get(accountId);
      if (state !== 'FAILED')
        world.ssoAdmin.setProvisioned(
          accountId,
          assignment.permissionSetArn,
          assignment.status,
        );
    }
  }
}

export function countProvisioned(world: World): {
  users: number;
  groups: number;
} {
  let users = 0;
  let groups = 0;
  for (const user of world.identityStore.users.values())
    if (user.externalId) users++;
  for (const group of world.identityStore.groups.values())
    if (group.externalId) groups++;
  return { users, groups };
}
