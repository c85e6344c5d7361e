import type {
  DescribeGroupCommandOutput,
  DescribeUserCommandOutput,
  GetUserIdCommandOutput,
  Group,
  ListGroupMembershipsCommandOutput,
  ListGroupMembershipsForMemberCommandOutput,
  ListGroupsCommandOutput,
  ListUsersCommandOutput,
  User,
} from '@aws-sdk/client-identitystore';
import {
  DescribeGroupCommand,
  DescribeUserCommand,
  GetUserIdCommand,
  ListGroupMembershipsCommand,
  ListGroupMembershipsForMemberCommand,
  ListGroupsCommand,
  ListUsersCommand,
} from '@aws-sdk/client-identitystore';
import type { ListAccountAssignmentsForPrincipalCommandOutput } from '@aws-sdk/client-sso-admin';
import { ListAccountAssignmentsForPrincipalCommand } from '@aws-sdk/client-sso-admin';
import type { AssignmentRecord, IdcGroup, IdcUser } from '../../snapshot/model';
import type {
  AwsSource,
  IdentityCenterUserRead,
  SourceContext,
} from '../ports';
import { mapWithConcurrency } from '../requests/RequestBudget';
import type { AwsRequests } from './AwsRequests';
import type { PreviousRecords } from './PreviousRecords';
import { toAssignmentRecords } from './readPermissionSets';

export function toIdcUser(user: User): IdcUser {
  return {
    id: user.UserId!,
    userName: user.UserName ?? user.UserId!,
    displayName: user.DisplayName,
    status:
      (user as { UserStatus?: string }).UserStatus === 'DISABLED'
        ? 'DISABLED'
        : 'ENABLED',
    externalId: user.ExternalIds?.[0]?.Id,
    externalIssuer: user.ExternalIds?.[0]?.Issuer,
    email: user.Emails?.[0]?.Value,
  };
}

function toIdcGroup(group: Group, memberUserIds: string[]): IdcGroup {
  return {
    id: group.GroupId!,
    displayName: group.DisplayName ?? group.GroupId!,
    externalId: group.ExternalIds?.[0]?.Id,
    memberUserIds,
  };
}

/**
 * Every user and group of the identity store, with each group's members (one paged listing per group). A user or
 * group equal to the previous snapshot's is the previous object, and a member id is its user's own id string.
 */
export async function readIdentityStore(
  aws: AwsRequests,
  ctx: SourceContext,
  identityStoreId: string,
  concurrency: number,
  previous: PreviousRecords,
): Promise<{ users: IdcUser[]; groups: IdcGroup[] }> {
  const page = { IdentityStoreId: identityStoreId, MaxResults: 100 };
  const userIds = new Map<string, string>();
  const [users, groups] = await Promise.all([
    // Each page's users are normalised as it arrives: the SDK's records (names, emails, addresses) of 20,000
    // users are not all held until the last page.
    aws.list(
      'identityStore',
      ctx,
      token => new ListUsersCommand({ ...page, NextToken: token }),
      (out: ListUsersCommandOutput) =>
        out.Users?.map(read => {
          const user = previous.user(toIdcUser(read));
          userIds.set(user.id, user.id);
          return user;
        }),
    ),
    aws.list(
      'identityStore',
      ctx,
      token => new ListGroupsCommand({ ...page, NextToken: token }),
      (out: ListGroupsCommandOutput) => out.Groups,
    ),
  ]);
  const members = await mapWithConcurrency(groups, concurrency, group =>
    aws.list(
      'identityStore',
      ctx,
      token =>
        new ListGroupMembershipsCommand({
          IdentityStoreId: identityStoreId,
          GroupId: group.GroupId,
          NextToken: token,
          MaxResults: 100,
        }),
      (out: ListGroupMembershipsCommandOutput) =>
        (out.GroupMemberships ?? [])
          .map(m => m.MemberId?.UserId)
          .filter((id): id is string => Boolean(id))
          .map(id => userIds.get(id) ?? id),
    ),
  );
  return {
    users,
    groups: groups.map((group, i) =>
      previous.group(toIdcGroup(group, members[i])),
    ),
  };
}

