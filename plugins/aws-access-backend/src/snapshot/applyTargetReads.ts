import type { TargetRead } from '../sources/identityCenter/readChangeTargets';
import type {
  AccountPermissionSet,
  AwsSide,
  IdcGroup,
  Snapshot,
} from './model';

/*
 * A new snapshot with what change-event targets read replacing what the snapshot held for exactly those things;
 * everything else is kept. Reads are applied in order, so a user read after a group read of the same batch sees
 * the group's fresh members (both are current state, and they agree).
 */

function applyOne(aws: AwsSide, read: TargetRead): AwsSide {
  switch (read.kind) {
    case 'assignments': {
      const others = aws.assignments.filter(
        a =>
          a.accountId !== read.accountId ||
          a.permissionSetArn !== read.permissionSetArn,
      );
      // Assigning provisions the permission set to the account; removing the last assignment does not undo it.
      const provisioned = aws.provisionedPairs.some(
        p =>
          p.accountId === read.accountId &&
          p.permissionSetArn === read.permissionSetArn,
      );
      return {
        ...aws,
        assignments: [...others, ...read.assignments],
        provisionedPairs:
          provisioned || read.assignments.length === 0
            ? aws.provisionedPairs
            : [
                ...aws.provisionedPairs,
                {
                  accountId: read.accountId,
                  permissionSetArn: read.permissionSetArn,
                },
              ],
      };
    }
    case 'group': {
      const groups = aws.groups.filter(g => g.id !== read.groupId);
      if (read.group) groups.push(read.group);
      return {
        ...aws,
        groups,
        // A deleted group's assignments went with it.
        assignments: read.group
          ? aws.assignments
          : aws.assignments.filter(
              a =>
                !(
                  a.principalType === 'GROUP' && a.principalId === read.groupId
                ),
            ),
      };
    }
    case 'permission-set':
      return applyPermissionSet(aws, read);
    case 'account':
      return applyAccount(aws, read);
    default: {
      const users = aws.users.filter(u => u.id !== read.userId);
      if (read.user) users.push(read.user);
      const memberOf = new Set(read.user ? read.groupIds : []);
      const groups = aws.groups.map((group): IdcGroup => {
        const isMember = group.memberUserIds.includes(read.userId);
        const shouldBe = memberOf.has(group.id);
        if (isMember === shouldBe) return group;
        return {
          ...group,
          memberUserIds: shouldBe
            ? [...group.memberUserIds, read.userId]
            : group.memberUserIds.filter(id => id !== read.userId),
        };
      });
      return {
        ...aws,
        users,
        groups,
        assignments: read.user
          ? aws.assignments
          : aws.assignments.filter(
              a =>
                !(a.principalType === 'USER' && a.principalId === read.userId),
            ),
      };
    }
  }
}

type Read<K extends TargetRead['kind']> = Extract<TargetRead, { kind: K }>;

/** The set's definition and where it is provisioned; a pair no longer provisioned lists no assignments. */
function applyPermissionSet(aws: AwsSide, read: Read<'permission-set'>) {
  const arn = read.permissionSetArn;
  const pairs = (accountIds: string[]): AccountPermissionSet[] =>
    accountIds.map(accountId => ({ accountId, permissionSetArn: arn }));
  const provisioned = new Set(read.accountIds);
  return {
    ...aws,
    permissionSets: [
      ...aws.permissionSets.filter(ps => ps.arn !== arn),
      ...(read.record ? [read.record] : []),
    ],
    provisionedPairs: [
      ...aws.provisionedPairs.filter(p => p.permissionSetArn !== arn),
      ...pairs(read.accountIds),
    ],
    provisioningFailures: [
      ...aws.provisioningFailures.filter(p => p.permissionSetArn !== arn),
      ...pairs(read.failedAccountIds),
    ],
    assignments: aws.assignments.filter(
      a => a.permissionSetArn !== arn || provisioned.has(a.accountId),
    ),
  };
}

/** The account as Organizations describes it now, first seen when the snapshot first saw it. */
function applyAccount(aws: AwsSide, read: Read<'account'>): AwsSide {
  const prior = aws.accounts.find(a => a.id === read.accountId);
  const others = aws.accounts.filter(a => a.id !== read.accountId);
  return {
    ...aws,
    accounts: read.account
      ? [
          ...others,
          {
            ...read.account,
            firstSeenAt: prior?.firstSeenAt ?? read.account.tagsReadAt!,
          },
        ]
      : others,
  };
}

/**
 * Pairs a permission set read found newly provisioned: their assignments were never read (a full read lists
 * assignments of provisioned pairs only), so they are targets of their own.
 */
export function newlyProvisionedPairs(
  aws: AwsSide,
  reads: readonly TargetRead[],
): AccountPermissionSet[] {
  const known = new Set(
    aws.provisionedPairs.map(p => `${p.accountId}|${p.permissionSetArn}`),
  );
  return reads.flatMap(read =>
    read.kind === 'permission-set'
      ? read.accountIds
          .filter(id => !known.has(`${id}|${read.permissionSetArn}`))
          .map(accountId => ({
            accountId,
            permissionSetArn: read.permissionSetArn,
          }))
      : [],
  );
}

export function applyTargetReads(
  snapshot: Snapshot,
  reads: readonly TargetRead[],
): Snapshot {
  return { ...snapshot, aws: reads.reduce(applyOne, snapshot.aws) };
}
