import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { readSchedulerServiceTaskScheduleDefinitionFromConfig } from '@backstage/backend-plugin-api';
import {
  KubernetesValidatorFunctions,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import { readDurationFromConfig } from '@backstage/config';
import type { HumanDuration } from '@backstage/types';
import { durationToMilliseconds } from '@backstage/types';

/** Where the provider's settings live in the app config. */
export const CONFIG_ROOT = 'catalog.providers.awsAccess';

/** Provider id of the single-object config form. */
export const DEFAULT_PROVIDER_ID = 'default';

/**
 * `link`: Users and Groups come from another provider (the msgraph module); this module emits only Resources
 * and joins by annotation. `emit`: this module also emits the Entra groups and users of the projection.
 *
 * @public
 */
export type AwsAccessCatalogMode = 'link' | 'emit';

/**
 * Which access relations the catalog carries. Every catalog reader sees an entity's relations, while the aws-access
 * API lists who holds what only to an account's owners and readers of all access: `none` (default) keeps
 * principals out of the catalog, `groups` relates groups to accounts and permission sets, `all` adds the direct
 * user assignments.
 *
 * @public
 */
export type AwsAccessCatalogRelations = 'none' | 'groups' | 'all';

const RELATIONS: AwsAccessCatalogRelations[] = ['none', 'groups', 'all'];

/**
 * The validated settings of the provider.
 *
 * @public
 */
export interface AwsAccessProviderConfig {
  /** Provider id: `default` for the single-object form, else the key of the named-map form. */
  id: string;
  /** `link` (default) or `emit`. */
  mode: AwsAccessCatalogMode;
  /** Account (and permission set) tag whose value names the owner. */
  ownerTag: string;
  /** Full entity ref of the owner when the tag is missing or unusable. */
  defaultOwner: string;
  /** Account tag whose value names `spec.system`. */
  systemTag?: string;
  /** Which access relations (principal to account and permission set) the catalog carries; default `none`. */
  relations: AwsAccessCatalogRelations;
  /** Do not emit `cloud-account` Resources; add relations to the upstream AWS organization processor's. */
  linkAccountsFromUpstream: boolean;
  /** Absolute URL of the Backstage AWS access page, added as a link on account entities. */
  accessPageUrl?: string;
  /** Fallback refresh schedule (the provider also refreshes when a snapshot is committed). */
  schedule: SchedulerServiceTaskScheduleDefinition;
  /**
   * Least time from the start of one refresh to the start of a refresh an announcement triggers; sooner
   * announcements are deferred to that moment and served by one refresh. 0: every announcement refreshes at once.
   */
  eventRefreshMinIntervalMs: number;
}

/** Default fallback schedule: every 30 minutes, 10 minutes timeout, first run 15 seconds after start. */
export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 30 },
  timeout: { minutes: 10 },
  initialDelay: { seconds: 15 },
};

/** Default least time between the starts of a refresh and of the next one an announcement triggers. */
export const DEFAULT_EVENT_REFRESH_MIN_INTERVAL: HumanDuration = {
  seconds: 30,
};

export const DEFAULT_OWNER = 'group:default/platform-team';
export const DEFAULT_OWNER_TAG = 'owner';

const KNOWN_KEYS = [
  'mode',
  'ownerTag',
  'defaultOwner',
  'systemTag',
  'relations',
  'linkAccountsFromUpstream',
  'accessPageUrl',
  'schedule',
  'eventRefreshMinInterval',
];

function configError(key: string, message: string): Error {
  return new Error(`Invalid config at '${key}': ${message}`);
}

/**
 * Reads and validates `catalog.providers.awsAccess`. Accepts a single object (provider id `default`) or a
 * named map with exactly one entry (`{ <id>: {...} }`); an absent block means all defaults. Errors name the key.
 *
 * @public
 */
export function readProviderConfig(
  rootConfig: Config,
): AwsAccessProviderConfig {
  const appBaseUrl = rootConfig.getOptionalString('app.baseUrl');
  const block = rootConfig.getOptionalConfig(CONFIG_ROOT);
  if (!block) {
    return readSingle(DEFAULT_PROVIDER_ID, undefined, CONFIG_ROOT, appBaseUrl);
  }
  const keys = block.keys();
  if (keys.length === 0 || keys.some(key => KNOWN_KEYS.includes(key))) {
    return readSingle(DEFAULT_PROVIDER_ID, block, CONFIG_ROOT, appBaseUrl);
  }
  // Named-map form: { <id>: { ...settings } }
  if (keys.length > 1) {
    throw configError(
      CONFIG_ROOT,
      `only one provider instance is supported (they would all project the same aws-access backend), found ${keys
        .map(k => `'${k}'`)
        .join(', ')}`,
    );
  }
  const id = keys[0];
  const key = `${CONFIG_ROOT}.${id}`;
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$/.test(id)) {
    throw configError(
      key,
      'provider ids must be 1-63 characters of [a-zA-Z0-9_-] starting with a letter or digit',
    );
  }
  const value = block.getOptional(id);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw configError(
      key,
      `unknown key; expected one of ${KNOWN_KEYS.join(
        ', ',
      )} or a named provider object`,
    );
  }
  return readSingle(id, block.getConfig(id), key, appBaseUrl);
}

