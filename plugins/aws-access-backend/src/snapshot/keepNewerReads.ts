import { isDeepStrictEqual } from 'node:util';
import { withPeopleRead } from './freshness';
import type { AwsSide, IdentitySide, Snapshot } from './model';
import type { Sliced } from './slices';
import { runAtOnce } from './slices';

/*
 * A full sync reads for minutes at scale; targeted refreshes (provision-on-demand, an access request's or review's
 * follow-through, change events) may commit meanwhile what they read later than the full sync read the same things.
 * Committing the full read as it is would undo them: a leaver deprovisioned a second ago shown active again until
 * the next full sync. So the full read is merged three ways, record by record and membership by membership: what the
 * commits since the run began changed (base → current) is kept as current has it; everything else is the full read's.
 *
 * Sliced work (slices.ts), one record per step: at 100,000 people the merge compares some 200,000 records and a
 * million memberships, a block of over a second when done at once (bench, steady sync at `envelope`).
 */

export interface NewerReads {
  /** The snapshot the full run started from. */
  base: Snapshot;
  /** The latest committed snapshot: the base plus what targeted refreshes committed while the run read. */
  current: Snapshot;
  /** What the full run read (validated, not yet derived). */
  full: Snapshot;
}

/** The full read with every record the commits since `base` changed taken from `current`. */
export function keepNewerReads(reads: NewerReads): Snapshot {
  return runAtOnce(keepNewerReadsSliced(reads));
}

/** {@link keepNewerReads} as sliced work, for a sync at 100,000 people. */
export function* keepNewerReadsSliced({
  base,
  current,
  full,
}: NewerReads): Sliced<Snapshot> {
  const merged: Snapshot = {
    ...full,
    // The latest read of any kind it was committed from: the refreshes' may be later than the run's start.
    readAt:
      Date.parse(current.readAt) > Date.parse(full.readAt)
        ? current.readAt
        : full.readAt,
    identity: yield* mergeIdentity(
      base.identity,
      current.identity,
      full.identity,
    ),
    aws: yield* mergeAws(base.aws, current.aws, full.aws),
  };
  return withPeopleRead(merged, {
    ...full.peopleReadAt,
    ...current.peopleReadAt,
  });
}

function* mergeIdentity(
  base: IdentitySide,
  current: IdentitySide,
  full: IdentitySide,
): Sliced<IdentitySide> {
  return {
    ...full,
    users: yield* mergeRecordsSliced(
      base.users,
      current.users,
      full.users,
      u => u.id,
    ),
    groups: yield* mergeGroups(base.groups, current.groups, full.groups, [
      'memberUserIds',
      'memberGroupIds',
    ]),
    provisioningScope: yield* mergeRecordsSliced(
      base.provisioningScope,
      current.provisioningScope,
      full.provisioningScope,
      p => `${p.principalType}|${p.principalId}`,
    ),
    changes: yield* mergeRecordsSliced(
      base.changes,
      current.changes,
      full.changes,
      c => [c.id, c.at, c.kind, c.userId, c.groupId].join('|'),
    ),
  };
}

function* mergeAws(
  base: AwsSide,
  current: AwsSide,
  full: AwsSide,
): Sliced<AwsSide> {
  const pair = (p: { accountId: string; permissionSetArn: string }) =>
    `${p.accountId}|${p.permissionSetArn}`;
  return {
    ...full,
    accounts: yield* mergeRecordsSliced(
      base.accounts,
      current.accounts,
      full.accounts,
      a => a.id,
    ),
    permissionSets: yield* mergeRecordsSliced(
      base.permissionSets,
      current.permissionSets,
      full.permissionSets,
      p => p.arn,
    ),
    provisionedPairs: yield* mergeRecordsSliced(
      base.provisionedPairs,
      current.provisionedPairs,
      full.provisionedPairs,
      pair,
    ),
    provisioningFailures: yield* mergeRecordsSliced(
      base.provisioningFailures,
      current.provisioningFailures,
      full.provisioningFailures,
      pair,
    ),
    users: yield* mergeRecordsSliced(
      base.users,
      current.users,
      full.users,
      u => u.id,
    ),
    groups: yield* mergeGroups(base.groups, current.groups, full.groups, [
      'memberUserIds',
    ]),
    assignments: yield* mergeRecordsSliced(
      base.assignments,
      current.assignments,
      full.assignments,
      a => `${pair(a)}|${a.principalType}|${a.principalId}`,
    ),
  };
}

