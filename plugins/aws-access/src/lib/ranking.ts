import type { Grant } from '@aws-access/plugin-aws-access-common';
import { parseIsoDuration } from './time';

/** How strong a permission set is, judged from its name: Admin 3, PowerUser 2, ReadOnly 1, anything else 0. */
export type PermissionSetStrength = 0 | 1 | 2 | 3;

/**
 * Ranks a permission set by name heuristics (Identity Center has no notion of strength):
 * names containing `admin` rank highest, then `poweruser`/`power-user`, then `readonly`/`read-only`/`viewonly`.
 */
export function permissionSetStrength(name: string): PermissionSetStrength {
  const normalized = name.toLowerCase().replace(/[^a-z]/g, '');
  if (normalized.includes('admin')) {
    return 3;
  }
  if (normalized.includes('poweruser')) {
    return 2;
  }
  if (normalized.includes('readonly') || normalized.includes('viewonly')) {
    return 1;
  }
  return 0;
}

/**
 * Orders grants strongest first: by name strength, then the longer session, then by name (stable, deterministic).
 */
export function compareGrantStrength(a: Grant, b: Grant): number {
  const byStrength =
    permissionSetStrength(b.permissionSet.name) -
    permissionSetStrength(a.permissionSet.name);
  if (byStrength !== 0) {
    return byStrength;
  }
  const bySession =
    (parseIsoDuration(b.permissionSet.sessionDuration) ?? 0) -
    (parseIsoDuration(a.permissionSet.sessionDuration) ?? 0);
  if (bySession !== 0) {
    return bySession;
  }
  return a.permissionSet.name.localeCompare(b.permissionSet.name);
}

/** The strongest of some grants, or undefined for none. */
export function strongestGrant(grants: Grant[]): Grant | undefined {
  return [...grants].sort(compareGrantStrength)[0];
}
