import type { World } from '../state/World';

/**
 * `GET /_emulator/state`: both clouds in one readable JSON document, for debugging.
 *
 * @public
 */
export interface EmulatorState {
  now: string;
  entra: {
    tenantId: string;
    users: {
      id: string;
      upn: string;
      displayName: string;
      enabled: boolean;
      deleted?: string;
      assignedToAwsApp?: boolean;
    }[];
    groups: {
      id: string;
      name: string;
      assignedToAwsApp: boolean;
      members: string[];
    }[];
    /** PIM for Groups member assignments (group name, upn), pending or active, with their end. */
    pimAssignments: {
      group: string;
      principal: string;
      start: string;
      end?: string;
      active: boolean;
    }[];
  };
  provisioning: { job: Record<string, unknown>; nextCycleAt: string };
  identityCenter: {
    users: {
      userId: string;
      userName: string;
      status: 'ENABLED' | 'DISABLED';
      externalId?: string;
      unmanaged?: boolean;
    }[];
    groups: {
      groupId: string;
      displayName: string;
      externalId?: string;
      unmanaged?: boolean;
      members: string[];
    }[];
    permissionSets: { name: string; arn: string }[];
    assignments: {
      accountId: string;
      permissionSet?: string;
      principalType: 'USER' | 'GROUP';
      principal: string;
      provisioning?: 'PROVISIONED' | 'FAILED';
    }[];
    operations: {
      requestId: string;
      kind: string;
      status: string;
      failureReason?: string;
    }[];
  };
  organization: {
    id: string;
    rootId: string;
    units: readonly { id: string; name: string; parentId: string }[];
    accounts: { id: string; name: string; status: string; path: string }[];
  };
}

export function stateDump(world: World): EmulatorState {
  const { entra, identityStore, ssoAdmin, organization } = world;
  const upnOf = (id: string) =>
    entra.users.get(id)?.upn ?? entra.groups.get(id)?.name ?? id;
  const userNameOf = (id: string) =>
    identityStore.users.get(id)?.userName ?? id;
  const principalName = (type: 'USER' | 'GROUP', id: string) =>
    type === 'USER'
      ? identityStore.users.get(id)?.userName ?? id
      : identityStore.groups.get(id)?.displayName ?? id;
  return {
    now: world.clock.iso(),
    entra: {
      tenantId: world.tenantId,
      users: entra.users.values().map(u => ({
        id: u.id,
        upn: u.upn,
        displayName: u.displayName,
        enabled: u.enabled,
        ...(u.deletedMs !== undefined && {
          deleted: new Date(u.deletedMs).toISOString(),
        }),
        ...(u.assignedToAwsApp && { assignedToAwsApp: true }),
      })),
      groups: entra.groups.values().map(g => ({
        id: g.id,
        name: g.name,
        assignedToAwsApp: g.assignedToAwsApp,
        members: [...entra.members.targets(g.id)].map(upnOf),
      })),
      pimAssignments: world.pim.assignments().map(s => ({
        group: upnOf(s.groupId),
        principal: upnOf(s.principalId),
        start: new Date(s.startMs).toISOString(),
        ...(s.endMs !== undefined && { end: new Date(s.endMs).toISOString() }),
        active: s.active,
      })),
    },
    provisioning: {
      job: world.job.toGraph(),
      nextCycleAt: new Date(world.job.nextCycleMs).toISOString(),
    },
    identityCenter: {
      users: identityStore.users.values().map(u => ({
        userId: u.userId,
        userName: u.userName,
        status: u.status,
        ...(u.externalId
          ? { externalId: u.externalId.Id }
          : { unmanaged: true }),
      })),
      groups: identityStore.groups.values().map(g => ({
        groupId: g.groupId,
        displayName: g.displayName,
        ...(g.externalId
          ? { externalId: g.externalId.Id }
          : { unmanaged: true }),
        members: [...identityStore.members.targets(g.groupId)].map(userNameOf),
      })),
      permissionSets: ssoAdmin.permissionSets
        .values()
        .map(ps => ({ name: ps.name, arn: ps.arn })),
      assignments: [...ssoAdmin.allAssignments()].map(a => ({
        accountId: a.accountId,
        permissionSet: ssoAdmin.permissionSets.get(a.permissionSetArn)?.name,
        principalType: a.principalType,
        principal: principalName(a.principalType, a.principalId),
        provisioning: ssoAdmin
          .provisionedAccounts(a.permissionSetArn)
          .get(a.accountId),
      })),
      operations: [...ssoAdmin.operations.values()].map(op => ({
        requestId: op.requestId,
        kind: op.kind,
        status: op.status,
        ...(op.failureReason && { failureReason: op.failureReason }),
      })),
    },
    organization: {
      id: organization.id,
      rootId: organization.rootId,
      units: organization.units.values(),
      accounts: organization.accounts.values().map(a => ({
        id: a.id,
        name: a.name,
        status: a.status,
        path: organization.path(a.parentId, a.id),
      })),
    },
  };
}