function readSingle(
  id: string,
  config: Config | undefined,
  base: string,
  appBaseUrl: string | undefined,
): AwsAccessProviderConfig {
  if (config) {
    const unknown = config.keys().filter(k => !KNOWN_KEYS.includes(k));
    if (unknown.length) {
      throw configError(
        `${base}.${unknown[0]}`,
        `unknown key; expected one of ${KNOWN_KEYS.join(', ')}`,
      );
    }
  }

  const mode = config?.getOptionalString('mode') ?? 'link';
  if (mode !== 'link' && mode !== 'emit') {
    throw configError(
      `${base}.mode`,
      `expected 'link' or 'emit', got '${mode}'`,
    );
  }

  const ownerTag = config?.getOptionalString('ownerTag') ?? DEFAULT_OWNER_TAG;
  if (!ownerTag.trim()) {
    throw configError(`${base}.ownerTag`, 'must not be empty');
  }

  const systemTag = config?.getOptionalString('systemTag');
  if (systemTag !== undefined && !systemTag.trim()) {
    throw configError(`${base}.systemTag`, 'must not be empty when set');
  }

  const relations = config?.getOptionalString('relations') ?? 'none';
  if (!RELATIONS.includes(relations as AwsAccessCatalogRelations)) {
    throw configError(
      `${base}.relations`,
      `expected one of ${RELATIONS.map(r => `'${r}'`).join(
        ', ',
      )}, got '${relations}'`,
    );
  }

  const defaultOwner = readDefaultOwner(config, base);
  const linkAccountsFromUpstream =
    config?.getOptionalBoolean('linkAccountsFromUpstream') ?? false;
  const accessPageUrl = readAccessPageUrl(config, base, appBaseUrl);
  const schedule = readSchedule(config, base);
  const eventRefreshMinIntervalMs = readEventRefreshMinInterval(config, base);

  return {
    id,
    mode,
    ownerTag,
    defaultOwner,
    systemTag,
    relations: relations as AwsAccessCatalogRelations,
    linkAccountsFromUpstream,
    accessPageUrl,
    schedule,
    eventRefreshMinIntervalMs,
  };
}

/** `defaultOwner` as a full entity ref (a bare name is a group in `default`). */
function readDefaultOwner(config: Config | undefined, base: string): string {
  const raw = config?.getOptionalString('defaultOwner') ?? DEFAULT_OWNER;
  try {
    const ref = parseEntityRef(raw, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
    if (!KubernetesValidatorFunctions.isValidObjectName(ref.name)) {
      throw new Error(`'${ref.name}' is not a valid entity name`);
    }
    return stringifyEntityRef(ref);
  } catch (error) {
    throw configError(
      `${base}.defaultOwner`,
      `expected an entity ref such as 'group:default/platform-team', got '${raw}' (${
        (error as Error).message
      })`,
    );
  }
}

/** `accessPageUrl`, else the app's AWS access page when `app.baseUrl` is an absolute URL. */
function readAccessPageUrl(
  config: Config | undefined,
  base: string,
  appBaseUrl: string | undefined,
): string | undefined {
  const accessPageUrl = config?.getOptionalString('accessPageUrl');
  if (accessPageUrl !== undefined) {
    if (!isAbsoluteUrl(accessPageUrl)) {
      throw configError(
        `${base}.accessPageUrl`,
        `expected an absolute URL, got '${accessPageUrl}'`,
      );
    }
    return accessPageUrl;
  }
  return appBaseUrl && isAbsoluteUrl(appBaseUrl)
    ? `${appBaseUrl.replace(/\/+$/, '')}/aws-access`
    : undefined;
}

function readSchedule(
  config: Config | undefined,
  base: string,
): SchedulerServiceTaskScheduleDefinition {
  if (!config?.has('schedule')) {
    return DEFAULT_SCHEDULE;
  }
  try {
    return readSchedulerServiceTaskScheduleDefinitionFromConfig(
      config.getConfig('schedule'),
    );
  } catch (error) {
    throw configError(`${base}.schedule`, (error as Error).message);
  }
}

/** `eventRefreshMinInterval` in milliseconds: a duration object or string, never negative. */
function readEventRefreshMinInterval(
  config: Config | undefined,
  base: string,
): number {
  const key = 'eventRefreshMinInterval';
  if (!config?.has(key)) {
    return durationToMilliseconds(DEFAULT_EVENT_REFRESH_MIN_INTERVAL);
  }
  let ms: number;
  try {
    ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  } catch (error) {
    throw configError(
      `${base}.${key}`,
      `expected a duration such as { seconds: 30 }, 'PT30S' or '30s' (${
        (error as Error).message
      })`,
    );
  }
  // durationToMilliseconds does not check the numbers: { seconds: -5 } would be -5000.
  if (!(ms >= 0)) {
    throw configError(`${base}.${key}`, `must not be negative, got ${ms} ms`);
  }
  return ms;
}

function isAbsoluteUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
