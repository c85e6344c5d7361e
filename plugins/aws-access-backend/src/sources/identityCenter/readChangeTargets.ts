import type {
  DescribeGroupCommandOutput,
  DescribeUserCommandOutput,
  Group,
  ListGroupMembershipsCommandOutput,
  ListGroupMembershipsForMemberCommandOutput,
  User,
} from '@aws-sdk/client-identitystore';
import {
  DescribeGroupCommand,
  DescribeUserCommand,
  ListGroupMembershipsCommand,
  ListGroupMembershipsForMemberCommand,
} from '@aws-sdk/client-identitystore';
import {
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  DescribePermissionSetProvisioningStatusCommand,
} from '@aws-sdk/client-sso-admin';
import type {
  PendingOperation,
  RefreshTarget,
} from '../../events/changeTargets';
import { sleep } from '../requests/RequestBudget';
import type { AssignmentRecord, IdcGroup, IdcUser } from '../../snapshot/model';
import type { SourceContext } from '../ports';
import type { AwsRequests } from './AwsRequests';
import type { AccountRead, PermissionSetRead } from './readDefinitionTargets';
import {
  readAccountTarget,
  readPermissionSetTarget,
} from './readDefinitionTargets';
import { toIdcUser } from './readIdentityStore';
import { readAssignments } from './readPermissionSets';

/*
 * The targeted reads behind change events: what AWS holds now for one account × permission set pair (one paged
 * ListAccountAssignments), one group (DescribeGroup + its memberships), one user (DescribeUser + the user's
 * memberships), one permission set or one account (readDefinitionTargets). A thing that no longer exists reads
 * as gone (ResourceNotFoundException is an answer here). An assignment or provisioning its event reports in
 * progress is awaited first (Describe…Status): read before it ends, the pair would settle as it was.
 */

/** How long a refresh waits for operations in progress; after that it fails and its events come back later. */
export const PENDING_OPERATIONS_WAIT_MS = 30_000;
const PENDING_POLL_MS = 1_000;

async function operationStatus(
  aws: AwsRequests,
  ctx: SourceContext,
  instanceArn: string,
  { operation, requestId }: PendingOperation,
): Promise<string | undefined> {
  // An unknown request, or a role without the Describe…Status permissions (older policies): read it now.
  const tolerate = (error: any) =>
    error?.name === 'ResourceNotFoundException' ||
    error?.name === 'AccessDeniedException'
      ? ({} as any)
      : undefined;
  if (operation === 'create-assignment')
    return (
      await aws.send<any>(
        'ssoAdmin',
        ctx,
        new DescribeAccountAssignmentCreationStatusCommand({
          InstanceArn: instanceArn,
          AccountAssignmentCreationRequestId: requestId,
        }),
        tolerate,
      )
    ).AccountAssignmentCreationStatus?.Status;
  if (operation === 'delete-assignment')
    return (
      await aws.send<any>(
        'ssoAdmin',
        ctx,
        new DescribeAccountAssignmentDeletionStatusCommand({
          InstanceArn: instanceArn,
          AccountAssignmentDeletionRequestId: requestId,
        }),
        tolerate,
      )
    ).AccountAssignmentDeletionStatus?.Status;
  return (
    await aws.send<any>(
      'ssoAdmin',
      ctx,
      new DescribePermissionSetProvisioningStatusCommand({
        InstanceArn: instanceArn,
        ProvisionPermissionSetRequestId: requestId,
      }),
      tolerate,
    )
  ).PermissionSetProvisioningStatus?.Status;
}

