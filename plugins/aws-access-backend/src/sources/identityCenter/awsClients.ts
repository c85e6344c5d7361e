import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { AwsPartition } from '@aws-access/plugin-aws-access-common';
import type { Config } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsEndpoints } from '../../config/identityCenterConfig';

/** The AWS SDK clients one sync uses; every request goes through our own retry and rate limiting. */
export interface AwsClients {
  ssoAdmin: SSOAdminClient;
  identityStore: IdentitystoreClient;
  organizations: OrganizationsClient;
}

export interface AwsClientOptions {
  region: string;
  partition: AwsPartition;
  endpoints: AwsEndpoints;
  credentials: AwsCredentialIdentityProvider;
  requestTimeoutMs: number;
}

/**
 * Organizations answers in one region of each partition (its global endpoint), and requests must be signed for that
 * region, whether they go to the public endpoint or to an override.
 */
export const ORGANIZATIONS_REGION: Record<AwsPartition, string> = {
  aws: 'us-east-1',
  'aws-us-gov': 'us-gov-west-1',
  'aws-cn': 'cn-northwest-1',
};

function commonClientOptions(options: AwsClientOptions) {
  return {
    credentials: options.credentials,
    // Retries (with Retry-After and the run's deadline) and the shared rate budget are ours.
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({
      requestTimeout: options.requestTimeoutMs,
      // Newer handlers only warn on a timeout unless told to fail: a hung call must fail (and be retried).
      throwOnRequestTimeout: true,
      connectionTimeout: Math.min(options.requestTimeoutMs, 10_000),
    }),
  };
}

// An explicit endpoint only where one is configured: otherwise the SDK resolves it (AWS_ENDPOINT_URL_<SERVICE>…).
const endpoint = (url?: string) => (url ? { endpoint: url } : {});

export function createAwsClients(options: AwsClientOptions): AwsClients {
  const { endpoints } = options;
  const common = commonClientOptions(options);
  return {
    ssoAdmin: new SSOAdminClient({
      ...common,
      ...endpoint(endpoints.ssoAdmin),
      region: options.region,
    }),
    identityStore: new IdentitystoreClient({
      ...common,
      ...endpoint(endpoints.identityStore),
      region: options.region,
    }),
    organizations: new OrganizationsClient({
      ...common,
      ...endpoint(endpoints.organizations),
      region: ORGANIZATIONS_REGION[options.partition],
    }),
  };
}

/**
 * The change events' queue client, in the queue's region. A long poll holds the request for up to 20 s, so the
 * request timeout is at least that plus a margin. Without an endpoint override, the SDK sends each request to
 * the host of its QueueUrl (or to AWS_ENDPOINT_URL_SQS when that is set).
 */
export function createSqsClient(
  options: Omit<AwsClientOptions, 'partition'>,
  queueRegion: string,
): SQSClient {
  return new SQSClient({
    ...commonClientOptions({
      ...options,
      partition: 'aws',
      requestTimeoutMs: Math.max(options.requestTimeoutMs, 30_000),
    }),
    ...endpoint(options.endpoints.sqs),
    region: queueRegion,
  });
}

/**
 * Credentials through @backstage/integration-aws-node: the `aws` integration's credentials for `accountId`, or
 * the main credentials used to assume `roleArn`, or the main credentials themselves.
 */
export async function resolveAwsCredentials(options: {
  config: Config;
  region: string;
  accountId?: string;
  roleArn?: string;
  externalId?: string;
  /** STS's endpoint override; without one the SDK resolves it (AWS_ENDPOINT_URL_STS…). */
  stsEndpoint?: string;
}): Promise<AwsCredentialIdentityProvider> {
  const manager = DefaultAwsCredentialsManager.fromConfig(options.config);
  if (options.accountId) {
    return (
      await manager.getCredentialProvider({ accountId: options.accountId })
    ).sdkCredentialProvider;
  }
  const main = (await manager.getCredentialProvider()).sdkCredentialProvider;
  if (!options.roleArn) return main;
  return fromTemporaryCredentials({
    masterCredentials: main,
    params: {
      RoleArn: options.roleArn,
      RoleSessionName: 'backstage-aws-access',
      ExternalId: options.externalId,
      DurationSeconds: 3600,
    },
    clientConfig: {
      region: options.region,
      ...(options.stsEndpoint ? { endpoint: options.stsEndpoint } : {}),
    },
  });
}
