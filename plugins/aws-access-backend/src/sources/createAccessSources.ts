import type { Config } from '@backstage/config';
import type { AwsAccessConfig } from '../config/readAwsAccessConfig';
import type { SnapshotSources } from '../sync/SyncService';
import { RequestBudget } from './requests/RequestBudget';
import { IdentityCenterReader } from './identityCenter/IdentityCenterReader';
import { createAwsClients, resolveAwsCredentials } from './identityCenter/awsClients';
import { EntraProvisioner } from './entra/EntraProvisioner';
import { EntraReader } from './entra/EntraReader';
import { createGraphClient, createTokenCredential } from './entra/graphClient';

/** The readers the sync and targeted refreshes use, with their shared request budgets. */
export interface Readers extends SnapshotSources {
  entra: EntraReader;
  identityCenter: IdentityCenterReader;
  provisioner: EntraProvisioner;
  /** Shared by every sso-admin and identitystore call, writes included. */
  identityCenterBudget: RequestBudget;
}

/** Builds the Entra and Identity Center readers from validated config (real clouds or emulators alike). */
export async function createSnapshotSources(options: {
  rootConfig: Config;
  config: AwsAccessConfig;
}): Promise<Readers> {
  const { identityCenter: ic, entra } = options.config;
  const credentials = await resolveAwsCredentials({
    config: options.rootConfig,
    region: ic.region,
    accountId: ic.accountId,
    roleArn: ic.roleArn,
    externalId: ic.externalId,
    endpoint: ic.endpoint,
  });
  const identityCenterBudget = new RequestBudget({
    perSecond: ic.requestsPerSecond,
  });
  const identityCenter = IdentityCenterReader.create({
    clients: createAwsClients({
      region: ic.region,
      endpoint: ic.endpoint,
      credentials,
      requestTimeoutMs: ic.requestTimeoutMs,
    }),
    region: ic.region,
    instanceArn: ic.instanceArn,
    identityStoreId: ic.identityStoreId,
    accessPortalUrl: ic.accessPortalUrl,
    identityCenterBudget,
    organizationsBudget: new RequestBudget({
      perSecond: ic.organizationsRequestsPerSecond,
    }),
    detailsRefreshMs: ic.detailsRefreshMs,
    retry: options.config.retry,
  });
  const graph = createGraphClient({
    credential: createTokenCredential(entra),
    graphBaseUrl: entra.graphBaseUrl,
    requestTimeoutMs: ic.requestTimeoutMs,
  });
  const graphBudget = new RequestBudget({ perSecond: entra.requestsPerSecond });
  const entraReader = EntraReader.create({
    client: graph,
    budget: graphBudget,
    tenantId: entra.tenantId,
    appId: entra.awsAppId,
    auditLookbackMs: entra.auditLookbackMs,
    retry: options.config.retry,
  });
  return {
    entra: entraReader,
    identityCenter,
    provisioner: EntraProvisioner.create({
      client: graph,
      budget: graphBudget,
      retry: options.config.retry,
    }),
    identityCenterBudget,
    readEntra: (ctx, previous) =>
      entraReader.read(
        ctx,
        previous
          ? { entra: previous.entra, delta: previous.graphDelta }
          : undefined,
      ),
    readAws: (ctx, previous) => identityCenter.read(ctx, previous),
  };
}
