import type { Config } from '@backstage/config';
import {
  AwsAccessConfigError,
  duration,
  httpsUrl,
  positive,
} from './configValues';

/** How the plugin signs in to Microsoft Graph. */
export type EntraCredentialConfig =
  | { type: 'clientSecret'; clientSecret: string }
  | { type: 'certificate'; certificatePath: string }
  | { type: 'managedIdentity'; clientId?: string };

/**
 * The Microsoft clouds: where their tenants sign in and where their Graph answers
 * (learn.microsoft.com/graph/deployments). US Government L4 (GCC High) and L5 (DoD) share a sign-in host.
 */
export const ENTRA_CLOUDS = {
  public: {
    authorityHost: 'https://login.microsoftonline.com',
    graph: 'https://graph.microsoft.com',
  },
  usGov: {
    authorityHost: 'https://login.microsoftonline.us',
    graph: 'https://graph.microsoft.us',
  },
  usGovDoD: {
    authorityHost: 'https://login.microsoftonline.us',
    graph: 'https://dod-graph.microsoft.us',
  },
  china: {
    authorityHost: 'https://login.chinacloudapi.cn',
    graph: 'https://microsoftgraph.chinacloudapi.cn',
  },
} as const;

export type EntraCloud = keyof typeof ENTRA_CLOUDS;

export interface EntraConfig {
  tenantId: string;
  clientId?: string;
  credential: EntraCredentialConfig;
  cloud: EntraCloud;
  /** Where tokens come from: the cloud's sign-in host unless `authority` overrides it (a gateway, the emulator). */
  authorityHost: string;
  /** Where Graph requests go: the cloud's Graph unless `graphBaseUrl` overrides it. */
  graphBaseUrl: string;
  /**
   * The token scope: always the cloud's Graph resource. Entra knows Graph by that name whatever host the requests
   * are sent to, so it is never derived from `graphBaseUrl`.
   */
  graphScope: string;
  /** Application (client) id of the AWS IAM Identity Center enterprise application. */
  awsAppId: string;
  requestsPerSecond: number;
  /** How far back provisioning and directory audit logs are read. */
  auditLookbackMs: number;
  /** How often the identity side is read incrementally on its own, apart from the full sync. */
  refreshMs: number;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function readEntraCredential(entra: Config): EntraCredentialConfig {
  const clientSecret = entra.getOptionalString('clientSecret');
  const certificatePath = entra.getOptionalString('certificatePath');
  const managedIdentity = entra.getOptional<boolean | { clientId?: string }>(
    'managedIdentity',
  );
  const chosen = [clientSecret, certificatePath, managedIdentity].filter(
    v => v !== undefined && v !== false,
  );
  if (chosen.length !== 1) {
    throw new AwsAccessConfigError(
      'awsAccess.entra',
      chosen.length === 0
        ? 'no credential is configured'
        : 'more than one credential is configured',
      'Set exactly one of clientSecret, certificatePath or managedIdentity (true, or { clientId } for a user-assigned identity).',
    );
  }
  if (clientSecret) return { type: 'clientSecret', clientSecret };
  if (certificatePath) return { type: 'certificate', certificatePath };
  return {
    type: 'managedIdentity',
    clientId:
      typeof managedIdentity === 'object'
        ? managedIdentity.clientId
        : undefined,
  };
}

/** A key that must hold a GUID (Entra's ids). */
function requiredGuid(entra: Config, key: string, fix: string): string {
  const value = entra.getOptionalString(key);
  if (!value || !GUID.test(value)) {
    throw new AwsAccessConfigError(
      `awsAccess.entra.${key}`,
      value ? `"${value}" is not a GUID` : 'is required',
      fix,
    );
  }
  return value;
}

/** Which tenant and app, and how the plugin signs in to Graph. */
export function readEntraIdentity(entra: Config) {
  const tenantId = requiredGuid(
    entra,
    'tenantId',
    'Use the Directory (tenant) ID from Entra ID → Overview.',
  );
  const awsAppId = requiredGuid(
    entra,
    'awsAppId',
    'Use the Application ID of the "AWS IAM Identity Center" enterprise application (Entra ID → Enterprise applications → Properties).',
  );
  const credential = readEntraCredential(entra);
  // A managed identity may leave the client id out (the system-assigned one); the other credentials need it.
  const clientId =
    credential.type === 'managedIdentity'
      ? entra.getOptionalString('clientId')
      : requiredGuid(
          entra,
          'clientId',
          'Use the Application (client) ID of the app registration the plugin signs in with.',
        );
  return { tenantId, awsAppId, credential, clientId };
}

function readCloud(entra: Config): EntraCloud {
  const cloud = entra.getOptionalString('cloud') ?? 'public';
  if (!Object.keys(ENTRA_CLOUDS).includes(cloud)) {
    throw new AwsAccessConfigError(
      'awsAccess.entra.cloud',
      `"${cloud}" is not a Microsoft cloud`,
      `Use one of ${Object.keys(ENTRA_CLOUDS).join(', ')}.`,
    );
  }
  return cloud as EntraCloud;
}

/** The tenant's cloud, the hosts its requests go to, and its limits. */
export function readEntraSettings(
  config: Config,
  entra: Config,
  identity: ReturnType<typeof readEntraIdentity>,
): EntraConfig {
  const cloud = readCloud(entra);
  const hosts = ENTRA_CLOUDS[cloud];
  return {
    ...identity,
    cloud,
    authorityHost: httpsUrl(
      entra,
      'authority',
      hosts.authorityHost,
      'awsAccess.entra',
    ),
    graphBaseUrl: httpsUrl(
      entra,
      'graphBaseUrl',
      hosts.graph,
      'awsAccess.entra',
    ),
    graphScope: `${hosts.graph}/.default`,
    requestsPerSecond: positive(
      entra,
      'requestsPerSecond',
      20,
      'awsAccess.entra',
    ),
    auditLookbackMs: duration(config, 'entra.auditLookback', { days: 7 }),
    refreshMs: readRefreshEvery(config),
  };
}

/** The refresh's period: Graph's delta keeps a quiet tenant to a few requests a read, so minutes are cheap. */
function readRefreshEvery(config: Config): number {
  const ms = duration(config, 'entra.refreshEvery', { minutes: 1 });
  if (ms < 5_000) {
    throw new AwsAccessConfigError(
      'awsAccess.entra.refreshEvery',
      `must be at least 5 seconds, got ${ms} ms`,
      'Use { minutes: 1 }, the default.',
    );
  }
  return ms;
}
