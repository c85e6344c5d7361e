import type { SnapshotStore } from '../store/SnapshotStore';

/** A full run that recorded nothing for this long is taken for one whose replica died. */
const LIVE_RUN_MS = 5 * 60_000;

/**
 * Whether a full sync is reading now. Partial refreshes (change events, Entra's incremental read) wait for it: its
 * commit would replace a refresh made meanwhile.
 */
export async function fullSyncRunning(
  store: Pick<SnapshotStore, 'recentRuns'>,
  now: Date,
): Promise<boolean> {
  const runs = await store.recentRuns(5);
  return runs.some(
    r =>
      r.outcome === 'running' &&
      r.trigger !== 'targeted' &&
      now.getTime() - Date.parse(r.progress?.updatedAt ?? r.startedAt) <
        LIVE_RUN_MS,
  );
}
