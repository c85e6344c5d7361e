import type {
  ChangeEventsStatus,
  IdentityRefreshStatus,
  IdentitySourceKind,
  SyncStatus,
} from '@aws-access/plugin-aws-access-common';
import type { SnapshotStore } from '../../store/SnapshotStore';
import type { SnapshotCache } from '../../sync/SnapshotCache';
import { provisioningStatus, snapshotFreshness } from './common';

/**
 * `/sync/status`: the identity source this backend is configured with and its own refresh, our runs, the served
 * snapshot's age, Entra's provisioning job and the SAML certificate.
 */
export async function buildSyncStatus(options: {
  store: SnapshotStore;
  cache: SnapshotCache;
  now: Date;
  staleAfterMs: number;
  identitySource: IdentitySourceKind;
  changeEvents?: boolean;
  identityRefresh?: { status(): Promise<IdentityRefreshStatus> };
}): Promise<SyncStatus> {
  const { store, cache, now } = options;
  const [recentRuns, lastSuccess, held, index, events, identityRefresh] =
    await Promise.all([
      store.recentRuns(20),
      store.lastSuccessfulRun(),
      store.held(),
      cache.tryCurrent(),
      options.changeEvents ? store.changeEventStatus() : undefined,
      options.identityRefresh?.status(),
    ]);
  const freshness = index && snapshotFreshness(index, now);
  const ageMs = freshness?.ageMs;
  const { previousVersion: _ignored, ...heldSnapshot } = held ?? {};
  return {
    identitySource: options.identitySource,
    identityRefresh,
    lastRun: recentRuns[0],
    lastSuccessAt: lastSuccess?.finishedAt,
    snapshotVersion: index?.version,
    snapshotAge: ageMs === undefined ? undefined : Math.round(ageMs / 1000),
    stale: ageMs === undefined || ageMs > options.staleAfterMs,
    sides: freshness?.sides,
    provisioning: index
      ? provisioningStatus(index, now)
      : { status: 'Unknown' },
    samlCertificateExpires: index?.snapshot.identity.app.samlCertificateExpires,
    heldSnapshot: held
      ? (heldSnapshot as SyncStatus['heldSnapshot'])
      : undefined,
    recentRuns,
    changeEvents: events && changeEventsStatus(events),
  };
}

/** The consumer's row and the last reconciliation's, as one status. */
function changeEventsStatus(
  rows: Awaited<ReturnType<SnapshotStore['changeEventStatus']>>,
): ChangeEventsStatus {
  const consumer = (rows.consumer ?? {}) as Partial<ChangeEventsStatus>;
  return {
    ...consumer,
    handled: consumer.handled ?? 0,
    unreadable: consumer.unreadable ?? [],
    lastReconcile: rows.reconcile as ChangeEventsStatus['lastReconcile'],
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