function* byKey<T>(
  items: T[],
  key: (item: T) => string,
): Sliced<Map<string, T>> {
  const map = new Map<string, T>();
  for (const item of items) {
    yield;
    map.set(key(item), item);
  }
  return map;
}

/**
 * `full`, except where `current` differs from `base`: a record changed or added there is current's, one removed
 * there is removed. New records are appended after the full read's, in current's order.
 */
export function mergeRecords<T>(
  base: T[],
  current: T[],
  full: T[],
  key: (item: T) => string,
  equal?: (a: T, b: T) => boolean,
): T[] {
  return runAtOnce(mergeRecordsSliced(base, current, full, key, equal));
}

function* mergeRecordsSliced<T>(
  base: T[],
  current: T[],
  full: T[],
  key: (item: T) => string,
  equal: (a: T, b: T) => boolean = isDeepStrictEqual,
): Sliced<T[]> {
  if (base === current) return full;
  const baseByKey = yield* byKey(base, key);
  const currentByKey = yield* byKey(current, key);
  const changed = new Map<string, T | undefined>();
  for (const [k, item] of currentByKey) {
    yield;
    const before = baseByKey.get(k);
    if (before === undefined || !equal(before, item)) changed.set(k, item);
  }
  for (const k of baseByKey.keys()) {
    yield;
    if (!currentByKey.has(k)) changed.set(k, undefined);
  }
  if (changed.size === 0) return full;

  const merged: T[] = [];
  const seen = new Set<string>();
  for (const item of full) {
    yield;
    const k = key(item);
    seen.add(k);
    if (!changed.has(k)) merged.push(item);
    else if (changed.get(k) !== undefined) merged.push(changed.get(k)!);
  }
  for (const [k, item] of changed)
    if (item !== undefined && !seen.has(k)) merged.push(item);
  return merged;
}

/** The full read's ids, without those current removed since base, with those it added. */
function mergeIds(base: string[], current: string[], full: string[]): string[] {
  if (base === current) return full;
  const before = new Set(base);
  const after = new Set(current);
  const removed = base.filter(id => !after.has(id));
  const added = current.filter(id => !before.has(id));
  if (removed.length === 0 && added.length === 0) return full;
  const gone = new Set(removed);
  const kept = full.filter(id => !gone.has(id));
  const present = new Set(kept);
  return [...kept, ...added.filter(id => !present.has(id))];
}

/**
 * Groups merge as records (their own properties) and as memberships one by one: a targeted refresh of one person
 * changes that person's memberships, while the full run may have read newer members of the same group.
 */
function* mergeGroups<G extends { id: string }, F extends keyof G>(
  base: G[],
  current: G[],
  full: G[],
  memberFields: F[],
): Sliced<G[]> {
  if (base === current) return full;
  const withoutMembers = (group: G) => {
    const rest = { ...group };
    for (const field of memberFields) delete rest[field];
    return rest;
  };
  const records = yield* mergeRecordsSliced(
    base,
    current,
    full,
    g => g.id,
    (a, b) => isDeepStrictEqual(withoutMembers(a), withoutMembers(b)),
  );
  const baseById = yield* byKey(base, g => g.id);
  const currentById = yield* byKey(current, g => g.id);
  const fullById = yield* byKey(full, g => g.id);
  const groups: G[] = [];
  for (const group of records) {
    yield;
    const merged = { ...group };
    for (const field of memberFields) {
      const ids = (g: G | undefined) => g?.[field] as string[] | undefined;
      merged[field] = mergeIds(
        ids(baseById.get(group.id)) ?? [],
        ids(currentById.get(group.id)) ?? [],
        ids(fullById.get(group.id)) ?? (group[field] as string[]),
      ) as G[F];
    }
    groups.push(merged);
  }
  return groups;
}
