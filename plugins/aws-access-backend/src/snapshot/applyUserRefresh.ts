import type {
  AssignmentRecord,
  EntraUser,
  IdcGroup,
  IdcUser,
  Snapshot,
} from './model';

/** What a targeted refresh read about one person. */
export interface UserRefresh {
  entraUserId: string;
  /** Undefined when the Entra user no longer exists. */
  entra?: { user: EntraUser; directGroupIds: string[] };
  idc: {
    user?: IdcUser;
    groupIds: string[];
    directAssignments: AssignmentRecord[];
    groups: IdcGroup[];
  };
}

/**
 * A new snapshot with one person's Entra user, group memberships, Identity Center user, memberships and direct
 * assignments replaced by a fresh read; everything else is kept. Groups created since the last full sync are
 * added with this person as their only known member until the next full sync reads them completely.
 */
export function applyUserRefresh(
  snapshot: Snapshot,
  refresh: UserRefresh,
): Snapshot {
  const { entraUserId, entra, idc } = refresh;
  const users = snapshot.entra.users.filter(u => u.id !== entraUserId);
  if (entra) users.push(entra.user);
  const directGroups = new Set(entra?.directGroupIds ?? []);
  const groups = snapshot.entra.groups.map(group => {
    const isMember = group.memberUserIds.includes(entraUserId);
    const shouldBe = directGroups.has(group.id);
    if (isMember === shouldBe) return group;
    return {
      ...group,
      memberUserIds: shouldBe
        ? [...group.memberUserIds, entraUserId]
        : group.memberUserIds.filter(id => id !== entraUserId),
    };
  });

  // The person's Identity Center user before and after (it may have been created, recreated or deleted).
  const upn = (
    entra?.user ?? snapshot.entra.users.find(u => u.id === entraUserId)
  )?.userPrincipalName?.toLocaleLowerCase('en-US');
  const isThisPerson = (u: IdcUser) =>
    u.externalId === entraUserId ||
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
    entra: { ...snapshot.entra, users, groups },
    aws: { ...snapshot.aws, users: idcUsers, groups: idcGroups, assignments },
  };
}
