import type { Config } from '@backstage/config';
import type { AwsAccessConfig } from '../../config/readAwsAccessConfig';
import type { RequestBudget } from '../requests/RequestBudget';
import {
  createAwsClients,
  resolveAwsCredentials,
} from './awsClients';
import { AssignmentWriter } from './AssignmentWriter';

/**
 * The writer with the separate write credentials (`awsAccess.write`), or undefined when onboarding is not
 * configured: the sync itself never holds write permissions.
 */
export async function createAssignmentWriter(options: {
  rootConfig: Config;
  config: AwsAccessConfig;
  budget: RequestBudget;
  pollIntervalMs?: number;
}): Promise<AssignmentWriter | undefined> {
  const { write, identityCenter: ic } = options.config;
  if (!write) return undefined;
  const credentials = await resolveAwsCredentials({
    config: options.rootConfig,
    region: ic.region,
    accountId: write.accountId,
    roleArn: write.roleArn,
    externalId: write.externalId,
    endpoint: ic.endpoint,
  });
  const clients = createAwsClients({
    region: ic.region,
    endpoint: ic.endpoint,
    credentials,
    requestTimeoutMs: ic.requestTimeoutMs,
  });
  return AssignmentWriter.create({
    ssoAdmin: clients.ssoAdmin,
    organizations: clients.organizations,
    budget: options.budget,
    maxOutstanding: write.maxOutstanding,
    pollIntervalMs: options.pollIntervalMs ?? write.pollIntervalMs,
  });
}
