import type { Config } from '@backstage/config';
import type { AwsAccessConfig } from '../config/readAwsAccessConfig';
import type { AccessSources } from './ports';
import { RequestBudget } from './requests/RequestBudget';
import { EntraGroupOwners } from './entra/EntraGroupOwners';
import { EntraProvisioner } from './entra/EntraProvisioner';
import { EntraReader } from './entra/EntraReader';
import { GraphMembershipWriter } from './entra/GraphMembershipWriter';
import { GraphRequests } from './entra/GraphRequests';
import { PimMembershipWriter } from './entra/PimMembershipWriter';
import { createGraphClient, createTokenCredential } from './entra/graphClient';
import { IdentityCenterAssignmentWriter } from './identityCenter/AssignmentWriter';
import { AwsRequests } from './identityCenter/AwsRequests';
import { IdentityCenterReader } from './identityCenter/IdentityCenterReader';
import type { AwsClients } from './identityCenter/awsClients';
import {
  createAwsClients,
  createSqsClient,
  resolveAwsCredentials,
} from './identityCenter/awsClients';
import { queueRegion, SqsChangeQueue } from './identityCenter/SqsChangeQueue';

/**
 * Lets tests put something between the sources and the wire (the hardening suite's wire tap); the same
 * sources as in production otherwise.
 */
export interface SourceWiring {
  awsClients?: (clients: AwsClients) => AwsClients;
  graphClient?: (
    client: ReturnType<typeof createGraphClient>,
  ) => ReturnType<typeof createGraphClient>;
}

/** The client options for one set of credentials: the read role, or the separate write role. */
async function awsClientOptionsFor(
  rootConfig: Config,
  config: AwsAccessConfig,
  role: { accountId?: string; roleArn?: string; externalId?: string },
) {
  const { identityCenter: ic } = config;
  return {
    region: ic.region,
    partition: ic.partition,
    endpoints: ic.endpoints,
    credentials: await resolveAwsCredentials({
      config: rootConfig,
      region: ic.region,
      stsEndpoint: ic.endpoints.sts,
      accountId: role.accountId,
      roleArn: role.roleArn,
      externalId: role.externalId,
    }),
    requestTimeoutMs: ic.requestTimeoutMs,
  };
}

/** AWS SDK clients for one set of credentials: the read role, or the separate write role. */
async function awsClientsFor(
  rootConfig: Config,
  config: AwsAccessConfig,
  role: { accountId?: string; roleArn?: string; externalId?: string },
): Promise<AwsClients> {
  return createAwsClients(await awsClientOptionsFor(rootConfig, config, role));
}

/** The change events' queue, read with the credentials of the Identity Center reads. */
async function changeEventQueue(
  rootConfig: Config,
  config: AwsAccessConfig,
): Promise<SqsChangeQueue | undefined> {
  const { identityCenter: ic } = config;
  if (!ic.events) return undefined;
  return new SqsChangeQueue({
    client: createSqsClient(
      await awsClientOptionsFor(rootConfig, config, ic),
      queueRegion(ic.events.queueUrl, ic.region),
    ),
    queueUrl: ic.events.queueUrl,
    deadLetterQueueUrl: ic.events.deadLetterQueueUrl,
  });
}

/**
 * Entra as the identity source, provisioner, membership writers and group owners (access requests), through one
 * Graph client and request budget.
 */
function entraSources(
  entra: NonNullable<AwsAccessConfig['entra']>,
  config: AwsAccessConfig,
  wiring: SourceWiring,
): Pick<
  AccessSources,
  'identity' | 'provisioner' | 'membershipWriters' | 'groupOwners'
> {
  const graphClient = createGraphClient({
    credential: createTokenCredential(entra),
    graphBaseUrl: entra.graphBaseUrl,
    graphScope: entra.graphScope,
    requestTimeoutMs: config.identityCenter.requestTimeoutMs,
  });
  const graph = GraphRequests.create({
    client: wiring.graphClient?.(graphClient) ?? graphClient,
    budget: new RequestBudget({ perSecond: entra.requestsPerSecond }),
    retry: config.retry,
  });
  return {
    identity: EntraReader.create({
      graph,
      tenantId: entra.tenantId,
      appId: entra.awsAppId,
      auditLookbackMs: entra.auditLookbackMs,
    }),
    provisioner: EntraProvisioner.create({ graph }),
    // Both modes: a policy may choose its own. They only write when an approved access request asks them to.
    membershipWriters: {
      membership: GraphMembershipWriter.create({
        graph,
        graphBaseUrl: entra.graphBaseUrl,
      }),
      pim: PimMembershipWriter.create({ graph }),
    },
    groupOwners: EntraGroupOwners.create({ graph }),
  };
}

/**
 * The sources of a backend from validated config (real clouds or emulators alike): Identity Center as the AWS
 * source; Entra as the identity source, provisioner, membership writers and group owners when `awsAccess.entra`
 * is set (without it, Identity Center alone and no Graph client at all); the assignment writer when
 * `awsAccess.write` is set (with its own credentials: the sync never holds write permissions).
 */
export async function createAccessSources(options: {
  rootConfig: Config;
  config: AwsAccessConfig;
  wiring?: SourceWiring;
}): Promise<AccessSources> {
  const { rootConfig, config, wiring = {} } = options;
  const { identityCenter: ic, entra, write, retry } = config;
  const identityCenterBudget = new RequestBudget({
    perSecond: ic.requestsPerSecond,
  });
  const readClients = await awsClientsFor(rootConfig, config, ic);
  const aws = IdentityCenterReader.create({
    aws: AwsRequests.create({
      clients: wiring.awsClients?.(readClients) ?? readClients,
      identityCenterBudget,
      organizationsBudget: new RequestBudget({
        perSecond: ic.organizationsRequestsPerSecond,
      }),
      retry,
    }),
    region: ic.region,
    instanceArn: ic.instanceArn,
    identityStoreId: ic.identityStoreId,
    accessPortalUrl: ic.accessPortalUrl,
    detailsRefreshMs: ic.detailsRefreshMs,
  });
  return {
    ...(entra ? entraSources(entra, config, wiring) : {}),
    aws,
    assignmentWriter: write
      ? IdentityCenterAssignmentWriter.create({
          // Writes share the instance's budget with the reads, and retry with the defaults.
          aws: AwsRequests.create({
            clients: await awsClientsFor(rootConfig, config, write),
            identityCenterBudget,
            organizationsBudget: identityCenterBudget,
          }),
          maxOutstanding: write.maxOutstanding,
          pollIntervalMs: write.pollIntervalMs,
        })
      : undefined,
    identityCenterBudget,
    changeEvents: await changeEventQueue(rootConfig, config),
  };
}
