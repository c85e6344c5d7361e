import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { readSchedulerServiceTaskScheduleDefinitionFromConfig } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { readDurationFromConfig } from '@backstage/config';
import type { HumanDuration } from '@backstage/types';
import { durationToMilliseconds } from '@backstage/types';
import { Duration } from 'luxon';

/** How the plugin signs in to Microsoft Graph. */
export type EntraCredentialConfig =
  | { type: 'clientSecret'; clientSecret: string }
  | { type: 'certificate'; certificatePath: string }
  | { type: 'managedIdentity'; clientId?: string };

export interface AwsAccessConfig {
  identityCenter: {
    region: string;
    instanceArn?: string;
    identityStoreId?: string;
    accessPortalUrl?: string;
    /** Account whose credentials (from the `aws` integration config) the reads use. */
    accountId?: string;
    /** Role to assume (with the main account's credentials) for the reads. */
    roleArn?: string;
    externalId?: string;
    /** Endpoint override for sso-admin, identitystore, organizations and sts (emulators, VPC endpoints). */
    endpoint?: string;
    /** Shared request budget for sso-admin and identitystore (the instance allows about 20 in total). */
    requestsPerSecond: number;
    organizationsRequestsPerSecond: number;
    /** Permission set definitions and account tags change rarely; they are re-read after this long. */
    detailsRefreshMs: number;
    requestTimeoutMs: number;
  };
  /**
   * The identity source, Microsoft Entra ID. Optional: without it Identity Center is read alone (its own
   * directory or another identity provider), every grant is active, and provision-on-demand does not exist.
   */
  entra?: {
    tenantId: string;
    clientId?: string;
    credential: EntraCredentialConfig;
    authorityHost: string;
    graphBaseUrl: string;
    /** Application (client) id of the AWS IAM Identity Center enterprise application. */
    awsAppId: string;
    requestsPerSecond: number;
    /** How far back provisioning and directory audit logs are read. */
    auditLookbackMs: number;
  };
  /** The write side (account onboarding), off unless configured. */
  write?: {
    accountId?: string;
    roleArn?: string;
    externalId?: string;
    maxOutstanding: number;
    /** How often an asynchronous assignment operation's status is polled. */
    pollIntervalMs: number;
  };
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** The schedule's timeout in milliseconds: a run must finish before the scheduler releases its lock. */
  syncTimeoutMs: number;
  /** Share (0-1) of accounts, assignments or users a new snapshot may drop before it is held back. */
  massDeleteThreshold: number;
  massDeleteBrake: boolean;
  staleAfterMs: number;
  runHistoryMs: number;
  keepSnapshots: number;
  /** How often replicas check for a snapshot another replica committed. */
  pollIntervalMs: number;
  provisionOnDemand: { perUserPerHour: number };
  /** Retries of throttled and transient failures (every source). */
  retry: { maxAttempts: number; baseDelayMs: number };
}

/** A configuration problem, naming the key and how to fix it. */
export class AwsAccessConfigError extends Error {
  constructor(key: string, problem: string, fix: string) {
    super(`Invalid configuration at ${key}: ${problem}. ${fix}`);
    this.name = 'AwsAccessConfigError';
  }
}

const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const INSTANCE_ARN =
  /^arn:aws(-[a-z]{1,5}){0,3}:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/;
const IDENTITY_STORE_ID =
  /^d-[0-9a-f]{10}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ROLE_ARN = /^arn:aws(-[a-z]{1,5}){0,3}:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const ACCOUNT_ID = /^\d{12}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 15 },
  // Above the worst case we measure (a large organisation at 10 requests/s takes about 20 minutes).
  timeout: { minutes: 90 },
  initialDelay: { seconds: 15 },
  scope: 'global',
};

function optionalString(
  config: Config,
  key: string,
  pattern: RegExp,
  fix: string,
  prefix: string,
) {
  const value = config.getOptionalString(key);
  if (value !== undefined && !pattern.test(value)) {
    throw new AwsAccessConfigError(
      `${prefix}.${key}`,
      `"${value}" is not valid`,
      fix,
    );
  }
  return value;
}

function httpsUrl(
  config: Config,
  key: string,
  fallback: string,
  prefix: string,
  allowHttp = false,
): string {
  const value = config.getOptionalString(key) ?? fallback;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AwsAccessConfigError(
      `${prefix}.${key}`,
      `"${value}" is not a URL`,
      'Use an absolute https URL.',
    );
  }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) {
    throw new AwsAccessConfigError(
      `${prefix}.${key}`,
      `"${value}" must use https`,
      'Microsoft Graph and its sign-in only work over https.',
    );
  }
  return value.replace(/\/+$/, '');
}

