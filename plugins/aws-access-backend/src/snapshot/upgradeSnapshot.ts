import type { IdentitySide, Snapshot } from './model';
import { SNAPSHOT_SCHEMA_VERSION } from './model';

/** A snapshot as version 1 stored it: the identity side was called `entra`, and Graph's delta links sat on top. */
interface SnapshotV1
  extends Omit<Snapshot, 'schemaVersion' | 'identity' | 'sidesReadAt'> {
  schemaVersion?: undefined;
  entra: Omit<IdentitySide, 'source' | 'provisioningScope' | 'cursor'> & {
    appAssignments: IdentitySide['provisioningScope'];
  };
  graphDelta?: { users?: string; groups?: string };
}

/**
 * Brings a stored snapshot to the shape this version reads. Snapshots are stored as JSON, so a backend that was
 * upgraded reads what its previous version committed: version 1 (no `schemaVersion`) named the identity side
 * `entra`, its provisioning scope `appAssignments`, and kept Graph's delta links in `graphDelta`. Nothing is
 * dropped; the delta links become the identity side's cursor, so the next sync continues incrementally.
 *
 * Snapshots stored before the per-side read times (`sidesReadAt`, added within version 2: a backend that does not
 * know it reads the rest unchanged) get both sides' time from `readAt`, the only time they recorded.
 */
export function upgradeSnapshot(stored: unknown): Snapshot {
  const snapshot = stored as Snapshot | SnapshotV1;
  if (snapshot.schemaVersion === SNAPSHOT_SCHEMA_VERSION)
    return withSidesReadAt(snapshot as Snapshot);
  if (snapshot.schemaVersion !== undefined) {
    throw new Error(
      `Snapshot schema version ${snapshot.schemaVersion} is newer than this backend understands (${SNAPSHOT_SCHEMA_VERSION}); upgrade the backend`,
    );
  }
  const { entra, graphDelta, ...rest } = snapshot as SnapshotV1;
  const { appAssignments, ...identity } = entra;
  const cursor = Object.fromEntries(
    Object.entries(graphDelta ?? {}).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
  return withSidesReadAt({
    ...rest,
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    identity: {
      ...identity,
      source: 'entra',
      provisioningScope: appAssignments,
      ...(Object.keys(cursor).length > 0 ? { cursor } : {}),
    },
  } as Snapshot);
}

function withSidesReadAt(snapshot: Snapshot): Snapshot {
  if (snapshot.sidesReadAt) return snapshot;
  return {
    ...snapshot,
    sidesReadAt: { identity: snapshot.readAt, aws: snapshot.readAt },
  };
}
