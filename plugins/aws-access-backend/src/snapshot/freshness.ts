import type { SidesReadAt, Snapshot } from './model';

/**
 * How fresh a snapshot is, side by side. A full sync reads both sides; the identity source's own refresh reads its
 * side again between full syncs; a targeted refresh of one person re-reads that person on both sides. Ages, the
 * `stale` flag and the request follow-through read these, never `readAt` (the latest read of any kind).
 */

export type SnapshotSide = keyof SidesReadAt;

/** The side read longer ago and when; `aws` when both were read together (a full sync). */
export function olderSide(snapshot: Snapshot): {
  side: SnapshotSide;
  at: string;
} {
  const { identity, aws } = snapshot.sidesReadAt;
  return Date.parse(identity) < Date.parse(aws)
    ? { side: 'identity', at: identity }
    : { side: 'aws', at: aws };
}

/** The snapshot with one side read whole at `at` (never moved back); people read before both sides are dropped. */
export function withSideRead(
  snapshot: Snapshot,
  side: SnapshotSide,
  at: string,
): Snapshot {
  const before = snapshot.sidesReadAt[side];
  const sidesReadAt = {
    ...snapshot.sidesReadAt,
    [side]: Date.parse(at) > Date.parse(before) ? at : before,
  };
  return withPeopleRead(
    { ...snapshot, sidesReadAt },
    snapshot.peopleReadAt ?? {},
  );
}

/** The snapshot with one person (identity user id) re-read on both sides at `at`. */
export function withPersonRead(
  snapshot: Snapshot,
  identityUserId: string,
  at: string,
): Snapshot {
  return withPeopleRead(snapshot, {
    ...snapshot.peopleReadAt,
    [identityUserId]: at,
  });
}

/**
 * Whether both sides were read, for this person, at or after `since`: whole, or the person alone. What a
 * membership shows needs both: the identity source says whether the user is a member, AWS whether the grants are
 * usable.
 */
export function personReadSince(
  snapshot: Snapshot,
  identityUserId: string,
  since: string,
): boolean {
  const after = Date.parse(since);
  const person = snapshot.peopleReadAt?.[identityUserId];
  if (person !== undefined && Date.parse(person) >= after) return true;
  return Date.parse(olderSide(snapshot).at) >= after;
}

/** The snapshot with these people's reads; those not newer than the older whole side read are dropped. */
export function withPeopleRead(
  snapshot: Snapshot,
  people: Record<string, string>,
): Snapshot {
  const { peopleReadAt: _dropped, ...rest } = snapshot;
  const older = Date.parse(olderSide(snapshot).at);
  const kept = Object.entries(people).filter(
    ([, at]) => Date.parse(at) > older,
  );
  return kept.length > 0
    ? { ...rest, peopleReadAt: Object.fromEntries(kept) }
    : rest;
}
