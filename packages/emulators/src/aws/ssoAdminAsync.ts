import type { AccountAssignment, AsyncOperation } from '../state/SsoAdminState';
import type { World } from '../state/World';
import type { AwsContext, AwsHandler } from './context';
import { compact, epoch } from './context';
import { AwsError, throttlingError } from './errors';
import { listing, operation, pagingMembers } from './operation';
import {
  accountIdMember,
  checkInstance,
  permissionSetArnMember,
  principalIdMember,
  requireInstance,
  requirePermissionSet,
} from './ssoAdmin';
import type { Validator } from './validate';
import { PATTERNS } from './validate';

/*
 * SSO Admin's asynchronous writes: account assignment create/delete and permission set provisioning answer
 * IN_PROGRESS and complete after the configured delay (emulator clock); their status is polled with Describe….
 */

function operationStatus(op: AsyncOperation) {
  const a = op.assignment!;
  return compact({
    Status: op.status,
    RequestId: op.requestId,
    FailureReason: op.failureReason,
    TargetId: a.accountId,
    TargetType: 'AWS_ACCOUNT',
    PermissionSetArn: a.permissionSetArn,
    PrincipalType: a.principalType,
    PrincipalId: a.principalId,
    CreatedDate: epoch(op.createdMs),
  });
}

function provisioningStatus(op: AsyncOperation) {
  return compact({
    Status: op.status,
    RequestId: op.requestId,
    AccountId: op.accountId,
    PermissionSetArn: op.permissionSetArn,
    FailureReason: op.failureReason,
    CreatedDate: epoch(op.createdMs),
  });
}

/** The members of CreateAccountAssignment and DeleteAccountAssignment. */
function readAssignment(v: Validator) {
  const instanceArn = checkInstance(v);
  const accountId = accountIdMember(v, 'TargetId');
  v.string('TargetType', { required: true, enum: ['AWS_ACCOUNT'] });
  const arn = permissionSetArnMember(v);
  const principalType = v.string('PrincipalType', {
    required: true,
    enum: ['USER', 'GROUP'],
  });
  const principalId = principalIdMember(v);
  return {
    instanceArn,
    assignment: {
      accountId: accountId!,
      permissionSetArn: arn!,
      principalType: principalType as 'USER' | 'GROUP',
      principalId: principalId!,
    },
  };
}

/** The assignment an operation names, after its instance and permission set. */
function assignmentOf(
  ctx: AwsContext,
  input: ReturnType<typeof readAssignment>,
): AccountAssignment {
  requireInstance(ctx, input.instanceArn);
  requirePermissionSet(ctx, input.assignment.permissionSetArn);
  return input.assignment;
}

/** Cap on outstanding asynchronous writes (documented: 10), then ThrottlingException. */
function checkOutstanding(ctx: AwsContext) {
  const { ssoAdmin } = ctx.world;
  if (
    ssoAdmin.outstandingOperations() >=
    ctx.world.settings.maxOutstandingAssignments
  ) {
    throw throttlingError('sso-admin', 1);
  }
}

/** The FailureReason an `async-failure` fault gives, in the `Received a … status error:` form of AWS's reasons. */
const INJECTED_FAILURE =
  'Received a 500 status error: Request failed due to an internal error. Retry the request.';

function accountFailure(world: World, accountId: string): string | undefined {
  const account = world.organization.accounts.get(accountId);
  if (!account)
    return `Received a 404 status error: Account ${accountId} is not a member of the organization ${world.organization.id}.`;
  if (account.status !== 'ACTIVE')
    return `Received a 400 status error: Account ${accountId} is ${account.status}.`;
  return undefined;
}

/** A create or delete: the assignment, once no other write on it is outstanding (10 at most in all). */
function assignmentWrite(
  answer: (
    assignment: AccountAssignment,
    ctx: AwsContext,
  ) => Record<string, unknown>,
): AwsHandler {
  return operation(readAssignment, (input, ctx) => {
    const assignment = assignmentOf(ctx, input);
    checkOutstanding(ctx);
    if (ctx.world.ssoAdmin.conflictingOperation(assignment)) {
      throw new AwsError(
        'ConflictException',
        'An account assignment operation for this principal, permission set and account is already in progress. Retry after it completes.',
      );
    }
    return answer(assignment, ctx);
  });
}

const createAssignment = assignmentWrite((assignment, ctx) => {
  const { world } = ctx;
  const now = world.clock.nowMs();
  const op = world.ssoAdmin.startOperation({
    kind: 'create',
    createdMs: now,
    completeAtMs: now + world.settings.assignmentDelayMs,
    assignment,
    outcome: () => {
      if (ctx.asyncFailure) return INJECTED_FAILURE;
      const principalExists =
        assignment.principalType === 'USER'
          ? world.identityStore.users.has(assignment.principalId)
          : world.identityStore.groups.has(assignment.principalId);
      if (!principalExists) {
        return `Received a 404 status error: The ${
          assignment.principalType === 'USER' ? 'user' : 'group'
        } ${assignment.principalId} does not exist in identity store ${
          world.identityStore.identityStoreId
        }.`;
      }
      return accountFailure(world, assignment.accountId);
    },
    onSuccess: () => {
      world.ssoAdmin.addAssignment(assignment);
      // Creating an assignment provisions the permission set to the account.
      world.ssoAdmin.setProvisioned(
        assignment.accountId,
        assignment.permissionSetArn,
        'PROVISIONED',
      );
    },
  });
  return { AccountAssignmentCreationStatus: operationStatus(op) };
});

