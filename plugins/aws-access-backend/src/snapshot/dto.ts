import type { AwsAccount } from '@aws-access/plugin-aws-access-common';
import type { AccountRecord } from './model';

/** An account record as the API serves it. */
export function toAccount(account: AccountRecord): AwsAccount {
  return {
    id: account.id,
    name: account.name,
    email: account.email,
    arn: account.arn,
    status: account.status,
    ouPath: account.ouPath,
    tags: account.tags,
    firstSeenAt: account.firstSeenAt,
  };
}
