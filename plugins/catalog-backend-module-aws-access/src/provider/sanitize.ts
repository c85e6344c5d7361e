import { createHash } from 'node:crypto';
import { KubernetesValidatorFunctions } from '@backstage/catalog-model';

/** Entity names and label values are at most 63 characters. */
export const MAX_NAME_LENGTH = 63;

const trimNonAlphanumeric = (value: string) =>
  value.replace(/^[^a-zA-Z0-9]+/, '').replace(/[^a-zA-Z0-9]+$/, '');

/** Cuts to `max` characters and re-trims, so the result still starts and ends with [a-zA-Z0-9]. */
function fitName(value: string, max = MAX_NAME_LENGTH): string {
  return trimNonAlphanumeric(trimNonAlphanumeric(value).slice(0, max));
}

/** True when the value is a valid `metadata.name`. */
export function isValidEntityName(name: string): boolean {
  return KubernetesValidatorFunctions.isValidObjectName(name);
}

/**
 * Entity name of a `cloud-account` Resource: the upstream `AwsOrganizationCloudAccountProcessor` rule (trim,
 * lower case, characters outside `[a-zA-Z0-9-]` become `-`), so refs match that processor's, then repaired to
 * be valid (no leading/trailing `-`, at most 63 characters). Empty when nothing usable is left.
 */
export function accountEntityNameBase(accountName: string): string {
  const upstream = accountName
    .trim()
    .toLocaleLowerCase('en-US')
    .replace(/[^a-zA-Z0-9-]/g, '-');
  return fitName(upstream);
}

/** Prefix of permission set entity names, so they never clash with other Resources. */
export const PERMISSION_SET_NAME_PREFIX = 'aws-ps-';

/**
 * Entity name of an `aws-permission-set` Resource: `aws-ps-` + the permission set name in lower case, runs of
 * characters outside `[a-z0-9]` become one `-` (`DeveloperReadOnly` is `aws-ps-developerreadonly`).
 */
export function permissionSetEntityNameBase(permissionSetName: string): string {
  const slug = permissionSetName
    .trim()
    .toLocaleLowerCase('en-US')
    .replace(/[^a-z0-9]+/g, '-');
  const body = fitName(
    slug,
    MAX_NAME_LENGTH - PERMISSION_SET_NAME_PREFIX.length,
  );
  return body ? `${PERMISSION_SET_NAME_PREFIX}${body}` : '';
}

/** `<base>-<suffix>`, the base shortened so that the whole fits 63 characters. */
export function withSuffix(base: string, suffix: string): string {
  const room = MAX_NAME_LENGTH - suffix.length - 1;
  const head = fitName(base, room);
  return head ? `${head}-${suffix}` : suffix;
}

/**
 * A label value (`[a-zA-Z0-9]` separated by `-_.`, at most 63 characters): `/` becomes `.` (OU paths),
 * other characters outside `[a-zA-Z0-9-_.]` become `-`. Undefined when nothing usable is left.
 */
export function toLabelValue(value: string | undefined): string | undefined {
  if (!value) {
    return undefined;
  }
  const cleaned = fitName(
    value
      .trim()
      .replace(/\//g, '.')
      .replace(/[^a-zA-Z0-9._-]/g, '-'),
  );
  return cleaned && KubernetesValidatorFunctions.isValidLabelValue(cleaned)
    ? cleaned
    : undefined;
}

/** True for a string with something other than whitespace in it. */
export const isNonEmptyString = (value: unknown): value is string =>
  typeof value === 'string' && value.trim().length > 0;

/** The value when it is an array, else an empty one: projection fields are checked, not trusted. */
export function asArray<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

/** Removes control characters, collapses whitespace and caps the length (titles, descriptions). */
export function cleanText(value: unknown, maxLength: number): string {
  if (typeof value !== 'string') {
    return '';
  }
  const cleaned = value
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned.length > maxLength
    ? `${cleaned.slice(0, maxLength - 1).trimEnd()}…`
    : cleaned;
}

/** Short, stable hex digest. */
export function shortHash(value: string, length = 12): string {
  return createHash('sha256').update(value).digest('hex').slice(0, length);
}

/** JSON with object keys sorted, so equal values always serialize the same. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(v => stableStringify(v)).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1)); // keys are unique
    return `{${entries
      .map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Stable content hash of an entity (or any JSON value). */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(stableStringify(value)).digest('hex');
}