const deleteAssignment = assignmentWrite((assignment, ctx) => {
  const { world } = ctx;
  if (!world.ssoAdmin.hasAssignment(assignment)) {
    throw new AwsError(
      'ResourceNotFoundException',
      `Could not find AccountAssignment for principal ${
        assignment.principalId
      } with permission set ${assignment.permissionSetArn
        .split('/')
        .pop()} on account ${assignment.accountId}`,
    );
  }
  const now = world.clock.nowMs();
  const op = world.ssoAdmin.startOperation({
    kind: 'delete',
    createdMs: now,
    completeAtMs: now + world.settings.assignmentDelayMs,
    assignment,
    // Deletes fail asynchronously too (an `async-failure` fault): the assignment stays.
    outcome: () => (ctx.asyncFailure ? INJECTED_FAILURE : undefined),
    onSuccess: () => {
      world.ssoAdmin.removeAssignment(assignment);
    },
  });
  return { AccountAssignmentDeletionStatus: operationStatus(op) };
});

/** An operation's request id member, after the instance. */
function readRequestId(member: string) {
  return (v: Validator) => ({
    instanceArn: checkInstance(v),
    requestId: v.string(member, {
      required: true,
      pattern: PATTERNS.requestId,
      min: 36,
      max: 36,
    })!,
  });
}

function describeOperation(kind: 'create' | 'delete'): AwsHandler {
  const member =
    kind === 'create'
      ? 'AccountAssignmentCreationRequestId'
      : 'AccountAssignmentDeletionRequestId';
  return operation(readRequestId(member), ({ instanceArn, requestId }, ctx) => {
    requireInstance(ctx, instanceArn);
    const op = ctx.world.ssoAdmin.operations.get(requestId);
    if (!op || op.kind !== kind) {
      throw new AwsError(
        'ResourceNotFoundException',
        `Could not find the account assignment ${
          kind === 'create' ? 'creation' : 'deletion'
        } request with id ${requestId}`,
      );
    }
    return kind === 'create'
      ? { AccountAssignmentCreationStatus: operationStatus(op) }
      : { AccountAssignmentDeletionStatus: operationStatus(op) };
  });
}

function listOperations(kind: 'create' | 'delete'): AwsHandler {
  return listing({
    read: v => {
      const instanceArn = checkInstance(v);
      const paging = pagingMembers(v);
      const filter = v.object('Filter');
      const status = filter
        ? v.stringAt('Filter.Status', filter.Status, {
            enum: ['IN_PROGRESS', 'FAILED', 'SUCCEEDED'],
          })
        : undefined;
      return { instanceArn, status, ...paging };
    },
    list: ({ instanceArn, status }, ctx) => {
      requireInstance(ctx, instanceArn);
      return {
        items: [...ctx.world.ssoAdmin.operations.values()].filter(
          op => op.kind === kind && (!status || op.status === status),
        ),
        scope: `${kind}|${status ?? ''}`,
      };
    },
    key:
      kind === 'create'
        ? 'AccountAssignmentsCreationStatus'
        : 'AccountAssignmentsDeletionStatus',
    render: op => ({
      Status: op.status,
      RequestId: op.requestId,
      CreatedDate: epoch(op.createdMs),
    }),
    defaultMax: 100,
  });
}

export const ssoAdminAsyncHandlers: Record<string, AwsHandler> = {
  CreateAccountAssignment: createAssignment,
  DeleteAccountAssignment: deleteAssignment,
  DescribeAccountAssignmentCreationStatus: describeOperation('create'),
  DescribeAccountAssignmentDeletionStatus: describeOperation('delete'),
  ListAccountAssignmentCreationStatus: listOperations('create'),
  ListAccountAssignmentDeletionStatus: listOperations('delete'),

  ProvisionPermissionSet: operation(
    v => ({
      instanceArn: checkInstance(v),
      arn: permissionSetArnMember(v)!,
      targetId: accountIdMember(v, 'TargetId', false),
      targetType: v.string('TargetType', {
        required: true,
        enum: ['AWS_ACCOUNT', 'ALL_PROVISIONED_ACCOUNTS'],
      }),
    }),
    ({ instanceArn, arn, targetId, targetType }, ctx) => {
      requireInstance(ctx, instanceArn);
      requirePermissionSet(ctx, arn);
      if (targetType === 'AWS_ACCOUNT' && !targetId) {
        throw new AwsError(
          'ValidationException',
          'TargetId is required when TargetType is AWS_ACCOUNT',
        );
      }
      checkOutstanding(ctx);
      const { world } = ctx;
      const accountIds = targetId
        ? [targetId]
        : [...world.ssoAdmin.provisionedAccounts(arn).keys()];
      const now = world.clock.nowMs();
      const op = world.ssoAdmin.startOperation({
        kind: 'provision',
        createdMs: now,
        completeAtMs: now + world.settings.assignmentDelayMs,
        permissionSetArn: arn,
        accountId: targetId,
        accountIds,
        outcome: () =>
          ctx.asyncFailure
            ? INJECTED_FAILURE
            : accountIds.map(id => accountFailure(world, id)).find(Boolean),
        onSuccess: () =>
          accountIds.forEach(id =>
            world.ssoAdmin.setProvisioned(id, arn, 'PROVISIONED'),
          ),
      });
      return { PermissionSetProvisioningStatus: provisioningStatus(op) };
    },
  ),

  DescribePermissionSetProvisioningStatus: operation(
    readRequestId('ProvisionPermissionSetRequestId'),
    ({ instanceArn, requestId }, ctx) => {
      requireInstance(ctx, instanceArn);
      const op = ctx.world.ssoAdmin.operations.get(requestId);
      if (!op || op.kind !== 'provision') {
        throw new AwsError(
          'ResourceNotFoundException',
          `Could not find the permission set provisioning request with id ${requestId}`,
        );
      }
      return { PermissionSetProvisioningStatus: provisioningStatus(op) };
    },
  ),
};
