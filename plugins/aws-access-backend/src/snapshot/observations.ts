import type { AccessIndex, PersonGrant } from './AccessIndex';
import type { SyncObservation } from './model';
import type { Sliced } from './slices';

const MAX_EVENTS = 100_000;

/**
 * The grant changes between two snapshots, as our sync saw them at `at` ("seen active in AWS", "gone from
 * AWS"), appended to what earlier runs observed and trimmed to the lookback. Nothing is recorded on the first
 * snapshot: everything would look new.
 */
export function* observeTransitions(options: {
  previous?: AccessIndex;
  next: AccessIndex;
  at: string;
  lookbackMs: number;
}): Sliced<SyncObservation[]> {
  const { previous, next, at } = options;
  const kept = (previous?.snapshot.syncEvents ?? []).filter(
    e => Date.parse(e.at) >= Date.parse(at) - options.lookbackMs,
  );
  if (!previous) return kept;
  // Compared person by person with numbered pairs: one map of every grant keyed by strings costs seconds at
  // 20,000 people.
  const pairNumbers = new Map<string, number>();
  const numberOf = (id: string) => {
    let n = pairNumbers.get(id);
    if (n === undefined) pairNumbers.set(id, (n = pairNumbers.size));
    return n;
  };
  const pairOf = (grant: PersonGrant) =>
    numberOf(grant.accountId) * 2 ** 26 + numberOf(grant.permissionSetArn);

  const events: SyncObservation[] = [];
  const removedByPerson = new Map<string, SyncObservation[]>();
  for (const person of next.persons) {
    yield;
    const previousGrants = previous.personByKey(person.key)?.grants;
    // The grants an incremental derivation kept (the very same array) have not changed.
    if (previousGrants && previousGrants === person.grants) {
      removedByPerson.set(person.key, []);
      continue;
    }
    const before = new Map<number, PersonGrant>();
    for (const grant of previousGrants ?? []) before.set(pairOf(grant), grant);
    for (const grant of person.grants) {
      const pair = pairOf(grant);
      const from = before.get(pair)?.baseState ?? 'none';
      before.delete(pair);
      if (from !== grant.baseState) {
        events.push({
          at,
          personKey: person.key,
          accountId: grant.accountId,
          permissionSetArn: grant.permissionSetArn,
          from,
          to: grant.baseState,
        });
      }
    }
    removedByPerson.set(
      person.key,
      [...before.values()].map(grant => gone(person.key, grant)),
    );
  }
  for (const person of previous.persons) {
    yield;
    events.push(
      ...(removedByPerson.get(person.key) ??
        person.grants.map(grant => gone(person.key, grant))),
    );
  }
  return [...kept, ...events].slice(-MAX_EVENTS);

  function gone(personKey: string, grant: PersonGrant): SyncObservation {
    return {
      at,
      personKey,
      accountId: grant.accountId,
      permissionSetArn: grant.permissionSetArn,
      from: grant.baseState,
      to: 'none',
    };
  }
}