/** Waits until none of the operations is IN_PROGRESS (an unknown request counts as ended). */
async function awaitOperations(
  aws: AwsRequests,
  ctx: SourceContext,
  instanceArn: string,
  pending: readonly PendingOperation[],
  waitMs = PENDING_OPERATIONS_WAIT_MS,
): Promise<void> {
  const until = Date.now() + waitMs;
  let open = [...pending];
  while (open.length > 0) {
    const statuses = await Promise.all(
      open.map(op => operationStatus(aws, ctx, instanceArn, op)),
    );
    open = open.filter((_, i) => statuses[i] === 'IN_PROGRESS');
    if (open.length === 0) return;
    if (Date.now() + PENDING_POLL_MS > until)
      throw new Error(
        `AWS still reports ${open
          .map(op => `${op.operation} ${op.requestId}`)
          .join(', ')} IN_PROGRESS; the events come back and are read again`,
      );
    await sleep(PENDING_POLL_MS, ctx.signal);
  }
}

/** What one target read found. */
export type TargetRead =
  | {
      kind: 'assignments';
      accountId: string;
      permissionSetArn: string;
      assignments: AssignmentRecord[];
    }
  | { kind: 'group'; groupId: string; group?: IdcGroup }
  | { kind: 'user'; userId: string; user?: IdcUser; groupIds: string[] }
  | PermissionSetRead
  | AccountRead;

const gone = (error: any) =>
  error?.name === 'ResourceNotFoundException' ? ({} as any) : undefined;

export async function readChangeTarget(
  aws: AwsRequests,
  ctx: SourceContext,
  ids: { instanceArn: string; identityStoreId: string },
  target: RefreshTarget,
): Promise<TargetRead> {
  const IdentityStoreId = ids.identityStoreId;
  if (
    (target.kind === 'assignments' || target.kind === 'permission-set') &&
    target.pending?.length
  )
    await awaitOperations(aws, ctx, ids.instanceArn, target.pending);
  switch (target.kind) {
    case 'assignments':
      return {
        ...target,
        assignments: await readAssignments(aws, ctx, ids.instanceArn, target),
      };
    case 'group': {
      const described = await aws.send<Partial<DescribeGroupCommandOutput>>(
        'identityStore',
        ctx,
        new DescribeGroupCommand({ IdentityStoreId, GroupId: target.groupId }),
        gone,
      );
      if (!described.GroupId) return { kind: 'group', groupId: target.groupId };
      const members = await aws.list(
        'identityStore',
        ctx,
        token =>
          new ListGroupMembershipsCommand({
            IdentityStoreId,
            GroupId: target.groupId,
            NextToken: token,
            MaxResults: 100,
          }),
        (out: ListGroupMembershipsCommandOutput) =>
          (out.GroupMemberships ?? [])
            .map(m => m.MemberId?.UserId)
            .filter((id): id is string => Boolean(id)),
      );
      const group = described as Group;
      return {
        kind: 'group',
        groupId: target.groupId,
        group: {
          id: target.groupId,
          displayName: group.DisplayName ?? target.groupId,
          externalId: group.ExternalIds?.[0]?.Id,
          memberUserIds: members,
        },
      };
    }
    case 'user': {
      const described = await aws.send<Partial<DescribeUserCommandOutput>>(
        'identityStore',
        ctx,
        new DescribeUserCommand({ IdentityStoreId, UserId: target.userId }),
        gone,
      );
      if (!described.UserId)
        return { kind: 'user', userId: target.userId, groupIds: [] };
      const groupIds = await aws.list(
        'identityStore',
        ctx,
        token =>
          new ListGroupMembershipsForMemberCommand({
            IdentityStoreId,
            MemberId: { UserId: target.userId },
            NextToken: token,
            MaxResults: 100,
          }),
        (out: ListGroupMembershipsForMemberCommandOutput) =>
          (out.GroupMemberships ?? []).map(m => m.GroupId!),
      );
      return {
        kind: 'user',
        userId: target.userId,
        user: toIdcUser(described as User),
        groupIds,
      };
    }
    case 'permission-set':
      return readPermissionSetTarget(
        aws,
        ctx,
        ids.instanceArn,
        target.permissionSetArn,
      );
    default:
      return readAccountTarget(aws, ctx, target.accountId);
  }
}
