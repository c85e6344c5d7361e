import type { Config } from '@backstage/config';
import type { AwsPartition } from '@aws-access/plugin-aws-access-common';
import { awsPartitionOf } from '@aws-access/plugin-aws-access-common';
import {
  ACCOUNT_ID,
  AwsAccessConfigError,
  duration,
  httpsUrl,
  optionalString,
  positive,
  ROLE_ARN,
} from './configValues';

/**
 * Endpoint overrides by service (VPC endpoints are one host per service; emulators one for all). A service without
 * one is left to the AWS SDK: `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`, then the shared config file's
 * `services` section, then the public endpoint of the region.
 */
export interface AwsEndpoints {
  ssoAdmin?: string;
  identityStore?: string;
  organizations?: string;
  sts?: string;
  /** The change events' queue (`events.queueUrl` names the queue; this is where requests go). */
  sqs?: string;
}

/**
 * Change events (CloudTrail → EventBridge → SQS): the queue the backend consumes, and how full reconciliation
 * runs beside it.
 */
export interface EventsConfig {
  queueUrl: string;
  /** Read for its depth only: messages there are shown on the platform board. */
  deadLetterQueueUrl?: string;
  /** Long poll of one ReceiveMessage (0–20 s). */
  waitTimeSeconds: number;
  /** After the first message of a burst, how long more are gathered into the same refresh. */
  batchWindowMs: number;
  /** At most this many messages in one refresh. */
  maxBatch: number;
  /** How often the full reconciliation runs when no `awsAccess.schedule` says otherwise. */
  reconcileMs: number;
}

export interface IdentityCenterConfig {
  region: string;
  /** The partition of `region`: where Organizations answers and which portal domain is the default. */
  partition: AwsPartition;
  instanceArn?: string;
  identityStoreId?: string;
  accessPortalUrl?: string;
  /** Account whose credentials (from the `aws` integration config) the reads use. */
  accountId?: string;
  /** Role to assume (with the main account's credentials) for the reads. */
  roleArn?: string;
  externalId?: string;
  endpoints: AwsEndpoints;
  /** Shared request budget for sso-admin and identitystore (the instance allows about 20 in total). */
  requestsPerSecond: number;
  organizationsRequestsPerSecond: number;
  /** Permission set definitions and account tags change rarely; they are re-read after this long. */
  detailsRefreshMs: number;
  requestTimeoutMs: number;
  /** Change events; absent: freshness comes from the full sync's schedule alone. */
  events?: EventsConfig;
}

const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const INSTANCE_ARN =
  /^arn:aws(-[a-z]{1,5}){0,3}:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/;
const IDENTITY_STORE_ID =
  /^d-[0-9a-f]{10}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Where the reads come from: the region, and the account or role whose credentials they use. */
export function readIdentityCenterAccess(ic: Config) {
  const region = ic.getOptionalString('region');
  if (!region || !AWS_REGION.test(region)) {
    throw new AwsAccessConfigError(
      'awsAccess.identityCenter.region',
      region ? `"${region}" is not an AWS region` : 'is required',
      'Use the region of your IAM Identity Center instance, e.g. us-east-1.',
    );
  }
  let partition: AwsPartition;
  try {
    partition = awsPartitionOf(region);
  } catch (error) {
    throw new AwsAccessConfigError(
      'awsAccess.identityCenter.region',
      (error as Error).message,
      'Use the region of your IAM Identity Center instance.',
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
  return { region, partition, accountId, roleArn };
}

/** The instance, its portal, endpoints and request limits. */
export function readIdentityCenterSettings(
  config: Config,
  ic: Config,
  access: ReturnType<typeof readIdentityCenterAccess>,
): IdentityCenterConfig {
  const prefix = 'awsAccess.identityCenter';
  return {
    region: access.region,
    partition: access.partition,
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
    endpoints: readEndpoints(ic),
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
    events: readEvents(config, ic),
  };
}

const EVENTS_KEYS = [
  'queueUrl',
  'deadLetterQueueUrl',
  'waitTime',
  'batchWindow',
  'maxBatch',
  'reconcileEvery',
];

/** `identityCenter.events`: the queue (required once the key is there) and how it is consumed. */
function readEvents(config: Config, ic: Config): EventsConfig | undefined {
  const prefix = 'awsAccess.identityCenter.events';
  const events = ic.getOptionalConfig('events');
  if (!events) return undefined;
  const unknown = events.keys().find(key => !EVENTS_KEYS.includes(key));
  if (unknown) {
    throw new AwsAccessConfigError(
      `${prefix}.${unknown}`,
      'is not a setting of the change events',
      `Use ${EVENTS_KEYS.join(', ')}.`,
    );
  }
  if (!events.has('queueUrl')) {
    throw new AwsAccessConfigError(
      `${prefix}.queueUrl`,
      'is required',
      'Use the QueueUrl output of the aws-access-events CloudFormation stack (https://sqs.<region>.amazonaws.com/<account>/aws-access-events).',
    );
  }
  const queueUrl = httpsUrl(events, 'queueUrl', '', prefix, true);
  const waitTimeMs = duration(config, 'identityCenter.events.waitTime', {
    seconds: 20,
  });
  if (waitTimeMs > 20_000) {
    throw new AwsAccessConfigError(
      `${prefix}.waitTime`,
      `must be at most 20 seconds (SQS's longest poll), got ${
        waitTimeMs / 1000
      } s`,
      'Use { seconds: 20 }, the default.',
    );
  }
  const maxBatch = Math.round(positive(events, 'maxBatch', 500, prefix));
  return {
    queueUrl,
    deadLetterQueueUrl: events.has('deadLetterQueueUrl')
      ? httpsUrl(events, 'deadLetterQueueUrl', '', prefix, true)
      : undefined,
    waitTimeSeconds: Math.floor(waitTimeMs / 1000),
    batchWindowMs: duration(config, 'identityCenter.events.batchWindow', {
      seconds: 2,
    }),
    maxBatch,
    reconcileMs: duration(config, 'identityCenter.events.reconcileEvery', {
      hours: 24,
    }),
  };
}

const ENDPOINT_KEYS = [
  'ssoAdmin',
  'identityStore',
  'organizations',
  'sts',
  'sqs',
];

/**
 * `endpoints.<service>`, else `endpoint` (the older shorthand for all of them, which emulators use). Only what is set
 * is passed to the SDK: an explicit endpoint is the one thing that stops it reading `AWS_ENDPOINT_URL_<SERVICE>`.
 */
function readEndpoints(ic: Config): AwsEndpoints {
  const prefix = 'awsAccess.identityCenter';
  const all = ic.has('endpoint')
    ? httpsUrl(ic, 'endpoint', '', prefix, true)
    : undefined;
  const byService = ic.getOptionalConfig('endpoints');
  const unknown = byService?.keys().find(key => !ENDPOINT_KEYS.includes(key));
  if (unknown) {
    throw new AwsAccessConfigError(
      `${prefix}.endpoints.${unknown}`,
      'is not a service the plugin calls',
      `Use ${ENDPOINT_KEYS.join(', ')}.`,
    );
  }
  const endpoints: AwsEndpoints = {};
  for (const key of ENDPOINT_KEYS as Array<keyof AwsEndpoints>) {
    const url = byService?.has(key)
      ? httpsUrl(byService, key, '', `${prefix}.endpoints`, true)
      : all;
    if (url) endpoints[key] = url;
  }
  return endpoints;
}
