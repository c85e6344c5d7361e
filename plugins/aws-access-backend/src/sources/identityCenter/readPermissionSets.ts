import type {
  AccountAssignment,
  DescribePermissionSetCommandOutput,
  GetInlinePolicyForPermissionSetCommandOutput,
  GetPermissionsBoundaryForPermissionSetCommandOutput,
  ListAccountAssignmentsCommandOutput,
  ListAccountsForProvisionedPermissionSetCommandOutput,
  ListCustomerManagedPolicyReferencesInPermissionSetCommandOutput,
  ListManagedPoliciesInPermissionSetCommandOutput,
  ListPermissionSetsCommandOutput,
  ListTagsForResourceCommandOutput,
} from '@aws-sdk/client-sso-admin';
import {
  DescribePermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  GetPermissionsBoundaryForPermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListAccountsForProvisionedPermissionSetCommand,
  ListCustomerManagedPolicyReferencesInPermissionSetCommand,
  ListManagedPoliciesInPermissionSetCommand,
  ListPermissionSetsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-sso-admin';
import type {
  AccountPermissionSet,
  AssignmentRecord,
  AwsSide,
  PermissionSetRecord,
} from '../../snapshot/model';
import type { ReadContext, SourceContext } from '../ports';
import { mapWithConcurrency } from '../requests/RequestBudget';
import { SourceError } from '../requests/SourceError';
import type { AwsRequests } from './AwsRequests';
import type { PreviousRecords } from './PreviousRecords';

export interface PermissionSetReadOptions {
  /** Definitions are reused from the previous snapshot until they are older than this. */
  detailsRefreshMs: number;
  concurrency: number;
}

/**
 * Every permission set with its definition, the accounts it is provisioned to (and where provisioning of its
 * latest version failed), and the assignments of every provisioned (account, permission set) pair.
 */
export async function readPermissionSets(
  aws: AwsRequests,
  ctx: ReadContext,
  instanceArn: string,
  previous: AwsSide | undefined,
  options: PermissionSetReadOptions,
  previousRecords: PreviousRecords,
) {
  const arns = await aws.list(
    'ssoAdmin',
    ctx,
    token =>
      new ListPermissionSetsCommand({
        InstanceArn: instanceArn,
        NextToken: token,
        MaxResults: 100,
      }),
    (out: ListPermissionSetsCommandOutput) => out.PermissionSets,
  );
  const previousByArn = new Map(
    (previous?.permissionSets ?? []).map(ps => [ps.arn, ps]),
  );
  const refreshBefore = ctx.now.getTime() - options.detailsRefreshMs;
  const perPermissionSet = await mapWithConcurrency(
    arns,
    options.concurrency,
    async arn => {
      const prior = previousByArn.get(arn);
      const record =
        prior && Date.parse(prior.detailsReadAt) > refreshBefore
          ? prior
          : await readPermissionSetDetails(aws, ctx, instanceArn, arn);
      const accountIds = await provisionedAccounts(aws, ctx, instanceArn, arn);
      const failed = await provisionedAccounts(
        aws,
        ctx,
        instanceArn,
        arn,
        'LATEST_PERMISSION_SET_NOT_PROVISIONED',
      );
      return { record, accountIds, failed };
    },
  );
  const pairs = perPermissionSet.flatMap(({ record, accountIds }) =>
    accountIds.map(accountId => ({ accountId, permissionSetArn: record.arn })),
  );
  const assignments = await mapWithConcurrency(
    pairs,
    options.concurrency,
    async pair =>
      previousRecords.assignmentsOfPair(
        await readAssignments(aws, ctx, instanceArn, pair),
      ),
  );
  return {
    records: perPermissionSet.map(p => p.record),
    pairs,
    failures: perPermissionSet.flatMap(({ record, failed }) =>
      failed.map(accountId => ({ accountId, permissionSetArn: record.arn })),
    ),
    assignments: assignments.flat(),
  };
}

export function provisionedAccounts(
  aws: AwsRequests,
  ctx: SourceContext,
  instanceArn: string,
  arn: string,
  status?: 'LATEST_PERMISSION_SET_NOT_PROVISIONED',
) {
  return aws.list(
    'ssoAdmin',
    ctx,
    token =>
      new ListAccountsForProvisionedPermissionSetCommand({
        InstanceArn: instanceArn,
        PermissionSetArn: arn,
        ...(status ? { ProvisioningStatus: status } : {}),
        NextToken: token,
        MaxResults: 100,
      }),
    (out: ListAccountsForProvisionedPermissionSetCommandOutput) =>
      out.AccountIds,
  );
}

/**
 * Account assignments as AWS lists them (for a pair or for a principal), with what the request already names
 * filling in what the answer leaves out.
 */
export function toAssignmentRecords(
  assignments: AccountAssignment[] | undefined,
  known: Partial<AssignmentRecord>,
): AssignmentRecord[] {
  return (assignments ?? []).map(a => ({
    accountId: sameOrAnswered(known.accountId, a.AccountId),
    permissionSetArn: sameOrAnswered(
      known.permissionSetArn,
      a.PermissionSetArn,
    ),
    principalType: sameOrAnswered(known.principalType, a.PrincipalType) as
      | 'USER'
      | 'GROUP',
    principalId: sameOrAnswered(known.principalId, a.PrincipalId),
  }));
}

/**
 * The request's string when the answer repeats it (or leaves it out), else the answer's: each answer carries its
 * own copy of an equal value, and a pair's account and ARN are then held once, not once per assignment.
 */
function sameOrAnswered(
  known: string | undefined,
  answered: string | undefined,
): string {
  return answered === undefined || answered === known ? known! : answered;
}

/** Who is assigned a permission set on an account: one paged ListAccountAssignments. */
export function readAssignments(
  aws: AwsRequests,
  ctx: SourceContext,
  instanceArn: string,
  pair: AccountPermissionSet,
): Promise<AssignmentRecord[]> {
  return aws.list(
    'ssoAdmin',
    ctx,
    token =>
      new ListAccountAssignmentsCommand({
        InstanceArn: instanceArn,
        AccountId: pair.accountId,
        PermissionSetArn: pair.permissionSetArn,
        NextToken: token,
        MaxResults: 100,
      }),
    (out: ListAccountAssignmentsCommandOutput) =>
      toAssignmentRecords(out.AccountAssignments, pair),
  );
}

/** The six reads of one permission set's definition, in parallel. */
function readDefinition(
  aws: AwsRequests,
  ctx: SourceContext,
  instanceArn: string,
  arn: string,
) {
  const input = { InstanceArn: instanceArn, PermissionSetArn: arn };
  const page = { ...input, MaxResults: 100 };
  return Promise.all([
    aws.send<DescribePermissionSetCommandOutput>(
      'ssoAdmin',
      ctx,
      new DescribePermissionSetCommand(input),
    ),
    aws.list(
      'ssoAdmin',
      ctx,
      token =>
        new ListManagedPoliciesInPermissionSetCommand({
          ...page,
          NextToken: token,
        }),
      (out: ListManagedPoliciesInPermissionSetCommandOutput) =>
        out.AttachedManagedPolicies ?? [],
    ),
    aws.list(
      'ssoAdmin',
      ctx,
      token =>
        new ListCustomerManagedPolicyReferencesInPermissionSetCommand({
          ...page,
          NextToken: token,
        }),
      (out: ListCustomerManagedPolicyReferencesInPermissionSetCommandOutput) =>
        out.CustomerManagedPolicyReferences ?? [],
    ),
    aws.send<GetInlinePolicyForPermissionSetCommandOutput>(
      'ssoAdmin',
      ctx,
      new GetInlinePolicyForPermissionSetCommand(input),
    ),
    // No boundary is a ResourceNotFoundException in real AWS: that is an answer, not a failure.
    aws.send<Partial<GetPermissionsBoundaryForPermissionSetCommandOutput>>(
      'ssoAdmin',
      ctx,
      new GetPermissionsBoundaryForPermissionSetCommand(input),
      error =>
        error?.name === 'ResourceNotFoundException'
          ? { PermissionsBoundary: undefined }
          : undefined,
    ),
    aws.list(
      'ssoAdmin',
      ctx,
      token =>
        new ListTagsForResourceCommand({
          InstanceArn: instanceArn,
          ResourceArn: arn,
          NextToken: token,
        }),
      (out: ListTagsForResourceCommandOutput) => out.Tags ?? [],
    ),
  ]);
}

/** One permission set's definition: description, policies, boundary and tags. */
export async function readPermissionSetDetails(
  aws: AwsRequests,
  ctx: ReadContext,
  instanceArn: string,
  arn: string,
): Promise<PermissionSetRecord> {
  const [described, managed, customer, inline, boundary, tags] =
    await readDefinition(aws, ctx, instanceArn, arn);
  const ps = described.PermissionSet;
  if (!ps?.Name) {
    throw new SourceError({
      source: 'sso-admin',
      errorClass: 'malformed-response',
      message: `DescribePermissionSet ${arn} returned no name`,
    });
  }
  const cmp = boundary.PermissionsBoundary?.CustomerManagedPolicyReference;
  return {
    arn,
    name: ps.Name,
    description: ps.Description,
    sessionDuration: ps.SessionDuration ?? 'PT1H',
    relayState: ps.RelayState,
    managedPolicies: managed.map(p => ({
      name: p.Name ?? p.Arn ?? '',
      arn: p.Arn ?? '',
    })),
    customerManagedPolicies: customer.map(p => ({
      name: p.Name!,
      path: p.Path ?? '/',
    })),
    inlinePolicy: inline.InlinePolicy || undefined,
    permissionsBoundary: boundary.PermissionsBoundary
      ? {
          managedPolicyArn: boundary.PermissionsBoundary.ManagedPolicyArn,
          customerManagedPolicy: cmp
            ? { name: cmp.Name!, path: cmp.Path ?? '/' }
            : undefined,
        }
      : undefined,
    tags: Object.fromEntries(tags.map(t => [t.Key!, t.Value ?? ''])),
    detailsReadAt: ctx.now.toISOString(),
  };
}
