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

/** The assignments of a principal that has none; shared, never modified. */
const NONE: readonly AssignmentRecord[] = [];

/**
 * Unicode's default lower case: what `toLocaleLowerCase('en-US')` gives (English has no special casing rules),
 * without a call into ICU per name; an index lower-cases half a million names (300 ms against 20 ms per 100,000).
 */
export function lower(value: string | undefined) {
  return value?.toLowerCase();
}

export function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** A group's membership in each user's list of groups; a member listed twice is in the group once. */
function addGroupOfUser<G>(
  groupsOfUser: Map<string, G[]>,
  userId: string,
  group: G,
) {
  const groups = groupsOfUser.get(userId);
  // Groups are indexed one after another, so a repeat is the list's last.
  if (!groups) groupsOfUser.set(userId, [group]);
  else if (groups[groups.length - 1] !== group) groups.push(group);
}

/**
 * Points a group's member id at the user's own id string (an equal value), and returns it. A snapshot read from
 * JSON holds its own copy of an id per membership: about two million strings at 100,000 people, each marked by
 * every major GC.
 */
function shareUserId(
  memberIds: string[],
  i: number,
  usersById: Map<string, { id: string }>,
): string {
  const user = usersById.get(memberIds[i]);
  if (user) memberIds[i] = user.id;
  return memberIds[i];
}

/** Objects by lower-cased name (the last of a name wins), one per step: 100,000 names are a 50 ms block at once. */
function* byName<S>(sources: S[], nameOf: (source: S) => string) {
  const map = new Map<string, S>();
  for (const source of sources) {
    map.set(lower(nameOf(source))!, source);
    yield;
  }
  return map;
}

/**
 * Links each Identity Center object to the identity source object it came from: by ExternalIds when SCIM set
 * them, else by name (objects created before SCIM). The first Identity Center object claims a source object
 * (`idcBySourceId`, empty at first, holds the claims). The two maps are filled in separate steps: both reach a
 * size where they grow at the same link, and each growth at 65,536 entries is a block of ~15 ms.
 */
function* join<
  I extends { id: string; externalId?: string },
  S extends { id: string },
>(
  idcObjects: I[],
  sourcesById: Map<string, S>,
  sourcesByName: Map<string, S>,
  nameOf: (idc: I) => string,
  idcBySourceId: Map<string, I>,
  sourceByIdcId: Map<string, S>,
) {
  for (const idc of idcObjects) {
    const source = idc.externalId
      ? sourcesById.get(idc.externalId)
      : sourcesByName.get(lower(nameOf(idc))!);
    if (source && !idcBySourceId.has(source.id)) {
      idcBySourceId.set(source.id, idc);
      yield;
      sourceByIdcId.set(idc.id, source);
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
  /** By principal id, one map per type: the ids are the records' own strings, so a lookup builds no key. */
  readonly #assignmentsOfPrincipal = {
    USER: new Map<string, AssignmentRecord[]>(),
    GROUP: new Map<string, AssignmentRecord[]>(),
  };
  /** Identity source group id → the Identity Center group SCIM created for it. */
  readonly idcGroupByIdentityGroupId = new Map<string, IdcGroup>();
  /** Identity source user id → the Identity Center user SCIM created for it. */
  readonly idcUserByIdentityUserId = new Map<string, IdcUser>();
  /** Identity Center group id → the identity source group it came from. */
  readonly identityGroupByIdcGroupId = new Map<string, IdentityGroup>();
  /** Identity Center user id → the identity source user it came from. */
  readonly identityUserByIdcUserId = new Map<string, IdentityUser>();

  /**
   * Identity Center user id → the groups listing them, in the snapshot's order (an array, not a `Set` per user:
   * 100,000 of them were a sixth of the objects a major GC marks at the envelope).
   */
  readonly #idcGroupsOfUser = new Map<string, IdcGroup[]>();
  /**
   * Identity source user id → the groups listing them as a direct member, in the snapshot's order: a person's
   * page lists them without scanning every group's members (about 20 MB at 100,000 people and 1M memberships).
   */
  readonly #identityGroupsOfUser = new Map<string, IdentityGroup[]>();

  /**
   * Fills the lookups from a snapshot, one record per step (a subclass's build runs it first). Rewrites the
   * snapshot's member ids in place with equal strings, the users' own (shareUserId).
   */
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
      for (let i = 0; i < group.memberUserIds.length; i++) {
        yield;
        const userId = shareUserId(
          group.memberUserIds,
          i,
          this.identityUsersById,
        );
        addGroupOfUser(this.#identityGroupsOfUser, userId, group);
      }
    }
    for (const principal of identity.provisioningScope) {
      yield;
      (principal.principalType === 'Group'
        ? this.scopedGroupIds
        : this.scopedUserIds
      ).add(principal.principalId);
    }
  }

  *#indexAws({ aws }: Snapshot): Sliced<void> {
    for (const account of aws.accounts) {
      this.accountsById.set(account.id, account);
      yield;
    }
    for (const ps of aws.permissionSets) {
      this.permissionSetsByArn.set(ps.arn, ps);
      this.permissionSetsByName.set(ps.name, ps);
      yield;
    }
    for (const user of aws.users) {
      this.idcUsersById.set(user.id, user);
      yield;
    }
    for (const group of aws.groups) {
      this.idcGroupsById.set(group.id, group);
      yield;
      for (let i = 0; i < group.memberUserIds.length; i++) {
        yield;
        const memberId = shareUserId(group.memberUserIds, i, this.idcUsersById);
        addGroupOfUser(this.#idcGroupsOfUser, memberId, group);
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
        this.#assignmentsOfPrincipal[assignment.principalType],
        assignment.principalId,
        assignment,
      );
      yield;
    }
  }

  *#join({ identity, aws }: Snapshot): Sliced<void> {
    yield* join(
      aws.users,
      this.identityUsersById,
      yield* byName(identity.users, u => u.userPrincipalName),
      user => user.userName,
      this.idcUserByIdentityUserId,
      this.identityUserByIdcUserId,
    );
    yield* join(
      aws.groups,
      this.identityGroupsById,
      yield* byName(identity.groups, g => g.displayName),
      group => group.displayName,
      this.idcGroupByIdentityGroupId,
      this.identityGroupByIdcGroupId,
    );
  }

  /** Assignments of one Identity Center principal (none when there is no such principal). */
  assignmentsOf(
    type: 'USER' | 'GROUP',
    id: string | undefined,
  ): readonly AssignmentRecord[] {
    return (id && this.#assignmentsOfPrincipal[type].get(id)) || NONE;
  }

  /**
   * The identity source groups listing a user as a direct member, in the snapshot's order (each once): what
   * filtering the snapshot's groups by `memberUserIds.includes(userId)` gives.
   */
  identityGroupsOfUser(userId: string): readonly IdentityGroup[] {
    return this.#identityGroupsOfUser.get(userId) ?? [];
  }

  /** Identity Center groups an Identity Center user is a member of, each once. */
  idcGroupsOfUser(idcUserId: string): readonly IdcGroup[] {
    return this.#idcGroupsOfUser.get(idcUserId) ?? [];
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
