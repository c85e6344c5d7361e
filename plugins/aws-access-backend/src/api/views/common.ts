import type {
  IdentitySourceKind,
  PermissionSetRef,
  ProvisioningStatus,
  SnapshotSidesRead,
  SyncSummary,
} from '@aws-access/plugin-aws-access-common';
import {
  entraGroupEntityRef,
  entraUserEntityRef,
} from '@aws-access/plugin-aws-access-common';
import type { AccessIndex } from '../../snapshot/AccessIndex';
import { olderSide } from '../../snapshot/freshness';

/*
 * Pieces every view shares. The views under this folder are pure functions of an access index (and the time):
 * the JSON the API serves. Nothing here reads the database or the clouds.
 */

/** An account's name, or its id when the snapshot does not know it. */
export function accountNameOf(index: AccessIndex, accountId: string): string {
  return index.accountsById.get(accountId)?.name ?? accountId;
}

/** A permission set's name, or its ARN when the snapshot does not know it. */
export function permissionSetNameOf(index: AccessIndex, arn: string): string {
  return index.permissionSetsByArn.get(arn)?.name ?? arn;
}

/** The short form of a permission set each grant and assignment carries. */
export function permissionSetRef(
  index: AccessIndex,
  arn: string,
): PermissionSetRef {
  const ps = index.permissionSetsByArn.get(arn);
  return {
    name: ps?.name ?? arn,
    arn,
    sessionDuration: ps?.sessionDuration ?? 'PT1H',
  };
}

function principal<S extends { displayName: string }>(
  type: 'USER' | 'GROUP',
  source: S | undefined,
  fallbackName: string,
  refOf: (source: S) => string,
) {
  return {
    type,
    name: source?.displayName ?? fallbackName,
    entityRef: source ? refOf(source) : undefined,
    managed: Boolean(source),
  };
}

/** An Identity Center principal, named by the identity source object it came from when there is one. */
export function principalOf(
  index: AccessIndex,
  type: 'USER' | 'GROUP',
  id: string,
) {
  return type === 'GROUP'
    ? principal(
        type,
        index.identityGroupByIdcGroupId.get(id),
        index.idcGroupsById.get(id)?.displayName ?? id,
        entraGroupEntityRef,
      )
    : principal(
        type,
        index.identityUserByIdcUserId.get(id),
        index.idcUsersById.get(id)?.userName ?? id,
        entraUserEntityRef,
      );
}

export function provisioningStatus(
  index: AccessIndex,
  now: Date,
): ProvisioningStatus {
  const job = index.snapshot.identity.provisioning;
  return {
    status: job.status,
    lastCycleAt: job.lastCycleEndedAt ?? job.lastCycleStartedAt,
    nextCycleAt: index.nextCycleAt(now),
    intervalSeconds: index.provisioningIntervalSeconds,
    quarantineReason: job.quarantineReason,
    lastError: job.lastError,
  };
}

/** Which identity source the snapshot was read with: `none` when Identity Center was read alone. */
export function identitySourceOf(index: AccessIndex): IdentitySourceKind {
  return index.snapshot.identity.source === 'entra' ? 'entra' : 'none';
}

/** The sync facts every access response carries, so the UI can say how fresh it is. */
export function syncSummary(
  index: AccessIndex,
  now: Date,
  staleAfterMs: number,
): SyncSummary {
  const { syncedAt, ageMs, sides } = snapshotFreshness(index, now);
  return {
    identitySource: identitySourceOf(index),
    snapshotVersion: index.version,
    syncedAt,
    snapshotAge: Math.max(0, Math.round(ageMs / 1000)),
    stale: ageMs > staleAfterMs,
    sides,
    provisioning: provisioningStatus(index, now),
  };
}

/**
 * How fresh the served snapshot is: the age of its older side (a partial refresh of one side, such as Entra's own,
 * must not make a side that keeps failing to read look fresh) and each side's time.
 */
export function snapshotFreshness(
  index: AccessIndex,
  now: Date,
): { syncedAt: string; ageMs: number; sides: SnapshotSidesRead } {
  const { identity, aws } = index.snapshot.sidesReadAt;
  const older = olderSide(index.snapshot);
  return {
    syncedAt: older.at,
    ageMs: now.getTime() - Date.parse(older.at),
    sides: {
      identity,
      aws,
      ...(Date.parse(identity) !== Date.parse(aws)
        ? { older: older.side }
        : {}),
    },
  };
}
