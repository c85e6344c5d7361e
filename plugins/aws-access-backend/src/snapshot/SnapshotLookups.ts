import { entraGroupEntityRef } from '@aws-access/plugin-aws-access-common';
import type {
  AccountRecord,
  AssignmentRecord,
  IdcGroup,
  IdcUser,
  IdentityGroup,
  IdentityUser,
  PermissionSetRecord,
  Snapshot,
} from './model';
import type { Sliced } from './slices';

export function lower(value: string | undefined) {
  return value?.toLocaleLowerCase('en-US');
}

export function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Links each Identity Center object to the identity source object it came from: by ExternalIds when SCIM set
 * them, else by name (objects created before SCIM). The first Identity Center object claims a source object.
 */
function* join<
  I extends { id: string; externalId?: string },
  S extends { id: string },
>(
  idcObjects: I[],
  sourcesById: Map<string, S>,
  sourcesByName: Map<string, S>,
  nameOf: (idc: I) => string,
  link: (idc: I, source: S) => void,
) {
  const claimed = new Set<string>();
  for (const idc of idcObjects) {
    const source = idc.externalId
      ? sourcesById.get(idc.externalId)
      : sourcesByName.get(lower(nameOf(idc))!);
    if (source && !claimed.has(source.id)) {
      claimed.add(source.id);
      link(idc, source);
    }
    yield;
  }
}

/**
 * The records of one snapshot by the keys requests and the derivation look them up by, and the join of the two
 * sides: each Identity Center user and group to the identity source's object it was provisioned from
 * (ExternalIds first, then user name = UPN and group display name, for objects created before SCIM).
 */
export class SnapshotLookups {
  readonly accountsById = new Map<string, AccountRecord>();
  readonly permissionSetsByArn = new Map<string, PermissionSetRecord>();
  readonly permissionSetsByName = new Map<string, PermissionSetRecord>();
  readonly identityUsersById = new Map<string, IdentityUser>();
  readonly identityGroupsById = new Map<string, IdentityGroup>();
  /** By catalog entity ref, as the msgraph module names groups. */
  readonly identityGroupsByRef = new Map<string, IdentityGroup>();
  readonly idcUsersById = new Map<string, IdcUser>();
  readonly idcGroupsById = new Map<string, IdcGroup>();
  /** Groups and users the identity source provisions to AWS (assigned to the AWS app). */
  readonly scopedGroupIds = new Set<string>();
  readonly scopedUserIds = new Set<string>();
  readonly assignmentsByAccount = new Map<string, AssignmentRecord[]>();
  readonly assignmentsByPermissionSet = new Map<string, AssignmentRecord[]>();
  readonly assignmentsByPrincipal = new Map<string, AssignmentRecord[]>();
  /** Identity source group id → the Identity Center group SCIM created for it. */
  readonly idcGroupByIdentityGroupId = new Map<string, IdcGroup>();
  /** Identity source user id → the Identity Center user SCIM created for it. */
  readonly idcUserByIdentityUserId = new Map<string, IdcUser>();
  /** Identity Center group id → the identity source group it came from. */
  readonly identityGroupByIdcGroupId = new Map<string, IdentityGroup>();
  /** Identity Center user id → the identity source user it came from. */
  readonly identityUserByIdcUserId = new Map<string, IdentityUser>();

  readonly #idcGroupsOfUser = new Map<string, Set<string>>();

  /** Fills the lookups from a snapshot, one record per step (a subclass's build runs it first). */
  protected *indexSnapshot(snapshot: Snapshot): Sliced<void> {
    yield* this.#indexIdentity(snapshot);
    yield* this.#indexAws(snapshot);
    yield* this.#join(snapshot);
  }

