import type {
  AssignmentRecord,
  IdcGroup,
  IdcUser,
  IdentityUser,
  Snapshot,
} from './model';

/** What a targeted refresh read about one person (the shapes the sources' targeted reads answer). */
export interface UserRefresh {
  identityUserId: string;
  /** Undefined when the user no longer exists in the identity source. */
  identity?: { user: IdentityUser; directGroupIds: string[] };
  idc: {
    user?: IdcUser;
    groupIds: string[];
    directAssignments: AssignmentRecord[];
    groups: IdcGroup[];
  };
}

/**
 * A new snapshot with one person's identity source user, group memberships, Identity Center user, memberships and direct
 * assignments replaced by a fresh read; everything else is kept. Groups created since the last full sync are
 * added with this person as their only known member until the next full sync reads them completely.
 */
export function applyUserRefresh(
  snapshot: Snapshot,
  refresh: UserRefresh,
): Snapshot {
  const { identityUserId, identity, idc } = refresh;
  const users = snapshot.identity.users.filter(u => u.id !== identityUserId);
  if (identity) users.push(identity.user);
  const directGroups = new Set(identity?.directGroupIds ?? []);
  const groups = snapshot.identity.groups.map(group => {
    const isMember = group.memberUserIds.includes(identityUserId);
    const shouldBe = directGroups.has(group.id);
    if (isMember === shouldBe) return group;
    return {
      ...group,
      memberUserIds: shouldBe
        ? [...group.memberUserIds, identityUserId]
        : group.memberUserIds.filter(id => id !== identityUserId),
    };
  });

  // The person's Identity Center user before and after (it may have been created, recreated or deleted).
  const upn = (
    identity?.user ?? snapshot.identity.users.find(u => u.id === identityUserId)
  )?.userPrincipalName?.toLocaleLowerCase('en-US');
  const isThisPerson = (u: IdcUser) =>
    u.externalId === identityUserId ||
    (!u.externalId && u.userName.toLocaleLowerCase('en-US') === upn);
  const oldIds = new Set(
    snapshot.aws.users.filter(isThisPerson).map(u => u.id),
  );
  const newId = idc.user?.id;
  const idcUsers = snapshot.aws.users.filter(u => !oldIds.has(u.id));
  if (idc.user) idcUsers.push(idc.user);

  const known = new Set(snapshot.aws.groups.map(g => g.id));
  const memberOf = new Set(idc.groupIds);
  const idcGroups = [
    ...snapshot.aws.groups,
    ...idc.groups.filter(g => !known.has(g.id)),
  ].map(group => {
    const others = group.memberUserIds.filter(
      id => !oldIds.has(id) && id !== newId,
    );
    return newId && memberOf.has(group.id)
      ? { ...group, memberUserIds: [...others, newId] }
      : { ...group, memberUserIds: others };
  });

  const assignments = [
    ...snapshot.aws.assignments.filter(
      a =>
        !(
          a.principalType === 'USER' &&
          (oldIds.has(a.principalId) || a.principalId === newId)
        ),
    ),
    ...idc.directAssignments,
  ];

  return {
    ...snapshot,
    identity: { ...snapshot.identity, users, groups },
    aws: { ...snapshot.aws, users: idcUsers, groups: idcGroups, assignments },
  };
}