type UserLookup = Parameters<AwsSource['readUser']>[1];

/**
 * One user's Identity Center state, for targeted refreshes after provisioning: the user (found by the identity
 * source's id in ExternalIds, else by user name), its groups and its direct assignments.
 */
export async function readIdentityCenterUser(
  aws: AwsRequests,
  ctx: SourceContext,
  options: UserLookup,
  concurrency: number,
): Promise<IdentityCenterUserRead> {
  const userId = await findUserId(aws, ctx, options);
  if (!userId)
    return { user: undefined, groupIds: [], directAssignments: [], groups: [] };
  const [described, memberships, direct] = await Promise.all([
    aws.send<DescribeUserCommandOutput>(
      'identityStore',
      ctx,
      new DescribeUserCommand({
        IdentityStoreId: options.identityStoreId,
        UserId: userId,
      }),
    ),
    aws.list(
      'identityStore',
      ctx,
      token =>
        new ListGroupMembershipsForMemberCommand({
          IdentityStoreId: options.identityStoreId,
          MemberId: { UserId: userId },
          NextToken: token,
          MaxResults: 100,
        }),
      (out: ListGroupMembershipsForMemberCommandOutput) =>
        (out.GroupMemberships ?? []).map(m => m.GroupId!),
    ),
    directAssignmentsOf(aws, ctx, options.instanceArn, userId),
  ]);
  // Groups SCIM created since the last full read are new to the snapshot: describe them.
  const groups = await mapWithConcurrency(
    memberships,
    concurrency,
    async groupId => {
      const group = await aws.send<DescribeGroupCommandOutput>(
        'identityStore',
        ctx,
        new DescribeGroupCommand({
          IdentityStoreId: options.identityStoreId,
          GroupId: groupId,
        }),
      );
      return toIdcGroup({ ...group, GroupId: groupId }, []);
    },
  );
  return {
    user: toIdcUser(described as User),
    groupIds: memberships,
    directAssignments: direct,
    groups,
  };
}

function directAssignmentsOf(
  aws: AwsRequests,
  ctx: SourceContext,
  instanceArn: string,
  userId: string,
): Promise<AssignmentRecord[]> {
  return aws.list(
    'ssoAdmin',
    ctx,
    token =>
      new ListAccountAssignmentsForPrincipalCommand({
        InstanceArn: instanceArn,
        PrincipalId: userId,
        PrincipalType: 'USER',
        NextToken: token,
        MaxResults: 100,
      }),
    (out: ListAccountAssignmentsForPrincipalCommandOutput) =>
      toAssignmentRecords(out.AccountAssignments, {
        principalType: 'USER',
        principalId: userId,
      }),
  );
}

/** The user's id: by ExternalIds (the identity source's id) when the issuer is known, else by user name. */
async function findUserId(
  aws: AwsRequests,
  ctx: SourceContext,
  options: UserLookup,
): Promise<string | undefined> {
  const lookups = [
    ...(options.issuer
      ? [
          {
            ExternalId: { Issuer: options.issuer, Id: options.identityUserId },
          },
        ]
      : []),
    {
      UniqueAttribute: {
        AttributePath: 'userName',
        AttributeValue: options.userName,
      },
    },
  ];
  for (const AlternateIdentifier of lookups) {
    const found = await aws.send<Partial<GetUserIdCommandOutput>>(
      'identityStore',
      ctx,
      new GetUserIdCommand({
        IdentityStoreId: options.identityStoreId,
        AlternateIdentifier: AlternateIdentifier as any,
      }),
      error =>
        error?.name === 'ResourceNotFoundException'
          ? { UserId: undefined }
          : undefined,
    );
    if (found?.UserId) return found.UserId;
  }
  return undefined;
}