function duration(
  config: Config,
  key: string,
  fallback: HumanDuration,
): number {
  if (!config.has(key)) return durationToMilliseconds(fallback);
  // durationToMilliseconds never throws: a string, a misspelt unit or a text value would silently become 0 or NaN.
  let ms: number;
  try {
    ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  } catch (error) {
    throw new AwsAccessConfigError(
      `awsAccess.${key}`,
      `is not a duration (${(error as Error).message})`,
      'Use an object like { minutes: 30 } or an ISO 8601 duration like PT30M.',
    );
  }
  if (!(ms >= 0)) {
    throw new AwsAccessConfigError(
      `awsAccess.${key}`,
      `must not be negative, got ${ms} ms`,
      'Use an object like { minutes: 30 }.',
    );
  }
  return ms;
}

function positive(
  config: Config,
  key: string,
  fallback: number,
  prefix: string,
): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!(value > 0)) {
    throw new AwsAccessConfigError(
      `${prefix}.${key}`,
      `must be greater than 0, got ${value}`,
      'Use a positive number.',
    );
  }
  return value;
}

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

type IdentityCenterConfig = AwsAccessConfig['identityCenter'];
type EntraConfig = NonNullable<AwsAccessConfig['entra']>;

/** Where the reads come from: the region, and the account or role whose credentials they use. */
function identityCenterAccess(ic: Config) {
  const region = ic.getOptionalString('region');
  if (!region || !AWS_REGION.test(region)) {
    throw new AwsAccessConfigError(
      'awsAccess.identityCenter.region',
      region ? `"${region}" is not an AWS region` : 'is required',
      'Use the region of your IAM Identity Center instance, e.g. us-east-1.',
    );
  }
  const accountId = optionalString(
    ic,
    'accountId',
    ACCOUNT_ID,
    'Use the 12-digit id of the delegated-admin or management account.',
    'awsAccess.identityCenter',
  );
  const roleArn = optionalString(
    ic,
    'roleArn',
    ROLE_ARN,
    'Use the ARN of the read-only role, e.g. arn:aws:iam::111111111111:role/backstage-aws-access-read.',
    'awsAccess.identityCenter',
  );
  if (accountId && roleArn) {
    throw new AwsAccessConfigError(
      'awsAccess.identityCenter',
      'both accountId and roleArn are set',
      'Set one: accountId uses the aws integration config for that account, roleArn assumes the role with the main credentials.',
    );
  }
  return { region, accountId, roleArn };
}

