import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { STSClient } from '@aws-sdk/client-sts';
import { ClientSecretCredential } from '@azure/identity';
import { Client } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import { SEED_SCENARIO } from '@aws-access/test-utils';
import type { Emulators, StartEmulatorsOptions } from '../startEmulators';
import { startEmulators } from '../startEmulators';

export { SEED_SCENARIO };

export function startSeed(
  options: Partial<StartEmulatorsOptions> = {},
): Promise<Emulators> {
  return startEmulators({
    scenario: SEED_SCENARIO,
    awsPort: 0,
    graphPort: 0,
    autoScim: false,
    ...options,
  });
}

/** The real AWS SDK clients pointed at the emulator (static credentials; signatures are not checked). */
export function awsClients(
  emulators: Emulators,
  options: {
    maxAttempts?: number;
    credentials?: {
      accessKeyId: string;
      secretAccessKey: string;
      sessionToken?: string;
    };
  } = {},
) {
  const config = {
    region: 'us-east-1',
    endpoint: emulators.awsEndpoint,
    credentials: options.credentials ?? {
      accessKeyId: 'AKIAEMULATOR',
      secretAccessKey: 'emulator-secret',
    },
    maxAttempts: options.maxAttempts ?? 3,
  };
  return {
    ssoAdmin: new SSOAdminClient(config),
    identityStore: new IdentitystoreClient(config),
    organizations: new OrganizationsClient(config),
    sts: new STSClient(config),
  };
}

/** The Graph JS client with ClientSecretCredential against the emulated login endpoint. */
export function graphClient(
  emulators: Emulators,
  registration = emulators.scenario.entra.appRegistrations[0],
) {
  const credential = new ClientSecretCredential(
    emulators.scenario.entra.tenantId,
    registration.clientId,
    registration.clientSecret!,
    {
      authorityHost: emulators.graphBaseUrl,
      disableInstanceDiscovery: true,
    },
  );
  const client = Client.initWithMiddleware({
    authProvider: new TokenCredentialAuthenticationProvider(credential, {
      scopes: ['https://graph.microsoft.com/.default'],
    }),
    baseUrl: emulators.graphBaseUrl,
    customHosts: new Set([emulators.graphHost.split(':')[0]]),
  });
  return { client, credential };
}

/** Collects every item of a paginated AWS SDK call. */
export async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

/** Polls until `check` returns a value (for async operations); fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}
