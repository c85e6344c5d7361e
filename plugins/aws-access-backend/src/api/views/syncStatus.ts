import type {
  IdentitySourceKind,
  SyncStatus,
} from '@aws-access/plugin-aws-access-common';
import type { SnapshotStore } from '../../store/SnapshotStore';
import type { SnapshotCache } from '../../sync/SnapshotCache';
import { provisioningStatus } from './common';

/**
 * `/sync/status`: the identity source this backend is configured with, our runs, the served snapshot's age,
 * Entra's provisioning job and the SAML certificate.
 */
export async function buildSyncStatus(options: {
  store: SnapshotStore;
  cache: SnapshotCache;
  now: Date;
  staleAfterMs: number;
  identitySource: IdentitySourceKind;
}): Promise<SyncStatus> {
  const { store, cache, now } = options;
  const [recentRuns, lastSuccess, held, index] = await Promise.all([
    store.recentRuns(20),
    store.lastSuccessfulRun(),
    store.held(),
    cache.tryCurrent(),
  ]);
  const ageMs = index
    ? now.getTime() - Date.parse(index.snapshot.readAt)
    : undefined;
  const { previousVersion: _ignored, ...heldSnapshot } = held ?? {};
  return {
    identitySource: options.identitySource,
    lastRun: recentRuns[0],
    lastSuccessAt: lastSuccess?.finishedAt,
    snapshotVersion: index?.version,
    snapshotAge: ageMs === undefined ? undefined : Math.round(ageMs / 1000),
    stale: ageMs === undefined || ageMs > options.staleAfterMs,
    provisioning: index
      ? provisioningStatus(index, now)
      : { status: 'Unknown' },
    samlCertificateExpires: index?.snapshot.identity.app.samlCertificateExpires,
    heldSnapshot: held
      ? (heldSnapshot as SyncStatus['heldSnapshot'])
      : undefined,
    recentRuns,
  };
}

/** One sentence on the sync state, for 503 responses before the first snapshot. */
export async function describeSyncState(store: SnapshotStore): Promise<string> {
  const [last] = await store.recentRuns(1);
  if (!last)
    return 'the first sync has not started yet; it starts shortly after the backend.';
  if (last.outcome === 'running')
    return `the first sync is running since ${last.startedAt}.`;
  if (last.outcome === 'failed') {
    return `the last sync failed (${last.error?.source ?? 'unknown source'}: ${
      last.error?.class ?? 'error'
    }); it is retried on schedule.`;
  }
  if (last.outcome === 'held')
    return 'the first snapshot was held back by the mass-delete brake and waits for approval.';
  return 'no snapshot is available yet.';
}
