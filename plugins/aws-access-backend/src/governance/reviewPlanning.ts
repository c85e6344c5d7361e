import type { ReviewerSource } from '@aws-access/plugin-aws-access-common';
import { entraGroupEntityRef } from '@aws-access/plugin-aws-access-common';
import type { AccessIndex } from '../snapshot/AccessIndex';
import type { ApproverDirectory } from './ApproverDirectory';
import type { AwsGroup, GovernancePolicies } from './GovernancePolicies';
import type { NewReviewItem } from './ReviewStore';
import { fieldError } from './submission';

/** Who reviews a group's memberships, and where that came from. */
export interface GroupReviewers {
  reviewers: string[];
  source: ReviewerSource;
}

/**
 * The groups a campaign covers: those asked for (each must give AWS access), or every group that gives AWS
 * access. A 400 names the first group that does not.
 */
export function campaignGroups(
  index: AccessIndex,
  policies: GovernancePolicies,
  asked: string[] | undefined,
): AwsGroup[] {
  if (asked && asked.length > 0) {
    return [...new Set(asked)].map(ref => {
      const group = policies.awsGroup(index, ref);
      if (!group) {
        throw fieldError(
          'groups',
          `${ref} is not a group that gives AWS access (assigned to the AWS app, with account assignments)`,
        );
      }
      return group;
    });
  }
  const all = [...index.identityGroupsByRef.keys()].flatMap(
    ref => policies.awsGroup(index, ref) ?? [],
  );
  if (all.length === 0) {
    throw fieldError('groups', 'no group gives AWS access in the snapshot');
  }
  return all;
}

/**
 * A group's reviewers (governance.md §3): its policy's approvers, else its Entra owners, else the platform team
 * (an empty list: holders of `aws-access.review.manage` decide).
 */
export async function reviewersOf(
  index: AccessIndex,
  policies: GovernancePolicies,
  directory: ApproverDirectory,
  group: AwsGroup,
): Promise<GroupReviewers> {
  const policy = policies.policyFor(group.ref);
  if (policy && policy.approvers.length > 0) {
    const eligibility = await directory.eligibility(index, policy, {
      id: group.group.id,
      grants: group.grants,
    });
    const refs = [...eligibility.users, ...eligibility.groups].sort();
    if (refs.length > 0) return { reviewers: refs, source: 'policy' };
  }
  const owners = await directory.groupOwnerRefs(index, group.group.id);
  if (owners.length > 0)
    return { reviewers: [...owners].sort(), source: 'group-owners' };
  return { reviewers: [], source: 'platform' };
}

/**
 * One item per direct member of the group that the snapshot knows as a person (nested members are not items:
 * SCIM never provisions them to AWS). A member is never their own reviewer; an item with no other reviewer goes
 * to the platform team.
 */
export function itemsOf(
  index: AccessIndex,
  group: AwsGroup,
  reviewers: GroupReviewers,
): NewReviewItem[] {
  return group.group.memberUserIds.flatMap(userId => {
    const person = index.personByKey(userId);
    if (!person) return [];
    const others = reviewers.reviewers.filter(ref => ref !== person.entityRef);
    return [
      {
        group: {
          entityRef: group.ref,
          name: group.group.displayName,
          id: group.group.id,
        },
        member: {
          entityRef: person.entityRef,
          name: person.displayName,
          userId,
        },
        ...(others.length > 0
          ? { reviewers: others, reviewerSource: reviewers.source }
          : { reviewers: [], reviewerSource: 'platform' as const }),
      },
    ];
  });
}

/** Members through nested groups: reported on the group's page, never items. */
export function nestedMembersOf(index: AccessIndex, group: AwsGroup) {
  const direct = new Set(group.group.memberUserIds);
  return [...index.nestedMembers(group.group).entries()]
    .filter(([userId]) => !direct.has(userId))
    .flatMap(([userId, through]) => {
      const person = index.personByKey(userId);
      if (!person) return [];
      return [
        {
          user: index.accessUser(person),
          through: {
            entityRef: entraGroupEntityRef(through),
            name: through.displayName,
          },
        },
      ];
    })
    .sort((a, b) => a.user.displayName.localeCompare(b.user.displayName));
}
