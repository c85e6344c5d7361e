import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { readSchedulerServiceTaskScheduleDefinitionFromConfig } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { HumanDuration } from '@backstage/types';
import { durationToMilliseconds } from '@backstage/types';
import { Duration } from 'luxon';
import {
  ACCOUNT_ID,
  AwsAccessConfigError,
  duration,
  optionalString,
  positive,
  ROLE_ARN,
} from './configValues';
import type { EntraConfig } from './entraConfig';
import { readEntraIdentity, readEntraSettings } from './entraConfig';
import type { IdentityCenterConfig } from './identityCenterConfig';
import {
  readIdentityCenterAccess,
  readIdentityCenterSettings,
} from './identityCenterConfig';

export { AwsAccessConfigError } from './configValues';
export type { EntraCredentialConfig } from './entraConfig';
export type { AwsEndpoints } from './identityCenterConfig';

export interface AwsAccessConfig {
  identityCenter: IdentityCenterConfig;
  /**
   * The identity source, Microsoft Entra ID. Optional: without it Identity Center is read alone (its own
   * directory or another identity provider), every grant is active, and provision-on-demand does not exist.
   */
  entra?: EntraConfig;
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
  /** How long a caller's token reuses a permission decision; 0 asks the permission framework every time. */
  permissionDecisionTtlMs: number;
  provisionOnDemand: { perUserPerHour: number };
  /**
   * How a catalog user is matched to a person: by the Graph object id annotation, then the UPN (Entra) or the
   * Identity Store user name; `byEmail` adds the email as a last resort (never an email two people share).
   */
  userMatching: { byEmail: boolean };
  /** Retries of throttled and transient failures (every source). */
  retry: { maxAttempts: number; baseDelayMs: number };
}

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 15 },
  // Above the worst case we measure (a large organisation at 10 requests/s takes about 20 minutes).
  timeout: { minutes: 90 },
  initialDelay: { seconds: 15 },
  scope: 'global',
};

/**
 * The sync's schedule (always global scope), its frequency and its timeout. With change events the full sync is
 * the reconciliation: its default frequency is `events.reconcileEvery` instead of 15 minutes.
 */
function readSchedule(config: Config, reconcileMs?: number) {
  const defaults: SchedulerServiceTaskScheduleDefinition =
    reconcileMs === undefined
      ? DEFAULT_SCHEDULE
      : { ...DEFAULT_SCHEDULE, frequency: { milliseconds: reconcileMs } };
  const schedule = config.has('schedule')
    ? {
        ...defaults,
        ...readSchedulerServiceTaskScheduleDefinitionFromConfig(
          config.getConfig('schedule'),
        ),
        scope: 'global' as const,
      }
    : defaults;
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

/** A decision kept longer would outlive the policy changes an operator expects to take effect at once. */
const MAX_PERMISSION_DECISION_TTL_MS = 60_000;

function readPermissionDecisionTtl(config: Config): number {
  const ms = duration(config, 'permissionDecisionTtl', { seconds: 5 });
  if (ms > MAX_PERMISSION_DECISION_TTL_MS)
    throw new AwsAccessConfigError(
      'awsAccess.permissionDecisionTtl',
      `must be at most a minute, got ${ms} ms`,
      'Use a few seconds, like { seconds: 5 }, or 0 to ask the permission framework on every request.',
    );
  return ms;
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
  const icAccess = readIdentityCenterAccess(ic);
  const entraId = entra && readEntraIdentity(entra);
  const identityCenter = readIdentityCenterSettings(config, ic, icAccess);
  // With events the full sync is the safety net: AWS's changes come as events, Entra's with its own refresh.
  const { schedule, frequencyMs, syncTimeoutMs } = readSchedule(
    config,
    identityCenter.events?.reconcileMs,
  );
  const massDeleteThreshold = readMassDeleteThreshold(config);
  return {
    identityCenter,
    ...(entra && entraId
      ? { entra: readEntraSettings(config, entra, entraId) }
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
    permissionDecisionTtlMs: readPermissionDecisionTtl(config),
    provisionOnDemand: {
      perUserPerHour: positive(
        config,
        'provisionOnDemand.perUserPerHour',
        5,
        'awsAccess',
      ),
    },
    userMatching: {
      byEmail: config.getOptionalBoolean('userMatching.byEmail') ?? false,
    },
    retry: {
      maxAttempts: Math.round(
        positive(config, 'retries.maxAttempts', 5, 'awsAccess'),
      ),
      baseDelayMs: duration(config, 'retries.baseDelay', { milliseconds: 250 }),
    },
  };
}