  *#indexIdentity({ identity }: Snapshot): Sliced<void> {
    for (const user of identity.users) {
      this.identityUsersById.set(user.id, user);
      yield;
    }
    for (const group of identity.groups) {
      this.identityGroupsById.set(group.id, group);
      // Two groups can normalize to one ref ("Team A", "team_a"). The catalog module keeps the one with the
      // smallest id under that ref, and so do we: a ref (and the membership claims made of it) means one group.
      const ref = entraGroupEntityRef(group);
      const holder = this.identityGroupsByRef.get(ref);
      if (!holder || group.id.localeCompare(holder.id) < 0)
        this.identityGroupsByRef.set(ref, group);
      yield;
    }
    for (const principal of identity.provisioningScope) {
      (principal.principalType === 'Group'
        ? this.scopedGroupIds
        : this.scopedUserIds
      ).add(principal.principalId);
    }
  }

  *#indexAws({ aws }: Snapshot): Sliced<void> {
    for (const account of aws.accounts)
      this.accountsById.set(account.id, account);
    for (const ps of aws.permissionSets) {
      this.permissionSetsByArn.set(ps.arn, ps);
      this.permissionSetsByName.set(ps.name, ps);
    }
    for (const user of aws.users) {
      this.idcUsersById.set(user.id, user);
      yield;
    }
    for (const group of aws.groups) {
      this.idcGroupsById.set(group.id, group);
      for (const memberId of group.memberUserIds) {
        const groups = this.#idcGroupsOfUser.get(memberId) ?? new Set<string>();
        groups.add(group.id);
        this.#idcGroupsOfUser.set(memberId, groups);
        yield;
      }
    }
    for (const assignment of aws.assignments) {
      push(this.assignmentsByAccount, assignment.accountId, assignment);
      push(
        this.assignmentsByPermissionSet,
        assignment.permissionSetArn,
        assignment,
      );
      push(
        this.assignmentsByPrincipal,
        `${assignment.principalType}:${assignment.principalId}`,
        assignment,
      );
      yield;
    }
  }

  *#join({ identity, aws }: Snapshot): Sliced<void> {
    yield* join(
      aws.users,
      this.identityUsersById,
      new Map(identity.users.map(u => [lower(u.userPrincipalName)!, u])),
      user => user.userName,
      (user, source) => {
        this.idcUserByIdentityUserId.set(source.id, user);
        this.identityUserByIdcUserId.set(user.id, source);
      },
    );
    yield* join(
      aws.groups,
      this.identityGroupsById,
      new Map(identity.groups.map(g => [lower(g.displayName)!, g])),
      group => group.displayName,
      (group, source) => {
        this.idcGroupByIdentityGroupId.set(source.id, group);
        this.identityGroupByIdcGroupId.set(group.id, source);
      },
    );
  }

  /** Assignments of one Identity Center principal (none when there is no such principal). */
  assignmentsOf(
    type: 'USER' | 'GROUP',
    id: string | undefined,
  ): AssignmentRecord[] {
    return id ? this.assignmentsByPrincipal.get(`${type}:${id}`) ?? [] : [];
  }

  /** Ids of the Identity Center groups an Identity Center user is a member of. */
  idcGroupIdsOfUser(idcUserId: string): Iterable<string> {
    return this.#idcGroupsOfUser.get(idcUserId) ?? [];
  }

  /** Identity Center groups an Identity Center user is a member of. */
  idcGroupsOfUser(idcUserId: string): IdcGroup[] {
    return [...this.idcGroupIdsOfUser(idcUserId)].map(
      id => this.idcGroupsById.get(id)!,
    );
  }

  /** Users in a group's nesting tree below it, each with the nested group they came by. */
  nestedMembers(group: IdentityGroup): Map<string, IdentityGroup> {
    const viaNested = new Map<string, IdentityGroup>();
    const visited = new Set<string>([group.id]);
    const queue = [...group.memberGroupIds];
    while (queue.length > 0) {
      const id = queue.shift()!;
      if (visited.has(id)) continue;
      visited.add(id);
      const nested = this.identityGroupsById.get(id);
      if (!nested) continue;
      for (const userId of nested.memberUserIds) {
        if (!viaNested.has(userId)) viaNested.set(userId, nested);
      }
      queue.push(...nested.memberGroupIds);
    }
    return viaNested;
  }

  /** Users in a group, including members of groups nested in it (a team with sub-teams). */
  transitiveUserIds(group: IdentityGroup): string[] {
    const users = new Set(group.memberUserIds);
    for (const userId of this.nestedMembers(group).keys()) users.add(userId);
    return [...users];
  }
}
