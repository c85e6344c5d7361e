import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { Config } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** The AWS SDK clients one sync uses; every request goes through our own retry and rate limiting. */
export interface AwsClients {
  ssoAdmin: SSOAdminClient;
  identityStore: IdentitystoreClient;
  organizations: OrganizationsClient;
}

export interface AwsClientOptions {
  region: string;
  endpoint?: string;
  credentials: AwsCredentialIdentityProvider;
  requestTimeoutMs: number;
}

export function createAwsClients(options: AwsClientOptions): AwsClients {
  const common = {
    credentials: options.credentials,
    // Retries (with Retry-After and the run's deadline) and the shared rate budget are ours.
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({
      requestTimeout: options.requestTimeoutMs,
      // Newer handlers only warn on a timeout unless told to fail: a hung call must fail (and be retried).
      throwOnRequestTimeout: true,
      connectionTimeout: Math.min(options.requestTimeoutMs, 10_000),
    }),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  };
  return {
    ssoAdmin: new SSOAdminClient({ ...common, region: options.region }),
    identityStore: new IdentitystoreClient({
      ...common,
      region: options.region,
    }),
    // Organizations is a global service signed for us-east-1 (aws partition).
    organizations: new OrganizationsClient({
      ...common,
      region: options.endpoint ? options.region : 'us-east-1',
    }),
  };
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
  endpoint?: string;
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
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    },
  });
}
