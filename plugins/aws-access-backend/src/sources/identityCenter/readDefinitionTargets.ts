import type {
  DescribeAccountCommandOutput,
  DescribeOrganizationalUnitCommandOutput,
  ListParentsCommandOutput,
} from '@aws-sdk/client-organizations';
import {
  DescribeAccountCommand,
  DescribeOrganizationalUnitCommand,
  ListParentsCommand,
} from '@aws-sdk/client-organizations';
import type { DescribePermissionSetCommandOutput } from '@aws-sdk/client-sso-admin';
import { DescribePermissionSetCommand } from '@aws-sdk/client-sso-admin';
import type { AccountRecord, PermissionSetRecord } from '../../snapshot/model';
import type { SourceContext } from '../ports';
import type { AwsRequests } from './AwsRequests';
import { readAccountTags } from './readOrganization';
import {
  provisionedAccounts,
  readPermissionSetDetails,
} from './readPermissionSets';

/*
 * The targeted reads of the rarer change events: one permission set's definition and where it is provisioned
 * (its definition read is the full read's: describe, policies, boundary, tags), and one account as Organizations
 * describes it (name, status, OU path walked up with ListParents, tags). A thing that no longer exists reads as
 * gone.
 */

export interface PermissionSetRead {
  kind: 'permission-set';
  permissionSetArn: string;
  /** Absent when the permission set was deleted. */
  record?: PermissionSetRecord;
  /** Accounts it is provisioned to, and those where its latest version failed to provision. */
  accountIds: string[];
  failedAccountIds: string[];
}

export interface AccountRead {
  kind: 'account';
  accountId: string;
  /** Absent when the account left the organization. Its firstSeenAt is the snapshot's to keep. */
  account?: Omit<AccountRecord, 'firstSeenAt'>;
}

const gone =
  (...names: string[]) =>
  (error: any) =>
    names.includes(error?.name) ? ({} as any) : undefined;

export async function readPermissionSetTarget(
  aws: AwsRequests,
  ctx: SourceContext,
  instanceArn: string,
  permissionSetArn: string,
): Promise<PermissionSetRead> {
  const described = await aws.send<Partial<DescribePermissionSetCommandOutput>>(
    'ssoAdmin',
    ctx,
    new DescribePermissionSetCommand({
      InstanceArn: instanceArn,
      PermissionSetArn: permissionSetArn,
    }),
    gone('ResourceNotFoundException'),
  );
  const none = { accountIds: [], failedAccountIds: [] };
  if (!described.PermissionSet)
    return { kind: 'permission-set', permissionSetArn, ...none };
  const [record, accountIds, failedAccountIds] = await Promise.all([
    readPermissionSetDetails(
      aws,
      { ...ctx, now: new Date() },
      instanceArn,
      permissionSetArn,
    ),
    provisionedAccounts(aws, ctx, instanceArn, permissionSetArn),
    provisionedAccounts(
      aws,
      ctx,
      instanceArn,
      permissionSetArn,
      'LATEST_PERMISSION_SET_NOT_PROVISIONED',
    ),
  ]);
  return {
    kind: 'permission-set',
    permissionSetArn,
    record,
    accountIds,
    failedAccountIds,
  };
}

/** `Workloads/Prod`: the names of the OUs above the account, walked up to the root. */
async function ouPathUp(
  aws: AwsRequests,
  ctx: SourceContext,
  accountId: string,
): Promise<string> {
  const names: string[] = [];
  let child = accountId;
  // An organization has at most five levels of OUs below the root.
  for (let level = 0; level < 6; level++) {
    const { Parents } = await aws.send<ListParentsCommandOutput>(
      'organizations',
      ctx,
      new ListParentsCommand({ ChildId: child }),
    );
    const parent = Parents?.[0];
    if (parent?.Type !== 'ORGANIZATIONAL_UNIT' || !parent.Id) break;
    const { OrganizationalUnit } =
      await aws.send<DescribeOrganizationalUnitCommandOutput>(
        'organizations',
        ctx,
        new DescribeOrganizationalUnitCommand({
          OrganizationalUnitId: parent.Id,
        }),
      );
    names.unshift(OrganizationalUnit?.Name ?? parent.Id);
    child = parent.Id;
  }
  return names.length > 0 ? names.join('/') : 'Root';
}

export async function readAccountTarget(
  aws: AwsRequests,
  ctx: SourceContext,
  accountId: string,
): Promise<AccountRead> {
  const { Account: account } = await aws.send<
    Partial<DescribeAccountCommandOutput>
  >(
    'organizations',
    ctx,
    new DescribeAccountCommand({ AccountId: accountId }),
    gone('AccountNotFoundException'),
  );
  if (!account) return { kind: 'account', accountId };
  const [ouPath, tags] = await Promise.all([
    ouPathUp(aws, ctx, accountId),
    readAccountTags(aws, ctx, accountId),
  ]);
  return {
    kind: 'account',
    accountId,
    account: {
      id: accountId,
      name: account.Name ?? accountId,
      email: account.Email ?? '',
      arn: account.Arn ?? '',
      status: (account.State as string) ?? account.Status ?? 'ACTIVE',
      ouPath,
      tags,
      tagsReadAt: new Date().toISOString(),
    },
  };
}
