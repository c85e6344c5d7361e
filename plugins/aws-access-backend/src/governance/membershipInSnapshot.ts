import { isUsable } from '@aws-access/plugin-aws-access-common';
import type { AccessIndex } from '../snapshot/AccessIndex';
import { baseStateOf } from '../snapshot/grantState';

/** One membership an access request is about: the identity source's group and user ids. */
export interface RequestedMembership {
  groupId: string;
  userId: string;
}

/** What a committed snapshot shows of one requested membership, on both sides. */
export interface MembershipInSnapshot {
  /** The identity source has the user as a direct member of the group. */
  intended: boolean;
  /** AWS lets the user use every (account, permission set) the group is assigned, through the group. */
  usable: boolean;
  /** AWS lets the user use none of them through the group any more. */
  gone: boolean;
  /** How many (account, permission set) pairs the group is assigned in Identity Center. */
  grants: number;
}

/**
 * Reads one membership out of a snapshot: the request worker moves a request to `active` or `ended` only on
 * what this says AWS shows, never on what was written to Entra. A grant counts when the person's path through
 * this very group is usable (in AWS), so access the person also has through another group neither makes a
 * request active nor keeps it from ending.
 */
export function membershipInSnapshot(
  index: AccessIndex,
  membership: RequestedMembership,
): MembershipInSnapshot {
  const { groupId, userId } = membership;
  const group = index.identityGroupsById.get(groupId);
  const intended = !!group?.memberUserIds.includes(userId);
  const idcGroup = index.idcGroupByIdentityGroupId.get(groupId);
  const assignments = idcGroup ? index.assignmentsOf('GROUP', idcGroup.id) : [];
  const person = index.personByKey(userId);
  let usableCount = 0;
  for (const assignment of assignments) {
    const grant = person?.grants.find(
      g =>
        g.accountId === assignment.accountId &&
        g.permissionSetArn === assignment.permissionSetArn,
    );
    const usable = grant?.paths.some(path => {
      if (path.identityGroupId !== groupId) return false;
      const state = baseStateOf(path);
      return state !== 'none' && isUsable(state);
    });
    if (usable) usableCount++;
  }
  return {
    intended,
    // A group that gives nothing in AWS cannot become usable: the request waits rather than claiming access.
    usable: assignments.length > 0 && usableCount === assignments.length,
    gone: usableCount === 0,
    grants: assignments.length,
  };
}