function identityCenterSettings(
  config: Config,
  ic: Config,
  access: ReturnType<typeof identityCenterAccess>,
): IdentityCenterConfig {
  const prefix = 'awsAccess.identityCenter';
  return {
    region: access.region,
    instanceArn: optionalString(
      ic,
      'instanceArn',
      INSTANCE_ARN,
      'Copy it from IAM Identity Center → Settings (arn:aws:sso:::instance/ssoins-…), or leave it out to discover it.',
      prefix,
    ),
    identityStoreId: optionalString(
      ic,
      'identityStoreId',
      IDENTITY_STORE_ID,
      'Use the identity store id (d-xxxxxxxxxx) or leave it out to discover it.',
      prefix,
    ),
    accessPortalUrl: ic.has('accessPortalUrl')
      ? httpsUrl(ic, 'accessPortalUrl', '', prefix)
      : undefined,
    accountId: access.accountId,
    roleArn: access.roleArn,
    externalId: ic.getOptionalString('externalId'),
    endpoint: ic.has('endpoint')
      ? httpsUrl(ic, 'endpoint', '', prefix, true)
      : undefined,
    requestsPerSecond: positive(ic, 'requestsPerSecond', 10, prefix),
    organizationsRequestsPerSecond: positive(
      ic,
      'organizationsRequestsPerSecond',
      5,
      prefix,
    ),
    detailsRefreshMs: duration(config, 'identityCenter.detailsRefresh', {
      hours: 6,
    }),
    requestTimeoutMs: duration(config, 'identityCenter.requestTimeout', {
      seconds: 30,
    }),
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
function entraIdentity(entra: Config) {
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

function entraSettings(
  config: Config,
  entra: Config,
  identity: ReturnType<typeof entraIdentity>,
): EntraConfig {
  return {
    tenantId: identity.tenantId,
    clientId: identity.clientId,
    credential: identity.credential,
    authorityHost: httpsUrl(
      entra,
      'authority',
      'https://login.microsoftonline.com',
      'awsAccess.entra',
    ),
    graphBaseUrl: httpsUrl(
      entra,
      'graphBaseUrl',
      'https://graph.microsoft.com',
      'awsAccess.entra',
    ),
    awsAppId: identity.awsAppId,
    requestsPerSecond: positive(
      entra,
      'requestsPerSecond',
      20,
      'awsAccess.entra',
    ),
    auditLookbackMs: duration(config, 'entra.auditLookback', { days: 7 }),
  };
}

/** The sync's schedule (always global scope), its frequency and its timeout. */
function readSchedule(config: Config) {
  const schedule = config.has('schedule')
    ? {
        ...DEFAULT_SCHEDULE,
        ...readSchedulerServiceTaskScheduleDefinitionFromConfig(
          config.getConfig('schedule'),
        ),
        scope: 'global' as const,
      }
    : DEFAULT_SCHEDULE;
  const frequencyMs =
    typeof schedule.frequency === 'object' &&
    !('cron' in schedule.frequency) &&
    !('trigger' in schedule.frequency)
      ? durationToMilliseconds(schedule.frequency as HumanDuration)
      : 15 * 60_000;
  const timeout = schedule.timeout;
  const syncTimeoutMs = Duration.isDuration(timeout)
    ? timeout.toMillis()
    : durationToMilliseconds(timeout as HumanDuration);
  if (!(syncTimeoutMs > 60_000)) {
    throw new AwsAccessConfigError(
      'awsAccess.schedule.timeout',
      'must be longer than a minute',
      'Use a timeout above the longest sync you expect, e.g. { minutes: 90 }.',
    );
  }
  return { schedule, frequencyMs, syncTimeoutMs };
}

function readMassDeleteThreshold(config: Config): number {
  const threshold =
    config.getOptionalNumber('massDeleteBrake.threshold') ?? 0.2;
  if (!(threshold > 0 && threshold <= 1)) {
    throw new AwsAccessConfigError(
      'awsAccess.massDeleteBrake.threshold',
      `must be a share between 0 and 1, got ${threshold}`,
      'For example 0.2 holds back snapshots that drop more than 20 %.',
    );
  }
  return threshold;
}

/** The write side (account onboarding), with its own credentials; off unless configured. */
function readWrite(config: Config): AwsAccessConfig['write'] {
  const write = config.getOptionalConfig('write');
  if (!write) return undefined;
  return {
    accountId: optionalString(
      write,
      'accountId',
      ACCOUNT_ID,
      'Use the 12-digit id of the account that may write assignments.',
      'awsAccess.write',
    ),
    roleArn: optionalString(
      write,
      'roleArn',
      ROLE_ARN,
      'Use the ARN of the role allowed to create and delete account assignments.',
      'awsAccess.write',
    ),
    externalId: write.getOptionalString('externalId'),
    maxOutstanding: Math.min(
      positive(write, 'maxOutstanding', 10, 'awsAccess.write'),
      10,
    ),
    pollIntervalMs: duration(config, 'write.pollInterval', { seconds: 1 }),
  };
}

/**
 * Reads and validates `awsAccess`. Every problem names the key and the fix, at startup, rather than failing
 * on the first sync. Keys are checked in a fixed order, so a configuration with several problems always
 * reports the same one first.
 */
export function readAwsAccessConfig(root: Config): AwsAccessConfig {
  const config = root.getOptionalConfig('awsAccess');
  if (!config || !config.has('identityCenter')) {
    throw new AwsAccessConfigError(
      'awsAccess.identityCenter',
      'is required',
      'Configure awsAccess.identityCenter (region, and optionally instanceArn), and awsAccess.entra (tenantId, clientId, a credential and awsAppId) when Entra ID provisions Identity Center; see the plugin README.',
    );
  }
  const ic = config.getConfig('identityCenter');
  // Without Entra, Identity Center is read alone (its own directory, or another identity provider).
  const entra = config.getOptionalConfig('entra');
  const icAccess = identityCenterAccess(ic);
  const entraId = entra && entraIdentity(entra);
  const { schedule, frequencyMs, syncTimeoutMs } = readSchedule(config);
  const massDeleteThreshold = readMassDeleteThreshold(config);
  return {
    identityCenter: identityCenterSettings(config, ic, icAccess),
    ...(entra && entraId
      ? { entra: entraSettings(config, entra, entraId) }
      : {}),
    write: readWrite(config),
    schedule,
    syncTimeoutMs,
    massDeleteThreshold,
    massDeleteBrake:
      config.getOptionalBoolean('massDeleteBrake.enabled') ?? true,
    staleAfterMs: duration(config, 'staleAfter', {
      milliseconds: Math.max(3 * frequencyMs, 60_000),
    }),
    runHistoryMs: duration(config, 'runHistory', { days: 30 }),
    keepSnapshots: positive(config, 'keepSnapshots', 5, 'awsAccess'),
    pollIntervalMs: duration(config, 'pollInterval', { seconds: 5 }),
    provisionOnDemand: {
      perUserPerHour: positive(
        config,
        'provisionOnDemand.perUserPerHour',
        5,
        'awsAccess',
      ),
    },
    retry: {
      maxAttempts: Math.round(
        positive(config, 'retries.maxAttempts', 5, 'awsAccess'),
      ),
      baseDelayMs: duration(config, 'retries.baseDelay', { milliseconds: 250 }),
    },
  };
}
